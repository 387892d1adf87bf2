from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = "Work"

    def ready(self):
        # Answers to other apps' signals, connected once the apps are loaded.
        from engagements import receivers  # noqa: F401

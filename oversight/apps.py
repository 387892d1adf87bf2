from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "Career services oversight"

    def ready(self):
        # Answers to other apps' signals, connected once the apps are loaded.
        from oversight import receivers  # noqa: F401

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Career outcomes"

    def ready(self):
        # Answers to other apps' signals, connected once the apps are loaded.
        from outcomes import receivers  # noqa: F401

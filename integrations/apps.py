from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations"

    def ready(self):
        # Answers to other apps' signals, connected once the apps are loaded.
        from integrations import receivers  # noqa: F401

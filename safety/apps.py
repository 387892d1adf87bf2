from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = "Safety"

    def ready(self):
        # Connect the signal receivers.
        from safety import receivers  # noqa: F401

from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = "Safety"

    def ready(self):
        # Answers to engagements' signals about held messages and to merges of organizations.
        from safety import receivers  # noqa: F401

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback and evaluations"

    def ready(self):
        # Answers to other apps' signals, connected once the apps are loaded.
        from feedback import receivers  # noqa: F401

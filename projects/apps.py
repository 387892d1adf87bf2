from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects"

    def ready(self):
        # Answers to other apps' signals, connected once the apps are loaded.
        from projects import market, receivers  # noqa: F401

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_career_staff_group(sender, **kwargs):
    from accounts.services import career_staff_group

    career_staff_group()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organizations"

    def ready(self):
        # After every app's migrations (each app's permissions are created in
        # its own post_migrate), so new permissions reach the group on deploy.
        post_migrate.connect(_sync_career_staff_group, dispatch_uid="sync_career_staff_group")
        from accounts import metrics

        metrics.register()
        from accounts import receivers  # noqa: F401  (connects allauth's email signals)

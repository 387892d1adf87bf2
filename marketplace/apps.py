from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Marketplace"

    def ready(self):
        from marketplace import request_id  # noqa: F401  (carries request ids into tasks)
        from marketplace.celery import ensure_file_broker_folders

        # The web process publishes to the file broker too, not only the worker.
        ensure_file_broker_folders()


class MarketplaceAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with our AdminSite as `admin.site` (named in INSTALLED_APPS)."""

    default = False

    default_site = "marketplace.admin_site.MarketplaceAdminSite"

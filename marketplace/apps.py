from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Marketplace"

    def ready(self):
        from marketplace.celery import ensure_file_broker_folders

        # The web process publishes to the file broker too, not only the worker.
        ensure_file_broker_folders()

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Payments"

    def ready(self):
        from engagements import ports
        from payments.services.engagement_money import EngagementMoney

        ports.register_money(EngagementMoney())
        from payments import (
            checks,  # noqa: F401  (registers the system checks)
            metrics,
        )

        metrics.register()

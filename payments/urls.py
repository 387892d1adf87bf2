from django.urls import path, re_path

from payments import sponsor_views, views

app_name = "payments"

urlpatterns = [
    path("engagements/<int:engagement_id>/pay/", views.start_funding, name="start_funding"),
    path(
        "engagements/<int:engagement_id>/extensions/<int:extension_id>/pay/",
        views.start_extension_funding,
        name="start_extension_funding",
    ),
    path("engagements/<int:engagement_id>/bonus/", views.bonus, name="bonus"),
    path("bonuses/<int:bonus_id>/pay/", views.bonus_pay, name="bonus_pay"),
    path("bonuses/<int:bonus_id>/withdraw/", views.bonus_withdraw, name="bonus_withdraw"),
    path("<int:payment_id>/", views.pay, name="pay"),
    path("<int:payment_id>/test/", views.test_complete, name="test_complete"),
    path("<int:payment_id>/returned/", views.returned, name="returned"),
    path("receipts/", views.receipts, name="receipts"),
    path("receipts/<int:payment_id>/", views.receipt, name="receipt"),
    path("earnings/", views.earnings, name="earnings"),
    re_path(
        r"^earnings/statements/(?P<year>[0-9]{4})\.(?P<fmt>csv|pdf)$",
        views.statement,
        name="statement",
    ),
    path(
        "earnings/payouts/<int:payout_id>/test-bank/",
        views.test_bank_outcome,
        name="test_bank_outcome",
    ),
    path("payout-account/bank-details/", views.bank_details, name="bank_details"),
    path("payout-account/connect/", views.connect, name="connect"),
    path("payout-account/refresh/", views.connect_refresh, name="connect_refresh"),
    path("payout-account/return/", views.connect_return, name="connect_return"),
    path("payout-account/test-onboarding/", views.test_onboarding, name="test_onboarding"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    path("sponsors/", sponsor_views.sponsor_list, name="sponsors"),
    path("sponsors/<int:sponsor_id>/", sponsor_views.sponsor_budget, name="sponsor"),
    path(
        "sponsors/<int:sponsor_id>/add-funds/",
        sponsor_views.deposit_new,
        name="sponsor_deposit",
    ),
    path("sponsors/<int:sponsor_id>/rules/", sponsor_views.sponsor_rules, name="sponsor_rules"),
    path("sponsors/<int:sponsor_id>/report/", sponsor_views.sponsor_report, name="sponsor_report"),
    path(
        "sponsors/<int:sponsor_id>/report.csv",
        sponsor_views.sponsor_report_csv,
        name="sponsor_report_csv",
    ),
    path(
        "sponsors/deposits/<int:deposit_id>/",
        sponsor_views.deposit_pay,
        name="sponsor_deposit_pay",
    ),
    path(
        "sponsors/deposits/<int:deposit_id>/test/",
        sponsor_views.deposit_test_complete,
        name="sponsor_deposit_test_complete",
    ),
    path(
        "sponsors/deposits/<int:deposit_id>/returned/",
        sponsor_views.deposit_returned,
        name="sponsor_deposit_returned",
    ),
    path(
        "sponsors/deposits/<int:deposit_id>/receipt/",
        sponsor_views.deposit_receipt,
        name="sponsor_deposit_receipt",
    ),
    path(
        "sponsors/deposits/<int:deposit_id>/receipt.pdf",
        sponsor_views.deposit_receipt_pdf,
        name="sponsor_deposit_receipt_pdf",
    ),
]

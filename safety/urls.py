from django.urls import path

from safety import views

app_name = "safety"

urlpatterns = [
    path(
        "report/<str:kind>/<int:pk>/",
        views.report,
        name="report",
    ),
    path("reports/", views.my_reports, name="my_reports"),
    path("privacy/", views.privacy, name="privacy"),
    path(
        "privacy/consents/<int:pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
]

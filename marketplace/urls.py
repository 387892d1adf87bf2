"""The root URLs. Each app's pages come from its own urls module, named by string, so this
module imports none of them."""

from django.contrib import admin
from django.urls import include, path

from marketplace import health, metrics

# A database that cannot be reached answers 503, any other error 500 (marketplace/errors.py).
handler500 = "marketplace.errors.server_error"

urlpatterns = [
    path("health/live/", health.live, name="health_live"),
    path("health/ready/", health.ready, name="health_ready"),
    path("metrics", metrics.metrics_view, name="metrics"),
    # Before allauth's: there is no role-less sign-up (accounts.urls has the role pages).
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("projects.urls")),
    path("", include("engagements.urls")),
    path("payments/", include("payments.urls")),
    path("", include("feedback.urls")),
    path("", include("outcomes.urls")),
    path("safety/", include("safety.urls")),
    path("", include("integrations.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("api.page_urls")),
    path("", include("datarights.urls")),
]

from django.urls import path

from integrations import views

app_name = "integrations"

urlpatterns = [
    path("settings/integrations/", views.integrations_settings, name="settings"),
    path(
        "settings/integrations/calendar/renew/",
        views.calendar_feed_renew,
        name="calendar_feed_renew",
    ),
    path(
        "settings/integrations/calendar/disable/",
        views.calendar_feed_disable,
        name="calendar_feed_disable",
    ),
    path("settings/integrations/webhooks/add/", views.webhook_add, name="webhook_add"),
    path(
        "settings/integrations/webhooks/<int:pk>/remove/",
        views.webhook_remove,
        name="webhook_remove",
    ),
    path("calendar/<slug:key>/<slug:secret>.ics", views.calendar_feed, name="calendar_feed"),
]

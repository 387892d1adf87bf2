from django.urls import path

from api import pages

app_name = "api_settings"

urlpatterns = [
    path("settings/api/", pages.token_list, name="tokens"),
    path("settings/api/tokens/", pages.token_create, name="token_create"),
    path("settings/api/tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
    path("settings/api/clients/", pages.client_create, name="client_create"),
    path("settings/api/clients/<int:pk>/revoke/", pages.client_revoke, name="client_revoke"),
]

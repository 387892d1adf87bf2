from django.urls import path

from datarights import views

app_name = "datarights"

urlpatterns = [
    path("account/data/", views.data, name="data"),
    path("account/data/export/", views.export_request, name="export_request"),
    path(
        "account/data/exports/<int:pk>/download/",
        views.export_download,
        name="export_download",
    ),
    path("account/close/", views.close_account, name="close"),
    path("account/close/cancel/", views.close_cancel, name="close_cancel"),
]

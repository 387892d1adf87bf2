from django.urls import path

from engagements import views

app_name = "engagements"

urlpatterns = [
    path("employer/projects/<int:pk>/applicants/", views.applicants, name="applicants"),
    path("employer/applications/<int:pk>/accept/", views.accept, name="accept"),
    path("engagements/<int:pk>/", views.workspace, name="workspace"),
    path("engagements/<int:pk>/time/", views.log_time, name="log_time"),
    path("engagements/<int:pk>/submit/", views.submit_work, name="submit_work"),
    path("engagements/<int:pk>/review/", views.review, name="review"),
    path("engagements/<int:pk>/messages/", views.post_message, name="post_message"),
    path(
        "engagements/<int:pk>/messages/<int:message_id>/release/",
        views.release_message,
        name="release_message",
    ),
    path("engagements/<int:pk>/cancel/", views.cancel_engagement, name="cancel_engagement"),
    path("engagements/<int:pk>/dispute/", views.dispute_evidence, name="dispute_evidence"),
    path("engagements/<int:pk>/extensions/", views.propose_extension, name="propose_extension"),
    path(
        "engagements/<int:pk>/extensions/<int:extension_id>/",
        views.decide_extension,
        name="decide_extension",
    ),
    path("files/deliverables/<int:file_id>/", views.download_file, name="download_file"),
]

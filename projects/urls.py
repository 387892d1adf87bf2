from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.browse, name="browse"),
    path("projects/<int:pk>/", views.detail, name="detail"),
    path("employer/projects/new/", views.create, name="create"),
    path("employer/projects/<int:pk>/edit/", views.edit, name="edit"),
    path("employer/projects/<int:pk>/preview/", views.preview, name="preview"),
    path("employer/projects/<int:pk>/publish/", views.publish, name="publish"),
    path("employer/projects/<int:pk>/close/", views.close, name="close"),
    path("employer/projects/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("employer/projects/<int:pk>/duplicate/", views.duplicate, name="duplicate"),
    path("students/<int:student_id>/resume/", views.resume_download, name="resume_download"),
]

urlpatterns += [
    path("projects/<int:pk>/apply/", views.apply, name="apply"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("employer/applications/<int:pk>/shortlist/", views.shortlist, name="shortlist"),
    path("employer/applications/<int:pk>/decline/", views.decline, name="decline"),
]

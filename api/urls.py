"""/api/v1/: the REST API, its schema and its docs page (assets served from our own static
files by drf-spectacular-sidecar)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from oauth2_provider import views as oauth_views

from api import views
from api.errors import not_found

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Client credentials only: the applications are made on the API page (api.oauth).
    path("oauth/token/", oauth_views.TokenView.as_view(), name="oauth_token"),
    path("me/", views.MeView.as_view(), name="me"),
    path("projects/", views.ProjectListView.as_view(), name="projects"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project"),
    path("projects/<int:pk>/publish/", views.ProjectPublishView.as_view(), name="project_publish"),
    path("projects/<int:pk>/close/", views.ProjectCloseView.as_view(), name="project_close"),
    path("projects/<int:pk>/applicants/", views.ApplicantListView.as_view(), name="applicants"),
    path("engagements/", views.EngagementListView.as_view(), name="engagements"),
    path("engagements/<int:pk>/", views.EngagementDetailView.as_view(), name="engagement"),
    path("applications/", views.ApplicationListView.as_view(), name="applications"),
    path("records/", views.RecordListView.as_view(), name="records"),
    path("school/students/", views.SchoolStudentListView.as_view(), name="school_students"),
    path(
        "school/engagements/",
        views.SchoolEngagementListView.as_view(),
        name="school_engagements",
    ),
    path(
        "school/evaluations/",
        views.SchoolEvaluationListView.as_view(),
        name="school_evaluations",
    ),
    path("school/flags/", views.SchoolFlagListView.as_view(), name="school_flags"),
    path("school/dashboard/", views.SchoolDashboardView.as_view(), name="school_dashboard"),
    re_path(r"^.*$", not_found, name="not_found"),
]

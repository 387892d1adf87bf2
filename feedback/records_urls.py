from django.urls import path

from feedback import records_views as views

app_name = "records"

urlpatterns = [
    # Public: the verification page, certificate and Open Badges documents.
    path("verify/issuer.json", views.badge_issuer, name="badge_issuer"),
    path("verify/<slug:code>/", views.verify, name="verify"),
    path("verify/<slug:code>/certificate.pdf", views.certificate, name="certificate"),
    path("verify/<slug:code>/badge.json", views.badge_assertion, name="badge_assertion"),
    path("verify/<slug:code>/badge-class.json", views.badge_class, name="badge_class"),
    # The student's own pages.
    path("experiences/", views.experience_list, name="experiences"),
    path("experiences/resume.txt", views.resume_txt, name="resume_txt"),
    path("experiences/resume.pdf", views.resume_pdf, name="resume_pdf"),
    path("experiences/<int:pk>/", views.experience_detail, name="experience"),
    path(
        "experiences/<int:pk>/visibility/",
        views.experience_visibility,
        name="experience_visibility",
    ),
    path("experiences/<int:pk>/resume/", views.experience_resume, name="experience_resume"),
]

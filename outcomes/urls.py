from django.urls import path

from outcomes.views import credit, employment_log, reflections, talent
from outcomes.views import records as views

app_name = "outcomes"

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
    path("experiences/employment-log/", employment_log.employment_log, name="employment_log"),
    path(
        "experiences/employment-log.csv",
        employment_log.employment_log_csv,
        name="employment_log_csv",
    ),
    path(
        "experiences/employment-log.pdf",
        employment_log.employment_log_pdf,
        name="employment_log_pdf",
    ),
    path(
        "experiences/employment-log/<int:pk>/reported/",
        employment_log.employment_reported,
        name="employment_reported",
    ),
    path("experiences/<int:pk>/", views.experience_detail, name="experience"),
    path(
        "experiences/<int:pk>/visibility/",
        views.experience_visibility,
        name="experience_visibility",
    ),
    path("experiences/<int:pk>/resume/", views.experience_resume, name="experience_resume"),
    # The student's reflection on an approved engagement (by the engagement's id).
    path("engagements/<int:pk>/reflection/", reflections.reflection_edit, name="reflection"),
    path(
        "engagements/<int:pk>/reflection/sharing/",
        reflections.reflection_sharing,
        name="reflection_sharing",
    ),
]

# The employer's talent pool and outreach, the student's answers.
urlpatterns += [
    path("employer/talent/", talent.talent_pool, name="talent_pool"),
    path("employer/talent/<int:pk>/", talent.talent_entry, name="talent_entry"),
    path("employer/talent/<int:pk>/invite/", talent.talent_invite, name="talent_invite"),
    path("employer/talent/<int:pk>/full-time/", talent.talent_fulltime, name="talent_fulltime"),
    path(
        "employer/talent/<int:pk>/full-time/<int:interest_id>/withdraw/",
        talent.talent_fulltime_withdraw,
        name="talent_fulltime_withdraw",
    ),
    path("employer/talent/<int:pk>/remove/", talent.talent_remove, name="talent_remove"),
    path(
        "employer/applications/<int:pk>/save-to-pool/",
        talent.save_applicant,
        name="save_applicant",
    ),
    path(
        "engagements/<int:pk>/save-to-pool/",
        talent.save_engagement_student,
        name="save_engagement_student",
    ),
    path("invitations/<int:pk>/decline/", talent.invitation_decline, name="invitation_decline"),
    path("full-time/<int:pk>/reply/", talent.fulltime_reply, name="fulltime_reply"),
]

# Academic credit: the student's requests, career services' queue and policy, and the
# faculty member's review through an emailed link.
urlpatterns += [
    path("credit/", credit.credit_list, name="credit_requests"),
    path("credit/new/<int:engagement_id>/", credit.credit_request_new, name="credit_request_new"),
    path("credit/<int:pk>/", credit.credit_request_detail, name="credit_request"),
    path("credit/<int:pk>/withdraw/", credit.credit_request_withdraw, name="credit_withdraw"),
    path("credit/review/<str:token>/", credit.credit_faculty, name="credit_faculty"),
    path("career-services/credit/", credit.credit_queue, name="credit_queue"),
    path("career-services/credit/policy/", credit.credit_policy, name="credit_policy"),
    path("career-services/credit/registrar.csv", credit.credit_registrar_csv, name="credit_csv"),
    path("career-services/credit/<int:pk>/", credit.credit_review, name="credit_review"),
]

from django.urls import path

from projects import talentviews, views, workviews

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
]

urlpatterns += [
    path("projects/<int:pk>/apply/", workviews.apply, name="apply"),
    path("applications/<int:pk>/withdraw/", workviews.withdraw, name="withdraw"),
    path("employer/projects/<int:pk>/applicants/", workviews.applicants, name="applicants"),
    path("employer/applications/<int:pk>/shortlist/", workviews.shortlist, name="shortlist"),
    path("employer/applications/<int:pk>/decline/", workviews.decline, name="decline"),
    path("employer/applications/<int:pk>/accept/", workviews.accept, name="accept"),
    path("engagements/<int:pk>/", workviews.workspace, name="workspace"),
    path("engagements/<int:pk>/time/", workviews.log_time, name="log_time"),
    path("engagements/<int:pk>/submit/", workviews.submit_work, name="submit_work"),
    path("engagements/<int:pk>/review/", workviews.review, name="review"),
    path("engagements/<int:pk>/messages/", workviews.post_message, name="post_message"),
    path("engagements/<int:pk>/cancel/", workviews.cancel_engagement, name="cancel_engagement"),
    path("engagements/<int:pk>/extensions/", workviews.propose_extension, name="propose_extension"),
    path(
        "engagements/<int:pk>/extensions/<int:extension_id>/",
        workviews.decide_extension,
        name="decide_extension",
    ),
    path("files/deliverables/<int:file_id>/", workviews.download_file, name="download_file"),
]

# Career outcomes: the employer's talent pool and outreach, the student's answers.
urlpatterns += [
    path("employer/talent/", talentviews.talent_pool, name="talent_pool"),
    path("employer/talent/<int:pk>/", talentviews.talent_entry, name="talent_entry"),
    path("employer/talent/<int:pk>/invite/", talentviews.talent_invite, name="talent_invite"),
    path(
        "employer/talent/<int:pk>/full-time/", talentviews.talent_fulltime, name="talent_fulltime"
    ),
    path(
        "employer/talent/<int:pk>/full-time/<int:interest_id>/withdraw/",
        talentviews.talent_fulltime_withdraw,
        name="talent_fulltime_withdraw",
    ),
    path("employer/talent/<int:pk>/remove/", talentviews.talent_remove, name="talent_remove"),
    path(
        "employer/applications/<int:pk>/save-to-pool/",
        talentviews.save_applicant,
        name="save_applicant",
    ),
    path(
        "engagements/<int:pk>/save-to-pool/",
        talentviews.save_engagement_student,
        name="save_engagement_student",
    ),
    path(
        "invitations/<int:pk>/decline/", talentviews.invitation_decline, name="invitation_decline"
    ),
    path("full-time/<int:pk>/reply/", talentviews.fulltime_reply, name="fulltime_reply"),
]

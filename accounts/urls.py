from django.urls import path

from accounts import bounce_views, team_views, views

urlpatterns = [
    path("", views.home, name="home"),
    # Our sign-up pages: the root URLs include these before allauth's.
    path("accounts/login/", views.SchoolLoginView.as_view(), name="account_login"),
    path("accounts/signup/", views.signup_choice, name="account_signup"),
    path("accounts/signup/student/", views.StudentSignupView.as_view(), name="signup_student"),
    path("accounts/signup/employer/", views.EmployerSignupView.as_view(), name="signup_employer"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("student/", views.student_dashboard, name="student_dashboard"),
    path("student/school/", views.school_affiliation, name="school_affiliation"),
    path("employer/", views.employer_dashboard, name="employer_dashboard"),
    path("webhooks/email-bounces/", bounce_views.bounce_webhook, name="bounce_webhook"),
    path("employer/team/", team_views.team, name="team"),
    path("employer/team/invite/", team_views.team_invite, name="team_invite"),
    path(
        "employer/team/requests/<int:pk>/decide/",
        team_views.team_request_decide,
        name="team_request_decide",
    ),
    path(
        "employer/team/invitations/<int:pk>/revoke/",
        team_views.team_invitation_revoke,
        name="team_invitation_revoke",
    ),
    path(
        "employer/team/members/<int:user_id>/role/",
        team_views.team_member_role,
        name="team_member_role",
    ),
    path(
        "employer/team/members/<int:user_id>/remove/",
        team_views.team_member_remove,
        name="team_member_remove",
    ),
    path("employer/team/transfer/", team_views.team_transfer, name="team_transfer"),
    path("employer/team/settings/", team_views.team_settings, name="team_settings"),
    path("employer/join/<int:organization_id>/", team_views.join_request, name="join_request"),
    path(
        "employer/join/requests/<int:pk>/withdraw/",
        team_views.join_request_withdraw,
        name="join_request_withdraw",
    ),
    path("employer/invitations/<uuid:token>/", team_views.invitation, name="invitation"),
    path("career-services/", views.career_staff_dashboard, name="career_staff_dashboard"),
    path("profile/", views.profile, name="profile"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path(
        "notifications/read-all/",
        views.notifications_mark_all_read,
        name="notifications_mark_all_read",
    ),
    path(
        "students/<int:student_id>/authorization-document/",
        views.authorization_document_download,
        name="authorization_document",
    ),
    path(
        "career-services/request-access/",
        views.staff_access_request,
        name="staff_access_request",
    ),
    path(
        "career-services/request-access/sent/",
        views.staff_access_request_sent,
        name="staff_access_request_sent",
    ),
]

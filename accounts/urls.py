from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    # Our sign-up pages: the root URLs include these before allauth's.
    path("accounts/signup/", views.signup_choice, name="account_signup"),
    path("accounts/signup/student/", views.StudentSignupView.as_view(), name="signup_student"),
    path("accounts/signup/employer/", views.EmployerSignupView.as_view(), name="signup_employer"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("student/", views.student_dashboard, name="student_dashboard"),
    path("employer/", views.employer_dashboard, name="employer_dashboard"),
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

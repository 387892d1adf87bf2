from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

admin.site.site_header = "Micro-internships oversight"
admin.site.site_title = "Micro-internships admin"
# The collapsible sidebar repeats the index page and its table markup is not valid HTML.
admin.site.enable_nav_sidebar = False
admin.site.index_title = "Oversight"

urlpatterns = [
    path("", account_views.home, name="home"),
    # Our sign-up pages come before allauth's: there is no role-less sign-up.
    path("accounts/signup/", account_views.signup_choice, name="account_signup"),
    path(
        "accounts/signup/student/", account_views.StudentSignupView.as_view(), name="signup_student"
    ),
    path(
        "accounts/signup/employer/",
        account_views.EmployerSignupView.as_view(),
        name="signup_employer",
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("projects.urls")),
    path("payments/", include("payments.urls")),
    path("", include("feedback.urls")),
    path("", include("feedback.records_urls")),
]

"""Sign-up, dashboards and profiles. Thin: forms check input, services change things."""

from allauth.account.views import LoginView, SignupView
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import affiliation, selectors, services, sso, team_selectors, teams
from accounts.access import (
    authorization_document_or_404,
    role_required,
)
from accounts.blind import blind_bio
from accounts.forms import (
    AccountDetailsForm,
    AffiliationClaimForm,
    CareerStaffDetailsForm,
    EmployerProfileForm,
    EmployerSignupForm,
    StaffAccessRequestForm,
    StudentProfileForm,
    StudentSignupForm,
)
from accounts.models import Notification, Organization, Role
from accounts.notifications import mark_read
from marketplace.context_processors import rules
from marketplace.downloads import private_download
from marketplace.forms import add_service_errors


@require_GET
def home(request):
    return render(request, "home.html")


@require_GET
def signup_choice(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "account/signup_choice.html")


class StudentSignupView(SignupView):
    form_class = StudentSignupForm
    template_name = "account/signup_role.html"
    extra_context = {
        "role_title": "Create your student account",
        "role_intro": (
            "Paid, short projects from real employers: {hours_min} to {hours_max} hours, done "
            "in {days_min} to {days_max} days, with a verified record for your résumé."
        ),
    }

    def get_form_class(self):
        return self.form_class

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        limits = rules()
        context["role_intro"] = context["role_intro"].format(
            hours_min=limits.hours_min,
            hours_max=limits.hours_max,
            days_min=limits.days_min,
            days_max=limits.days_max,
        )
        return context


class EmployerSignupView(StudentSignupView):
    form_class = EmployerSignupForm
    extra_context = {
        "role_title": "Create your employer account",
        "role_intro": (
            "Post a short, paid project and meet motivated students. You will describe your "
            "organization next; we verify it before your first project goes live."
        ),
    }


@login_required
def dashboard(request):
    """One address after login; each role lands on its own dashboard."""
    user = request.user
    if user.is_platform_admin:
        return redirect("admin:index")
    destinations = {
        Role.STUDENT: "student_dashboard",
        Role.EMPLOYER: "employer_dashboard",
        Role.CAREER_STAFF: "career_staff_dashboard",
    }
    if user.role not in destinations:
        return redirect("home")
    return redirect(destinations[user.role])


class SchoolLoginView(LoginView):
    """allauth's login page, with a "Sign in with <school>" button per connected school.

    The buttons post to allauth, which sends the browser on to the school's identity
    provider: the page's Content-Security-Policy lets its forms go there."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["school_sign_ons"] = self.sign_ons
        return context

    def dispatch(self, request, *args, **kwargs):
        self.sign_ons = sso.sign_ons_for_login_page()
        response = super().dispatch(request, *args, **kwargs)
        origins = sorted({s.sign_in_origin for s in self.sign_ons if s.sign_in_origin})
        if origins:
            response._csp_update = {"form-action": origins}
        return response


@role_required(Role.STUDENT)
def student_dashboard(request):
    profile = selectors.student_profile_of(request.user)
    if profile is None:
        messages.info(request, "Start with your profile: employers see it when you apply.")
        return redirect("profile")
    checklist = selectors.student_checklist(profile)
    return render(
        request,
        "accounts/student_dashboard.html",
        {
            "profile": profile,
            "blind_bio": blind_bio(profile),
            "checklist": checklist,
            "checklist_done": sum(item.done for item in checklist),
        },
    )


@role_required(Role.STUDENT)
@require_http_methods(["GET", "POST"])
def school_affiliation(request):
    """How the student's school gets verified: a confirmed school address, or a claim that
    career services approve."""
    profile = selectors.student_profile_of(request.user)
    if profile is None:
        messages.info(request, "Name your school in your profile first.")
        return redirect("profile")
    form = AffiliationClaimForm(
        request.POST or None, initial={"statement": profile.affiliation_claim}
    )
    if request.method == "POST" and form.is_valid():
        try:
            affiliation.affiliation_claim_submit(
                user=request.user, statement=form.cleaned_data["statement"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Your claim is with career services at {profile.school.name}; "
                "we will tell you when they answer.",
            )
            return redirect("school_affiliation")
    return render(
        request,
        "accounts/school_affiliation.html",
        {"profile": profile, "form": form, "domains": selectors.school_domains(profile.school)},
    )


@role_required(Role.EMPLOYER)
def employer_dashboard(request):
    profile = selectors.employer_profile_of(request.user)
    if profile is None:
        messages.info(request, "Tell us about your organization first.")
        return redirect("profile")
    organization = profile.organization
    return render(
        request,
        "accounts/employer_dashboard.html",
        {
            "profile": profile,
            "organization": organization,
            "colleagues": selectors.organization_colleagues(profile),
        },
    )


@role_required(Role.CAREER_STAFF)
def career_staff_dashboard(request):
    profile = selectors.career_staff_profile_of(request.user)
    if profile is None and selectors.staff_access_request_pending(request.user):
        # Opened by the school's single sign-on: a platform admin approves it first.
        messages.info(
            request,
            "You signed in through your school. A platform admin confirms career services "
            "accounts before they show any student; we will write to you once that is done.",
        )
        return render(request, "accounts/career_staff_dashboard.html", {"profile": None})
    if profile is None:
        # Staff accounts are always made with a school; a missing one is an admin error.
        messages.error(
            request,
            "Your account is not attached to a school yet. Write to "
            f"{settings.SUPPORT_EMAIL} and we will attach it.",
        )
        return render(request, "accounts/career_staff_dashboard.html", {"profile": None})
    return render(
        request,
        "accounts/career_staff_dashboard.html",
        {"profile": profile, "overview": selectors.school_overview(profile.school_id)},
    )


def _account_form(request):
    user = request.user
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "time_zone": user.time_zone,
    }
    return AccountDetailsForm(request.POST or None, initial=initial, prefix="account")


@role_required(Role.STUDENT, Role.EMPLOYER, Role.CAREER_STAFF)
@require_http_methods(["GET", "POST"])
def profile(request):
    """Edit the account details and the profile of the user's role, on one page."""
    handlers = {
        Role.STUDENT: _student_profile,
        Role.EMPLOYER: _employer_profile,
        Role.CAREER_STAFF: _career_staff_profile,
    }
    return handlers[request.user.role](request)


def _save_account(request, account_form):
    services.user_details_update(
        user=request.user,
        first_name=account_form.cleaned_data["first_name"],
        last_name=account_form.cleaned_data["last_name"],
        time_zone=account_form.cleaned_data["time_zone"],
    )


def _student_profile(request):
    existing = selectors.student_profile_of(request.user)
    initial = {}
    if existing is None:
        # Signed in through a school: that school, which the sign-in verifies.
        sign_on_schools = affiliation.sign_on_school_ids(request.user.pk)
        if sign_on_schools:
            initial["school"] = sign_on_schools[0]
    if existing is not None:
        initial = {
            "school": existing.school_id,
            "major": existing.major,
            "graduation_year": existing.graduation_year,
            "skills": list(existing.skills.all()),
            "bio": existing.bio,
            "linkedin_url": existing.linkedin_url,
            "github_url": existing.github_url,
            "portfolio_url": existing.portfolio_url,
            "work_authorization": existing.work_authorization,
            "show_evaluations_to_employers": existing.show_evaluations_to_employers,
            "discoverable": existing.discoverable,
            "contactable": existing.contactable,
            "authorization_valid_from": existing.authorization_valid_from,
            "authorization_valid_until": existing.authorization_valid_until,
        }
    account_form = _account_form(request)
    form = StudentProfileForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        has_resume=bool(existing and existing.resume),
    )
    if request.method == "POST" and account_form.is_valid() and form.is_valid():
        data = form.cleaned_data
        try:
            _save_account(request, account_form)
            services.student_profile_save(
                user=request.user,
                data=services.StudentProfileData(
                    school=data["school"],
                    major=data["major"].strip(),
                    graduation_year=data["graduation_year"],
                    bio=data["bio"].strip(),
                    linkedin_url=data["linkedin_url"],
                    github_url=data["github_url"],
                    portfolio_url=data["portfolio_url"],
                    work_authorization=data["work_authorization"],
                    skill_names=data["skill_names"],
                    show_evaluations_to_employers=data["show_evaluations_to_employers"],
                    discoverable=data["discoverable"],
                    contactable=data["contactable"],
                    authorization_valid_from=data.get("authorization_valid_from"),
                    authorization_valid_until=data.get("authorization_valid_until"),
                ),
                resume=data.get("resume"),
                authorization_document=data.get("authorization_document"),
                remove_resume=data.get("remove_resume", False),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("student_dashboard")
    return render(
        request,
        "accounts/profile_form.html",
        {
            "account_form": account_form,
            "form": form,
            "profile": existing,
            "title": "Your student profile" if existing else "Set up your student profile",
            "multipart": True,
        },
    )


def _employer_profile(request):
    existing = selectors.employer_profile_of(request.user)
    initial = {}
    if existing is not None:
        org = existing.organization
        initial = {
            "job_title": existing.job_title,
            "name": org.name,
            "website": org.website,
            "industry": org.industry,
            "size": org.size,
            "description": org.description,
            "registration_number": org.registration_number,
            "linkedin_url": org.linkedin_url,
            "address": org.address,
        }
    account_form = _account_form(request)
    offered = existing is None and bool(request.POST.get("confirm_new_offered"))
    form = EmployerProfileForm(
        request.POST or None,
        initial=initial,
        organization_locked=bool(existing and not existing.is_team_admin),
        offer_new=offered,
    )
    matches = []
    if request.method == "POST" and account_form.is_valid() and form.is_valid():
        data = form.cleaned_data
        if existing is None and not data.get("confirm_new"):
            # Someone else may have registered this organization already: offer to join it.
            matches = teams.organization_matches(name=data["name"], email=request.user.email)
            if matches and not offered:
                form = EmployerProfileForm(request.POST, initial=initial, offer_new=True)
                form.is_valid()
            elif matches:
                form.add_error(
                    "confirm_new",
                    "Ask to join one of these, or tick this box to register a new organization.",
                )
    if request.method == "POST" and not matches and account_form.is_valid() and form.is_valid():
        data = form.cleaned_data
        was_verified = bool(existing and existing.organization.is_verified)
        try:
            _save_account(request, account_form)
            saved = services.employer_profile_save(
                user=request.user,
                job_title=data["job_title"].strip(),
                organization=services.OrganizationData(
                    name=data["name"].strip(),
                    website=data["website"],
                    industry=data["industry"],
                    size=data["size"],
                    description=data["description"].strip(),
                    registration_number=data["registration_number"].strip(),
                    linkedin_url=data["linkedin_url"],
                    address=data["address"].strip(),
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if was_verified and not saved.organization.is_verified:
                messages.warning(
                    request,
                    "Saved. Because the name or website changed, the organization awaits "
                    "verification again.",
                )
            else:
                messages.success(request, "Your organization profile is saved.")
            return redirect("employer_dashboard")
    return render(
        request,
        "accounts/profile_form.html",
        {
            "account_form": account_form,
            "form": form,
            "profile": existing,
            "organization": existing.organization if existing else None,
            "title": "Your organization" if existing else "Tell us about your organization",
            "matches": matches,
            # Organizations whose owner lets colleagues at its domain in at once.
            "joins_at_once": {o.pk for o in matches if teams.joins_automatically(request.user, o)},
            **(team_selectors.joining_state(request.user) if existing is None else {}),
        },
    )


def _career_staff_profile(request):
    existing = selectors.career_staff_profile_of(request.user)
    account_form = _account_form(request)
    form = CareerStaffDetailsForm(
        request.POST or None, initial={"job_title": existing.job_title if existing else ""}
    )
    if request.method == "POST" and account_form.is_valid() and form.is_valid():
        _save_account(request, account_form)
        if existing is not None:
            services.career_staff_details_update(
                user=request.user, job_title=form.cleaned_data["job_title"].strip()
            )
        messages.success(request, "Your details are saved.")
        return redirect("career_staff_dashboard")
    return render(
        request,
        "accounts/profile_form.html",
        {
            "account_form": account_form,
            "form": form,
            "profile": existing,
            "title": "Your details",
        },
    )


@require_GET
def authorization_document_download(request, student_id: int):
    profile = authorization_document_or_404(request.user, student_id)
    return private_download(
        profile.authorization_document,
        filename=profile.authorization_document_name or "authorization",
    )


@require_http_methods(["GET", "POST"])
def staff_access_request(request):
    form = StaffAccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Each request mails every platform admin: limit them per network and per address
        # (ACCOUNT_RATE_LIMITS), counted in the cache like allauth's own limits.
        limited = None
        if not ratelimit.consume(request, action="staff_access_request"):
            limited = (
                "We have received several access requests from your network in the last "
                "hour. Please try again later; your colleagues' requests are already with us."
            )
        elif not ratelimit.consume(
            request, action="staff_access_request_email", key=data["email"].strip().lower()
        ):
            limited = (
                "We have received several requests for this address today. Please wait a "
                "day before sending another; we answer every request by email."
            )
        if limited:
            form.add_error(None, limited)
            return render(request, "accounts/staff_access_request.html", {"form": form}, status=429)
        try:
            services.staff_access_request_submit(
                first_name=data["first_name"].strip(),
                last_name=data["last_name"].strip(),
                email=data["email"],
                school=data["school"],
                job_title=data["job_title"].strip(),
                message=data["message"].strip(),
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            return redirect(reverse("staff_access_request_sent"))
    return render(request, "accounts/staff_access_request.html", {"form": form})


@require_GET
def staff_access_request_sent(request):
    return render(request, "accounts/staff_access_request_sent.html")


@login_required
@require_GET
def notifications(request):
    page = Paginator(
        Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id"), 30
    ).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark one notification read and go where it points (only inside this site)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    mark_read(user=request.user, notification_ids=[notification.pk])
    url = notification.url
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None) or not url.startswith("/"):
        url = reverse("notifications")
    return redirect(url)


@login_required
@require_POST
def notifications_mark_all_read(request):
    count = mark_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications")


@require_GET
def organization_detail(request, pk: int):
    """An organization's public page: who they are, their open projects, what students said."""
    organization = get_object_or_404(Organization, pk=pk)
    return render(
        request,
        "accounts/organization_detail.html",
        {"organization": organization},
    )

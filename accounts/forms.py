"""Forms for sign-up, profiles and staff access requests (rendered with crispy-forms)."""

import zoneinfo
from functools import cache

from allauth.account.forms import LoginForm, SignupForm
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Organization, Role, School, Skill, TeamRole, WorkAuthorization
from accounts.services import MAX_SKILLS, clean_skill_names
from accounts.validators import (
    validate_authorization_document,
    validate_profile_url,
    validate_resume,
)


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    # Canonical zones only ("America/Chicago"), not legacy aliases ("US/Central").
    regions = (
        "Africa/",
        "America/",
        "Antarctica/",
        "Asia/",
        "Atlantic/",
        "Australia/",
        "Europe/",
        "Indian/",
        "Pacific/",
    )
    zones = sorted(z for z in zoneinfo.available_timezones() if z.startswith(regions))
    return [(z, z.replace("_", " ")) for z in zones] + [("UTC", "UTC")]


class _RoleSignupForm(SignupForm):
    signup_role: str = ""

    first_name = forms.CharField(
        max_length=150,
        label="First name",
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        max_length=150,
        label="Last name",
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        self.fields["email"].label = "Email address"
        self.fields["email"].widget.attrs.pop("placeholder", None)
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.fields["password2"].label = "Password (again)"
        self.helper = FormHelper()
        self.helper.form_tag = False


class StudentSignupForm(_RoleSignupForm):
    signup_role = Role.STUDENT

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "email"
        ].help_text = "Your school address works best; career services recognise it."


class EmployerSignupForm(_RoleSignupForm):
    signup_role = Role.EMPLOYER

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Work email address"


class AccountDetailsForm(forms.Form):
    first_name = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    time_zone = forms.ChoiceField(
        choices=time_zone_choices, help_text="Deadlines and sessions are shown in this time zone."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                "About you",
                Div(
                    Div("first_name", css_class="col-md-6"),
                    Div("last_name", css_class="col-md-6"),
                    css_class="row",
                ),
                "time_zone",
            )
        )


def graduation_year_choices():
    this_year = timezone.now().year
    # Recent graduates stay eligible: OPT is often used in the year after graduating.
    return [("", "Choose a year")] + [(y, str(y)) for y in range(this_year - 2, this_year + 8)]


class StudentProfileForm(forms.Form):
    school = forms.ModelChoiceField(
        queryset=School.objects.filter(is_active=True),
        empty_label="Choose your school",
        help_text="Not listed? Ask your career services office to join the platform.",
    )
    major = forms.CharField(max_length=120, help_text="Or intended major, if undeclared.")
    graduation_year = forms.TypedChoiceField(
        coerce=int, choices=graduation_year_choices, label="Graduation year"
    )
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Employers see your skills before your name or school.",
    )
    other_skills = forms.CharField(
        required=False,
        max_length=500,
        label="Other skills",
        help_text="Not in the list? Add them here, separated by commas.",
    )
    bio = forms.CharField(
        required=False,
        max_length=1000,
        label="Short bio",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "Up to 1,000 characters: what you like to work on and what you want to learn. "
            "Employers read it before they know who you are, so leave out your name and "
            "school; we hide them, your major and any links if they slip in."
        ),
    )
    linkedin_url = forms.URLField(
        required=False, max_length=300, label="LinkedIn profile", assume_scheme="https"
    )
    github_url = forms.URLField(
        required=False, max_length=300, label="GitHub profile", assume_scheme="https"
    )
    portfolio_url = forms.URLField(
        required=False, max_length=300, label="Portfolio or website", assume_scheme="https"
    )
    resume = forms.FileField(
        required=False,
        label="Résumé (PDF, at most 5 MB)",
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text="Shared with an employer only after they shortlist you.",
    )
    remove_resume = forms.BooleanField(required=False, label="Remove my current résumé")
    authorization_document = forms.FileField(
        required=False,
        label="Authorization document (PDF or image, at most 5 MB)",
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf,image/png,image/jpeg"}),
        help_text="For CPT: the I-20 page that authorizes it. For OPT: your EAD card. "
        "Only your school's career services see it.",
    )
    authorization_valid_from = forms.DateField(
        required=False,
        label="Valid from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    authorization_valid_until = forms.DateField(
        required=False,
        label="Valid until",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    show_evaluations_to_employers = forms.BooleanField(
        required=False,
        label="Show my evaluation averages to employers who review my applications",
        help_text="Your scores from past employers (1 to 5). Off by default.",
    )
    discoverable = forms.BooleanField(
        required=False,
        label="Employers I have applied to may save me to their talent pool and see my profile",
        help_text="Only employers who shortlisted you, never during blind review. Employers "
        "you have worked for can always keep you in their pool. Off by default.",
    )
    contactable = forms.BooleanField(
        required=False,
        label="Employers may invite me to projects and tell me about full-time roles",
        help_text="Invitations and full-time interest reach you on your dashboard and by email. "
        "Without this, no employer can contact you this way. Off by default.",
    )
    work_authorization = forms.ChoiceField(
        choices=[("", "Choose one")] + WorkAuthorization.choices,
        label="Work authorization in the US",
        help_text=(
            "F-1 CPT, F-1 OPT and other visas are verified by your school's career services "
            "before you can be accepted for paid work."
        ),
    )

    def __init__(self, *args, has_resume: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_resume:
            del self.fields["remove_resume"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                "Education",
                "school",
                Div(
                    Div("major", css_class="col-md-8"),
                    Div("graduation_year", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset(
                "Skills and experience",
                Field("skills", wrapper_class="skill-grid"),
                "other_skills",
                "bio",
                "linkedin_url",
                "github_url",
                "portfolio_url",
                "resume",
                *(["remove_resume"] if has_resume else []),
            ),
            Fieldset(
                "Eligibility",
                "work_authorization",
                "authorization_document",
                Div(
                    Div("authorization_valid_from", css_class="col-md-6"),
                    Div("authorization_valid_until", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset("Privacy", "show_evaluations_to_employers", "discoverable", "contactable"),
        )

    def clean_resume(self):
        upload = self.cleaned_data.get("resume")
        if upload:
            validate_resume(upload)
        return upload

    def clean_authorization_document(self):
        upload = self.cleaned_data.get("authorization_document")
        if upload:
            validate_authorization_document(upload)
        return upload

    def clean_linkedin_url(self):
        url = self.cleaned_data["linkedin_url"]
        if url:
            validate_profile_url(
                url, hosts=("linkedin.com",), example="https://www.linkedin.com/in/your-name"
            )
        return url

    def clean_github_url(self):
        url = self.cleaned_data["github_url"]
        if url:
            validate_profile_url(url, hosts=("github.com",), example="https://github.com/your-name")
        return url

    def clean(self):
        cleaned = super().clean()
        names = [s.name for s in cleaned.get("skills") or []]
        names += (cleaned.get("other_skills") or "").split(",")
        try:
            cleaned["skill_names"] = clean_skill_names(names)
        except ValidationError as error:
            self.add_error("other_skills", error)
            return cleaned
        if not cleaned["skill_names"]:
            self.add_error("other_skills", "Choose at least one skill above, or add your own here.")
        elif len(cleaned["skill_names"]) > MAX_SKILLS:
            self.add_error("other_skills", f"Choose at most {MAX_SKILLS} skills in all.")
        start, end = (
            cleaned.get("authorization_valid_from"),
            cleaned.get("authorization_valid_until"),
        )
        if start and end and end < start:
            self.add_error("authorization_valid_until", "The end date is before the start date.")
        if cleaned.get("resume") and cleaned.get("remove_resume"):
            self.add_error(
                "remove_resume", "Either upload a new résumé or remove the current one, not both."
            )
        return cleaned


class EmployerProfileForm(forms.Form):
    job_title = forms.CharField(max_length=120, label="Your job title")
    name = forms.CharField(max_length=200, label="Organization name")
    website = forms.URLField(
        max_length=300, assume_scheme="https", help_text="We use it to verify your organization."
    )
    industry = forms.ChoiceField(
        choices=[("", "Choose an industry")] + Organization.Industry.choices
    )
    size = forms.ChoiceField(
        choices=[("", "Choose a size")] + Organization.Size.choices, label="Organization size"
    )
    description = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What your organization does, in a few sentences students will read.",
    )
    registration_number = forms.CharField(
        max_length=40,
        required=False,
        label="Registration number (optional)",
        help_text="EIN, company number or charity number: it helps us verify you faster.",
    )
    linkedin_url = forms.URLField(
        max_length=300, required=False, assume_scheme="https", label="LinkedIn page (optional)"
    )
    address = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Postal address (optional)",
        help_text="Students on OPT must report their employer's address to the government: "
        "it appears on their employment log.",
    )
    confirm_new = forms.BooleanField(
        required=False,
        label="None of these is my organization: register a new one",
    )

    def __init__(self, *args, organization_locked: bool = False, offer_new: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if organization_locked:
            # Members read the organization's details; its admins change them.
            for name in (
                "name",
                "website",
                "industry",
                "size",
                "description",
                "registration_number",
                "linkedin_url",
                "address",
            ):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Only your organization's admins change this."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("Your role", "job_title"),
            Fieldset(
                "Organization",
                "name",
                "website",
                Div(
                    Div("industry", css_class="col-md-6"),
                    Div("size", css_class="col-md-6"),
                    css_class="row",
                ),
                "description",
                Div(
                    Div("registration_number", css_class="col-md-6"),
                    Div("linkedin_url", css_class="col-md-6"),
                    css_class="row",
                ),
                "address",
            ),
        )
        if offer_new:
            # Offered once existing organizations with this name or domain were shown.
            self.helper.layout.append(Field("confirm_new"))
        else:
            del self.fields["confirm_new"]


class CareerStaffDetailsForm(forms.Form):
    job_title = forms.CharField(max_length=120, required=False, label="Your job title")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class StaffAccessRequestForm(forms.Form):
    first_name = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label="Work email address",
        help_text="Use your school address: we check it against the school's domain.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    school = forms.ModelChoiceField(
        queryset=School.objects.filter(is_active=True), empty_label="Choose your school"
    )
    job_title = forms.CharField(max_length=120, label="Your job title")
    message = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything we should know",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div(
                Div("first_name", css_class="col-md-6"),
                Div("last_name", css_class="col-md-6"),
                css_class="row",
            ),
            "email",
            "school",
            "job_title",
            "message",
        )

    def clean(self):
        cleaned = super().clean()
        school, email = cleaned.get("school"), cleaned.get("email")
        if school and email and school.email_domain:
            domain = email.rsplit("@", 1)[-1].lower()
            expected = school.email_domain.lower()
            if domain != expected and not domain.endswith("." + expected):
                self.add_error(
                    "email", f"Use your {school.name} address (ending in @{school.email_domain})."
                )
        return cleaned


class AffiliationClaimForm(forms.Form):
    statement = forms.CharField(
        label="What should career services check?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example your student ID, your program and the year you started. "
        "Career services at your school read it and confirm you.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class JoinRequestForm(forms.Form):
    job_title = forms.CharField(max_length=120, label="Your job title")
    message = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="A word for the organization's admins (optional)",
    )


class InvitationAcceptForm(forms.Form):
    job_title = forms.CharField(max_length=120, label="Your job title")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class InviteForm(forms.Form):
    email = forms.EmailField(label="Colleague's work email")
    role = forms.ChoiceField(
        choices=[(TeamRole.MEMBER, TeamRole.MEMBER.label), (TeamRole.ADMIN, TeamRole.ADMIN.label)],
        initial=TeamRole.MEMBER,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class DecisionNoteForm(forms.Form):
    note = forms.CharField(max_length=1000, required=False, label="Note to them (optional)")


class ColleagueChoiceForm(forms.Form):
    """Choose a colleague on the team (who takes a removed member's projects, or the new
    owner); `colleagues` are the team's profiles offered."""

    colleague = forms.TypedChoiceField(coerce=int, label="Colleague")

    def __init__(self, *args, colleagues=(), label="Colleague", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].label = label
        self.fields["colleague"].choices = [
            (p.user_id, f"{p.user.get_full_name()} ({p.user.email})") for p in colleagues
        ]


class TeamSettingsForm(forms.Form):
    auto_join_domain = forms.BooleanField(
        required=False, label="Let colleagues at our domain join without approval"
    )


class SchoolAwareLoginForm(LoginForm):
    """allauth's login form, refusing the password of staff whose school requires its
    single sign-on (checked after the password, so it tells nothing about other accounts)."""

    def clean(self):
        cleaned_data = super().clean()
        if self.user is not None and not self.errors:
            from accounts.sso import sign_on_required_for

            school = sign_on_required_for(self.user)
            if school is not None:
                raise ValidationError(
                    f"{school.name} requires its staff to sign in through the school: use "
                    f"the “Sign in with {school.short_name or school.name}” button below.",
                    code="sso_required",
                )
        return cleaned_data

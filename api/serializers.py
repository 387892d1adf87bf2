"""What the API returns, and the input of a new project. Read-only serializers only shape
rows that selectors and services produced; the project input is checked by the web form
(`ProjectForm`) and the service, so the API enforces the same rules as the page."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.scopes import SCOPES
from engagements.models import EngagementStatus, MilestoneStatus
from projects.models import ApplicationStatus, Category, ProjectStatus


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    role = serializers.CharField()
    organization_id = serializers.IntegerField(allow_null=True)
    school_id = serializers.IntegerField(allow_null=True)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=list(SCOPES)))
    token = serializers.CharField(allow_null=True, help_text="The token's name, if one is used.")


# --- Projects ---------------------------------------------------------------------------------


class MilestonePlanSerializer(serializers.Serializer):
    """One part of a fee split into milestones: what is delivered, its share of the hours,
    its amount. The amounts add up to the fee."""

    number = serializers.IntegerField()
    title = serializers.CharField()
    deliverable = serializers.CharField()
    hours = serializers.FloatField()
    amount_cents = serializers.IntegerField()


class MilestoneSerializer(MilestonePlanSerializer):
    """A milestone of an engagement, submitted, approved and paid on its own."""

    status = serializers.ChoiceField(choices=MilestoneStatus.choices)
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)


def _by_number(rows) -> list:
    return sorted(rows, key=lambda row: row.number)


class ProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    description = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    deliverables = serializers.CharField()
    skills = serializers.SerializerMethodField()
    hours = serializers.IntegerField()
    fee_cents = serializers.IntegerField()
    days_to_complete = serializers.IntegerField()
    apply_by = serializers.DateField()
    openings = serializers.IntegerField()
    is_remote = serializers.BooleanField()
    location = serializers.CharField()
    questions = serializers.SerializerMethodField()
    milestones = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=ProjectStatus.choices)
    created_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_skills(self, project) -> list[str]:
        return sorted(skill.name for skill in project.skills.all())

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_questions(self, project) -> list[str]:
        return [q.text for q in sorted(project.questions.all(), key=lambda q: q.position)]

    @extend_schema_field(MilestonePlanSerializer(many=True))
    def get_milestones(self, project) -> list[dict]:
        """The fee's milestones, in order; empty when it is paid in one go."""
        return MilestonePlanSerializer(_by_number(project.milestones.all()), many=True).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, project) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("projects:detail", args=[project.pk])
        )


class ProjectInputSerializer(serializers.Serializer):
    """A new draft. Only the shape is checked here; the rules of the field (hours, the
    hourly floor, apply-by dates, openings, location) are the web form's and the service's."""

    title = serializers.CharField(max_length=120)
    summary = serializers.CharField(max_length=280)
    description = serializers.CharField(max_length=10000)
    category = serializers.ChoiceField(choices=Category.choices)
    deliverables = serializers.CharField(max_length=3000)
    skills = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, default=list, max_length=20
    )
    hours = serializers.IntegerField(min_value=0, max_value=1000)
    fee_cents = serializers.IntegerField(
        min_value=0, max_value=10_000_000, help_text="The fee in US cents."
    )
    days_to_complete = serializers.IntegerField(min_value=0, max_value=1000)
    apply_by = serializers.DateField()
    openings = serializers.IntegerField(min_value=1, max_value=10, required=False, default=1)
    is_remote = serializers.BooleanField(required=False, default=True)
    location = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    questions = serializers.ListField(
        child=serializers.CharField(max_length=300, allow_blank=True),
        required=False,
        default=list,
        max_length=3,
        help_text="Up to three screening questions.",
    )


# --- Applicants and applications --------------------------------------------------------------


class ApplicantSerializer(serializers.Serializer):
    """One applicant as the employer sees them: blind until shortlisted, as on the page."""

    application_id = serializers.IntegerField(source="application.pk")
    number = serializers.IntegerField(help_text="Arrival order: “Applicant 3” until revealed.")
    revealed = serializers.BooleanField()
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, source="application.status")
    applied_at = serializers.DateTimeField(source="application.created_at")
    name = serializers.SerializerMethodField()
    school = serializers.SerializerMethodField()
    major = serializers.SerializerMethodField()
    graduation_year = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()
    bio = serializers.CharField()
    cover_note = serializers.CharField(source="application.cover_note")
    answers = serializers.SerializerMethodField()
    blockers = serializers.ListField(child=serializers.CharField())

    def _profile(self, item):
        return getattr(item.application.student, "student_profile", None)

    @extend_schema_field(serializers.CharField())
    def get_name(self, item) -> str:
        if item.revealed:
            return item.application.student.get_full_name()
        return f"Applicant {item.number}"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_school(self, item) -> str | None:
        profile = self._profile(item)
        return profile.school.name if item.revealed and profile else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_major(self, item) -> str | None:
        profile = self._profile(item)
        return profile.major if item.revealed and profile else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_graduation_year(self, item) -> int | None:
        profile = self._profile(item)
        return profile.graduation_year if item.revealed and profile else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_skills(self, item) -> list[str]:
        profile = self._profile(item)
        return sorted(s.name for s in profile.skills.all()) if profile else []

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_answers(self, item) -> list[dict]:
        return [
            {"question": a.question.text, "answer": a.text} for a in item.application.answers.all()
        ]


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProjectRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = ProjectRefSerializer()
    organization = NamedSerializer(source="project.organization")
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    cover_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


# --- Engagements --------------------------------------------------------------------------------


class StudentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class EngagementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = ProjectRefSerializer()
    organization = NamedSerializer()
    student = StudentRefSerializer()
    status = serializers.ChoiceField(choices=EngagementStatus.choices)
    fee_cents = serializers.IntegerField()
    hours_cap = serializers.FloatField(source="cap_hours")
    hours_logged = serializers.SerializerMethodField()
    accepted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    funded_at = serializers.DateTimeField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    milestones = serializers.SerializerMethodField()

    def get_hours_logged(self, engagement) -> float:
        return engagement.logged_quarters / 4

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, engagement) -> list[dict]:
        """The engagement's milestones and where each stands; empty when the fee is paid in
        one go."""
        return MilestoneSerializer(_by_number(engagement.milestones.all()), many=True).data


class IntegritySerializer(serializers.Serializer):
    """The figures career services watch (oversight.integrity), computed in the database."""

    hours_percent = serializers.FloatField()
    effective_rate_cents = serializers.FloatField(allow_null=True)
    sessions_planned = serializers.IntegerField()
    sessions_held = serializers.IntegerField()
    sessions_missed = serializers.IntegerField()
    last_session_held_at = serializers.DateTimeField(allow_null=True)
    average_review_hours = serializers.SerializerMethodField()
    flag_hours = serializers.BooleanField()
    flag_rate = serializers.BooleanField()
    flag_no_recent_session = serializers.BooleanField()
    flag_supervision = serializers.BooleanField()
    flag_overdue = serializers.BooleanField()

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_average_review_hours(self, engagement) -> float | None:
        value = engagement.average_review_time
        return round(value.total_seconds() / 3600, 1) if value is not None else None


class SchoolEngagementSerializer(EngagementSerializer):
    integrity = IntegritySerializer(source="*")


# --- The school -----------------------------------------------------------------------------------


class SchoolStudentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user_id")
    name = serializers.CharField(source="user.get_full_name")
    email = serializers.EmailField(source="user.email")
    major = serializers.CharField()
    graduation_year = serializers.IntegerField(allow_null=True)
    work_authorization = serializers.CharField()
    skills = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_skills(self, profile) -> list[str]:
        return sorted(s.name for s in profile.skills.all())


class EvaluationSerializer(serializers.Serializer):
    """The scores an employer gave a student at the end of an engagement."""

    id = serializers.IntegerField()
    engagement_id = serializers.IntegerField()
    student = StudentRefSerializer(source="engagement.student")
    organization = NamedSerializer(source="engagement.organization")
    project = ProjectRefSerializer(source="engagement.project")
    scores = serializers.SerializerMethodField()
    average = serializers.FloatField()
    would_work_again = serializers.BooleanField()
    interested_full_time = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_scores(self, evaluation) -> dict:
        return {name: getattr(evaluation, name) for name in evaluation.SCORES}


class FlagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.CharField(help_text="Empty when raised by a staff member.")
    reason = serializers.SerializerMethodField()
    note = serializers.CharField()
    status = serializers.CharField()
    engagement_id = serializers.IntegerField(allow_null=True)
    organization = NamedSerializer(allow_null=True)
    follow_up_on = serializers.DateField(allow_null=True)
    raised_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)

    def get_reason(self, flag) -> str:
        return flag.get_rule_display() or "Raised by staff"


class CategoryFigureSerializer(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)


class EmployerFigureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    engagements = serializers.IntegerField()
    completed = serializers.IntegerField()
    reviews = serializers.IntegerField()
    rating = serializers.FloatField(allow_null=True)
    interested = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    """The school dashboard's figures for a term (oversight.dashboard.school_figures)."""

    term = serializers.CharField(allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField()
    students_applied = serializers.IntegerField()
    students_accepted = serializers.IntegerField()
    students_completed = serializers.IntegerField()
    engagements_accepted = serializers.IntegerField()
    engagements_completed = serializers.IntegerField()
    engagements_ended = serializers.IntegerField()
    engagements_under_way = serializers.IntegerField()
    hours_logged = serializers.FloatField()
    earnings_cents = serializers.IntegerField()
    median_rate_cents = serializers.IntegerField(allow_null=True)
    completion_rate = serializers.FloatField(allow_null=True)
    on_time = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    sessions_due = serializers.IntegerField()
    sessions_held = serializers.IntegerField()
    supervision_rate = serializers.FloatField(allow_null=True)
    interested_full_time = serializers.IntegerField()
    categories = CategoryFigureSerializer(many=True)
    employers = EmployerFigureSerializer(many=True)


# --- Records ----------------------------------------------------------------------------------


class RecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    project = ProjectRefSerializer(source="engagement.project")
    organization = NamedSerializer(source="engagement.organization")
    approved_at = serializers.DateTimeField(source="engagement.approved_at", allow_null=True)
    is_public = serializers.BooleanField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    verify_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_verify_url(self, record) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("outcomes:verify", args=[record.code])
        )

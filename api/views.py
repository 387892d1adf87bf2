"""The REST API's endpoints. Thin: each checks the role and the token's scope
(api.permissions), reads through the apps' selectors and access helpers, and changes
through their services; career services' rows come through the admin's scope
(api.scoping). Lists are cursor-paginated and cost a fixed number of queries."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from accounts.audit import audit
from accounts.models import Role, StudentProfile
from api import serializers as s
from api.errors import NON_FIELD
from api.models import ApiToken
from api.pagination import Cursor
from api.scopes import SCOPES_OF
from api.scoping import school_rows
from api.tokens import holder_of
from engagements.models import Engagement
from engagements.selectors import applicant_rows, describe_applicants
from feedback.models import StudentEvaluation
from marketplace.forms import add_service_errors
from marketplace.terms import parse_term, term_for
from outcomes.records import experiences_of
from oversight.dashboard import Period, RangeForm, school_figures
from oversight.integrity import with_integrity
from oversight.models import Flag
from projects import services as project_services
from projects.forms import ProjectForm
from projects.models import Application, Project
from projects.selectors import project_for_employer_or_404

STUDENT, EMPLOYER, STAFF = Role.STUDENT, Role.EMPLOYER, Role.CAREER_STAFF


def cursor(*ordering: str) -> type[Cursor]:
    return type("Cursor", (Cursor,), {"ordering": ordering})


class ApiView(GenericAPIView):
    allowed_roles: frozenset[str] = frozenset()
    required_scope: str | None = None

    def initial(self, request, *args, **kwargs):
        """DRF's order, but the rate limit before the permissions: refused calls count too,
        so anonymous callers are limited like everyone else."""
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(
            request
        )
        request.version, request.versioning_scheme = self.determine_version(
            request, *args, **kwargs
        )
        self.perform_authentication(request)
        self.check_throttles(request)
        self.check_permissions(request)

    @property
    def faking(self) -> bool:
        """drf-spectacular builds the schema with a stand-in request and no user."""
        return getattr(self, "swagger_fake_view", False)

    def organization_id(self) -> int:
        return self.request.user.employer_profile.organization_id

    def school_id(self) -> int:
        return self.request.user.career_staff_profile.school_id


class ApiList(ApiView, ListAPIView):
    pass


def audit_api_write(request, *, action: str, target, what: str) -> None:
    """Which credential made a change: the service audits the change itself as the token's
    maker; this adds the token or OAuth2 client, in the same transaction."""
    token = request.auth if isinstance(request.auth, ApiToken) else None
    client = getattr(request, "api_client", None)
    if token is not None:
        via, data = f"the API token “{token.name}” ({token.prefix}…)", {"token": token.prefix}
    elif client is not None:
        via, data = f"the OAuth2 client “{client.name}”", {"client_id": client.client_id}
    else:
        via, data = "the API, signed in", {}
    audit(
        actor=request.user,
        action=f"api.{action}",
        target=target,
        summary=f"{request.user.email} {what} through {via}",
        data=data,
    )


# --- Everyone ---------------------------------------------------------------------------------


class MeView(ApiView):
    """Who the credential acts as, and what it may do."""

    allowed_roles = frozenset({STUDENT, EMPLOYER, STAFF})
    serializer_class = s.MeSerializer

    def get(self, request):
        user = request.user
        holder = holder_of(user)
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None:
            scopes = token.scopes
        elif request.auth is not None:  # an OAuth2 access token
            scopes = sorted(request.auth.scope.split())
        else:
            scopes = list(SCOPES_OF[holder.kind]) if holder else []
        data = {
            "id": user.pk,
            "email": user.email,
            "name": user.get_full_name(),
            "role": user.role,
            "organization_id": holder.organization_id if holder else None,
            "school_id": holder.school_id if holder else None,
            "scopes": scopes,
            "token": token.name if token else None,
        }
        return Response(s.MeSerializer(data).data)


# --- Employers: projects, applicants ---------------------------------------------------------


def _project_rows():
    return Project.objects.select_related("organization").prefetch_related(
        "skills", "questions", "milestones"
    )


# The web form's fields for the API's: errors found by the form are reported under the
# API's names.
FORM_TO_API = {
    "fee": "fee_cents",
    "other_skills": "skills",
    "question_1": "questions",
    "question_2": "questions",
    "question_3": "questions",
    "__all__": NON_FIELD,
}


def _form_data(data: dict) -> dict:
    questions = list(data["questions"]) + ["", "", ""]
    fee = data["fee_cents"]
    return {
        "title": data["title"],
        "summary": data["summary"],
        "description": data["description"],
        "category": data["category"],
        "other_skills": ", ".join(data["skills"]),
        "deliverables": data["deliverables"],
        "hours": data["hours"],
        "fee": f"{fee // 100}.{fee % 100:02d}",
        "days_to_complete": data["days_to_complete"],
        "apply_by": data["apply_by"].isoformat(),
        "openings": data["openings"],
        "is_remote": "on" if data["is_remote"] else "",
        "location": data["location"],
        **{f"question_{i}": questions[i - 1] for i in (1, 2, 3)},
    }


def _form_errors(form) -> ValidationError:
    fields: dict[str, list[str]] = {}
    for name, errors in form.errors.items():
        fields.setdefault(FORM_TO_API.get(name, name), []).extend(errors)
    return ValidationError(fields)


class ProjectListView(ApiList):
    """The organization's projects, newest first; POST makes a draft."""

    allowed_roles = frozenset({EMPLOYER})
    required_scopes = {"GET": "projects:read", "POST": "projects:write"}
    serializer_class = s.ProjectSerializer
    pagination_class = cursor("-created_at", "-pk")

    def get_queryset(self):
        if self.faking:
            return Project.objects.none()
        return _project_rows().filter(organization_id=self.organization_id())

    @extend_schema(request=s.ProjectInputSerializer, responses={201: s.ProjectSerializer})
    def post(self, request):
        """A new draft, checked by the same form and service as the web page's."""
        shape = s.ProjectInputSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        if any("," in name for name in shape.validated_data["skills"]):
            raise ValidationError({"skills": ["One skill per item, without commas."]})
        form = ProjectForm(data=_form_data(shape.validated_data))
        if not form.is_valid():
            raise _form_errors(form)
        try:
            with transaction.atomic():
                project = project_services.project_create(actor=request.user, data=form.to_data())
                audit_api_write(
                    request,
                    action="project_created",
                    target=project,
                    what=f"drafted “{project.title}”",
                )
        except DjangoValidationError as error:
            add_service_errors(form, error)
            raise _form_errors(form) from error
        project = _project_rows().get(pk=project.pk)
        return Response(
            s.ProjectSerializer(project, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ProjectDetailView(ApiView):
    allowed_roles = frozenset({EMPLOYER})
    required_scope = "projects:read"
    serializer_class = s.ProjectSerializer

    def get(self, request, pk: int):
        project_for_employer_or_404(request.user, pk)
        project = _project_rows().get(pk=pk)
        return Response(s.ProjectSerializer(project, context={"request": request}).data)


class _ProjectChange(ApiView):
    allowed_roles = frozenset({EMPLOYER})
    required_scope = "projects:write"
    serializer_class = s.ProjectSerializer
    service = None
    action_name = ""
    verb = ""

    @extend_schema(request=None, responses={200: s.ProjectSerializer})
    def post(self, request, pk: int):
        project = project_for_employer_or_404(request.user, pk)
        with transaction.atomic():
            before = project.status
            project = type(self).service(actor=request.user, project=project)
            if project.status != before:
                audit_api_write(
                    request,
                    action=self.action_name,
                    target=project,
                    what=f"{self.verb} “{project.title}”",
                )
        project = _project_rows().get(pk=pk)
        return Response(s.ProjectSerializer(project, context={"request": request}).data)


class ProjectPublishView(_ProjectChange):
    """Open a draft for applications: only a verified organization, with terms and an
    apply-by date the rules accept (as the web page's Publish button)."""

    service = project_services.project_publish
    action_name = "project_published"
    verb = "published"


class ProjectCloseView(_ProjectChange):
    """Stop taking applications to an open project."""

    service = project_services.project_close
    action_name = "project_closed"
    verb = "closed applications for"


class ApplicantListView(ApiList):
    """A project's applicants in the order they arrived, blind until shortlisted: no name,
    school, major or graduation year, and a bio masked of what identifies them."""

    allowed_roles = frozenset({EMPLOYER})
    required_scope = "applicants:read"
    serializer_class = s.ApplicantSerializer
    pagination_class = cursor("created_at", "pk")

    def get_queryset(self):
        if self.faking:
            return Application.objects.none()
        self.project = project_for_employer_or_404(self.request.user, self.kwargs["pk"])
        return applicant_rows(Application.objects.filter(project=self.project))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        first_number = 1
        if page:
            first = page[0]
            first_number += (
                Application.objects.filter(project=self.project)
                .filter(
                    Q(created_at__lt=first.created_at)
                    | Q(created_at=first.created_at, pk__lt=first.pk)
                )
                .count()
            )
        applicants = describe_applicants(self.project, page, first_number=first_number)
        return self.get_paginated_response(self.get_serializer(applicants, many=True).data)


# --- Employers and students: engagements --------------------------------------------------------


def _engagements_of(user):
    rows = Engagement.objects.select_related("project", "organization", "student").prefetch_related(
        "milestones"
    )
    if user.role == EMPLOYER:
        return rows.filter(organization_id=user.employer_profile.organization_id)
    return rows.filter(student=user)


class EngagementListView(ApiList):
    """An employer's organization's engagements, or a student's own; newest first."""

    allowed_roles = frozenset({EMPLOYER, STUDENT})
    required_scope = "engagements:read"
    serializer_class = s.EngagementSerializer
    pagination_class = cursor("-accepted_at", "-pk")

    def get_queryset(self):
        if self.faking:
            return Engagement.objects.none()
        return _engagements_of(self.request.user)


class EngagementDetailView(ApiView):
    allowed_roles = frozenset({EMPLOYER, STUDENT})
    required_scope = "engagements:read"
    serializer_class = s.EngagementSerializer

    def get(self, request, pk: int):
        engagement = _engagements_of(request.user).filter(pk=pk).first()
        if engagement is None:
            raise Http404("No such engagement.")
        return Response(s.EngagementSerializer(engagement).data)


# --- Students ---------------------------------------------------------------------------------


class ApplicationListView(ApiList):
    """The student's own applications, newest first."""

    allowed_roles = frozenset({STUDENT})
    required_scope = "applications:read"
    serializer_class = s.ApplicationSerializer
    pagination_class = cursor("-created_at", "-pk")

    def get_queryset(self):
        if self.faking:
            return Application.objects.none()
        return Application.objects.filter(student=self.request.user).select_related(
            "project__organization"
        )


class RecordListView(ApiList):
    """The student's verified records (outcomes.records), newest first."""

    allowed_roles = frozenset({STUDENT})
    required_scope = "records:read"
    serializer_class = s.RecordSerializer
    pagination_class = cursor("-created_at", "-pk")

    def get_queryset(self):
        if self.faking:
            return Engagement.objects.none()
        return experiences_of(self.request.user)


# --- Career services: their school ------------------------------------------------------------


class _SchoolList(ApiList):
    allowed_roles = frozenset({STAFF})
    required_scope = "school:read"


class SchoolStudentListView(_SchoolList):
    """The school's students whose affiliation is verified (as in the admin)."""

    serializer_class = s.SchoolStudentSerializer
    pagination_class = cursor("-user_id")

    def get_queryset(self):
        if self.faking:
            return StudentProfile.objects.none()
        return (
            school_rows(StudentProfile, self.school_id())
            .select_related("user")
            .prefetch_related("skills")
        )


class SchoolEngagementListView(_SchoolList):
    """The school's engagements with the integrity figures career services watch."""

    serializer_class = s.SchoolEngagementSerializer
    pagination_class = cursor("-accepted_at", "-pk")

    def get_queryset(self):
        if self.faking:
            return Engagement.objects.none()
        rows = (
            school_rows(Engagement, self.school_id())
            .select_related("project", "organization", "student")
            .prefetch_related("milestones")
        )
        return with_integrity(rows)


class SchoolEvaluationListView(_SchoolList):
    """Employers' final evaluations of the school's students: scores, no free text."""

    serializer_class = s.EvaluationSerializer
    pagination_class = cursor("-submitted_at", "-pk")

    def get_queryset(self):
        if self.faking:
            return StudentEvaluation.objects.none()
        return school_rows(StudentEvaluation, self.school_id()).select_related(
            "engagement__student", "engagement__organization", "engagement__project"
        )


class SchoolFlagListView(_SchoolList):
    """The school's flags, and every school's flags about an employer (as in the admin)."""

    serializer_class = s.FlagSerializer
    pagination_class = cursor("-raised_at", "-pk")

    def get_queryset(self):
        if self.faking:
            return Flag.objects.none()
        return school_rows(Flag, self.school_id()).select_related("organization")


class SchoolDashboardView(ApiView):
    """The school dashboard's figures for a term (default: the current one) or a range."""

    allowed_roles = frozenset({STAFF})
    required_scope = "school:read"
    serializer_class = s.DashboardSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("term", str, description="A term, e.g. 2026-fall."),
            OpenApiParameter("start", OpenApiTypes.DATE, description="First day of a range."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last day of a range."),
        ]
    )
    def get(self, request):
        params = request.query_params
        if params.get("start") or params.get("end"):
            form = RangeForm(params)
            if not form.is_valid():
                raise _form_errors(form)
            period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
            slug = None
        elif params.get("term"):
            period = parse_term(params["term"])
            if period is None:
                raise ValidationError({"term": ["Name a term like 2026-fall."]})
            slug = period.slug
        else:
            period = term_for(timezone.localdate())
            slug = period.slug
        figures = school_figures(self.school_id(), period)
        return Response(s.DashboardSerializer({"term": slug, **figures}).data)

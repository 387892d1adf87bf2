"""Reads for project pages. Each page runs a fixed number of queries, whatever the data."""

import dataclasses
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404, QueryDict
from django.utils.functional import cached_property

from accounts.blind import blind_bio
from accounts.models import Role, StudentProfile, organizations_taking_students
from accounts.selectors import acceptance_blocker
from marketplace.forms import MoneyField
from projects.filters import ProjectFilter
from projects.models import (
    LIVE_ENGAGEMENT_STATUSES,
    PUBLISHED_STATUSES,
    WORKING_STATUSES,
    Application,
    ApplicationStatus,
    Engagement,
    EngagementStatus,
    Message,
    Project,
    ProjectStatus,
    ScopeExtension,
    Submission,
    SubmissionFile,
    TimeEntry,
)
from projects.rules import apply_by_today

PAGE_SIZE = 20
MAX_SEARCH_WORDS = 8
# Past this many results nobody pages on; counting further only costs time.
COUNT_CAP = 1000
# A keyword search ranks the most recent matches up to this many (see search()).
SEARCH_CANDIDATES = 500


class CappedPaginator(Paginator):
    """Counts results up to COUNT_CAP + 1 (shown as "1,000+") instead of all of them."""

    def __init__(self, *args, known_count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        return self.object_list.order_by().values("pk")[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


def open_projects() -> QuerySet[Project]:
    """Projects a student can apply to today (`Project.is_open_for_applications`): open, before
    their apply-by date, of an organization that can take students (verified, not suspended)."""
    return Project.objects.filter(
        organizations_taking_students("organization__"),
        status=ProjectStatus.OPEN,
        apply_by__gte=apply_by_today(),
    )


def search(queryset: QuerySet[Project], text: str) -> tuple[QuerySet[Project], int | None]:
    """Keyword search, annotated with a `rank` (higher is better), and the number of
    results when the search already knows it.

    PostgreSQL: full-text search with English stemming and weights (title,
    then summary, then description), served by a GIN index. SQLite: every
    word must appear somewhere; title matches rank first.
    """
    text = " ".join(text.split())[:200]
    if not text:
        return queryset.annotate(rank=Value(0, output_field=IntegerField())), None
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config="english")
        # Rank the most recent SEARCH_CANDIDATES matches: a broad word can match
        # thousands of projects, and ranking every one reads every row. Their ids
        # are fetched once, so counting and ranking do not search again.
        candidates = list(
            queryset.filter(search_document=query)
            .order_by("-published_at")
            .values_list("pk", flat=True)[:SEARCH_CANDIDATES]
        )
        ranked = (
            # One array parameter instead of hundreds of placeholders.
            Project.objects.filter(
                RawSQL('"projects_project"."id" = ANY(%s)', (candidates,), BooleanField())
            )
            .select_related("organization")
            .annotate(rank=SearchRank(F("search_document"), query))
        )
        return ranked, len(candidates)
    words = text.split()[:MAX_SEARCH_WORDS]
    rank = Value(0, output_field=IntegerField())
    for word in words:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(deliverables__icontains=word)
        )
        rank = (
            rank
            + Case(When(title__icontains=word, then=3), default=0)
            + Case(When(summary__icontains=word, then=2), default=0)
        )
    return queryset.annotate(rank=rank), None


def _student_skill_ids(viewer) -> list[int]:
    if not (viewer.is_authenticated and viewer.role == Role.STUDENT):
        return []
    through = StudentProfile.skills.through
    return list(
        through.objects.filter(studentprofile_id=viewer.pk).values_list("skill_id", flat=True)
    )


@dataclass
class ActiveFilter:
    label: str
    remove_url: str


@dataclass
class BrowseResult:
    filterset: ProjectFilter
    page: Page
    sort: str
    notice: str
    active_filters: list[ActiveFilter]
    applied_project_ids: set[int]


def _active_filters(filterset: ProjectFilter, params: QueryDict) -> list[ActiveFilter]:
    """Each filter in use, with the address of the same search without it."""
    active = []
    if not filterset.form.is_valid():
        return active
    data = filterset.form.cleaned_data
    for name, field in filterset.form.fields.items():
        if name in ("sort",):
            continue
        value = data.get(name)
        if value in (None, "", [], False) or (hasattr(value, "exists") and not value.exists()):
            continue
        if name == "category":
            shown = ", ".join(dict(field.choices).get(v, v) for v in value)
        elif name == "skills":
            shown = ", ".join(s.name for s in value)
        elif name == "posted":
            shown = dict(field.choices).get(value, value)
        elif name == "remote":
            shown = "yes"
        elif isinstance(field, MoneyField):  # cents, shown in dollars as typed
            shown = f"{value // 100:,}" if value % 100 == 0 else f"{value / 100:,.2f}"
        else:
            shown = str(value).rstrip("0").rstrip(".") if "." in str(value) else str(value)
        rest = params.copy()
        rest.pop(name, None)
        rest.pop("page", None)
        active.append(ActiveFilter(f"{field.label}: {shown}", "?" + urlencode(rest, doseq=True)))
    return active


def browse(*, params: QueryDict, viewer) -> BrowseResult:
    """Open projects, filtered, searched, sorted and paginated (20 a page)."""
    base = open_projects().select_related("organization")
    filterset = ProjectFilter(params, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    data = filterset.form.cleaned_data if filterset.is_valid() else {}

    text = (data.get("q") or "").strip()
    sort = data.get("sort") or ("relevance" if text else "newest")
    notice = ""
    known_count = None
    if text:
        queryset, known_count = search(queryset, text)
    elif sort == "relevance":
        sort = "newest"

    if sort == "match":
        skill_ids = _student_skill_ids(viewer)
        if skill_ids:
            through = Project.skills.through
            overlap = (
                through.objects.filter(project_id=OuterRef("pk"), skill_id__in=skill_ids)
                .order_by()
                .values("project_id")
                .annotate(n=Count("pk"))
                .values("n")
            )
            queryset = queryset.annotate(
                match=Coalesce(Subquery(overlap, output_field=IntegerField()), 0)
            ).order_by("-match", "-published_at", "-pk")
        else:
            notice = (
                "Best match compares a project's skills with your profile's skills: "
                "log in as a student with skills on your profile to use it. Showing newest first."
            )
            sort = "newest"
    orderings = {
        "newest": ("-published_at", "-pk"),
        "fee": ("-fee_cents", "-published_at", "-pk"),
        "rate": ("-hourly_rate_cents", "-published_at", "-pk"),
        "apply_by": ("apply_by", "-published_at", "-pk"),
        "relevance": ("-rank", "-published_at", "-pk"),
    }
    if sort in orderings:
        queryset = queryset.order_by(*orderings[sort])

    paginator = CappedPaginator(
        queryset.prefetch_related("skills"), PAGE_SIZE, known_count=known_count
    )
    page = paginator.get_page(params.get("page"))
    applied = set()
    if viewer.is_authenticated and viewer.role == Role.STUDENT and page.object_list:
        applied = set(
            Application.objects.filter(
                student=viewer, project_id__in=[p.pk for p in page.object_list]
            ).values_list("project_id", flat=True)
        )
    return BrowseResult(
        filterset=filterset,
        page=page,
        sort=sort,
        notice=notice,
        active_filters=_active_filters(filterset, params),
        applied_project_ids=applied,
    )


# --- One project -------------------------------------------------------------------------


def _is_member(viewer, organization_id: int) -> bool:
    if not (viewer.is_authenticated and viewer.role == Role.EMPLOYER):
        return False
    profile = getattr(viewer, "employer_profile", None)
    return profile is not None and profile.organization_id == organization_id


def project_for_viewer_or_404(viewer, project_id: int) -> Project:
    """Published projects are public; drafts and cancelled ones only for their organization."""
    project = (
        Project.objects.select_related("organization")
        .prefetch_related("skills", "questions")
        .annotate(
            accepted_count=Count(
                "applications", filter=Q(applications__status=ApplicationStatus.ACCEPTED)
            )
        )
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        raise Http404("No such project.")
    visible = (
        project.status in PUBLISHED_STATUSES
        or _is_member(viewer, project.organization_id)
        or (viewer.is_authenticated and viewer.is_platform_admin)
    )
    if not visible:
        raise Http404("No such project.")
    project.openings_left = max(project.openings - project.accepted_count, 0)
    return project


def project_for_employer_or_404(viewer, project_id: int) -> Project:
    """A project of the employer's own organization, any status; 404 for anyone else's."""
    project = (
        Project.objects.select_related("organization")
        .prefetch_related("skills", "questions")
        .filter(pk=project_id)
        .first()
    )
    if project is None or not _is_member(viewer, project.organization_id):
        raise Http404("No such project.")
    return project


@dataclass
class ApplyState:
    """What the project page offers the viewer: apply, applied, closed, log in, or nothing."""

    # "apply" | "applied" | "closed" | "paused" | "login" | "owner" | "not_student"
    kind: str
    application: Application | None = None


def apply_state(viewer, project: Project) -> ApplyState:
    if not viewer.is_authenticated:
        return ApplyState("login")
    if _is_member(viewer, project.organization_id):
        return ApplyState("owner")
    if viewer.role != Role.STUDENT:
        return ApplyState("not_student")
    application = (
        Application.objects.filter(project=project, student=viewer)
        .select_related("engagement")
        .first()
    )
    if application is not None:
        return ApplyState("applied", application)
    if project.status == ProjectStatus.OPEN and not project.organization.can_take_students:
        return ApplyState("paused")  # back once the platform has verified the organization
    if not project.is_open_for_applications or getattr(project, "openings_left", 1) == 0:
        return ApplyState("closed")
    return ApplyState("apply")


# --- The employer's projects --------------------------------------------------------------


STATUS_ORDER = [
    ProjectStatus.OPEN,
    ProjectStatus.DRAFT,
    ProjectStatus.CLOSED,
    ProjectStatus.COMPLETED,
    ProjectStatus.CANCELLED,
]


def organization_projects_by_status(organization_id: int) -> list[tuple[str, list[Project]]]:
    """The organization's projects grouped by status, with applicant counts, in one query."""
    projects = (
        Project.objects.filter(organization_id=organization_id)
        .annotate(
            applicant_count=Count(
                "applications", filter=~Q(applications__status=ApplicationStatus.WITHDRAWN)
            ),
            new_count=Count(
                "applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED)
            ),
            accepted_count=Count(
                "applications", filter=Q(applications__status=ApplicationStatus.ACCEPTED)
            ),
        )
        .order_by("-updated_at")
    )
    groups: dict[str, list[Project]] = {status: [] for status in STATUS_ORDER}
    for project in projects:
        groups[project.status].append(project)
    return [(ProjectStatus(s).label, groups[s]) for s in STATUS_ORDER if groups[s]]


# --- Applications -------------------------------------------------------------------------


@dataclass
class Applicant:
    """One application as the employer sees it; blind until shortlisted."""

    application: Application
    number: int
    revealed: bool
    blockers: list[str]
    scores: dict | None = None
    bio: str = ""  # masked of what identifies the student until they are revealed


def _live_engagement_counts(student_ids: list[int]) -> dict[int, int]:
    rows = (
        Engagement.objects.filter(student_id__in=student_ids, status__in=LIVE_ENGAGEMENT_STATUSES)
        .values("student_id")
        .annotate(n=Count("pk"))
    )
    return {row["student_id"]: row["n"] for row in rows}


def blockers_for(profile, live_count: int) -> list[str]:
    reasons = []
    blocker = acceptance_blocker(profile)
    if blocker:
        reasons.append(blocker)
    if live_count >= settings.ACTIVE_ENGAGEMENT_LIMIT:
        reasons.append(
            f"The student already has {live_count} micro-internships under way, the most "
            "allowed at once; they can be accepted when one is finished."
        )
    return reasons


@dataclass(frozen=True)
class ApplicantCounts:
    total: int  # every application but the withdrawn ones, as on the employer's dashboard
    new: int  # still waiting for a first look


def applicant_counts(project: Project) -> ApplicantCounts:
    return ApplicantCounts(
        **Application.objects.filter(project=project)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .aggregate(total=Count("pk"), new=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED)))
    )


def applicants_for_project(project: Project) -> list[Applicant]:
    """Every application of a project, numbered in the order they arrived, in a fixed
    number of queries whatever their count."""
    applications = list(
        Application.objects.filter(project=project)
        .select_related(
            "student", "student__student_profile", "student__student_profile__school", "engagement"
        )
        .prefetch_related("answers__question", "student__student_profile__skills")
        .order_by("created_at", "pk")
    )
    live = _live_engagement_counts([a.student_id for a in applications])
    # Past evaluations, for the students who chose to show them to employers.
    from feedback.selectors import student_scores

    sharing = [
        a.student_id
        for a in applications
        if getattr(
            getattr(a.student, "student_profile", None), "show_evaluations_to_employers", False
        )
    ]
    scores = student_scores(sharing) if sharing else {}
    applicants = []
    for number, application in enumerate(applications, start=1):
        profile = getattr(application.student, "student_profile", None)
        pending = application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED)
        revealed = application.status in (ApplicationStatus.SHORTLISTED, ApplicationStatus.ACCEPTED)
        bio = ""
        if profile is not None:
            bio = profile.bio if revealed else blind_bio(profile)
        applicants.append(
            Applicant(
                application=application,
                number=number,
                revealed=revealed,
                bio=bio,
                blockers=blockers_for(profile, live.get(application.student_id, 0))
                if pending
                else [],
                scores=scores.get(application.student_id),
            )
        )
    order = {
        ApplicationStatus.SHORTLISTED: 0,
        ApplicationStatus.SUBMITTED: 1,
        ApplicationStatus.ACCEPTED: 2,
        ApplicationStatus.DECLINED: 3,
        ApplicationStatus.WITHDRAWN: 4,
    }
    applicants.sort(key=lambda a: (order[a.application.status], a.number))
    return applicants


def application_for_employer_or_404(viewer, application_id: int) -> Application:
    application = (
        Application.objects.select_related("project", "student").filter(pk=application_id).first()
    )
    if application is None or not _is_member(viewer, application.project.organization_id):
        raise Http404("No such application.")
    return application


def application_for_student_or_404(viewer, application_id: int) -> Application:
    application = (
        Application.objects.select_related("project__organization")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not viewer.is_authenticated or application.student_id != viewer.pk:
        raise Http404("No such application.")
    return application


@dataclass
class StudentOverview:
    applications: list[Application]
    engagements: list
    blockers: list[str]


def student_overview(student) -> StudentOverview:
    """The student dashboard's lists, in a fixed number of queries."""
    applications = list(
        Application.objects.filter(student=student)
        .select_related("project", "project__organization")
        .order_by("-created_at")
    )
    engagements = list(
        Engagement.objects.filter(student=student)
        .select_related("project", "organization")
        .order_by("-accepted_at")
    )
    profile = StudentProfile.objects.filter(user=student).first()
    live = sum(1 for e in engagements if e.is_live)
    return StudentOverview(
        applications=applications, engagements=engagements, blockers=blockers_for(profile, live)
    )


# --- Engagements -------------------------------------------------------------------------


def engagement_role(viewer, engagement) -> str | None:
    """How the viewer relates to an engagement, or None when they may not see it."""
    if not viewer.is_authenticated or not viewer.is_active:
        return None
    if viewer.is_platform_admin:
        return "admin"
    if viewer.role == Role.STUDENT and viewer.pk == engagement.student_id:
        return "student"
    if _is_member(viewer, engagement.organization_id):
        return "employer"
    if viewer.role == Role.CAREER_STAFF:
        profile = getattr(viewer, "career_staff_profile", None)
        if profile is not None and profile.school_id == engagement.school_id:
            return "staff"
    return None


def engagement_for_viewer_or_404(viewer, engagement_id: int):
    """The engagement with what its workspace shows; 404 for anyone who may not see it."""
    engagement = (
        Engagement.objects.select_related(
            "project", "organization", "student", "school", "application", "payout"
        )
        .filter(pk=engagement_id)
        .first()
    )
    if engagement is None:
        raise Http404("No such engagement.")
    role = engagement_role(viewer, engagement)
    if role is None:
        raise Http404("No such engagement.")
    return engagement, role


@dataclass
class Workspace:
    engagement: object
    role: str
    time_entries: list
    submissions: list
    messages: list
    events: list
    open_extension: object
    extensions: list
    can: dict
    sessions: list = dataclasses.field(default_factory=list)
    evaluation: object = None
    employer_review: object = None
    evaluations_visible: bool = False
    payout: object = None
    platform_fee_cents: int = 0
    funding_total_cents: int = 0
    extension_total_cents: int = 0
    # Career services' advice: the student, their school's staff and admins; never the employer.
    coaching_notes: list = dataclasses.field(default_factory=list)
    show_coaching: bool = False


def workspace(engagement, role: str) -> Workspace:
    """Everything the workspace page shows, in a fixed number of queries."""
    extensions = list(ScopeExtension.objects.filter(engagement=engagement).order_by("-proposed_at"))
    # Imported here: the workspace page gathers payments and feedback, which build on projects.
    from feedback.models import (
        CoachingNote,
        EmployerReview,
        FeedbackSession,
        SessionNote,
        StudentEvaluation,
    )
    from feedback.services import evaluations_visible
    from payments.services import price

    sessions = list(
        FeedbackSession.objects.filter(engagement=engagement).prefetch_related(
            Prefetch("notes", queryset=SessionNote.objects.select_related("author"))
        )
    )
    evaluation = StudentEvaluation.objects.filter(engagement=engagement).first()
    employer_review = EmployerReview.objects.filter(engagement=engagement).first()
    open_extension = next((x for x in extensions if x.status in ("proposed", "accepted")), None)
    _, platform_fee, total = price(engagement.fee_cents)
    payout = getattr(engagement, "payout", None)
    show_coaching = role in ("student", "staff", "admin")
    coaching_notes = (
        list(
            CoachingNote.objects.filter(engagement=engagement)
            .select_related("author")
            .order_by("created_at", "pk")
        )
        if show_coaching
        else []
    )
    return Workspace(
        coaching_notes=coaching_notes,
        show_coaching=show_coaching,
        sessions=sessions,
        evaluation=evaluation,
        employer_review=employer_review,
        evaluations_visible=evaluations_visible(
            engagement, both_in=bool(evaluation and employer_review)
        ),
        payout=payout,
        platform_fee_cents=platform_fee,
        funding_total_cents=total,
        extension_total_cents=price(open_extension.extra_fee_cents)[2] if open_extension else 0,
        engagement=engagement,
        role=role,
        time_entries=list(TimeEntry.objects.filter(engagement=engagement)),
        submissions=list(
            Submission.objects.filter(engagement=engagement)
            .select_related("reviewed_by")
            .prefetch_related("files")
        ),
        messages=list(Message.objects.filter(engagement=engagement).select_related("author")),
        events=list(engagement.events.select_related("actor")),
        open_extension=open_extension,
        extensions=extensions,
        can=workspace_permissions(engagement, role, open_extension),
    )


def workspace_permissions(engagement, role: str, open_extension=None) -> dict[str, bool]:
    """What the viewer may do on the workspace now (the services check it again)."""
    status = engagement.status
    working = status in WORKING_STATUSES
    student, employer = role == "student", role == "employer"
    return {
        "log_time": student and working,
        "submit": student
        and status in (EngagementStatus.ACTIVE, EngagementStatus.REVISION_REQUESTED),
        "review": employer and status == EngagementStatus.SUBMITTED,
        "extend": employer and working,
        "message": student or employer,
        # Career staff see that messages exist; their text only once a dispute is open.
        "read_messages": role != "staff" or status == EngagementStatus.DISPUTED,
        # Likewise deliverables: their names and sizes, the files and links only in a dispute.
        "open_deliverables": role != "staff" or status == EngagementStatus.DISPUTED,
        "cancel": (student or employer) and engagement.is_live,
        "fund": employer and status == EngagementStatus.AWAITING_FUNDING,
        "fund_extension": employer
        and working
        and open_extension is not None
        and open_extension.status == "accepted",
        "schedule_sessions": employer
        and status not in (EngagementStatus.AWAITING_FUNDING, EngagementStatus.CANCELLED),
        "write_notes": student or employer,
        "evaluate": status in (EngagementStatus.APPROVED, EngagementStatus.PAID),
        "coach": role in ("staff", "admin")
        and status in (EngagementStatus.APPROVED, EngagementStatus.PAID),
    }


def submission_file_for_viewer_or_404(viewer, file_id: int):
    """A deliverable file for the student, the employer and admins; career staff of the
    student's school only while the engagement is disputed (otherwise they see its name
    and size on the workspace, never the file)."""
    stored = (
        SubmissionFile.objects.select_related("submission__engagement").filter(pk=file_id).first()
    )
    if stored is None:
        raise Http404("No such file.")
    engagement = stored.submission.engagement
    role = engagement_role(viewer, engagement)
    if role is None or not workspace_permissions(engagement, role)["open_deliverables"]:
        raise Http404("No such file.")
    return stored


def organization_engagements(organization_id: int) -> list:
    return list(
        Engagement.objects.filter(organization_id=organization_id)
        .select_related("project", "student")
        .order_by("-accepted_at")[:50]
    )

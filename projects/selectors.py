"""Reads for project pages. Each page runs a fixed number of queries, whatever the data."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.http import Http404, QueryDict
from django.utils.functional import cached_property

from accounts.access import is_member
from accounts.models import Role, StudentProfile, organizations_taking_students
from marketplace.forms import MoneyField
from projects.filters import ProjectFilter
from projects.models import (
    PUBLISHED_STATUSES,
    Application,
    ApplicationStatus,
    Project,
    ProjectStatus,
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
        if isinstance(self.object_list, BestMatch):
            return self.object_list.count()
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


def match_skill_ids(params: QueryDict, viewer) -> list[int]:
    """The viewer's skills when the best-match order is asked for: they decide the order."""
    return _student_skill_ids(viewer) if params.get("sort") == "match" else []


def applied_project_ids(viewer, project_ids) -> set[int]:
    """Which of these projects the viewer applied to (one query, for students only)."""
    if not (viewer.is_authenticated and viewer.role == Role.STUDENT and project_ids):
        return set()
    return set(
        Application.objects.filter(student=viewer, project_id__in=list(project_ids)).values_list(
            "project_id", flat=True
        )
    )


class BestMatch:
    """Projects in best-match order: most of the viewer's skills asked for first, then newest.

    Ordering every open project by a per-row count reads the whole market for each page, so
    a page is read in two steps instead. The projects that ask for at least one of the skills
    come from the project–skill rows of those skills alone, counted and ordered in the
    database, up to the end of the page; when the page reaches past them, the rest of it is
    the newest projects asking for none of the skills. Both steps are bounded by the page's
    end (at most COUNT_CAP + 1 projects deep), and a page runs the same queries however big
    the market is: the matched projects, the others when needed, then the page's rows.
    """

    def __init__(self, queryset: QuerySet[Project], skill_ids: list[int]):
        self.queryset = queryset.order_by()
        self.skill_ids = list(skill_ids)

    def count(self) -> int:
        return self.queryset.values("pk")[: COUNT_CAP + 1].count()

    def __len__(self) -> int:
        return self.count()

    def order_by(self, *fields) -> "BestMatch":
        return self

    def __getitem__(self, index: slice) -> list[Project]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("BestMatch pages are read by slice.")
        start, stop = index.start or 0, index.stop
        if stop is None or stop <= start:
            return []
        through = Project.skills.through
        matched = list(
            self.queryset.filter(skills__in=self.skill_ids)
            .values("pk")
            .annotate(match=Count("pk"))
            .order_by("-match", "-published_at", "-pk")
            .values_list("pk", "match")[:stop]
        )
        counts = dict(matched)
        ids = [pk for pk, _ in matched[start:stop]]
        if len(matched) < stop:
            # The page reaches past the matched projects: the newest of the others follow.
            offset = max(0, start - len(matched))
            ids += list(
                self.queryset.exclude(
                    Exists(
                        through.objects.filter(
                            project_id=OuterRef("pk"), skill_id__in=self.skill_ids
                        )
                    )
                )
                .order_by("-published_at", "-pk")
                .values_list("pk", flat=True)[offset : offset + stop - start - len(ids)]
            )
        rows = Project.objects.select_related("organization").prefetch_related("skills")
        by_id = rows.in_bulk(ids)
        page = [by_id[pk] for pk in ids if pk in by_id]
        for project in page:
            project.match = counts.get(project.pk, 0)
        return page


def browse(*, params: QueryDict, viewer, skill_ids: list[int] | None = None) -> BrowseResult:
    """Open projects, filtered, searched, sorted and paginated (20 a page). `skill_ids`: the
    viewer's skills, when the caller already read them (`match_skill_ids`)."""
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
        if skill_ids is None:
            skill_ids = _student_skill_ids(viewer)
        if skill_ids:
            queryset = BestMatch(queryset, skill_ids)
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
    if not isinstance(queryset, BestMatch):
        queryset = queryset.prefetch_related("skills")

    paginator = CappedPaginator(queryset, PAGE_SIZE, known_count=known_count)
    page = paginator.get_page(params.get("page"))
    applied = applied_project_ids(viewer, [p.pk for p in page.object_list])
    return BrowseResult(
        filterset=filterset,
        page=page,
        sort=sort,
        notice=notice,
        active_filters=_active_filters(filterset, params),
        applied_project_ids=applied,
    )


# --- One project -------------------------------------------------------------------------


def project_for_viewer_or_404(viewer, project_id: int) -> Project:
    """Published projects are public; drafts and cancelled ones only for their organization."""
    project = (
        Project.objects.select_related("organization", "supervisor")
        .prefetch_related("skills", "questions", "objectives", "milestones")
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
        or is_member(viewer, project.organization_id)
        or (viewer.is_authenticated and viewer.is_platform_admin)
    )
    if not visible:
        raise Http404("No such project.")
    project.openings_left = max(project.openings - project.accepted_count, 0)
    return project


def project_for_employer_or_404(viewer, project_id: int) -> Project:
    """A project of the employer's own organization, any status; 404 for anyone else's."""
    project = (
        Project.objects.select_related("organization", "supervisor")
        .prefetch_related("skills", "questions", "objectives")
        .filter(pk=project_id)
        .first()
    )
    if project is None or not is_member(viewer, project.organization_id):
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
    if is_member(viewer, project.organization_id):
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


def application_for_employer_or_404(viewer, application_id: int) -> Application:
    application = (
        Application.objects.select_related("project", "student").filter(pk=application_id).first()
    )
    if application is None or not is_member(viewer, application.project.organization_id):
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


def student_applications(student) -> list[Application]:
    """The student's applications, newest first (one query)."""
    return list(
        Application.objects.filter(student=student)
        .select_related("project", "project__organization")
        .order_by("-created_at")
    )


def what_shortlisting_reveals(profile: StudentProfile) -> list[tuple[str, str]]:
    """The apply page's list of what the organization will see on shortlisting, with the
    student's own values, so they consent to exactly this."""
    user = profile.user
    return [
        ("Name", user.get_full_name()),
        ("School", profile.school.name),
        ("Major", profile.major),
        ("Graduation year", str(profile.graduation_year)),
        ("Bio", "as you wrote it (before shortlisting, names and contacts are masked)"),
        ("Résumé", profile.resume_filename or "the résumé on your profile, if you add one"),
    ]

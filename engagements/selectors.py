"""Reads for engagement pages: the applicant list with acceptance blockers, the student's and
the organization's engagements, and the workspace. Each runs a fixed number of queries,
whatever the data. Other apps add their own parts of these pages through template tags
(feedback sessions, payments, career outcomes, coaching)."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from accounts.blind import blind_bio
from accounts.models import StudentProfile
from engagements import ports
from engagements.access import may_open_deliverables
from engagements.models import (
    LIVE_ENGAGEMENT_STATUSES,
    WORKING_STATUSES,
    Dispute,
    DisputeStatus,
    Engagement,
    EngagementStatus,
    Message,
    Milestone,
    ScopeExtension,
    Submission,
    SubmissionFile,
    TimeEntry,
)
from engagements.services.acceptance import blockers_for
from engagements.weekly_hours import WeekHours, week_hours
from marketplace.pricing import price
from marketplace.timezones import today_in
from projects.models import Application, ApplicationStatus, Project

# --- Applicants ---------------------------------------------------------------------------


@dataclass
class Applicant:
    """One application as the employer sees it; blind until shortlisted."""

    application: Application
    number: int
    revealed: bool
    blockers: list[str]
    bio: str = ""  # masked of what identifies the student until they are revealed


def live_engagement_counts(student_ids: list[int]) -> dict[int, int]:
    rows = (
        Engagement.objects.filter(student_id__in=student_ids, status__in=LIVE_ENGAGEMENT_STATUSES)
        .values("student_id")
        .annotate(n=Count("pk"))
    )
    return {row["student_id"]: row["n"] for row in rows}


APPLICANT_ORDER = {
    ApplicationStatus.SHORTLISTED: 0,
    ApplicationStatus.SUBMITTED: 1,
    ApplicationStatus.ACCEPTED: 2,
    ApplicationStatus.DECLINED: 3,
    ApplicationStatus.WITHDRAWN: 4,
}


def applicant_rows(applications):
    """Applications with what the applicant list reads of them (a queryset, still lazy)."""
    return applications.select_related(
        "student", "student__student_profile", "student__student_profile__school", "engagement"
    ).prefetch_related("answers__question", "student__student_profile__skills")


def describe_applicants(
    project: Project, applications: list[Application], *, first_number: int = 1
) -> list[Applicant]:
    """Applications as the employer sees them, blind until shortlisted, numbered from
    `first_number` in the order given (the order they arrived). One query for any number."""
    live = live_engagement_counts([a.student_id for a in applications])
    applicants = []
    for number, application in enumerate(applications, start=first_number):
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
                blockers=blockers_for(profile, live.get(application.student_id, 0), project)
                if pending
                else [],
            )
        )
    return applicants


def applicants_for_project(project: Project) -> list[Applicant]:
    """Every application of a project, numbered in the order they arrived, in a fixed
    number of queries whatever their count."""
    applications = list(
        applicant_rows(Application.objects.filter(project=project)).order_by("created_at", "pk")
    )
    applicants = describe_applicants(project, applications)
    applicants.sort(key=lambda a: (APPLICANT_ORDER[a.application.status], a.number))
    return applicants


# --- Lists of engagements ----------------------------------------------------------------


@dataclass
class StudentEngagements:
    engagements: list[Engagement]
    # Why employers cannot accept the student now (empty when they can).
    blockers: list[str]


def student_engagements(student) -> StudentEngagements:
    """The student's engagements and what stops them being accepted again (two queries)."""
    engagements = list(
        Engagement.objects.filter(student=student)
        .select_related("project", "organization")
        .order_by("-accepted_at")
    )
    profile = StudentProfile.objects.filter(user=student).first()
    live = sum(1 for e in engagements if e.is_live)
    return StudentEngagements(engagements=engagements, blockers=blockers_for(profile, live))


def organization_engagements(organization_id: int, limit: int = 50) -> list[Engagement]:
    return list(
        Engagement.objects.filter(organization_id=organization_id)
        .select_related("project", "student")
        .order_by("-accepted_at")[:limit]
    )


# --- The workspace -------------------------------------------------------------------------


@dataclass
class Workspace:
    engagement: Engagement
    role: str
    time_entries: list
    submissions: list
    messages: list
    events: list
    open_extension: ScopeExtension | None
    extensions: list
    can: dict
    platform_fee_cents: int = 0
    funding_total_cents: int = 0
    extension_total_cents: int = 0
    # What a sponsor would pay of the fee (of the funding, of an accepted extension): the
    # totals above are already less these.
    funding_sponsored_cents: int = 0
    extension_sponsored_cents: int = 0
    # The student's hours this week against the F-1 weekly cap (None when uncapped); shown
    # to the student and career services, not to the employer.
    week: WeekHours | None = None
    # A dispute (once cancellation was asked for after hours were logged) and its evidence.
    dispute: Dispute | None = None
    evidence: list = field(default_factory=list)
    # The fee split into milestones (empty without), and the one being worked on.
    milestones: list = field(default_factory=list)
    current_milestone: Milestone | None = None


def workspace(engagement: Engagement, role: str) -> Workspace:
    """The engagement's own part of the workspace page, in a fixed number of queries."""
    extensions = list(
        ScopeExtension.objects.filter(engagement=engagement)
        .select_related("milestone")
        .order_by("-proposed_at")
    )
    open_extension = next((x for x in extensions if x.status in ("proposed", "accepted")), None)
    _, platform_fee, total = price(engagement.fee_cents)
    extension_total = price(open_extension.extra_fee_cents)[2] if open_extension else 0
    funding_sponsored = extension_sponsored = 0
    if role == "employer":
        # What the employer pays is less any sponsor's share of the fee.
        if engagement.status == EngagementStatus.AWAITING_FUNDING:
            funding_sponsored = ports.money().sponsored_share(
                engagement=engagement, fee_cents=engagement.fee_cents
            )
        if open_extension is not None and open_extension.status == "accepted":
            extension_sponsored = ports.money().sponsored_share(
                engagement=engagement, fee_cents=open_extension.extra_fee_cents
            )
    dispute, evidence = dispute_with_evidence(engagement)
    milestones = list(Milestone.objects.filter(engagement=engagement).order_by("number"))
    return Workspace(
        milestones=milestones,
        current_milestone=next((m for m in milestones if m.is_open), None),
        engagement=engagement,
        role=role,
        platform_fee_cents=platform_fee,
        funding_total_cents=total - funding_sponsored,
        extension_total_cents=extension_total - extension_sponsored,
        funding_sponsored_cents=funding_sponsored,
        extension_sponsored_cents=extension_sponsored,
        time_entries=list(TimeEntry.objects.filter(engagement=engagement)),
        submissions=list(
            Submission.objects.filter(engagement=engagement)
            .select_related("reviewed_by", "milestone")
            .prefetch_related("files")
        ),
        messages=list(Message.objects.filter(engagement=engagement).select_related("author")),
        events=list(engagement.events.select_related("actor")),
        open_extension=open_extension,
        extensions=extensions,
        can=workspace_permissions(engagement, role, open_extension, dispute),
        week=_this_week(engagement) if role in ("student", "staff") else None,
        dispute=dispute,
        evidence=evidence,
    )


def dispute_with_evidence(engagement: Engagement) -> tuple[Dispute | None, list]:
    """The engagement's dispute and its evidence with what each points to (no query for an
    engagement that was never disputed)."""
    if engagement.disputed_at is None:
        return None, []
    dispute = Dispute.objects.select_related("decided_by").filter(engagement=engagement).first()
    if dispute is None:
        return None, []
    evidence = list(
        dispute.evidence.select_related("author").prefetch_related(
            Prefetch("messages", queryset=Message.objects.select_related("author")),
            "time_entries",
            Prefetch("files", queryset=SubmissionFile.objects.select_related("submission")),
        )
    )
    return dispute, evidence


def _this_week(engagement: Engagement) -> WeekHours | None:
    if engagement.status not in WORKING_STATUSES:
        return None
    profile = (
        StudentProfile.objects.select_related("school")
        .filter(user_id=engagement.student_id)
        .first()
    )
    return week_hours(profile, today_in(engagement.student.time_zone))


def workspace_permissions(
    engagement: Engagement, role: str, open_extension=None, dispute=None
) -> dict:
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
        "open_deliverables": may_open_deliverables(engagement, role),
        "cancel": (student or employer) and engagement.is_live,
        "add_evidence": (student or employer)
        and status == EngagementStatus.DISPUTED
        and dispute is not None
        and dispute.status != DisputeStatus.DECIDED,
        "fund": employer and status == EngagementStatus.AWAITING_FUNDING,
        "fund_extension": employer
        and working
        and open_extension is not None
        and open_extension.status == "accepted",
    }

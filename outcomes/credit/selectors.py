"""Reads of academic credit for pages, and who may open which request."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.access import staff_school_id
from accounts.models import AcademicTerm, User
from engagements.models import Engagement, TimeEntry
from feedback.models import FeedbackSession, StudentEvaluation
from outcomes.credit.models import (
    CreditRequest,
    CreditStatus,
    CreditStep,
    FacultyReviewLink,
    hash_token,
)
from outcomes.credit.services import ELIGIBLE_ENGAGEMENT_STATUSES
from outcomes.models import Reflection
from outcomes.reflections import reflection_of

_RELATED = ("engagement__project", "engagement__organization", "student", "school", "term")


def _with_steps(queryset):
    return queryset.select_related(*_RELATED).prefetch_related(
        Prefetch("steps", queryset=CreditStep.objects.order_by("at", "pk"))
    )


# --- One request for one viewer, or 404 ------------------------------------------------


def request_for_student_or_404(student: User, pk: int) -> CreditRequest:
    return get_object_or_404(_with_steps(CreditRequest.objects.filter(student=student)), pk=pk)


def request_for_staff_or_404(viewer: User, pk: int) -> CreditRequest:
    """Career services of the request's school; a request of another school is "not found"."""
    school_id = staff_school_id(viewer)
    if school_id is None:
        raise Http404("No such request.")
    return get_object_or_404(_with_steps(CreditRequest.objects.filter(school_id=school_id)), pk=pk)


def faculty_link_by_token(token: str) -> FacultyReviewLink | None:
    if not token or len(token) > 100:
        return None
    return (
        FacultyReviewLink.objects.select_related("request")
        .filter(token_hash=hash_token(token))
        .first()
    )


# --- Lists ---------------------------------------------------------------------------------


def requests_of_student(student: User) -> list[CreditRequest]:
    return list(_with_steps(CreditRequest.objects.filter(student=student)))


def eligible_engagements(student: User) -> list[Engagement]:
    """The student's approved engagements with hours and no request that still counts."""
    return list(
        Engagement.objects.filter(
            student=student, status__in=ELIGIBLE_ENGAGEMENT_STATUSES, logged_quarters__gt=0
        )
        .exclude(credit_requests__status__in=[s for s in CreditStatus.values if s != "withdrawn"])
        .select_related("project", "organization")
        .order_by("-approved_at", "-pk")
    )


def eligible_engagement_or_404(student: User, pk: int) -> Engagement:
    return get_object_or_404(
        Engagement.objects.select_related("project", "organization"), pk=pk, student=student
    )


def queue_for_school(school_id: int, status: str = "") -> list[CreditRequest]:
    queryset = CreditRequest.objects.filter(school_id=school_id)
    if status:
        queryset = queryset.filter(status=status)
    return list(queryset.select_related(*_RELATED).order_by("-submitted_at", "-pk")[:200])


def approved_credit_of(engagement_id: int) -> CreditRequest | None:
    return (
        CreditRequest.objects.filter(engagement_id=engagement_id, status=CreditStatus.APPROVED)
        .select_related("school")
        .first()
    )


def approved_credits_by_engagement(engagement_ids) -> dict[int, CreditRequest]:
    return {
        r.engagement_id: r
        for r in CreditRequest.objects.filter(
            engagement_id__in=list(engagement_ids), status=CreditStatus.APPROVED
        ).select_related("school")
    }


def terms_of(school_id: int | None) -> list[AcademicTerm]:
    if school_id is None:
        return []
    return list(AcademicTerm.objects.filter(school_id=school_id).order_by("-starts_on"))


# --- What approvers see ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewFile:
    """Everything an approver reads about the work: the facts, the time log, the feedback
    sessions, the employer's final evaluation and the student's reflection (approvers always
    read it, whether or not the student shows it on their public record)."""

    request: CreditRequest
    engagement: Engagement
    time_entries: list[TimeEntry]
    logged_quarters: int
    sessions: list[FeedbackSession]
    evaluation: StudentEvaluation | None
    reflection: Reflection | None

    @property
    def logged_hours(self):
        return self.logged_quarters / 4


def has_reflection(engagement: Engagement) -> bool:
    return Reflection.objects.filter(engagement=engagement).exists()


def review_file(request: CreditRequest) -> ReviewFile:
    engagement = request.engagement
    entries = list(TimeEntry.objects.filter(engagement=engagement).order_by("work_date", "pk"))
    total = sum(e.quarters for e in entries)
    sessions = list(
        FeedbackSession.objects.filter(engagement=engagement)
        .prefetch_related("notes")
        .order_by("scheduled_at")
    )
    evaluation = StudentEvaluation.objects.filter(engagement=engagement).first()
    return ReviewFile(
        request=request,
        engagement=engagement,
        time_entries=entries,
        logged_quarters=total,
        sessions=sessions,
        evaluation=evaluation,
        reflection=reflection_of(engagement),
    )


# --- The registrar's CSV ----------------------------------------------------------------


@dataclass(frozen=True)
class RegistrarFilter:
    term: AcademicTerm | None = None
    start: date | None = None
    end: date | None = None


REGISTRAR_HEADER = [
    "Student",
    "Email",
    "Student ID",
    "Course code",
    "Term",
    "Credits",
    "Hours",
    "Hours per credit",
    "Project",
    "Organization",
    "Approved on",
    "Approvers",
]


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def registrar_rows(school_id: int, chosen: RegistrarFilter) -> list[list]:
    """Approved credit of one school: for a term of its calendar, or approved between two
    days (inclusive, in the viewer's time zone)."""
    queryset = CreditRequest.objects.filter(school_id=school_id, status=CreditStatus.APPROVED)
    if chosen.term is not None:
        queryset = queryset.filter(term=chosen.term)
    if chosen.start and chosen.end:
        first, after = _day_bounds(chosen.start, chosen.end)
        queryset = queryset.filter(approved_at__gte=first, approved_at__lt=after)
    queryset = _with_steps(queryset).order_by("approved_at", "pk")
    rows = []
    for request in queryset:
        approvers = "; ".join(
            f"{step.actor_name} ({step.get_role_display()})"
            for step in request.steps.all()
            if step.decision == "approved"
        )
        rows.append(
            [
                request.student.get_full_name(),
                request.student.email,
                request.student_number,
                request.course_code,
                request.term_name,
                request.credits,
                f"{request.quarters / 4:g}",
                request.hours_per_credit,
                request.engagement.project.title,
                request.engagement.organization.name,
                timezone.localtime(request.approved_at).date().isoformat(),
                approvers,
            ]
        )
    return rows


def request_for_link(link: FacultyReviewLink) -> CreditRequest:
    """The one request a faculty member's link opens."""
    return _with_steps(CreditRequest.objects.filter(pk=link.request_id)).get()

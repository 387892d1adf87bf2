"""The employment log of a student on post-completion OPT: what they report to SEVP for each
employer (name and address, start and end dates, hours per week, duties, relation to major).

One row per engagement whose work started (funded), cancelled ones included when work had
started: the student worked for that employer. Hours per week are the hours logged over the
weeks worked once the work ended, and the hours planned over the weeks planned while it
goes on.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import OptKind, User, WorkAuthorization
from engagements.models import Engagement, EngagementStatus

FINISHED = (EngagementStatus.APPROVED, EngagementStatus.PAID)


@dataclass(frozen=True)
class EmploymentRow:
    engagement_id: int
    employer: str
    address: str
    project: str
    start: date
    end: date | None
    end_is_expected: bool
    hours_per_week: float
    duties: str
    relation_to_major: str
    reported_at: object  # datetime or None
    report_by: date

    @property
    def report_overdue(self) -> bool:
        return self.reported_at is None and timezone.localdate() > self.report_by


def needs_employment_log(user: User) -> bool:
    """Students on post-completion OPT (and the STEM extension) report employers to SEVP."""
    profile = getattr(user, "student_profile", None)
    return bool(
        profile
        and profile.work_authorization == WorkAuthorization.F1_OPT
        and profile.opt_kind in (OptKind.POST_COMPLETION, OptKind.STEM_EXTENSION)
    )


def _local_day(moment) -> date:
    return timezone.localtime(moment).date()


def _row(e: Engagement) -> EmploymentRow:
    start_at = e.funded_at
    ended_at = e.approved_at if e.status in FINISHED else None
    if e.status == EngagementStatus.CANCELLED:
        ended_at = e.cancelled_at
    if ended_at:
        weeks = max(1, math.ceil((ended_at - start_at).days / 7))
        hours = e.logged_hours
    else:
        weeks = max(1, math.ceil((e.due_at - start_at).days / 7))
        hours = e.cap_hours
    duties = e.project.summary
    if e.project.deliverables:
        duties = f"{duties} Deliverables: {e.project.deliverables}"
    return EmploymentRow(
        engagement_id=e.pk,
        employer=e.organization.name,
        address=e.organization.address,
        project=e.project.title,
        start=_local_day(start_at),
        end=_local_day(ended_at or e.due_at),
        end_is_expected=ended_at is None,
        hours_per_week=round(hours / weeks, 1),
        duties=" ".join(duties.split()),
        relation_to_major=e.application.relation_to_major,
        reported_at=e.opt_reported_at,
        report_by=_local_day(start_at) + timedelta(days=settings.OPT_REPORT_DAYS),
    )


def employment_log(user: User) -> list[EmploymentRow]:
    """Every employer of the student since their work started, oldest first (two queries
    whatever their number: the engagements with what each row shows)."""
    engagements = (
        Engagement.objects.filter(student=user, funded_at__isnull=False)
        .select_related("organization", "project", "application")
        .order_by("funded_at", "pk")
    )
    return [_row(e) for e in engagements]


CSV_HEADER = [
    "Employer",
    "Employer address",
    "Project",
    "Start date",
    "End date",
    "End date is expected",
    "Hours per week",
    "Duties",
    "Relation to major",
    "Reported to SEVP on",
]


def csv_rows(rows: list[EmploymentRow]):
    for r in rows:
        yield [
            r.employer,
            r.address,
            r.project,
            r.start.isoformat(),
            r.end.isoformat() if r.end else "",
            r.end_is_expected,
            r.hours_per_week,
            r.duties,
            r.relation_to_major,
            _local_day(r.reported_at).isoformat() if r.reported_at else "",
        ]

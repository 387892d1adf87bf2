"""The disclosure log: what of a student an organization came to see, when and why.

The rule of "exactly once": a disclosure event is one row, named by its `once_key`
(reason, organization, subject). Shortlisting an application reveals the student's identity
once; saving them to a talent pool once per entry; an invited student's application tells
the inviter who sent it once; a verified record once per organization that opens it; the
evaluation averages a student shares once per application they go with. Seeing the same
thing again (a page reloaded, a double click, a retried task) writes nothing. A file is
different: each résumé download hands over a copy, so each is a row.

Writers live in the app where the disclosure happens (projects, outcomes, feedback) and
call these helpers; they run inside the caller's transaction unless said otherwise.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from projects.models import (
    SHORTLIST_FIELDS,
    Application,
    DisclosedField,
    Disclosure,
    DisclosureReason,
)

LOG_PAGE_SIZE = 25

# What shortlisting shows on the applicant list; the résumé file is logged when downloaded.
SHORTLIST_SHOWN = [f for f in SHORTLIST_FIELDS if f != DisclosedField.RESUME]


def once_key(reason: str, organization_id: int, subject: str) -> str:
    return f"{reason}:org{organization_id}:{subject}"


@dataclass(frozen=True)
class Event:
    student_id: int
    organization_id: int
    viewer_id: int | None
    reason: str
    fields: list[str]
    subject: str
    project_id: int | None = None


def _row(event: Event, at) -> Disclosure:
    return Disclosure(
        student_id=event.student_id,
        organization_id=event.organization_id,
        viewer_id=event.viewer_id,
        reason=event.reason,
        fields=[str(f) for f in event.fields],
        subject=event.subject,
        project_id=event.project_id,
        once_key=once_key(event.reason, event.organization_id, event.subject),
        at=at,
    )


def disclosure_record(event: Event) -> bool:
    """Record one disclosure event unless it is already recorded; True if written now."""
    _, created = Disclosure.objects.get_or_create(
        once_key=once_key(event.reason, event.organization_id, event.subject),
        defaults={
            "student_id": event.student_id,
            "organization_id": event.organization_id,
            "viewer_id": event.viewer_id,
            "reason": event.reason,
            "fields": [str(f) for f in event.fields],
            "subject": event.subject,
            "project_id": event.project_id,
        },
    )
    return created


@transaction.atomic
def disclosures_record_many(events: Iterable[Event]) -> None:
    """Record several events in one statement (a page showing many students); those already
    recorded are skipped by the unique key."""
    now = timezone.now()
    rows = [_row(event, now) for event in events]
    if rows:
        Disclosure.objects.bulk_create(rows, ignore_conflicts=True)


def shortlist_disclosed(*, application: Application, viewer: User) -> bool:
    """Shortlisting lifts blind review: name, school, major, year and bio (in the
    shortlisting transaction)."""
    return disclosure_record(
        Event(
            student_id=application.student_id,
            organization_id=application.project.organization_id,
            viewer_id=viewer.pk,
            reason=DisclosureReason.SHORTLIST,
            fields=SHORTLIST_SHOWN,
            subject=f"application:{application.pk}",
            project_id=application.project_id,
        )
    )


@transaction.atomic
def resume_downloaded(*, student_id: int, organization_id: int, viewer: User, file_name: str):
    """Each download of the résumé by an organization's member is a disclosure of its own."""
    return Disclosure.objects.create(
        student_id=student_id,
        organization_id=organization_id,
        viewer=viewer,
        reason=DisclosureReason.RESUME,
        fields=[DisclosedField.RESUME.value],
        file_name=file_name or "resume.pdf",
        subject=f"resume:{student_id}",
        once_key=None,
    )


# --- Reads -------------------------------------------------------------------------------


def student_log_page(student: User, page=None) -> Page:
    """The student's disclosure log, newest first: one page, a fixed number of queries."""
    rows = Disclosure.objects.filter(student=student).select_related(
        "organization", "viewer", "project"
    )
    return Paginator(rows, LOG_PAGE_SIZE).get_page(page)


def student_consents(student: User) -> list[Application]:
    """Every application's consent, newest first, with the project and organization."""
    return list(
        Application.objects.filter(student=student)
        .select_related("project__organization")
        .order_by("-consent_at", "-pk")
    )

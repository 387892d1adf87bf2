"""Accepting an applicant: the engagement starts, awaiting the employer's funding.

Lock order everywhere: project, then student, then application, then engagement.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit
from accounts.models import StudentProfile, User
from accounts.notifications import notify
from accounts.selectors import acceptance_blocker, affiliation_blocker, cpt_blocker
from engagements.models import (
    LIVE_ENGAGEMENT_STATUSES,
    QUARTERS_PER_HOUR,
    Engagement,
)
from engagements.services.common import record_event, workspace_url
from engagements.services.milestones import milestones_snapshot
from marketplace.money import format_cents
from projects.applications import (
    application_lock_for_employer,
    application_mark_accepted,
    applications_close_when_full,
)
from projects.disclosures import shortlist_disclosed
from projects.models import (
    PENDING_APPLICATION_STATUSES,
    Application,
    ApplicationStatus,
    Project,
    ProjectStatus,
)


def blockers_for(
    profile: StudentProfile | None, live_count: int, project: Project | None = None
) -> list[str]:
    """Every reason a student cannot be accepted now (empty when they can); with a project,
    also what keeps them from that project (a CPT for another employer or ending too soon)."""
    reasons = []
    for blocker in (acceptance_blocker(profile), affiliation_blocker(profile)):
        if blocker:
            reasons.append(blocker)
    if project is not None:
        due = timezone.now() + timedelta(days=project.days_to_complete)
        blocker = cpt_blocker(
            profile, organization_id=project.organization_id, last_day=timezone.localdate(due)
        )
        if blocker:
            reasons.append(blocker)
    if live_count >= settings.ACTIVE_ENGAGEMENT_LIMIT:
        reasons.append(
            f"The student already has {live_count} micro-internships under way, the most "
            "allowed at once; they can be accepted when one is finished."
        )
    return reasons


def acceptance_blockers(application: Application) -> list[str]:
    profile = StudentProfile.objects.filter(user_id=application.student_id).first()
    live = Engagement.objects.filter(
        student_id=application.student_id, status__in=LIVE_ENGAGEMENT_STATUSES
    ).count()
    return blockers_for(profile, live, application.project)


def engagement_create(*, actor: User, application: Application, at: datetime) -> Engagement:
    """Snapshot the terms (inside the acceptance's transaction)."""
    project = application.project
    profile = StudentProfile.objects.get(user_id=application.student_id)
    engagement = Engagement.objects.create(
        application=application,
        project=project,
        student_id=application.student_id,
        organization_id=project.organization_id,
        school_id=profile.school_id,
        fee_cents=project.fee_cents,
        cap_quarters=project.hours * QUARTERS_PER_HOUR,
        days_to_complete=project.days_to_complete,
        accepted_at=at,
        due_at=at + timedelta(days=project.days_to_complete),
    )
    milestones = milestones_snapshot(engagement=engagement)
    record_event(
        engagement,
        actor,
        "accepted",
        f"Accepted: {project.hours} hours for {format_cents(project.fee_cents, exact=True)}, "
        f"due in {project.days_to_complete} days"
        + (f", in {len(milestones)} milestones." if milestones else "."),
    )
    return engagement


@transaction.atomic(durable=True)
def application_accept(*, actor: User, application: Application) -> Engagement:
    """Accept an applicant: an engagement starts, awaiting the employer's funding.

    Fills one opening; when the last one is filled, applications close and everyone still
    waiting is declined politely.
    """
    application = application_lock_for_employer(actor, application)
    project = application.project
    if application.status == ApplicationStatus.ACCEPTED:
        return application.engagement
    if application.status not in PENDING_APPLICATION_STATUSES:
        raise ValidationError("This application has already been decided.")
    if project.status not in (ProjectStatus.OPEN, ProjectStatus.CLOSED):
        raise ValidationError(f"The project is {project.get_status_display().lower()}.")
    if not project.organization.can_take_students:
        raise ValidationError(project.organization.not_taking_students_reason())
    accepted = project.applications.filter(status=ApplicationStatus.ACCEPTED).count()
    if accepted >= project.openings:
        raise ValidationError("Every opening of this project is already filled.")
    reasons = acceptance_blockers(application)
    if reasons:
        raise ValidationError(reasons)

    now = timezone.now()
    application_mark_accepted(application=application, at=now)
    # Accepting without shortlisting first lifts blind review all the same (once).
    shortlist_disclosed(application=application, viewer=actor)
    engagement = engagement_create(actor=actor, application=application, at=now)
    audit(
        actor=actor,
        action="application.accepted",
        target=application,
        summary=f"{actor.email} accepted an applicant for “{project.title}”",
    )
    notify(
        recipients=[application.student],
        kind="application.accepted",
        key=f"application-{application.pk}-accepted",
        message=f"You are accepted for “{project.title}”",
        url=workspace_url(engagement),
        context={
            "details": "Work starts once the employer has funded the project; we will tell you."
        },
    )
    applications_close_when_full(project=project, accepted=accepted + 1, at=now)
    return engagement


__all__ = ["acceptance_blockers", "application_accept", "blockers_for", "engagement_create"]

"""Demo data for a dispute with deadlines: an employer asked to cancel after six hours of
work, and the student responded with evidence; the platform decides within three working days.

Created once, after the other demo engagements. Jordan Ellis (dispute.student@demo.test,
Northbridge) logged six hours on a Greenway project, and the two wrote about a change of
scope; Greenway's employer asked to cancel and Jordan responded, pointing at the time log.
Both workspaces show the deadlines and the evidence, Northbridge's career services were told,
and the platform admin settles it in the admin ("Settle this dispute").
"""

from django.utils import timezone

from accounts.models import Organization, School, User
from demo.projects import COVER_NOTES, _apply, _connect_payout_account, _fund, _student
from engagements import services as engagements
from projects.models import Project, ProjectStatus

DISPUTE_STUDENT = "dispute.student@demo.test"


def seed_disputes() -> bool:
    """True if anything was created."""
    school = School.objects.filter(short_name="NSU").first()
    greenway = Organization.objects.filter(name="Greenway Community Health").first()
    if None in (school, greenway) or User.objects.filter(email=DISPUTE_STUDENT).exists():
        return False
    project = (
        Project.objects.filter(
            organization=greenway, status=ProjectStatus.OPEN, applications__isnull=True
        )
        .order_by("pk")
        .first()
    )
    if project is None:
        return False
    student = _student(
        DISPUTE_STUDENT, "Jordan", "Ellis", school, "Public Health", ["Survey design", "Excel"]
    )
    _connect_payout_account(student)
    application = _apply(student, project, COVER_NOTES[2])
    employer = project.created_by
    engagement = engagements.application_accept(actor=employer, application=application)
    _fund(engagement)
    entry = engagements.time_entry_log(
        actor=student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=24,
        description="Interviewed four clinic coordinators and drafted the survey.",
    )
    engagements.message_post(
        actor=employer,
        engagement=engagement,
        body="Could you also cover the two rural clinics? Same deadline.",
    )
    engagements.message_post(
        actor=student,
        engagement=engagement,
        body="That doubles the interviews; can we extend the hours first?",
    )
    engagements.engagement_request_cancel(
        actor=employer,
        engagement=engagement,
        reason="Our priorities changed and we no longer need the survey.",
    )
    engagements.dispute_evidence_add(
        actor=student,
        engagement=engagement,
        statement="Six hours of interviews and a survey draft were done before the request.",
        time_entry_ids=[entry.pk],
    )
    return True

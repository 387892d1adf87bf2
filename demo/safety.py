"""Demo reports: what a student sent to the platform's admins, one still open in the
queue and one closed with the outcome the student was told; a message screening held (a
report the platform filed). And the main student's privacy page: their consents and a few
disclosures in the log (shortlisted, a résumé download, a verified record viewed)."""

from accounts.models import EmployerProfile, User
from engagements import services as engagements
from engagements.models import Engagement
from outcomes import records
from outcomes.models import VerifiedExperience
from projects import applications, disclosures
from projects.models import Application, ApplicationStatus, Project, ProjectStatus
from safety import services as safety
from safety.models import Reason, Report


def seed_safety() -> bool:
    """True if anything was created."""
    student = User.objects.filter(email="student@demo.test").first()
    admin = User.objects.filter(email="admin@demo.test").first()
    if student is None or admin is None or Report.objects.exists():
        return False
    project = (
        Project.objects.filter(status=ProjectStatus.OPEN)
        .exclude(organization__employers__user__email="employer@demo.test")
        .order_by("pk")
        .first()
    )
    if project is not None:
        closed = safety.report_create(
            actor=student,
            subject=project,
            reason=Reason.ASKS_FOR_MONEY,
            details="Someone wrote to my personal email about this project and asked me to "
            "pay $60 for “onboarding software” before starting.",
        )
        safety.report_assign(actor=admin, report=closed, assignee=admin)
        safety.report_close(
            actor=admin,
            report=closed,
            status=Report.Status.RESOLVED,
            outcome="The email did not come from this organization: we confirmed with them "
            "and blocked the sender's address. Never pay to start a project here.",
        )
    working = (
        Engagement.objects.filter(student=student, status="active")
        .select_related("project", "organization")
        .first()
    )
    if working is not None:
        employer = working.project.created_by
        message = engagements.message_post(
            actor=employer,
            engagement=working,
            body="Quick one: it is easier to chat on WhatsApp, text me at 555-0142 and we can "
            "sort out the rest there.",
        )
        safety.report_create(
            actor=student,
            subject=message,
            reason=Reason.OFF_PLATFORM,
            details="I would rather keep everything on the platform.",
        )
        engagements.message_post(
            actor=employer,
            engagement=working,
            body="Before Friday, please buy two gift cards for the client and send me the codes.",
        )
    _seed_disclosures(student)
    return True


def _seed_disclosures(student: User) -> None:
    """Disclosures the main student finds on their privacy page."""
    waiting = (
        Application.objects.filter(student=student, status=ApplicationStatus.SUBMITTED)
        .select_related("project")
        .order_by("pk")
        .first()
    )
    if waiting is None:
        return
    employer = waiting.project.created_by
    applications.application_shortlist(actor=employer, application=waiting)
    profile = student.student_profile
    if profile.resume:
        disclosures.resume_downloaded(
            student_id=student.pk,
            organization_id=waiting.project.organization_id,
            viewer=employer,
            file_name=profile.resume_filename or "resume.pdf",
        )
    record = (
        VerifiedExperience.objects.filter(engagement__student=student, is_public=True)
        .select_related("engagement")
        .first()
    )
    if record is None:
        return
    reader = (
        EmployerProfile.objects.exclude(organization_id=record.engagement.organization_id)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if reader is not None:
        records.record_view_disclosed(record=record, viewer=reader.user)

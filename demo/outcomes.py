"""Demo data for career outcomes: Brightline Analytics' talent pool and its outreach.

Created once, after the demo projects and oversight data: the main demo student opts in to
being discovered and contacted; employer@demo.test keeps two students who worked for
Brightline in its pool, with tags and notes, has invited the main student to apply to
another open project and has told them it is interested in hiring them full-time.
"""

from accounts.models import StudentProfile, User
from engagements.models import Engagement
from outcomes import talent
from outcomes.models import TalentPoolEntry
from projects.models import Application, Project, ProjectStatus

POOL = [
    (
        "student@demo.test",
        "data cleaning, r, spring hire",
        "Careful with messy survey data; asked good questions at the kickoff. "
        "Graduates next year: keep in mind for the analyst opening.",
    ),
    (
        "amara.okoye@demo.test",
        "python, dashboards",
        "Built the store dashboard quickly. Would like more written explanation next time.",
    ),
]


def seed_outcomes() -> bool:
    """True if anything was created."""
    employer = User.objects.filter(email="employer@demo.test").first()
    student = User.objects.filter(email="student@demo.test").first()
    if employer is None or student is None or not hasattr(employer, "employer_profile"):
        return False
    organization = employer.employer_profile.organization
    if TalentPoolEntry.objects.filter(organization=organization).exists():
        return False
    StudentProfile.objects.filter(user=student).update(discoverable=True, contactable=True)

    for email, tags, notes in POOL:
        pooled = User.objects.filter(email=email).first()
        worked = Engagement.objects.filter(
            organization=organization, student=pooled, funded_at__isnull=False
        ).exists()
        if pooled is not None and worked:
            talent.pool_save(actor=employer, student=pooled, tags=tags, notes=notes)

    project = (
        Project.objects.filter(organization=organization, status=ProjectStatus.OPEN)
        .exclude(pk__in=Application.objects.filter(student=student).values("project_id"))
        .order_by("pk")
        .first()
    )
    if project is not None and project.is_open_for_applications:
        talent.invitation_send(
            actor=employer,
            student=student,
            project_id=project.pk,
            message="You did great work on the survey cleanup. This one uses the same skills; "
            "we would love to have you on it.",
        )
    talent.fulltime_mark(
        actor=employer,
        student=student,
        message="We are hiring a junior data analyst next spring. Your work with us made us "
        "think of you first: would you like to talk when you are closer to graduating?",
    )
    return True

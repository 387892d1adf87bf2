"""Demo data for the F-1 rules: what a student on CPT, their employer and career services see.

Created once, after the demo projects: Northbridge's career services have entered the current
term in the academic calendar. Wei Chen holds a CPT that they verified for Brightline
Analytics (part time), works on two Brightline projects and has logged 17 of the 20 hours
allowed this week during term; Wei has applied to another organization's project too, whose
employer sees why Wei cannot be accepted there. Lucía Ortega, a graduate on post-completion
OPT, was accepted for an industry research project: her employment log lists that employer.
"""

from datetime import timedelta

from django.utils import timezone

from accounts import services as accounts
from accounts import terms
from accounts.models import (
    AuthorizationStatus,
    AuthorizedSchedule,
    OptKind,
    Organization,
    School,
    StudentProfile,
    User,
    WorkAuthorization,
)
from demo.projects import COVER_NOTES, _apply, _fund, _student
from engagements import services as engagements
from projects import applications
from projects.models import Project, ProjectStatus

CPT_STUDENT = "cpt.student@demo.test"
OPT_STUDENT = "opt.student@demo.test"


def seed_compliance() -> bool:
    """True if anything was created."""
    staff = User.objects.filter(email="staff@demo.test").first()
    brightline = Organization.objects.filter(name="Brightline Analytics").first()
    school = School.objects.filter(short_name="NSU").first()
    if None in (staff, brightline, school) or User.objects.filter(email=CPT_STUDENT).exists():
        return False
    today = timezone.localdate()
    season = "Spring" if today.month <= 5 else "Summer" if today.month <= 7 else "Fall"
    terms.academic_term_save(
        actor=staff,
        school=school,
        name=f"{season} {today.year}",
        starts_on=today - timedelta(days=45),
        ends_on=today + timedelta(days=45),
    )
    student = _student(
        CPT_STUDENT,
        "Wei",
        "Chen",
        school,
        "Business Analytics",
        ["Python", "SQL", "Excel", "Data analysis"],
    )
    StudentProfile.objects.filter(user=student).update(
        work_authorization=WorkAuthorization.F1_CPT,
        work_authorization_status=AuthorizationStatus.PENDING,
        authorization_valid_from=today - timedelta(days=20),
        authorization_valid_until=today + timedelta(days=100),
    )
    accounts.work_authorization_verify(
        actor=staff,
        profile=StudentProfile.objects.get(user=student),
        cpt_organization=brightline,
        authorized_schedule=AuthorizedSchedule.PART_TIME,
    )

    open_projects = Project.objects.filter(status=ProjectStatus.OPEN).exclude(
        applications__isnull=False
    )
    at_brightline = open_projects.filter(organization=brightline, hours__gte=10).order_by("pk")
    work = [
        (10, "Pulled last quarter's sales export and wrote the cleaning script."),
        (7, "Matched store codes across the two systems; listed the ones that do not match."),
    ]
    for project, (hours, did) in zip(at_brightline[:2], work, strict=False):
        application = _apply(student, project, COVER_NOTES[0])
        engagement = engagements.application_accept(
            actor=project.created_by, application=application
        )
        _fund(engagement)
        engagements.time_entry_log(
            actor=student,
            engagement=engagement,
            work_date=today,
            quarters=hours * 4,
            description=did,
        )
    elsewhere = open_projects.exclude(organization=brightline).order_by("pk").first()
    if elsewhere is not None:
        # Its employer sees "cannot be accepted: the CPT authorizes another employer only".
        _apply(student, elsewhere, COVER_NOTES[1])
    _opt_student_applying(staff, school, today)
    return True


def _opt_student_applying(staff: User, school: School, today) -> None:
    """A graduate on post-completion OPT applies, saying how the work relates to the major."""
    student = _student(
        OPT_STUDENT, "Lucía", "Ortega", school, "Economics", ["Excel", "Market research"]
    )
    StudentProfile.objects.filter(user=student).update(
        work_authorization=WorkAuthorization.F1_OPT,
        work_authorization_status=AuthorizationStatus.PENDING,
        authorization_valid_from=today - timedelta(days=30),
        authorization_valid_until=today + timedelta(days=330),
    )
    accounts.work_authorization_verify(
        actor=staff,
        profile=StudentProfile.objects.get(user=student),
        authorized_schedule=AuthorizedSchedule.FULL_TIME,
        opt_kind=OptKind.POST_COMPLETION,
    )
    project = (
        Project.objects.filter(status=ProjectStatus.OPEN, category="industry_research")
        .exclude(applications__status="accepted")
        .order_by("pk")
        .first()
    )
    if project is None:
        return
    # A second opening: the project stays open to others after Lucía is accepted.
    Project.objects.filter(pk=project.pk).update(openings=max(project.openings, 2))
    applications.application_submit(
        student=student,
        project=project,
        data=applications.ApplicationData(
            cover_note=COVER_NOTES[2],
            answers={
                q.pk: "I would start from the public filings." for q in project.questions.all()
            },
            confirmed_availability=True,
            consented=True,
            relation_to_major=(
                "Competitor pricing research is applied industrial organization: I estimate "
                "price positioning and market structure, as in my Economics coursework."
            ),
        ),
    )
    # Accepted and funded: the work started, so Lucía's employment log lists the employer
    # and reminds her to report it to SEVP.
    employer = project.created_by
    application = project.applications.get(student=student)
    engagement = engagements.application_accept(actor=employer, application=application)
    _fund(engagement)

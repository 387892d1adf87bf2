"""Demo data for the F-1 rules: what a student on CPT, their employer and career services see.

Created once, after the demo projects: Wei Chen holds a CPT that career services verified
for Brightline Analytics (part time). Wei works on a Brightline project and has applied to
another organization's project too, whose employer sees why Wei cannot be accepted there.
"""

from datetime import timedelta

from django.utils import timezone

from accounts import services as accounts
from accounts.models import (
    AuthorizationStatus,
    AuthorizedSchedule,
    Organization,
    School,
    StudentProfile,
    User,
    WorkAuthorization,
)
from demo.projects import COVER_NOTES, _apply, _fund, _student
from engagements import services as engagements
from projects.models import Project, ProjectStatus

CPT_STUDENT = "cpt.student@demo.test"


def seed_compliance() -> bool:
    """True if anything was created."""
    staff = User.objects.filter(email="staff@demo.test").first()
    brightline = Organization.objects.filter(name="Brightline Analytics").first()
    school = School.objects.filter(short_name="NSU").first()
    if None in (staff, brightline, school) or User.objects.filter(email=CPT_STUDENT).exists():
        return False
    today = timezone.localdate()
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
        applications__status="accepted"
    )
    at_brightline = open_projects.filter(organization=brightline).order_by("-pk").first()
    if at_brightline is not None:
        application = _apply(student, at_brightline, COVER_NOTES[0])
        engagement = engagements.application_accept(
            actor=at_brightline.created_by, application=application
        )
        _fund(engagement)
        engagements.time_entry_log(
            actor=student,
            engagement=engagement,
            work_date=today,
            quarters=12,
            description="Pulled last quarter's sales export and started the cleaning script.",
        )
    elsewhere = open_projects.exclude(organization=brightline).order_by("pk").first()
    if elsewhere is not None:
        # Its employer sees "cannot be accepted: the CPT authorizes another employer only".
        _apply(student, elsewhere, COVER_NOTES[1])
    return True

"""Demo data for career services oversight: what staff@demo.test finds in the admin.

Created once, after the demo projects: a CPT document waiting for review, a finished
engagement of a Northbridge student with evaluations and a coaching note, a flag
raised by staff, and the flags the integrity rules raise on their own.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import AuthorizationStatus, StudentProfile, User
from demo.projects import COVER_NOTES, _evaluate_both_ways, work_and_submit
from engagements import services as engagements
from engagements.models import Engagement
from oversight import services as oversight
from oversight.integrity import raise_automatic_flags
from oversight.models import Flag
from projects.models import Project, ProjectStatus

# A one-page PDF standing in for the student's CPT authorization (an I-20 page).
CPT_DOCUMENT = b"""%PDF-1.4
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<<>>>>endobj
4 0 obj<</Length 58>>stream
BT /F1 18 Tf 72 700 Td (Curricular Practical Training) Tj ET
endstream endobj
trailer<</Root 1 0 R>>
%%EOF
"""


def seed_oversight() -> bool:
    """True if anything was created."""
    staff = User.objects.filter(email="staff@demo.test").first()
    if staff is None or Flag.objects.exists():
        return False
    today = timezone.localdate()
    _cpt_waiting_for_review(today)
    finished = _finished_engagement()
    if finished is not None:
        oversight.coaching_note_add(
            actor=staff,
            engagement=finished,
            text=(
                "Put this under Experience, not Projects: “Market research intern "
                f"(micro-internship), {finished.organization.name}”. Lead with the result "
                "the employer used, then the method. In interviews, tell it as a story: the "
                "question they had, how you found the data, what you recommended."
            ),
        )
    working = (
        engagements_of_school(staff)
        .filter(status="active", student__email="student@demo.test")
        .first()
    )
    if working is not None:
        oversight.flag_raise(
            actor=staff,
            engagement=working,
            note="Due tomorrow with few hours logged: check in with Jordan about the deadline.",
            follow_up_on=today + timedelta(days=1),
        )
    raise_automatic_flags()
    return True


def engagements_of_school(staff: User):
    return Engagement.objects.filter(school_id=staff.career_staff_profile.school_id)


def _cpt_waiting_for_review(today) -> None:
    profile = StudentProfile.objects.filter(user__email="intl.student@demo.test").first()
    if profile is None or profile.authorization_document:
        return
    profile.authorization_document.save("cpt.pdf", ContentFile(CPT_DOCUMENT), save=False)
    profile.authorization_document_name = "CPT authorization (I-20 page 2).pdf"
    profile.authorization_valid_from = today - timedelta(days=7)
    profile.authorization_valid_until = today + timedelta(days=120)
    profile.work_authorization_status = AuthorizationStatus.PENDING
    profile.save()


def _finished_engagement():
    """The main demo student finished a project earlier: approved, paid and evaluated."""
    student = User.objects.get(email="student@demo.test")
    project = (
        Project.objects.filter(status=ProjectStatus.OPEN, category="industry_research")
        .exclude(applications__student=student)
        .exclude(organization__name="Brightline Analytics")
        .order_by("pk")
        .first()
    )
    if project is None:
        return None
    owner = project.created_by
    engagement = work_and_submit(
        student,
        project,
        cover_note=COVER_NOTES[2],
        quarters=40,
        did="Compared twelve competitors' pricing pages and wrote the summary.",
        note="The comparison table and a two-page summary with three recommendations.",
        link="https://example.com/shared/competitor-scan",
    )
    engagements.submission_approve(
        actor=owner, engagement=engagement, comment="Clear and well sourced. Thank you!"
    )
    _evaluate_both_ways(engagement, owner, student)
    engagement.refresh_from_db()
    return engagement

"""Demo data for milestones: Cobalt Outdoor Co. split a project's fee into three milestones.

Riley Park (milestones.student@demo.test, Northbridge) was accepted and funded; milestone 1
is approved and paid, milestone 2 is handed in and waits for Cobalt's review
(cobalt@demo.test approves it from the workspace: "Approve milestone 2 and pay $160.00").
"""

from django.utils import timezone

from accounts.models import Organization, School, User
from demo.projects import COVER_NOTES, _apply, _connect_payout_account, _create_project, _fund
from demo.projects import _student as demo_student
from engagements import services as engagements
from projects.models import Project, ProjectMilestone

MILESTONE_STUDENT = "milestones.student@demo.test"
PROJECT = {
    "organization": "Cobalt Outdoor Co.",
    "title": "Review our trail-gear guides in three parts",
    "summary": "Check three of our gear guides for accuracy and clarity, one guide at a time.",
    "description": (
        "We publish gear guides for hikers. Review the tent, stove and pack guides one by "
        "one: fix what is out of date and suggest what a first-time hiker needs to read."
    ),
    "deliverables": "- An edited tent guide\n- An edited stove guide\n- An edited pack guide",
    "category": "content_creation",
    "skills": ["Copywriting"],
    "hours": 20,
    "fee_cents": 40000,
    "days_to_complete": 21,
    "apply_in_days": 7,
    "posted_days_ago": 3,
    "openings": 1,
    "is_remote": True,
    "location": "",
    "questions": [],
    "status": "open",
}
# (title, deliverable, quarter hours, cents): together the project's 20 hours and $400.
MILESTONES = [
    ("Tent guide", "The tent guide, edited, with a list of the changes.", 24, 12000),
    ("Stove guide", "The stove guide, edited, with a safety section added.", 32, 16000),
    ("Pack guide", "The pack guide, edited, with a packing checklist.", 24, 12000),
]


def _submit(student, engagement, quarters, did, link):
    engagements.time_entry_log(
        actor=student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=quarters,
        description=did,
    )
    engagements.submission_create(
        actor=student,
        engagement=engagement,
        data=engagements.SubmissionData(note=did, links=[link], files=[]),
    )


def seed_milestones() -> bool:
    """True if anything was created."""
    school = School.objects.filter(short_name="NSU").first()
    cobalt = Organization.objects.filter(name=PROJECT["organization"]).first()
    owner = User.objects.filter(employer_profile__organization=cobalt).order_by("pk").first()
    if None in (school, cobalt, owner) or User.objects.filter(email=MILESTONE_STUDENT).exists():
        return False
    if Project.objects.filter(title=PROJECT["title"]).exists():
        return False
    project = _create_project(PROJECT, cobalt, owner, timezone.now())
    ProjectMilestone.objects.bulk_create(
        ProjectMilestone(
            project=project,
            number=number,
            title=title,
            deliverable=deliverable,
            quarters=quarters,
            amount_cents=amount,
        )
        for number, (title, deliverable, quarters, amount) in enumerate(MILESTONES, start=1)
    )
    student = demo_student(
        MILESTONE_STUDENT, "Riley", "Park", school, "English", ["Copywriting", "Excel"]
    )
    _connect_payout_account(student)
    application = _apply(student, project, COVER_NOTES[0])
    engagement = engagements.application_accept(actor=owner, application=application)
    _fund(engagement)
    _submit(
        student,
        engagement,
        20,
        "Edited the tent guide and listed every change.",
        "https://example.com/shared/tent-guide",
    )
    engagements.submission_approve(
        actor=owner,
        engagement=engagement,
        comment="Clear and accurate, thank you.",
        milestone_number=1,
    )
    _submit(
        student,
        engagement,
        24,
        "Edited the stove guide and added a safety section.",
        "https://example.com/shared/stove-guide",
    )
    return True

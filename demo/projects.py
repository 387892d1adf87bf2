"""Demo projects, applications and engagements at every stage, for `make run`.

The projects come from demo/content/. Applications and
engagements go through the real services, so the workspaces have their
history, and the notifications exist as they would for real users.
Safe to run again: nothing is created twice.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import (
    AuthorizationStatus,
    EmployerProfile,
    Organization,
    Role,
    School,
    Skill,
    StudentProfile,
    User,
    WorkAuthorization,
)
from demo.accounts import DEMO_PASSWORD, confirm_school_address
from demo.content import DEMO_PROJECTS
from engagements import services as engagements
from engagements.models import Engagement
from feedback import services as feedback
from feedback.models import FeedbackSession
from payments import services as payments
from projects import applications
from projects.models import (
    Application,
    LearningObjective,
    Project,
    ProjectStatus,
    ScreeningQuestion,
)

# More students, so that employers have several applicants to compare.
EXTRA_STUDENTS = [
    (
        "maya.chen@demo.test",
        "Maya",
        "Chen",
        "Lakeshore",
        "Statistics",
        ["R", "Excel", "Survey design"],
    ),
    (
        "leo.park@demo.test",
        "Leo",
        "Park",
        "Cascadia",
        "Journalism",
        ["Copywriting", "SEO", "Blog writing"],
    ),
    (
        "amara.okoye@demo.test",
        "Amara",
        "Okoye",
        "Meridian",
        "Computer Science",
        ["Python", "SQL", "JavaScript"],
    ),
    (
        "sofia.reyes@demo.test",
        "Sofia",
        "Reyes",
        "NSU",
        "Public Health",
        ["Market research", "Spanish", "Excel"],
    ),
    (
        "ethan.brooks@demo.test",
        "Ethan",
        "Brooks",
        "Pinecrest",
        "Graphic Design",
        ["Figma", "Canva", "Adobe Illustrator"],
    ),
]

COVER_NOTES = [
    "I have done similar work for a campus club and enjoy making messy information useful. "
    "I can give this project about six hours a week and I reply to messages the same day.",
    "This project matches what I study, and I would like real feedback from a team that does "
    "this every day. I am organized, careful with details and happy to ask questions early.",
    "I built something close to this for a class last semester and would love to do it for a "
    "real organization. I am available most afternoons and can start as soon as you are ready.",
]


def _student(email, first, last, school, major, skill_names, *, year_offset=1):
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user
    user = User.objects.create_user(
        email=email, password=DEMO_PASSWORD, first_name=first, last_name=last, role=Role.STUDENT
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    profile = StudentProfile.objects.create(
        user=user,
        school=school,
        major=major,
        graduation_year=timezone.now().year + year_offset,
        bio=f"{major} student who likes practical, well-scoped projects.",
        work_authorization=WorkAuthorization.US_AUTHORIZED,
        work_authorization_status=AuthorizationStatus.NOT_REQUIRED,
    )
    profile.skills.set(Skill.objects.filter(name__in=skill_names))
    confirm_school_address(user, email.split("@")[0])
    return user


# What a student learns, by kind of work (a project item may name its own "objectives").
OBJECTIVES = {
    "content_creation": [
        "Write for a defined audience in the organization's voice",
        "Turn interview notes and sources into a structured piece",
        "Revise a draft from an editor's feedback",
    ],
    "industry_research": [
        "Design a comparison framework before collecting data",
        "Find, cite and check primary sources",
        "Summarise findings with recommendations for a manager",
    ],
    "data_entry": [
        "Apply a data dictionary consistently across hundreds of records",
        "Spot and document inconsistencies instead of guessing",
    ],
    "social_media": [
        "Plan a content calendar around campaign goals",
        "Write posts that fit each platform's format and audience",
    ],
    "design": [
        "Work from a brand guide and a written brief",
        "Present design options and explain the choices",
        "Prepare files for print and web",
    ],
    "marketing": [
        "Define the audience and the message of a campaign",
        "Measure what a campaign should change and how",
    ],
    "data_analysis": [
        "Clean a real data set and document every decision",
        "Choose analyses that answer the business question",
        "Explain results to readers who are not analysts",
    ],
    "software": [
        "Automate a manual process with readable, tested code",
        "Write documentation a colleague can follow",
    ],
    "operations": [
        "Map a process as it is done, not as it is described",
        "Recommend changes backed by observations",
    ],
    "other": [
        "Check facts against sources methodically",
        "Give clear, tactful written feedback",
    ],
}
# Posted before objectives and a named supervisor were asked for: its page shows those
# internship criteria as not met.
BEFORE_CRITERIA = "Draft 4 blog posts on trail safety for beginner hikers"


def _create_project(item: dict, organization: Organization, author: User, now) -> Project:
    today = timezone.localdate()
    status = item["status"]
    published_at = now - timedelta(days=item["posted_days_ago"], hours=3)
    project = Project.objects.create(
        organization=organization,
        created_by=author,
        title=item["title"],
        summary=item["summary"],
        description=item["description"],
        category=item["category"],
        deliverables=item["deliverables"],
        hours=item["hours"],
        fee_cents=item["fee_cents"],
        days_to_complete=item["days_to_complete"],
        apply_by=today + timedelta(days=item["apply_in_days"]),
        openings=item["openings"],
        is_remote=item["is_remote"],
        location=item["location"],
        status=status,
        created_at=published_at - timedelta(days=1),
        published_at=None if status == ProjectStatus.DRAFT else published_at,
        closed_at=now - timedelta(days=1) if status == ProjectStatus.CLOSED else None,
    )
    if item["title"] != BEFORE_CRITERIA:
        project.supervisor = author
        project.supervisor_title = author.employer_profile.job_title
        project.save(update_fields=["supervisor", "supervisor_title"])
        LearningObjective.objects.bulk_create(
            LearningObjective(project=project, position=i, text=text)
            for i, text in enumerate(
                item.get("objectives") or OBJECTIVES[item["category"]], start=1
            )
        )
    project.skills.set(Skill.objects.filter(name__in=item["skills"]))
    ScreeningQuestion.objects.bulk_create(
        ScreeningQuestion(project=project, position=i, text=text)
        for i, text in enumerate(item["questions"], start=1)
    )
    return project


def _fund(engagement) -> None:
    """Pay for an engagement the way an employer does, on the test-mode payment page."""
    employer = User.objects.filter(
        employer_profile__organization_id=engagement.organization_id
    ).first()
    payment = payments.engagement_fund(actor=employer, engagement=engagement)
    payments.local_payment_complete(actor=employer, payment=payment, succeed=True)


def _connect_payout_account(student: User) -> None:
    """The main demo student has set up payouts (test mode), so approvals pay at once."""
    payments.payout_account_start(user=student, refresh_url="/", return_url="/")
    payments.local_account_complete(user=student)


def _apply(student: User, project: Project, note: str) -> Application:
    existing = Application.objects.filter(student=student, project=project).first()
    if existing is not None:
        return existing
    return applications.application_submit(
        student=student,
        project=project,
        data=applications.ApplicationData(
            cover_note=note,
            answers={
                q.pk: "I would start by asking what a great result looks like for you, then "
                "share a short plan before the first check-in."
                for q in project.questions.all()
            },
            confirmed_availability=True,
            consented=True,
        ),
    )


def seed_projects() -> bool:
    """Create the demo projects and the work around them, once."""
    if Project.objects.filter(title=DEMO_PROJECTS[0]["title"]).exists():
        return False
    now = timezone.now()
    authors = {
        p.organization.name: p.user
        for p in EmployerProfile.objects.select_related("organization", "user")
    }
    projects = []
    for item in DEMO_PROJECTS:
        organization = Organization.objects.get(name=item["organization"])
        projects.append(_create_project(item, organization, authors[organization.name], now))

    schools = {s.short_name: s for s in School.objects.all()}
    extra = [
        _student(email, first, last, schools[school], major, skills)
        for email, first, last, school, major, skills in EXTRA_STUDENTS
    ]
    student = User.objects.get(email="student@demo.test")
    intl = User.objects.get(email="intl.student@demo.test")
    _connect_payout_account(student)
    employer = User.objects.get(email="employer@demo.test")
    brightline = [
        p for p in projects if p.organization.name == "Brightline Analytics" and p.status == "open"
    ]
    others = [
        p for p in projects if p.organization.name != "Brightline Analytics" and p.status == "open"
    ]

    # Brightline's first open project: a full applicant list to review, blind.
    review = brightline[0]
    for i, applicant in enumerate([student, intl, *extra[:3]]):
        _apply(applicant, review, COVER_NOTES[i % len(COVER_NOTES)])
    applications.application_shortlist(
        actor=employer, application=Application.objects.get(project=review, student=extra[0])
    )

    # An engagement under way, with time logged and a message each way.
    working = brightline[1]
    application = _apply(student, working, COVER_NOTES[0])
    engagement = engagements.application_accept(actor=employer, application=application)
    _fund(engagement)
    engagements.time_entry_log(
        actor=student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=10,
        description="Kickoff call, read the brief and the data dictionary, first cleaning pass.",
    )
    engagements.message_post(
        actor=employer,
        engagement=engagement,
        body="Welcome aboard! Shout if anything in the data looks odd; I am around all week.",
    )
    engagements.message_post(
        actor=student,
        engagement=engagement,
        body="Thanks! Two store names are spelled three ways; I will merge them and list it.",
    )
    _held_session_with_notes(engagement, employer, student)
    # Due tomorrow: the deadline reminders and the "due in …" countdown show in the demo.
    Engagement.objects.filter(pk=engagement.pk).update(due_at=timezone.now() + timedelta(hours=20))

    # Work submitted and waiting for the employer's review.
    reviewing = brightline[2]
    application = _apply(extra[2], reviewing, COVER_NOTES[2])
    engagement = engagements.application_accept(actor=employer, application=application)
    _fund(engagement)
    engagements.time_entry_log(
        actor=extra[2],
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=min(engagement.cap_quarters, 24),
        description="Built the dashboard and wrote the summary.",
    )
    engagements.submission_create(
        actor=extra[2],
        engagement=engagement,
        data=engagements.SubmissionData(
            note="Here is the dashboard and a one-page summary of what it shows.",
            links=["https://example.com/shared/dashboard-demo"],
            files=[],
        ),
    )

    # A student applying elsewhere too, and an accepted engagement awaiting funding.
    _apply(student, others[0], COVER_NOTES[1])
    waiting = others[1]
    application = _apply(extra[3], waiting, COVER_NOTES[1])
    owner = authors[waiting.organization.name]
    engagements.application_accept(actor=owner, application=application)

    # Work sent back for a revision, and work approved.
    for project, worker, revise in ((others[2], extra[1], True), (others[3], extra[4], False)):
        owner = authors[project.organization.name]
        engagement = work_and_submit(
            worker,
            project,
            cover_note=COVER_NOTES[0],
            quarters=16,
            did="Drafted the first version and checked it against the brief.",
            note="First complete version, ready for your comments.",
            link="https://example.com/shared/first-version",
        )
        if revise:
            engagements.submission_request_revision(
                actor=owner,
                engagement=engagement,
                comment="Good start. Please shorten the intro and add sources for the figures.",
            )
        else:
            engagements.submission_approve(
                actor=owner, engagement=engagement, comment="Exactly what we needed, thank you!"
            )
            _evaluate_both_ways(engagement, owner, worker)
    return True


def work_and_submit(
    student: User, project: Project, *, cover_note, quarters, did, note, link
) -> Engagement:
    """A student applies, is accepted and funded, logs time and hands the work in."""
    application = _apply(student, project, cover_note)
    engagement = engagements.application_accept(actor=project.created_by, application=application)
    _fund(engagement)
    engagements.time_entry_log(
        actor=student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=min(engagement.cap_quarters, quarters),
        description=did,
    )
    engagements.submission_create(
        actor=student,
        engagement=engagement,
        data=engagements.SubmissionData(note=note, links=[link], files=[]),
    )
    return engagement


def _held_session_with_notes(engagement, employer: User, student: User) -> None:
    """A session that took place an hour ago, with both sides' notes and marked held."""
    session = FeedbackSession.objects.create(
        engagement=engagement,
        kind="extra",
        scheduled_at=timezone.now() - timedelta(hours=1),
        agenda="Quick call about the data dictionary.",
        created_by=employer,
    )
    feedback.session_note_save(
        actor=employer,
        session=session,
        went_well="Jordan came with clear questions and a first cleaning plan.",
        to_change="Share the plan in writing before starting each step.",
        next_steps="Merge the duplicated store names; send a list of open questions.",
    )
    feedback.session_note_save(
        actor=student,
        session=session,
        went_well="I understand which columns matter most.",
        to_change="",
        next_steps="Finish the cleaning script by Friday.",
    )
    feedback.session_mark(actor=employer, session=session, held=True)


def _evaluate_both_ways(engagement, employer: User, student: User) -> None:
    feedback.student_evaluation_submit(
        actor=employer,
        engagement=engagement,
        data={
            "communication": 5,
            "problem_solving": 4,
            "quality": 5,
            "timeliness": 4,
            "professionalism": 5,
            "strengths": "Clear visual thinking and fast, well-explained iterations.",
            "growth_areas": "Ask for feedback earlier instead of polishing alone.",
            "would_work_again": True,
            "interested_full_time": True,
            # The first objective fully met, the second only in part.
            "objectives": {o.pk: o.position == 1 for o in engagement.project.objectives.all()},
        },
    )
    feedback.employer_review_submit(
        actor=student,
        engagement=engagement,
        data={
            "clarity": 5,
            "support": 4,
            "learning_value": 5,
            "comment": "A clear brief and honest, useful feedback at every check-in.",
        },
    )

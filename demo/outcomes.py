"""Demo data for career outcomes: Brightline Analytics' talent pool and its outreach.

Created once, after the demo projects and oversight data: the main demo student opts in to
being discovered and contacted; employer@demo.test keeps two students who worked for
Brightline in its pool, with tags and notes, has invited the main student to apply to
another open project and has told them it is interested in hiring them full-time. The main
student has written a reflection on their finished project and shows it on their record.
"""

from accounts.models import StudentProfile, User
from engagements.models import Engagement, EngagementStatus
from outcomes import reflections, talent
from outcomes.models import Reflection, TalentPoolEntry
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


REFLECTION = """\
I took this project because I wanted to see how pricing research is done outside a \
classroom, where nobody hands you a clean data set. My first objective was to design a \
comparison framework before collecting anything. I skipped that step at first and started \
copying prices into a sheet, and after the kickoff I realised that half of my columns could \
not be compared: some competitors priced per seat, others per month, others per project. \
Rebuilding the table around a common unit took a day, but it made every later step faster, \
and it is the habit I most want to keep.

The second objective was to find, cite and check primary sources. I learned to take a \
screenshot and note the date for every price, because two pricing pages changed while I was \
working. When a reseller's figure disagreed with the vendor's own page I wrote both down \
and flagged the gap instead of picking one. My supervisor said that this was the part of the \
table she trusted most, which surprised me, since it felt like the least creative work.

The third objective was to summarise the findings for a manager. My first summary was three \
pages long and walked through every competitor in order. The feedback at the weekly check-in \
was direct: lead with the answer, then the evidence. The final version opened with three \
recommendations and kept the detail in an appendix. Writing it that way forced me to decide \
what I actually believed the numbers said, which was harder than collecting them.

If I did this again I would ask more questions in the first two days. I waited until the \
check-in to raise the problem with units, and a short message on the first afternoon would \
have saved time. I also underestimated how long it takes to check sources properly; my hours \
log shows that verification took almost as long as collection.

The project showed me that research work is mostly judgment about what to compare and how \
much to trust each figure. I now feel ready to take on an analyst internship, and I know \
which skills I still need to practise: spreadsheet modelling and presenting to a room.
"""


def _reflection_of_the_main_student(student: User) -> None:
    """The main student looks back on their finished project and shows it on the record."""
    engagement = (
        Engagement.objects.filter(
            student=student, status__in=(EngagementStatus.APPROVED, EngagementStatus.PAID)
        )
        .order_by("pk")
        .first()
    )
    if engagement is None or Reflection.objects.filter(engagement=engagement).exists():
        return
    first = engagement.project.objectives.order_by("position").first()
    reflections.reflection_submit(
        actor=student,
        engagement=engagement,
        data=reflections.ReflectionData(
            text=REFLECTION,
            share_on_record=True,
            notes={first.pk: "Rebuilt the table around a common unit after the kickoff."}
            if first
            else {},
        ),
    )


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
    _reflection_of_the_main_student(student)
    talent.fulltime_mark(
        actor=employer,
        student=student,
        message="We are hiring a junior data analyst next spring. Your work with us made us "
        "think of you first: would you like to talk when you are closer to graduating?",
    )
    return True

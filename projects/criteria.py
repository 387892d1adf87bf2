"""What makes a project an internship rather than gig work: NACE's criteria, checked.

NACE (the National Association of Colleges and Employers) asks of an internship: a defined
beginning and end with a description of the work, learning objectives, supervision by a
professional, and routine feedback; the field adds fair pay. A project meets:

- **dates and description**: an apply-by date, days to complete, a description and the
  deliverables (every project posted through the form has them);
- **learning objectives**: between 1 and 5 (`projects.LearningObjective`);
- **a named supervisor**: a member of the organization's team, or a name with an address;
- **scheduled feedback**: the platform plans a kickoff, weekly check-ins until the due date
  and a final review for every engagement (feedback.services `sessions_plan`); for a
  project it is met when the work is long enough for at least one weekly check-in between
  the kickoff and the due date (`days_to_complete` of at least `CHECK_IN_MIN_DAYS`);
- **paid at or above the floor**: fee ÷ hours at least `HOURLY_RATE_FLOOR_CENTS`.

An engagement meets every criterion when its project does and, in addition, what the
criteria promise happened: at least one feedback session was held, the employer's final
evaluation marked every objective met or not, and the student wrote a reflection. The school
dashboard counts those (oversight.dashboard); `engagement_meets_all` is the rule, and
`project_criteria_q` the same project rule as a database condition, so the dashboard
counts in one query what the project page shows.

Drafts may lack objectives and a supervisor; publishing requires both (projects.services).
Projects published before the rule existed keep their status and show the criteria unmet.
"""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q

from projects import rules
from projects.models import OBJECTIVES_MAX, OBJECTIVES_MIN, LearningObjective, Project

DATES = "dates"
OBJECTIVES = "objectives"
SUPERVISOR = "supervisor"
FEEDBACK = "feedback"
PAY = "pay"

# The kickoff is planned the day after funding and the first check-in seven days later;
# check-ins stop a day before the due date: ten days leave room for one.
CHECK_IN_MIN_DAYS = 10

LABELS = {
    DATES: "Defined dates and description",
    OBJECTIVES: "Learning objectives",
    SUPERVISOR: "Named supervisor",
    FEEDBACK: "Scheduled feedback",
    PAY: "Paid at or above the floor",
}


@dataclass(frozen=True)
class Criterion:
    key: str
    met: bool
    detail: str

    @property
    def label(self) -> str:
        return LABELS[self.key]


def project_criteria(project: Project, *, objective_count: int) -> list[Criterion]:
    """Which criteria the project meets, in the order the page shows them. Pure: it reads
    only the project's own fields and the number of objectives it is given."""
    floor = rules.limits().rate_floor_cents
    rate = rules.implied_rate_cents(project.fee_cents, project.hours)
    described = bool(project.description.strip() and project.deliverables.strip())
    supervisor = project.supervisor_display_name if project.has_named_supervisor else ""
    if project.supervisor_title and supervisor:
        supervisor = f"{supervisor}, {project.supervisor_title}"
    return [
        Criterion(
            DATES,
            described and bool(project.apply_by and project.days_to_complete),
            f"Apply by {project.apply_by:%b %d}; {project.days_to_complete} days to complete, "
            "with a description and deliverables."
            if described
            else "The description or the deliverables are missing.",
        ),
        Criterion(
            OBJECTIVES,
            OBJECTIVES_MIN <= objective_count <= OBJECTIVES_MAX,
            f"{objective_count} stated."
            if objective_count
            else "None stated: the project does not say what the student will learn.",
        ),
        Criterion(
            SUPERVISOR,
            bool(supervisor),
            supervisor or "No supervisor named.",
        ),
        Criterion(
            FEEDBACK,
            project.days_to_complete >= CHECK_IN_MIN_DAYS,
            "A kickoff, weekly check-ins and a final review are scheduled."
            if project.days_to_complete >= CHECK_IN_MIN_DAYS
            else "A kickoff and a final review only: too short for a weekly check-in.",
        ),
        Criterion(
            PAY,
            rate >= floor,
            f"${rate / 100:,.2f} an hour; the floor is ${floor / 100:,.2f}.",
        ),
    ]


def meets_all(criteria: list[Criterion]) -> bool:
    return all(c.met for c in criteria)


def engagement_meets_all(
    project_met: bool,
    *,
    paid_at_floor: bool,
    feedback_held: bool,
    objectives_evaluated: bool,
    reflected: bool,
) -> bool:
    """An engagement meets every criterion when its project does, its own fee (which an
    extension may have changed) is at or above the floor, and the learning was followed up:
    a session held, every objective marked in the final evaluation, a reflection written."""
    return project_met and paid_at_floor and feedback_held and objectives_evaluated and reflected


def project_criteria_q(prefix: str = "") -> Q:
    """`project_criteria` as one database condition on the project at `prefix` (for
    example "project__" from an engagement), all criteria met."""
    p = prefix
    has_objectives = Exists(LearningObjective.objects.filter(project=OuterRef(f"{p}pk")))
    named = Q(**{f"{p}supervisor__isnull": False}) | (
        ~Q(**{f"{p}supervisor_name": ""}) & ~Q(**{f"{p}supervisor_email": ""})
    )
    floor = rules.limits().rate_floor_cents
    return (
        ~Q(**{f"{p}description": ""})
        & ~Q(**{f"{p}deliverables": ""})
        & has_objectives
        & named
        & Q(**{f"{p}days_to_complete__gte": CHECK_IN_MIN_DAYS})
        & Q(**{f"{p}fee_cents__gte": F(f"{p}hours") * floor})
    )

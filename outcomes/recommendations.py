"""Recommended projects for a student: open projects ranked by what we know of them.

A project earns points for each of its skills the student lists, for each project of the
same category the student completed (approved or paid), and when its organization rated
the student's work well before. The ranking is computed in the database over every open
project, in four queries whatever the number of projects, and each pick says why.
"""

from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.models import StudentProfile, User
from engagements.models import Engagement, EngagementStatus
from feedback.models import STUDENT_SCORES, EmployerReview, StudentEvaluation
from feedback.selectors import revealed_filter
from projects.models import Application, Category, Project
from projects.selectors import open_projects

TOP = 5
POINTS_PER_SKILL = 3
POINTS_PER_COMPLETED = 2
COMPLETED_COUNTED = 3  # more projects of one category add nothing more
POINTS_FOR_RATING = 4
GOOD_RATING = 4.0  # average of an organization's evaluations of the student, out of 5


@dataclass(frozen=True)
class Recommendation:
    project: Project
    score: int
    reasons: list[str]


def _ratings(student: User) -> dict[int, tuple[str, float]]:
    """Each organization's average evaluation of the student (revealed ones only: what the
    student can already read), by organization id."""
    total = sum((F(score) for score in STUDENT_SCORES[1:]), F(STUDENT_SCORES[0]))
    rows = (
        StudentEvaluation.objects.filter(revealed_filter(EmployerReview))
        .filter(engagement__student=student)
        .values("engagement__organization_id", "engagement__organization__name")
        .annotate(average=Avg(total))
        .order_by()
    )
    return {
        row["engagement__organization_id"]: (
            row["engagement__organization__name"],
            row["average"] / len(STUDENT_SCORES),
        )
        for row in rows
    }


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def recommended_projects(student: User, *, limit: int = TOP) -> list[Recommendation]:
    skill_ids = list(
        StudentProfile.skills.through.objects.filter(studentprofile_id=student.pk).values_list(
            "skill_id", flat=True
        )
    )
    completed = dict(
        Engagement.objects.filter(
            student=student, status__in=[EngagementStatus.APPROVED, EngagementStatus.PAID]
        )
        .values("project__category")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("project__category", "n")
    )
    well_rated = {
        organization_id: rating
        for organization_id, rating in _ratings(student).items()
        if rating[1] >= GOOD_RATING
    }
    if not (skill_ids or completed or well_rated):
        return []

    through = Project.skills.through
    overlap = (
        through.objects.filter(project_id=OuterRef("pk"), skill_id__in=skill_ids)
        .order_by()
        .values("project_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    zero = Value(0, output_field=IntegerField())
    category_points = (
        Case(
            *(
                When(
                    category=category, then=Value(min(n, COMPLETED_COUNTED) * POINTS_PER_COMPLETED)
                )
                for category, n in completed.items()
            ),
            default=zero,
            output_field=IntegerField(),
        )
        if completed
        else zero
    )
    rating_points = (
        Case(
            When(organization_id__in=list(well_rated), then=Value(POINTS_FOR_RATING)),
            default=zero,
            output_field=IntegerField(),
        )
        if well_rated
        else zero
    )
    projects = (
        open_projects()
        .exclude(Exists(Application.objects.filter(project=OuterRef("pk"), student=student)))
        .annotate(
            matched=Coalesce(Subquery(overlap, output_field=IntegerField()), zero)
            if skill_ids
            else zero
        )
        .annotate(score=F("matched") * POINTS_PER_SKILL + category_points + rating_points)
        .filter(score__gt=0)
        .select_related("organization")
        .order_by("-score", "-published_at", "-pk")[:limit]
    )

    labels = dict(Category.choices)
    picks = []
    for project in projects:
        reasons = []
        if project.matched:
            reasons.append(f"matches {project.matched} of your skills")
        done = completed.get(project.category, 0)
        if done:
            kind = labels.get(project.category, project.category).lower()
            reasons.append(f"you completed {done} {kind} {_plural(done, 'project', 'projects')}")
        if project.organization_id in well_rated:
            name, rating = well_rated[project.organization_id]
            reasons.append(f"{name} rated your work {round(rating, 1):g}/5")
        picks.append(Recommendation(project=project, score=project.score, reasons=reasons))
    return picks

"""Reads of evaluations for profiles, applicant lists and organization pages.

Only evaluations both sides can already see count: both in, or the reveal
delay passed. Each function is a fixed number of aggregate queries.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils import timezone

from feedback.models import EMPLOYER_SCORES, STUDENT_SCORES, EmployerReview, StudentEvaluation


def revealed_filter(other_model) -> Q:
    reveal_before = timezone.now() - timedelta(days=settings.EVALUATION_REVEAL_DAYS)
    return Q(Exists(other_model.objects.filter(engagement=OuterRef("engagement")))) | Q(
        engagement__approved_at__lte=reveal_before
    )


def student_scores(student_ids) -> dict[int, dict]:
    """Average scores of each student's revealed evaluations, by student id."""
    rows = (
        StudentEvaluation.objects.filter(revealed_filter(EmployerReview))
        .filter(engagement__student_id__in=list(student_ids))
        .values("engagement__student_id")
        .annotate(count=Count("pk"), **{s: Avg(s) for s in STUDENT_SCORES})
    )
    summary = {}
    for row in rows:
        scores = {s: round(row[s], 1) for s in STUDENT_SCORES}
        summary[row["engagement__student_id"]] = {
            "count": row["count"],
            "scores": scores,
            "average": round(sum(scores.values()) / len(scores), 1),
        }
    return summary


def organization_reviews(organization_id: int, *, latest: int = 10) -> dict:
    """What students said of an organization: averages and the latest comments."""
    revealed = EmployerReview.objects.filter(revealed_filter(StudentEvaluation)).filter(
        engagement__organization_id=organization_id
    )
    averages = revealed.aggregate(count=Count("pk"), **{s: Avg(s) for s in EMPLOYER_SCORES})
    return {
        "count": averages.pop("count"),
        "scores": {s: round(v, 1) for s, v in averages.items() if v is not None},
        "comments": list(
            revealed.select_related("engagement__project").order_by("-submitted_at")[:latest]
        ),
    }

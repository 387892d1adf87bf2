"""Feedback's parts of other apps' pages: the workspace's sessions and evaluations, the
student's evaluation summary, an applicant list's shared scores and an organization's
reviews. Each reads what it shows in a fixed number of queries."""

from django import template
from django.db.models import Prefetch
from django.utils import timezone

from engagements.models import EngagementStatus
from feedback import selectors
from feedback.forms import EmployerReviewForm, SessionForm, StudentEvaluationForm
from feedback.models import EmployerReview, FeedbackSession, SessionNote, StudentEvaluation
from feedback.services import evaluations_visible

register = template.Library()

NOTE_FIELDS = [
    ("went_well", "What went well"),
    ("to_change", "What to change"),
    ("next_steps", "Next steps"),
]
EVALUABLE = (EngagementStatus.APPROVED, EngagementStatus.PAID)


def _page(context) -> dict:
    """What every workspace part needs from the page: the engagement, the viewer's role and
    the CSRF token (an inclusion tag does not inherit the page's context)."""
    return {
        "engagement": context["engagement"],
        "role": context["role"],
        "csrf_token": context.get("csrf_token"),
        "focus": context.get("focus"),
        "rules": context.get("rules"),
        "now": timezone.now(),
    }


@register.inclusion_tag("feedback/_sessions.html", takes_context=True)
def workspace_sessions(context):
    engagement, role = context["engagement"], context["role"]
    employer = role == "employer"
    return {
        **_page(context),
        "sessions": list(
            FeedbackSession.objects.filter(engagement=engagement).prefetch_related(
                Prefetch("notes", queryset=SessionNote.objects.select_related("author"))
            )
        ),
        "can_schedule": employer
        and engagement.status
        not in (EngagementStatus.AWAITING_FUNDING, EngagementStatus.CANCELLED),
        "can_write_notes": role in ("student", "employer"),
        "note_form_fields": NOTE_FIELDS,
        "session_form": context.get("session_form") or SessionForm(),
    }


@register.inclusion_tag("feedback/_evaluations.html", takes_context=True)
def workspace_evaluations(context):
    engagement = context["engagement"]
    if engagement.status not in EVALUABLE:
        return {"shown": False}
    evaluation = StudentEvaluation.objects.filter(engagement=engagement).first()
    review = EmployerReview.objects.filter(engagement=engagement).first()
    return {
        **_page(context),
        "shown": True,
        "evaluation": evaluation,
        "employer_review": review,
        "visible": evaluations_visible(engagement, both_in=bool(evaluation and review)),
        "evaluation_form": context.get("evaluation_form") or StudentEvaluationForm(),
        "employer_review_form": context.get("employer_review_form") or EmployerReviewForm(),
    }


@register.simple_tag
def evaluation_summary(student):
    """The student's averages over evaluations both sides can see (None without any)."""
    return selectors.student_scores([student.pk]).get(student.pk)


@register.simple_tag
def shared_scores(applicants):
    """Averages of the applicants who chose to show them to employers, by student id."""
    sharing = [
        a.application.student_id
        for a in applicants
        if getattr(
            getattr(a.application.student, "student_profile", None),
            "show_evaluations_to_employers",
            False,
        )
    ]
    return selectors.student_scores(sharing) if sharing else {}


@register.simple_tag
def organization_reviews(organization):
    return selectors.organization_reviews(organization.pk)

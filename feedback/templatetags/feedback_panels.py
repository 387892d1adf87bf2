"""Feedback's parts of other apps' pages: the workspace's sessions and evaluations, the
student's evaluation summary, an applicant list's shared scores and an organization's
reviews. Each reads what it shows in a fixed number of queries."""

from django import template
from django.db.models import Prefetch
from django.utils import timezone

from engagements.models import EngagementStatus
from feedback import selectors
from feedback.forms import EmployerReviewForm, SessionForm, StudentEvaluationForm
from feedback.models import (
    EmployerReview,
    FeedbackSession,
    ObjectiveOutcome,
    SessionNote,
    StudentEvaluation,
)
from feedback.services import evaluations_visible
from projects.disclosures import Event, disclosures_record_many
from projects.models import ApplicationStatus, DisclosedField, DisclosureReason

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
    evaluation = (
        StudentEvaluation.objects.filter(engagement=engagement)
        .prefetch_related(
            Prefetch(
                "objective_outcomes",
                queryset=ObjectiveOutcome.objects.select_related("objective"),
            )
        )
        .first()
    )
    review = EmployerReview.objects.filter(engagement=engagement).first()
    return {
        **_page(context),
        "shown": True,
        "evaluation": evaluation,
        "employer_review": review,
        "visible": evaluations_visible(engagement, both_in=bool(evaluation and review)),
        "evaluation_form": context.get("evaluation_form")
        or (
            StudentEvaluationForm(objectives=engagement.project.objectives.all())
            if evaluation is None and context["role"] == "employer"
            else None
        ),
        "employer_review_form": context.get("employer_review_form") or EmployerReviewForm(),
    }


@register.simple_tag
def evaluation_summary(student):
    """The student's averages over evaluations both sides can see (None without any)."""
    return selectors.student_scores([student.pk]).get(student.pk)


def _shares_scores(application) -> bool:
    """The student shares their averages (profile) and consented to this application
    carrying them; a withdrawn application carries nothing more."""
    profile = getattr(application.student, "student_profile", None)
    return (
        getattr(profile, "show_evaluations_to_employers", False)
        and DisclosedField.EVALUATION_AVERAGES in application.consent_fields
        and application.status != ApplicationStatus.WITHDRAWN
    )


@register.simple_tag(takes_context=True)
def shared_scores(context, applicants):
    """Averages of the applicants who chose to show them to employers, by student id. Showing
    them is a disclosure, logged once per application (projects.disclosures)."""
    shown = {
        a.application.student_id: a.application for a in applicants if _shares_scores(a.application)
    }
    scores = selectors.student_scores(list(shown)) if shown else {}
    viewer = getattr(context.get("request"), "user", None)
    project = context.get("project")  # the applicant list is one project's
    if scores and project is not None and viewer is not None and viewer.is_authenticated:
        disclosures_record_many(
            Event(
                student_id=student_id,
                organization_id=project.organization_id,
                viewer_id=viewer.pk,
                reason=DisclosureReason.APPLICATION,
                fields=[DisclosedField.EVALUATION_AVERAGES],
                subject=f"application:{shown[student_id].pk}",
                project_id=project.pk,
            )
            for student_id in scores
        )
    return scores


@register.simple_tag
def organization_reviews(organization):
    return selectors.organization_reviews(organization.pk)

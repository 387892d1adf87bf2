"""Feedback sessions and evaluations: the supervision that makes short work educational."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from engagements.models import Engagement
from projects.models import LearningObjective


class SessionKind(models.TextChoices):
    KICKOFF = "kickoff", "Kickoff"
    CHECK_IN = "check_in", "Weekly check-in"
    FINAL_REVIEW = "final_review", "Final review"
    EXTRA = "extra", "Extra session"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


class FeedbackSession(models.Model):
    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    Kind = SessionKind
    Status = SessionStatus

    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="feedback_sessions"
    )
    kind = models.CharField(max_length=15, choices=SessionKind.choices)
    scheduled_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=30)
    meeting_link = models.URLField(max_length=300, blank=True)
    agenda = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default="scheduled")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # What a subscribed calendar needs to replace its copy (RFC 5545 SEQUENCE and
    # LAST-MODIFIED): the sequence grows when the time or the status changes.
    sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["scheduled_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=10, duration_minutes__lte=240),
                name="session_duration_in_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SessionStatus.values), name="session_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="scheduled")
                | Q(status="cancelled")
                | Q(marked_at__isnull=False),
                name="session_marked_has_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["scheduled_at"],
                name="session_scheduled_due",
                condition=Q(status="scheduled"),
            )
        ]

    def __str__(self):
        # The day in the current (the reader's) time zone, like every time on a page.
        return f"{self.get_kind_display()} on {timezone.localtime(self.scheduled_at):%Y-%m-%d}"

    @property
    def ends_at(self):
        return self.scheduled_at + timedelta(minutes=self.duration_minutes)


class SessionNote(models.Model):
    """What one side takes away from a session; each side keeps one note a session."""

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "session"

    session = models.ForeignKey(FeedbackSession, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    went_well = models.TextField("what went well", max_length=2000, blank=True)
    to_change = models.TextField("what to change", max_length=2000, blank=True)
    next_steps = models.TextField("next steps", max_length=2000, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "author"], name="note_one_per_author"),
            models.CheckConstraint(
                condition=~Q(went_well="", to_change="", next_steps=""),
                name="note_not_empty",
            ),
        ]

    def __str__(self):
        return f"Note by {self.author} on {self.session}"


def _score(name: str):
    return models.PositiveSmallIntegerField(name)


def _scores_1_to_5(fields: tuple[str, ...], name: str) -> models.CheckConstraint:
    within = Q()
    for field in fields:
        within &= Q(**{f"{field}__gte": 1, f"{field}__lte": 5})
    return models.CheckConstraint(condition=within, name=name)


STUDENT_SCORES = ("communication", "problem_solving", "quality", "timeliness", "professionalism")
EMPLOYER_SCORES = ("clarity", "support", "learning_value")


class StudentEvaluation(models.Model):
    """The employer's final evaluation of the student."""

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    engagement = models.OneToOneField(
        Engagement, on_delete=models.PROTECT, related_name="student_evaluation"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    communication = _score("communication")
    problem_solving = _score("problem solving")
    quality = _score("quality of work")
    timeliness = _score("timeliness")
    professionalism = _score("professionalism")
    strengths = models.TextField(max_length=2000)
    growth_areas = models.TextField(max_length=2000)
    would_work_again = models.BooleanField()
    interested_full_time = models.BooleanField()
    submitted_at = models.DateTimeField(default=timezone.now)

    SCORES = STUDENT_SCORES

    class Meta:
        constraints = [_scores_1_to_5(STUDENT_SCORES, "student_evaluation_scores_1_to_5")]

    def __str__(self):
        return f"Evaluation of {self.engagement.student} on {self.engagement.project}"

    @property
    def average(self) -> float:
        return sum(getattr(self, s) for s in self.SCORES) / len(self.SCORES)


class ObjectiveOutcome(models.Model):
    """In the final evaluation, the employer marks each learning objective met or not.

    Every objective the project states is marked when the evaluation is submitted
    (feedback.services `student_evaluation_submit`); an evaluation made before the
    project had objectives has none."""

    evaluation = models.ForeignKey(
        StudentEvaluation, on_delete=models.CASCADE, related_name="objective_outcomes"
    )
    objective = models.ForeignKey(LearningObjective, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField()

    class Meta:
        ordering = ["objective__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "objective"], name="objective_outcome_one_per_objective"
            )
        ]

    def __str__(self):
        return f"{self.objective}: {'met' if self.met else 'not met'}"


class EmployerReview(models.Model):
    """The student's review of the employer and the experience."""

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    engagement = models.OneToOneField(
        Engagement, on_delete=models.PROTECT, related_name="employer_review"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    clarity = _score("clarity of instructions")
    support = _score("support and supervision")
    learning_value = _score("learning value")
    comment = models.TextField(max_length=2000)
    submitted_at = models.DateTimeField(default=timezone.now)

    SCORES = EMPLOYER_SCORES

    class Meta:
        constraints = [_scores_1_to_5(EMPLOYER_SCORES, "employer_review_scores_1_to_5")]

    def __str__(self):
        return f"Review of {self.engagement.organization} by {self.engagement.student}"

    @property
    def average(self) -> float:
        return sum(getattr(self, s) for s in self.SCORES) / len(self.SCORES)

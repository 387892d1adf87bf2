"""Feedback sessions and evaluations: the supervision that makes short work educational."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from projects.models import Engagement


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


class EmployerReview(models.Model):
    """The student's review of the employer and the experience."""

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


# --- Career services oversight -------------------------------------------------------------


class FlagRule(models.TextChoices):
    """Integrity rules checked automatically (feedback.integrity); "" for a staff flag."""

    HOURS_NEAR_CAP = "hours_near_cap", "Hours at 90% of the cap or more"
    RATE_UNDER_FLOOR = "rate_under_floor", "Effective hourly rate under the floor"
    SESSION_MISSED = "session_missed", "A feedback session was missed"
    NO_RECENT_SESSION = "no_recent_session", "No session held in 10 days"
    OVERDUE = "overdue", "Past its due date"
    AUTHORIZATION_EXPIRED = "authorization_expired", "Work authorization expired"


class Flag(models.Model):
    """Something career services follow up: raised by a staff member or by an integrity rule."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    Rule = FlagRule

    school = models.ForeignKey("accounts.School", on_delete=models.PROTECT, related_name="flags")
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.PROTECT, related_name="flags"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="flags",
    )
    rule = models.CharField(max_length=30, choices=FlagRule.choices, blank=True)
    note = models.TextField(max_length=2000)
    follow_up_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default="open")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["status", "-raised_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(engagement__isnull=False) | Q(organization__isnull=False),
                name="flag_is_about_something",
            ),
            # An automatic rule raises one open flag per engagement at a time.
            models.UniqueConstraint(
                fields=["engagement", "rule"],
                condition=Q(status="open") & ~Q(rule=""),
                name="flag_one_open_per_rule",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(resolved_at__isnull=False),
                name="flag_resolved_has_date",
            ),
        ]
        indexes = [models.Index(fields=["school", "status"], name="flag_school_status")]

    def __str__(self):
        subject = self.engagement or self.organization
        return f"{self.get_rule_display() or 'Flag'}: {subject}"


class CoachingNote(models.Model):
    """Career services' advice to the student on presenting a finished engagement."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="coaching_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Coaching for {self.engagement}"


# --- Verified experiences: the record of finished work the student shows -------------------


def new_verification_code() -> str:
    """The public address of a record: random, never derived from ids, unguessable."""
    return secrets.token_urlsafe(16)


def new_badge_salt() -> str:
    return secrets.token_hex(8)


class VerifiedExperience(models.Model):
    """Created when an engagement is approved; the student decides what the public sees.

    A platform admin may revoke it (a dispute or fraud found later): the public page and
    the badge then say so and show nothing else. The résumé drafts are stored only once
    the student edits them; until then they are drafted afresh from the facts
    (feedback.resume), so they follow the evaluation when it arrives.
    """

    engagement = models.OneToOneField(
        Engagement, on_delete=models.PROTECT, related_name="verified_experience"
    )
    code = models.CharField(max_length=43, unique=True, default=new_verification_code)
    is_public = models.BooleanField(
        "public", default=True, help_text="Anyone with the link can open the record."
    )
    show_evaluation = models.BooleanField(
        "show evaluation highlights",
        default=False,
        help_text="Show the employer's evaluation highlights on the public record.",
    )
    # The Open Badges recipient: "sha256$" + sha256(email + salt), fixed when issued so a
    # badge already in a wallet keeps verifying.
    badge_salt = models.CharField(max_length=32, default=new_badge_salt)
    recipient_hash = models.CharField(max_length=80)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(max_length=1000, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bullets = models.TextField("résumé bullets", max_length=1500, blank=True)
    story_situation = models.TextField("situation", max_length=1000, blank=True)
    story_task = models.TextField("task", max_length=1000, blank=True)
    story_action = models.TextField("action", max_length=1000, blank=True)
    story_result = models.TextField("result", max_length=1000, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="experience_revoked_has_reason",
            )
        ]

    def __str__(self):
        return f"Verified experience: {self.engagement}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None

    @property
    def bullet_list(self) -> list[str]:
        return [line.strip() for line in self.bullets.splitlines() if line.strip()]

"""Career outcomes: the verified record of finished work, talent pools, invitations to
apply and full-time interest.

Who may see or contact whom is decided in `outcomes.talent`, in one place. The tables
keep the names they had in `projects` and `feedback`, so existing databases move over
untouched.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Organization
from engagements.models import Engagement
from projects.models import LearningObjective, Project

# A reflection is a short essay: long enough to say something about each objective,
# short enough to be read by career staff and credit reviewers (outcomes.reflections).
REFLECTION_WORDS_MIN, REFLECTION_WORDS_MAX = 300, 500
REFLECTION_NOTE_MAX = 500

# --- Verified experiences: the record of finished work the student shows ----------------


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

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

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
        db_table = "feedback_verifiedexperience"
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


# --- The student's reflection on what they learned ------------------------------------


class Reflection(models.Model):
    """The student's reflection on an approved engagement, against its learning objectives.

    Written only once the work is approved (outcomes.reflections); revised for
    `REFLECTION_EDIT_DAYS` after it was first submitted, then fixed, so what career
    staff and credit reviewers read does not move under them. The verified record shows
    it only if the student chooses (`share_on_record`); their school's career staff
    always read it.
    """

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "engagement"

    engagement = models.OneToOneField(
        Engagement, on_delete=models.PROTECT, related_name="reflection"
    )
    text = models.TextField(max_length=6000)
    # Counted by outcomes.reflections.word_count when saved; the database keeps the range.
    word_count = models.PositiveSmallIntegerField()
    share_on_record = models.BooleanField(
        "show on my verified record",
        default=False,
        help_text="Anyone who opens your public record reads the reflection.",
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    word_count__gte=REFLECTION_WORDS_MIN, word_count__lte=REFLECTION_WORDS_MAX
                ),
                name="reflection_word_count_in_range",
            ),
            models.CheckConstraint(
                condition=Q(updated_at__gte=F("submitted_at")),
                name="reflection_updated_after_submitted",
            ),
        ]

    def __str__(self):
        return f"Reflection on {self.engagement}"


class ReflectionNote(models.Model):
    """An optional note of the student's on one learning objective."""

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="notes")
    objective = models.ForeignKey(LearningObjective, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=REFLECTION_NOTE_MAX)

    class Meta:
        ordering = ["objective__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["reflection", "objective"], name="reflection_note_one_per_objective"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="reflection_note_not_empty"),
        ]

    def __str__(self):
        return self.text[:60]


# --- Talent pools, invitations, full-time interest ---------------------------------------

TAGS_MAX, TAG_LENGTH_MAX = 10, 30


class TalentPoolEntry(models.Model):
    """A student an organization keeps in mind, with its own tags and private notes."""

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "student"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="talent_pool"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talent_pool_entries"
    )
    # Normalized tags between commas (",data,writing,"), so that one tag is found with a
    # plain `contains` on SQLite and PostgreSQL alike.
    tags = models.CharField(max_length=TAGS_MAX * (TAG_LENGTH_MAX + 1) + 1, blank=True)
    notes = models.TextField("private notes", max_length=2000, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "projects_talentpoolentry"
        ordering = ["-updated_at", "-pk"]
        verbose_name = "talent pool entry"
        verbose_name_plural = "talent pool entries"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "student"], name="talent_one_entry_per_student"
            )
        ]

    def __str__(self):
        return f"{self.student} in {self.organization}'s talent pool"

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]


class InvitationStatus(models.TextChoices):
    SENT = "sent", "Sent"
    APPLIED = "applied", "Applied"
    DECLINED = "declined", "Declined"


class Invitation(models.Model):
    """An employer asks a student it knows to apply to one of its open projects."""

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "student"

    Status = InvitationStatus

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.SENT
    )
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "projects_invitation"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "student"], name="invitation_one_per_student_project"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InvitationStatus.values), name="invitation_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["student", "status"], name="invitation_student_status")]

    def __str__(self):
        return f"Invitation of {self.student} to {self.project}"


class FullTimeInterestStatus(models.TextChoices):
    OPEN = "open", "Waiting for the student"
    REPLIED = "replied", "Replied"
    WITHDRAWN = "withdrawn", "Withdrawn"


class FullTimeAnswer(models.TextChoices):
    INTERESTED = "interested", "Interested"
    NOT_NOW = "not_now", "Not now"


class FullTimeInterest(models.Model):
    """An organization would like to hire the student full-time. The student hears of it only
    if they accept being contacted (`told_student`); the mark counts in career services'
    reports either way."""

    # Whose school the audit trail files this under (accounts.audit).
    audit_school_via = "student"

    Status = FullTimeInterestStatus
    Answer = FullTimeAnswer

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="fulltime_interests"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fulltime_interests"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(max_length=1000)
    told_student = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=FullTimeInterestStatus.choices, default=FullTimeInterestStatus.OPEN
    )
    answer = models.CharField(max_length=12, choices=FullTimeAnswer.choices, blank=True)
    student_reply = models.TextField(max_length=500, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "projects_fulltimeinterest"
        ordering = ["-created_at", "-pk"]
        verbose_name = "full-time interest"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "student"],
                condition=Q(status="open"),
                name="fulltime_one_open_per_student",
            ),
            models.CheckConstraint(
                condition=Q(status__in=FullTimeInterestStatus.values),
                name="fulltime_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="replied") | ~Q(answer=""), name="fulltime_reply_has_answer"
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="fulltime_created")]

    def __str__(self):
        return f"{self.organization} interested in {self.student} full-time"


# --- Academic credit (outcomes/credit/models.py) -----------------------------------------

from outcomes.credit.models import (  # noqa: E402
    CreditPolicy,
    CreditRequest,
    CreditStep,
    FacultyReviewLink,
)

__all__ = [
    "CreditPolicy",
    "CreditRequest",
    "CreditStep",
    "FacultyReviewLink",
    "FullTimeInterest",
    "Invitation",
    "Reflection",
    "ReflectionNote",
    "TalentPoolEntry",
    "VerifiedExperience",
]

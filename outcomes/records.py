"""Verified experiences: the record of an approved engagement the student shows the world.

A record is issued once, when the work is approved (by the employer or automatically
after a silence): `experience_record` runs inside `projects.engagements.submission_approve`.
Approval is the only path. A dispute the platform settles, even one that pays the student
part of the fee, ends the engagement cancelled, not approved: the work was not accepted,
so there is nothing to verify and no record. Engagements approved before records existed
got theirs from a data migration.

The student decides whether the record is public and whether evaluation highlights show.
A platform admin may revoke it (a dispute or fraud found later); the public page and the
badge then say so and show nothing else. Every change is audited.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import Role, User
from accounts.notifications import notify
from engagements import lifecycle
from engagements.models import Engagement, EngagementStatus
from feedback.models import STUDENT_SCORES, ObjectiveOutcome, StudentEvaluation
from feedback.services import evaluations_visible
from outcomes import resume
from outcomes.models import Reflection, VerifiedExperience, new_badge_salt
from projects.disclosures import Event, disclosure_record
from projects.models import DisclosedField, DisclosureReason

logger = logging.getLogger(__name__)

VERIFIABLE = (EngagementStatus.APPROVED, EngagementStatus.PAID)
BULLETS = 3
BULLET_MAX = 400
STORY_PARTS = ("situation", "task", "action", "result")
STORY_MAX = 1000
REVOKE_REASON_MAX = 1000


def recipient_hash(email: str, salt: str) -> str:
    """The Open Badges hashed identity: "sha256$" + hex sha256 of the address and salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


# --- Issuing ----------------------------------------------------------------------------


@transaction.atomic
def experience_record(*, engagement_id: int) -> VerifiedExperience | None:
    """Issue the record of an approved engagement (after the approval committed, in answer
    to `engagement_approved`). Calling it again changes nothing."""
    engagement = lifecycle.lock(engagement_id)
    if engagement.status not in VERIFIABLE:
        return None
    existing = VerifiedExperience.objects.filter(engagement=engagement).first()
    if existing is not None:
        return existing
    salt = new_badge_salt()
    return VerifiedExperience.objects.create(
        engagement=engagement,
        badge_salt=salt,
        recipient_hash=recipient_hash(engagement.student.email, salt),
    )


def experiences_reconcile(batch: int = 200) -> int:
    """Periodic: approved engagements without their record (a lost task)."""
    missing = (
        Engagement.objects.filter(status__in=VERIFIABLE, verified_experience__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    )
    issued = 0
    for engagement_id in missing:
        try:
            issued += experience_record(engagement_id=engagement_id) is not None
        except Exception:  # one bad row must not stop the sweep
            logger.exception("Could not issue the record of engagement %s", engagement_id)
    return issued


# --- Reads ------------------------------------------------------------------------------

_RELATED = (
    "engagement__project",
    "engagement__organization",
    "engagement__student",
    "engagement__school",
)


def experience_by_code_or_404(code: str) -> VerifiedExperience:
    record = VerifiedExperience.objects.select_related(*_RELATED).filter(code=code).first()
    if record is None:
        raise Http404("No such record.")
    return record


@transaction.atomic
def record_view_disclosed(*, record: VerifiedExperience, viewer: User) -> bool:
    """A member of another organization opened a student's public record: a disclosure,
    logged once per organization and record (True if written now). Anonymous readers are
    not known, so not logged; the organization that issued the record already knows it."""
    employer = getattr(viewer, "employer_profile", None)
    if not viewer.is_authenticated or viewer.role != Role.EMPLOYER or employer is None:
        return False
    if employer.organization_id == record.engagement.organization_id:
        return False
    return disclosure_record(
        Event(
            student_id=record.engagement.student_id,
            organization_id=employer.organization_id,
            viewer_id=viewer.pk,
            reason=DisclosureReason.RECORD_VIEW,
            fields=[DisclosedField.NAME, DisclosedField.EXPERIENCE],
            subject=f"record:{record.code}",
        )
    )


def _staff_school_id(user: User) -> int | None:
    profile = getattr(user, "career_staff_profile", None)
    return profile.school_id if profile is not None else None


def experience_for_viewer_or_404(viewer: User, pk: int) -> tuple[VerifiedExperience, bool]:
    """A record's private page: the student edits it; their school's career staff and
    platform admins read it; everyone else gets 404. Returns (record, may_edit)."""
    record = VerifiedExperience.objects.select_related(*_RELATED).filter(pk=pk).first()
    if record is None or not (viewer.is_authenticated and viewer.is_active):
        raise Http404("No such record.")
    engagement = record.engagement
    if viewer.role == Role.STUDENT and viewer.pk == engagement.student_id:
        return record, True
    if viewer.is_platform_admin:
        return record, False
    if viewer.role == Role.CAREER_STAFF and _staff_school_id(viewer) == engagement.school_id:
        return record, False
    raise Http404("No such record.")


def experiences_of(student: User):
    """The student's records, newest first, with what the list shows (one query)."""
    return (
        VerifiedExperience.objects.filter(engagement__student=student)
        .select_related("engagement__project", "engagement__organization")
        .order_by("-engagement__approved_at", "-pk")
    )


def visible_evaluation(engagement: Engagement) -> StudentEvaluation | None:
    """The employer's evaluation, if it exists and both sides may see it by now."""
    evaluation = StudentEvaluation.objects.filter(engagement=engagement).first()
    if evaluation is None or not evaluations_visible(engagement, both_in=None):
        return None
    return evaluation


@dataclass(frozen=True)
class Highlights:
    """What the public record shows of the employer's evaluation."""

    scores: list[tuple[str, int]]
    average: float
    would_work_again: bool
    strengths: str


def highlights_of(evaluation: StudentEvaluation | None) -> Highlights | None:
    if evaluation is None:
        return None
    return Highlights(
        scores=[
            (
                str(StudentEvaluation._meta.get_field(name).verbose_name).capitalize(),
                getattr(evaluation, name),
            )
            for name in STUDENT_SCORES
        ],
        average=round(evaluation.average, 1),
        would_work_again=evaluation.would_work_again,
        strengths=evaluation.strengths,
    )


@dataclass(frozen=True)
class ObjectiveLine:
    """A learning objective as the record shows it: met, not met, or not evaluated (None)
    while the employer's evaluation is missing or not yet visible."""

    position: int
    text: str
    met: bool | None

    @property
    def outcome(self) -> str:
        return {True: "Met", False: "Not met", None: "Not evaluated yet"}[self.met]


def objective_lines(engagement: Engagement, evaluation: StudentEvaluation | None):
    """The project's objectives with the employer's marks (two queries)."""
    marks = (
        dict(
            ObjectiveOutcome.objects.filter(evaluation=evaluation).values_list(
                "objective_id", "met"
            )
        )
        if evaluation is not None
        else {}
    )
    return [
        ObjectiveLine(position=o.position, text=o.text, met=marks.get(o.pk))
        for o in engagement.project.objectives.all()
    ]


@dataclass(frozen=True)
class RecordView:
    """A record with the facts its pages, certificate and badge show."""

    record: VerifiedExperience
    facts: resume.Facts
    highlights: Highlights | None
    evaluation: StudentEvaluation | None
    objectives: list[ObjectiveLine]
    # The student's reflection, shared or not: pages decide who reads it (`shared_reflection`
    # for the public record and the certificate).
    reflection: Reflection | None

    @property
    def engagement(self) -> Engagement:
        return self.record.engagement

    @property
    def shared_reflection(self) -> Reflection | None:
        reflection = self.reflection
        return reflection if reflection is not None and reflection.share_on_record else None


def record_view(record: VerifiedExperience) -> RecordView:
    engagement = record.engagement
    evaluation = visible_evaluation(engagement)
    return RecordView(
        record=record,
        facts=resume.facts_of(engagement, evaluation=evaluation),
        highlights=highlights_of(evaluation),
        evaluation=evaluation,
        objectives=objective_lines(engagement, evaluation),
        reflection=Reflection.objects.filter(engagement=engagement).first(),
    )


def resume_draft(view: RecordView) -> resume.Draft:
    """What the student edits: their saved text once they saved, else the fresh draft."""
    record = view.record
    if record.is_edited:
        bullets = record.bullet_list + [""] * (BULLETS - len(record.bullet_list))
        return resume.Draft(
            bullets=bullets[:BULLETS],
            situation=record.story_situation,
            task=record.story_task,
            action=record.story_action,
            result=record.story_result,
        )
    return resume.draft(view.facts)


# --- Changes by the student ---------------------------------------------------------------


def _lock(record: VerifiedExperience) -> VerifiedExperience:
    return (
        VerifiedExperience.objects.select_for_update()
        .select_related("engagement__project", "engagement__student")
        .get(pk=record.pk)
    )


def _require_owner(actor: User, record: VerifiedExperience) -> None:
    if not (actor.role == Role.STUDENT and actor.pk == record.engagement.student_id):
        raise PermissionDenied("Only the student of this record can change it.")


@transaction.atomic
def experience_set_visibility(
    *, actor: User, record: VerifiedExperience, is_public: bool, show_evaluation: bool
) -> VerifiedExperience:
    """The student shows or hides the public record and the evaluation highlights."""
    record = _lock(record)
    _require_owner(actor, record)
    if record.is_public == is_public and record.show_evaluation == show_evaluation:
        return record
    before = {"is_public": record.is_public, "show_evaluation": record.show_evaluation}
    record.is_public = is_public
    record.show_evaluation = show_evaluation
    record.save(update_fields=["is_public", "show_evaluation"])
    audit(
        actor=actor,
        action="experience.visibility",
        target=record,
        summary=(
            f"{actor.email} made the record of “{record.engagement.project.title}” "
            f"{'public' if is_public else 'hidden'}"
            f"{', with' if show_evaluation else ', without'} evaluation highlights"
        ),
        data={
            "before": before,
            "after": {"is_public": is_public, "show_evaluation": show_evaluation},
        },
    )
    return record


@transaction.atomic
def experience_resume_save(
    *, actor: User, record: VerifiedExperience, bullets: list[str], story: dict[str, str]
) -> VerifiedExperience:
    """The student keeps their own wording of the bullets and the interview story."""
    record = _lock(record)
    _require_owner(actor, record)
    lines = [" ".join(b.split()) for b in bullets]
    errors = {}
    for number, line in enumerate(lines, start=1):
        if len(line) > BULLET_MAX:
            errors[f"bullet_{number}"] = f"Keep a bullet under {BULLET_MAX} characters."
    if not any(lines):
        errors["bullet_1"] = "Write at least one bullet, or reset to the draft."
    if len(lines) > BULLETS:
        errors["bullet_1"] = f"At most {BULLETS} bullets."
    cleaned_story = {}
    for part in STORY_PARTS:
        text = (story.get(part) or "").strip()
        if len(text) > STORY_MAX:
            errors[part] = f"Keep it under {STORY_MAX} characters."
        cleaned_story[part] = text
    if errors:
        raise ValidationError(errors)
    record.bullets = "\n".join(line for line in lines if line)
    record.story_situation = cleaned_story["situation"]
    record.story_task = cleaned_story["task"]
    record.story_action = cleaned_story["action"]
    record.story_result = cleaned_story["result"]
    record.edited_at = timezone.now()
    record.save(
        update_fields=[
            "bullets",
            "story_situation",
            "story_task",
            "story_action",
            "story_result",
            "edited_at",
        ]
    )
    return record


@transaction.atomic
def experience_resume_reset(*, actor: User, record: VerifiedExperience) -> VerifiedExperience:
    """Back to the draft built from the facts."""
    record = _lock(record)
    _require_owner(actor, record)
    if not record.is_edited:
        return record
    record.bullets = ""
    record.story_situation = record.story_task = ""
    record.story_action = record.story_result = ""
    record.edited_at = None
    record.save(
        update_fields=[
            "bullets",
            "story_situation",
            "story_task",
            "story_action",
            "story_result",
            "edited_at",
        ]
    )
    return record


# --- Revocation by the platform ----------------------------------------------------------------


@transaction.atomic
def experience_revoke(
    *, actor: User, record: VerifiedExperience, reason: str
) -> VerifiedExperience:
    """A platform admin withdraws a record (a dispute or fraud found after approval).
    The reason is published with the revoked badge; the student is told."""
    if not (actor.is_active and actor.is_platform_admin):
        raise PermissionDenied("Only platform admins revoke verified experiences.")
    record = _lock(record)
    if record.is_revoked:
        return record
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the record is revoked."})
    if len(reason) > REVOKE_REASON_MAX:
        raise ValidationError({"reason": f"Keep it under {REVOKE_REASON_MAX} characters."})
    record.revoked_at = timezone.now()
    record.revoked_reason = reason
    record.revoked_by = actor
    record.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    title = record.engagement.project.title
    audit(
        actor=actor,
        action="experience.revoked",
        target=record,
        summary=f"{actor.email} revoked the verified experience of “{title}”",
        data={"reason": reason},
    )
    notify(
        recipients=[record.engagement.student],
        kind="experience.revoked",
        key=f"experience-{record.pk}-revoked",
        message=f"The verified record of “{title}” was revoked",
        url=reverse("outcomes:experience", args=[record.pk]),
        context={"details": f"Reason: {reason}"},
    )
    return record

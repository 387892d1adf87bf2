"""The student's reflection on an approved engagement, against its learning objectives.

Invariants:
- Only the engagement's student writes it, and only once the work is approved (approved
  or paid): a reflection looks back on finished, accepted work.
- 300 to 500 words (`word_count`), counted here and kept in range by the database.
- The text and the notes may be revised for `REFLECTION_EDIT_DAYS` after the reflection
  was first submitted, then they are fixed; whether it shows on the verified record stays
  the student's choice at any time.
- One reflection per engagement (a one-to-one key); every change is audited.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit
from accounts.models import Role, User
from engagements import lifecycle
from engagements.models import Engagement, EngagementStatus
from outcomes.models import (
    REFLECTION_NOTE_MAX,
    REFLECTION_WORDS_MAX,
    REFLECTION_WORDS_MIN,
    Reflection,
    ReflectionNote,
)

WRITABLE = (EngagementStatus.APPROVED, EngagementStatus.PAID)

# A word is a run of characters without spaces holding at least one letter or digit, so
# dashes and bullets standing alone do not count.
_WORD = re.compile(r"\S*[^\W_]\S*")


def word_count(text: str) -> int:
    return len(_WORD.findall(text or ""))


def word_count_error(count: int) -> str | None:
    if count < REFLECTION_WORDS_MIN:
        return (
            f"Write at least {REFLECTION_WORDS_MIN} words: you have {count}, "
            f"{REFLECTION_WORDS_MIN - count} to go."
        )
    if count > REFLECTION_WORDS_MAX:
        return (
            f"Keep it to {REFLECTION_WORDS_MAX} words: you have {count}, "
            f"{count - REFLECTION_WORDS_MAX} too many."
        )
    return None


def edit_deadline(reflection: Reflection) -> datetime:
    return reflection.submitted_at + timedelta(days=settings.REFLECTION_EDIT_DAYS)


def is_revisable(reflection: Reflection, *, now: datetime | None = None) -> bool:
    return (now or timezone.now()) <= edit_deadline(reflection)


def may_write(engagement: Engagement) -> bool:
    """Is the work approved, so that the student may reflect on it?"""
    return engagement.status in WRITABLE


@dataclass(frozen=True)
class ReflectionData:
    text: str
    share_on_record: bool
    # The student's optional note on each objective, by objective id.
    notes: dict[int, str]


def _require_student(actor: User, engagement: Engagement) -> None:
    if not (actor.is_active and actor.role == Role.STUDENT and actor.pk == engagement.student_id):
        raise PermissionDenied("Only the student of this engagement writes its reflection.")


def _clean(engagement: Engagement, data: ReflectionData) -> tuple[str, int, dict[int, str]]:
    errors: dict[str, str] = {}
    text = (data.text or "").strip()
    count = word_count(text)
    message = word_count_error(count)
    if message:
        errors["text"] = message
    objective_ids = set(engagement.project.objectives.values_list("pk", flat=True))
    notes: dict[int, str] = {}
    for objective_id, note in data.notes.items():
        note = (note or "").strip()
        if objective_id not in objective_ids:
            raise ValidationError("A note names an objective of another project.")
        if len(note) > REFLECTION_NOTE_MAX:
            errors[f"note_{objective_id}"] = (
                f"Keep a note under {REFLECTION_NOTE_MAX} characters ({len(note)} now)."
            )
        elif note:
            notes[objective_id] = note
    if errors:
        raise ValidationError(errors)
    return text, count, notes


def _write_notes(reflection: Reflection, notes: dict[int, str]) -> None:
    existing = {note.objective_id: note for note in reflection.notes.all()}
    for objective_id, text in notes.items():
        note = existing.pop(objective_id, None)
        if note is None:
            ReflectionNote.objects.create(
                reflection=reflection, objective_id=objective_id, text=text
            )
        elif note.text != text:
            note.text = text
            note.save(update_fields=["text"])
    for note in existing.values():
        note.delete()


@transaction.atomic(durable=True)
def reflection_submit(*, actor: User, engagement: Engagement, data: ReflectionData) -> Reflection:
    """Write the reflection, or revise it while it may still be revised."""
    engagement = lifecycle.lock(engagement)
    _require_student(actor, engagement)
    if not may_write(engagement):
        raise ValidationError("You can write your reflection once the employer approves your work.")
    text, count, notes = _clean(engagement, data)
    reflection = Reflection.objects.select_for_update().filter(engagement=engagement).first()
    now = timezone.now()
    title = engagement.project.title
    if reflection is None:
        reflection = Reflection.objects.create(
            engagement=engagement,
            text=text,
            word_count=count,
            share_on_record=data.share_on_record,
            submitted_at=now,
            updated_at=now,
        )
        _write_notes(reflection, notes)
        audit(
            actor=actor,
            action="reflection.submitted",
            target=reflection,
            summary=f"{actor.email} wrote a reflection on “{title}” ({count} words)",
            data={"words": count, "notes": len(notes), "share_on_record": data.share_on_record},
        )
        return reflection
    before_notes = {n.objective_id: n.text for n in reflection.notes.all()}
    if (
        reflection.text == text
        and before_notes == notes
        and reflection.share_on_record == data.share_on_record
    ):
        return reflection
    text_changed = reflection.text != text or before_notes != notes
    if text_changed and not is_revisable(reflection, now=now):
        raise ValidationError(
            f"Your reflection could be revised for {settings.REFLECTION_EDIT_DAYS} days "
            "after you submitted it; it is now final."
        )
    before = {"words": reflection.word_count, "share_on_record": reflection.share_on_record}
    reflection.text = text
    reflection.word_count = count
    reflection.share_on_record = data.share_on_record
    reflection.updated_at = now
    reflection.save(update_fields=["text", "word_count", "share_on_record", "updated_at"])
    _write_notes(reflection, notes)
    audit(
        actor=actor,
        action="reflection.revised",
        target=reflection,
        summary=f"{actor.email} revised the reflection on “{title}” ({count} words)",
        data={
            "before": before,
            "after": {"words": count, "share_on_record": data.share_on_record},
            "notes": len(notes),
        },
    )
    return reflection


@transaction.atomic(durable=True)
def reflection_set_sharing(
    *, actor: User, reflection: Reflection, share_on_record: bool
) -> Reflection:
    """Show the reflection on the verified record, or stop showing it (at any time)."""
    engagement = lifecycle.lock(reflection.engagement_id)
    _require_student(actor, engagement)
    reflection = Reflection.objects.select_for_update().get(pk=reflection.pk)
    if reflection.share_on_record == share_on_record:
        return reflection
    reflection.share_on_record = share_on_record
    reflection.save(update_fields=["share_on_record"])
    audit(
        actor=actor,
        action="reflection.sharing",
        target=reflection,
        summary=(
            f"{actor.email} {'showed' if share_on_record else 'hid'} the reflection on "
            f"“{engagement.project.title}” on the verified record"
        ),
        data={"share_on_record": share_on_record},
    )
    return reflection


def reflection_of(engagement: Engagement) -> Reflection | None:
    """The reflection with its notes and their objectives (two queries)."""
    return (
        Reflection.objects.filter(engagement=engagement)
        .prefetch_related("notes__objective")
        .first()
    )

"""Services for career services' oversight: flags and coaching notes."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import Organization, User
from accounts.notifications import notify
from engagements.models import Engagement, EngagementStatus
from marketplace.domain_events import send_after_commit
from oversight.models import CoachingNote, Flag
from oversight.signals import flag_raised

NOTE_MAX_LENGTH = Flag._meta.get_field("note").max_length
COACHING_MAX_LENGTH = CoachingNote._meta.get_field("text").max_length


def staff_school_id(user: User) -> int | None:
    profile = getattr(user, "career_staff_profile", None)
    return profile.school_id if user.is_career_staff and profile else None


def _may_oversee(actor: User, school_id: int) -> bool:
    return actor.is_active and (actor.is_platform_admin or staff_school_id(actor) == school_id)


@transaction.atomic
def flag_raise(
    *,
    actor: User,
    note: str,
    engagement: Engagement | None = None,
    organization: Organization | None = None,
    follow_up_on: date | None = None,
) -> Flag:
    """Career staff flag an engagement of their school, or an employer their students work
    with, for follow-up."""
    if engagement is None and organization is None:
        raise ValidationError("Choose the engagement or the employer to follow up.")
    school_id = staff_school_id(actor)
    if engagement is not None:
        school_id = engagement.school_id
    if school_id is None or not _may_oversee(actor, school_id):
        raise PermissionDenied("You can only flag what concerns your own school's students.")
    if organization is not None and engagement is None:
        works_with = Engagement.objects.filter(
            organization=organization, school_id=school_id
        ).exists()
        if not works_with:
            raise PermissionDenied("None of your students work with this employer.")
    if (
        engagement is not None
        and organization is not None
        and organization.pk != engagement.organization_id
    ):
        raise ValidationError({"organization": "This is not the engagement's employer."})
    if not note.strip():
        raise ValidationError({"note": "Say what to follow up."})
    if len(note.strip()) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": f"Keep it under {NOTE_MAX_LENGTH} characters."})
    if follow_up_on and follow_up_on < timezone.localdate():
        raise ValidationError({"follow_up_on": "Choose today or a later date."})
    flag = Flag.objects.create(
        school_id=school_id,
        engagement=engagement,
        organization=organization,
        note=note.strip(),
        follow_up_on=follow_up_on,
        raised_by=actor,
    )
    audit(actor=actor, action="flag.raised", target=flag, summary=f"{actor.email} flagged {flag}")
    send_after_commit(flag_raised, sender=Flag, flag_id=flag.pk)
    return flag


@transaction.atomic
def flag_resolve(*, actor: User, flag: Flag, resolution: str) -> Flag:
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if not _may_oversee(actor, flag.school_id):
        raise PermissionDenied("This flag belongs to another school.")
    if flag.status == Flag.Status.RESOLVED:
        return flag
    if not resolution.strip():
        raise ValidationError({"resolution": "Say how it was resolved."})
    flag.status = Flag.Status.RESOLVED
    flag.resolved_by = actor
    flag.resolved_at = timezone.now()
    flag.resolution = resolution.strip()
    flag.save(update_fields=["status", "resolved_by", "resolved_at", "resolution"])
    audit(
        actor=actor, action="flag.resolved", target=flag, summary=f"{actor.email} resolved {flag}"
    )
    return flag


@transaction.atomic
def coaching_note_add(*, actor: User, engagement: Engagement, text: str) -> CoachingNote:
    """Career staff advise the student on presenting a finished engagement."""
    engagement = Engagement.objects.select_related("project", "student").get(pk=engagement.pk)
    if not _may_oversee(actor, engagement.school_id):
        raise PermissionDenied("You coach your own school's students only.")
    if engagement.status not in (EngagementStatus.APPROVED, EngagementStatus.PAID):
        raise ValidationError("Coaching notes are for finished (approved) engagements.")
    if not text.strip():
        raise ValidationError({"text": "Write your advice."})
    if len(text.strip()) > COACHING_MAX_LENGTH:
        raise ValidationError({"text": f"Keep it under {COACHING_MAX_LENGTH} characters."})
    note = CoachingNote.objects.create(engagement=engagement, author=actor, text=text.strip())
    audit(
        actor=actor,
        action="coaching.added",
        target=note,
        summary=f"{actor.email} coached the student on “{engagement.project.title}”",
    )
    notify(
        recipients=[engagement.student],
        kind="coaching.note",
        key=f"coaching-{note.pk}",
        message=f"Career services left advice on presenting “{engagement.project.title}”",
        url=reverse("engagements:workspace", kwargs={"pk": engagement.pk}) + "#coaching",
    )
    return note

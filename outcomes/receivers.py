"""Career outcomes answer other apps' signals, after their transaction committed (and a
merge of organizations inside its transaction)."""

from django.db.models import Q
from django.dispatch import receiver

from accounts.signals import organizations_merging
from engagements.signals import engagement_approved
from outcomes import tasks
from outcomes.models import TAGS_MAX, FullTimeInterest, TalentPoolEntry
from projects.signals import application_submitted


@receiver(engagement_approved, dispatch_uid="outcomes.issue_record")
def issue_record(sender, engagement_id: int, **kwargs):
    tasks.issue_record.delay(engagement_id)


@receiver(application_submitted, dispatch_uid="outcomes.mark_invitation_applied")
def mark_invitation_applied(sender, application_id: int, **kwargs):
    tasks.mark_invitation_applied.delay(application_id)


@receiver(organizations_merging, dispatch_uid="outcomes.merge_talent_pools")
def merge_talent_pools(sender, keep_id: int, duplicate_id: int, **kwargs):
    """A student in both talent pools keeps one entry at the kept organization, with the
    tags and notes of both; an open full-time interest the kept organization already has
    with the student stands, the duplicate's says the same and is withdrawn."""
    kept = {
        e.student_id: e
        for e in TalentPoolEntry.objects.select_for_update().filter(
            organization_id=keep_id,
            student_id__in=TalentPoolEntry.objects.filter(organization_id=duplicate_id).values(
                "student_id"
            ),
        )
    }
    for entry in TalentPoolEntry.objects.select_for_update().filter(
        organization_id=duplicate_id, student_id__in=list(kept)
    ):
        mine = kept[entry.student_id]
        tags = [t for t in mine.tags.split(",") if t]
        tags = (tags + [t for t in entry.tags.split(",") if t and t not in tags])[:TAGS_MAX]
        mine.tags = "," + ",".join(tags) + "," if tags else ""
        mine.notes = "\n\n".join(n for n in (mine.notes, entry.notes) if n)[:2000]
        mine.save(update_fields=["tags", "notes", "updated_at"])
        entry.delete()
    FullTimeInterest.objects.filter(
        Q(organization_id=duplicate_id, status=FullTimeInterest.Status.OPEN),
        student_id__in=FullTimeInterest.objects.filter(
            organization_id=keep_id, status=FullTimeInterest.Status.OPEN
        ).values("student_id"),
    ).update(status=FullTimeInterest.Status.WITHDRAWN)

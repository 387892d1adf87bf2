"""Safety answers other apps' signals: engagements' held messages, after their transaction
committed (each receiver only starts a task), and a merge of organizations, inside its
transaction (accounts.merging)."""

from django.dispatch import receiver

from accounts.signals import organizations_merging
from engagements.signals import message_held, message_released
from safety import tasks
from safety.models import Report


@receiver(message_held, dispatch_uid="safety.report_held_message")
def report_held_message(sender, message_id: int, **kwargs):
    tasks.report_held_message.delay(message_id)


@receiver(message_released, dispatch_uid="safety.mark_held_message_confirmed")
def mark_held_message_confirmed(sender, message_id: int, **kwargs):
    tasks.mark_held_message_confirmed.delay(message_id)


@receiver(organizations_merging, dispatch_uid="safety.reports_follow_the_merge")
def reports_follow_the_merge(sender, keep_id: int, duplicate_id: int, **kwargs):
    """A report on the duplicate organization is now a report on the kept one. If the same
    person already has an open report on the kept one, theirs keeps its old key (the two
    stay separate reports, both about the kept organization)."""
    old_key, new_key = f"organization:{duplicate_id}", f"organization:{keep_id}"
    open_on_keep = set(
        Report.objects.filter(subject_key=new_key, status__in=Report.OPEN_STATUSES).values_list(
            "reporter_id", flat=True
        )
    )
    (
        Report.objects.filter(subject_key=old_key)
        .exclude(reporter_id__in=open_on_keep, status__in=Report.OPEN_STATUSES)
        .update(subject_key=new_key)
    )

"""Safety answers engagements' signals about held messages, after their transaction
committed: each receiver only starts a task."""

from django.dispatch import receiver

from engagements.signals import message_held, message_released
from safety import tasks


@receiver(message_held, dispatch_uid="safety.report_held_message")
def report_held_message(sender, message_id: int, **kwargs):
    tasks.report_held_message.delay(message_id)


@receiver(message_released, dispatch_uid="safety.mark_held_message_confirmed")
def mark_held_message_confirmed(sender, message_id: int, **kwargs):
    tasks.mark_held_message_confirmed.delay(message_id)

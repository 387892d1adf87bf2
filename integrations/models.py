"""What connects the marketplace to the other systems its users live in.

A calendar feed is one user's private subscription address. Its secret is the only thing
that admits a calendar program (which cannot log in), so it is long, random and compared in
constant time; a new secret replaces the old one, and turning the feed off deletes it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CalendarFeed(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    # The address holds both: the key finds the row, the secret proves the holder.
    key = models.CharField(max_length=16, unique=True)
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(key="") & ~models.Q(secret=""),
                name="calendar_feed_key_and_secret_set",
            )
        ]

    def __str__(self):
        return f"Calendar feed of {self.user}"

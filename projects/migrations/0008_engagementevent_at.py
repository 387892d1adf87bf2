"""Workspace history names a session's time as a moment shown in each reader's zone.

Events written before this named it as UTC text ("Session planned for Mar 3, 14:00 UTC.",
"Kickoff of Mar 3 marked held." with a UTC day). They are rewritten to the new form: the
moment goes to `at` and the text keeps a placeholder. The old text has no year: the one that
puts the moment nearest to the event is taken. A marked session is found by its kind and day.
"""

import re
from datetime import UTC, datetime

from django.db import migrations, models

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
TIMED = re.compile(
    r"^(?P<before>.*?)(?P<month>[A-Z][a-z]{2}) (?P<day>\d{1,2}), (?P<hour>\d{2}):(?P<minute>\d{2}) "
    r"UTC(?P<after>.*)$",
    re.S,
)
MARKED = re.compile(r"^(?P<kind>.+) of (?P<month>[A-Z][a-z]{2}) (?P<day>\d{1,2}) (?P<after>marked .*)$")


def _nearest(created_at, month, day, hour=12, minute=0):
    candidates = []
    for year in (created_at.year - 1, created_at.year, created_at.year + 1):
        try:
            candidates.append(datetime(year, month, day, hour, minute, tzinfo=UTC))
        except ValueError:  # February 29th of a year without one
            continue
    return min(candidates, key=lambda moment: abs(moment - created_at), default=None)


def forward(apps, schema_editor):
    EngagementEvent = apps.get_model("projects", "EngagementEvent")
    FeedbackSession = apps.get_model("feedback", "FeedbackSession")
    kinds = {label: value for value, label in FeedbackSession._meta.get_field("kind").choices}
    old = EngagementEvent.objects.filter(at__isnull=True, kind__startswith="session_")
    for event in old.iterator():
        timed = TIMED.match(event.description)
        marked = MARKED.match(event.description)
        if timed and timed["month"] in MONTHS:
            at = _nearest(
                event.created_at,
                MONTHS.index(timed["month"]) + 1,
                int(timed["day"]),
                int(timed["hour"]),
                int(timed["minute"]),
            )
            text = f"{timed['before']}{{at}}{timed['after']}"
        elif marked and marked["month"] in MONTHS and marked["kind"] in kinds:
            day = _nearest(event.created_at, MONTHS.index(marked["month"]) + 1, int(marked["day"]))
            sessions = [
                s.scheduled_at
                for s in FeedbackSession.objects.filter(
                    engagement_id=event.engagement_id, kind=kinds[marked["kind"]]
                )
                if day and s.scheduled_at.astimezone(UTC).date() == day.date()
            ]
            if len(sessions) != 1:
                continue
            at = sessions[0]
            text = f"{marked['kind']} of {{day}} {marked['after']}"
        else:
            continue
        if at is not None:
            EngagementEvent.objects.filter(pk=event.pk).update(at=at, description=text[:300])


def backward(apps, schema_editor):
    EngagementEvent = apps.get_model("projects", "EngagementEvent")
    for event in EngagementEvent.objects.filter(at__isnull=False).iterator():
        moment = event.at.astimezone(UTC)
        text = event.description.replace("{at}", f"{moment:%b} {moment.day}, {moment:%H:%M} UTC")
        text = text.replace("{day}", f"{moment:%b} {moment.day}")
        EngagementEvent.objects.filter(pk=event.pk).update(description=text[:300])


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0007_extension_and_engagement_rate_ceiling"),
        ("feedback", "0004_verifiedexperience_backfill"),
    ]

    operations = [
        migrations.AddField(
            model_name="engagementevent",
            name="at",
            field=models.DateTimeField(
                blank=True, help_text="The moment the description names, if any.", null=True
            ),
        ),
        migrations.RunPython(forward, backward),
    ]

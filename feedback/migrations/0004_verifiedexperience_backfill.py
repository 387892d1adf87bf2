"""Engagements approved before verified experiences existed get their record now."""

import hashlib
import secrets

from django.db import migrations


def issue_records(apps, schema_editor):
    Engagement = apps.get_model("projects", "Engagement")
    VerifiedExperience = apps.get_model("feedback", "VerifiedExperience")
    approved = (
        Engagement.objects.filter(status__in=["approved", "paid"], verified_experience__isnull=True)
        .select_related("student")
        .order_by("pk")
    )
    for engagement in approved.iterator():
        salt = secrets.token_hex(8)
        email = engagement.student.email.strip().lower()
        VerifiedExperience.objects.create(
            engagement=engagement,
            code=secrets.token_urlsafe(16),
            badge_salt=salt,
            recipient_hash="sha256$" + hashlib.sha256((email + salt).encode()).hexdigest(),
            created_at=engagement.approved_at or engagement.accepted_at,
        )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0003_verifiedexperience")]

    operations = [migrations.RunPython(issue_records, migrations.RunPython.noop)]

"""Audit events name the school whose student they concern, and are append-only.

As with the payments ledger, the database itself refuses to change the trail
(see marketplace/append_only.py).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from marketplace.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_work_authorization_permission"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="school",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.school",
            ),
        ),
        # An account that has acted is kept (deactivated), so the trail keeps who acted.
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["school", "created_at"], name="auditevent_school_created"),
        ),
        # Last: on SQLite the AlterField above rebuilds the table, dropping its triggers.
        append_only(
            name="accounts_auditevent",
            table="accounts_auditevent",
            message="The audit trail is append-only.",
        ),
    ]

"""Consent at apply and the disclosure log.

Applications sent before consent was asked keep the moment they were sent as the date of
consent (basis "notice": the apply page then said, above the button, that shortlisting
reveals name, school, major and résumé, and the bio unmasked), and the fields shortlisting revealed then; the
evaluation averages only for students who were sharing them. Then the date becomes
required: no application without consent."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F

SHORTLIST_FIELDS = ["name", "school", "major", "graduation_year", "profile", "resume"]


def consent_of_earlier_applications(apps, schema_editor):
    Application = apps.get_model("projects", "Application")
    earlier = Application.objects.filter(consent_at__isnull=True)
    sharing = earlier.filter(student__student_profile__show_evaluations_to_employers=True)
    sharing.update(
        consent_at=F("created_at"),
        consent_basis="notice",
        consent_fields=[*SHORTLIST_FIELDS, "evaluation_averages"],
    )
    earlier.update(
        consent_at=F("created_at"), consent_basis="notice", consent_fields=SHORTLIST_FIELDS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0015_merge_compliance_and_institutions"),
        ("projects", "0010_application_relation_to_major"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Disclosure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("shortlist", "Shortlisted (or accepted) for a project"),
                            ("resume", "Résumé downloaded after shortlisting"),
                            ("application", "Application reviewed (averages you share)"),
                            ("talent_pool", "Saved to a talent pool"),
                            ("invitation", "Applied to a project you were invited to"),
                            ("record_view", "Verified record viewed"),
                        ],
                        max_length=20,
                    ),
                ),
                ("fields", models.JSONField(default=list, help_text="DisclosedField values.")),
                ("file_name", models.CharField(blank=True, max_length=255)),
                (
                    "subject",
                    models.CharField(help_text="What was shown: application:12, …", max_length=80),
                ),
                ("once_key", models.CharField(blank=True, max_length=120, null=True, unique=True)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["-at", "-id"],
            },
        ),
        migrations.AddField(
            model_name="application",
            name="consent_at",
            field=models.DateTimeField(null=True, verbose_name="consent given"),
        ),
        migrations.AddField(
            model_name="application",
            name="consent_basis",
            field=models.CharField(
                choices=[
                    ("explicit", "Ticked when applying"),
                    ("notice", "Applied after reading the disclosure notice"),
                ],
                default="explicit",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="consent_fields",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="application",
            name="consent_withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="consent withdrawn"),
        ),
        migrations.RunPython(consent_of_earlier_applications, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="application",
            name="consent_at",
            field=models.DateTimeField(verbose_name="consent given"),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.CheckConstraint(
                condition=models.Q(("consent_basis__in", ["explicit", "notice"])),
                name="application_consent_basis_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("consent_withdrawn_at__isnull", True), ("status", "withdrawn"), _connector="OR"
                ),
                name="application_consent_withdrawn_only_if_withdrawn",
            ),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("consent_withdrawn_at__isnull", True),
                    ("consent_withdrawn_at__gte", models.F("consent_at")),
                    _connector="OR",
                ),
                name="application_consent_withdrawn_after_given",
            ),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="disclosures",
                to="accounts.organization",
            ),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="project",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="projects.project",
            ),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="student",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="disclosures",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="viewer",
            field=models.ForeignKey(
                help_text="The organization's member who saw it (empty once their account is gone).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="disclosures_seen",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="disclosure",
            index=models.Index(fields=["student", "-at"], name="disclosure_student_at"),
        ),
        migrations.AddConstraint(
            model_name="disclosure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "reason__in",
                        [
                            "shortlist",
                            "resume",
                            "application",
                            "talent_pool",
                            "invitation",
                            "record_view",
                        ],
                    )
                ),
                name="disclosure_reason_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="disclosure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("once_key__isnull", True), ("reason", "resume")),
                    models.Q(
                        models.Q(("reason", "resume"), _negated=True), ("once_key__isnull", False)
                    ),
                    _connector="OR",
                ),
                name="disclosure_once_unless_a_file",
            ),
        ),
        migrations.AddConstraint(
            model_name="disclosure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("file_name__gt", ""), ("reason__in", ["resume"])),
                    models.Q(("reason", "resume"), _negated=True),
                    _connector="OR",
                ),
                name="disclosure_file_named",
            ),
        ),
    ]

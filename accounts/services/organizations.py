"""Verifying and rejecting organizations."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit
from accounts.models import (
    Organization,
    User,
)
from accounts.outbox import send_templated_mail


def _notify_admins_of_organization_to_verify(org: Organization) -> None:
    admin_emails = list(
        User.objects.filter(is_superuser=True, is_active=True).values_list("email", flat=True)
    )
    if admin_emails:
        send_templated_mail(
            template="organization_to_verify", to=admin_emails, context={"organization": org}
        )


def _organization_set_verification(
    *, actor: User, organization: Organization, status: str, note: str
) -> Organization:
    if not actor.is_platform_admin:
        raise ValidationError("Only platform admins verify organizations.")
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.verification_status == status and org.verification_note == note:
        return org
    org.verification_status = status
    org.verification_note = note
    if status == Organization.Verification.VERIFIED:
        org.verified_at = timezone.now()
        org.verified_by = actor
    else:
        org.verified_at = None
        org.verified_by = None
    org.save()
    audit(
        actor=actor,
        action=f"organization.{status}",
        target=org,
        summary=(
            f"{actor.email} marked {org.name} as {org.get_verification_status_display().lower()}"
        ),
        data={"note": note},
    )
    recipients = list(
        User.objects.filter(employer_profile__organization=org, is_active=True).values_list(
            "email", flat=True
        )
    )
    if recipients:
        send_templated_mail(
            template="organization_verification",
            to=recipients,
            context={"organization": org},
        )
    return org


@transaction.atomic
def organization_verify(*, actor: User, organization: Organization, note: str = "") -> Organization:
    return _organization_set_verification(
        actor=actor, organization=organization, status=Organization.Verification.VERIFIED, note=note
    )


@transaction.atomic
def organization_reject(*, actor: User, organization: Organization, note: str) -> Organization:
    if not note.strip():
        raise ValidationError("Say why the organization is not verified; its employers see it.")
    return _organization_set_verification(
        actor=actor, organization=organization, status=Organization.Verification.REJECTED, note=note
    )

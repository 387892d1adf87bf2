"""Suspending and reinstating organizations and users."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import (
    Organization,
    User,
)
from accounts.notifications import notify
from accounts.signals import organization_suspended
from marketplace.domain_events import send_after_commit

# --- Suspending an employer --------------------------------------------------------------------


@transaction.atomic
def organization_suspend(*, actor: User, organization: Organization, reason: str) -> Organization:
    """A platform admin suspends an organization: it can no longer publish or accept anyone.
    Once this commits, the `organization_suspended` signal closes its open projects and
    tells their applicants (projects.receivers)."""
    if not actor.is_platform_admin:
        raise PermissionDenied("Only platform admins suspend organizations.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why; the employers will read it."})
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.suspended_at:
        return org
    org.suspended_at = timezone.now()
    org.suspension_reason = reason.strip()
    org.save(update_fields=["suspended_at", "suspension_reason"])
    audit(
        actor=actor,
        action="organization.suspended",
        target=org,
        summary=f"{actor.email} suspended {org.name}",
        data={"reason": org.suspension_reason},
    )
    notify(
        recipients=list(User.objects.filter(employer_profile__organization=org, is_active=True)),
        kind="organization.suspended",
        key=f"organization-{org.pk}-suspended-{org.suspended_at:%Y%m%d%H%M%S}",
        message=f"{org.name} is suspended on the marketplace",
        url=reverse("employer_dashboard"),
        context={"details": f"Reason: {org.suspension_reason}"},
    )
    send_after_commit(organization_suspended, sender=Organization, organization_id=org.pk)
    return org


# --- Suspending a user ----------------------------------------------------------------------


@transaction.atomic
def user_suspend(*, actor: User, user: User, reason: str) -> User:
    """A platform admin suspends an account: it can no longer sign in, and a session it
    has open ends at its next request (Django refuses inactive users). The account and
    everything it did are kept, so the audit trail and the other side's records still
    name it."""
    if not actor.is_platform_admin:
        raise PermissionDenied("Only platform admins suspend accounts.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why; the audit trail keeps it."})
    target = User.objects.select_for_update().get(pk=user.pk)
    if target.is_superuser:
        raise ValidationError("Platform admin accounts are not suspended from here.")
    if not target.is_active:
        return target
    target.is_active = False
    target.save(update_fields=["is_active"])
    audit(
        actor=actor,
        action="user.suspended",
        target=target,
        summary=f"{actor.email} suspended {target.email}",
        data={"reason": reason.strip()},
    )
    return target


@transaction.atomic
def organization_reinstate(*, actor: User, organization: Organization) -> Organization:
    if not actor.is_platform_admin:
        raise PermissionDenied("Only platform admins reinstate organizations.")
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if not org.suspended_at:
        return org
    org.suspended_at = None
    org.suspension_reason = ""
    org.save(update_fields=["suspended_at", "suspension_reason"])
    audit(
        actor=actor,
        action="organization.reinstated",
        target=org,
        summary=f"{actor.email} reinstated {org.name}",
    )
    notify(
        recipients=list(User.objects.filter(employer_profile__organization=org, is_active=True)),
        kind="organization.reinstated",
        key=f"organization-{org.pk}-reinstated-{timezone.now():%Y%m%d%H%M%S}",
        message=f"{org.name} is reinstated: you can publish projects again",
        url=reverse("employer_dashboard"),
        context={"details": "Projects closed during the suspension stay closed."},
    )
    return org

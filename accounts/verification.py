"""A platform admin's decision on an organization, from the evidence (oversight shows it):
the checks ticked and the reasons are recorded and audited, and a rejected organization's
employers are told why."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.audit import audit
from accounts.models import (
    Organization,
    OrganizationVerification,
    User,
    VerificationCheck,
    VerificationDecision,
)
from accounts.services.organizations import _organization_set_verification

# What must have been checked before an organization is verified.
REQUIRED_TO_VERIFY = (VerificationCheck.WEBSITE, VerificationCheck.DOMAINS)


@transaction.atomic
def organization_decide(
    *, actor: User, organization: Organization, verify: bool, checks: list[str], reasons: str
) -> VerificationDecision:
    if not actor.is_platform_admin:
        raise PermissionDenied("Only platform admins verify organizations.")
    reasons = reasons.strip()
    errors = {}
    if not reasons:
        errors["reasons"] = (
            "Give your reasons; they are kept, and a rejected organization reads them."
        )
    if set(checks) - set(VerificationCheck.values):
        errors["checks"] = "Tick only the checks listed."
    elif verify and not set(REQUIRED_TO_VERIFY) <= set(checks):
        errors["checks"] = (
            "Before verifying, check at least the website and the employers' email domains."
        )
    if errors:
        raise ValidationError(errors)
    status = OrganizationVerification.VERIFIED if verify else OrganizationVerification.REJECTED
    org = _organization_set_verification(
        actor=actor, organization=organization, status=status, note="" if verify else reasons
    )
    ordered = [c for c in VerificationCheck.values if c in checks]
    decision = VerificationDecision.objects.create(
        organization=org, status=status, checks=ordered, reasons=reasons, decided_by=actor
    )
    audit(
        actor=actor,
        action="organization.verification_decided",
        target=org,
        summary=f"{actor.email} {'verified' if verify else 'did not verify'} {org.name} "
        "from the evidence",
        data={"status": status, "checks": ordered, "reasons": reasons},
    )
    return decision

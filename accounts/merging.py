"""A platform admin merges a duplicate organization into the one to keep.

Everything that points at the duplicate moves to the kept organization: its members (its
owners become admins there, the kept owners stay owners), join requests and invitations,
verification decisions, projects, engagements (and so their payments, which belong to
engagements), reports, flags, talent pools and webhooks. The apps above accounts settle
what cannot simply be repointed (a report's subject key, two talent pool entries for one
student) when `organizations_merging` reaches them inside the same transaction; then every
relation to Organization is repointed here, whichever app declares it, so nothing is left
behind. The emptied duplicate is archived, not deleted: it keeps its audit trail, says
where it went (`merged_into`) and is offered to nobody.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import (
    EmployerProfile,
    Organization,
    OrganizationInvitation,
    TeamRole,
    User,
)
from accounts.notifications import notify
from accounts.signals import organizations_merging


def _relations():
    """Every foreign key to Organization but the merge's own."""
    return [
        rel
        for rel in Organization._meta.related_objects
        if rel.related_model is not Organization and not rel.many_to_many
    ]


def merge_counts(organization: Organization) -> dict[str, int]:
    """How many rows of each kind point at the organization (one query per relation)."""
    counts = {}
    for rel in _relations():
        manager = rel.related_model._base_manager
        n = manager.filter(**{rel.field.name: organization.pk}).count()
        if n:
            counts[str(rel.related_model._meta.verbose_name_plural)] = n
    return counts


@transaction.atomic
def organizations_merge(
    *, actor: User, keep: Organization, duplicate: Organization, reason: str
) -> Organization:
    """Move everything of `duplicate` to `keep` and archive `duplicate`."""
    if not actor.is_active or not actor.is_platform_admin:
        raise PermissionDenied("Only platform admins merge organizations.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why they are the same organization."})
    if keep.pk == duplicate.pk:
        raise ValidationError("Choose two different organizations.")
    # Lock both, lowest id first, so two merges of the same pair queue instead of deadlocking.
    locked = {
        o.pk: o
        for o in Organization.objects.select_for_update()
        .filter(pk__in=[keep.pk, duplicate.pk])
        .order_by("pk")
    }
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if duplicate.archived_at or keep.archived_at:
        raise ValidationError("One of them is already archived (merged before).")
    moved = merge_counts(duplicate)

    # The team: the duplicate's owners become admins beside the kept owners.
    promoted_owners = list(
        EmployerProfile.objects.filter(
            organization=duplicate, team_role=TeamRole.OWNER
        ).values_list("user__email", flat=True)
    )
    EmployerProfile.objects.filter(organization=duplicate, team_role=TeamRole.OWNER).update(
        team_role=TeamRole.ADMIN
    )
    # An address invited by both: the kept organization's invitation stands.
    invited_by_keep = OrganizationInvitation.objects.filter(
        organization=keep, status=OrganizationInvitation.Status.PENDING
    ).values_list("email", flat=True)
    OrganizationInvitation.objects.filter(
        organization=duplicate,
        status=OrganizationInvitation.Status.PENDING,
        email__in=[e.lower() for e in invited_by_keep] + list(invited_by_keep),
    ).update(status=OrganizationInvitation.Status.REVOKED)

    organizations_merging.send(sender=Organization, keep_id=keep.pk, duplicate_id=duplicate.pk)
    for rel in _relations():
        rel.related_model._base_manager.filter(**{rel.field.name: duplicate.pk}).update(
            **{rel.field.name: keep.pk}
        )
    now = timezone.now()
    duplicate.archived_at = now
    duplicate.merged_into = keep
    duplicate.auto_join_domain = False
    duplicate.save(update_fields=["archived_at", "merged_into", "auto_join_domain"])
    if not keep.registration_number and duplicate.registration_number:
        keep.registration_number = duplicate.registration_number
    if not keep.linkedin_url and duplicate.linkedin_url:
        keep.linkedin_url = duplicate.linkedin_url
    keep.save(update_fields=["registration_number", "linkedin_url"])

    data = {
        "kept": keep.pk,
        "archived": duplicate.pk,
        "reason": reason,
        "moved": moved,
        "owners_now_admins": promoted_owners,
    }
    for target, summary in (
        (keep, f"{actor.email} merged {duplicate.name} (#{duplicate.pk}) into {keep.name}"),
        (
            duplicate,
            f"{actor.email} merged {duplicate.name} into {keep.name} (#{keep.pk}); archived",
        ),
    ):
        audit(actor=actor, action="organization.merged", target=target, summary=summary, data=data)
    notify(
        recipients=list(User.objects.filter(employer_profile__organization=keep, is_active=True)),
        kind="organization.merged",
        key=f"organization-{duplicate.pk}-merged-into-{keep.pk}",
        message=f"{duplicate.name} and {keep.name} are now one organization: {keep.name}",
        url=reverse("team"),
        context={"details": reason},
    )
    return keep

"""Reads for an organization's team pages (accounts.teams changes them)."""

from dataclasses import dataclass

from accounts.models import (
    EmployerProfile,
    OrganizationInvitation,
    OrganizationJoinRequest,
    User,
)


def joining_state(user: User) -> dict:
    """For an employer without an organization: their waiting request to join one, and the
    invitations addressed to them (two queries)."""
    return {
        "pending_request": OrganizationJoinRequest.objects.select_related("organization")
        .filter(user=user, status=OrganizationJoinRequest.Status.PENDING)
        .first(),
        "invitations": list(
            OrganizationInvitation.objects.select_related("organization", "invited_by").filter(
                email__iexact=user.email, status=OrganizationInvitation.Status.PENDING
            )
        ),
    }


@dataclass
class Team:
    members: list[EmployerProfile]
    requests: list[OrganizationJoinRequest]
    invitations: list[OrganizationInvitation]


def team_of(organization_id: int) -> Team:
    """An organization's members, waiting join requests and invitations: three queries
    whatever their number."""
    return Team(
        members=list(
            EmployerProfile.objects.filter(organization_id=organization_id)
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "pk")
        ),
        requests=list(
            OrganizationJoinRequest.objects.filter(
                organization_id=organization_id, status=OrganizationJoinRequest.Status.PENDING
            )
            .select_related("user")
            .order_by("created_at")
        ),
        invitations=list(
            OrganizationInvitation.objects.filter(
                organization_id=organization_id, status=OrganizationInvitation.Status.PENDING
            )
            .select_related("invited_by")
            .order_by("created_at")
        ),
    )

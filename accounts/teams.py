"""An organization's team: who acts for it, with which role, and how people join.

An employer signing up for an organization that already exists (the same or a nearly same
name, or colleagues at the same email domain) is offered to ask to join it instead of
creating a duplicate. The organization's admins approve or decline such requests, invite
colleagues by email, and make members admins or members. Whoever registers an organization
is its first admin; an organization always keeps at least one admin.

Every change runs in a transaction, locks what it changes and writes an audit event.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import (
    EmployerProfile,
    Organization,
    OrganizationInvitation,
    OrganizationJoinRequest,
    Role,
    TeamRole,
    User,
)
from accounts.notifications import notify
from accounts.outbox import send_templated_mail

# Addresses anyone can have: they say nothing about where someone works.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "mail.com",
        "example.com",
    }
)
LEGAL_SUFFIXES = frozenset(
    {"inc", "incorporated", "llc", "ltd", "limited", "co", "corp", "corporation", "company"}
)


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


def website_domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def name_key(name: str) -> str:
    """A name as compared for near-duplicates: "Brightline Analytics, Inc." and
    "brightline analytics" are the same organization to a reader."""
    words = re.findall(r"[a-z0-9]+", name.lower().replace("&", " and "))
    while words and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def organization_matches(*, name: str, email: str, limit: int = 5) -> list[Organization]:
    """Organizations someone signing up with this name and address may belong to: the same
    name up to case, punctuation and "Inc."; or the same work email domain as its
    employers or its website. Public mail domains (gmail.com…) match nothing."""
    key = name_key(name)
    first_word = key.split(" ", 1)[0] if key else ""
    wanted = Q(pk__in=[])
    if first_word:
        wanted |= Q(name__icontains=first_word)
    domain = email_domain(email)
    if domain and domain not in PUBLIC_EMAIL_DOMAINS:
        wanted |= Q(employers__user__email__iendswith=f"@{domain}") | Q(website__icontains=domain)
    candidates = Organization.objects.filter(wanted).distinct().order_by("name")[:50]
    found = []
    for org in candidates:
        same_name = key and name_key(org.name) == key
        same_domain = domain not in PUBLIC_EMAIL_DOMAINS and (
            website_domain(org.website) == domain
            or org.employers.filter(user__email__iendswith=f"@{domain}").exists()
        )
        if same_name or same_domain:
            found.append(org)
        if len(found) == limit:
            break
    return found


def team_admins(organization_id: int) -> list[User]:
    return list(
        User.objects.filter(
            employer_profile__organization_id=organization_id,
            employer_profile__team_role=TeamRole.ADMIN,
            is_active=True,
        )
    )


def _admin_profile(actor: User, organization_id: int) -> EmployerProfile:
    profile = getattr(actor, "employer_profile", None)
    if (
        not actor.is_active
        or profile is None
        or profile.organization_id != organization_id
        or profile.team_role != TeamRole.ADMIN
    ):
        raise PermissionDenied("Only your organization's admins do this.")
    return profile


def _without_organization(user: User) -> None:
    if user.role != Role.EMPLOYER:
        raise ValidationError("Only employers join organizations.")
    if EmployerProfile.objects.filter(user=user).exists():
        raise ValidationError("You already belong to an organization.")


# --- Join requests ------------------------------------------------------------------------


@transaction.atomic
def join_request_submit(
    *, user: User, organization: Organization, job_title: str, message: str = ""
) -> OrganizationJoinRequest:
    """An employer without an organization asks to join one; its admins decide."""
    User.objects.select_for_update().get(pk=user.pk)
    _without_organization(user)
    job_title = job_title.strip()
    if not job_title:
        raise ValidationError({"job_title": "Tell your colleagues your job title."})
    pending = OrganizationJoinRequest.objects.filter(
        user=user, status=OrganizationJoinRequest.Status.PENDING
    ).first()
    if pending is not None:
        if pending.organization_id == organization.pk:
            return pending
        raise ValidationError(
            f"Your request to join {pending.organization.name} is still waiting: withdraw it first."
        )
    request = OrganizationJoinRequest.objects.create(
        user=user, organization=organization, job_title=job_title, message=message.strip()
    )
    audit(
        actor=user,
        action="organization.join_requested",
        target=organization,
        summary=f"{user.email} asked to join {organization.name}",
        data={"request": request.pk, "job_title": job_title},
    )
    notify(
        recipients=team_admins(organization.pk),
        kind="organization.join_requested",
        key=f"join-request-{request.pk}",
        message=f"{user.get_full_name()} ({user.email}) asks to join {organization.name}",
        url=reverse("team"),
        context={"details": request.message or f"Job title: {job_title}"},
    )
    return request


@transaction.atomic
def join_request_withdraw(*, user: User, join_request: OrganizationJoinRequest) -> None:
    req = OrganizationJoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if req.user_id != user.pk:
        raise PermissionDenied("This is not your request.")
    if req.status != OrganizationJoinRequest.Status.PENDING:
        return
    req.status = OrganizationJoinRequest.Status.WITHDRAWN
    req.decided_at = timezone.now()
    req.save(update_fields=["status", "decided_at"])
    audit(
        actor=user,
        action="organization.join_withdrawn",
        target=req.organization,
        summary=f"{user.email} withdrew their request to join {req.organization.name}",
        data={"request": req.pk},
    )


@transaction.atomic
def join_request_decide(
    *, actor: User, join_request: OrganizationJoinRequest, approve: bool, note: str = ""
) -> OrganizationJoinRequest:
    """An admin of the organization lets the requester in (as a member) or declines."""
    req = (
        OrganizationJoinRequest.objects.select_for_update()
        .select_related("user", "organization")
        .get(pk=join_request.pk)
    )
    _admin_profile(actor, req.organization_id)
    wanted = (
        OrganizationJoinRequest.Status.APPROVED
        if approve
        else OrganizationJoinRequest.Status.DECLINED
    )
    if req.status == wanted:
        return req
    if req.status != OrganizationJoinRequest.Status.PENDING:
        raise ValidationError("This request has already been decided or withdrawn.")
    if approve:
        if EmployerProfile.objects.filter(user=req.user_id).exists():
            raise ValidationError("They have joined an organization in the meantime.")
        EmployerProfile.objects.create(
            user=req.user,
            organization=req.organization,
            job_title=req.job_title,
            team_role=TeamRole.MEMBER,
        )
    req.status = wanted
    req.decided_at = timezone.now()
    req.decided_by = actor
    req.decision_note = note.strip()
    req.save()
    verb = "approved" if approve else "declined"
    audit(
        actor=actor,
        action=f"organization.join_{verb}",
        target=req.organization,
        summary=f"{actor.email} {verb} {req.user.email}'s request to join {req.organization.name}",
        data={"request": req.pk, "note": req.decision_note},
    )
    notify(
        recipients=[req.user],
        kind=f"organization.join_{verb}",
        key=f"join-request-{req.pk}-{verb}",
        message=(
            f"You are now on {req.organization.name}'s team"
            if approve
            else f"{req.organization.name} declined your request to join"
        ),
        url=reverse("employer_dashboard") if approve else reverse("profile"),
        context={"details": req.decision_note} if req.decision_note else None,
    )
    return req


# --- Invitations --------------------------------------------------------------------------


@transaction.atomic
def invitation_send(
    *, actor: User, organization: Organization, email: str, role: str = TeamRole.MEMBER
) -> OrganizationInvitation:
    """An admin invites a colleague by email; the link lets them join once signed up."""
    _admin_profile(actor, organization.pk)
    email = email.strip().lower()
    if role not in TeamRole.values:
        raise ValidationError({"role": "Choose admin or member."})
    existing_user = User.objects.filter(email__iexact=email).select_related().first()
    if existing_user is not None:
        if EmployerProfile.objects.filter(user=existing_user, organization=organization).exists():
            raise ValidationError({"email": f"{email} is already on your team."})
        if (
            existing_user.role != Role.EMPLOYER
            or EmployerProfile.objects.filter(user=existing_user).exists()
        ):
            raise ValidationError(
                {"email": f"{email} already has an account that cannot join your team."}
            )
    pending = OrganizationInvitation.objects.filter(
        organization=organization,
        email__iexact=email,
        status=OrganizationInvitation.Status.PENDING,
    ).first()
    if pending is not None:
        return pending
    invitation = OrganizationInvitation.objects.create(
        organization=organization, email=email, role=role, invited_by=actor
    )
    audit(
        actor=actor,
        action="organization.invited",
        target=organization,
        summary=f"{actor.email} invited {email} to {organization.name} as {role}",
        data={"invitation": invitation.pk, "email": email, "role": role},
    )
    send_templated_mail(
        template="organization_invitation",
        to=[email],
        context={
            "invitation": invitation,
            "organization": organization,
            "inviter": actor,
            "accept_url": settings.SITE_URL
            + reverse("invitation", kwargs={"token": invitation.token}),
            "signup_url": settings.SITE_URL + reverse("signup_employer"),
        },
        key=f"organization-invitation-{invitation.pk}",
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: OrganizationInvitation) -> None:
    inv = OrganizationInvitation.objects.select_for_update().get(pk=invitation.pk)
    _admin_profile(actor, inv.organization_id)
    if inv.status != OrganizationInvitation.Status.PENDING:
        return
    inv.status = OrganizationInvitation.Status.REVOKED
    inv.save(update_fields=["status"])
    audit(
        actor=actor,
        action="organization.invitation_revoked",
        target=inv.organization,
        summary=f"{actor.email} revoked the invitation of {inv.email}",
        data={"invitation": inv.pk},
    )


def invitation_for(user: User, token) -> OrganizationInvitation | None:
    """A pending invitation addressed to this user's login address, or None."""
    return (
        OrganizationInvitation.objects.select_related("organization", "invited_by")
        .filter(token=token, email__iexact=user.email, status=OrganizationInvitation.Status.PENDING)
        .first()
    )


@transaction.atomic
def invitation_accept(
    *, user: User, invitation: OrganizationInvitation, job_title: str
) -> EmployerProfile:
    """The invited employer joins the team with the role they were invited to."""
    User.objects.select_for_update().get(pk=user.pk)
    inv = (
        OrganizationInvitation.objects.select_for_update()
        .select_related("organization")
        .get(pk=invitation.pk)
    )
    if inv.email.lower() != user.email.lower():
        raise PermissionDenied("This invitation is for another address.")
    if inv.status != OrganizationInvitation.Status.PENDING:
        raise ValidationError("This invitation is no longer valid; ask for a new one.")
    _without_organization(user)
    job_title = job_title.strip()
    if not job_title:
        raise ValidationError({"job_title": "Tell your colleagues your job title."})
    profile = EmployerProfile.objects.create(
        user=user, organization=inv.organization, job_title=job_title, team_role=inv.role
    )
    inv.status = OrganizationInvitation.Status.ACCEPTED
    inv.accepted_at = timezone.now()
    inv.accepted_by = user
    inv.save()
    OrganizationJoinRequest.objects.filter(
        user=user, status=OrganizationJoinRequest.Status.PENDING
    ).update(status=OrganizationJoinRequest.Status.WITHDRAWN, decided_at=inv.accepted_at)
    audit(
        actor=user,
        action="organization.invitation_accepted",
        target=inv.organization,
        summary=f"{user.email} joined {inv.organization.name} as {inv.role} by invitation",
        data={"invitation": inv.pk, "role": inv.role},
    )
    notify(
        recipients=[inv.invited_by] if inv.invited_by_id else [],
        kind="organization.invitation_accepted",
        key=f"organization-invitation-{inv.pk}-accepted",
        message=f"{user.get_full_name()} joined {inv.organization.name}",
        url=reverse("team"),
        email=False,
    )
    return profile


# --- Roles -------------------------------------------------------------------------------


@transaction.atomic
def team_role_set(*, actor: User, member: User, role: str) -> EmployerProfile:
    """An admin makes a colleague an admin or a member; the last admin stays one."""
    if role not in TeamRole.values:
        raise ValidationError("Choose admin or member.")
    target = EmployerProfile.objects.select_for_update().select_related("user").get(user=member)
    _admin_profile(actor, target.organization_id)
    if target.team_role == role:
        return target
    if role == TeamRole.MEMBER:
        admins = list(
            EmployerProfile.objects.select_for_update()
            .filter(organization_id=target.organization_id, team_role=TeamRole.ADMIN)
            .values_list("pk", flat=True)
        )
        if admins == [target.pk]:
            raise ValidationError("An organization keeps at least one admin: name another first.")
    before = target.team_role
    target.team_role = role
    target.save(update_fields=["team_role"])
    audit(
        actor=actor,
        action="organization.role_changed",
        target=target.organization,
        summary=f"{actor.email} made {target.user.email} {role} of {target.organization.name}",
        data={"member": target.user.email, "before": before, "after": role},
    )
    return target

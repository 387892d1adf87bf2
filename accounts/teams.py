"""An organization's team: who acts for it, with which role, and how people join and leave.

An employer signing up for an organization that already exists (the same or a nearly same
name, or colleagues at the same email domain) is offered to ask to join it instead of
creating a duplicate. The organization's owners and admins approve or decline such requests
(a verified organization's owner may let colleagues at its own domain in without waiting),
invite colleagues by email, set roles and remove members. Whoever registers an organization
is its owner; only an owner hands ownership on or names another owner, and an organization
always keeps at least one owner. A removed member's projects pass to a colleague; its
engagements and money belong to the organization and stay with it.

Every change runs in a transaction, locks the organization (so two changes to one team
happen one after the other) and what it changes, and writes an audit event.
"""

import re
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import (
    TEAM_MANAGERS,
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
from accounts.signals import team_member_leaving

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
    candidates = (
        Organization.objects.filter(wanted, archived_at__isnull=True)
        .distinct()
        .order_by("name")[:50]
    )
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
    """The organization's owners and admins."""
    return list(
        User.objects.filter(
            employer_profile__organization_id=organization_id,
            employer_profile__team_role__in=TEAM_MANAGERS,
            is_active=True,
        )
    )


def _lock_team(organization_id: int) -> Organization:
    """Lock the organization's row: changes to one team's roles and members queue here, so
    the rule "at least one owner" holds however many are made at once."""
    return Organization.objects.select_for_update().get(pk=organization_id)


def _actor_profile(actor: User, organization_id: int, *, roles=TEAM_MANAGERS) -> EmployerProfile:
    """The actor's own profile, read again under lock, if their role allows the change."""
    profile = EmployerProfile.objects.select_for_update().filter(user_id=actor.pk).first()
    if (
        not actor.is_active
        or profile is None
        or profile.organization_id != organization_id
        or profile.team_role not in roles
    ):
        if roles == (TeamRole.OWNER,):
            raise PermissionDenied("Only your organization's owners do this.")
        raise PermissionDenied("Only your organization's owners and admins do this.")
    return profile


def _admin_profile(actor: User, organization_id: int) -> EmployerProfile:
    return _actor_profile(actor, organization_id)


def _other_owners(organization_id: int, but: EmployerProfile) -> int:
    return (
        EmployerProfile.objects.filter(organization_id=organization_id, team_role=TeamRole.OWNER)
        .exclude(pk=but.pk)
        .count()
    )


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
    """An employer without an organization asks to join one; its admins decide, unless the
    owner of the verified organization lets colleagues at its domain in at once."""
    User.objects.select_for_update().get(pk=user.pk)
    _without_organization(user)
    if organization.archived_at:
        raise ValidationError(f"{organization.name} was merged into another organization.")
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
    if joins_automatically(user, organization):
        return _join_automatically(request)
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


def joins_automatically(user: User, organization: Organization) -> bool:
    """The organization's owner lets colleagues at its own domain in without approval: the
    organization is verified (and not suspended), and the user has confirmed an address at
    its website's domain."""
    domain = website_domain(organization.website)
    if not (organization.auto_join_domain and organization.can_take_students and domain):
        return False
    if domain in PUBLIC_EMAIL_DOMAINS:
        return False
    return EmailAddress.objects.filter(
        user=user, verified=True, email__iendswith=f"@{domain}"
    ).exists()


def _join_automatically(req: OrganizationJoinRequest) -> OrganizationJoinRequest:
    organization = _lock_team(req.organization_id)
    EmployerProfile.objects.create(
        user=req.user, organization=organization, job_title=req.job_title, team_role=TeamRole.MEMBER
    )
    req.status = OrganizationJoinRequest.Status.APPROVED
    req.decided_at = timezone.now()
    req.decision_note = (
        f"Joined automatically: a confirmed address at {website_domain(organization.website)}."
    )
    req.save()
    audit(
        actor=req.user,
        action="organization.join_automatic",
        target=organization,
        summary=f"{req.user.email} joined {organization.name} at once with a confirmed address "
        "at its domain",
        data={"request": req.pk, "email": req.user.email},
    )
    notify(
        recipients=team_admins(organization.pk),
        kind="organization.join_automatic",
        key=f"join-request-{req.pk}-automatic",
        message=f"{req.user.get_full_name()} ({req.user.email}) joined {organization.name}",
        url=reverse("team"),
        context={
            "details": "Colleagues at your domain join without approval: change this on "
            "the team page."
        },
        email=False,
    )
    return req


@transaction.atomic
def organization_settings_save(
    *, actor: User, organization: Organization, auto_join_domain: bool
) -> Organization:
    """An owner lets colleagues with a confirmed address at the organization's own domain
    join without approval (it takes effect once the platform has verified it)."""
    org = _lock_team(organization.pk)
    _actor_profile(actor, org.pk, roles=(TeamRole.OWNER,))
    if auto_join_domain and website_domain(org.website) in PUBLIC_EMAIL_DOMAINS:
        raise ValidationError(
            {"auto_join_domain": "Your website's domain is a public mail domain: anyone has one."}
        )
    if org.auto_join_domain == auto_join_domain:
        return org
    org.auto_join_domain = auto_join_domain
    org.save(update_fields=["auto_join_domain"])
    audit(
        actor=actor,
        action="organization.auto_join_changed",
        target=org,
        summary=f"{actor.email} "
        + ("let" if auto_join_domain else "stopped letting")
        + f" colleagues at {website_domain(org.website)} join {org.name} without approval",
        data={"auto_join_domain": auto_join_domain},
    )
    return org


# --- Invitations --------------------------------------------------------------------------


@transaction.atomic
def invitation_send(
    *, actor: User, organization: Organization, email: str, role: str = TeamRole.MEMBER
) -> OrganizationInvitation:
    """An owner or admin invites a colleague by email; the link lets them join once signed
    up. Owners are named by an owner, on the team, not by invitation."""
    _admin_profile(actor, organization.pk)
    email = email.strip().lower()
    if role not in (TeamRole.ADMIN, TeamRole.MEMBER):
        raise ValidationError({"role": "Choose admin or recruiter."})
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


# --- Roles, removal and ownership -----------------------------------------------------------


def _member_profile(member: User, organization_id: int) -> EmployerProfile:
    target = (
        EmployerProfile.objects.select_for_update()
        .select_related("user")
        .filter(user_id=member.pk, organization_id=organization_id)
        .first()
    )
    if target is None:
        raise ValidationError("They are not on your team.")
    return target


@transaction.atomic
def team_role_set(*, actor: User, member: User, role: str) -> EmployerProfile:
    """An owner or admin makes a colleague an admin or a recruiter. Only an owner names
    another owner or changes an owner's role, and the last owner stays one."""
    if role not in TeamRole.values:
        raise ValidationError("Choose owner, admin or recruiter.")
    current = EmployerProfile.objects.filter(user_id=member.pk).values_list(
        "organization_id", flat=True
    )
    organization_id = next(iter(current), None)
    if organization_id is None:
        raise ValidationError("They are not on a team.")
    org = _lock_team(organization_id)
    mine = _actor_profile(actor, org.pk)
    target = _member_profile(member, org.pk)
    if target.team_role == role:
        return target
    if TeamRole.OWNER in (role, target.team_role) and mine.team_role != TeamRole.OWNER:
        raise PermissionDenied("Only an owner names owners or changes an owner's role.")
    if target.team_role == TeamRole.OWNER and not _other_owners(org.pk, target):
        raise ValidationError("An organization keeps at least one owner: transfer ownership first.")
    before = target.team_role
    target.team_role = role
    target.save(update_fields=["team_role"])
    audit(
        actor=actor,
        action="organization.role_changed",
        target=org,
        summary=f"{actor.email} made {target.user.email} {TeamRole(role).label.lower()} of "
        f"{org.name}",
        data={"member": target.user.email, "before": before, "after": role},
    )
    return target


@transaction.atomic
def ownership_transfer(*, actor: User, new_owner: User) -> EmployerProfile:
    """An owner hands the organization to a colleague: the colleague becomes owner, the
    former owner an admin."""
    profile = EmployerProfile.objects.filter(user_id=actor.pk).first()
    if profile is None:
        raise PermissionDenied("Only your organization's owners do this.")
    org = _lock_team(profile.organization_id)
    mine = _actor_profile(actor, org.pk, roles=(TeamRole.OWNER,))
    if new_owner.pk == actor.pk:
        raise ValidationError("You already own it: choose a colleague.")
    target = _member_profile(new_owner, org.pk)
    if not target.user.is_active:
        raise ValidationError("Their account is deactivated: choose an active colleague.")
    before = target.team_role
    target.team_role = TeamRole.OWNER
    target.save(update_fields=["team_role"])
    mine.team_role = TeamRole.ADMIN
    mine.save(update_fields=["team_role"])
    audit(
        actor=actor,
        action="organization.ownership_transferred",
        target=org,
        summary=f"{actor.email} transferred ownership of {org.name} to {target.user.email}",
        data={"from": actor.email, "to": target.user.email, "their_role_before": before},
    )
    notify(
        recipients=[target.user],
        kind="organization.ownership_transferred",
        key=f"ownership-{org.pk}-{target.pk}-{timezone.now():%Y%m%d%H%M%S%f}",
        message=f"{actor.get_full_name()} made you the owner of {org.name}",
        url=reverse("team"),
    )
    return target


@transaction.atomic
def member_remove(*, actor: User, member: User, successor: User | None = None) -> User:
    """An owner or admin takes a colleague off the team (an admin cannot remove an owner,
    and the last owner stays). The member's projects pass to `successor` (a colleague;
    by default whoever removes them); engagements, payments and everything else the
    organization owns stay with it. Answers who now holds the projects."""
    profile = EmployerProfile.objects.filter(user_id=actor.pk).first()
    if profile is None:
        raise PermissionDenied("Only your organization's owners and admins do this.")
    org = _lock_team(profile.organization_id)
    mine = _actor_profile(actor, org.pk)
    target = _member_profile(member, org.pk)
    if target.pk == mine.pk:
        raise ValidationError("You cannot remove yourself: ask another owner or admin.")
    if target.team_role == TeamRole.OWNER and mine.team_role != TeamRole.OWNER:
        raise PermissionDenied("Only an owner removes an owner.")
    if target.team_role == TeamRole.OWNER and not _other_owners(org.pk, target):
        raise ValidationError("An organization keeps at least one owner: transfer ownership first.")
    successor = successor or actor
    heir = EmployerProfile.objects.filter(
        user_id=successor.pk, organization_id=org.pk, user__is_active=True
    ).exclude(pk=target.pk)
    if not heir.exists():
        raise ValidationError({"successor": "Choose an active colleague to take their projects."})
    removed = target.user
    role = target.team_role
    # Whoever supervises the removed member's projects changes before they go (projects
    # answer this signal inside the transaction); the rows that say who did what stay.
    answers = team_member_leaving.send(
        sender=Organization, organization_id=org.pk, user_id=removed.pk, successor_id=successor.pk
    )
    handed_on = sum(count for _receiver, count in answers if isinstance(count, int))
    target.delete()
    OrganizationInvitation.objects.filter(
        organization=org, invited_by=removed, status=OrganizationInvitation.Status.PENDING
    ).update(invited_by=successor)
    audit(
        actor=actor,
        action="organization.member_removed",
        target=org,
        summary=f"{actor.email} removed {removed.email} ({role}) from {org.name}; their "
        f"projects pass to {successor.email}",
        data={
            "member": removed.email,
            "role": role,
            "successor": successor.email,
            "projects_handed_on": handed_on,
        },
    )
    notify(
        recipients=[removed],
        kind="organization.member_removed",
        key=f"removed-{org.pk}-{removed.pk}-{timezone.now():%Y%m%d%H%M%S%f}",
        message=f"You are no longer on {org.name}'s team",
        url=reverse("profile"),
    )
    if successor.pk != actor.pk:
        notify(
            recipients=[successor],
            kind="organization.projects_reassigned",
            key=f"reassigned-{org.pk}-{removed.pk}-{timezone.now():%Y%m%d%H%M%S%f}",
            message=f"{removed.get_full_name()}'s projects at {org.name} are now yours",
            url=reverse("employer_dashboard"),
            email=False,
        )
    return successor

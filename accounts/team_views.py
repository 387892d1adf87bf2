"""An organization's team: members and roles, join requests, invitations. Thin: forms check
input, accounts.teams changes things."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, teams
from accounts.access import role_required
from accounts.forms import DecisionNoteForm, InvitationAcceptForm, InviteForm, JoinRequestForm
from accounts.models import (
    Organization,
    OrganizationInvitation,
    OrganizationJoinRequest,
    Role,
    TeamRole,
    User,
)
from accounts.team_selectors import team_of
from marketplace.forms import add_service_errors


def _profile_or_redirect(request):
    profile = selectors.employer_profile_of(request.user)
    if profile is None:
        messages.info(request, "Tell us about your organization first.")
    return profile


def _render_team(request, profile, invite_form=None, status=200):
    return render(
        request,
        "accounts/team.html",
        {
            "profile": profile,
            "organization": profile.organization,
            "team": team_of(profile.organization_id),
            "invite_form": invite_form or InviteForm(),
            "roles": TeamRole.choices,
        },
        status=status,
    )


@role_required(Role.EMPLOYER)
def team(request):
    profile = _profile_or_redirect(request)
    if profile is None:
        return redirect("profile")
    return _render_team(request, profile)


def _refusal(request, error: ValidationError):
    messages.error(request, " ".join(error.messages))


@role_required(Role.EMPLOYER)
@require_POST
def team_invite(request):
    profile = _profile_or_redirect(request)
    if profile is None:
        return redirect("profile")
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = teams.invitation_send(
                actor=request.user,
                organization=profile.organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("team")
    return _render_team(request, profile, invite_form=form, status=400)


@role_required(Role.EMPLOYER)
@require_POST
def team_request_decide(request, pk: int):
    profile = _profile_or_redirect(request)
    if profile is None:
        return redirect("profile")
    join_request = get_object_or_404(
        OrganizationJoinRequest, pk=pk, organization_id=profile.organization_id
    )
    form = DecisionNoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    approve = request.POST.get("decision") == "approve"
    try:
        teams.join_request_decide(
            actor=request.user, join_request=join_request, approve=approve, note=note
        )
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            f"{join_request.user.get_full_name()} "
            + ("joined your team." if approve else "was told you declined."),
        )
    return redirect("team")


@role_required(Role.EMPLOYER)
@require_POST
def team_invitation_revoke(request, pk: int):
    profile = _profile_or_redirect(request)
    if profile is None:
        return redirect("profile")
    invitation = get_object_or_404(
        OrganizationInvitation, pk=pk, organization_id=profile.organization_id
    )
    teams.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, f"The invitation of {invitation.email} is revoked.")
    return redirect("team")


@role_required(Role.EMPLOYER)
@require_POST
def team_member_role(request, user_id: int):
    profile = _profile_or_redirect(request)
    if profile is None:
        return redirect("profile")
    member = get_object_or_404(
        User, pk=user_id, employer_profile__organization_id=profile.organization_id
    )
    try:
        teams.team_role_set(actor=request.user, member=member, role=request.POST.get("role", ""))
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, f"{member.get_full_name()}'s role is saved.")
    return redirect("team")


# --- Joining ---------------------------------------------------------------------------------


@role_required(Role.EMPLOYER)
@require_POST
def join_request(request, organization_id: int):
    """Ask to join an organization found when registering one (accounts.teams)."""
    organization = get_object_or_404(Organization, pk=organization_id)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give your job title to ask to join.")
        return redirect("profile")
    try:
        teams.join_request_submit(
            user=request.user,
            organization=organization,
            job_title=form.cleaned_data["job_title"],
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            f"Your request is with {organization.name}'s admins; we will tell you their answer.",
        )
    return redirect("profile")


@role_required(Role.EMPLOYER)
@require_POST
def join_request_withdraw(request, pk: int):
    join_request = get_object_or_404(OrganizationJoinRequest, pk=pk, user=request.user)
    teams.join_request_withdraw(user=request.user, join_request=join_request)
    messages.success(request, "Your request is withdrawn.")
    return redirect("profile")


@role_required(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """An invitation to join an organization, for the account with the invited address."""
    found = teams.invitation_for(request.user, token)
    if found is None:
        raise Http404("No such invitation for your account.")
    if selectors.employer_profile_of(request.user) is not None:
        messages.info(request, "You already belong to an organization.")
        return redirect("employer_dashboard")
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            teams.invitation_accept(
                user=request.user, invitation=found, job_title=form.cleaned_data["job_title"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Welcome to {found.organization.name}'s team.")
            return redirect("employer_dashboard")
    return render(request, "accounts/invitation.html", {"invitation": found, "form": form})

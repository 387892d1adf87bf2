"""An organization's team: members and roles, join requests, invitations. Thin: forms check
input, accounts.teams changes things."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, teams
from accounts.access import role_required
from accounts.forms import (
    ColleagueChoiceForm,
    DecisionNoteForm,
    InvitationAcceptForm,
    InviteForm,
    JoinRequestForm,
    TeamSettingsForm,
)
from accounts.models import (
    EmployerProfile,
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
    found = team_of(profile.organization_id)
    organization = profile.organization
    roles = TeamRole.choices if profile.is_team_owner else TeamRole.choices[1:]
    return render(
        request,
        "accounts/team.html",
        {
            "profile": profile,
            "organization": organization,
            "team": found,
            "invite_form": invite_form or InviteForm(),
            "roles": roles,
            "colleagues": [m for m in found.members if m.user_id != request.user.pk],
            "settings_form": TeamSettingsForm(
                initial={"auto_join_domain": organization.auto_join_domain}
            ),
            "own_domain": teams.website_domain(organization.website),
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


def _colleague(request, profile, form):
    """The colleague chosen on the form, on this team (None if the form is wrong)."""
    if not form.is_valid():
        return None
    return User.objects.filter(
        pk=form.cleaned_data["colleague"], employer_profile__organization_id=profile.organization_id
    ).first()


@role_required(Role.EMPLOYER)
@require_POST
def team_member_remove(request, user_id: int):
    """Take a colleague off the team; their projects pass to the colleague chosen."""
    profile = _profile_or_redirect(request)
    if profile is None:
        return redirect("profile")
    member = get_object_or_404(
        User, pk=user_id, employer_profile__organization_id=profile.organization_id
    )
    colleagues = EmployerProfile.objects.filter(organization_id=profile.organization_id)
    form = ColleagueChoiceForm(request.POST, colleagues=colleagues.select_related("user"))
    successor = _colleague(request, profile, form) if request.POST.get("colleague") else None
    if request.POST.get("colleague") and successor is None:
        messages.error(request, "Choose a colleague on your team to take their projects.")
        return redirect("team")
    try:
        heir = teams.member_remove(actor=request.user, member=member, successor=successor)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            f"{member.get_full_name()} is no longer on your team; their projects are now "
            f"{'yours' if heir.pk == request.user.pk else heir.get_full_name() + chr(39) + 's'}.",
        )
    return redirect("team")


@role_required(Role.EMPLOYER)
@require_POST
def team_transfer(request):
    """An owner hands the organization to a colleague."""
    profile = _profile_or_redirect(request)
    if profile is None:
        return redirect("profile")
    colleagues = EmployerProfile.objects.filter(organization_id=profile.organization_id)
    form = ColleagueChoiceForm(request.POST, colleagues=colleagues.select_related("user"))
    new_owner = _colleague(request, profile, form)
    if new_owner is None:
        messages.error(request, "Choose the colleague who becomes the owner.")
        return redirect("team")
    try:
        teams.ownership_transfer(actor=request.user, new_owner=new_owner)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request, f"{new_owner.get_full_name()} now owns {profile.organization.name}."
        )
    return redirect("team")


@role_required(Role.EMPLOYER)
@require_POST
def team_settings(request):
    profile = _profile_or_redirect(request)
    if profile is None:
        return redirect("profile")
    form = TeamSettingsForm(request.POST)
    form.is_valid()
    try:
        teams.organization_settings_save(
            actor=request.user,
            organization=profile.organization,
            auto_join_domain=form.cleaned_data.get("auto_join_domain", False),
        )
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, "Your team's settings are saved.")
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
        submitted = teams.join_request_submit(
            user=request.user,
            organization=organization,
            job_title=form.cleaned_data["job_title"],
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        _refusal(request, error)
    else:
        if submitted.status == OrganizationJoinRequest.Status.APPROVED:
            messages.success(
                request,
                f"Welcome to {organization.name}'s team: your address at its domain let you "
                "in at once.",
            )
            return redirect("employer_dashboard")
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

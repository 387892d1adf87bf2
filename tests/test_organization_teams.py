"""Organization teams: no silent duplicate at sign-up, join requests, invitations, roles."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import teams
from accounts.models import (
    AuditEvent,
    EmployerProfile,
    Notification,
    Organization,
    OrganizationInvitation,
    OrganizationJoinRequest,
    OutboundEmail,
    Role,
    TeamRole,
)
from tests.factories import (
    ApplicationFactory,
    EmployerFactory,
    OrganizationFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def newcomer(email="lee@brightline.example"):
    return UserFactory(role=Role.EMPLOYER, email=email)


def organization_form(name="Brightline Analytics", **extra):
    return {
        "account-first_name": "Lee",
        "account-last_name": "Tran",
        "account-time_zone": "America/Chicago",
        "job_title": "Analyst",
        "name": name,
        "website": "https://brightline-new.example",
        "industry": "technology",
        "size": "11-50",
        "description": "We analyse data.",
        **extra,
    }


@pytest.fixture
def brightline():
    org = OrganizationFactory(
        name="Brightline Analytics", website="https://brightline.example", verified=True
    )
    EmployerFactory(organization=org, user__email="sam@brightline.example")
    return org


# --- Finding the existing organization at sign-up -----------------------------------------


@pytest.mark.parametrize(
    "name", ["Brightline Analytics", "brightline analytics, Inc.", "BRIGHTLINE ANALYTICS LLC"]
)
def test_the_same_name_is_offered_to_join_instead_of_a_duplicate(client, brightline, name):
    client.force_login(newcomer(email="lee@mail.example"))

    response = client.post(reverse("profile"), organization_form(name))

    assert response.status_code == 200
    assert response.context["matches"] == [brightline]
    page = response.content.decode()
    assert "Ask to join Brightline Analytics" in page
    assert Organization.objects.filter(name__icontains="brightline").count() == 1


def test_the_same_email_domain_is_offered_whatever_the_name(client, brightline):
    client.force_login(newcomer(email="lee@brightline.example"))

    response = client.post(reverse("profile"), organization_form("BA Consulting"))

    assert response.context["matches"] == [brightline]
    assert not EmployerProfile.objects.filter(user__email="lee@brightline.example").exists()


def test_a_public_mail_domain_matches_nothing(brightline):
    EmployerFactory(organization=brightline, user__email="sam.b@gmail.com")

    assert teams.organization_matches(name="Cobalt Outdoor", email="x@gmail.com") == []


def test_a_new_organization_needs_confirmation_then_is_created(client, brightline):
    client.force_login(newcomer(email="lee@other.example"))

    response = client.post(
        reverse("profile"), organization_form(confirm_new_offered="1", confirm_new="on")
    )

    assert response.status_code == 302
    assert Organization.objects.filter(name="Brightline Analytics").count() == 2
    mine = EmployerProfile.objects.get(user__email="lee@other.example")
    assert mine.organization != brightline
    assert mine.team_role == TeamRole.OWNER


def test_saving_again_without_ticking_the_box_says_why(client, brightline):
    client.force_login(newcomer(email="lee@other.example"))

    response = client.post(reverse("profile"), organization_form(confirm_new_offered="1"))

    assert response.status_code == 200
    assert response.context["form"].errors["confirm_new"]
    assert Organization.objects.filter(name="Brightline Analytics").count() == 1


def test_an_unmatched_organization_is_created_at_once(client, brightline):
    client.force_login(newcomer(email="lee@cobalt.example"))

    response = client.post(reverse("profile"), organization_form("Cobalt Outdoor Co."))

    assert response.status_code == 302
    assert Organization.objects.filter(name="Cobalt Outdoor Co.").exists()


# --- Join requests ------------------------------------------------------------------------


def test_a_join_request_is_approved_by_an_admin_and_audited(client, brightline):
    lee = newcomer()
    client.force_login(lee)
    client.post(reverse("join_request", args=[brightline.pk]), {"job_title": "Analyst"})
    request = OrganizationJoinRequest.objects.get(user=lee)
    admin = brightline.employers.get().user
    assert Notification.objects.filter(recipient=admin, kind="organization.join_requested")
    page = client.get(reverse("profile")).content.decode()
    assert "is waiting for its admins" in page

    client.force_login(admin)
    response = client.post(
        reverse("team_request_decide", args=[request.pk]), {"decision": "approve"}
    )

    assert response.status_code == 302
    profile = EmployerProfile.objects.get(user=lee)
    assert profile.organization == brightline
    assert profile.team_role == TeamRole.MEMBER
    assert AuditEvent.objects.filter(action="organization.join_approved", actor=admin).exists()
    assert Notification.objects.filter(recipient=lee, kind="organization.join_approved")


def test_a_declined_requester_is_told_and_stays_without_an_organization(brightline):
    lee = newcomer()
    request = teams.join_request_submit(user=lee, organization=brightline, job_title="Analyst")
    admin = brightline.employers.get().user

    teams.join_request_decide(
        actor=admin, join_request=request, approve=False, note="We do not know you"
    )

    assert not EmployerProfile.objects.filter(user=lee).exists()
    told = Notification.objects.get(recipient=lee, kind="organization.join_declined")
    assert "declined" in told.message


def test_members_and_other_organizations_cannot_decide(brightline):
    request = teams.join_request_submit(user=newcomer(), organization=brightline, job_title="X")
    member = EmployerFactory(organization=brightline, team_role=TeamRole.MEMBER).user
    outsider = EmployerFactory().user

    for actor in (member, outsider):
        with pytest.raises(PermissionDenied):
            teams.join_request_decide(actor=actor, join_request=request, approve=True)
    request.refresh_from_db()
    assert request.status == OrganizationJoinRequest.Status.PENDING


def test_another_organizations_admin_gets_not_found_for_the_request(client, brightline):
    request = teams.join_request_submit(user=newcomer(), organization=brightline, job_title="X")
    client.force_login(EmployerFactory().user)

    response = client.post(
        reverse("team_request_decide", args=[request.pk]), {"decision": "approve"}
    )

    assert response.status_code == 404


def test_registering_an_own_organization_withdraws_a_waiting_request(client, brightline):
    lee = newcomer(email="lee@other.example")
    request = teams.join_request_submit(user=lee, organization=brightline, job_title="Analyst")
    client.force_login(lee)

    client.post(reverse("profile"), organization_form("Cobalt Outdoor Co."))

    request.refresh_from_db()
    assert request.status == OrganizationJoinRequest.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        teams.join_request_decide(
            actor=brightline.employers.get().user, join_request=request, approve=True
        )


def test_an_employer_with_an_organization_cannot_ask_to_join_another(brightline):
    with pytest.raises(ValidationError, match="already belong"):
        teams.join_request_submit(
            user=EmployerFactory().user, organization=brightline, job_title="X"
        )


# --- Invitations --------------------------------------------------------------------------


def test_an_admin_invites_by_email_and_the_colleague_joins_with_that_role(client, brightline):
    admin = brightline.employers.get().user
    client.force_login(admin)

    response = client.post(
        reverse("team_invite"), {"email": "Kim@Brightline.example", "role": "admin"}
    )

    assert response.status_code == 302
    invitation = OrganizationInvitation.objects.get()
    assert invitation.email == "kim@brightline.example"
    mail = OutboundEmail.objects.get(key=f"organization-invitation-{invitation.pk}")
    assert str(invitation.token) in mail.body
    kim = newcomer(email="kim@brightline.example")
    client.force_login(kim)
    assert "invited you to join Brightline" in client.get(reverse("profile")).content.decode()

    response = client.post(
        reverse("invitation", args=[invitation.token]), {"job_title": "Data Lead"}
    )

    assert response.status_code == 302
    profile = EmployerProfile.objects.get(user=kim)
    assert (profile.organization, profile.team_role) == (brightline, TeamRole.ADMIN)
    invitation.refresh_from_db()
    assert invitation.status == OrganizationInvitation.Status.ACCEPTED
    assert AuditEvent.objects.filter(action="organization.invitation_accepted").exists()


def test_an_invitation_opens_only_for_its_address(client, brightline):
    admin = brightline.employers.get().user
    invitation = teams.invitation_send(
        actor=admin, organization=brightline, email="kim@brightline.example"
    )
    client.force_login(newcomer(email="someone@else.example"))

    assert client.get(reverse("invitation", args=[invitation.token])).status_code == 404


def test_only_admins_invite(client, brightline):
    member = EmployerFactory(organization=brightline, team_role=TeamRole.MEMBER).user

    with pytest.raises(PermissionDenied):
        teams.invitation_send(actor=member, organization=brightline, email="x@y.example")
    client.force_login(member)
    page = client.get(reverse("team")).content.decode()
    assert "Invite a colleague" not in page


def test_inviting_a_member_again_is_refused_beside_the_field(client, brightline):
    admin = brightline.employers.get().user
    client.force_login(admin)

    response = client.post(reverse("team_invite"), {"email": admin.email, "role": "member"})

    assert response.status_code == 400
    assert "already on your team" in str(response.context["invite_form"].errors["email"])
    assert not OrganizationInvitation.objects.exists()


def test_a_revoked_invitation_cannot_be_accepted(brightline):
    admin = brightline.employers.get().user
    invitation = teams.invitation_send(
        actor=admin, organization=brightline, email="kim@brightline.example"
    )
    teams.invitation_revoke(actor=admin, invitation=invitation)

    with pytest.raises(ValidationError, match="no longer valid"):
        teams.invitation_accept(
            user=newcomer(email="kim@brightline.example"), invitation=invitation, job_title="X"
        )


# --- Roles ---------------------------------------------------------------------------------


def test_an_admin_makes_a_member_admin_and_it_is_audited(client, brightline):
    admin = brightline.employers.get().user
    member = EmployerFactory(organization=brightline, team_role=TeamRole.MEMBER).user
    client.force_login(admin)

    client.post(reverse("team_member_role", args=[member.pk]), {"role": "admin"})

    assert EmployerProfile.objects.get(user=member).team_role == TeamRole.ADMIN
    event = AuditEvent.objects.get(action="organization.role_changed")
    assert event.data == {"member": member.email, "before": "member", "after": "admin"}


def test_the_last_owner_stays_an_owner(client, brightline):
    owner = brightline.employers.get().user
    client.force_login(owner)

    response = client.post(
        reverse("team_member_role", args=[owner.pk]), {"role": "member"}, follow=True
    )

    assert "at least one owner" in response.content.decode()
    assert EmployerProfile.objects.get(user=owner).team_role == TeamRole.OWNER


def test_a_member_cannot_change_the_organization(client, brightline):
    member = EmployerFactory(organization=brightline, team_role=TeamRole.MEMBER).user
    client.force_login(member)

    client.post(
        reverse("profile"),
        organization_form("Renamed Analytics", **{"account-first_name": "Mo"}),
    )

    brightline.refresh_from_db()
    assert brightline.name == "Brightline Analytics"
    assert brightline.is_verified


def test_another_organizations_member_cannot_change_roles_here(client, brightline):
    admin = brightline.employers.get().user
    client.force_login(EmployerFactory().user)

    response = client.post(reverse("team_member_role", args=[admin.pk]), {"role": "member"})

    assert response.status_code == 404


def test_a_team_member_sees_the_organizations_applicants_but_not_another_ones(client, brightline):
    member = EmployerFactory(organization=brightline, team_role=TeamRole.MEMBER).user
    ours = ApplicationFactory(project=ProjectFactory(organization=brightline))
    theirs = ApplicationFactory()
    client.force_login(member)

    assert client.get(reverse("engagements:applicants", args=[ours.project_id])).status_code == 200
    response = client.get(reverse("engagements:applicants", args=[theirs.project_id]))
    assert response.status_code == 404


def test_the_team_page_runs_the_same_queries_for_few_or_many_members(client, brightline):
    admin = brightline.employers.get().user
    client.force_login(admin)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("team")).status_code == 200
    EmployerFactory.create_batch(10, organization=brightline, team_role=TeamRole.MEMBER)
    for n in range(5):
        teams.join_request_submit(
            user=newcomer(email=f"n{n}@x.example"), organization=brightline, job_title="X"
        )
        teams.invitation_send(actor=admin, organization=brightline, email=f"i{n}@x.example")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("team"))

    assert page.status_code == 200
    assert len(page.context["team"].members) == 11
    assert len(many) == len(few)

"""Owners and admins remove members and owners hand ownership on; an organization always
keeps an owner; a removed member's projects pass to a colleague and the organization's
engagements and money stay with it; a verified organization's own domain joins at once."""

import importlib
import threading
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as global_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts import teams
from accounts.models import (
    AuditEvent,
    EmployerProfile,
    Notification,
    OrganizationJoinRequest,
    Role,
    TeamRole,
)
from engagements.models import Engagement
from payments import services as payments
from payments.models import Payment
from projects.models import Project
from tests.factories import (
    EmployerFactory,
    OrganizationFactory,
    ProjectFactory,
    UserFactory,
    accepted_engagement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganizationFactory(
        name="Brightline Analytics", website="https://www.brightline.example", verified=True
    )


@pytest.fixture
def owner(org):
    return EmployerFactory(organization=org, user__email="sam@brightline.example").user


@pytest.fixture
def admin(org):
    return EmployerFactory(
        organization=org, team_role=TeamRole.ADMIN, user__email="noor@brightline.example"
    ).user


@pytest.fixture
def recruiter(org):
    return EmployerFactory(
        organization=org, team_role=TeamRole.MEMBER, user__email="eli@brightline.example"
    ).user


def role_of(user):
    return EmployerProfile.objects.get(user=user).team_role


def funded_engagement_of(recruiter, org):
    """A project the recruiter runs, with an engagement paid for through the local gateway."""
    project = ProjectFactory(organization=org, created_by=recruiter)
    engagement = accepted_engagement(project=project, funded=False)
    payment = payments.engagement_fund(actor=recruiter, engagement=engagement)
    payments.local_payment_complete(actor=recruiter, payment=payment, succeed=True)
    return project, engagement


# --- Removing members ------------------------------------------------------------------------


def test_removing_a_member_keeps_projects_engagements_and_money_with_the_organization(
    client, on_commit, org, owner, admin, recruiter
):
    project, engagement = funded_engagement_of(recruiter, org)
    paid = Payment.objects.filter(engagement__organization=org).aggregate(s=Sum("amount_cents"))
    client.force_login(owner)

    with on_commit():
        response = client.post(
            reverse("team_member_remove", args=[recruiter.pk]),
            {"colleague": admin.pk},
            follow=True,
        )

    assert "no longer on your team" in response.content.decode()
    assert not EmployerProfile.objects.filter(user=recruiter).exists()
    project.refresh_from_db()
    assert (project.organization, project.created_by) == (org, admin)
    engagement.refresh_from_db()
    assert engagement.organization == org and engagement.project == project
    assert (
        Payment.objects.filter(engagement__organization=org).aggregate(s=Sum("amount_cents"))
        == paid
    )
    event = AuditEvent.objects.get(action="organization.member_removed")
    assert event.actor == owner
    assert event.data["member"] == recruiter.email
    assert event.data["successor"] == admin.email and event.data["projects_handed_on"] == 1
    assert Notification.objects.filter(recipient=recruiter, kind="organization.member_removed")
    assert Notification.objects.filter(recipient=admin, kind="organization.projects_reassigned")
    # The removed employer has no team any more, and no way into its projects.
    client.force_login(recruiter)
    assert client.get(reverse("team")).status_code == 302
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code in (302, 403, 404)
    assert client.get(reverse("engagements:applicants", args=[project.pk])).status_code in (
        302,
        403,
        404,
    )


def test_by_default_the_projects_pass_to_whoever_removes_the_member(org, admin, recruiter):
    project = ProjectFactory(organization=org, created_by=recruiter)

    heir = teams.member_remove(actor=admin, member=recruiter)

    project.refresh_from_db()
    assert heir == admin and project.created_by == admin


def test_removal_refusals(org, owner, admin, recruiter):
    other_owner = EmployerFactory(organization=org, team_role=TeamRole.OWNER).user
    outsider = EmployerFactory().user

    with pytest.raises(PermissionDenied):
        teams.member_remove(actor=recruiter, member=admin)  # recruiters do not remove
    with pytest.raises(PermissionDenied):
        teams.member_remove(actor=admin, member=owner)  # admins do not remove owners
    with pytest.raises(ValidationError, match="cannot remove yourself"):
        teams.member_remove(actor=admin, member=admin)
    with pytest.raises(ValidationError, match="not on your team"):
        teams.member_remove(actor=owner, member=outsider)
    with pytest.raises(ValidationError):
        teams.member_remove(actor=owner, member=recruiter, successor=outsider)
    with pytest.raises(ValidationError):
        teams.member_remove(actor=owner, member=recruiter, successor=recruiter)
    assert EmployerProfile.objects.filter(organization=org).count() == 4

    # An owner removes another owner while one stays.
    teams.member_remove(actor=owner, member=other_owner)
    assert list(
        EmployerProfile.objects.filter(organization=org, team_role=TeamRole.OWNER).values_list(
            "user", flat=True
        )
    ) == [owner.pk]


def test_an_admin_cannot_remove_someone_of_another_organization_by_its_url(client, admin):
    stranger = EmployerFactory().user
    client.force_login(admin)

    response = client.post(reverse("team_member_remove", args=[stranger.pk]))

    assert response.status_code == 404
    assert EmployerProfile.objects.filter(user=stranger).exists()


def test_a_recruiter_sees_no_remove_buttons_and_is_refused(client, recruiter, admin):
    client.force_login(recruiter)
    page = client.get(reverse("team")).content.decode()
    assert "team_member_remove" not in page and 'id="remove-' not in page

    response = client.post(reverse("team_member_remove", args=[admin.pk]))

    assert response.status_code == 403
    assert EmployerProfile.objects.filter(user=admin).exists()


# --- Ownership ---------------------------------------------------------------------------


def test_an_owner_transfers_ownership_and_becomes_an_admin(client, on_commit, owner, recruiter):
    client.force_login(owner)
    page = client.get(reverse("team")).content.decode()
    assert 'id="transfer-ownership"' in page

    with on_commit():
        response = client.post(reverse("team_transfer"), {"colleague": recruiter.pk}, follow=True)

    assert "now owns" in response.content.decode()
    assert (role_of(recruiter), role_of(owner)) == (TeamRole.OWNER, TeamRole.ADMIN)
    event = AuditEvent.objects.get(action="organization.ownership_transferred")
    assert (event.data["from"], event.data["to"]) == (owner.email, recruiter.email)
    assert Notification.objects.filter(
        recipient=recruiter, kind="organization.ownership_transferred"
    ).exists()


def test_only_an_owner_transfers_ownership_or_names_owners(client, owner, admin, recruiter):
    client.force_login(admin)
    assert 'id="transfer-ownership"' not in client.get(reverse("team")).content.decode()
    assert client.post(reverse("team_transfer"), {"colleague": recruiter.pk}).status_code == 403
    with pytest.raises(PermissionDenied):
        teams.team_role_set(actor=admin, member=recruiter, role=TeamRole.OWNER)
    with pytest.raises(PermissionDenied):
        teams.team_role_set(actor=admin, member=owner, role=TeamRole.MEMBER)
    with pytest.raises(ValidationError, match="already own"):
        teams.ownership_transfer(actor=owner, new_owner=owner)
    with pytest.raises(ValidationError, match="not on your team"):
        teams.ownership_transfer(actor=owner, new_owner=EmployerFactory().user)
    assert (role_of(owner), role_of(admin), role_of(recruiter)) == (
        TeamRole.OWNER,
        TeamRole.ADMIN,
        TeamRole.MEMBER,
    )
    # An owner may name a second owner; then either may step down.
    teams.team_role_set(actor=owner, member=admin, role=TeamRole.OWNER)
    teams.team_role_set(actor=admin, member=owner, role=TeamRole.ADMIN)
    assert (role_of(owner), role_of(admin)) == (TeamRole.ADMIN, TeamRole.OWNER)


def test_the_last_owner_can_neither_step_down_nor_be_removed(owner, admin):
    with pytest.raises(ValidationError, match="at least one owner"):
        teams.team_role_set(actor=owner, member=owner, role=TeamRole.ADMIN)
    with pytest.raises(PermissionDenied):
        teams.member_remove(actor=admin, member=owner)
    assert role_of(owner) == TeamRole.OWNER


def test_two_owners_stepping_down_at_once_leave_one_owner(transactional_db, org):
    """Both owners step down at the same moment: the organization row lock queues them, so
    the second sees it would leave no owner and is refused."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks are tested on PostgreSQL.")
    first = EmployerFactory(organization=org, team_role=TeamRole.OWNER).user
    second = EmployerFactory(organization=org, team_role=TeamRole.OWNER).user
    barrier = threading.Barrier(2)
    outcomes = []

    def step_down(owner):
        try:
            barrier.wait(timeout=10)
            teams.team_role_set(actor=owner, member=owner, role=TeamRole.ADMIN)
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=step_down, args=(first,)),
        threading.Thread(target=step_down, args=(second,)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["done", "refused"]
    assert EmployerProfile.objects.filter(organization=org, team_role=TeamRole.OWNER).count() == 1


# --- Joining at once from the organization's own domain -----------------------------------


def colleague(email="lee@brightline.example", *, confirmed=True):
    user = UserFactory(role=Role.EMPLOYER, email=email)
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=email, verified=confirmed, primary=True)
    return user


def test_a_colleague_at_the_verified_domain_joins_at_once_when_the_owner_allows_it(
    client, on_commit, org, owner
):
    client.force_login(owner)
    client.post(reverse("team_settings"), {"auto_join_domain": "on"})
    org.refresh_from_db()
    assert org.auto_join_domain
    assert AuditEvent.objects.filter(action="organization.auto_join_changed").exists()
    lee = colleague()
    client.force_login(lee)

    with on_commit():
        response = client.post(
            reverse("join_request", args=[org.pk]), {"job_title": "Analyst"}, follow=True
        )

    assert "Welcome to Brightline Analytics" in response.content.decode()
    profile = EmployerProfile.objects.get(user=lee)
    assert (profile.organization, profile.team_role) == (org, TeamRole.MEMBER)
    request = OrganizationJoinRequest.objects.get(user=lee)
    assert request.status == OrganizationJoinRequest.Status.APPROVED
    assert request.decided_by is None
    assert AuditEvent.objects.filter(action="organization.join_automatic", actor=lee).exists()
    assert Notification.objects.filter(recipient=owner, kind="organization.join_automatic")


@pytest.mark.parametrize(
    "case", ["setting off", "other domain", "unconfirmed address", "unverified organization"]
)
def test_otherwise_the_request_waits_for_an_admin(org, owner, case):
    org.auto_join_domain = case != "setting off"
    if case == "unverified organization":
        org.verification_status = org.Verification.UNVERIFIED
        org.verified_at = None
    org.save()
    email = "lee@elsewhere.example" if case == "other domain" else "lee@brightline.example"
    lee = colleague(email, confirmed=case != "unconfirmed address")

    request = teams.join_request_submit(user=lee, organization=org, job_title="Analyst")

    assert request.status == OrganizationJoinRequest.Status.PENDING
    assert not EmployerProfile.objects.filter(user=lee).exists()


def test_only_an_owner_turns_automatic_joining_on(client, org, owner, admin):
    client.force_login(admin)
    assert 'id="team-settings"' not in client.get(reverse("team")).content.decode()
    assert client.post(reverse("team_settings"), {"auto_join_domain": "on"}).status_code == 403
    org.refresh_from_db()
    assert not org.auto_join_domain


def test_a_public_mail_domain_cannot_join_automatically(org, owner):
    org.website = "https://gmail.com"
    org.save()
    with pytest.raises(ValidationError, match="public mail domain"):
        teams.organization_settings_save(actor=owner, organization=org, auto_join_domain=True)


def test_the_team_page_queries_are_bounded(client, django_assert_max_num_queries, org, owner):
    EmployerFactory.create_batch(8, organization=org, team_role=TeamRole.MEMBER)
    client.force_login(owner)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("team")).status_code == 200


def test_engagements_stay_counted_for_the_organization_after_removal(org, owner, recruiter):
    _project, engagement = funded_engagement_of(recruiter, org)

    teams.member_remove(actor=owner, member=recruiter)

    assert Engagement.objects.filter(organization=org).count() == 1
    assert Project.objects.filter(organization=org, created_by=owner).count() == 1
    assert engagement.payments.count() == 1


def test_at_sign_up_the_organization_found_by_domain_is_joined_at_once(client, org, owner):
    """The sign-up flow: the employer types their organization, is shown the one that
    exists, and (the owner having allowed it) joins it at once instead of waiting."""
    teams.organization_settings_save(actor=owner, organization=org, auto_join_domain=True)
    lee = colleague()
    client.force_login(lee)
    form = {
        "account-first_name": "Lee",
        "account-last_name": "Tran",
        "account-time_zone": "America/Chicago",
        "job_title": "Analyst",
        "name": "Brightline Analytics, Inc.",
        "website": "https://brightline.example",
        "industry": "technology",
        "size": "11-50",
        "description": "We analyse data.",
    }

    offered = client.post(reverse("profile"), form)

    assert offered.context["matches"] == [org]
    assert offered.context["joins_at_once"] == {org.pk}
    assert "you join at once" in offered.content.decode()
    joined = client.post(
        reverse("join_request", args=[org.pk]), {"job_title": "Analyst"}, follow=True
    )
    assert joined.redirect_chain[-1][0] == reverse("employer_dashboard")
    assert EmployerProfile.objects.get(user=lee).organization == org
    # Without the owner's setting, the same page only offers to ask.
    stranger = colleague("kim@brightline.example")
    teams.organization_settings_save(actor=owner, organization=org, auto_join_domain=False)
    client.force_login(stranger)
    page = client.post(reverse("profile"), form)
    assert page.context["joins_at_once"] == set()
    assert "Ask to join Brightline Analytics" in page.content.decode()


def test_the_upgrade_makes_each_organizations_earliest_admin_its_owner():
    org = OrganizationFactory()
    first = EmployerFactory(
        organization=org,
        team_role=TeamRole.ADMIN,
        user__date_joined=timezone.now() - timedelta(days=9),
    ).user
    later = EmployerFactory(organization=org, team_role=TeamRole.ADMIN).user
    member = EmployerFactory(organization=org, team_role=TeamRole.MEMBER).user
    migration = importlib.import_module("accounts.migrations.0016_teams_ownership_merging_bounces")

    migration.first_admin_owns(global_apps, connection.schema_editor())

    assert (role_of(first), role_of(later), role_of(member)) == (
        TeamRole.OWNER,
        TeamRole.ADMIN,
        TeamRole.MEMBER,
    )

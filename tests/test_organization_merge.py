"""Platform admins merge duplicate organizations: everything moves to the kept one, nothing
is lost, sums are unchanged, and the empty duplicate is archived (not deleted)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.urls import reverse

from accounts import merging, teams
from accounts.models import (
    AuditEvent,
    EmployerProfile,
    Organization,
    OrganizationInvitation,
    OrganizationJoinRequest,
    Role,
    TeamRole,
    VerificationDecision,
)
from engagements.models import Engagement
from outcomes.models import TalentPoolEntry
from payments import services as payments
from payments.models import LedgerEntry, Payment
from projects.models import Project
from safety import services as safety
from safety.models import Report
from tests.factories import (
    AdminFactory,
    EmployerFactory,
    OrganizationFactory,
    ProjectFactory,
    StudentFactory,
    UserFactory,
    accepted_engagement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep():
    org = OrganizationFactory(
        name="Brightline Analytics", website="https://brightline.example", verified=True
    )
    EmployerFactory(organization=org, user__email="sam@brightline.example")
    return org


@pytest.fixture
def duplicate():
    org = OrganizationFactory(
        name="Brightline Analytics Inc.",
        website="https://brightline.example",
        registration_number="84-2931775",
        verified=True,
    )
    EmployerFactory(organization=org, user__email="lee@brightline.example")
    EmployerFactory(
        organization=org, team_role=TeamRole.MEMBER, user__email="kim@brightline.example"
    )
    return org


def everything_of(org):
    """What points at the organization: rows per relation, and the money of its engagements."""
    return {
        "counts": merging.merge_counts(org),
        "paid": Payment.objects.filter(engagement__organization=org).aggregate(
            s=Sum("amount_cents")
        )["s"]
        or 0,
        "ledger": LedgerEntry.objects.filter(engagement__organization=org).aggregate(
            s=Sum("amount_cents")
        )["s"]
        or 0,
    }


def paid_engagement(org):
    project = ProjectFactory(organization=org, created_by=org.employers.first().user)
    engagement = accepted_engagement(project=project, funded=False)
    payment = payments.engagement_fund(actor=project.created_by, engagement=engagement)
    payments.local_payment_complete(actor=project.created_by, payment=payment, succeed=True)
    return engagement


@pytest.fixture
def histories(keep, duplicate):
    """Both organizations with projects, engagements and payments, and the duplicate with a
    join request, invitations, a report, a decision and a student both keep in mind."""
    for org in (keep, duplicate):
        paid_engagement(org)
        ProjectFactory(organization=org, draft=True)
    # The duplicate was verified too: its decision moves with it.
    dup_owner = duplicate.employers.get(team_role=TeamRole.OWNER).user
    keep_owner = keep.employers.get().user
    VerificationDecision.objects.create(
        organization=duplicate,
        status="verified",
        checks=["website"],
        reasons="Looked right",
        decided_by=AdminFactory(),
    )
    teams.join_request_submit(
        user=UserFactory(role=Role.EMPLOYER), organization=duplicate, job_title="Analyst"
    )
    teams.invitation_send(actor=dup_owner, organization=duplicate, email="both@brightline.example")
    teams.invitation_send(actor=keep_owner, organization=keep, email="both@brightline.example")
    teams.invitation_send(actor=dup_owner, organization=duplicate, email="only@brightline.example")
    reporter = StudentFactory().user
    safety.report_create(actor=reporter, subject=duplicate, reason="scam", details="Asked for fees")
    student = StudentFactory().user
    TalentPoolEntry.objects.create(organization=keep, student=student, tags=",data,", notes="A")
    TalentPoolEntry.objects.create(
        organization=duplicate, student=student, tags=",writing,", notes="B"
    )
    TalentPoolEntry.objects.create(organization=duplicate, student=StudentFactory().user)
    return student


def test_a_platform_admin_merges_and_nothing_is_lost(
    client, on_commit, platform_admin, keep, duplicate, histories
):
    before_keep, before_dup = everything_of(keep), everything_of(duplicate)
    projects = Project.objects.count()
    engagements = Engagement.objects.count()
    members = EmployerProfile.objects.count()
    kept_owner = keep.employers.get().user
    dup_owner = duplicate.employers.get(team_role=TeamRole.OWNER).user
    client.force_login(platform_admin)
    changelist = reverse("admin:accounts_organization_changelist")
    action = {"action": "merge_selected", "_selected_action": [keep.pk, duplicate.pk]}

    confirm = client.post(changelist, action)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Brightline Analytics Inc." in page and "2 projects" in page and "2 employer" in page
    assert Organization.objects.get(pk=duplicate.pk).archived_at is None
    with on_commit():
        done = client.post(
            changelist,
            {**action, "apply": "1", "keep": keep.pk, "reason": "Same company, same domain."},
            follow=True,
        )
    assert "is merged into Brightline Analytics and archived" in done.content.decode()

    duplicate.refresh_from_db()
    assert duplicate.archived_at and duplicate.merged_into == keep
    assert merging.merge_counts(duplicate) == {}  # nothing points at it any more
    after = everything_of(keep)
    assert after["paid"] == before_keep["paid"] + before_dup["paid"] > 0
    assert after["ledger"] == before_keep["ledger"] + before_dup["ledger"]
    assert after["counts"]["projects"] == 4
    assert (Project.objects.count(), Engagement.objects.count()) == (projects, engagements)
    assert EmployerProfile.objects.count() == members
    assert EmployerProfile.objects.filter(organization=keep).count() == 3
    assert EmployerProfile.objects.get(user=kept_owner).team_role == TeamRole.OWNER
    assert EmployerProfile.objects.get(user=dup_owner).team_role == TeamRole.ADMIN
    assert OrganizationJoinRequest.objects.filter(organization=keep, status="pending").count() == 1
    pending = OrganizationInvitation.objects.filter(organization=keep, status="pending")
    assert sorted(pending.values_list("email", flat=True)) == [
        "both@brightline.example",
        "only@brightline.example",
    ]
    assert keep.verification_decisions.count() == 1
    report = Report.objects.get()
    assert (report.organization, report.subject_key) == (keep, f"organization:{keep.pk}")
    merged = TalentPoolEntry.objects.get(organization=keep, student=histories)
    assert (merged.tags, merged.notes) == (",data,writing,", "A\n\nB")
    assert TalentPoolEntry.objects.filter(organization=keep).count() == 2
    keep.refresh_from_db()
    assert keep.registration_number == "84-2931775"  # what only the duplicate knew
    events = AuditEvent.objects.filter(action="organization.merged", actor=platform_admin)
    assert {e.target_id for e in events} == {str(keep.pk), str(duplicate.pk)}
    assert events.first().data["reason"] == "Same company, same domain."
    # The archived one is offered to nobody and takes no one.
    assert duplicate not in teams.organization_matches(
        name="Brightline Analytics Inc", email="new@brightline.example"
    )
    assert not duplicate.can_take_students
    with pytest.raises(ValidationError, match="merged"):
        teams.join_request_submit(
            user=UserFactory(role=Role.EMPLOYER), organization=duplicate, job_title="X"
        )


def test_merging_needs_two_organizations_a_reason_and_a_platform_admin(
    client, platform_admin, career_staff, keep, duplicate
):
    changelist = reverse("admin:accounts_organization_changelist")
    client.force_login(platform_admin)
    one = client.post(
        changelist, {"action": "merge_selected", "_selected_action": [keep.pk]}, follow=True
    )
    assert "exactly two" in one.content.decode()
    no_reason = client.post(
        changelist,
        {
            "action": "merge_selected",
            "_selected_action": [keep.pk, duplicate.pk],
            "apply": "1",
            "keep": keep.pk,
            "reason": " ",
        },
    )
    assert no_reason.status_code == 200 and no_reason.context["form"].errors["reason"]
    with pytest.raises(PermissionDenied):
        merging.organizations_merge(
            actor=keep.employers.get().user, keep=keep, duplicate=duplicate, reason="Same"
        )
    with pytest.raises(PermissionDenied):
        merging.organizations_merge(
            actor=career_staff, keep=keep, duplicate=duplicate, reason="Same"
        )
    with pytest.raises(ValidationError):
        merging.organizations_merge(actor=platform_admin, keep=keep, duplicate=keep, reason="x")
    assert Organization.objects.filter(archived_at__isnull=False).count() == 0

    merging.organizations_merge(
        actor=platform_admin, keep=keep, duplicate=duplicate, reason="Same company"
    )
    with pytest.raises(ValidationError, match="already archived"):
        merging.organizations_merge(
            actor=platform_admin, keep=duplicate, duplicate=keep, reason="Undo"
        )
    assert Organization.objects.filter(pk=duplicate.pk).exists()  # archived, never deleted

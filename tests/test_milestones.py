"""Milestones: the fee split into parts, each handed in, approved and paid on its own, the
ledger balancing milestone by milestone."""

import dataclasses
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from engagements import services as engagements
from engagements.models import Milestone
from engagements.reminders import auto_approve
from payments import ledger
from payments import services as payments
from payments.milestones import split_by_largest_remainder
from payments.models import LedgerEntry, Payout, Refund
from projects import services as project_services
from projects.forms import ProjectForm
from projects.milestones import MilestonePlan, plan_errors
from projects.models import Project
from projects.services import ProjectData
from tests.factories import (
    AdminFactory,
    EmployerFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)
from tests.helpers import run_after_commit
from tests.payment_helpers import milestone_engagement, milestone_project
from tests.test_project_posting import project_form

pytestmark = pytest.mark.django_db


def log(engagement, quarters=4):
    engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=quarters,
        description="Work",
    )


def submit(engagement, quarters=4):
    if quarters:
        log(engagement, quarters)
    return engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(note="Done", links=["https://example.com/x"], files=[]),
    )


def approve(on_commit, engagement, **kwargs):
    with on_commit():
        engagements.submission_approve(
            actor=employer_of(engagement.project), engagement=engagement, **kwargs
        )
    engagement.refresh_from_db()


def statuses(engagement):
    return list(engagement.milestones.order_by("number").values_list("status", flat=True))


# --- Snapshot ------------------------------------------------------------------------------


def test_acceptance_copies_the_projects_milestones_into_the_engagement():
    engagement = milestone_engagement()

    rows = list(
        engagement.milestones.values_list("number", "title", "quarters", "amount_cents", "status")
    )
    assert rows == [
        (1, "Part 1", 24, 12000, "pending"),
        (2, "Part 2", 32, 16000, "pending"),
        (3, "Part 3", 24, 12000, "pending"),
    ]
    assert "in 3 milestones" in engagement.events.get(kind="accepted").description


def test_the_database_refuses_a_milestone_under_the_floor_or_approved_without_a_date():
    engagement = milestone_engagement()
    first = engagement.milestones.get(number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.filter(pk=first.pk).update(amount_cents=24 * 375 - 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.filter(pk=first.pk).update(status="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.create(
            engagement=engagement,
            number=1,
            title="x",
            deliverable="x",
            quarters=1,
            amount_cents=1000,
        )


# --- Work, milestone by milestone ----------------------------------------------------------------


def test_each_milestone_is_submitted_approved_and_paid_on_its_own(on_commit, settings):
    settings.PLATFORM_FEE_PERCENT = 10
    engagement = milestone_engagement()
    employer = employer_of(engagement.project)

    submission = submit(engagement)
    engagement.refresh_from_db()
    assert submission.milestone.number == 1
    assert engagement.status == "submitted"
    assert statuses(engagement) == ["submitted", "pending", "pending"]
    assert Notification.objects.filter(
        recipient=employer, message__startswith="Milestone 1 submitted"
    ).exists()

    approve(on_commit, engagement, milestone_number=1)

    assert engagement.status == "active"
    assert statuses(engagement) == ["approved", "pending", "pending"]
    first = engagement.milestones.get(number=1)
    assert first.approved_by == employer and first.approved_at
    payout = Payout.objects.get(engagement=engagement)
    assert (payout.kind, payout.milestone, payout.amount_cents, payout.status) == (
        "milestone",
        first,
        12000,
        "paid",
    )
    assert Notification.objects.filter(
        recipient=engagement.student, message__contains="Milestone 1 of"
    ).exists()

    submit(engagement)
    approve(on_commit, engagement, milestone_number=2)
    submit(engagement)
    approve(on_commit, engagement, milestone_number=3)

    assert statuses(engagement) == ["approved", "approved", "approved"]
    assert engagement.status == "paid" and engagement.paid_at and engagement.approved_at
    assert sorted(Payout.objects.values_list("amount_cents", flat=True)) == [12000, 12000, 16000]
    assert ledger.balance(engagement.pk) == 0
    assert all(ledger.milestone_balance(m.pk) == 0 for m in engagement.milestones.all())


def test_time_logged_counts_toward_the_current_milestone(on_commit):
    engagement = milestone_engagement()
    log(engagement, 4)
    submit(engagement, 0)
    approve(on_commit, engagement)

    log(engagement, 2)

    second = engagement.milestones.get(number=2)
    assert list(second.time_entries.values_list("quarters", flat=True)) == [2]
    assert engagement.milestones.get(number=1).time_entries.count() == 1


def test_a_revision_request_sends_back_the_submitted_milestone(on_commit):
    engagement = milestone_engagement()
    submit(engagement)

    engagements.submission_request_revision(
        actor=employer_of(engagement.project), engagement=engagement, comment="Add sources"
    )

    engagement.refresh_from_db()
    assert engagement.status == "revision_requested"
    assert statuses(engagement) == ["revision_requested", "pending", "pending"]
    assert Notification.objects.filter(
        recipient=engagement.student, message__contains="on milestone 1 of"
    ).exists()
    resubmitted = submit(engagement, 0)
    assert resubmitted.milestone.number == 1
    assert statuses(engagement) == ["submitted", "pending", "pending"]


def test_approving_the_same_milestone_twice_pays_it_once(on_commit):
    engagement = milestone_engagement()
    submit(engagement)

    approve(on_commit, engagement, milestone_number=1)
    approve(on_commit, engagement, milestone_number=1)

    assert Payout.objects.filter(engagement=engagement).count() == 1
    assert engagement.status == "active"


def test_silence_approves_the_submitted_milestone_and_only_after_its_own_wait(settings, on_commit):
    engagement = milestone_engagement()
    submit(engagement)
    later = timezone.now() + timedelta(days=settings.AUTO_APPROVE_DAYS, hours=1)

    with time_machine.travel(later, tick=False), on_commit():
        assert auto_approve() == 1
    engagement.refresh_from_db()
    first = engagement.milestones.get(number=1)
    assert first.status == "approved" and first.approved_by is None
    assert engagement.status == "active"
    assert Payout.objects.get(milestone=first).status == "paid"

    with time_machine.travel(later, tick=False):
        submit(engagement)
        with on_commit():
            auto_approve()
    engagement.refresh_from_db()
    assert statuses(engagement) == ["approved", "submitted", "pending"]


def test_an_automatic_approval_that_finds_the_next_milestone_just_handed_in_leaves_it(on_commit):
    engagement = milestone_engagement()
    submit(engagement)
    cutoff = timezone.now()
    approve(on_commit, engagement)
    submit(engagement)

    engagements.submission_approve(actor=None, engagement=engagement, submitted_before=cutoff)

    assert statuses(engagement) == ["approved", "submitted", "pending"]


# --- Access --------------------------------------------------------------------------------


def test_another_employer_cannot_approve_and_another_student_cannot_submit(client):
    engagement = milestone_engagement()
    submit(engagement)
    outsider = EmployerFactory(organization__verified=True).user
    other_student = StudentFactory().user

    with pytest.raises(PermissionDenied):
        engagements.submission_approve(actor=outsider, engagement=engagement)
    with pytest.raises(PermissionDenied):
        engagements.submission_approve(actor=engagement.student, engagement=engagement)
    client.force_login(outsider)
    response = client.post(
        reverse("engagements:review", args=[engagement.pk]),
        {"decision": "approve", "milestone": 1},
    )
    assert response.status_code == 404
    client.force_login(other_student)
    response = client.post(
        reverse("engagements:submit_work", args=[engagement.pk]),
        {"note": "Mine", "links": "https://example.com"},
    )
    assert response.status_code == 404
    assert statuses(engagement) == ["submitted", "pending", "pending"]
    assert not Payout.objects.exists()


def test_the_employer_approves_a_milestone_from_the_workspace(client, on_commit):
    engagement = milestone_engagement()
    submit(engagement)
    employer = employer_of(engagement.project)
    client.force_login(employer)

    page = client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()
    assert "Approve milestone 1 and pay $120" in page
    with on_commit():
        response = client.post(
            reverse("engagements:review", args=[engagement.pk]),
            {"decision": "approve", "milestone": 1, "comment": ""},
        )
        client.post(
            reverse("engagements:review", args=[engagement.pk]),
            {"decision": "approve", "milestone": 1, "comment": ""},
        )

    assert response.status_code == 302
    assert statuses(engagement) == ["approved", "pending", "pending"]
    assert Payout.objects.count() == 1
    page = client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()
    assert 'id="milestones"' in page and "Part 2" in page


# --- Ledger --------------------------------------------------------------------------------


def test_the_platform_fee_is_shared_by_largest_remainder():
    assert split_by_largest_remainder(2800, [13333, 13334, 13333]) == [933, 934, 933]
    assert split_by_largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(split_by_largest_remainder(4001, [12000, 16000, 12000])) == 4001


def test_funding_is_recorded_milestone_by_milestone_and_each_balances(on_commit, settings):
    settings.PLATFORM_FEE_PERCENT = 7
    engagement = milestone_engagement(plan=((24, 13333), (32, 13334), (24, 13333)))
    milestones = list(engagement.milestones.order_by("number"))

    fees = [
        -LedgerEntry.objects.get(kind="platform_fee", milestone=m).amount_cents for m in milestones
    ]
    assert fees == [933, 934, 933]
    assert LedgerEntry.objects.filter(milestone__isnull=True).count() == 0
    assert [ledger.milestone_balance(m.pk) for m in milestones] == [13333, 13334, 13333]
    assert ledger.balance(engagement.pk) == 40000

    submit(engagement)
    approve(on_commit, engagement)

    assert [ledger.milestone_balance(m.pk) for m in milestones] == [0, 13334, 13333]
    assert ledger.balance(engagement.pk) == 26667


def test_a_replayed_milestone_payout_pays_once(on_commit):
    engagement = milestone_engagement()
    submit(engagement)
    approve(on_commit, engagement)
    first = engagement.milestones.get(number=1)
    payout = Payout.objects.get(milestone=first)

    with on_commit():
        payments.payout_create(engagement=engagement, amount_cents=12000, milestone=first)
        payments.payout_execute(payout_id=payout.pk)
        payments.payout_apply(payout_id=payout.pk, provider_id="again")
        payments.payouts_retry_due()

    assert Payout.objects.filter(milestone=first).count() == 1
    assert LedgerEntry.objects.filter(kind="payout", milestone=first).count() == 1
    assert ledger.milestone_balance(first.pk) == 0
    with pytest.raises(IntegrityError), transaction.atomic():
        Payout.objects.create(
            engagement=engagement,
            kind="milestone",
            milestone=first,
            student=engagement.student,
            amount_cents=1,
            status="pending",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payout.objects.create(
            engagement=engagement,
            kind="milestone",
            student=engagement.student,
            amount_cents=1,
            status="pending",
        )


# --- Scope extensions ----------------------------------------------------------------------


def extend(engagement, *, milestone_number, extra_quarters=8, extra_fee_cents=4000):
    employer = employer_of(engagement.project)
    extension = engagements.extension_propose(
        actor=employer,
        engagement=engagement,
        extra_quarters=extra_quarters,
        extra_fee_cents=extra_fee_cents,
        extra_days=0,
        reason="One more source",
        milestone_number=milestone_number,
    )
    engagements.extension_decide(actor=engagement.student, extension=extension, accept=True)
    payment = payments.payment_start(actor=employer, engagement=engagement, extension=extension)
    payments.local_payment_complete(actor=employer, payment=payment, succeed=True)
    run_after_commit()
    engagement.refresh_from_db()
    return extension


def test_an_extension_grows_its_milestone_and_its_money_is_recorded_there(on_commit, settings):
    settings.PLATFORM_FEE_PERCENT = 10
    engagement = milestone_engagement()

    extend(engagement, milestone_number=2)

    second = engagement.milestones.get(number=2)
    assert (second.quarters, second.amount_cents) == (40, 20000)
    assert (engagement.cap_quarters, engagement.fee_cents) == (88, 44000)
    assert ledger.milestone_balance(second.pk) == 20000
    assert LedgerEntry.objects.filter(milestone__isnull=True).count() == 0
    for _ in range(3):
        submit(engagement)
        approve(on_commit, engagement)
    assert engagement.status == "paid"
    assert Payout.objects.get(milestone=second).amount_cents == 20000
    assert ledger.balance(engagement.pk) == 0


def test_an_extension_must_name_a_milestone_still_to_deliver(on_commit):
    engagement = milestone_engagement()
    submit(engagement)
    approve(on_commit, engagement)

    for number in (None, 1, 9):
        with pytest.raises(ValidationError) as refused:
            engagements.extension_propose(
                actor=employer_of(engagement.project),
                engagement=engagement,
                extra_quarters=4,
                extra_fee_cents=2000,
                extra_days=0,
                reason="More",
                milestone_number=number,
            )
        assert "milestone" in refused.value.message_dict


# --- Cancellation and disputes -------------------------------------------------------------


def test_cancelling_before_work_on_the_current_milestone_refunds_the_rest(on_commit, settings):
    settings.PLATFORM_FEE_PERCENT = 10
    engagement = milestone_engagement()
    submit(engagement)
    approve(on_commit, engagement)

    with on_commit():
        engagements.engagement_request_cancel(
            actor=employer_of(engagement.project), engagement=engagement, reason="Budget cut"
        )

    engagement.refresh_from_db()
    assert engagement.status == "cancelled"
    assert statuses(engagement) == ["approved", "cancelled", "cancelled"]
    refunds = Refund.objects.order_by("milestone__number")
    assert [(r.milestone.number, r.amount_cents, r.platform_fee_cents) for r in refunds] == [
        (2, 17600, 1600),
        (3, 13200, 1200),
    ]
    assert all(r.status == "succeeded" for r in refunds)
    assert all(ledger.milestone_balance(m.pk) == 0 for m in engagement.milestones.all())
    assert ledger.balance(engagement.pk) == 0
    assert Payout.objects.get().amount_cents == 12000


def test_cancelling_after_hours_on_the_current_milestone_opens_a_dispute_over_the_rest(on_commit):
    engagement = milestone_engagement()
    submit(engagement)
    approve(on_commit, engagement)
    log(engagement, 4)

    with on_commit():
        engagements.engagement_request_cancel(
            actor=employer_of(engagement.project), engagement=engagement, reason="Too slow"
        )
    engagement.refresh_from_db()
    assert engagement.status == "disputed"
    admin = AdminFactory()

    with pytest.raises(ValidationError) as refused:
        payments.dispute_settle(
            actor=admin, engagement=engagement, student_cents=28001, note="Half the rest"
        )
    assert "$280.00" in refused.value.message_dict["student_amount"][0]
    with on_commit():
        payments.dispute_settle(
            actor=admin, engagement=engagement, student_cents=8000, note="Half of part 2"
        )

    engagement.refresh_from_db()
    assert engagement.status == "cancelled"
    assert statuses(engagement) == ["approved", "cancelled", "cancelled"]
    paid = Payout.objects.order_by("milestone__number")
    assert [(p.milestone.number, p.amount_cents, p.status) for p in paid] == [
        (1, 12000, "paid"),
        (2, 8000, "paid"),
    ]
    refunds = Refund.objects.order_by("milestone__number")
    assert [(r.milestone.number, r.amount_cents, r.platform_fee_cents) for r in refunds] == [
        (2, 8800, 800),
        (3, 13200, 1200),
    ]
    assert all(ledger.milestone_balance(m.pk) == 0 for m in engagement.milestones.all())
    assert ledger.balance(engagement.pk) == 0
    assert engagement.paid_at is not None


# --- The project form ----------------------------------------------------------------------


def project_data(**overrides):
    return project_form(EmployerFactory(organization__verified=True).user, **overrides)


def plan(*rows):
    data = {}
    for number, (title, hours, amount) in enumerate(rows, start=1):
        data[f"milestone_{number}_title"] = title
        data[f"milestone_{number}_deliverable"] = f"Deliverable {number}" if title else ""
        data[f"milestone_{number}_hours"] = hours
        data[f"milestone_{number}_amount"] = amount
    return data


def form_errors(data):
    form = ProjectForm(data)
    form.is_valid()
    return form.errors


def test_a_valid_plan_is_saved_with_the_project(client):
    user = EmployerFactory(organization__verified=True).user
    client.force_login(user)

    response = client.post(
        reverse("projects:create"),
        project_form(user, **plan(("Collect", "8", "160"), ("Compare", "12", "240"))),
    )

    assert response.status_code == 302
    project = Project.objects.get()
    assert list(project.milestones.values_list("number", "title", "quarters", "amount_cents")) == [
        (1, "Collect", 32, 16000),
        (2, "Compare", 48, 24000),
    ]
    page = client.get(reverse("projects:edit", args=[project.pk])).content.decode()
    assert 'value="Compare"' in page


def test_a_student_reads_the_milestone_plan_on_the_project_page(client):
    project = milestone_project()
    client.force_login(StudentFactory().user)

    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert 'id="milestone-plan"' in page
    assert "Part 2" in page and "$160" in page


@pytest.mark.parametrize(
    ("rows", "field", "words"),
    [
        ((("Only one", "20", "400"),), "milestone_2_title", "at least 2"),
        ((("A", "8", "160"), ("B", "8", "240")), "milestone_2_hours", "add up to 16"),
        ((("A", "8", "160"), ("B", "12", "200")), "milestone_2_amount", "add up to $360.00"),
        ((("A", "18", "260"), ("B", "2", "140")), "milestone_1_amount", "At least $270.00"),
        ((("A", "8", "160"), ("", "12", "240")), "milestone_2_title", "Name the milestone"),
        ((("A", "8.1", "160"), ("B", "12", "240")), "milestone_1_hours", "quarter hours"),
    ],
)
def test_the_form_says_what_is_wrong_with_a_plan_on_its_field(rows, field, words):
    errors = form_errors(project_data(**plan(*rows)))

    assert words in " ".join(errors[field])


def test_the_form_refuses_a_gap_in_the_milestones():
    data = project_data(**plan(("A", "8", "160"), ("", "", ""), ("C", "12", "240")))

    assert "in order" in " ".join(form_errors(data)["milestone_3_title"])


def test_the_rules_refuse_more_than_four_milestones():
    five = [MilestonePlan("A", "a", 16, 8000)] * 5

    assert "At most 4" in plan_errors(hours=20, fee_cents=40000, plans=five)["milestone_1_title"]


def test_an_edit_without_the_plan_keeps_it_and_refuses_terms_it_no_longer_fits():
    project = milestone_project(draft=True)
    data = ProjectData(
        title=project.title,
        summary=project.summary,
        description=project.description,
        category=project.category,
        deliverables=project.deliverables,
        hours=project.hours,
        fee_cents=project.fee_cents,
        days_to_complete=project.days_to_complete,
        apply_by=project.apply_by,
        openings=project.openings,
        is_remote=True,
        location="",
    )

    project_services.project_update(actor=employer_of(project), project=project, data=data)
    assert project.milestones.count() == 3
    data = dataclasses.replace(data, fee_cents=50000)
    with pytest.raises(ValidationError, match="no longer add up"):
        project_services.project_update(actor=employer_of(project), project=project, data=data)


def test_a_duplicated_project_keeps_its_milestone_plan():
    project = milestone_project()

    copy = project_services.project_duplicate(actor=employer_of(project), project=project)

    assert list(copy.milestones.values_list("number", "quarters", "amount_cents")) == [
        (1, 24, 12000),
        (2, 32, 16000),
        (3, 24, 12000),
    ]


def test_the_employer_proposes_an_extension_of_a_milestone_from_the_workspace(client):
    engagement = milestone_engagement()
    client.force_login(employer_of(engagement.project))
    url = reverse("engagements:propose_extension", args=[engagement.pk])
    proposal = {"extra_hours": "2", "extra_fee": "40", "extra_days": "0", "reason": "More"}

    refused = client.post(url, proposal)
    assert refused.status_code == 400
    assert "This field is required" in refused.content.decode()
    assert not engagement.extensions.exists()
    response = client.post(url, {**proposal, "milestone": "2"})

    assert response.status_code == 302
    extension = engagement.extensions.get()
    assert extension.milestone.number == 2
    page = client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()
    assert "on milestone 2" in page


def test_a_platform_admin_sees_the_milestones_on_the_engagement_and_the_settlement_page(
    client, on_commit
):
    engagement = milestone_engagement()
    submit(engagement)
    approve(on_commit, engagement)
    client.force_login(AdminFactory())

    page = client.get(
        reverse("admin:engagements_engagement_change", args=[engagement.pk])
    ).content.decode()
    settle = client.get(
        reverse("admin:payments_settle_dispute", args=[engagement.pk])
    ).content.decode()

    assert "Part 2" in page
    assert "not yet paid for approved milestones" in settle and "$280.00" in settle


def test_the_workspace_reads_the_milestones_in_a_fixed_number_of_queries(client, on_commit):
    two = milestone_engagement(plan=((40, 20000), (40, 20000)))
    four = milestone_engagement(plan=((20, 10000), (20, 10000), (20, 10000), (20, 10000)))
    for engagement in (two, four):
        submit(engagement)
        approve(on_commit, engagement)
        submit(engagement)

    def queries(engagement):
        client.force_login(employer_of(engagement.project))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("engagements:workspace", args=[engagement.pk]))
        assert response.status_code == 200
        return len(captured)

    assert queries(four) == queries(two)


def test_an_unfunded_extension_of_a_milestone_lapses_when_the_milestone_is_approved(on_commit):
    engagement = milestone_engagement()
    extension = engagements.extension_propose(
        actor=employer_of(engagement.project),
        engagement=engagement,
        extra_quarters=4,
        extra_fee_cents=2000,
        extra_days=0,
        reason="More sources",
        milestone_number=1,
    )
    submit(engagement)

    approve(on_commit, engagement)

    extension.refresh_from_db()
    assert extension.status == "withdrawn"
    assert engagement.milestones.get(number=1).amount_cents == 12000


def test_the_final_review_is_planned_when_the_last_milestone_is_handed_in(on_commit):
    engagement = milestone_engagement(plan=((40, 20000), (40, 20000)))

    with on_commit():
        submit(engagement)
    assert not engagement.feedback_sessions.filter(kind="final_review").exists()
    approve(on_commit, engagement)
    with on_commit():
        submit(engagement)

    assert engagement.feedback_sessions.filter(kind="final_review").count() == 1


def test_the_engagement_list_flags_a_failed_milestone_payout_behind_a_paid_one(client, on_commit):
    engagement = milestone_engagement()
    for _ in range(2):
        submit(engagement)
        approve(on_commit, engagement)
    first = Payout.objects.get(milestone__number=1)
    Payout.objects.filter(pk=first.pk).update(status="failed", delivery="", paid_at=None)
    client.force_login(AdminFactory())

    page = client.get(reverse("admin:engagements_engagement_changelist")).content.decode()

    assert "payout failed" in page


def sponsored_milestone_engagement(settings):
    """A three-milestone engagement ($120, $160, $120) whose sponsor pays half the fee."""
    from tests.factories import SchoolFactory
    from tests.payment_helpers import connect, fund
    from tests.sponsor_helpers import make_sponsor, nonprofit

    settings.PLATFORM_FEE_PERCENT = 10
    school = SchoolFactory()
    sponsor = make_sponsor(school)
    engagement = accepted_engagement(
        project=milestone_project(organization=nonprofit()),
        student=StudentFactory(school=school).user,
        funded=False,
    )
    payment = fund(engagement)
    connect(engagement.student)
    assert (payment.sponsored_cents, payment.amount_cents) == (20000, 24000)
    return engagement, sponsor


def by_milestone(engagement, kind):
    return list(
        LedgerEntry.objects.filter(engagement=engagement, kind=kind)
        .order_by("milestone__number")
        .values_list("milestone__number", "amount_cents")
    )


def test_a_sponsored_milestone_engagement_pays_each_milestone_and_balances(on_commit, settings):
    engagement, _ = sponsored_milestone_engagement(settings)

    # Each milestone holds its amount: the employer's part, the sponsor's and the platform
    # fee's, each shared in proportion to the milestones' amounts.
    assert by_milestone(engagement, "funding_received") == [(1, 7200), (2, 9600), (3, 7200)]
    assert by_milestone(engagement, "sponsor_share") == [(1, 6000), (2, 8000), (3, 6000)]
    assert by_milestone(engagement, "platform_fee") == [(1, -1200), (2, -1600), (3, -1200)]
    assert [ledger.milestone_balance(m.pk) for m in engagement.milestones.order_by("number")] == [
        12000,
        16000,
        12000,
    ]

    for _ in range(3):
        submit(engagement)
        approve(on_commit, engagement)

    engagement.refresh_from_db()
    assert engagement.status == "paid"
    assert sorted(Payout.objects.values_list("amount_cents", flat=True)) == [12000, 12000, 16000]
    assert all(ledger.milestone_balance(m.pk) == 0 for m in engagement.milestones.all())
    assert ledger.balance(engagement.pk) == 0


def test_cancelling_a_sponsored_milestone_engagement_gives_each_payer_its_part(on_commit, settings):
    from payments.services.sponsors import available_cents

    engagement, sponsor = sponsored_milestone_engagement(settings)
    before = available_cents(sponsor.pk)
    submit(engagement)
    approve(on_commit, engagement)

    with on_commit():
        engagements.engagement_request_cancel(
            actor=employer_of(engagement.project), engagement=engagement, reason="Budget cut"
        )

    refunds = Refund.objects.order_by("milestone__number")
    assert [(r.milestone.number, r.amount_cents, r.platform_fee_cents) for r in refunds] == [
        (2, 9600, 1600),
        (3, 7200, 1200),
    ]
    assert by_milestone(engagement, "sponsor_return") == [(2, -8000), (3, -6000)]
    assert available_cents(sponsor.pk) == before + 14000
    assert all(ledger.milestone_balance(m.pk) == 0 for m in engagement.milestones.all())
    assert ledger.balance(engagement.pk) == 0


def test_settling_a_sponsored_milestone_engagement_balances_every_milestone(on_commit, settings):
    from payments.services.sponsors import available_cents

    engagement, sponsor = sponsored_milestone_engagement(settings)
    before = available_cents(sponsor.pk)
    submit(engagement)
    approve(on_commit, engagement)
    log(engagement, 4)
    with on_commit():
        engagements.engagement_request_cancel(
            actor=employer_of(engagement.project), engagement=engagement, reason="Too slow"
        )

    with on_commit():
        payments.dispute_settle(
            actor=AdminFactory(), engagement=engagement, student_cents=8000, note="Half of part 2"
        )

    paid = Payout.objects.order_by("milestone__number")
    assert [(p.milestone.number, p.amount_cents) for p in paid] == [(1, 12000), (2, 8000)]
    # The half of milestone 2 not paid goes back half to the sponsor, half to the employer
    # (with the platform fee on it); milestone 3 goes back whole to each payer.
    assert by_milestone(engagement, "sponsor_return") == [(2, -4000), (3, -6000)]
    refunds = Refund.objects.order_by("milestone__number")
    assert [(r.milestone.number, r.amount_cents, r.platform_fee_cents) for r in refunds] == [
        (2, 4800, 800),
        (3, 7200, 1200),
    ]
    assert available_cents(sponsor.pk) == before + 10000
    assert all(ledger.milestone_balance(m.pk) == 0 for m in engagement.milestones.all())
    assert ledger.balance(engagement.pk) == 0


def test_a_milestone_paid_after_a_cancellation_says_so_in_the_history(on_commit):
    from engagements.models import EngagementEvent
    from tests.payment_helpers import connect, funded_engagement

    engagement = funded_engagement(project=milestone_project())
    submit(engagement)
    approve(on_commit, engagement)
    assert Payout.objects.get().status == "waiting_for_account"
    with on_commit():
        engagements.engagement_request_cancel(
            actor=employer_of(engagement.project), engagement=engagement, reason="Budget cut"
        )

    connect(engagement.student)

    engagement.refresh_from_db()
    assert engagement.status == "cancelled" and engagement.paid_at is not None
    assert Payout.objects.get().status == "paid"
    assert EngagementEvent.objects.filter(
        engagement=engagement,
        kind="paid",
        description="The milestones approved before the cancellation were paid to the student.",
    ).exists()

"""The audit trail: who changed what and when, for admin changes and every money movement;
append-only, read-only, and each school's staff see only their own school's events."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit, school_id_of
from accounts.models import AuditEvent, School, User
from accounts.services import career_staff_group
from engagements import services as engagements
from payments import services as payments
from payments.gateways.base import GatewayError
from payments.gateways.local import LocalGateway
from payments.models import Payment, Payout, Refund
from tests.factories import (
    PASSWORD,
    AdminFactory,
    CareerStaffFactory,
    OrganizationFactory,
    ProjectFactory,
    SchoolFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)
from tests.payment_helpers import connect, disputed_engagement, fund, funded_engagement

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


@pytest.fixture(autouse=True)
def _after_commit_runs_at_once(monkeypatch):
    """Payouts and refunds leave after commit; these tests run inside one transaction,
    so run what is queued for after commit straight away, as a committed request would."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def events(action, **filters):
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("id"))


def submit_and_approve(engagement):
    engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=8,
        description="Work",
    )
    engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(note="Done", links=["https://example.com/x"], files=[]),
    )
    engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)
    engagement.refresh_from_db()


def school_form(school, **changes):
    data = {
        "name": school.name,
        "short_name": school.short_name,
        "city": school.city,
        "state": school.state,
        "email_domain": school.email_domain,
        "is_active": "on" if school.is_active else "",
    }
    data.update(changes)
    # The school's other email domains (an inline): none added.
    inline = {"other_domains-TOTAL_FORMS": "0", "other_domains-INITIAL_FORMS": "0"}
    return {k: v for k, v in data.items() if v != ""} | inline


# --- Which school an event concerns ------------------------------------------------------


def test_an_event_names_the_school_of_the_student_it_concerns():
    engagement = funded_engagement()
    payment = Payment.objects.get(engagement=engagement)
    application = engagement.application

    assert school_id_of(engagement) == engagement.school_id
    assert school_id_of(payment) == engagement.school_id
    assert school_id_of(application) == engagement.school_id
    assert school_id_of(engagement.student) == engagement.school_id
    assert school_id_of(employer_of(engagement.project)) is None
    assert school_id_of(engagement.organization) is None


def test_the_school_can_be_given_explicitly():
    school = SchoolFactory()
    org = OrganizationFactory()

    event = audit(actor=None, action="test", target=org, summary="x", school=school)

    assert event.school == school


def test_the_school_comes_from_the_target_without_a_query(django_assert_num_queries):
    engagement = accepted_engagement(funded=False)
    ContentType.objects.get_for_model(engagement)  # cached, as in a running site

    with django_assert_num_queries(1):  # the insert
        event = audit(actor=None, action="test", target=engagement, summary="x")

    assert event.school_id == engagement.school_id


# --- Changes made through the admin ------------------------------------------------------


def test_an_admin_change_records_who_and_each_field_before_and_after(client):
    admin = AdminFactory()
    school = SchoolFactory(city="Springfield", is_active=True)
    client.force_login(admin)

    response = client.post(
        reverse("admin:accounts_school_change", args=[school.pk]),
        school_form(school, city="Shelbyville", is_active=""),
    )

    assert response.status_code == 302
    [event] = events("admin.change")
    assert event.actor == admin
    assert event.school == school
    assert event.target_id == str(school.pk)
    assert event.data == {
        "changes": {"city": ["Springfield", "Shelbyville"], "is_active": [True, False]}
    }
    assert event.summary == f"{admin.email} changed school “{school.name}”: city, is_active"


def test_saving_without_changes_records_nothing(client):
    admin = AdminFactory()
    school = SchoolFactory()
    client.force_login(admin)

    client.post(reverse("admin:accounts_school_change", args=[school.pk]), school_form(school))

    assert not events("admin.change")


def test_an_admin_add_and_delete_are_recorded(client):
    admin = AdminFactory()
    client.force_login(admin)

    client.post(
        reverse("admin:accounts_skill_add"), {"name": "Data cleaning", "slug": "data-cleaning"}
    )
    [added] = events("admin.add")
    assert added.actor == admin
    assert added.data["changes"]["name"] == [None, "Data cleaning"]

    skill_id = added.target_id
    client.post(reverse("admin:accounts_skill_delete", args=[skill_id]), {"post": "yes"})
    [deleted] = events("admin.delete")
    assert deleted.actor == admin and deleted.target_id == skill_id
    assert deleted.data["deleted"]["slug"] == "data-cleaning"


def test_a_password_change_in_the_admin_records_only_that_it_changed(client):
    admin = AdminFactory()
    user = StudentFactory().user
    old_hash = user.password
    client.force_login(admin)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password != old_hash
    [event] = events("admin.change", target_id=str(user.pk))
    assert event.actor == admin
    assert event.data == {"changes": {"password": "changed"}}
    assert old_hash not in str(event.data) and user.password not in str(event.data)


def test_adding_a_user_in_the_admin_never_stores_the_password_hash(client):
    admin = AdminFactory()
    client.force_login(admin)

    client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new-user@example.com",
            "first_name": "New",
            "last_name": "Admin",
            "role": "student",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )

    user = User.objects.get(email="new-user@example.com")
    [event] = events("admin.add", target_id=str(user.pk))
    assert event.data["changes"]["password"] == "changed"
    assert user.password not in str(event.data)


# --- Money movements ------------------------------------------------------------------------


def test_funding_records_the_payment_and_the_platform_fee_with_the_employer(settings):
    settings.PLATFORM_FEE_PERCENT = 10
    engagement = accepted_engagement(
        project=ProjectFactory(hours=20, fee_cents=40000), funded=False
    )
    employer = employer_of(engagement.project)

    payment = fund(engagement)

    [paid] = events("payment.succeeded")
    [fee] = events("payment.platform_fee")
    assert paid.actor == employer and fee.actor == employer
    assert paid.data["amount_cents"] == 44000 and fee.data["amount_cents"] == -4000
    assert paid.data["engagement_id"] == engagement.pk
    assert paid.data["provider_id"] == f"local_pi_{payment.pk}"
    assert paid.target_id == str(payment.pk) and paid.school_id == engagement.school_id
    assert employer.email in paid.summary and "44000 cents" in paid.summary


def test_paying_twice_records_the_movement_once():
    engagement = accepted_engagement(funded=False)
    payment = fund(engagement)

    payments.local_payment_complete(
        actor=employer_of(engagement.project), payment=payment, succeed=True
    )

    assert len(events("payment.succeeded")) == 1


def test_approval_records_the_automatic_payout():
    engagement = funded_engagement()
    connect(engagement.student)

    submit_and_approve(engagement)

    payout = Payout.objects.get(engagement=engagement)
    [event] = events("payout.paid")
    assert event.actor is None and "automatic" in event.summary
    assert event.data["amount_cents"] == -engagement.fee_cents
    assert event.data["provider_id"] == payout.provider_id
    assert event.school_id == engagement.school_id
    assert events("engagement.approved")[0].actor == employer_of(engagement.project)


def test_a_failed_payout_and_its_retry_are_recorded(monkeypatch):
    engagement = funded_engagement()
    connect(engagement.student)

    def refuse(self, **kwargs):
        raise GatewayError("The bank is closed.", temporary=True)

    with monkeypatch.context() as patched:
        patched.setattr(LocalGateway, "transfer", refuse)
        submit_and_approve(engagement)
    payout = Payout.objects.get(engagement=engagement)
    assert payout.status == "failed"
    [failed] = events("payout.failed")
    assert failed.actor is None and failed.data["attempt"] == 1
    assert failed.data["amount_cents"] == payout.amount_cents
    assert failed.school_id == engagement.school_id

    admin = AdminFactory()
    payments.payout_retry_now(actor=admin, payout=payout)

    [retried] = events("payout.retried")
    assert retried.actor == admin and retried.data["amount_cents"] == payout.amount_cents
    assert len(events("payout.paid")) == 1


def test_cancelling_records_who_cancelled_and_the_refund():
    engagement = funded_engagement()
    payment = Payment.objects.get(engagement=engagement)

    engagements.engagement_request_cancel(
        actor=engagement.student, engagement=engagement, reason="Family emergency"
    )

    refund = Refund.objects.get()
    assert events("engagement.cancelled")[0].actor == engagement.student
    [refunded] = events("refund.succeeded")
    [fee_back] = events("refund.platform_fee_returned")
    assert refunded.actor is None and "automatic" in refunded.summary
    assert refunded.data["amount_cents"] == -payment.amount_cents
    assert fee_back.data["amount_cents"] == payment.platform_fee_cents
    assert refunded.target_id == str(refund.pk)
    assert refunded.data["provider_id"] == refund.provider_id
    assert refunded.school_id == engagement.school_id


def test_a_dispute_settlement_records_the_admin_and_the_split(settings):
    settings.PLATFORM_FEE_PERCENT = 10
    admin = AdminFactory()
    engagement = disputed_engagement()

    payments.dispute_settle(
        actor=admin, engagement=engagement, student_cents=10000, note="Split fairly"
    )

    [settled] = events("engagement.settled")
    assert settled.actor == admin
    assert settled.data["student_cents"] == 10000
    assert settled.data["refunds"][0]["amount_cents"] == 33000
    assert settled.school_id == engagement.school_id
    assert events("payout.paid")[0].data["amount_cents"] == -10000
    assert events("refund.succeeded")[0].data["amount_cents"] == -33000


# --- Append-only --------------------------------------------------------------------------


def test_events_cannot_be_changed_in_the_database():
    event = audit(actor=None, action="test", target=SchoolFactory(), summary="x")

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    event.refresh_from_db()
    assert event.summary == "x"


def test_events_cannot_be_deleted_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite test databases are emptied with DELETE, so only updates are refused")
    event = audit(actor=None, action="test", target=SchoolFactory(), summary="x")

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_an_account_with_a_trail_cannot_be_deleted():
    admin = AdminFactory()
    audit(actor=admin, action="test", target=SchoolFactory(), summary="x")

    with pytest.raises(ProtectedError):
        admin.delete()


# --- The admin page ------------------------------------------------------------------------


def test_the_trail_is_read_only_even_for_platform_admins(client):
    admin = AdminFactory()
    event = audit(actor=admin, action="test", target=SchoolFactory(), summary="before")
    client.force_login(admin)
    url = reverse("admin:accounts_auditevent_change", args=[event.pk])

    page = client.get(url)
    refused = client.post(url, {"summary": "after", "action": "x"})

    assert page.status_code == 200
    assert refused.status_code == 403
    assert client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    assert (
        client.get(reverse("admin:accounts_auditevent_delete", args=[event.pk])).status_code == 403
    )
    event.refresh_from_db()
    assert event.summary == "before"
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_change_page_shows_what_changed(client):
    admin = AdminFactory()
    event = audit(
        actor=admin,
        action="test",
        target=SchoolFactory(),
        summary="x",
        data={"changes": {"city": ["Old town", "New town"]}},
    )
    client.force_login(admin)

    page = client.get(reverse("admin:accounts_auditevent_change", args=[event.pk]))

    assert "<pre>" in page.content.decode()
    assert "New town" in page.content.decode()


@pytest.fixture
def two_schools_events():
    school_a = School.objects.create(name="School A")
    school_b = School.objects.create(name="School B")
    mine = accepted_engagement(student=StudentFactory(school=school_a).user, funded=False)
    theirs = accepted_engagement(student=StudentFactory(school=school_b).user, funded=False)
    a = audit(actor=None, action="test", target=mine, summary="Event about school A")
    b = audit(actor=None, action="test", target=theirs, summary="Event about school B")
    return school_a, a, b


def test_staff_see_only_their_own_schools_events(client, two_schools_events):
    school_a, event_a, event_b = two_schools_events
    staff = CareerStaffFactory(school=school_a).user
    client.force_login(staff)
    changelist = reverse("admin:accounts_auditevent_changelist")

    listed = client.get(changelist).content.decode()
    searched = client.get(changelist, {"q": "Event about school"}).content.decode()
    own = client.get(reverse("admin:accounts_auditevent_change", args=[event_a.pk]))
    other = client.get(reverse("admin:accounts_auditevent_change", args=[event_b.pk]))

    assert "Event about school A" in listed and "Event about school B" not in listed
    assert "Event about school A" in searched and "Event about school B" not in searched
    assert own.status_code == 200
    assert other.status_code == 404
    assert "Event about school B" not in other.content.decode()
    assert "This record is not available to your account." in other.content.decode()


def test_platform_admins_see_every_schools_events(client, two_schools_events):
    client.force_login(AdminFactory())

    listed = client.get(reverse("admin:accounts_auditevent_changelist")).content.decode()

    assert "Event about school A" in listed and "Event about school B" in listed


def test_staff_without_a_school_see_nothing(client, two_schools_events):
    staff = User.objects.create_user(
        email="loose@example.com", password=PASSWORD, role="career_staff", is_staff=True
    )
    staff.groups.add(career_staff_group())
    client.force_login(staff)

    response = client.get(reverse("admin:accounts_auditevent_changelist"))

    assert response.status_code == 403


def test_students_and_employers_cannot_reach_the_trail(client, two_schools_events):
    _, event_a, _ = two_schools_events
    engagement = accepted_engagement(funded=False)
    for user in (engagement.student, employer_of(engagement.project)):
        client.force_login(user)
        for url in (
            reverse("admin:accounts_auditevent_changelist"),
            reverse("admin:accounts_auditevent_change", args=[event_a.pk]),
        ):
            response = client.get(url, follow=True)
            assert response.status_code == 403
            assert "Event about school" not in response.content.decode()


def test_the_list_runs_the_same_number_of_queries_whatever_its_length(client):
    admin = AdminFactory()
    client.force_login(admin)
    url = reverse("admin:accounts_auditevent_changelist")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    engagement = accepted_engagement(funded=False)
    few = count()
    for _ in range(5):
        audit(actor=AdminFactory(), action="test", target=engagement, summary="x")
    assert count() == few

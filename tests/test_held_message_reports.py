"""Every message screening holds is a report the platform files in the admins' queue, once;
when the student confirms it, it is delivered and the report says so."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from engagements import services as engagement_services
from engagements.models import Message
from safety import services as safety_services
from safety.models import Reason, Report
from tests.factories import accepted_engagement, employer_of
from tests.helpers import run_after_commit

GIFT_CARDS = "Before we start, buy two Amazon gift cards and send me the codes."
WHATSAPP = "Text me on WhatsApp instead, it is quicker."
PAY = "Please pay the $40 onboarding fee before Monday."


@pytest.fixture
def engagement(db, student):
    return accepted_engagement(student=student)


def _post(engagement, body):
    message = engagement_services.message_post(
        actor=employer_of(engagement.project), engagement=engagement, body=body
    )
    run_after_commit()
    return message


def test_a_held_message_is_filed_as_a_report_by_the_platform(engagement):
    message = _post(engagement, GIFT_CARDS)

    report = Report.objects.get()
    assert report.reporter is None and report.by_platform
    assert report.kind == Report.Kind.MESSAGE and report.message == message
    assert report.reason == Reason.SCAM
    assert report.reported_user == message.author
    assert report.organization_id == engagement.organization_id
    assert report.school_id == engagement.school_id
    assert "gift cards" in report.details
    assert report.is_open and report.student_confirmed_at is None


@pytest.mark.parametrize(
    ("body", "reason"),
    [(GIFT_CARDS, Reason.SCAM), (WHATSAPP, Reason.OFF_PLATFORM), (PAY, Reason.ASKS_FOR_MONEY)],
)
def test_the_reason_comes_from_the_rule_matched(engagement, body, reason):
    _post(engagement, body)

    assert Report.objects.get().reason == reason


def test_an_ordinary_message_files_nothing(engagement):
    _post(engagement, "Kickoff is Monday at 10.")

    assert not Report.objects.exists()


def test_filing_again_and_the_reconciliation_keep_one_report_per_message(engagement):
    message = _post(engagement, GIFT_CARDS)

    again = safety_services.report_file_for_held_message(message_id=message.pk)
    safety_services.held_reports_reconcile()

    assert Report.objects.get() == again


def test_the_reconciliation_files_the_report_a_lost_task_left_out(engagement):
    message = engagement_services.message_post(
        actor=employer_of(engagement.project), engagement=engagement, body=GIFT_CARDS
    )  # the after-commit task never ran

    assert not Report.objects.exists()
    assert safety_services.held_reports_reconcile() == 1
    assert Report.objects.get().message == message
    assert safety_services.held_reports_reconcile() == 0


def test_a_confirmed_false_positive_is_delivered_and_its_report_marked(engagement):
    message = _post(engagement, WHATSAPP)

    engagement_services.message_release(actor=engagement.student, message=message)
    run_after_commit()

    message.refresh_from_db()
    report = Report.objects.get()
    assert not message.is_held and message.released_at is not None
    assert report.student_confirmed_at == message.released_at
    assert "confirmed: delivered" in report.actions_taken
    # Still for an admin to judge: dismissing it says it was a false positive.
    assert report.is_open
    assert Report.objects.count() == 1


def test_a_lost_confirmation_task_is_caught_up_once(engagement):
    message = _post(engagement, WHATSAPP)
    engagement_services.message_release(actor=engagement.student, message=message)
    # the after-commit task never ran

    assert Report.objects.get().student_confirmed_at is None
    assert safety_services.held_reports_reconcile() == 1
    assert Report.objects.get().student_confirmed_at is not None
    assert safety_services.held_reports_reconcile() == 0
    assert Report.objects.get().actions_taken.count("confirmed: delivered") == 1


def test_the_queue_lists_held_messages_and_the_admin_closes_one_telling_nobody(
    client, engagement, platform_admin
):
    waiting = _post(engagement, GIFT_CARDS)
    confirmed = _post(engagement, WHATSAPP)
    engagement_services.message_release(actor=engagement.student, message=confirmed)
    run_after_commit()
    client.force_login(platform_admin)
    url = reverse("admin:safety_report_changelist")

    page = client.get(url).content.decode()
    assert "Screening (held message)" in page
    assert "<strong>2</strong> of their reports still open" in page
    assert "Held: waiting for the student" in client.get(url + "?held=waiting").content.decode()
    confirmed_page = client.get(url + "?held=confirmed").content.decode()
    assert "the student confirmed it" in confirmed_page
    assert "Held: waiting" not in confirmed_page

    report = Report.objects.get(message=confirmed)
    before = Notification.objects.count()
    safety_services.report_close(
        actor=platform_admin,
        report=report,
        status=Report.Status.DISMISSED,
        outcome="A false positive: the employer shared a contact in good faith.",
    )
    assert Report.objects.get(message=waiting).is_open
    assert Notification.objects.count() == before
    assert Message.objects.filter(held_at__isnull=False).count() == 2


def test_career_staff_see_the_held_message_report_of_their_student_only(
    client, engagement, career_staff, other_school_staff
):
    _post(engagement, GIFT_CARDS)
    report = Report.objects.get()
    url = reverse("admin:safety_report_change", args=[report.pk])

    client.force_login(career_staff)
    assert client.get(url).status_code == 200
    client.force_login(other_school_staff)
    assert client.get(url).status_code == 404

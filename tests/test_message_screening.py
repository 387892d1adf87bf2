"""Message screening: the rules hold what looks like a scam and let honest messages through;
a held message reaches the student only after they read the warning and confirm."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from engagements import services as engagement_services
from engagements.models import Message
from engagements.screening import RULES, screen
from tests.factories import accepted_engagement, employer_of
from tests.helpers import run_after_commit

# Each rule with messages it must hold (true positives) ...
HELD = {
    "payment": [
        "Can you pay a $50 registration fee before we start?",
        "Send me $40 for the software license.",
        "Please cover the onboarding fee, it is refunded with your first paycheck.",
        "You can send it through Zelle or Cash App.",
    ],
    "bank_or_card": [
        "What is your bank account number so we can set up payroll?",
        "Send your routing number and account number.",
        "We need your credit card to order your equipment.",
        "Please share your social security number for the paperwork.",
    ],
    "gift_cards": [
        "Buy three Amazon gift cards for the client and send me the codes.",
        "Pick up some Google Play cards on your way.",
    ],
    "check_cashing": [
        "I will mail you a check to deposit, then send the rest to our vendor.",
        "Cash the check at your bank today.",
        "Use mobile deposit for the check we sent.",
    ],
    "messaging_app": [
        "Let's continue on WhatsApp, it is faster.",
        "Add me on Telegram.",
        "Text me when you get this.",
    ],
    "phone_number": ["Reach me at 415-555-0142.", "My number is (415) 555 0142.", "Cell 555-0142"],
    "personal_email": [
        "Write to jane.recruiter@gmail.com from now on.",
        "My personal address is hr.team@outlook.com",
    ],
}
# ... and honest messages no rule may hold (false positives we know of).
NOT_HELD = [
    "We will pay you $400 when the work is approved.",
    "The platform pays you after approval; the fee is $400 for 20 hours.",
    "Please send the report by Friday.",
    "Please check the cash flow numbers in tab 2.",
    "Our client sells greeting cards and gifts.",
    "We analyse the signal from our sensors.",
    "The 2024-2025 budget is $40,000.",
    "Questions about the brief can go to team@brightline.example as well.",
    "I'll pin the brief at the top of the shared folder.",
    "Let's meet on Zoom at 3 PM for the kickoff.",
    "Our accounts team will review the invoice numbers.",
]


@pytest.mark.parametrize(
    ("rule", "text"), [(rule, text) for rule, texts in HELD.items() for text in texts]
)
def test_a_scam_script_is_held_by_its_rule(rule, text):
    assert rule in [r.name for r in screen(text)]


@pytest.mark.parametrize("text", NOT_HELD)
def test_an_honest_message_goes_through(text):
    assert screen(text) == []


def test_every_rule_has_examples():
    assert {rule.name for rule in RULES} == set(HELD)


def test_the_rules_in_force_are_a_setting(settings):
    settings.MESSAGE_SCREENING_RULES = ["payment"]

    assert screen("Reach me at 415-555-0142.") == []
    assert [r.name for r in screen("Send me $40 for the software.")] == ["payment"]


# --- In the workspace ---------------------------------------------------------------------


@pytest.fixture
def engagement(db, student):
    return accepted_engagement(student=student)


SCAM = "Before we start, buy two Amazon gift cards and send me the codes."


@pytest.mark.django_db
def test_a_held_message_is_not_delivered_before_the_student_confirms(client, engagement):
    employer = employer_of(engagement.project)
    message = engagement_services.message_post(actor=employer, engagement=engagement, body=SCAM)
    run_after_commit(keep_mail=True)

    assert message.is_held
    assert not Notification.objects.filter(
        recipient=engagement.student, kind="engagement.message"
    ).exists()
    assert message.held_for == "gift_cards"
    told = Notification.objects.filter(recipient=engagement.student).latest("pk")
    assert told.kind == "engagement.message_held"
    assert "gift cards" not in told.message
    assert all("gift cards" not in m.body for m in mail.outbox)
    client.force_login(engagement.student)
    url = reverse("engagements:workspace", args=[engagement.pk])
    page = client.get(url).content.decode()
    assert "We held this message for your safety" in page
    assert "mentions gift cards" in page
    assert SCAM not in page
    report_page = client.get(reverse("safety:report", args=["message", message.pk]))
    assert SCAM not in report_page.content.decode()

    response = client.post(reverse("engagements:release_message", args=[engagement.pk, message.pk]))

    assert response.status_code == 302
    assert SCAM in client.get(url).content.decode()
    message.refresh_from_db()
    assert message.released_at is not None
    assert AuditEvent.objects.filter(action="message.released").count() == 1


@pytest.mark.django_db
def test_the_employer_sees_their_message_waiting(client, engagement):
    employer = employer_of(engagement.project)
    engagement_services.message_post(actor=employer, engagement=engagement, body=SCAM)
    client.force_login(employer)

    page = client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()

    assert SCAM in page
    assert "delivered once the student reads a safety notice" in page


@pytest.mark.django_db
def test_only_the_student_releases_a_held_message(client, engagement, other_student):
    employer = employer_of(engagement.project)
    message = engagement_services.message_post(actor=employer, engagement=engagement, body=SCAM)
    url = reverse("engagements:release_message", args=[engagement.pk, message.pk])

    client.force_login(other_student)
    assert client.post(url).status_code == 404
    client.force_login(employer)
    assert client.post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        engagement_services.message_release(actor=employer, message=message)
    message.refresh_from_db()
    assert message.is_held


@pytest.mark.django_db
def test_an_ordinary_message_is_delivered_at_once(client, engagement):
    employer = employer_of(engagement.project)

    message = engagement_services.message_post(
        actor=employer, engagement=engagement, body="Kickoff is Monday at 10, see you there."
    )

    assert not message.is_held
    assert Notification.objects.filter(recipient=engagement.student).latest("pk").kind == (
        "engagement.message"
    )


@pytest.mark.django_db
def test_a_student_is_warned_before_sending_their_phone_number(client, engagement):
    client.force_login(engagement.student)
    url = reverse("engagements:post_message", args=[engagement.pk])

    warned = client.post(url, {"body": "Sure, call me at 415-555-0142."})

    assert warned.status_code == 400
    page = warned.content.decode()
    assert "shares a phone number" in page
    assert "Send it anyway" in page
    assert not Message.objects.exists()

    sent = client.post(url, {"body": "Sure, call me at 415-555-0142.", "send_anyway": "on"})

    assert sent.status_code == 302
    message = Message.objects.get()
    assert not message.is_held


@pytest.mark.django_db
def test_held_messages_are_counted_in_the_report_queue(client, engagement, platform_admin):
    employer = employer_of(engagement.project)
    held = engagement_services.message_post(actor=employer, engagement=engagement, body=SCAM)
    engagement_services.message_post(
        actor=employer, engagement=engagement, body="Text me on WhatsApp instead."
    )
    engagement_services.message_release(actor=engagement.student, message=held)
    client.force_login(platform_admin)

    page = client.get(reverse("admin:safety_report_changelist")).content.decode()

    assert "<strong>1</strong> waiting for the student's confirmation" in page
    assert "1 delivered after the student confirmed" in page

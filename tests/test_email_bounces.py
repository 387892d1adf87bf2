"""Mail that bounces lapses a school affiliation resting on the address: the provider's
signed webhook and an operator's command report it; confirming the address again clears it."""

import hashlib
import hmac
import json
import time

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.bounces import signature_valid
from accounts.models import Affiliation, AuditEvent, EmailBounce, Notification, StudentProfile
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

SECRET = "bounce-secret-for-tests"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """What the mail provider sends: HMAC-SHA256 of "<t>.<body>" with the shared secret."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.EMAIL_BOUNCE_WEBHOOK_SECRET = SECRET


def verified_by_school_address(client, school, local="amara"):
    """A student who added and confirmed a second address at the school's domain."""
    student = StudentFactory(school=school, unverified=True).user
    email = f"{local}@{school.email_domain}"
    client.force_login(student)
    client.post(reverse("account_email"), {"action_add": "", "email": email})
    address = EmailAddress.objects.get(user=student, email=email)
    client.post(reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]))
    profile = StudentProfile.objects.get(user=student)
    assert profile.affiliation == Affiliation.VERIFIED and profile.affiliation_email == email
    return student, email


def post_webhook(client, payload, *, secret=SECRET, timestamp=None):
    body = json.dumps(payload).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    return client.post(
        reverse("bounce_webhook"),
        data=body,
        content_type="application/json",
        headers={"X-Bounce-Signature": sign(secret, timestamp, body)},
    )


def test_a_bounce_reported_by_the_webhook_lapses_the_affiliation_and_flags_the_student(
    client, on_commit, school, career_staff
):
    student, email = verified_by_school_address(client, school)
    client.logout()

    with on_commit():
        response = post_webhook(
            client,
            {
                "events": [
                    {
                        "email": email.upper(),
                        "type": "bounce",
                        "id": "evt-1",
                        "occurred_at": "2026-11-30T10:00:00Z",
                        "detail": "550 5.1.1 mailbox unknown",
                    },
                    {"email": "someone@else.example", "type": "soft_bounce", "id": "evt-2"},
                ]
            },
        )

    assert response.status_code == 200
    assert response.json() == {"received": 1, "recorded": 1}
    bounce = EmailBounce.objects.get()
    assert (bounce.email, bounce.kind, bounce.source) == (email, "bounce", "webhook")
    profile = StudentProfile.objects.get(user=student)
    assert profile.affiliation == Affiliation.UNVERIFIED
    assert (profile.affiliation_lapsed_email, profile.affiliation_lapsed_because) == (
        email,
        "bounced",
    )
    lapsed = AuditEvent.objects.get(action="affiliation.lapsed")
    assert lapsed.actor is None and lapsed.school == school and "bounced" in lapsed.summary
    assert AuditEvent.objects.filter(action="email.bounced").exists()
    assert Notification.objects.filter(recipient=student, kind="affiliation.lapsed").exists()
    # The student reads why; career services see the flag.
    client.force_login(student)
    page = client.get(reverse("school_affiliation")).content.decode()
    assert "School address lapsed" in page and "bounced" in page
    client.force_login(career_staff)
    queue = client.get(
        reverse("admin:accounts_affiliationclaim_changelist") + "?claim=lapsed"
    ).content.decode()
    assert student.get_full_name() in queue and "school address lapsed" in queue
    review = client.get(
        reverse("admin:accounts_affiliationclaim_review", args=[profile.pk])
    ).content.decode()
    assert "School address lapsed" in review and "bounced" in review

    # The same event delivered again changes nothing.
    again = post_webhook(client, {"email": email, "type": "bounce", "id": "evt-1"})
    assert again.json() == {"received": 1, "recorded": 0}
    assert EmailBounce.objects.count() == 1


def test_confirming_the_address_again_clears_the_bounce_and_verifies_again(client, school):
    student, email = verified_by_school_address(client, school)
    post_webhook(client, {"email": email, "type": "bounce", "id": "evt-9"})
    assert StudentProfile.objects.get(user=student).affiliation == Affiliation.UNVERIFIED

    client.force_login(student)
    client.post(reverse("account_email"), {"action_remove": "", "email": email})
    verified_again = StudentProfile.objects.get(user=student)
    assert verified_again.affiliation_lapsed_because == "bounced"  # still the first flag
    client.post(reverse("account_email"), {"action_add": "", "email": email})
    address = EmailAddress.objects.get(user=student, email=email)
    client.post(reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]))

    profile = StudentProfile.objects.get(user=student)
    assert profile.affiliation == Affiliation.VERIFIED
    assert profile.affiliation_lapsed_at is None and profile.affiliation_lapsed_because == ""
    assert EmailBounce.objects.get().cleared_at is not None


def test_another_confirmed_school_address_keeps_the_student_verified(client, school):
    student, email = verified_by_school_address(client, school)
    other = f"amara.o@{school.email_domain}"
    client.post(reverse("account_email"), {"action_add": "", "email": other})
    address = EmailAddress.objects.get(user=student, email=other)
    client.post(reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]))

    post_webhook(client, {"email": email, "type": "bounce", "id": "evt-3"})

    profile = StudentProfile.objects.get(user=student)
    assert (profile.affiliation, profile.affiliation_email) == (Affiliation.VERIFIED, other)


@pytest.mark.parametrize(
    ("secret", "age", "status"),
    [(SECRET, 0, 200), ("wrong-secret", 0, 403), (SECRET, 3600, 403)],
)
def test_the_webhook_takes_only_fresh_signed_payloads(client, school, secret, age, status):
    _student, email = verified_by_school_address(client, school)
    client.logout()

    response = post_webhook(
        client, {"email": email, "type": "bounce"}, secret=secret, timestamp=int(time.time()) - age
    )

    assert response.status_code == status
    assert EmailBounce.objects.count() == (1 if status == 200 else 0)


def test_unsigned_or_malformed_payloads_are_refused_without_a_500(client, settings):
    url = reverse("bounce_webhook")
    assert client.post(url, data=b"{}", content_type="application/json").status_code == 403
    for payload in (b"not json", b'{"email": "nope", "type": "bounce"}', b'{"type": "odd"}'):
        body = payload
        ts = int(time.time())
        response = client.post(
            url,
            data=body,
            content_type="application/json",
            headers={"X-Bounce-Signature": sign(SECRET, ts, body)},
        )
        assert response.status_code == 400 and response.json()["error"]
    settings.EMAIL_BOUNCE_WEBHOOK_SECRET = ""
    assert post_webhook(client, {"email": "a@b.example"}).status_code == 403
    assert client.get(url).status_code == 405
    assert EmailBounce.objects.count() == 0


def test_the_signature_check(settings):
    body = b'{"email": "a@b.example"}'
    now = time.time()
    assert signature_valid(SECRET, sign(SECRET, int(now), body), body, now=now)
    assert not signature_valid(SECRET, sign(SECRET, int(now), body), body + b" ", now=now)
    assert not signature_valid(SECRET, "t=abc,v1=00", body, now=now)
    assert not signature_valid("", sign("", int(now), body), body, now=now)


def test_an_operator_records_bounces_with_the_command(client, school, tmp_path, capsys):
    student, email = verified_by_school_address(client, school)

    call_command("email_bounce", email, "--detail", "550 mailbox unknown")

    assert "1 bounce(s) recorded" in capsys.readouterr().out
    assert EmailBounce.objects.get().source == "command"
    profile = StudentProfile.objects.get(user=student)
    assert profile.affiliation_lapsed_because == "bounced"
    export = tmp_path / "bounces.json"
    export.write_text(json.dumps({"events": [{"email": "x@y.example", "id": "p-1"}]}))
    call_command("email_bounce", "--json", str(export))
    assert EmailBounce.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("email_bounce", "not-an-address")
    with pytest.raises(CommandError):
        call_command("email_bounce")

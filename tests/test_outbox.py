"""Every email leaves through the outbox: stored with the change that sent it, sent once by a
task after commit, and by the sweep when that task is lost (the broker restarted, a worker
was killed), failed or abandoned mid-send."""

import smtplib
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts import outbox
from accounts.models import AuditEvent, Notification, OutboundEmail
from accounts.notifications import Reminder, notify, notify_many
from accounts.tasks import purge_old_emails, send_outbound_email, send_unsent_emails
from marketplace.celery import beat_schedule
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost_tasks(django_capture_on_commit_callbacks):
    """Commit, but the tasks queued for after commit never run (the broker lost them)."""

    def lose():
        return django_capture_on_commit_callbacks(execute=False)

    return lose


def later(seconds):
    """The clock once `seconds` have passed."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


def recovered(settings):
    """Just after the sweep takes over the work of a lost task."""
    return later(settings.TASK_RECOVERY_SECONDS + 1)


def tell(users, key="event-1", message="Your project is funded"):
    return notify(recipients=users, kind="k", key=key, message=message)


@pytest.fixture
def failing_mail_server(monkeypatch):
    """The mail server refuses every message while `down` is true."""
    state = {"down": True, "tries": 0}
    send_messages = EmailBackend.send_messages

    def refuse(self, messages):
        state["tries"] += 1
        if state["down"]:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return send_messages(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    return state


# --- Storing and sending ---------------------------------------------------------------------


def test_a_notification_email_is_stored_with_it_and_sent_once_after_commit(on_commit, student):
    with on_commit():
        sent = tell([student])

    (email,) = OutboundEmail.objects.all()
    notification = sent.created[0]
    assert email.notification == notification
    assert email.key == f"notification-{notification.pk}"
    assert email.status == "sent" and email.attempts == 1 and email.sent_at
    (message,) = mail.outbox
    assert message.to == [student.email]
    assert "Your project is funded" in message.subject
    assert message.extra_headers["Message-ID"] == outbox.message_id(email)


def test_the_body_is_erased_once_sent(on_commit, student):
    with on_commit():
        tell([student])

    email = OutboundEmail.objects.get()
    assert "Your project is funded" in mail.outbox[0].body
    assert (email.body, email.html) == ("", "")
    assert "Your project is funded" in email.subject


def test_nothing_is_stored_or_sent_when_the_change_rolls_back(on_commit, student):
    with on_commit():
        try:
            with transaction.atomic():
                tell([student])
                raise RuntimeError("the business action failed")
        except RuntimeError:
            pass

    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_a_message_with_a_key_already_stored_is_not_stored_or_sent_again(on_commit, student):
    message = mail.EmailMessage("Hello", "Once", "no-reply@example.com", [student.email])

    with on_commit():
        first = outbox.email_enqueue(message=message, key="welcome-1")
        again = outbox.email_enqueue(message=message, key="welcome-1")

    assert again.pk == first.pk
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_message_without_a_natural_key_gets_a_unique_one(lost_tasks, student):
    message = mail.EmailMessage("Hello", "Twice", "no-reply@example.com", [student.email])

    with lost_tasks():
        one = outbox.email_enqueue(message=message)
        two = outbox.email_enqueue(message=message)

    assert one.key != two.key
    assert one.key.startswith("message-")


def test_allauth_mail_goes_through_the_outbox(client, on_commit):
    with on_commit():
        client.post(
            reverse("signup_student"),
            {
                "first_name": "Noor",
                "last_name": "Haddad",
                "email": "new.person@example.edu",
                "password1": "a-long-and-unusual-passphrase",
                "password2": "a-long-and-unusual-passphrase",
            },
        )

    email = OutboundEmail.objects.get()
    assert email.to == ["new.person@example.edu"]
    assert email.status == "sent"
    assert email.key.startswith("message-")
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_an_email_with_an_attachment_is_refused_rather_than_sent_without_it(student):
    message = mail.EmailMessage("Report", "Attached", "no-reply@example.com", [student.email])
    message.attach("report.txt", "data", "text/plain")

    with pytest.raises(ValueError, match="no attachments"):
        outbox.email_enqueue(message=message)


# --- When the task is lost -------------------------------------------------------------------


def test_an_email_whose_task_was_lost_is_sent_by_the_sweep_a_few_minutes_later(
    lost_tasks, settings, student, employer
):
    with lost_tasks():
        tell([student, employer])

    assert mail.outbox == []
    assert send_unsent_emails() == 0  # the task may still be on its way

    with recovered(settings):
        assert send_unsent_emails() == 2

    assert sorted(m.to[0] for m in mail.outbox) == sorted([student.email, employer.email])
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_the_task_twice_and_the_sweep_twice_send_once(lost_tasks, settings, student):
    with lost_tasks():
        tell([student])
    email = OutboundEmail.objects.get()

    assert send_outbound_email(email.pk) is True
    assert send_outbound_email(email.pk) is False
    with recovered(settings):
        assert send_unsent_emails() == 0
        assert send_unsent_emails() == 0

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_a_late_task_after_the_sweep_sent_the_message_sends_nothing(lost_tasks, settings, student):
    with lost_tasks() as callbacks:
        tell([student])
    with recovered(settings):
        send_unsent_emails()

    for callback in callbacks:  # the task finally arrives
        callback()

    assert len(mail.outbox) == 1


def test_a_broker_that_cannot_be_reached_leaves_the_message_to_the_sweep(
    on_commit, settings, monkeypatch, student
):
    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_outbound_email, "delay", unreachable)

    with on_commit():
        tell([student])

    assert mail.outbox == []
    assert OutboundEmail.objects.get().status == "pending"
    with recovered(settings):
        assert send_unsent_emails() == 1
    assert len(mail.outbox) == 1


def test_a_message_abandoned_mid_send_is_sent_again_once_its_claim_expires(
    lost_tasks, settings, monkeypatch, student
):
    with lost_tasks():
        tell([student])
    email = OutboundEmail.objects.get()

    def killed(self, messages):
        raise SystemExit("the worker was killed")

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", killed)
        with pytest.raises(SystemExit):
            send_outbound_email(email.pk)
    email.refresh_from_db()
    assert email.status == "sending"

    with recovered(settings):
        assert send_unsent_emails() == 0  # another worker may still be sending it
    with later(settings.OUTBOX_CLAIM_SECONDS + 1):
        assert send_unsent_emails() == 1

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 2)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_moment_send_each_message_once(settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; races are tested on PostgreSQL.")
    users = [UserFactory() for _ in range(6)]
    monkeypatch.setattr(send_outbound_email, "delay", lambda *args: None)  # the broker lost them
    with transaction.atomic():
        for user in users:
            outbox.email_enqueue(
                message=mail.EmailMessage("Due soon", "Hello", "no-reply@x.org", [user.email])
            )
    together = threading.Barrier(2)
    email_send = outbox.email_send

    def send_when_both_are_ready(**kwargs):
        if not getattr(local, "waited", False):
            local.waited = True
            together.wait(timeout=30)  # both sweeps listed the same messages as due
        return email_send(**kwargs)

    local = threading.local()
    monkeypatch.setattr(outbox, "email_send", send_when_both_are_ready)
    results, errors = [], []

    def sweep():
        try:
            results.append(send_unsent_emails())
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    with recovered(settings):
        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    assert sum(results) == len(users)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert set(OutboundEmail.objects.values_list("attempts", flat=True)) == {1}


# --- When sending fails ----------------------------------------------------------------------


def test_a_failed_send_is_retried_later_and_later_then_given_up(
    on_commit, settings, failing_mail_server, student
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    with on_commit():
        tell([student])
    email = OutboundEmail.objects.get()
    assert (email.status, email.attempts) == ("pending", 1)
    assert email.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    first_wait = email.next_attempt_at - timezone.now()
    assert timedelta(minutes=4) < first_wait <= timedelta(minutes=5)

    assert send_unsent_emails() == 0
    with time_machine.travel(email.next_attempt_at + timedelta(seconds=1), tick=False):
        assert send_unsent_emails() == 0
        email.refresh_from_db()
        assert email.attempts == 2
        assert email.next_attempt_at - timezone.now() == timedelta(minutes=10)
    with time_machine.travel(email.next_attempt_at + timedelta(seconds=1), tick=False):
        send_unsent_emails()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", 3)
    assert failing_mail_server["tries"] == 3

    failing_mail_server["down"] = False
    with later(24 * 3600):
        assert send_unsent_emails() == 0
    assert mail.outbox == []


def test_a_platform_admin_sends_a_message_that_was_given_up_again(
    client, on_commit, settings, failing_mail_server, platform_admin, student
):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    with on_commit():
        tell([student])
    email = OutboundEmail.objects.get()
    assert email.status == "failed"
    failing_mail_server["down"] = False
    client.force_login(platform_admin)

    with on_commit():
        client.post(
            reverse("admin:accounts_outboundemail_changelist"),
            {"action": "send_again", "_selected_action": [email.pk]},
        )

    email.refresh_from_db()
    assert email.status == "sent"
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get(action="email.sent_again")
    assert event.actor == platform_admin


def test_one_bad_message_does_not_stop_the_sweep(lost_tasks, settings, monkeypatch, student):
    other = UserFactory()
    with lost_tasks():
        tell([student], key="first")
        tell([other], key="second")
    send_messages = EmailBackend.send_messages

    def refuse_the_student(self, messages):
        if messages[0].to == [student.email]:
            raise smtplib.SMTPRecipientsRefused({student.email: (550, b"No such user")})
        return send_messages(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_the_student)

    with recovered(settings):
        assert send_unsent_emails() == 1

    assert [m.to for m in mail.outbox] == [[other.email]]
    refused = OutboundEmail.objects.get(to=[student.email])
    assert refused.status == "pending" and "SMTPRecipientsRefused" in refused.last_error


# --- Sweeps and housekeeping -----------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 9])
def test_reminders_store_their_emails_in_a_fixed_number_of_queries(
    lost_tasks, django_assert_max_num_queries, count
):
    users = [UserFactory() for _ in range(count)]
    reminders = [
        Reminder(recipient=u, kind="k", key=f"due-{u.pk}", message="Due soon") for u in users
    ]

    with lost_tasks(), django_assert_max_num_queries(4):
        assert notify_many(reminders) == count

    emails = OutboundEmail.objects.order_by("pk")
    assert [e.to for e in emails] == [[u.email] for u in users]
    notifications = Notification.objects.in_bulk(field_name="pk")
    assert all(notifications[e.notification_id].recipient.email == e.to[0] for e in emails)


def test_reminders_sent_by_a_sweep_are_mailed_once_each(on_commit, student, employer):
    reminders = [
        Reminder(recipient=u, kind="k", key="due-1", message="Due soon")
        for u in (student, employer)
    ]

    with on_commit():
        notify_many(reminders)
        notify_many(reminders)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([student.email, employer.email])
    assert OutboundEmail.objects.filter(status="sent").count() == 2


def test_old_sent_messages_are_deleted_and_recent_or_unsent_ones_kept(
    on_commit, lost_tasks, settings, student
):
    with on_commit():
        tell([student], key="old")
    with lost_tasks():
        tell([student], key="unsent")

    with later(settings.OUTBOX_KEEP_DAYS * 86400 - 3600):
        assert purge_old_emails() == 0
    with later(settings.OUTBOX_KEEP_DAYS * 86400 + 3600):
        assert purge_old_emails() == 1

    assert list(OutboundEmail.objects.values_list("status", flat=True)) == ["pending"]


def test_beat_runs_the_email_webhook_and_refund_sweeps_every_minute(settings):
    schedule = beat_schedule(timedelta(minutes=5), recovery_every=timedelta(seconds=60))

    for name, task in [
        ("send-unsent-emails", "accounts.send_unsent_emails"),
        ("reprocess-webhook-events", "payments.reprocess_webhook_events"),
        ("retry-refunds", "payments.retry_refunds"),
        ("retry-payouts", "payments.retry_payouts"),
    ]:
        assert schedule[name]["task"] == task
    assert schedule["send-unsent-emails"]["schedule"] == timedelta(seconds=60)
    assert schedule["retry-refunds"]["schedule"] == timedelta(seconds=60)


# --- The admin -------------------------------------------------------------------------------


def test_platform_admins_see_the_outbox_without_message_bodies(
    client, lost_tasks, platform_admin, student, django_assert_max_num_queries
):
    with lost_tasks():
        for n in range(5):
            outbox.send_templated_mail(
                template="notification",
                to=[student.email],
                context={
                    "recipient": student,
                    "notification": {"message": f"Reset link secret-{n}"},
                    "details": "https://example.com/reset/secret-token",
                },
            )
    client.force_login(platform_admin)
    email = OutboundEmail.objects.first()

    with django_assert_max_num_queries(12):
        page = client.get(reverse("admin:accounts_outboundemail_changelist"))
    detail = client.get(reverse("admin:accounts_outboundemail_change", args=[email.pk]))

    other = UserFactory(email="someone.else@example.org")
    with lost_tasks():
        tell([other], message="For someone else")
    found = client.get(
        reverse("admin:accounts_outboundemail_changelist"), {"q": "someone.else"}
    ).content.decode()

    assert page.status_code == 200 and detail.status_code == 200
    assert student.email in page.content.decode()
    assert "For someone else" in found and "Reset link" not in found
    assert "Reset link secret-4" in page.content.decode()  # the subject
    for response in (page, detail):
        assert "secret-token" not in response.content.decode()


def test_career_staff_and_students_cannot_see_the_outbox(client, lost_tasks, career_staff, student):
    with lost_tasks():
        tell([student])
    email = OutboundEmail.objects.get()

    for user in (career_staff, student):
        client.force_login(user)
        for url in (
            reverse("admin:accounts_outboundemail_changelist"),
            reverse("admin:accounts_outboundemail_change", args=[email.pk]),
        ):
            response = client.get(url)
            assert response.status_code in (302, 403)
            assert student.email not in response.content.decode()

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Notification
from accounts.notifications import notify

pytestmark = pytest.mark.django_db


def test_an_event_notifies_each_recipient_once_even_when_repeated(on_commit, student, employer):
    with on_commit():
        first = notify(
            recipients=[student, employer, student], kind="k", key="event-1", message="Hello"
        )
        again = notify(recipients=[student, employer], kind="k", key="event-1", message="Hello")

    assert first.count == 2
    assert again.count == 0
    assert Notification.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([student.email, employer.email])


def test_no_mail_leaves_when_the_transaction_rolls_back(
    student, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(recipients=[student], kind="k", key="event-2", message="Never sent")
                raise RuntimeError("the business action failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_the_notification_list_shows_only_my_notifications(client, student, other_student):
    notify(recipients=[student], kind="k", key="a", message="For the student", email=False)
    notify(recipients=[other_student], kind="k", key="b", message="For someone else", email=False)
    client.force_login(student)

    page = client.get(reverse("notifications")).content.decode()

    assert "For the student" in page
    assert "For someone else" not in page


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, student):
    sent = notify(
        recipients=[student], kind="k", key="c", message="Go", url="/student/", email=False
    )
    notification = sent.created[0]
    client.force_login(student)

    response = client.post(reverse("notification_open", args=[notification.pk]))

    assert response.url == "/student/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_notification_never_redirects_off_the_site(client, student):
    sent = notify(
        recipients=[student],
        kind="k",
        key="d",
        message="Bad link",
        url="//evil.example/phish",
        email=False,
    )
    client.force_login(student)

    response = client.post(reverse("notification_open", args=[sent.created[0].pk]))

    assert response.url == reverse("notifications")


def test_someone_elses_notification_cannot_be_opened(client, student, other_student):
    sent = notify(recipients=[other_student], kind="k", key="e", message="Theirs", email=False)
    client.force_login(student)

    response = client.post(reverse("notification_open", args=[sent.created[0].pk]))

    assert response.status_code == 404
    sent.created[0].refresh_from_db()
    assert sent.created[0].read_at is None


def test_mark_all_as_read(client, student):
    for key in ("f", "g", "h"):
        notify(recipients=[student], kind="k", key=key, message=key, email=False)
    client.force_login(student)

    client.post(reverse("notifications_mark_all_read"))

    assert not Notification.objects.filter(recipient=student, read_at__isnull=True).exists()
    assert client.get(reverse("home")).context["unread_notifications"] == 0


def test_the_notifications_page_needs_a_login(client):
    assert client.get(reverse("notifications")).status_code == 302

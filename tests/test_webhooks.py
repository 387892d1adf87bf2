"""Outgoing webhooks: an organization or a school registers an endpoint, events arrive at
a real local HTTP receiver signed, failed deliveries are retried and logged, admins replay
them, and addresses into private networks are refused outside tests."""

import hashlib
import hmac
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from feedback import services as feedback_services
from integrations import webhooks
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from oversight import services as oversight
from projects import applications
from tests import webhook_receiver
from tests.factories import (
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    approved_engagement,
    employer_of,
)
from tests.helpers import SWEEPS, run_after_commit

pytestmark = pytest.mark.django_db

ORGANIZATION_EVENTS = ["application.received", "engagement.funded", "engagement.approved"]


@pytest.fixture
def receiver():
    server, receiver = webhook_receiver.start()
    yield receiver
    server.shutdown()
    server.server_close()


def add_endpoint(client, user, url, events) -> str:
    """Add an endpoint from the integrations page, as its owner would; its secret."""
    client.force_login(user)
    response = client.post(reverse("integrations:webhook_add"), {"url": url, "events": events})
    assert response.status_code == 302, response.content.decode()
    page = client.get(reverse("integrations:settings")).content.decode()
    return re.search(r'id="webhook-secret" type="text" value="([^"]+)"', page).group(1)


def verify(received, secret: str) -> bool:
    timestamp, signature = re.fullmatch(
        r"t=(\d+),v1=([0-9a-f]{64})", received.headers["Marketplace-Signature"]
    ).groups()
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + received.body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(signature, expected)


def apply(student, project):
    applications.application_submit(
        student=student,
        project=project,
        data=applications.ApplicationData(
            cover_note="I would love to help.",
            answers={},
            confirmed_availability=True,
            consented=True,
        ),
    )
    run_after_commit()


# --- Registering -----------------------------------------------------------------------------


def test_the_secret_is_shown_once_and_the_endpoint_listed(client, employer, receiver):
    secret = add_endpoint(client, employer, receiver.url, ORGANIZATION_EVENTS)

    page = client.get(reverse("integrations:settings")).content.decode()

    assert secret.startswith("whsec_")
    assert secret not in page
    assert receiver.url in page
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.organization == employer.employer_profile.organization
    assert AuditEvent.objects.filter(action="webhook.endpoint_added", actor=employer).exists()


@pytest.mark.parametrize(
    ("url", "events", "message"),
    [
        ("http://hooks.example.com/in", ["engagement.funded"], "Enter an https:// address."),
        ("ftp://127.0.0.1/in", ["engagement.funded"], "Enter an https:// address."),
        ("not an address", ["engagement.funded"], "Enter a valid URL."),
        ("https://127.0.0.1:9/in", [], "This field is required."),
        ("https://127.0.0.1:9/in", ["flag.raised"], "is not one of the available choices"),
        ("https://user:pw@127.0.0.1/in", ["engagement.funded"], "user name and password"),
    ],
)
def test_a_bad_endpoint_gets_a_message_and_nothing_is_added(client, employer, url, events, message):
    client.force_login(employer)

    response = client.post(reverse("integrations:webhook_add"), {"url": url, "events": events})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/in",
        "https://10.1.2.3/in",
        "https://192.168.0.10/in",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/in",
        "https://[::ffff:10.0.0.1]/in",
        "https://localhost/in",
        "http://127.0.0.1:8000/in",
    ],
)
def test_private_and_loopback_addresses_are_refused_in_production(client, settings, employer, url):
    settings.WEBHOOKS_ALLOW_LOCAL_TARGETS = False
    client.force_login(employer)

    response = client.post(
        reverse("integrations:webhook_add"), {"url": url, "events": ["engagement.funded"]}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "private network" in page or "Enter an https:// address." in page
    assert not WebhookEndpoint.objects.exists()


def test_students_and_admins_have_no_webhooks(client, student, platform_admin):
    for user in (student, platform_admin):
        client.force_login(user)
        response = client.post(
            reverse("integrations:webhook_add"),
            {"url": "https://127.0.0.1/in", "events": ["engagement.funded"]},
        )
        assert response.status_code == 403
    assert not WebhookEndpoint.objects.exists()


def test_an_endpoint_is_removed_only_by_its_own_organization(
    client, employer, other_employer, career_staff, receiver
):
    add_endpoint(client, employer, receiver.url, ORGANIZATION_EVENTS)
    endpoint = WebhookEndpoint.objects.get()
    url = reverse("integrations:webhook_remove", args=[endpoint.pk])
    for outsider in (other_employer, career_staff):
        client.force_login(outsider)
        assert client.post(url).status_code == 404
        assert receiver.url not in client.get(reverse("integrations:settings")).content.decode()
    assert WebhookEndpoint.objects.exists()

    client.force_login(employer)
    assert client.post(url).status_code == 302
    assert not WebhookEndpoint.objects.exists()


# --- Delivering ------------------------------------------------------------------------------


def test_an_application_reaches_the_employers_system_signed_and_blind(
    client, employer, receiver, student
):
    secret = add_endpoint(client, employer, receiver.url, ORGANIZATION_EVENTS)
    project = ProjectFactory(organization=employer.employer_profile.organization)

    apply(student, project)

    [received] = receiver.received
    assert verify(received, secret)
    assert received.headers["Marketplace-Event"] == "application.received"
    assert received.json["type"] == "application.received"
    assert received.json["data"]["project_id"] == project.pk
    assert student.get_full_name() not in received.body.decode()
    assert student.email not in received.body.decode()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.log.get().status_code == 200


def test_a_signature_made_with_another_secret_does_not_verify(client, employer, receiver, student):
    add_endpoint(client, employer, receiver.url, ORGANIZATION_EVENTS)

    apply(student, ProjectFactory(organization=employer.employer_profile.organization))

    assert not verify(receiver.received[0], "whsec_someone-else")


def test_a_funded_engagement_reaches_both_the_organization_and_the_school(
    client, school, career_staff, receiver
):
    project = ProjectFactory()
    add_endpoint(client, employer_of(project), receiver.url, ["engagement.funded"])
    add_endpoint(client, career_staff, receiver.url + "/school", ["engagement.funded"])

    engagement = accepted_engagement(project=project, student=StudentFactory(school=school).user)

    paths = sorted(r.path for r in receiver.received)
    assert paths == ["/hooks", "/hooks/school"]
    assert {r.json["data"]["engagement_id"] for r in receiver.received} == {engagement.pk}


def test_other_organizations_and_schools_hear_nothing(
    client, other_employer, other_school_staff, receiver
):
    add_endpoint(client, other_employer, receiver.url, ORGANIZATION_EVENTS)
    add_endpoint(client, other_school_staff, receiver.url, ["engagement.funded"])

    accepted_engagement()

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_only_the_chosen_events_are_sent(client, employer, receiver, student):
    add_endpoint(client, employer, receiver.url, ["engagement.approved"])

    apply(student, ProjectFactory(organization=employer.employer_profile.organization))

    assert receiver.received == []


def test_a_raised_flag_reaches_the_school(client, school, career_staff, receiver):
    add_endpoint(client, career_staff, receiver.url, ["flag.raised"])
    engagement = accepted_engagement(student=StudentFactory(school=school).user)

    flag = oversight.flag_raise(actor=career_staff, engagement=engagement, note="Check hours")
    run_after_commit()

    [received] = receiver.received
    assert received.json["data"] == received.json["data"] | {
        "flag_id": flag.pk,
        "engagement_id": engagement.pk,
        "note": "Check hours",
    }


def test_an_approval_and_the_evaluation_reach_the_school(client, school, career_staff, receiver):
    add_endpoint(
        client, career_staff, receiver.url, ["engagement.approved", "evaluation.submitted"]
    )
    engagement = approved_engagement(
        accepted_engagement(student=StudentFactory(school=school).user)
    )

    feedback_services.student_evaluation_submit(
        actor=employer_of(engagement.project),
        engagement=engagement,
        data={
            "communication": 5,
            "problem_solving": 4,
            "quality": 5,
            "timeliness": 4,
            "professionalism": 5,
            "strengths": "Clear writing.",
            "growth_areas": "Ask earlier.",
            "would_work_again": True,
            "interested_full_time": False,
            "objectives": {o.pk: True for o in engagement.project.objectives.all()},
        },
    )
    run_after_commit()

    assert [r.json["type"] for r in receiver.received] == [
        "engagement.approved",
        "evaluation.submitted",
    ]
    assert receiver.received[1].json["data"]["engagement_id"] == engagement.pk


def test_an_overdue_engagement_is_announced_once(client, employer, receiver):
    add_endpoint(client, employer, receiver.url, ["engagement.overdue"])
    engagement = accepted_engagement(
        project=ProjectFactory(organization=employer.employer_profile.organization)
    )

    for hours in (1, 2, 60):
        with time_machine.travel(engagement.due_at + timedelta(hours=hours)):
            SWEEPS["overdue"]()
            run_after_commit()

    assert [r.json["type"] for r in receiver.received] == ["engagement.overdue"]


def test_a_failed_delivery_is_logged_and_retried_later(client, employer, receiver, student):
    receiver.answers = [500]
    add_endpoint(client, employer, receiver.url, ORGANIZATION_EVENTS)

    apply(student, ProjectFactory(organization=employer.employer_profile.organization))

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    attempt = delivery.log.get()
    assert attempt.status_code == 500
    assert attempt.response_excerpt == "Database unavailable, try again later"
    assert delivery.next_attempt_at - attempt.attempted_at >= timedelta(seconds=30)

    # Not due yet: the sweep leaves it alone.
    webhooks.deliveries_retry_due()
    assert len(receiver.received) == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        webhooks.deliveries_retry_due()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 2
    assert [a.status_code for a in delivery.log.all()] == [500, 200]
    assert receiver.received[0].body == receiver.received[1].body


def test_the_waits_double_and_delivery_gives_up_after_the_last_attempt(
    client, settings, employer, receiver, student
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.answers = [503, 503, 503]
    add_endpoint(client, employer, receiver.url, ORGANIZATION_EVENTS)
    apply(student, ProjectFactory(organization=employer.employer_profile.organization))

    waits = []
    for _ in range(2):
        delivery = WebhookDelivery.objects.get()
        waits.append(delivery.next_attempt_at - timezone.now())
        with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
            webhooks.deliveries_retry_due()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3
    assert waits[1] > waits[0] * 1.5
    assert webhooks.backoff(1) == timedelta(seconds=30)
    assert webhooks.backoff(2) == timedelta(seconds=60)
    assert webhooks.backoff(30) == timedelta(hours=6)


def test_an_unreachable_receiver_is_logged_with_the_error(client, employer, receiver, student):
    add_endpoint(client, employer, receiver.url, ORGANIZATION_EVENTS)
    WebhookEndpoint.objects.update(url="http://127.0.0.1:9/closed")

    apply(student, ProjectFactory(organization=employer.employer_profile.organization))

    attempt = WebhookDelivery.objects.get().log.get()
    assert attempt.status_code is None
    assert "ConnectionError" in attempt.error


def test_an_address_that_now_points_inside_is_refused_before_posting(
    client, settings, employer, receiver, student
):
    add_endpoint(client, employer, receiver.url, ORGANIZATION_EVENTS)
    settings.WEBHOOKS_ALLOW_LOCAL_TARGETS = False

    apply(student, ProjectFactory(organization=employer.employer_profile.organization))

    assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.log.get().error == "Enter an https:// address."


def test_an_admin_delivers_a_failed_event_again(
    client, settings, platform_admin, employer, receiver, student
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.answers = [500]
    add_endpoint(client, employer, receiver.url, ORGANIZATION_EVENTS)
    apply(student, ProjectFactory(organization=employer.employer_profile.organization))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    client.force_login(platform_admin)

    page = client.get(reverse("admin:integrations_webhookdelivery_change", args=[delivery.pk]))
    assert b"Database unavailable" in page.content
    with django_on_commit():
        client.post(
            reverse("admin:integrations_webhookdelivery_changelist"),
            {"action": "deliver_again", "_selected_action": [delivery.pk]},
        )

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert [a.status_code for a in delivery.log.all()] == [500, 200]
    assert AuditEvent.objects.filter(action="webhook.delivery_replayed").exists()


def django_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_the_page_lists_recent_deliveries_in_a_few_queries(
    client, employer, receiver, django_assert_max_num_queries
):
    add_endpoint(client, employer, receiver.url, ORGANIZATION_EVENTS)
    organization = employer.employer_profile.organization
    for _ in range(6):
        apply(StudentFactory().user, ProjectFactory(organization=organization))
    client.force_login(employer)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("integrations:settings")).content.decode()

    assert page.count("HTTP 200") == 6

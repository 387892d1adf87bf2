"""Liveness, readiness and Prometheus metrics, as a load balancer and a scraper see them."""

import uuid

import pytest
from django.urls import reverse

from payments.models import Payout, WebhookEvent
from tests.factories import accepted_engagement
from tests.s3_server import free_port

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-0123456789abcdef"


def test_liveness_answers_without_signing_in_or_asking_any_dependency(client):
    response = client.get(reverse("health_live"))

    assert response.status_code == 200
    assert response.json() == {"status": "live"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_reports_database_cache_and_storage_healthy(client):
    response = client.get(reverse("health_ready"), HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    body = response.json()
    assert any(name.startswith("Database") for name in body), body
    assert any(name.startswith("Cache") for name in body), body
    assert any(name.startswith("Storage") for name in body), body
    assert set(body.values()) == {"OK"}


def test_readiness_fails_while_the_cache_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "marketplace.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

    response = client.get(reverse("health_ready"), HTTP_ACCEPT="application/json")

    assert response.status_code == 500
    failing = {name for name, status in response.json().items() if status != "OK"}
    assert [name.split("(")[0] for name in failing] == ["Cache"]


def test_readiness_checks_the_object_storage_bucket(client, settings, s3_server):
    bucket = f"uploads-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_settings(bucket)}

    missing = client.get(reverse("health_ready"), HTTP_ACCEPT="application/json")
    s3_server.create_bucket(bucket)
    present = client.get(reverse("health_ready"), HTTP_ACCEPT="application/json")

    assert missing.status_code == 500
    assert present.status_code == 200
    assert s3_server.object_names(bucket) == []


# --- Metrics -------------------------------------------------------------------------------


def scrape(client, token=TOKEN):
    return client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {token}")


def test_there_is_no_metrics_endpoint_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""

    assert scrape(client, "anything").status_code == 404


def test_metrics_refuse_a_wrong_or_missing_token(client, settings):
    settings.METRICS_TOKEN = TOKEN

    assert scrape(client, "not-the-token-at-all-000").status_code == 401
    assert client.get(reverse("metrics")).status_code == 401


def test_metrics_report_requests_payouts_webhooks_outbox_and_queue(client, settings):
    settings.METRICS_TOKEN = TOKEN
    engagement = accepted_engagement()
    Payout.objects.create(
        engagement=engagement,
        student=engagement.student,
        amount_cents=engagement.fee_cents,
        gateway="local",
        status=Payout.Status.FAILED,
    )
    WebhookEvent.objects.create(event_id="evt_1", type="payment_intent.succeeded", payload={})
    client.get(reverse("health_live"))

    response = scrape(client)

    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_total_by_method_total" in text
    assert 'payments_open_payouts{status="failed"} 1.0' in text
    assert 'payments_open_payouts{status="pending"} 0.0' in text
    assert 'payments_webhook_backlog{measure="events"} 1.0' in text
    assert "accounts_outbox_unsent{" in text
    assert 'marketplace_queue_depth{queue="celery"}' in text
    assert "marketplace_metric_read_errors{" not in text


def test_the_reminder_sweep_lag_is_reported_once_a_sweep_has_run(client, settings):
    from engagements.tasks import sweep_due_soon

    settings.METRICS_TOKEN = TOKEN
    before = scrape(client).content.decode()

    sweep_due_soon.delay()
    after = scrape(client).content.decode()

    assert (
        'marketplace_reminder_sweep_lag_seconds{sweep="engagements.sweep_due_soon"}' not in before
    )
    assert 'marketplace_reminder_sweep_lag_seconds{sweep="engagements.sweep_due_soon"}' in after

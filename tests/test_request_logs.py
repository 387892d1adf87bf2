"""Every response names its request id, and every log line of the request carries it; the
log format and error reporting follow the environment."""

import json
import logging

import pytest
from django.http import HttpResponse
from django.urls import reverse

from marketplace.request_id import RequestIdFilter, RequestIdMiddleware
from tests.test_settings import PRODUCTION, run_with_env

pytestmark = pytest.mark.django_db


def test_each_response_carries_a_fresh_request_id(client):
    first = client.get(reverse("health_live"))
    second = client.get(reverse("health_live"))

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_load_balancers_request_id_is_kept_when_it_is_sane(client):
    kept = client.get(reverse("health_live"), HTTP_X_REQUEST_ID="lb-2f1c9a7e-0001")
    replaced = client.get(reverse("health_live"), HTTP_X_REQUEST_ID="<script>x</script>")

    assert kept["X-Request-ID"] == "lb-2f1c9a7e-0001"
    assert replaced["X-Request-ID"] != "<script>x</script>"
    assert len(replaced["X-Request-ID"]) == 32


def record_request_id() -> str:
    record = logging.LogRecord("marketplace", logging.INFO, __file__, 1, "hi", (), None)
    RequestIdFilter().filter(record)
    return record.request_id


def test_log_lines_written_during_a_request_carry_its_id(rf):
    seen = []

    def view(request):
        seen.append(record_request_id())
        return HttpResponse()

    response = RequestIdMiddleware(view)(rf.get("/", HTTP_X_REQUEST_ID="lb-2f1c9a7e-0002"))

    assert seen == ["lb-2f1c9a7e-0002"]
    assert response["X-Request-ID"] == "lb-2f1c9a7e-0002"
    assert record_request_id() == "-"


LOG_A_LINE = """
import django, logging
django.setup()
logging.getLogger("marketplace").warning("payout %s retried", 42)
"""


def test_production_logs_one_json_object_per_line():
    result = run_with_env(["-c", LOG_A_LINE], **PRODUCTION)

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "payout 42 retried"
    assert (line["level"], line["logger"], line["request_id"]) == ("WARNING", "marketplace", "-")


def test_development_logs_readable_lines():
    result = run_with_env(["-c", LOG_A_LINE], DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert "WARNING marketplace [-]: payout 42 retried" in result.stderr


REPORTING = """
import django, sentry_sdk
django.setup()
print(sentry_sdk.get_client().is_active())
"""


def test_errors_are_reported_to_sentry_only_when_a_dsn_is_set():
    without = run_with_env(["-c", REPORTING], **PRODUCTION)
    with_dsn = run_with_env(
        ["-c", REPORTING], **PRODUCTION, SENTRY_DSN="https://public@errors.example.org/7"
    )
    broken = run_with_env(["-c", REPORTING], **PRODUCTION, SENTRY_DSN="not a dsn")

    assert without.stdout.split() == ["False"], without.stderr
    assert with_dsn.stdout.split() == ["True"], with_dsn.stderr
    assert broken.returncode != 0
    assert "SENTRY_DSN is not a valid Sentry DSN" in broken.stderr

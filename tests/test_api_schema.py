"""The REST API against its own OpenAPI schema (schemathesis): for generated requests to every
operation, as a student, an employer, career staff and an anonymous caller, no answer is a
server error, and every answer's status, content type and body are the ones the schema
documents. Bounded and deterministic: a few examples per operation, derandomized, no
deadline."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from marketplace.wsgi import application
from tests.api_world import build_world

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CALLERS = ("student", "employer", "career_staff", "anonymous")


@pytest.fixture
def api_world(db):
    return build_world()


@pytest.fixture
def same_connection():
    """Requests go to the application in this process, inside the test's transaction: the
    connection must stay open between them, as Django's test client keeps it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# The schema as the application serves it (reading it needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_to_the_schema_for_every_caller(case, api_world, same_connection):
    for who in CALLERS:
        case.call_and_validate(headers=api_world.http_header(who), checks=CHECKS)

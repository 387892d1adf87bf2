"""A new web process serves the busiest pages once while it boots, so no visitor meets a
cold one (marketplace/warmup.py)."""

import logging

import pytest
from django.core.handlers.wsgi import WSGIHandler

from marketplace import warmup
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


# The warm-up goes through a real WSGI handler, which closes the database connection after
# each request as in production: the rows must be committed, not inside a test transaction.
@pytest.mark.django_db(transaction=True)
def test_warming_up_serves_home_browse_and_a_project_page(caplog):
    project = ProjectFactory()

    with caplog.at_level(logging.INFO, logger="marketplace.warmup"):
        warmup.warm_up(WSGIHandler())

    (line,) = [r.getMessage() for r in caplog.records if "Warmed up" in r.getMessage()]
    assert "/ 200" in line
    assert "/projects/ 200" in line
    assert f"/projects/{project.pk}/ 200" in line
    assert "/projects/?sort=match 200" in line


def test_a_failing_warm_up_is_logged_and_the_process_starts_anyway(caplog):
    def broken(environ, start_response):
        raise RuntimeError("database unreachable")

    with caplog.at_level(logging.INFO, logger="marketplace.warmup"):
        warmup.warm_up(broken)

    assert any("starting cold" in r.getMessage() for r in caplog.records)

"""A database that cannot be reached answers 503 with a plain page; other errors stay 500."""

import pytest
from django.db import OperationalError

from marketplace.errors import server_error


def _answer_while_handling(rf, exc):
    try:
        raise exc
    except Exception:
        return server_error(rf.get("/projects/"))


def test_a_lost_database_connection_answers_503_and_says_to_try_again(rf):
    response = _answer_while_handling(rf, OperationalError("connection refused"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"try again in a minute" in response.content
    assert b"Traceback" not in response.content


def test_a_database_error_wrapped_in_another_still_answers_503(rf):
    def fail():
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as exc:
            raise RuntimeError("while loading the session") from exc

    try:
        fail()
    except RuntimeError:
        response = server_error(rf.get("/"))

    assert response.status_code == 503


@pytest.mark.parametrize("exc", [ValueError("a bug"), KeyError("missing")])
def test_any_other_error_is_a_500(rf, exc):
    response = _answer_while_handling(rf, exc)

    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def test_the_site_uses_this_handler():
    from marketplace import urls

    assert urls.handler500 == "marketplace.errors.server_error"

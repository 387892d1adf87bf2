"""Academic credit decisions under concurrency (PostgreSQL): two colleagues approving the
same request at once, or a faculty member's double click, record one decision."""

import threading

import pytest
from django.core import mail
from django.db import connection

from outcomes.credit import services
from outcomes.credit.models import CreditStatus, CreditStep, FacultyReviewLink
from tests.credit_helpers import submitted, with_faculty
from tests.factories import CareerStaffFactory

THREADS = 2


def skip_unless_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; races are tested on PostgreSQL.")


def at_once(calls, monkeypatch, *, meet_at="_lock"):
    """Run each call in its own thread; all of them reach `meet_at` (a function of the
    services called just before the row they compete for is locked) together."""
    ready = threading.Barrier(len(calls))
    step = getattr(services, meet_at)
    results, errors = [], []

    def together(*args, **kwargs):
        ready.wait(timeout=30)
        return step(*args, **kwargs)

    def run(call):
        try:
            results.append(call())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    monkeypatch.setattr(services, meet_at, together)
    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_colleagues_approving_at_once_record_one_decision(school, student, monkeypatch):
    skip_unless_postgresql()
    first, second = (CareerStaffFactory(school=school).user for _ in range(THREADS))
    request = submitted(student)
    mail.outbox.clear()

    results, errors = at_once(
        [
            lambda: services.credit_request_staff_approve(
                actor=first, request=request, faculty_email="prof@northbridge.edu"
            ),
            lambda: services.credit_request_staff_approve(actor=second, request=request),
        ],
        monkeypatch,
    )

    assert errors == []
    assert len(results) == THREADS  # the second found the work done and changed nothing
    request.refresh_from_db()
    assert request.status in (CreditStatus.WITH_FACULTY, CreditStatus.APPROVED)
    assert CreditStep.objects.filter(request=request, role="career_staff").count() == 1
    links = FacultyReviewLink.objects.filter(request=request).count()
    assert links == (1 if request.status == CreditStatus.WITH_FACULTY else 0)
    assert len([m for m in mail.outbox if m.to == ["prof@northbridge.edu"]]) == links


@pytest.mark.django_db(transaction=True)
def test_a_faculty_double_click_records_one_decision(student, career_staff, monkeypatch):
    skip_unless_postgresql()
    request, token = with_faculty(student, career_staff)

    results, errors = at_once(
        [
            lambda: services.credit_faculty_decide(token=token, approve=True, name="Dana Lee")
            for _ in range(THREADS)
        ],
        monkeypatch,
        meet_at="hash_token",  # hashed just before the link is locked
    )

    assert len(results) == 1
    assert [e.reason for e in errors] == ["spent"]
    request.refresh_from_db()
    assert request.status == CreditStatus.APPROVED
    assert CreditStep.objects.filter(request=request, role="faculty").count() == 1

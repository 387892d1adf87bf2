"""A sponsor's budget under concurrency (PostgreSQL): employers paying at the same moment
never spend more than the budget holds."""

import threading

import pytest
from django.db import connection

from payments import services as payments
from payments.models import Payment, SponsorEntry
from payments.services import sponsors
from tests.factories import SchoolFactory, employer_of
from tests.sponsor_helpers import engagement_at, make_sponsor

EMPLOYERS = 5


@pytest.mark.django_db(transaction=True)
def test_five_employers_paying_at_once_share_a_budget_for_three_without_overdrawing_it(
    monkeypatch,
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks are tested on PostgreSQL.")
    school = SchoolFactory()
    sponsor = make_sponsor(school, budget_cents=60000)  # three shares of $200
    waiting = [engagement_at(school) for _ in range(EMPLOYERS)]

    ready = threading.Barrier(EMPLOYERS)
    lock_sponsor = sponsors._lock_sponsor
    here = threading.local()

    def together(sponsor_id):
        # Every employer reaches the sponsor's lock at the same moment (once each).
        if not getattr(here, "met", False):
            here.met = True
            ready.wait(timeout=30)
        return lock_sponsor(sponsor_id)

    monkeypatch.setattr(sponsors, "_lock_sponsor", together)
    errors = []

    def pay(engagement):
        try:
            payments.engagement_fund(actor=employer_of(engagement.project), engagement=engagement)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(e,)) for e in waiting]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    started = Payment.objects.filter(engagement__in=waiting)
    assert started.count() == EMPLOYERS
    assert sorted(started.values_list("sponsored_cents", flat=True)) == [0, 0, 20000, 20000, 20000]
    assert sponsors.available_cents(sponsor.pk) == 0
    assert SponsorEntry.objects.filter(sponsor=sponsor, kind="reserved").count() == 3

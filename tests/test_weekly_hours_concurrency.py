"""The F-1 weekly cap under concurrency (PostgreSQL): two time logs sent at once on two
engagements cannot together pass the cap, because each locks the student first."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accounts.models import AcademicTerm, AuthorizationStatus, AuthorizedSchedule, WorkAuthorization
from engagements import services as engagement_services
from engagements.models import Engagement, TimeEntry
from tests.factories import OrganizationFactory, ProjectFactory, StudentFactory, accepted_engagement

DAY = timedelta(days=1)


@pytest.mark.django_db(transaction=True)
def test_two_logs_at_once_on_two_engagements_never_pass_twenty_hours_a_week(school):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks are tested on PostgreSQL.")
    # The threads below log time outside any request, so in the server's zone: read today
    # there too (tests start in the users' default zone, tests/conftest.py).
    timezone.deactivate()
    today = timezone.localdate()
    AcademicTerm.objects.create(
        school=school, name="Fall", starts_on=today - 30 * DAY, ends_on=today + 30 * DAY
    )
    organization = OrganizationFactory(verified=True)
    student = StudentFactory(
        school=school,
        work_authorization=WorkAuthorization.F1_CPT,
        work_authorization_status=AuthorizationStatus.VERIFIED,
        authorization_valid_from=today - 30 * DAY,
        authorization_valid_until=today + 90 * DAY,
        cpt_organization=organization,
        authorized_schedule=AuthorizedSchedule.PART_TIME,
    ).user
    engagements = [
        accepted_engagement(
            project=ProjectFactory(organization=organization, hours=40, fee_cents=80000),
            student=student,
        )
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def log(engagement):
        try:
            barrier.wait()
            engagement_services.time_entry_log(
                actor=student,
                engagement=engagement,
                work_date=today,
                quarters=12 * 4,
                description="Research",
            )
            outcomes.append("logged")
        except ValidationError as error:
            outcomes.append(error.message_dict["hours"][0])
        finally:
            connection.close()

    threads = [threading.Thread(target=log, args=(e,)) for e in engagements]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes)[-1] == "logged"
    assert "That would pass 20 hours" in sorted(outcomes)[0]
    assert TimeEntry.objects.filter(engagement__student=student).count() == 1
    assert (
        sum(Engagement.objects.filter(student=student).values_list("logged_quarters", flat=True))
        == 48
    )

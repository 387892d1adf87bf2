"""A flag one school's career services raise about an employer warns every school's staff;
a flag about one of their students' engagements stays with that school."""

import pytest
from django.urls import reverse

from oversight import services as oversight
from oversight.models import Flag
from tests.factories import CareerStaffFactory, StudentFactory, accepted_engagement

pytestmark = pytest.mark.django_db


@pytest.fixture
def flags(school, career_staff):
    engagement = accepted_engagement(student=StudentFactory(school=school).user)
    about_employer = oversight.flag_raise(
        actor=career_staff,
        organization=engagement.organization,
        note="Asked our student to cash a check and send part back",
    )
    about_engagement = oversight.flag_raise(
        actor=career_staff, engagement=engagement, note="Student feels pressured about hours"
    )
    return about_employer, about_engagement


def test_staff_of_another_school_see_a_flag_about_the_employer(client, flags, other_school):
    about_employer, about_engagement = flags
    client.force_login(CareerStaffFactory(school=other_school).user)

    listing = client.get(reverse("admin:oversight_flag_changelist")).content.decode()

    assert "cash a check" in listing
    assert "pressured about hours" not in listing
    page = client.get(reverse("admin:oversight_flag_change", args=[about_employer.pk]))
    assert page.status_code == 200
    hidden = client.get(reverse("admin:oversight_flag_change", args=[about_engagement.pk]))
    assert hidden.status_code == 404


def test_only_the_school_that_raised_a_flag_resolves_it(client, flags, other_school):
    about_employer, _ = flags
    client.force_login(CareerStaffFactory(school=other_school).user)

    client.post(
        reverse("admin:oversight_flag_change", args=[about_employer.pk]),
        {"resolution": "Not ours to close"},
    )

    about_employer.refresh_from_db()
    assert about_employer.status == Flag.Status.OPEN

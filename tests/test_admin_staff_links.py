"""Career services staff find no dead end in the admin: every link they are shown works."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from engagements.models import Engagement, EngagementStatus
from tests.crawl import crawl
from tests.factories import StudentFactory, accepted_engagement
from tests.helpers import status_fields

pytestmark = pytest.mark.django_db


def test_career_staff_meet_no_dead_link_in_the_admin(client):
    call_command("seed_demo")
    staff = User.objects.get(email="staff@demo.test")
    # A disputed engagement too, whose page offers platform admins a settlement.
    Engagement.objects.filter(
        school=staff.career_staff_profile.school, status=EngagementStatus.ACTIVE
    ).update(**status_fields(EngagementStatus.DISPUTED))
    client.force_login(staff)

    results = crawl(client, "/admin/")

    dead = {
        url: (status, source)
        for url, (status, source) in results.items()
        if status in (403, 404) or status >= 500
    }
    assert len(results) > 100
    assert not dead, "\n".join(f"{s} {u} (linked from {src})" for u, (s, src) in dead.items())


def test_another_schools_record_is_said_to_be_not_available(client, career_staff):
    elsewhere = accepted_engagement()  # a student of another school
    client.force_login(career_staff)

    for url in (
        reverse("admin:engagements_engagement_change", args=[elsewhere.pk]),
        reverse("admin:engagements_engagement_history", args=[elsewhere.pk]),
        reverse("admin:accounts_studentprofile_change", args=[elsewhere.student_id]),
        reverse("admin:accounts_studentprofile_authorization", args=[elsewhere.student_id]),
    ):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 404, url
        assert "This record is not available to your account." in html
        assert "doesn" not in html and "deleted" not in html
        assert elsewhere.student.last_name not in html


def test_a_missing_record_reads_the_same_as_another_schools(client, career_staff):
    client.force_login(career_staff)

    response = client.get(reverse("admin:engagements_engagement_change", args=[987654]))

    assert response.status_code == 404
    assert "This record is not available to your account." in response.content.decode()


def test_platform_admins_still_open_every_school_record(client, platform_admin):
    engagement = accepted_engagement()
    client.force_login(platform_admin)

    response = client.get(reverse("admin:engagements_engagement_change", args=[engagement.pk]))

    assert response.status_code == 200


def test_staff_see_a_students_account_named_not_linked(client, career_staff, school):
    engagement = accepted_engagement(student=StudentFactory(school=school).user)
    client.force_login(career_staff)

    html = client.get(
        reverse("admin:accounts_studentprofile_change", args=[engagement.student_id])
    ).content.decode()

    assert engagement.student.email in html
    assert "/admin/accounts/user/" not in html
    page = client.get(reverse("admin:engagements_engagement_change", args=[engagement.pk]))
    html = page.content.decode()
    # The school is theirs to open; the project and the student's account are not.
    assert reverse("admin:accounts_school_change", args=[school.pk]) in html
    assert "/admin/projects/project/" not in html
    assert "/admin/accounts/user/" not in html


def test_platform_admins_keep_every_link(client, platform_admin):
    engagement = accepted_engagement()
    client.force_login(platform_admin)

    html = client.get(
        reverse("admin:engagements_engagement_change", args=[engagement.pk])
    ).content.decode()

    assert reverse("admin:projects_project_change", args=[engagement.project_id]) in html
    assert reverse("admin:accounts_user_change", args=[engagement.student_id]) in html

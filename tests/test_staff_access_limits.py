"""The anonymous career services access request mails every platform admin: it is rate
limited per network (5 an hour) and per requested address (3 a day)."""

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import StaffAccessRequest

pytestmark = pytest.mark.django_db


def request_access(client, on_commit, school, email, ip="198.51.100.7"):
    data = {
        "first_name": "Rosa",
        "last_name": "Diaz",
        "email": email,
        "school": school.pk,
        "job_title": "Assistant Director",
        "message": "We want to oversee our students' projects.",
    }
    with on_commit():
        return client.post(reverse("staff_access_request"), data, REMOTE_ADDR=ip)


def test_one_network_sends_at_most_5_requests_an_hour(client, on_commit, platform_admin, school):
    with time_machine.travel("2026-11-02 09:00Z", tick=False) as clock:
        for n in range(5):
            response = request_access(client, on_commit, school, f"staff{n}@{school.email_domain}")
            assert response.status_code == 302
        assert len(mail.outbox) == 5

        response = request_access(client, on_commit, school, f"staff5@{school.email_domain}")

        assert response.status_code == 429
        assert "several access requests from your network" in response.content.decode()
        assert 'name="first_name"' in response.content.decode()  # the form, kept as typed
        assert StaffAccessRequest.objects.count() == 5
        assert len(mail.outbox) == 5

        other_network = request_access(
            client, on_commit, school, f"staff6@{school.email_domain}", ip="203.0.113.9"
        )
        assert other_network.status_code == 302

        clock.shift(61 * 60)
        later = request_access(client, on_commit, school, f"staff5@{school.email_domain}")
        assert later.status_code == 302
        assert StaffAccessRequest.objects.count() == 7


def test_one_address_is_requested_at_most_3_times_a_day(client, on_commit, platform_admin, school):
    email = f"rosa@{school.email_domain}"
    with time_machine.travel("2026-11-02 09:00Z", tick=False) as clock:
        for n in range(3):
            response = request_access(client, on_commit, school, email, ip=f"192.0.2.{n + 1}")
            assert response.status_code == 302
            services.staff_access_request_decline(
                actor=platform_admin,
                access_request=StaffAccessRequest.objects.get(status="pending"),
                note="Please use the form on your school's page.",
            )
        mail.outbox.clear()

        response = request_access(client, on_commit, school, email, ip="192.0.2.99")

        assert response.status_code == 429
        assert "several requests for this address today" in response.content.decode()
        assert StaffAccessRequest.objects.count() == 3
        assert mail.outbox == []

        clock.shift(24 * 60 * 60 + 60)
        assert request_access(client, on_commit, school, email, ip="192.0.2.99").status_code == 302
        assert [m.to for m in mail.outbox] == [[platform_admin.email]]


def test_a_form_with_mistakes_does_not_count(client, on_commit, school):
    for _ in range(6):
        response = request_access(client, on_commit, school, "rosa@gmail.com")
        assert response.status_code == 200

    response = request_access(client, on_commit, school, f"rosa@{school.email_domain}")
    assert response.status_code == 302


def test_behind_the_proxy_each_client_has_its_own_limit(
    client, on_commit, platform_admin, school, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(5):
        client.post(
            reverse("staff_access_request"),
            {
                "first_name": "Rosa",
                "last_name": "Diaz",
                "email": f"staff{n}@{school.email_domain}",
                "school": school.pk,
                "job_title": "Director",
            },
            HTTP_X_FORWARDED_FOR="198.51.100.7",
            **proxy,
        )

    response = client.post(
        reverse("staff_access_request"),
        {
            "first_name": "Ana",
            "last_name": "Lee",
            "email": f"ana@{school.email_domain}",
            "school": school.pk,
            "job_title": "Advisor",
        },
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        **proxy,
    )

    assert response.status_code == 302
    assert StaffAccessRequest.objects.count() == 6


def test_production_behind_a_proxy_trusts_one_proxy_hop():
    from tests.test_settings import PRODUCTION, run_with_env

    result = run_with_env(
        [
            "-c",
            "import django; from django.conf import settings; django.setup(); "
            "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)",
        ],
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1"

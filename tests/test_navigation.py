import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def nav_links(response) -> set[str]:
    return {item["url"] for item in response.context["nav_items"]}


def test_anonymous_visitors_see_browse_log_in_and_sign_up(client):
    response = client.get(reverse("home"))

    assert nav_links(response) == {reverse("projects:browse")}
    assert reverse("account_login").encode() in response.content
    assert reverse("account_signup").encode() in response.content


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "student",
            {
                "projects:browse",
                "student_dashboard",
                "outcomes:experiences",
                "outcomes:credit_requests",
                "payments:earnings",
                "profile",
                "safety:my_reports",
                "safety:privacy",
                "integrations:settings",
                "api_settings:tokens",
            },
        ),
        (
            "employer",
            {
                "projects:browse",
                "employer_dashboard",
                "projects:create",
                "outcomes:talent_pool",
                "payments:receipts",
                "profile",
                "safety:my_reports",
                "integrations:settings",
                "api_settings:tokens",
            },
        ),
        (
            "career_staff",
            {
                "projects:browse",
                "career_staff_dashboard",
                "payments:sponsors",
                "profile",
                "safety:my_reports",
                "integrations:settings",
                "api_settings:tokens",
                "admin:index",
            },
        ),
        ("platform_admin", {"projects:browse", "payments:sponsors", "admin:index"}),
    ],
)
def test_the_navigation_shows_only_what_the_role_may_open(client, request, who, expected):
    user = request.getfixturevalue(who)
    client.force_login(user)

    response = client.get(reverse("home"))

    assert nav_links(response) == {reverse(name) for name in expected}
    for url in nav_links(response):
        assert client.get(url).status_code == 200, url


def test_the_bell_counts_unread_notifications(client, student):
    from accounts.notifications import notify

    notify(recipients=[student], kind="test", key="k1", message="One", email=False)
    notify(recipients=[student], kind="test", key="k2", message="Two", email=False)
    client.force_login(student)

    response = client.get(reverse("home"))

    assert response.context["unread_notifications"] == 2
    assert b'2<span class="visually-hidden"> unread</span>' in response.content

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def nav_links(response) -> set[str]:
    return {item["url"] for item in response.context["nav_items"]}


def test_anonymous_visitors_see_log_in_and_sign_up_only(client):
    response = client.get(reverse("home"))

    assert nav_links(response) == set()
    assert reverse("account_login").encode() in response.content
    assert reverse("account_signup").encode() in response.content


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("student", {"student_dashboard", "profile"}),
        ("employer", {"employer_dashboard", "profile"}),
        ("career_staff", {"career_staff_dashboard", "profile", "admin:index"}),
        ("platform_admin", {"admin:index"}),
    ],
)
def test_the_navigation_shows_only_what_the_role_may_open(client, request, who, expected):
    user = request.getfixturevalue(who)
    client.force_login(user)

    response = client.get(reverse("home"))

    assert nav_links(response) == {reverse(name) for name in expected}
    for url in nav_links(response):
        assert client.get(url).status_code == 200, url

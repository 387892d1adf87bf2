"""Every role clicks through the site on demo data and meets no error and no dead link:
every same-site link a page shows answers, whatever the role, with no 404 and no 500."""

import pytest
from django.core.management import call_command

from accounts.models import User
from tests.crawl import crawl

pytestmark = pytest.mark.django_db

# Where each demo account starts, and what its crawl leaves out: signing out, and (for
# staff and admins) the admin, which tests/test_admin_staff_links.py crawls on its own.
ROLES = {
    "student@demo.test": ["/student/", "/projects/", "/experiences/", "/payments/earnings/"],
    "cpt.student@demo.test": ["/student/"],
    "employer@demo.test": ["/employer/", "/employer/talent/", "/payments/receipts/"],
    "staff@demo.test": ["/career-services/"],
    "admin@demo.test": ["/projects/"],
    None: ["/", "/projects/"],
}
SKIP = ("/accounts/logout/", "/admin/")


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("email", list(ROLES), ids=lambda e: e or "visitor")
def test_every_link_a_role_is_shown_works(client, demo, email):
    if email is not None:
        client.force_login(User.objects.get(email=email))

    results = {}
    for start in ROLES[email]:
        results.update(crawl(client, start, skip=SKIP))

    broken = {
        url: (status, source)
        for url, (status, source) in results.items()
        if status == 404 or status >= 500
    }
    assert len(results) > 10
    assert not broken, "\n".join(f"{s} {u} (linked from {src})" for u, (s, src) in broken.items())

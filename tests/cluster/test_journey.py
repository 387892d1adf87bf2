"""Two web nodes behind haproxy share sessions, uploads and rate limits.

Each step names the node it goes to (X-Node) and checks, from X-Served-By, that haproxy
sent it there: a journey that alternates nodes works only if nothing lives in one node.
"""

import re

import pytest

from tests.cluster.client import Client
from tests.cluster.harness import BUCKET

pytestmark = pytest.mark.cluster

DELIVERABLE = b"%PDF-1.4\n% the deliverable, uploaded through node a\n" + bytes(range(256)) * 64


def test_both_nodes_serve_through_the_load_balancer(cluster):
    client = Client(cluster.url)
    served = {client.get("/health/live/").headers["X-Served-By"] for _ in range(4)}

    assert served == {"a", "b"}
    assert client.get("/health/ready/", node="a").status_code == 200
    assert client.get("/health/ready/", node="b").status_code == 200


def test_signed_in_on_one_node_the_session_continues_on_the_other(cluster, world):
    student = Client(cluster.url)

    response = student.login(world["student"], world["password"], node="a")
    assert response.status_code == 302, response.text[:2000]
    assert response.headers["X-Served-By"] == "a"

    workspace = student.get(f"/engagements/{world['engagement']}/", node="b")
    assert workspace.headers["X-Served-By"] == "b"
    assert workspace.status_code == 200, workspace.headers.get("Location")
    assert "Research project" in workspace.text

    # Signed out on b: a is told too (the session is gone from the shared store).
    logout = student.post_form("/accounts/logout/", {}, node="b")
    assert logout.status_code == 302
    again = student.get(f"/engagements/{world['engagement']}/", node="a")
    assert again.headers["X-Served-By"] == "a"
    assert again.status_code in (302, 404)
    assert "Research project" not in again.text


def test_a_deliverable_uploaded_through_one_node_downloads_through_the_other(cluster, world):
    student, employer = Client(cluster.url), Client(cluster.url)
    student.login(world["student"], world["password"], node="a")
    employer.login(world["employer"], world["password"], node="b")
    workspace = f"/engagements/{world['engagement']}/"

    submitted = student.post_form(
        f"{workspace}submit/",
        {"note": "The price survey, as agreed.", "links": ""},
        form_page=workspace,
        node="a",
        files={"files": ("survey.pdf", DELIVERABLE, "application/pdf")},
    )
    assert submitted.status_code == 302, submitted.text[:3000]
    assert submitted.headers["X-Served-By"] == "a"

    page = employer.get(workspace, node="b")
    assert page.status_code == 200
    links = re.findall(r'href="(/files/deliverables/\d+/)"', page.text)
    assert links, page.text[:3000]
    download = employer.get(links[0], node="b", allow_redirects=False)
    assert download.headers["X-Served-By"] == "b"
    assert download.status_code == 200, download.status_code
    assert download.content == DELIVERABLE
    # The file is in the bucket, not on either node's disk.
    stored = [cluster.s3.read(BUCKET, name) for name in cluster.s3.object_names(BUCKET)]
    assert stored.count(DELIVERABLE) == 1

    # Another student is refused on either node.
    bystander = Client(cluster.url)
    bystander.login(world["bystander"], world["password"], node="a")
    assert bystander.get(links[0], node="b").status_code in (403, 404)
    assert bystander.get(links[0], node="a").status_code in (403, 404)


def test_failed_sign_ins_are_counted_across_nodes(cluster, world):
    # allauth allows 5 failed sign-ins per address in 5 minutes (ACCOUNT_RATE_LIMITS), counted
    # in the shared cache: spread over both nodes, the sixth attempt is refused on either.
    for attempt in range(5):
        node = "ab"[attempt % 2]
        response = Client(cluster.url).login(world["forgetful"], "not the password", node=node)
        assert response.status_code == 200
        assert response.headers["X-Served-By"] == node
        assert "Too many failed login attempts" not in response.text

    for node in "ab":
        refused = Client(cluster.url).login(world["forgetful"], world["password"], node=node)
        assert refused.status_code in (200, 429)
        assert "Too many failed login attempts" in refused.text, refused.text[:2000]

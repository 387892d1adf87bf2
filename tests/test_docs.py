"""The README starts with how to run the project, and the documentation it points to is in
this repository and names every state the code has."""

import re
from pathlib import Path

from engagements.models import EngagementStatus
from outcomes.credit.models import CreditStatus
from payments.models import PaymentStatus, Payout
from projects.models import ApplicationStatus, ProjectStatus

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
LIFECYCLES = (ROOT / "docs" / "lifecycles.md").read_text()


def test_the_readme_opens_with_the_two_commands_and_the_demo_logins():
    first_screen = "\n".join(README.splitlines()[:40])

    assert "## Quick start" in first_screen
    assert "make run" in first_screen and "make test" in first_screen
    assert "student@demo.test" in README.split("## What it does")[0]
    # The password lives in one place and is printed by `make run`.
    assert "DEMO_PASSWORD" in README
    from demo.accounts import DEMO_PASSWORD

    assert DEMO_PASSWORD not in README


def test_every_relative_link_of_the_documentation_is_in_the_repository():
    for page in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        text = page.read_text()
        assert "../shared" not in text and "DESIGN.md" not in text, page.name
        for target in re.findall(r"\]\(([^)#]+)", text):
            if not re.match(r"[a-z]+:", target):
                assert (page.parent / target).exists(), f"{page.name} → {target}"
    assert "(docs/architecture.md)" in README and "(docs/lifecycles.md)" in README


def test_the_life_cycles_name_every_status_of_the_code():
    for statuses in (
        ProjectStatus,
        ApplicationStatus,
        EngagementStatus,
        PaymentStatus,
        CreditStatus,
    ):
        for value in statuses.values:
            assert f"`{value}`" in LIFECYCLES or f" {value}" in LIFECYCLES, value
    for value in Payout.Status.values:
        assert value in LIFECYCLES, value
    assert LIFECYCLES.count("```mermaid") >= 4

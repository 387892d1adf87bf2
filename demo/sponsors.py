"""Demo sponsored fees: Northbridge State University's access fund pays half the fee for
nonprofits and small businesses that hire its students. Its manager (the demo career
services account) has added funds once, and one engagement is sponsored and funded."""

from django.utils import timezone

from accounts.models import Organization, School, User
from demo.projects import _apply, _create_project, _fund
from engagements import services as engagements
from payments.models import Sponsor
from payments.services import sponsors
from projects.models import Project

SPONSOR = "Northbridge Access Fund"
MANAGER = "staff@demo.test"
STUDENT = "sofia.reyes@demo.test"
DEPOSIT_CENTS = 200000
SPONSORED_PROJECT = {
    "organization": "Cobalt Outdoor Co.",
    "title": "Survey 30 trail-running clubs about their gear needs",
    "summary": "Reach 30 clubs, ask five questions, and sum up what they told you.",
    "description": (
        "We are planning next season's trail-running line and want to hear from clubs. You "
        "will contact 30 clubs, ask our five questions and write a short summary."
    ),
    "deliverables": "- A sheet of the answers\n- A two-page summary of what clubs need",
    "category": "industry_research",
    "skills": ["Market research", "Excel"],
    "hours": 12,
    "fee_cents": 24000,
    "days_to_complete": 14,
    "apply_in_days": 7,
    "posted_days_ago": 1,
    "openings": 1,
    "is_remote": True,
    "location": "",
    "questions": [],
    "status": "open",
}


def seed_sponsors() -> bool:
    """True if anything was created."""
    if Sponsor.objects.filter(name=SPONSOR).exists():
        return False
    school = School.objects.filter(short_name="NSU").first()
    manager = User.objects.filter(email=MANAGER).first()
    student = User.objects.filter(email=STUDENT).first()
    organization = Organization.objects.filter(name=SPONSORED_PROJECT["organization"]).first()
    owner = User.objects.filter(employer_profile__organization=organization).first()
    if None in (school, manager, student, organization, owner):
        return False
    sponsor = Sponsor.objects.create(
        name=SPONSOR,
        share_percent=50,
        covers_nonprofits=True,
        covers_small_businesses=True,
    )
    sponsor.schools.add(school)
    sponsor.managers.add(manager)
    deposit = sponsors.deposit_start(actor=manager, sponsor=sponsor, amount_cents=DEPOSIT_CENTS)
    sponsors.local_deposit_complete(actor=manager, deposit=deposit, succeed=True)
    if not Project.objects.filter(title=SPONSORED_PROJECT["title"]).exists():
        project = _create_project(SPONSORED_PROJECT, organization, owner, timezone.now())
        application = _apply(
            student, project, "I survey people for my public health classes every term."
        )
        engagement = engagements.application_accept(actor=owner, application=application)
        _fund(engagement)
    return True

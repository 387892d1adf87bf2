"""Demo payouts: the main demo student's earnings page shows a payout that arrived in the
bank and one still in transit, and a bonus an employer gave on approved work, with their
tax information (W-9) given."""

from django.utils import timezone

from accounts.models import Organization, User
from demo.projects import _create_project, work_and_submit
from engagements import services as engagements
from payments import services as payments
from payments.models import Payout
from payments.services import tracker
from projects.models import Project

STUDENT = "student@demo.test"
# Done and paid by the main demo student (a project of its own, so the open projects other
# demo users apply to stay as they are).
PAID_PROJECT = {
    "organization": "Parcel & Post Logistics",
    "title": "Clean up the delivery-zone list for 40 postcodes",
    "summary": "Check each postcode's delivery zone against the carrier's current map.",
    "description": (
        "Our zone list has drifted from the carrier's map. You will compare the two for "
        "40 postcodes and list every difference with the carrier's source."
    ),
    "deliverables": "- The corrected zone list\n- A short list of the changes, with sources",
    "category": "data_entry",
    "skills": ["Excel"],
    "hours": 8,
    "fee_cents": 16000,
    "days_to_complete": 7,
    "apply_in_days": 5,
    "posted_days_ago": 2,
    "openings": 1,
    "is_remote": True,
    "location": "",
    "questions": [],
    "status": "open",
}


def seed_payouts() -> bool:
    """True if anything was created."""
    student = User.objects.filter(email=STUDENT).first()
    if student is None or not hasattr(student, "payout_account"):
        return False
    if Payout.objects.filter(student=student, delivery=Payout.Delivery.PAID).exists():
        return False
    if Project.objects.filter(title=PAID_PROJECT["title"]).exists():
        return False
    organization = Organization.objects.filter(name=PAID_PROJECT["organization"]).first()
    owner = User.objects.filter(employer_profile__organization=organization).first()
    if organization is None or owner is None:
        return False
    project = _create_project(PAID_PROJECT, organization, owner, timezone.now())
    engagement = work_and_submit(
        student,
        project,
        cover_note="I have done this kind of work for a class project and would love to help.",
        quarters=16,
        did="Did the work in the brief and wrote up what I found.",
        note="Everything in the brief, with a short write-up.",
        link="https://example.com/shared/payout-demo",
    )
    engagements.submission_approve(
        actor=owner, engagement=engagement, comment="Thank you, this is exactly right."
    )
    # The employer thanks the student with a bonus, paid on the test-mode payment page.
    bonus = payments.bonus_offer(
        actor=owner,
        engagement=engagement,
        amount_cents=4000,
        message="You found three zones the carrier had moved: thank you for the extra care.",
    )
    payment = payments.payment_start(actor=owner, engagement=engagement, bonus=bonus)
    payments.local_payment_complete(actor=owner, payment=payment, succeed=True)
    # The earlier payout has reached the bank; the one just approved is on its way.
    earlier = (
        Payout.objects.filter(student=student, delivery=Payout.Delivery.IN_TRANSIT)
        .exclude(engagement=engagement)
        .order_by("paid_at")
        .first()
    )
    if earlier is not None:
        tracker.local_bank_payout_finish(actor=student, payout=earlier, arrived=True)
    return True

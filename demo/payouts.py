"""Demo payouts: the main demo student's earnings page shows a payout that arrived in the
bank and one still in transit, with their tax information (W-9) given."""

from accounts.models import User
from demo.projects import work_and_submit
from engagements import services as engagements
from engagements.models import Engagement
from payments.models import Payout
from payments.services import tracker
from projects.models import Application, Project, ProjectStatus

STUDENT = "student@demo.test"


def seed_payouts() -> bool:
    """True if anything was created."""
    student = User.objects.filter(email=STUDENT).first()
    if student is None or not hasattr(student, "payout_account"):
        return False
    if Payout.objects.filter(student=student, delivery=Payout.Delivery.PAID).exists():
        return False
    worked_for = Engagement.objects.filter(student=student).values("organization_id")
    project = next(
        (
            p
            for p in Project.objects.filter(status=ProjectStatus.OPEN)
            .exclude(organization_id__in=worked_for)
            .exclude(pk__in=Application.objects.filter(student=student).values("project_id"))
            .select_related("organization")
            .order_by("pk")
            if p.is_open_for_applications and p.organization.is_verified
        ),
        None,
    )
    if project is None:
        return False
    owner = User.objects.filter(employer_profile__organization_id=project.organization_id).first()
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

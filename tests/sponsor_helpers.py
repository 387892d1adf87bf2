"""Sponsors the way platform admins and managers make them, on the local (test-mode) gateway."""

from django.utils import timezone

from engagements import services as engagements
from payments.models import Sponsor
from payments.services import sponsors
from tests.factories import (
    CareerStaffFactory,
    OrganizationFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)
from tests.helpers import run_after_commit


def add_funds(sponsor, cents, *, manager=None):
    """A manager adds funds on the test-mode payment page."""
    manager = manager or sponsor.managers.first()
    deposit = sponsors.deposit_start(actor=manager, sponsor=sponsor, amount_cents=cents)
    deposit = sponsors.local_deposit_complete(actor=manager, deposit=deposit, succeed=True)
    run_after_commit()
    return deposit


def make_sponsor(school, *, budget_cents=100000, share_percent=50, **rules):
    """A sponsor of `school`'s students, managed by one of its career staff, with a budget."""
    rules.setdefault("covers_nonprofits", True)
    sponsor = Sponsor.objects.create(
        name=rules.pop("name", f"{school.name} Access Fund"), share_percent=share_percent, **rules
    )
    sponsor.schools.add(school)
    sponsor.managers.add(CareerStaffFactory(school=school).user)
    if budget_cents:
        add_funds(sponsor, budget_cents)
    return sponsor


def nonprofit(**kwargs):
    kwargs.setdefault("verified", True)
    return OrganizationFactory(industry="nonprofit", size="201-1000", **kwargs)


def engagement_at(school, *, organization=None, fee_cents=40000, hours=20):
    """An accepted engagement, not yet funded, of a student of `school`."""
    organization = organization or nonprofit()
    return accepted_engagement(
        project=ProjectFactory(organization=organization, fee_cents=fee_cents, hours=hours),
        student=StudentFactory(school=school).user,
        funded=False,
    )


def log_and_ask_to_cancel(engagement, *, quarters=12):
    """Part of the work done, then the employer asks to cancel: a dispute to settle."""
    engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=quarters,
        description="Half the work",
    )
    engagements.engagement_request_cancel(
        actor=employer_of(engagement.project), engagement=engagement, reason="Not happy"
    )
    run_after_commit()
    engagement.refresh_from_db()
    return engagement

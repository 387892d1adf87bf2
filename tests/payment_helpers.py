"""Paying for engagements the way users do, on the local (test-mode) gateway."""

from payments import services as payments
from tests.factories import accepted_engagement, employer_of
from tests.helpers import run_after_commit


def fund(engagement):
    """The employer pays for the engagement on the test-mode payment page."""
    employer = employer_of(engagement.project)
    payment = payments.engagement_fund(actor=employer, engagement=engagement)
    payments.local_payment_complete(actor=employer, payment=payment, succeed=True)
    run_after_commit()
    engagement.refresh_from_db()
    return payment


def funded_engagement(**kwargs):
    engagement = accepted_engagement(funded=False, **kwargs)
    fund(engagement)
    return engagement


def connect(student):
    """The student connects a (test-mode) payout account."""
    payments.payout_account_start(user=student, refresh_url="/r", return_url="/b")
    account = payments.local_account_complete(user=student)
    run_after_commit()
    return account


def disputed_engagement(*, hours=20, fee_cents=40000, quarters=12):
    """A funded engagement, part done, whose employer asked to cancel: a dispute to settle."""
    from django.utils import timezone

    from engagements import services as engagements
    from tests.factories import ProjectFactory

    engagement = funded_engagement(project=ProjectFactory(hours=hours, fee_cents=fee_cents))
    connect(engagement.student)
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


# 20 hours for $400 in three milestones: 6 h for $120, 8 h for $160, 6 h for $120.
THREE_MILESTONES = ((24, 12000), (32, 16000), (24, 12000))


def milestone_project(plan=THREE_MILESTONES, **fields):
    """An open project whose fee is split into milestones (quarter hours, cents)."""
    from projects.models import ProjectMilestone
    from tests.factories import ProjectFactory

    fields.setdefault("hours", sum(q for q, _ in plan) // 4)
    fields.setdefault("fee_cents", sum(a for _, a in plan))
    project = ProjectFactory(**fields)
    for number, (quarters, amount) in enumerate(plan, start=1):
        ProjectMilestone.objects.create(
            project=project,
            number=number,
            title=f"Part {number}",
            deliverable=f"The deliverable of part {number}",
            quarters=quarters,
            amount_cents=amount,
        )
    return project


def milestone_engagement(plan=THREE_MILESTONES, **fields):
    """A funded engagement on a milestone project, the student's payout account connected."""
    engagement = funded_engagement(project=milestone_project(plan, **fields))
    connect(engagement.student)
    return engagement

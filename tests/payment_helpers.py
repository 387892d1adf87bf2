"""Paying for engagements the way users do, on the local (test-mode) gateway."""

from payments import services as payments
from tests.factories import accepted_engagement, employer_of


def fund(engagement):
    """The employer pays for the engagement on the test-mode payment page."""
    employer = employer_of(engagement.project)
    payment = payments.engagement_fund(actor=employer, engagement=engagement)
    payments.local_payment_complete(actor=employer, payment=payment, succeed=True)
    engagement.refresh_from_db()
    return payment


def funded_engagement(**kwargs):
    engagement = accepted_engagement(funded=False, **kwargs)
    fund(engagement)
    return engagement


def connect(student):
    """The student connects a (test-mode) payout account."""
    payments.payout_account_start(user=student, refresh_url="/r", return_url="/b")
    return payments.local_account_complete(user=student)

"""What follows a committed change (sessions planned, records issued, projects closed,
flags refreshed) never undoes it: it runs after the commit, is retried when it fails, is
caught up by its app's reconciliation when it keeps failing, and has one effect however
often it runs.

These tests commit for real (transaction=True): the signals go out as they do in
production, once the money's transaction has committed.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from engagements import services as engagements
from engagements.models import Engagement, EngagementStatus
from feedback import services as feedback_services
from feedback import tasks as feedback_tasks
from feedback.models import FeedbackSession, SessionStatus
from marketplace.celery import app as celery_app
from outcomes import records
from outcomes import tasks as outcome_tasks
from outcomes.models import Invitation, InvitationStatus, VerifiedExperience
from oversight import tasks as oversight_tasks
from oversight.models import Flag
from payments import services as payments
from payments.models import LedgerEntry, Payment, Payout, Refund
from projects import services as project_services
from projects import tasks as project_tasks
from projects.models import ApplicationStatus, ProjectStatus
from tests.factories import (
    AdminFactory,
    ApplicationFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)
from tests.payment_helpers import connect, disputed_engagement, fund

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _tasks_retry_as_a_worker_would():
    """Tasks run in the test's process (eagerly); let a failing one be retried there, by its
    own retry policy, as a worker would, instead of raising at the first failure."""
    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = propagates


class Flaky:
    """Stands in for a receiver's service: fails the first `failures` calls, then does the
    real work."""

    def __init__(self, real, failures):
        self.real, self.failures, self.calls = real, failures, 0

    def __call__(self, **kwargs):
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError("the calendar service is down")
        return self.real(**kwargs)


def submit(engagement):
    engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=8,
        description="Did the work",
    )
    engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(note="Done", links=["https://example.com/w"], files=[]),
    )


# --- A failing receiver never undoes money, and is retried -------------------------------


def test_a_session_planner_that_fails_once_leaves_the_payment_and_is_retried(monkeypatch):
    engagement = accepted_engagement(funded=False)
    planner = Flaky(feedback_services.sessions_plan, failures=1)
    monkeypatch.setattr(feedback_services, "sessions_plan", planner)

    payment = fund(engagement)

    payment.refresh_from_db()
    engagement.refresh_from_db()
    assert payment.status == "succeeded"
    assert engagement.status == EngagementStatus.ACTIVE
    assert LedgerEntry.objects.filter(payment=payment).count() == 2
    assert planner.calls == 2
    assert FeedbackSession.objects.filter(engagement=engagement, kind="kickoff").count() == 1


def test_a_session_planner_that_keeps_failing_is_caught_up_by_the_reconciliation(monkeypatch):
    engagement = accepted_engagement(funded=False)
    planner = Flaky(feedback_services.sessions_plan, failures=1000)
    monkeypatch.setattr(feedback_services, "sessions_plan", planner)

    payment = fund(engagement)

    payment.refresh_from_db()
    engagement.refresh_from_db()
    assert payment.status == "succeeded"
    assert engagement.status == EngagementStatus.ACTIVE
    assert LedgerEntry.objects.filter(payment=payment).count() == 2
    assert planner.calls > 1  # retried before giving up
    assert not FeedbackSession.objects.filter(engagement=engagement).exists()

    monkeypatch.undo()
    assert feedback_services.sessions_reconcile() >= 1
    assert FeedbackSession.objects.filter(engagement=engagement, kind="kickoff").count() == 1
    assert feedback_services.sessions_reconcile() == 0


def test_a_failing_record_issuer_leaves_the_approval_and_the_payout(monkeypatch):
    engagement = accepted_engagement()
    connect(engagement.student)
    submit(engagement)
    monkeypatch.setattr(
        records, "experience_record", Flaky(records.experience_record, failures=1000)
    )

    engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)

    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.PAID
    assert Payout.objects.get(engagement=engagement).status == Payout.Status.PAID
    assert LedgerEntry.objects.filter(engagement=engagement, kind="payout").count() == 1
    assert not VerifiedExperience.objects.filter(engagement=engagement).exists()

    monkeypatch.undo()
    assert records.experiences_reconcile() == 1
    assert VerifiedExperience.objects.filter(engagement=engagement).count() == 1
    assert records.experiences_reconcile() == 0


def test_a_failing_session_closer_leaves_the_settlement(monkeypatch):
    engagement = disputed_engagement()
    FeedbackSession.objects.create(
        engagement=engagement, kind="check_in", scheduled_at=timezone.now() + timedelta(days=3)
    )
    monkeypatch.setattr(
        feedback_services, "sessions_close", Flaky(feedback_services.sessions_close, 1000)
    )

    payments.dispute_settle(
        actor=AdminFactory(), engagement=engagement, student_cents=15000, note="Half the work"
    )

    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.CANCELLED
    assert engagement.settled_at is not None
    assert Payout.objects.get(engagement=engagement).amount_cents == 15000
    assert Refund.objects.filter(payment__engagement=engagement).exists()
    upcoming = FeedbackSession.objects.filter(engagement=engagement, status="scheduled")
    assert upcoming.filter(scheduled_at__gt=timezone.now()).exists()

    monkeypatch.undo()
    feedback_services.sessions_reconcile()
    assert not upcoming.filter(scheduled_at__gt=timezone.now()).exists()


def test_a_failing_project_closer_leaves_the_suspension(monkeypatch):
    project = ProjectFactory()
    waiting = ApplicationFactory(project=project)
    monkeypatch.setattr(
        project_services,
        "projects_close_for_suspension",
        Flaky(project_services.projects_close_for_suspension, 1000),
    )

    account_services.organization_suspend(
        actor=AdminFactory(), organization=project.organization, reason="Reported as a scam"
    )

    project.organization.refresh_from_db()
    project.refresh_from_db()
    assert project.organization.suspended_at is not None
    assert project.status == ProjectStatus.OPEN

    monkeypatch.undo()
    assert project_services.projects_close_for_suspensions_reconcile() == 1
    project.refresh_from_db()
    waiting.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    assert waiting.status == ApplicationStatus.DECLINED


# --- Each receiver, run twice, has one effect ---------------------------------------------


def test_planning_sessions_twice_plans_them_once():
    engagement = accepted_engagement()
    planned = FeedbackSession.objects.filter(engagement=engagement).count()
    assert planned >= 1

    feedback_tasks.plan_sessions.delay(engagement.pk)
    feedback_tasks.plan_sessions.delay(engagement.pk)

    assert FeedbackSession.objects.filter(engagement=engagement).count() == planned


def test_the_final_review_is_planned_once_however_often_it_is_asked_for():
    engagement = accepted_engagement()
    submit(engagement)

    feedback_tasks.plan_final_review.delay(engagement.pk)
    feedback_tasks.plan_final_review.delay(engagement.pk)

    assert FeedbackSession.objects.filter(engagement=engagement, kind="final_review").count() == 1


def test_closing_sessions_twice_cancels_each_once_and_keeps_the_final_review():
    engagement = accepted_engagement()
    submit(engagement)
    engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)

    feedback_tasks.close_sessions.delay(engagement.pk)
    feedback_tasks.close_sessions.delay(engagement.pk)

    sessions = FeedbackSession.objects.filter(engagement=engagement)
    ahead = sessions.filter(scheduled_at__gt=timezone.now())
    assert not ahead.exclude(kind="final_review").filter(status=SessionStatus.SCHEDULED)
    assert ahead.filter(kind="final_review", status=SessionStatus.SCHEDULED).count() == 1


def test_issuing_a_record_twice_issues_one():
    engagement = accepted_engagement()
    submit(engagement)
    engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)
    code = VerifiedExperience.objects.get(engagement=engagement).code

    outcome_tasks.issue_record.delay(engagement.pk)
    outcome_tasks.issue_record.delay(engagement.pk)

    assert list(
        VerifiedExperience.objects.filter(engagement=engagement).values_list("code", flat=True)
    ) == [code]


def test_marking_an_invitation_applied_twice_changes_it_once():
    project = ProjectFactory()
    student = StudentFactory().user
    invitation = Invitation.objects.create(
        project=project, student=student, invited_by=employer_of(project)
    )
    application = ApplicationFactory(project=project, student=student)

    first = outcome_tasks.mark_invitation_applied.delay(application.pk).get()
    second = outcome_tasks.mark_invitation_applied.delay(application.pk).get()

    invitation.refresh_from_db()
    assert (first, second) == (1, 0)
    assert invitation.status == InvitationStatus.APPLIED


def test_closing_a_suspended_organizations_projects_twice_tells_applicants_once():
    project = ProjectFactory()
    ApplicationFactory(project=project)
    account_services.organization_suspend(
        actor=AdminFactory(), organization=project.organization, reason="Reported as a scam"
    )
    from accounts.models import Notification

    told = Notification.objects.filter(kind="project.closed").count()

    assert project_tasks.close_for_suspension.delay(project.organization_id).get() == 0
    assert Notification.objects.filter(kind="project.closed").count() == told == 1


def test_refreshing_an_engagements_flags_twice_resolves_each_once():
    engagement = accepted_engagement()
    Engagement.objects.filter(pk=engagement.pk).update(due_at=timezone.now() - timedelta(days=2))
    oversight_tasks.raise_integrity_flags.delay()
    assert Flag.objects.filter(engagement=engagement, rule="overdue", status="open").count() == 1
    submit(engagement)
    engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)

    oversight_tasks.refresh_flags.delay(engagement.pk)
    oversight_tasks.refresh_flags.delay(engagement.pk)

    flags = Flag.objects.filter(engagement=engagement, rule="overdue")
    assert flags.count() == 1
    assert flags.get().status == "resolved"


def test_payments_are_recorded_once_whatever_the_receivers_do():
    engagement = accepted_engagement(funded=False)
    payment = fund(engagement)

    feedback_tasks.plan_sessions.delay(engagement.pk)

    assert Payment.objects.filter(engagement=engagement).count() == 1
    assert LedgerEntry.objects.filter(payment=payment).count() == 2

"""Integrity rules for career services: one definition used by the admin's columns and
filters and by the periodic sweep that raises flags automatically.

Every figure is computed in the database as an annotation, so a list of ten
thousand engagements costs the same few queries as a list of ten.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone

from accounts.models import AuthorizationStatus, StudentProfile, WorkAuthorization
from engagements.models import Engagement, EngagementStatus, Submission
from feedback.models import FeedbackSession, SessionStatus
from marketplace.domain_events import send_after_commit
from oversight.models import Flag, FlagRule
from oversight.signals import flag_raised

HOURS_FLAG_PERCENT = 90
NO_SESSION_DAYS = 10
LIVE = (
    EngagementStatus.ACTIVE,
    EngagementStatus.SUBMITTED,
    EngagementStatus.REVISION_REQUESTED,
)


def _sessions(**filters) -> Subquery:
    return Subquery(
        FeedbackSession.objects.filter(engagement=OuterRef("pk"), **filters)
        .order_by()
        .values("engagement")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def with_integrity(queryset: QuerySet[Engagement], now=None) -> QuerySet[Engagement]:
    """Annotate engagements with the figures career services watch."""
    now = now or timezone.now()
    floor = settings.HOURLY_RATE_FLOOR_CENTS
    last_held = Subquery(
        FeedbackSession.objects.filter(engagement=OuterRef("pk"), status=SessionStatus.HELD)
        .order_by()
        .values("engagement")
        .annotate(last=Max("scheduled_at"))
        .values("last")
    )
    review_time = Subquery(
        Submission.objects.filter(engagement=OuterRef("pk"), reviewed_at__isnull=False)
        .order_by()
        .values("engagement")
        .annotate(
            avg=Avg(
                ExpressionWrapper(
                    F("reviewed_at") - F("submitted_at"), output_field=DurationField()
                )
            )
        )
        .values("avg"),
        output_field=DurationField(),
    )
    figures = queryset.annotate(
        hours_percent=Cast(F("logged_quarters") * 100, FloatField()) / F("cap_quarters"),
        # Fee ÷ hours logged, in cents an hour (no hours logged: no rate yet).
        effective_rate_cents=Case(
            When(logged_quarters=0, then=Value(None)),
            default=Cast(F("fee_cents") * 4, FloatField()) / F("logged_quarters"),
            output_field=FloatField(),
        ),
        sessions_planned=Coalesce(
            _sessions(scheduled_at__lte=now, status__in=["scheduled", "held", "missed"]), 0
        ),
        sessions_held=Coalesce(_sessions(status=SessionStatus.HELD), 0),
        sessions_missed=Coalesce(_sessions(status=SessionStatus.MISSED), 0),
        sessions_missed_recently=Coalesce(
            _sessions(
                status=SessionStatus.MISSED,
                scheduled_at__gte=now - timedelta(days=NO_SESSION_DAYS),
            ),
            0,
        ),
        last_session_held_at=last_held,
        average_review_time=review_time,
    )
    no_recent_session = (
        Q(status__in=LIVE)
        & Q(funded_at__lte=now - timedelta(days=NO_SESSION_DAYS))
        & (
            Q(last_session_held_at__isnull=True)
            | Q(last_session_held_at__lte=now - timedelta(days=NO_SESSION_DAYS))
        )
    )
    # The comparisons are multiplied out rather than divided: the database divides integers
    # as integers, which would flag 25 of 28 quarter hours (89.3%) as 90%.
    return figures.annotate(
        flag_hours=_bool(
            Q(
                GreaterThanOrEqual(
                    F("logged_quarters") * 100, F("cap_quarters") * HOURS_FLAG_PERCENT
                )
            )
        ),
        flag_rate=_bool(
            Q(logged_quarters__gt=0) & Q(LessThan(F("fee_cents") * 4, F("logged_quarters") * floor))
        ),
        flag_no_recent_session=_bool(no_recent_session),
        flag_supervision=_bool((Q(status__in=LIVE) & Q(sessions_missed__gt=0)) | no_recent_session),
        flag_overdue=_bool(
            Q(status__in=[EngagementStatus.ACTIVE, EngagementStatus.REVISION_REQUESTED])
            & Q(due_at__lt=now)
        ),
    )


def _bool(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def flagged(queryset: QuerySet[Engagement]) -> QuerySet[Engagement]:
    """Engagements that break a rule now or have an open flag (automatic or raised by staff).

    Needs with_integrity() first."""
    open_flag = Flag.objects.filter(engagement=OuterRef("pk"), status=Flag.Status.OPEN)
    return queryset.filter(
        Q(flag_hours=True)
        | Q(flag_rate=True)
        | Q(flag_supervision=True)
        | Q(flag_overdue=True)
        | Exists(open_flag)
    )


RULES = {
    FlagRule.HOURS_NEAR_CAP: (
        "flag_hours",
        f"Hours logged reached {HOURS_FLAG_PERCENT}% of the cap.",
    ),
    FlagRule.RATE_UNDER_FLOOR: (
        "flag_rate",
        "Fee ÷ hours logged is under the hourly floor.",
    ),
    FlagRule.SESSION_MISSED: (
        "sessions_missed_recently",
        f"A feedback session was marked missed in the last {NO_SESSION_DAYS} days.",
    ),
    FlagRule.NO_RECENT_SESSION: (
        "flag_no_recent_session",
        f"No feedback session held in the last {NO_SESSION_DAYS} days.",
    ),
    FlagRule.OVERDUE: ("flag_overdue", "The work is past its due date."),
}


def cpt_mismatches(scope: QuerySet[Engagement], day) -> QuerySet[Engagement]:
    """Engagements under way of a student whose verified CPT does not cover them: another
    employer, or dates outside the CPT's (it was changed after acceptance, say). A CPT that
    has ended is the expired-authorization rule's, not this one's."""
    profile = "student__student_profile__"
    return scope.exclude(StudentProfile.expired_authorizations(day, prefix=profile)).filter(
        ~Q(organization_id=F(f"{profile}cpt_organization_id"))
        | Q(accepted_at__date__lt=F(f"{profile}authorization_valid_from"))
        | Q(due_at__date__gt=F(f"{profile}authorization_valid_until")),
        **{
            f"{profile}work_authorization": WorkAuthorization.F1_CPT,
            f"{profile}work_authorization_status": AuthorizationStatus.VERIFIED,
        },
        status__in=[EngagementStatus.AWAITING_FUNDING, *LIVE],
    )


def raise_automatic_flags(now=None, engagement_id: int | None = None) -> int:
    """Periodic: open one flag per engagement and broken rule, and resolve the automatic
    flags whose rule holds again. A fixed number of queries per rule, whatever the rows.
    With `engagement_id`, only that engagement's flags (after its work ended, say).

    Returns how many more automatic flags are open than before."""
    now = now or timezone.now()
    scope = Engagement.objects.all()
    if engagement_id is not None:
        scope = scope.filter(pk=engagement_id)
    base = with_integrity(scope.filter(status__in=LIVE), now=now)
    open_flags = Flag.objects.filter(status=Flag.Status.OPEN)
    if engagement_id is not None:
        open_flags = open_flags.filter(engagement_id=engagement_id)
    before = open_flags.exclude(rule="").count()
    broken_by_rule = {
        rule: base.filter(
            **({f"{column}__gt": 0} if column.startswith("sessions_") else {column: True})
        )
        for rule, (column, _) in RULES.items()
    }
    broken_by_rule[FlagRule.AUTHORIZATION_EXPIRED] = scope.filter(
        StudentProfile.expired_authorizations(
            timezone.localdate(now), prefix="student__student_profile__"
        ),
        status__in=[EngagementStatus.AWAITING_FUNDING, *LIVE],
    )
    broken_by_rule[FlagRule.CPT_MISMATCH] = cpt_mismatches(scope, timezone.localdate(now))
    notes = {rule: note for rule, (_, note) in RULES.items()}
    notes[FlagRule.AUTHORIZATION_EXPIRED] = (
        "The student's work authorization expired while the engagement is under way."
    )
    notes[FlagRule.CPT_MISMATCH] = (
        "The student's verified CPT names another employer, or its dates do not cover this "
        "engagement (accepted before the CPT starts or due after it ends)."
    )
    for rule, broken in broken_by_rule.items():
        # A flag career services resolved themselves is not raised again for that engagement.
        broken = broken.exclude(
            Exists(
                Flag.objects.filter(engagement=OuterRef("pk"), rule=rule, resolved_by__isnull=False)
            )
        )
        with transaction.atomic():
            Flag.objects.bulk_create(
                [
                    Flag(
                        school_id=school_id,
                        engagement_id=pk,
                        rule=rule,
                        note=notes[rule],
                        raised_at=now,
                    )
                    for pk, school_id in broken.values_list("pk", "school_id").iterator()
                ],
                ignore_conflicts=True,
                batch_size=1000,
            )
            # Fixed since (a session was held, the work handed in, …) or the engagement is
            # over: close the flag. Staff flags (no rule) are left to staff.
            open_flags.filter(rule=rule).exclude(engagement__in=broken.values("pk")).update(
                status=Flag.Status.RESOLVED,
                resolved_at=now,
                resolution="Resolved automatically: the rule holds again "
                "or the engagement is no longer under way.",
            )
    # The flags this run opened (a conflict with an open one creates nothing), announced
    # once committed; receivers are idempotent, so a rerun with the same `now` is harmless.
    for flag_id in open_flags.exclude(rule="").filter(raised_at=now).values_list("pk", flat=True):
        send_after_commit(flag_raised, sender=Flag, flag_id=flag_id)
    after = open_flags.exclude(rule="").count()
    return max(after - before, 0)

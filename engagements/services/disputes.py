"""Disputes with deadlines: what follows a cancellation asked for after hours were logged.

1. Opening (inside `engagement_request_cancel`): the other side has
   DISPUTE_RESPONSE_BUSINESS_DAYS working days, to the end of the last one in their own time
   zone, to respond. The opener's reason is the first piece of evidence.
2. Evidence: either side adds statements pointing at the engagement's messages, time entries
   and delivered files. The other side's first evidence is its response: the dispute moves
   on to the platform's decision, due within DISPUTE_DECISION_BUSINESS_DAYS.
3. No response by the deadline: the sweep moves it on all the same, decided on the evidence
   in. A decision past its deadline is put before every platform admin.
4. The decision (payments' `dispute_settle`, through `engagement_settle`): written reasons
   and a split, recorded here.

Each step tells both sides, the career services of the student's school (when the student's
affiliation is verified) and, until it is decided, the platform admins.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.audit import audit
from accounts.models import StudentProfile, User
from accounts.notifications import notify
from accounts.selectors import career_staff_by_school, organization_employers, platform_admins
from engagements import lifecycle
from engagements.models import (
    Dispute,
    DisputeEvidence,
    DisputeStatus,
    Engagement,
    EngagementStatus,
    Message,
    SubmissionFile,
    TimeEntry,
)
from engagements.services.common import record_event, require_side, workspace_url
from marketplace.timezones import business_days_later, local_text

STATEMENT_MAX = DisputeEvidence._meta.get_field("statement").max_length


def school_staff(engagement: Engagement) -> list[User]:
    """The career services of the student's school, told of each step (verified students)."""
    profile = StudentProfile.objects.filter(user_id=engagement.student_id).first()
    if profile is None or not profile.affiliation_verified or profile.school_id is None:
        return []
    return career_staff_by_school([profile.school_id]).get(profile.school_id, [])


def _everyone(engagement: Engagement, *, admins: bool) -> list[User]:
    return [
        engagement.student,
        *organization_employers(engagement.organization_id),
        *school_staff(engagement),
        *(platform_admins() if admins else []),
    ]


def _decision_due(now: datetime) -> datetime:
    return business_days_later(now, settings.DISPUTE_DECISION_BUSINESS_DAYS, None)


def dispute_open(*, engagement: Engagement, actor: User, side: str, reason: str) -> Dispute:
    """Open the dispute of an engagement that just became disputed (inside the cancellation
    request's transaction, engagement locked)."""
    now = timezone.now()
    responding = Dispute.Side.EMPLOYER if side == Dispute.Side.STUDENT else Dispute.Side.STUDENT
    # The deadline is read in the zone of whoever must respond (an organization's first
    # employer stands for it).
    responder = (
        engagement.student
        if responding == Dispute.Side.STUDENT
        else next(iter(organization_employers(engagement.organization_id)), None)
    )
    dispute = Dispute.objects.create(
        engagement=engagement,
        opened_by=actor,
        opened_by_side=side,
        opened_at=now,
        response_due_at=business_days_later(
            now,
            settings.DISPUTE_RESPONSE_BUSINESS_DAYS,
            getattr(responder, "time_zone", None),
        ),
    )
    DisputeEvidence.objects.create(
        dispute=dispute, author=actor, side=side, statement=reason, submitted_at=now
    )
    return dispute


def _own(model, engagement: Engagement, ids, what: str) -> list:
    """The rows of `model` with those ids, all of this engagement's, or a ValidationError."""
    wanted = {int(i) for i in ids}
    if not wanted:
        return []
    if model is SubmissionFile:
        found = model.objects.filter(submission__engagement=engagement, pk__in=wanted)
    else:
        found = model.objects.filter(engagement=engagement, pk__in=wanted)
    if model is Message:
        # Only what was delivered: a message screening still holds is not evidence yet.
        found = found.filter(Q(held_at__isnull=True) | Q(released_at__isnull=False))
    found = list(found)
    if len(found) != len(wanted):
        raise ValidationError({what: "Choose only this engagement's own entries."})
    return found


@transaction.atomic(durable=True)
def dispute_evidence_add(
    *,
    actor: User,
    engagement: Engagement,
    statement: str,
    message_ids=(),
    time_entry_ids=(),
    file_ids=(),
) -> DisputeEvidence:
    """Either side puts a statement and the entries it points to before the platform. The
    other side's first evidence is its response."""
    engagement = lifecycle.lock(engagement)
    side = require_side(actor, engagement, "add evidence to a dispute")
    dispute = Dispute.objects.select_for_update().filter(engagement=engagement).first()
    if dispute is None or engagement.status != EngagementStatus.DISPUTED:
        raise ValidationError("There is no open dispute on this engagement.")
    if dispute.status == DisputeStatus.DECIDED:
        raise ValidationError("The dispute is decided: no more evidence can be added.")
    statement = statement.strip()
    if not statement:
        raise ValidationError({"statement": "Say what happened, in your own words."})
    if len(statement) > STATEMENT_MAX:
        raise ValidationError({"statement": f"At most {STATEMENT_MAX} characters."})
    messages = _own(Message, engagement, message_ids, "messages")
    entries = _own(TimeEntry, engagement, time_entry_ids, "time_entries")
    files = _own(SubmissionFile, engagement, file_ids, "files")
    now = timezone.now()
    evidence = DisputeEvidence.objects.create(
        dispute=dispute, author=actor, side=side, statement=statement, submitted_at=now
    )
    evidence.messages.set(messages)
    evidence.time_entries.set(entries)
    evidence.files.set(files)
    is_response = (
        side == dispute.responding_side and dispute.status == DisputeStatus.AWAITING_RESPONSE
    )
    if is_response:
        dispute.status = DisputeStatus.AWAITING_DECISION
        dispute.responded_at = now
        dispute.decision_due_at = _decision_due(now)
        dispute.save(update_fields=["status", "responded_at", "decision_due_at"])
    who = "student" if side == Dispute.Side.STUDENT else "employer"
    record_event(
        engagement,
        actor,
        "dispute_response" if is_response else "dispute_evidence",
        f"The {who} {'responded to the dispute' if is_response else 'added evidence'}: "
        f"{len(messages)} messages, {len(entries)} time entries, {len(files)} files referenced.",
    )
    audit(
        actor=actor,
        action="dispute.responded" if is_response else "dispute.evidence_added",
        target=dispute,
        summary=f"{actor.email} added evidence to the dispute on “{engagement.project.title}”",
        data={
            "evidence_id": evidence.pk,
            "messages": [m.pk for m in messages],
            "time_entries": [t.pk for t in entries],
            "files": [f.pk for f in files],
        },
    )
    details = f"{statement[:300]}"
    if is_response:
        details += (
            f"\n\nThe platform decides by {local_text(dispute.decision_due_at, None)}, "
            "with written reasons."
        )
    notify(
        recipients=[u for u in _everyone(engagement, admins=True) if u.pk != actor.pk],
        kind="dispute.evidence",
        key=f"dispute-{dispute.pk}-evidence-{evidence.pk}",
        message=(
            f"The {who} responded to the dispute on “{engagement.project.title}”"
            if is_response
            else f"New evidence in the dispute on “{engagement.project.title}”"
        ),
        url=workspace_url(engagement, "#dispute"),
        context={"details": details},
    )
    return evidence


def dispute_decided(
    *, engagement: Engagement, actor: User, student_cents: int, reasons: str, at: datetime
) -> Dispute | None:
    """Record the platform's decision (inside payments' settlement, engagement locked)."""
    dispute = Dispute.objects.select_for_update().filter(engagement=engagement).first()
    if dispute is None:
        return None
    if dispute.decision_due_at is None:
        dispute.decision_due_at = at
    dispute.status = DisputeStatus.DECIDED
    dispute.decided_at = at
    dispute.decided_by = actor
    dispute.decision_reasons = reasons
    dispute.student_cents = student_cents
    dispute.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "decision_reasons",
            "student_cents",
            "decision_due_at",
        ]
    )
    return dispute


def _move_on_unanswered(dispute_id: int, engagement_id: int, now: datetime) -> bool:
    with transaction.atomic():
        # The engagement first, then its dispute: the order every dispute service locks in.
        engagement = lifecycle.lock(engagement_id)
        dispute = (
            Dispute.objects.select_for_update()
            .filter(
                pk=dispute_id,
                status=DisputeStatus.AWAITING_RESPONSE,
                response_due_at__lte=now,
            )
            .first()
        )
        if dispute is None or engagement.status != EngagementStatus.DISPUTED:
            return False
        dispute.status = DisputeStatus.AWAITING_DECISION
        dispute.decision_due_at = _decision_due(now)
        dispute.save(update_fields=["status", "decision_due_at"])
        record_event(
            engagement,
            None,
            "dispute_unanswered",
            "No response by the deadline: the platform decides on the evidence in.",
        )
        audit(
            actor=None,
            action="dispute.unanswered",
            target=dispute,
            summary=f"No response to the dispute on “{engagement.project.title}” by the deadline",
        )
        notify(
            recipients=_everyone(engagement, admins=True),
            kind="dispute.unanswered",
            key=f"dispute-{dispute.pk}-unanswered",
            message=f"No response by the deadline in the dispute on “{engagement.project.title}”",
            url=workspace_url(engagement, "#dispute"),
            context={
                "details": "The platform decides on the evidence in, by "
                f"{local_text(dispute.decision_due_at, None)}, with written reasons."
            },
        )
        return True


def sweep_disputes(now: datetime | None = None) -> int:
    """Move on the disputes whose response deadline passed with no response, and put each
    decision past its deadline before the platform admins (once). How many were handled."""
    now = now or timezone.now()
    moved = sum(
        _move_on_unanswered(pk, engagement_id, now)
        for pk, engagement_id in Dispute.objects.filter(
            status=DisputeStatus.AWAITING_RESPONSE, response_due_at__lte=now
        ).values_list("pk", "engagement_id")
    )
    overdue = Dispute.objects.filter(
        status=DisputeStatus.AWAITING_DECISION, decision_due_at__lte=now
    ).select_related("engagement__project")
    told = 0
    admins = platform_admins()
    for dispute in overdue:
        sent = notify(
            recipients=admins,
            kind="dispute.decision_overdue",
            key=f"dispute-{dispute.pk}-decision-overdue",
            message=f"The decision on the dispute on “{dispute.engagement.project.title}” is "
            "overdue",
            url=workspace_url(dispute.engagement, "#dispute"),
            context={"details": f"It was due {local_text(dispute.decision_due_at, None)}."},
        )
        told += 1 if sent.count else 0
    return moved + told

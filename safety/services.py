"""Every change to a report: filing it, taking it on, acting on it, closing it.

Invariants:
- one open report per reporter and subject (a database constraint, checked here first so
  the reporter reads why);
- at most `REPORTS_PER_DAY` reports per person in 24 hours, counted under a lock on the
  reporter's row so two quick submissions cannot both slip under the limit;
- a closed report has a date and an outcome, and the reporter is told the outcome once;
- suspending from a report goes through the accounts services (their rules apply), and
  each action is written on the report and in the audit trail;
- every message screening holds is in the queue as a report the platform filed (no
  reporter), one per message, with the reason of the first rule it matched; when the
  student confirms the message it is delivered and the report says so, staying open for
  an admin to dismiss (a false positive) or act on.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.audit import audit
from accounts.models import Organization, Role, User
from accounts.notifications import notify
from engagements import screening
from engagements.models import Message
from projects.models import Project
from safety.models import Reason, Report

DETAILS_MAX = Report._meta.get_field("details").max_length
OUTCOME_MAX = Report._meta.get_field("outcome").max_length
Kind = Report.Kind
Status = Report.Status


def kind_of(subject) -> str:
    if isinstance(subject, Project):
        return Kind.PROJECT
    if isinstance(subject, Organization):
        return Kind.ORGANIZATION
    if isinstance(subject, Message):
        return Kind.MESSAGE
    if isinstance(subject, User):
        return Kind.USER
    raise TypeError(f"{type(subject).__name__} cannot be reported.")


def subject_key(subject) -> str:
    return f"{kind_of(subject)}:{subject.pk}"


def _student_school_id(user: User | None) -> int | None:
    if user is None or user.role != Role.STUDENT:
        return None
    profile = getattr(user, "student_profile", None)
    return profile.school_id if profile is not None else None


def _columns(subject) -> dict:
    """The report's columns for its subject: what it names and the organization behind it."""
    kind = kind_of(subject)
    if kind == Kind.PROJECT:
        return {"project": subject, "organization_id": subject.organization_id}
    if kind == Kind.ORGANIZATION:
        return {"organization": subject}
    if kind == Kind.MESSAGE:
        engagement = subject.engagement
        return {
            "message": subject,
            "reported_user_id": subject.author_id,
            "organization_id": engagement.organization_id,
            "school_id": engagement.school_id,
        }
    return {"reported_user": subject}


def _admins() -> list[User]:
    return list(User.objects.filter(is_superuser=True, is_active=True))


def _admin_url(report: Report) -> str:
    return reverse("admin:safety_report_change", args=[report.pk])


def _note_action(report: Report, line: str) -> None:
    stamp = timezone.now().strftime("%Y-%m-%d %H:%M UTC")
    report.actions_taken = (report.actions_taken + "\n" if report.actions_taken else "") + (
        f"{stamp}: {line}"
    )


@transaction.atomic
def report_create(*, actor: User, subject, reason: str, details: str) -> Report:
    """Anyone signed in reports something they can see (the view finds it through
    `safety.access.report_subject_or_404`). Platform admins are told at once."""
    kind = kind_of(subject)
    details = details.strip()
    errors = {}
    if reason not in Reason.values:
        errors["reason"] = "Choose the reason closest to what happened."
    if not details:
        errors["details"] = "Say what happened: what was asked, when, by whom."
    elif len(details) > DETAILS_MAX:
        errors["details"] = f"Keep it under {DETAILS_MAX:,} characters."
    if errors:
        raise ValidationError(errors)
    reporter = User.objects.select_for_update().get(pk=actor.pk)
    if not reporter.is_active:
        raise PermissionDenied("This account cannot file reports.")
    key = subject_key(subject)
    if Report.objects.filter(
        reporter=reporter, subject_key=key, status__in=Report.OPEN_STATUSES
    ).exists():
        raise ValidationError(
            "You have already reported this and the report is still open: we will tell you "
            "what we did."
        )
    since = timezone.now() - timedelta(hours=24)
    if Report.objects.filter(reporter=reporter, created_at__gte=since).count() >= (
        settings.REPORTS_PER_DAY
    ):
        raise ValidationError(
            f"You have filed {settings.REPORTS_PER_DAY} reports in the last 24 hours, the "
            "most we take from one account. If you are in danger or have lost money, "
            "contact your career services office now."
        )
    columns = _columns(subject)
    columns.setdefault("school_id", _student_school_id(reporter))
    if columns["school_id"] is None:
        columns["school_id"] = _student_school_id(columns.get("reported_user"))
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter,
                kind=kind,
                subject_key=key,
                reason=reason,
                details=details,
                **columns,
            )
    except IntegrityError as error:  # the same report filed at the same moment
        raise ValidationError("You have already reported this.") from error
    audit(
        actor=reporter,
        action="report.filed",
        target=report,
        summary=f"{reporter.email} reported {report.subject_label}: {report.get_reason_display()}",
        data={"kind": kind, "reason": reason},
    )
    notify(
        recipients=_admins(),
        kind="report.filed",
        key=f"report-{report.pk}-filed",
        message=f"New report: {report.get_reason_display()} ({report.subject_label})",
        url=_admin_url(report),
        context={"details": details},
    )
    return report


def _lock_for_admin(actor: User, report: Report) -> Report:
    if not actor.is_platform_admin:
        raise PermissionDenied("Only platform admins act on reports.")
    return Report.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def report_assign(*, actor: User, report: Report, assignee: User | None) -> Report:
    """A platform admin takes on a report (or hands it to another admin): it is in review."""
    report = _lock_for_admin(actor, report)
    if assignee is not None and not assignee.is_platform_admin:
        raise ValidationError({"assignee": "Assign reports to platform admins only."})
    if not report.is_open:
        raise ValidationError("This report is closed.")
    if report.assignee_id == (assignee.pk if assignee else None):
        return report
    report.assignee = assignee
    if assignee is not None:
        report.status = Status.IN_REVIEW
    _note_action(
        report,
        f"assigned to {assignee.email} by {actor.email}"
        if assignee
        else f"unassigned by {actor.email}",
    )
    report.save(update_fields=["assignee", "status", "actions_taken"])
    audit(
        actor=actor,
        action="report.assigned",
        target=report,
        summary=f"{actor.email} assigned report #{report.pk} to "
        f"{assignee.email if assignee else 'nobody'}",
    )
    return report


@transaction.atomic
def report_close(*, actor: User, report: Report, status: str, outcome: str) -> Report:
    """A platform admin closes a report, resolved or dismissed, and the reporter is told
    the outcome (the bell and an email, once)."""
    report = _lock_for_admin(actor, report)
    outcome = outcome.strip()
    if status not in (Status.RESOLVED, Status.DISMISSED):
        raise ValidationError({"status": "Close a report as resolved or dismissed."})
    if report.status == status and report.outcome == outcome:
        return report
    if not report.is_open:
        raise ValidationError("This report is already closed.")
    if not outcome:
        raise ValidationError({"outcome": "Say what you found and did; the reporter reads it."})
    if len(outcome) > OUTCOME_MAX:
        raise ValidationError({"outcome": f"Keep it under {OUTCOME_MAX:,} characters."})
    report.status = status
    report.outcome = outcome
    report.closed_at = timezone.now()
    report.closed_by = actor
    _note_action(report, f"{report.get_status_display().lower()} by {actor.email}")
    report.save(update_fields=["status", "outcome", "closed_at", "closed_by", "actions_taken"])
    audit(
        actor=actor,
        action=f"report.{status}",
        target=report,
        summary=f"{actor.email} closed report #{report.pk} as {report.get_status_display()}",
        data={"outcome": outcome},
    )
    if report.reporter is not None:  # the platform's own reports have no one to tell
        notify(
            recipients=[report.reporter],
            kind="report.closed",
            key=f"report-{report.pk}-closed",
            message=f"We looked into your report about {report.subject_label}",
            url=reverse("safety:my_reports"),
            context={"details": outcome},
        )
    return report


@transaction.atomic
def report_suspend_user(*, actor: User, report: Report, reason: str) -> Report:
    """Suspend the user a report names (the reported user, or a message's author)."""
    report = _lock_for_admin(actor, report)
    if report.reported_user_id is None:
        raise ValidationError("This report names no user to suspend.")
    user = account_services.user_suspend(actor=actor, user=report.reported_user, reason=reason)
    _note_action(report, f"suspended the account {user.email} ({reason.strip()})")
    report.save(update_fields=["actions_taken"])
    return report


@transaction.atomic
def report_suspend_organization(*, actor: User, report: Report, reason: str) -> Report:
    """Suspend the organization a report concerns; its open projects close once this
    commits (accounts' `organization_suspended` signal)."""
    report = _lock_for_admin(actor, report)
    if report.organization_id is None:
        raise ValidationError("This report concerns no organization.")
    org = account_services.organization_suspend(
        actor=actor, organization=report.organization, reason=reason
    )
    _note_action(report, f"suspended the organization {org.name} ({reason.strip()})")
    report.save(update_fields=["actions_taken"])
    return report


# --- Messages screening held ------------------------------------------------------------

# The report reason of each screening rule (engagements.screening.RULES).
RULE_REASONS = {
    "payment": Reason.ASKS_FOR_MONEY,
    "bank_or_card": Reason.ASKS_FOR_MONEY,
    "gift_cards": Reason.SCAM,
    "check_cashing": Reason.SCAM,
    "messaging_app": Reason.OFF_PLATFORM,
    "phone_number": Reason.OFF_PLATFORM,
    "personal_email": Reason.OFF_PLATFORM,
}
HELD_BATCH = 200


def reason_for_rules(held_for: str) -> str:
    """The reason of the first rule matched (rules are listed most serious first)."""
    for name in held_for.split(","):
        if name in RULE_REASONS:
            return RULE_REASONS[name]
    return Reason.SCAM


def _file_for_held(message: Message) -> Report | None:
    """Inside a transaction, the message row locked: its report, filed once."""
    if message.held_at is None:
        return None
    existing = Report.objects.filter(message=message, reporter__isnull=True).first()
    if existing is not None:
        return existing
    engagement = message.engagement
    warnings = screening.warnings_for(message.held_for)
    report = Report.objects.create(
        reporter=None,
        kind=Kind.MESSAGE,
        subject_key=subject_key(message),
        message=message,
        reported_user_id=message.author_id,
        organization_id=engagement.organization_id,
        school_id=engagement.school_id,
        reason=reason_for_rules(message.held_for),
        details="Held by screening before delivery: it "
        + "; it ".join(warnings)
        + f". Rules matched: {message.held_for}.",
        created_at=message.held_at,
        student_confirmed_at=message.released_at,
    )
    _note_action(report, "filed by screening; the message waits for the student's confirmation")
    if message.released_at is not None:
        _note_action(report, "the student read the warning and confirmed: delivered")
    report.save(update_fields=["actions_taken"])
    audit(
        actor=None,
        action="report.filed",
        target=report,
        summary=f"Screening held {report.subject_label}: {report.get_reason_display()}",
        data={"kind": Kind.MESSAGE, "reason": report.reason, "rules": message.held_for},
    )
    return report


@transaction.atomic
def report_file_for_held_message(*, message_id: int) -> Report | None:
    """The platform's report of a message screening held (after the hold committed, from
    the `message_held` signal, or the reconciliation). Safe to repeat."""
    message = (
        Message.objects.select_for_update()
        .select_related("engagement")
        .filter(pk=message_id)
        .first()
    )
    return _file_for_held(message) if message is not None else None


@transaction.atomic
def report_mark_student_confirmed(*, message_id: int) -> Report | None:
    """The student confirmed a held message and it was delivered: its report says so (and
    is filed first if it was still missing). Safe to repeat."""
    message = (
        Message.objects.select_for_update()
        .select_related("engagement")
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.released_at is None:
        return None
    report = _file_for_held(message)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.student_confirmed_at is not None:
        return report
    report.student_confirmed_at = message.released_at
    _note_action(report, "the student read the warning and confirmed: delivered")
    report.save(update_fields=["student_confirmed_at", "actions_taken"])
    audit(
        actor=None,
        action="report.student_confirmed",
        target=report,
        summary=f"The student confirmed {report.subject_label}; it was delivered",
    )
    return report


def held_reports_reconcile() -> int:
    """Periodic: held messages whose report is missing, and confirmed ones whose report
    does not say so yet (a lost task). At most `HELD_BATCH` of each a run."""
    platform_reports = Report.objects.filter(reporter__isnull=True)
    missing = list(
        Message.objects.filter(held_at__isnull=False)
        .exclude(pk__in=platform_reports.values("message_id"))
        .order_by("pk")
        .values_list("pk", flat=True)[:HELD_BATCH]
    )
    unconfirmed = list(
        platform_reports.filter(
            student_confirmed_at__isnull=True, message__released_at__isnull=False
        )
        .order_by("pk")
        .values_list("message_id", flat=True)[:HELD_BATCH]
    )
    for message_id in missing:
        report_file_for_held_message(message_id=message_id)
    for message_id in unconfirmed:
        report_mark_student_confirmed(message_id=message_id)
    return len(missing) + len(unconfirmed)

"""Close my account: what may stop it, and the erasure itself.

Closing keeps the user row, under the pseudonym "Former user #<id>", because the ledger,
the audit trail and the other side's records (messages, evaluations, projects, decisions)
point at it and must keep adding up. Everything else that names the person goes:

- their name, every email address they used, their profile's words and links are erased
  from every column of every row about them (the rows `datarights.graph` finds) and from
  the audit events, other people's notifications and the emails that named them;
- their own private records are deleted (notifications and their emails, email
  addresses, calendar feed, API tokens, join requests, talent-pool entries, full-time
  interest marks, data exports), and every file they hold (résumé, authorization
  document, deliverables) is deleted from storage;
- their pending applications are withdrawn; their verified experiences are revoked unless
  they chose to keep them public (they stay online under the pseudonym);
- they can no longer log in (no password, inactive) and their email address is free.

The ledger is never changed: its lines are written by the platform and name no person.

An account with money under way (an engagement funded and not settled, awaiting funding
or disputed, a payout not paid, a refund pending, money still held for an engagement)
cannot close until it settles; neither can the last admin of an organization with other
members (they name another admin first), nor the only member of an organization with
projects open for applications. The page says which.

ACCOUNT_CLOSURE_GRACE_DAYS: 0 closes at once; otherwise the closing is scheduled that many
days ahead (the user may cancel it meanwhile) and a beat sweep runs it when due.
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from accounts.audit import audit
from accounts.models import (
    AuditEvent,
    EmployerProfile,
    Notification,
    OutboundEmail,
    Role,
    StudentProfile,
    TeamRole,
    User,
)
from datarights.graph import rows_of
from datarights.models import AccountClosure, ErasurePermit
from engagements.models import Engagement, EngagementStatus
from marketplace.money import format_cents
from payments.models import LedgerEntry, Payment, PaymentStatus, Payout, Refund
from projects.applications import application_withdraw
from projects.models import Application, ApplicationStatus, Project, ProjectStatus

logger = logging.getLogger(__name__)

CLOSE_ROLES = frozenset({Role.STUDENT, Role.EMPLOYER})
CLOSED_EMAIL_DOMAIN = "closed.invalid"
# Engagements with money under way, or about to be.
UNSETTLED_STATUSES = (
    EngagementStatus.AWAITING_FUNDING,
    EngagementStatus.ACTIVE,
    EngagementStatus.SUBMITTED,
    EngagementStatus.REVISION_REQUESTED,
    EngagementStatus.APPROVED,
    EngagementStatus.DISPUTED,
)
SETTLED_PAYOUT_STATUSES = (Payout.Status.PAID, Payout.Status.REVERSED)
# The user's own records, deleted with the account (label → the field naming the user).
DELETED_WITH_ACCOUNT = {
    "accounts.Notification": "recipient",
    "account.EmailAddress": "user",
    "integrations.CalendarFeed": "user",
    "api.ApiToken": "user",
    "accounts.OrganizationJoinRequest": "user",
    "outcomes.TalentPoolEntry": "student",
    "outcomes.FullTimeInterest": "student",
    "datarights.DataExport": "user",
}
# Rows never changed: append-only money records written by the platform.
NEVER_CHANGED = frozenset({"payments.LedgerEntry", "payments.SponsorEntry"})
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
REVOKED_REASON = "The student closed their account."


def pseudonym(user: User) -> str:
    return f"Former user #{user.pk}"


def closed_email(user: User) -> str:
    return f"closed-{user.pk}@{CLOSED_EMAIL_DOMAIN}"


# --- What stops a closing ------------------------------------------------------------------


def _organization_of(user: User) -> EmployerProfile | None:
    return EmployerProfile.objects.filter(user=user).select_related("organization").first()


def closure_blockers(user: User) -> list[str]:
    """Why `user` cannot close their account now, in words for them; empty if they can."""
    if user.role not in CLOSE_ROLES:
        return [
            "Career services and platform admin accounts are closed by a platform admin, "
            "not from this page."
        ]
    reasons = []
    engagements = Engagement.objects.none()
    payments = Payment.objects.filter(created_by=user)
    if user.role == Role.STUDENT:
        engagements = Engagement.objects.filter(student=user)
        for payout in Payout.objects.filter(student=user).exclude(
            status__in=SETTLED_PAYOUT_STATUSES
        ):
            reasons.append(
                f"A payout of {format_cents(payout.amount_cents)} to you is not paid yet "
                f"({payout.get_status_display().lower()})."
            )
    else:
        profile = _organization_of(user)
        if profile is not None:
            organization = profile.organization
            colleagues = EmployerProfile.objects.filter(
                organization=organization, user__is_active=True
            ).exclude(user=user)
            if not colleagues.exists():
                # Nobody else carries on the organization's work: it must be settled.
                engagements = Engagement.objects.filter(organization=organization)
                if Project.objects.filter(
                    organization=organization, status=ProjectStatus.OPEN
                ).exists():
                    reasons.append(
                        f"{organization.name} has projects open for applications and you "
                        "are its only member: close them first."
                    )
            elif (
                profile.team_role == TeamRole.ADMIN
                and not colleagues.filter(team_role=TeamRole.ADMIN).exists()
            ):
                reasons.append(
                    f"You are the last admin of {organization.name}, which has other "
                    "members: make one of them an admin on the Team page first."
                )
    for engagement in engagements.filter(status__in=UNSETTLED_STATUSES).select_related("project"):
        reasons.append(
            f"“{engagement.project.title}” is {engagement.get_status_display().lower()}: "
            "it must be paid, settled or cancelled first."
        )
    if payments.filter(status__in=[PaymentStatus.CREATED, PaymentStatus.PROCESSING]).exists():
        reasons.append("A payment you started is still being processed.")
    if Refund.objects.filter(
        Q(payment__engagement__in=engagements) | Q(payment__in=payments),
        status=Refund.Status.PENDING,
    ).exists():
        reasons.append("A refund is still pending.")
    held = (
        LedgerEntry.objects.filter(engagement__in=engagements)
        .values("engagement")
        .annotate(total=Sum("amount_cents"))
        .exclude(total=0)
    )
    if held.exists():
        reasons.append("Money is still held for one of your engagements until it settles.")
    return reasons


# --- Requests -------------------------------------------------------------------------------


def current_closure(user: User) -> AccountClosure | None:
    return (
        AccountClosure.objects.filter(
            user=user, status__in=[AccountClosure.Status.SCHEDULED, AccountClosure.Status.CLOSED]
        )
        .order_by("-requested_at")
        .first()
    )


def _refuse_if_blocked(user: User) -> None:
    reasons = closure_blockers(user)
    if reasons:
        raise ValidationError(reasons)


@transaction.atomic
def account_closure_request(*, user: User, keep_records_public: bool = False) -> AccountClosure:
    """Ask to close the account: at once, or after ACCOUNT_CLOSURE_GRACE_DAYS."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError("This account is closed.")
    if current_closure(user) is not None:
        raise ValidationError("Your account is already scheduled to close.")
    _refuse_if_blocked(user)
    now = timezone.now()
    closure = AccountClosure.objects.create(
        user=user,
        keep_records_public=keep_records_public and user.role == Role.STUDENT,
        requested_at=now,
        effective_at=now + timedelta(days=settings.ACCOUNT_CLOSURE_GRACE_DAYS),
    )
    audit(
        actor=user,
        action="account.closure_requested",
        target=closure,
        summary=f"User #{user.pk} asked to close their account",
        data={"effective_at": closure.effective_at.isoformat()},
        school=None,
    )
    if closure.effective_at <= now:
        closure = _close(closure, user)
    return closure


@transaction.atomic
def account_closure_cancel(*, user: User) -> AccountClosure:
    closure = (
        AccountClosure.objects.select_for_update()
        .filter(user=user, status=AccountClosure.Status.SCHEDULED)
        .first()
    )
    if closure is None:
        raise ValidationError("Your account is not scheduled to close.")
    closure.status = AccountClosure.Status.CANCELLED
    closure.cancelled_at = timezone.now()
    closure.save(update_fields=["status", "cancelled_at"])
    audit(
        actor=user,
        action="account.closure_cancelled",
        target=closure,
        summary=f"User #{user.pk} kept their account",
        school=None,
    )
    return closure


@transaction.atomic
def account_close(*, closure_id: int) -> AccountClosure:
    """Run a scheduled closing that is due (the sweep). Refused while something blocks it;
    the reason is kept on the closure and the sweep tries again."""
    closure = AccountClosure.objects.select_for_update().get(pk=closure_id)
    if closure.status != AccountClosure.Status.SCHEDULED:
        return closure
    user = User.objects.select_for_update().get(pk=closure.user_id)
    if closure.effective_at > timezone.now():
        raise ValidationError("This closing is not due yet.")
    return _close(closure, user)


def account_closures_run_due(batch: int = 50) -> int:
    """Sweep: scheduled closings whose grace period is over."""
    ids = list(
        AccountClosure.objects.filter(
            status=AccountClosure.Status.SCHEDULED, effective_at__lte=timezone.now()
        )
        .order_by("effective_at")
        .values_list("pk", flat=True)[:batch]
    )
    closed = 0
    for closure_id in ids:
        try:
            account_close(closure_id=closure_id)
            closed += 1
        except ValidationError as error:
            AccountClosure.objects.filter(pk=closure_id).update(
                blocked_reason=" ".join(error.messages)[:300]
            )
    return closed


# --- The erasure ----------------------------------------------------------------------------


def personal_identifiers(user: User) -> tuple[list[str], list[str]]:
    """What names the person: (matched in any case: email addresses, full name, profile
    links), (matched as written: first and last name alone, which are also words)."""
    anywhere = {user.email}
    anywhere.update(user.emailaddress_set.values_list("email", flat=True))
    as_written = {user.first_name, user.last_name}
    full_name = f"{user.first_name} {user.last_name}".strip()
    anywhere.add(full_name)
    profile = StudentProfile.objects.filter(user=user).first()
    if profile is not None:
        anywhere.update(
            [
                profile.affiliation_email,
                profile.affiliation_lapsed_email,
                profile.linkedin_url,
                profile.github_url,
                profile.portfolio_url,
            ]
        )
    keep = [value.strip() for value in anywhere if value and len(value.strip()) >= 3]
    names = [value.strip() for value in as_written if value and len(value.strip()) >= 2]
    return sorted(keep, key=len, reverse=True), sorted(names, key=len, reverse=True)


def _patterns(user: User) -> list[re.Pattern]:
    anywhere, as_written = personal_identifiers(user)
    patterns = [re.compile(re.escape(value), re.IGNORECASE) for value in anywhere]
    patterns += [re.compile(rf"(?<!\w){re.escape(value)}(?!\w)") for value in as_written]
    return patterns


def scrub_text(value: str, patterns: list[re.Pattern], replacement: str) -> str:
    for pattern in patterns:
        value = pattern.sub(replacement, value)
    return value


def _scrub_json(value, patterns, replacement):
    if isinstance(value, str):
        return scrub_text(value, patterns, replacement)
    if isinstance(value, list):
        return [_scrub_json(item, patterns, replacement) for item in value]
    if isinstance(value, dict):
        return {
            scrub_text(key, patterns, replacement): _scrub_json(item, patterns, replacement)
            for key, item in value.items()
        }
    return value


def _scrub_row(row: models.Model, patterns, replacement) -> bool:
    changes = {}
    for field in type(row)._meta.concrete_fields:
        if not isinstance(field, TEXT_FIELDS) or field.choices or field.primary_key:
            continue
        value = getattr(row, field.attname)
        if not value:
            continue
        if isinstance(field, models.JSONField):
            new = _scrub_json(value, patterns, replacement)
        elif isinstance(value, str):
            new = scrub_text(value, patterns, replacement)
        else:
            continue
        if new != value:
            if field.max_length and isinstance(new, str):
                new = new[: field.max_length]
            changes[field.attname] = new
    if changes:
        type(row)._default_manager.filter(pk=row.pk).update(**changes)
    return bool(changes)


# Free text of other people's rows that may name the person without pointing at them: the
# audit trail ("a@b.edu withdrew from …"), others' notifications ("New message from …") and
# the emails that carried them.
NAMED_ELSEWHERE = {
    AuditEvent: ("summary",),
    Notification: ("message",),
    OutboundEmail: ("subject", "body", "html"),
}


def _rows_naming(user: User, values: list[str]):
    user_type = ContentType.objects.get_for_model(User)
    for model, fields in NAMED_ELSEWHERE.items():
        query = Q(pk__in=[])
        for field in fields:
            for value in values:
                query |= Q(**{f"{field}__icontains": value})
        if model is AuditEvent:
            query |= Q(actor=user) | Q(target_type=user_type, target_id=str(user.pk))
        yield from model._default_manager.filter(query)


def _lock_what_could_block(user: User) -> None:
    """The rows whose change could make a closing wrong while it runs: the student's
    engagements (funding, payouts), the employer's team (roles, members leaving)."""
    if user.role == Role.STUDENT:
        list(Engagement.objects.select_for_update().filter(student=user).values_list("pk"))
        return
    profile = EmployerProfile.objects.filter(user=user).first()
    if profile is not None:
        list(
            EmployerProfile.objects.select_for_update()
            .filter(organization_id=profile.organization_id)
            .values_list("pk")
        )
        list(
            Engagement.objects.select_for_update()
            .filter(organization_id=profile.organization_id)
            .exclude(status__in=[EngagementStatus.PAID, EngagementStatus.CANCELLED])
            .values_list("pk")
        )


def _close(closure: AccountClosure, user: User) -> AccountClosure:
    """The erasure, in the caller's transaction, with the user row locked."""
    _lock_what_could_block(user)
    _refuse_if_blocked(user)
    permit = ErasurePermit.objects.create()
    summary: dict[str, int] = {}
    replacement = pseudonym(user)
    patterns = _patterns(user)
    named_by = personal_identifiers(user)[0]

    # Pending applications are withdrawn; verified experiences revoked or kept public.
    for application in Application.objects.filter(
        student=user, status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED]
    ):
        application_withdraw(student=user, application=application)
        summary["applications_withdrawn"] = summary.get("applications_withdrawn", 0) + 1
    if user.role == Role.STUDENT:
        summary["records_revoked"] = _settle_records(user, closure.keep_records_public)

    found = rows_of(user)

    # Files leave storage once the closing has committed.
    files = []
    for rows in found.values():
        for row in rows.values():
            for field in type(row)._meta.concrete_fields:
                if isinstance(field, models.FileField) and getattr(row, field.attname):
                    files.append(getattr(row, field.attname))
                    type(row)._default_manager.filter(pk=row.pk).update(**{field.attname: ""})
                    setattr(row, field.attname, "")
    summary["files_deleted"] = len(files)
    transaction.on_commit(lambda: _delete_files(files))

    # The user's own private records.
    for label, field in DELETED_WITH_ACCOUNT.items():
        ids = list(found.get(label, {}))
        if not ids:
            continue
        model = next(iter(found[label].values()))._meta.model
        if label == "accounts.Notification":
            OutboundEmail.objects.filter(notification__in=ids).delete()
        deleted, _ = model._default_manager.filter(pk__in=ids, **{field: user.pk}).delete()
        summary[f"deleted:{label}"] = deleted
        for pk in ids:
            found[label].pop(pk, None)

    # Every word that names the person, on every row about them and in the audit trail.
    scrubbed = 0
    for label, rows in found.items():
        if label in NEVER_CHANGED:
            continue
        for row in rows.values():
            scrubbed += _scrub_row(row, patterns, replacement)
    for row in _rows_naming(user, named_by):
        scrubbed += _scrub_row(row, patterns, replacement)
    summary["rows_pseudonymised"] = scrubbed

    _blank_profiles(user)
    user.email = closed_email(user)
    user.first_name = "Former user"
    user.last_name = f"#{user.pk}"
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])

    closure.status = AccountClosure.Status.CLOSED
    closure.closed_at = timezone.now()
    closure.blocked_reason = ""
    closure.summary = summary
    closure.save(update_fields=["status", "closed_at", "blocked_reason", "summary"])
    audit(
        actor=user,
        action="account.closed",
        target=closure,
        summary=f"{replacement} closed their account",
        data=summary,
        school=None,
    )
    permit.delete()
    return closure


def _settle_records(user: User, keep_public: bool) -> int:
    from outcomes.models import VerifiedExperience

    records = VerifiedExperience.objects.select_for_update().filter(
        engagement__student=user, revoked_at__isnull=True
    )
    if keep_public:
        # Kept as they are: public ones stay online under the pseudonym.
        records = records.filter(is_public=False)
    return records.update(revoked_at=timezone.now(), revoked_reason=REVOKED_REASON, is_public=False)


def _blank_profiles(user: User) -> None:
    StudentProfile.objects.filter(user=user).update(
        bio="",
        linkedin_url="",
        github_url="",
        portfolio_url="",
        resume_filename="",
        authorization_document_name="",
        affiliation_claim="",
        affiliation_lapsed_email="",
        discoverable=False,
        contactable=False,
    )
    # A verification by email names its address (a database rule): the closed one.
    StudentProfile.objects.filter(user=user).exclude(affiliation_email="").update(
        affiliation_email=closed_email(user)
    )
    EmployerProfile.objects.filter(user=user).update(job_title="", team_role=TeamRole.MEMBER)


def _delete_files(files) -> None:
    for stored in files:
        try:
            stored.storage.delete(stored.name)
        except Exception:
            logger.exception("Could not delete a closed account's file %s", stored.name)

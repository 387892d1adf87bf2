"""Small helpers shared by tests."""

import logging
import re

from django.core import mail
from django.db import connection

from engagements import reminders as engagement_reminders
from engagements.services import disputes as engagement_disputes
from feedback import reminders as feedback_reminders
from projects import reminders as project_reminders


def link_in_last_mail(pattern: str = r"https?://\S+") -> str:
    """The first link in the newest email's body."""
    assert mail.outbox, "No email was sent."
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, f"No link in: {mail.outbox[-1].body}"
    return match.group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# Every periodic reminder sweep, by the name the benchmarks and tests use.
SWEEPS = {
    "due_soon": engagement_reminders.sweep_due_soon,
    "overdue": engagement_reminders.sweep_overdue,
    "sessions": feedback_reminders.sweep_sessions,
    "reviews": engagement_reminders.sweep_reviews,
    "applications": project_reminders.sweep_applications,
    "evaluations": feedback_reminders.sweep_evaluations,
    "opt_reports": engagement_reminders.sweep_opt_reports,
    "disputes": engagement_disputes.sweep_disputes,
}


def run_after_commit(*, keep_mail: bool = False) -> None:
    """Do now what a commit would do next: run the work queued for after commit (mail,
    tasks, domain signals), once, the way a real commit runs it.

    Tests run inside a transaction that never commits; helpers that build a world through
    the services call this so the world looks as it would after each user's request. The
    mail sent while building a world is dropped unless `keep_mail`: tests look at the mail
    their own action sends.
    """
    mail_before = len(getattr(mail, "outbox", []))
    while connection.run_on_commit:
        pending, connection.run_on_commit = connection.run_on_commit, []
        for _savepoints, callback, robust in pending:
            if robust:
                try:
                    callback()
                except Exception:
                    logging.getLogger(__name__).exception("After-commit work failed")
            else:
                callback()
    if not keep_mail and hasattr(mail, "outbox"):
        del mail.outbox[mail_before:]


def status_fields(status: str, *, at=None, **fields) -> dict:
    """What a test writes to put an engagement straight into `status` (skipping the
    services, for speed): the status and the moments it implies, as the database requires.
    A moment already set is kept; `fields` override."""
    from django.db.models import F, Value
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    from engagements.models import STATUS_STAMPS

    at = at or timezone.now()
    written = {"status": status}
    for _name, statuses, stamp in STATUS_STAMPS:
        if status in statuses and stamp not in fields:
            written[stamp] = Coalesce(F(stamp), Value(at))
    return {**written, **fields}

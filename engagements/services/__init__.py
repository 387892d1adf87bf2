"""Every change to an engagement: one function per business action (see each module).

Entry points open a durable transaction, lock the engagement row, check the states they
may start from, do nothing when already done, and change the status only through
`engagements.lifecycle.transition`.
"""

from engagements.services.acceptance import (
    acceptance_blockers,
    application_accept,
    blockers_for,
    engagement_create,
)
from engagements.services.cancellation import (
    engagement_mark_paid,
    engagement_request_cancel,
    engagement_settle,
)
from engagements.services.common import workspace_url
from engagements.services.completion import project_complete_if_done, projects_complete_reconcile
from engagements.services.disputes import dispute_evidence_add, sweep_disputes
from engagements.services.extensions import (
    extension_apply,
    extension_decide,
    extension_propose,
    extension_unpayable_reason,
)
from engagements.services.funding import engagement_mark_funded
from engagements.services.messages import MESSAGE_MAX, message_post, message_release
from engagements.services.opt import opt_report_mark
from engagements.services.work import (
    SubmissionData,
    submission_approve,
    submission_create,
    submission_request_revision,
    time_entry_log,
)

__all__ = [
    "MESSAGE_MAX",
    "SubmissionData",
    "acceptance_blockers",
    "application_accept",
    "blockers_for",
    "dispute_evidence_add",
    "engagement_create",
    "engagement_mark_funded",
    "engagement_mark_paid",
    "engagement_request_cancel",
    "engagement_settle",
    "extension_apply",
    "extension_decide",
    "extension_propose",
    "extension_unpayable_reason",
    "message_post",
    "message_release",
    "opt_report_mark",
    "project_complete_if_done",
    "projects_complete_reconcile",
    "submission_approve",
    "submission_create",
    "submission_request_revision",
    "sweep_disputes",
    "time_entry_log",
    "workspace_url",
]

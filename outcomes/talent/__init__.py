"""Talent pools, invitations to apply and full-time interest: an organization keeps in touch
with students it knows.

Who may see and who may contact a student is decided here, in `visible_students` and
`contactable_students`, and nowhere else:

- an organization the student **worked for** (an engagement of theirs with it that started,
  i.e. was funded) may always save them to its pool and see their profile there;
- any other organization may, only if the student opted in (`discoverable`) **and** already
  knows who they are through an application it shortlisted or accepted: review is blind
  until shortlisting, and the pool never lifts that;
- contacting (an invitation, a full-time message) also needs the student's `contactable`
  opt-in, whoever asks, even an organization they worked for.

Every state change below is one function: in a transaction, locking what it changes,
auditing it, notifying after commit (accounts.notifications.notify queues mail on commit)."""

from .access import (
    contactable_students,
    employer_may_contact,
    employer_may_see,
    visible_students,
    worked_for,
)
from .forms import (
    FULLTIME_MESSAGE_MAX,
    INVITATION_MESSAGE_MAX,
    NOTES_MAX,
    REPLY_MAX,
    SEARCH_MAX,
    clean_tags,
)
from .fulltime import (
    fulltime_for_student_or_404,
    fulltime_mark,
    fulltime_reply,
    fulltime_withdraw,
    student_fulltime_interests,
)
from .invitations import (
    Outreach,
    invitation_decline,
    invitation_for_student_or_404,
    invitation_mark_applied,
    invitation_send,
    invitations_reconcile,
    open_invitation,
    organization_open_projects,
    project_outreach,
    student_invitations,
)
from .pool import (
    POOL_PAGE_SIZE,
    EntryDetail,
    PoolPage,
    entry_detail,
    entry_for_employer_or_404,
    pool_page,
    pool_remove,
    pool_save,
    pool_update,
    pooled_entry_of,
)

__all__ = [
    "FULLTIME_MESSAGE_MAX",
    "INVITATION_MESSAGE_MAX",
    "NOTES_MAX",
    "POOL_PAGE_SIZE",
    "REPLY_MAX",
    "SEARCH_MAX",
    "EntryDetail",
    "Outreach",
    "PoolPage",
    "clean_tags",
    "contactable_students",
    "employer_may_contact",
    "employer_may_see",
    "entry_detail",
    "entry_for_employer_or_404",
    "fulltime_for_student_or_404",
    "fulltime_mark",
    "fulltime_reply",
    "fulltime_withdraw",
    "invitation_decline",
    "invitation_for_student_or_404",
    "invitation_mark_applied",
    "invitation_send",
    "invitations_reconcile",
    "open_invitation",
    "organization_open_projects",
    "pool_page",
    "pool_remove",
    "pool_save",
    "pool_update",
    "pooled_entry_of",
    "project_outreach",
    "student_fulltime_interests",
    "student_invitations",
    "visible_students",
    "worked_for",
]

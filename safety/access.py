"""What a person may report: the one place that decides, so a report page never shows a
name or a message its reader could not already see.

- a project they can see (published, or their own organization's);
- any organization (their public pages are open to every signed-in user);
- a message of an engagement they are a side of, written by the other side;
- the other side of an engagement they are part of (an employer reports the student; a
  student reports the organization or one of its messages).
Anything else is a 404, whether or not it exists.
"""

from django.http import Http404

from accounts.access import is_member
from accounts.models import Organization, User
from engagements.access import EMPLOYER, STUDENT, engagement_role
from engagements.models import Engagement, Message
from projects.selectors import project_for_viewer_or_404
from safety.models import Report

Kind = Report.Kind


def report_subject_or_404(viewer: User, kind: str, pk: int):
    """The thing `viewer` wants to report, or 404."""
    if not viewer.is_authenticated or not viewer.is_active:
        raise Http404("Nothing to report.")
    if kind == Kind.PROJECT:
        return project_for_viewer_or_404(viewer, pk)
    if kind == Kind.ORGANIZATION:
        organization = Organization.objects.filter(pk=pk).first()
        if organization is None:
            raise Http404("No such organization.")
        return organization
    if kind == Kind.MESSAGE:
        message = (
            Message.objects.select_related(
                "author", "engagement__project", "engagement__organization"
            )
            .filter(pk=pk)
            .first()
        )
        if message is None or message.author_id == viewer.pk:
            raise Http404("No such message.")
        if engagement_role(viewer, message.engagement) not in (STUDENT, EMPLOYER):
            raise Http404("No such message.")
        return message
    if kind == Kind.USER:
        profile = getattr(viewer, "employer_profile", None)
        if profile is not None and is_member(viewer, profile.organization_id):
            shared = Engagement.objects.filter(
                student_id=pk, organization_id=profile.organization_id
            )
            if shared.exists():
                return User.objects.get(pk=pk)
        raise Http404("No such user.")
    raise Http404("Nothing to report.")

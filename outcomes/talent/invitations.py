"""Invitations to apply: sending, declining and following them."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import User
from accounts.notifications import notify
from outcomes.models import (
    Invitation,
    InvitationStatus,
    TalentPoolEntry,
)
from projects.disclosures import Event, disclosure_record
from projects.models import Application, DisclosedField, DisclosureReason, Project, ProjectStatus
from projects.rules import apply_by_today

from .access import (
    _not_contactable,
    _organization_id,
    _refusal_to_see,
    _student,
    employer_may_contact,
    employer_may_see,
    visible_students,
)
from .forms import INVITATION_MESSAGE_MAX, _text

# --- Invitations -------------------------------------------------------------------------


@transaction.atomic
def invitation_send(
    *, actor: User, student: User, project_id: int | None, message: str = ""
) -> Invitation:
    """Invite a student the organization knows to apply to one of its open projects. Refused
    (nothing recorded, nothing sent) unless the student accepts being contacted."""
    organization_id = _organization_id(actor)
    _student(student)
    # Lock order as in applications: the project first.
    project = (
        Project.objects.select_for_update().filter(pk=project_id).first() if project_id else None
    )
    if project is None or project.organization_id != organization_id:
        raise ValidationError({"project": "Choose one of your organization's open projects."})
    if not project.is_open_for_applications:
        raise ValidationError(
            {
                "project": f"“{project.title}” is not taking applications, so no one can be "
                "invited to it. Choose an open project."
            }
        )
    if not employer_may_see(organization_id, student):
        raise ValidationError(_refusal_to_see(organization_id, student))
    if not employer_may_contact(organization_id, student):
        raise ValidationError(_not_contactable(student) + " You can still keep notes here.")
    if Application.objects.filter(project=project, student=student).exists():
        raise ValidationError(
            {"project": f"{student.get_full_name()} has already applied to “{project.title}”."}
        )
    message = _text(message, name="message", limit=INVITATION_MESSAGE_MAX)
    already = (
        f"You have already invited {student.get_full_name()} to “{project.title}”; "
        "they were told once."
    )
    if Invitation.objects.filter(project=project, student=student).exists():
        raise ValidationError({"project": already})
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                project=project, student=student, invited_by=actor, message=message
            )
    except IntegrityError as error:
        raise ValidationError({"project": already}) from error
    audit(
        actor=actor,
        action="invitation.sent",
        target=invitation,
        summary=f"{actor.email} invited a student to apply to “{project.title}”",
    )
    organization = project.organization.name
    notify(
        recipients=[student],
        kind="invitation.new",
        key=f"invitation-{invitation.pk}-sent",
        message=f"{organization} invites you to apply to “{project.title}”",
        url=reverse("projects:apply", kwargs={"pk": project.pk}) + f"?invitation={invitation.pk}",
        context={
            "details": (f"Their message: {message}\n\n" if message else "")
            + "Apply from your dashboard, or decline there: either way the employer is told."
        },
    )
    return invitation


def _invitation_disclosed(invitation: Invitation, application_id: int) -> None:
    """An invited student's application carries the "Invited" mark: the inviter knows whose
    it is before any shortlisting. One disclosure per invitation answered."""
    disclosure_record(
        Event(
            student_id=invitation.student_id,
            organization_id=invitation.project.organization_id,
            viewer_id=invitation.invited_by_id,
            reason=DisclosureReason.INVITATION,
            fields=[DisclosedField.NAME],
            subject=f"application:{application_id}",
            project_id=invitation.project_id,
        )
    )


def _mark_applied(invitations, application: Application, at) -> int:
    done = 0
    for invitation in invitations:
        invitation.status = InvitationStatus.APPLIED
        invitation.responded_at = at
        invitation.save(update_fields=["status", "responded_at"])
        _invitation_disclosed(invitation, application.pk)
        done += 1
    return done


_ANSWERABLE = [InvitationStatus.SENT, InvitationStatus.DECLINED]


@transaction.atomic
def invitation_mark_applied(*, application_id: int) -> int:
    """The student applied to a project they were invited to (after the application
    committed, in answer to `application_submitted`). Safe to repeat."""
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return 0
    invitations = (
        Invitation.objects.select_for_update()
        .filter(
            project_id=application.project_id,
            student_id=application.student_id,
            status__in=_ANSWERABLE,
        )
        .select_related("project")
    )
    return _mark_applied(invitations, application, application.created_at)


RECONCILE_BATCH = 200


@transaction.atomic
def invitations_reconcile() -> int:
    """Periodic: invitations still open although the student applied (a lost task); at
    most `RECONCILE_BATCH` a run, the next run takes the rest."""
    applied = Application.objects.filter(
        project_id=OuterRef("project_id"), student_id=OuterRef("student_id")
    )
    invitations = list(
        Invitation.objects.select_for_update()
        .filter(Exists(applied), status__in=_ANSWERABLE)
        .select_related("project")
        .order_by("pk")[:RECONCILE_BATCH]
    )
    if not invitations:
        return 0
    applications = {
        (a.project_id, a.student_id): a
        for a in Application.objects.filter(
            project_id__in={i.project_id for i in invitations},
            student_id__in={i.student_id for i in invitations},
        )
    }
    now = timezone.now()
    done = 0
    for invitation in invitations:
        application = applications[(invitation.project_id, invitation.student_id)]
        done += _mark_applied([invitation], application, now)
    return done


@transaction.atomic
def invitation_decline(*, student: User, invitation: Invitation) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("project", "invited_by")
        .filter(pk=invitation.pk)
        .first()
    )
    if invitation is None or invitation.student_id != student.pk:
        raise PermissionDenied("This is not your invitation.")
    if invitation.status == InvitationStatus.DECLINED:
        return invitation
    if invitation.status != InvitationStatus.SENT:
        raise ValidationError("You have already applied to this project.")
    invitation.status = InvitationStatus.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    audit(
        actor=student,
        action="invitation.declined",
        target=invitation,
        summary=f"{student.email} declined an invitation to “{invitation.project.title}”",
    )
    notify(
        recipients=[invitation.invited_by],
        kind="invitation.declined",
        key=f"invitation-{invitation.pk}-declined",
        message=f"{student.get_full_name()} declined your invitation to "
        f"“{invitation.project.title}”",
        url=reverse("engagements:applicants", kwargs={"pk": invitation.project_id}),
        email=False,
    )
    return invitation


def organization_open_projects(organization_id: int) -> list[Project]:
    """The projects a student can be invited to."""
    return list(
        Project.objects.filter(
            organization_id=organization_id,
            status=ProjectStatus.OPEN,
            apply_by__gte=apply_by_today(),
        ).order_by("title")
    )


@dataclass
class Outreach:
    """The invitations of one project, for its applicant list."""

    invited_ids: set[int]
    waiting: list[Invitation]
    pooled: dict[int, int]  # student id → pool entry id


def project_outreach(project: Project) -> Outreach:
    """Two queries, whatever the number of applicants or invitations."""
    invitations = list(
        Invitation.objects.filter(project=project)
        .select_related("student")
        .annotate(
            visible=ExpressionWrapper(
                visible_students(project.organization_id, "student__"),
                output_field=BooleanField(),
            )
        )
        .order_by("created_at")
    )
    pooled = dict(
        TalentPoolEntry.objects.filter(
            organization_id=project.organization_id,
            student__applications__project=project,
        ).values_list("student_id", "pk")
    )
    return Outreach(
        invited_ids={i.student_id for i in invitations},
        # Named only while the organization may still see the student.
        waiting=[i for i in invitations if i.status != InvitationStatus.APPLIED and i.visible],
        pooled=pooled,
    )


# --- Reads for the student ---------------------------------------------------------------


def student_invitations(student: User) -> list[Invitation]:
    """Invitations waiting for an answer, to projects still taking applications."""
    return list(
        Invitation.objects.filter(
            student=student,
            status=InvitationStatus.SENT,
            project__status=ProjectStatus.OPEN,
            project__apply_by__gte=apply_by_today(),
        )
        .select_related("project__organization")
        .order_by("-created_at")
    )


def open_invitation(student: User, project: Project) -> Invitation | None:
    return Invitation.objects.filter(
        student=student, project=project, status=InvitationStatus.SENT
    ).first()


def invitation_for_student_or_404(viewer: User, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_related("project__organization").filter(pk=invitation_id).first()
    )
    if invitation is None or not viewer.is_authenticated or invitation.student_id != viewer.pk:
        raise Http404("Not found.")
    return invitation

"""What an employer may see of a student and whom it may contact."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    Exists,
    OuterRef,
    Q,
)

from accounts.models import Role, User
from engagements.models import Engagement
from projects.models import Application, ApplicationStatus

# --- The visibility rule (the only place it is written) -----------------------------------


def _worked_for(organization_id: int, student: OuterRef) -> Exists:
    return Exists(
        Engagement.objects.filter(
            organization_id=organization_id, student_id=student, funded_at__isnull=False
        )
    )


def _known_applicant(organization_id: int, student: OuterRef) -> Exists:
    # Shortlisting (or accepting) is what lifts blind review; a declined applicant who had
    # been shortlisted was already seen by name.
    return Exists(
        Application.objects.filter(
            project__organization_id=organization_id, student_id=student
        ).filter(
            Q(status__in=[ApplicationStatus.SHORTLISTED, ApplicationStatus.ACCEPTED])
            | Q(shortlisted_at__isnull=False)
        )
    )


def visible_students(organization_id: int, prefix: str = "") -> Q:
    """A filter on users (prefix "") or on rows with a `student` (prefix "student__"):
    the students this organization may see in its talent pool."""
    student = OuterRef(f"{prefix.removesuffix('__')}_id" if prefix else "pk")
    return Q(_worked_for(organization_id, student)) | (
        Q(**{f"{prefix}student_profile__discoverable": True})
        & Q(_known_applicant(organization_id, student))
    )


def contactable_students(organization_id: int, prefix: str = "") -> Q:
    """The students this organization may invite or tell about a full-time role."""
    return visible_students(organization_id, prefix) & Q(
        **{f"{prefix}student_profile__contactable": True}
    )


def worked_for(organization_id: int, student: User) -> bool:
    return Engagement.objects.filter(
        organization_id=organization_id, student=student, funded_at__isnull=False
    ).exists()


def employer_may_see(organization_id: int, student: User) -> bool:
    return (
        User.objects.filter(pk=student.pk, role=Role.STUDENT)
        .filter(visible_students(organization_id))
        .exists()
    )


def employer_may_contact(organization_id: int, student: User) -> bool:
    return (
        User.objects.filter(pk=student.pk, role=Role.STUDENT)
        .filter(contactable_students(organization_id))
        .exists()
    )


def _refusal_to_see(organization_id: int, student: User) -> str:
    """Why this organization may not keep this student (the rule said no)."""
    identity_known = Application.objects.filter(
        project__organization_id=organization_id, student=student
    ).filter(
        Q(status__in=[ApplicationStatus.SHORTLISTED, ApplicationStatus.ACCEPTED])
        | Q(shortlisted_at__isnull=False)
    )
    if not identity_known.exists():
        return (
            "Shortlist this applicant first: review is blind until then, and the talent pool "
            "keeps it that way."
        )
    return (
        "This student has not agreed to be saved by employers they applied to. You can save "
        "students who have worked for you, and applicants who opted in."
    )


def _not_contactable(student: User) -> str:
    return (
        f"{student.get_full_name()} has not opted in to being contacted by employers, so "
        "nothing was sent."
    )


def _organization_id(actor: User) -> int:
    profile = getattr(actor, "employer_profile", None)
    if actor.role != Role.EMPLOYER or not actor.is_active or profile is None:
        raise PermissionDenied("Only an organization's employers manage its talent pool.")
    return profile.organization_id


def _student(student: User) -> User:
    if student.role != Role.STUDENT:
        raise ValidationError("Only students can be saved, invited or marked.")
    return student

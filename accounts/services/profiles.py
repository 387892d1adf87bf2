"""Users' own details and the student and employer profiles."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.affiliation import affiliation_on_profile_saved
from accounts.audit import audit
from accounts.models import (
    AUTHORIZATIONS_NEEDING_VERIFICATION,
    AuthorizationStatus,
    EmployerProfile,
    Organization,
    OrganizationJoinRequest,
    Role,
    School,
    StudentProfile,
    TeamRole,
    User,
    WorkAuthorization,
)
from accounts.outbox import send_templated_mail

from .organizations import _notify_admins_of_organization_to_verify
from .skills import skills_get_or_create

# --- Account details ------------------------------------------------------------


@transaction.atomic
def user_details_update(*, user: User, first_name: str, last_name: str, time_zone: str) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    user.first_name, user.last_name, user.time_zone = first_name, last_name, time_zone
    user.save(update_fields=["first_name", "last_name", "time_zone"])
    return user


# --- Students ----------------------------------------------------------------------


@dataclass(frozen=True)
class StudentProfileData:
    school: School
    major: str
    graduation_year: int
    bio: str
    linkedin_url: str
    github_url: str
    portfolio_url: str
    work_authorization: str
    skill_names: list[str]
    show_evaluations_to_employers: bool = False
    discoverable: bool = False
    contactable: bool = False
    authorization_valid_from: object = None
    authorization_valid_until: object = None


def _status_for_declaration(*, old: str | None, new: str) -> tuple[str, str]:
    """The review status of a new declaration, and the declaration it replaces if career
    services must see the change.

    Only a first declaration of US citizenship needs no check. A change to it from any
    other declaration (a CPT awaiting its document, a rejected visa, "not authorized")
    would otherwise lift the block on acceptance by the student's word alone, so career
    services confirm it first, like a document.
    """
    if new == WorkAuthorization.NOT_AUTHORIZED:
        return AuthorizationStatus.NOT_AUTHORIZED, ""
    if new == WorkAuthorization.US_AUTHORIZED and old is None:
        return AuthorizationStatus.NOT_REQUIRED, ""
    return AuthorizationStatus.PENDING, old or ""


@transaction.atomic
def student_profile_save(
    *,
    user: User,
    data: StudentProfileData,
    resume: UploadedFile | None = None,
    remove_resume: bool = False,
    authorization_document: UploadedFile | None = None,
) -> StudentProfile:
    """Create or update a student's profile.

    Declaring a new work authorization that needs a document check puts it
    back in career services' queue; keeping the same one keeps its status.
    """
    if user.role != Role.STUDENT:
        raise ValidationError("Only students have a student profile.")
    if not data.school.is_active:
        raise ValidationError("This school is not on the platform any more.")
    profile = StudentProfile.objects.select_for_update().filter(user=user).first()
    created = profile is None
    if created:
        profile = StudentProfile(user=user)
    old_authorization = None if created else profile.work_authorization
    school_changed = not created and profile.school_id != data.school.pk

    profile.school = data.school
    profile.major = data.major
    profile.graduation_year = data.graduation_year
    profile.bio = data.bio
    profile.linkedin_url = data.linkedin_url
    profile.github_url = data.github_url
    profile.portfolio_url = data.portfolio_url
    profile.work_authorization = data.work_authorization
    profile.show_evaluations_to_employers = data.show_evaluations_to_employers
    profile.discoverable = data.discoverable
    profile.contactable = data.contactable
    declaration_changed = old_authorization != data.work_authorization
    if declaration_changed:
        profile.work_authorization_status, profile.authorization_changed_from = (
            _status_for_declaration(old=old_authorization, new=data.work_authorization)
        )
        profile.work_authorization_note = ""
        # The employer and schedule belong to the document of the old declaration.
        profile.cpt_organization = None
        profile.authorized_schedule = ""
        profile.opt_kind = ""
    # Dates belong to a document (CPT, OPT, visa); a citizenship never expires.
    dated = data.work_authorization in AUTHORIZATIONS_NEEDING_VERIFICATION
    valid_from = data.authorization_valid_from if dated else None
    valid_until = data.authorization_valid_until if dated else None
    dates_changed = (
        profile.authorization_valid_from != valid_from
        or profile.authorization_valid_until != valid_until
    )
    profile.authorization_valid_from = valid_from
    profile.authorization_valid_until = valid_until
    old_document_name = profile.authorization_document.name or ""
    if authorization_document is not None:
        profile.authorization_document.save(
            authorization_document.name, authorization_document, save=False
        )
        profile.authorization_document_name = authorization_document.name[:200]
    back_in_queue = (
        (authorization_document is not None or dates_changed)
        and not declaration_changed
        and profile.work_authorization_status
        in (AuthorizationStatus.VERIFIED, AuthorizationStatus.REJECTED)
    )
    if back_in_queue:
        # A new document or new dates: career services look again (an earlier reason for
        # not verifying no longer applies).
        profile.work_authorization_status = AuthorizationStatus.PENDING
        profile.work_authorization_note = ""

    old_resume_name = profile.resume.name if profile.resume else ""
    if resume is not None:
        profile.resume.save(resume.name, resume, save=False)
        profile.resume_filename = resume.name[:200]
        profile.resume_uploaded_at = timezone.now()
    elif remove_resume and profile.resume:
        profile.resume = ""
        profile.resume_filename = ""
        profile.resume_uploaded_at = None
    profile.save()
    affiliation_on_profile_saved(profile=profile, actor=user, school_changed=school_changed)
    profile.skills.set(skills_get_or_create(names=data.skill_names))

    if old_resume_name and old_resume_name != profile.resume.name:
        storage = profile.resume.storage
        transaction.on_commit(lambda: storage.delete(old_resume_name))
    if old_document_name and old_document_name != profile.authorization_document.name:
        document_storage = profile.authorization_document.storage
        transaction.on_commit(lambda: document_storage.delete(old_document_name))

    audit(
        actor=user,
        action="student_profile.created" if created else "student_profile.updated",
        target=profile,
        summary=f"{user.email} {'created' if created else 'updated'} their student profile",
        data={
            "work_authorization": profile.work_authorization,
            "work_authorization_status": profile.work_authorization_status,
            **(
                {"declared_before": old_authorization}
                if declaration_changed and not created
                else {}
            ),
        },
    )
    if back_in_queue or (
        declaration_changed and profile.work_authorization_status == AuthorizationStatus.PENDING
    ):
        _notify_staff_of_authorization_to_verify(profile)
    return profile


def _notify_staff_of_authorization_to_verify(profile: StudentProfile) -> None:
    staff_emails = list(
        User.objects.filter(
            career_staff_profile__school=profile.school_id, is_active=True
        ).values_list("email", flat=True)
    )
    if staff_emails:
        send_templated_mail(
            template="authorization_to_verify",
            to=staff_emails,
            context={"profile": profile, "student": profile.user},
        )


# --- Employers and organizations ---------------------------------------------------------


@dataclass(frozen=True)
class OrganizationData:
    name: str
    website: str
    industry: str
    size: str
    description: str
    registration_number: str = ""
    linkedin_url: str = ""
    address: str = ""


@transaction.atomic
def employer_profile_save(
    *, user: User, job_title: str, organization: OrganizationData
) -> EmployerProfile:
    """Create the employer's organization on first save; update it afterwards.

    A verified organization that changes its name or website goes back to
    "awaiting verification": the platform verified the old identity, not the new.
    """
    if user.role != Role.EMPLOYER:
        raise ValidationError("Only employers have an employer profile.")
    profile = EmployerProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        org = Organization.objects.create(**organization.__dict__)
        # Whoever registers the organization is its owner (accounts.teams).
        profile = EmployerProfile.objects.create(
            user=user, organization=org, job_title=job_title, team_role=TeamRole.OWNER
        )
        audit(
            actor=user,
            action="organization.created",
            target=org,
            summary=f"{user.email} registered organization {org.name}",
        )
        # A request to join another organization no longer applies.
        OrganizationJoinRequest.objects.filter(
            user=user, status=OrganizationJoinRequest.Status.PENDING
        ).update(status=OrganizationJoinRequest.Status.WITHDRAWN, decided_at=timezone.now())
        _notify_admins_of_organization_to_verify(org)
        return profile

    org = Organization.objects.select_for_update().get(pk=profile.organization_id)
    if not profile.is_team_admin and any(
        getattr(org, field) != value for field, value in organization.__dict__.items()
    ):
        raise ValidationError("Only your organization's admins change its details.")
    identity_changed = org.name != organization.name or org.website != organization.website
    for field, value in organization.__dict__.items():
        setattr(org, field, value)
    if identity_changed and org.verification_status == Organization.Verification.VERIFIED:
        org.verification_status = Organization.Verification.UNVERIFIED
        org.verified_at = None
        org.verified_by = None
        org.verification_note = "Name or website changed: awaiting verification again."
        _notify_admins_of_organization_to_verify(org)
    org.save()
    profile.job_title = job_title
    profile.save(update_fields=["job_title"])
    audit(
        actor=user,
        action="organization.updated",
        target=org,
        summary=f"{user.email} updated organization {org.name}",
        data={"identity_changed": identity_changed},
    )
    profile.organization = org
    return profile

"""Every change to accounts, profiles, organizations and staff goes through here.

Each function is one business action: it runs in a transaction, locks the
rows it changes, writes an audit event and sends mail only after commit.
"""

from dataclasses import dataclass

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.affiliation import affiliation_on_profile_saved
from accounts.audit import audit
from accounts.models import (
    AUTHORIZATIONS_NEEDING_VERIFICATION,
    AuthorizationStatus,
    CareerStaffProfile,
    EmployerProfile,
    Organization,
    OrganizationJoinRequest,
    Role,
    School,
    Skill,
    StaffAccessRequest,
    StudentProfile,
    TeamRole,
    User,
    WorkAuthorization,
)
from accounts.notifications import notify
from accounts.outbox import send_templated_mail
from accounts.signals import organization_suspended
from marketplace.domain_events import send_after_commit

CAREER_STAFF_GROUP = "Career services"
MAX_SKILLS = 25


# --- Skills -------------------------------------------------------------------


def clean_skill_names(names: list[str]) -> list[str]:
    """Trim, de-duplicate (ignoring case) and check a list of skill names."""
    seen: dict[str, str] = {}
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        if len(name) > 50:
            raise ValidationError(
                f"“{name[:20]}…” is too long for a skill (50 characters at most)."
            )
        if not slugify(name):
            raise ValidationError(f"“{name}” is not a skill name.")
        seen.setdefault(name.lower(), name)
    if len(seen) > MAX_SKILLS:
        raise ValidationError(f"Choose at most {MAX_SKILLS} skills.")
    return list(seen.values())


def skills_get_or_create(*, names: list[str]) -> list[Skill]:
    """Existing skills are matched ignoring case; new ones are added to the list."""
    names = clean_skill_names(names)
    existing = {
        s.lname: s
        for s in Skill.objects.annotate(lname=Lower("name")).filter(
            lname__in=[n.lower() for n in names]
        )
    }
    skills = []
    for name in names:
        skill = existing.get(name.lower())
        if skill is None:
            try:
                # A savepoint: another request may add the same skill at the same moment.
                with transaction.atomic():
                    skill = Skill.objects.create(name=name, slug=_unique_skill_slug(name))
            except IntegrityError:
                skill = Skill.objects.get(name__iexact=name)
        skills.append(skill)
    return skills


def _unique_skill_slug(name: str) -> str:
    base = slugify(name)[:50] or "skill"
    slug, n = base, 2
    while Skill.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


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
        # Whoever registers the organization is its first admin (accounts.teams).
        profile = EmployerProfile.objects.create(
            user=user, organization=org, job_title=job_title, team_role=TeamRole.ADMIN
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


def _notify_admins_of_organization_to_verify(org: Organization) -> None:
    admin_emails = list(
        User.objects.filter(is_superuser=True, is_active=True).values_list("email", flat=True)
    )
    if admin_emails:
        send_templated_mail(
            template="organization_to_verify", to=admin_emails, context={"organization": org}
        )


def _organization_set_verification(
    *, actor: User, organization: Organization, status: str, note: str
) -> Organization:
    if not actor.is_platform_admin:
        raise ValidationError("Only platform admins verify organizations.")
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.verification_status == status and org.verification_note == note:
        return org
    org.verification_status = status
    org.verification_note = note
    if status == Organization.Verification.VERIFIED:
        org.verified_at = timezone.now()
        org.verified_by = actor
    else:
        org.verified_at = None
        org.verified_by = None
    org.save()
    audit(
        actor=actor,
        action=f"organization.{status}",
        target=org,
        summary=(
            f"{actor.email} marked {org.name} as {org.get_verification_status_display().lower()}"
        ),
        data={"note": note},
    )
    recipients = list(
        User.objects.filter(employer_profile__organization=org, is_active=True).values_list(
            "email", flat=True
        )
    )
    if recipients:
        send_templated_mail(
            template="organization_verification",
            to=recipients,
            context={"organization": org},
        )
    return org


@transaction.atomic
def organization_verify(*, actor: User, organization: Organization, note: str = "") -> Organization:
    return _organization_set_verification(
        actor=actor, organization=organization, status=Organization.Verification.VERIFIED, note=note
    )


@transaction.atomic
def organization_reject(*, actor: User, organization: Organization, note: str) -> Organization:
    if not note.strip():
        raise ValidationError("Say why the organization is not verified; its employers see it.")
    return _organization_set_verification(
        actor=actor, organization=organization, status=Organization.Verification.REJECTED, note=note
    )


# --- Career services staff ----------------------------------------------------------------


# What career services may do in the admin: read, scoped to their school by
# each ModelAdmin's queryset. Later capabilities add to this list.
CAREER_STAFF_PERMISSIONS = [
    ("accounts", "view_school"),
    ("accounts", "view_studentprofile"),
    ("accounts", "verify_work_authorization"),
    ("accounts", "verify_school_affiliation"),
    ("accounts", "view_affiliationclaim"),
    ("accounts", "view_auditevent"),
    ("accounts", "view_organization"),
    ("accounts", "view_academicterm"),
    ("accounts", "add_academicterm"),
    ("accounts", "change_academicterm"),
    ("projects", "view_application"),
    ("engagements", "view_engagement"),
    ("engagements", "view_timeentry"),
    ("engagements", "view_submissionfile"),
    ("engagements", "view_message"),
    ("payments", "view_payout"),
    ("feedback", "view_feedbacksession"),
    ("feedback", "view_studentevaluation"),
    ("feedback", "view_employerreview"),
    ("oversight", "view_flag"),
    ("oversight", "add_flag"),
    ("oversight", "change_flag"),
    ("oversight", "view_coachingnote"),
    ("oversight", "add_coachingnote"),
    ("outcomes", "view_verifiedexperience"),
    ("safety", "view_report"),
]


def career_staff_group() -> Group:
    """The group every career services account belongs to, with exactly its permissions."""
    group, _ = Group.objects.get_or_create(name=CAREER_STAFF_GROUP)
    wanted = Q()
    for app_label, codename in CAREER_STAFF_PERMISSIONS:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(wanted))
    if {p.pk for p in permissions} != set(group.permissions.values_list("pk", flat=True)):
        group.permissions.set(permissions)
    return group


@transaction.atomic
def career_staff_create(
    *,
    actor: User,
    email: str,
    first_name: str,
    last_name: str,
    school: School,
    job_title: str = "",
) -> User:
    """A platform admin opens a career services account and mails a set-password link.

    The account can log in only once its owner has chosen a password through
    that link, which also proves the address is theirs.
    """
    if not actor.is_platform_admin:
        raise ValidationError("Only platform admins create career services accounts.")
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(f"An account with {email} already exists.")
    user = User.objects.create_user(
        email=email,
        password=None,
        first_name=first_name,
        last_name=last_name,
        role=Role.CAREER_STAFF,
        is_staff=True,
    )
    user.groups.add(career_staff_group())
    CareerStaffProfile.objects.create(user=user, school=school, job_title=job_title)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    audit(
        actor=actor,
        action="career_staff.created",
        target=user,
        summary=f"{actor.email} created career services account {email} for {school.name}",
    )
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    set_password_url = settings.SITE_URL + path.replace("UID-KEY", key)
    send_templated_mail(
        template="career_staff_welcome",
        to=[email],
        context={"user": user, "school": school, "set_password_url": set_password_url},
    )
    return user


@transaction.atomic
def career_staff_details_update(*, user: User, job_title: str) -> CareerStaffProfile:
    profile = CareerStaffProfile.objects.select_for_update().get(user=user)
    profile.job_title = job_title
    profile.save(update_fields=["job_title"])
    return profile


@transaction.atomic
def staff_access_request_submit(
    *,
    first_name: str,
    last_name: str,
    email: str,
    school: School,
    job_title: str,
    message: str,
) -> StaffAccessRequest:
    email = email.strip().lower()
    if StaffAccessRequest.objects.filter(
        email__iexact=email, status=StaffAccessRequest.Status.PENDING
    ).exists():
        raise ValidationError("A request from this address is already waiting for review.")
    request = StaffAccessRequest.objects.create(
        first_name=first_name,
        last_name=last_name,
        email=email,
        school=school,
        job_title=job_title,
        message=message,
    )
    audit(
        actor=None,
        action="staff_request.submitted",
        target=request,
        summary=f"{email} asked for career services access at {school.name}",
    )
    admin_emails = list(
        User.objects.filter(is_superuser=True, is_active=True).values_list("email", flat=True)
    )
    if admin_emails:
        send_templated_mail(
            template="staff_request_received", to=admin_emails, context={"access_request": request}
        )
    return request


@transaction.atomic
def staff_access_request_approve(
    *, actor: User, access_request: StaffAccessRequest
) -> StaffAccessRequest:
    req = StaffAccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if req.status == StaffAccessRequest.Status.APPROVED:
        return req
    if req.status != StaffAccessRequest.Status.PENDING:
        raise ValidationError("Only a pending request can be approved.")
    user = career_staff_create(
        actor=actor,
        email=req.email,
        first_name=req.first_name,
        last_name=req.last_name,
        school=req.school,
        job_title=req.job_title,
    )
    req.status = StaffAccessRequest.Status.APPROVED
    req.decided_at = timezone.now()
    req.decided_by = actor
    req.user = user
    req.save()
    audit(
        actor=actor,
        action="staff_request.approved",
        target=req,
        summary=f"{actor.email} approved career services access for {req.email}",
    )
    return req


@transaction.atomic
def staff_access_request_decline(
    *, actor: User, access_request: StaffAccessRequest, note: str
) -> StaffAccessRequest:
    if not actor.is_platform_admin:
        raise ValidationError("Only platform admins decide access requests.")
    req = StaffAccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if req.status == StaffAccessRequest.Status.DECLINED:
        return req
    if req.status != StaffAccessRequest.Status.PENDING:
        raise ValidationError("Only a pending request can be declined.")
    req.status = StaffAccessRequest.Status.DECLINED
    req.decided_at = timezone.now()
    req.decided_by = actor
    req.decision_note = note
    req.save()
    audit(
        actor=actor,
        action="staff_request.declined",
        target=req,
        summary=f"{actor.email} declined career services access for {req.email}",
        data={"note": note},
    )
    send_templated_mail(
        template="staff_request_declined", to=[req.email], context={"access_request": req}
    )
    return req


# --- Work authorization checks by career services ----------------------------------------------


def _may_review_authorization(actor: User, profile: StudentProfile) -> bool:
    if actor.is_platform_admin:
        return True
    staff = getattr(actor, "career_staff_profile", None)
    return actor.is_career_staff and staff is not None and staff.school_id == profile.school_id


@transaction.atomic
def work_authorization_verify(
    *,
    actor: User,
    profile: StudentProfile,
    valid_from=None,
    valid_until=None,
    cpt_organization: Organization | None = None,
    authorized_schedule: str = "",
    opt_kind: str = "",
) -> StudentProfile:
    """Career services checked the student's document: they may be accepted for paid work
    (a CPT only for its employer, between its dates)."""
    profile = StudentProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if not _may_review_authorization(actor, profile):
        raise PermissionDenied("Only career services of the student's school verify this.")
    if not profile.authorization_is_reviewed:
        raise ValidationError("This student's declared status needs no verification.")
    if profile.authorization_needs_verification:
        valid_from = valid_from or profile.authorization_valid_from
        valid_until = valid_until or profile.authorization_valid_until
    else:
        valid_from = valid_until = None  # a confirmed change to US citizenship has no end
    is_cpt = profile.work_authorization == WorkAuthorization.F1_CPT
    if profile.work_authorization in (WorkAuthorization.F1_CPT, WorkAuthorization.F1_OPT):
        cpt_organization = (cpt_organization or profile.cpt_organization) if is_cpt else None
        authorized_schedule = authorized_schedule or profile.authorized_schedule
    else:
        cpt_organization, authorized_schedule = None, ""
    is_opt = profile.work_authorization == WorkAuthorization.F1_OPT
    opt_kind = (opt_kind or profile.opt_kind) if is_opt else ""
    errors = {}
    if is_cpt and not (valid_from and valid_until):
        errors["valid_until"] = "A CPT is valid between two dates: give both."
    if is_cpt and cpt_organization is None:
        errors["cpt_organization"] = "A CPT is granted for one employer: name the organization."
    if is_cpt and not authorized_schedule:
        errors["authorized_schedule"] = "Say whether the CPT is part time or full time."
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = "The end date is before the start date."
    if valid_until and valid_until < timezone.localdate():
        errors["valid_until"] = "This authorization has already expired."
    if errors:
        raise ValidationError(errors)
    if (
        profile.work_authorization_status == AuthorizationStatus.VERIFIED
        and profile.authorization_valid_from == valid_from
        and profile.authorization_valid_until == valid_until
        and profile.cpt_organization == cpt_organization
        and profile.authorized_schedule == authorized_schedule
        and profile.opt_kind == opt_kind
    ):
        return profile  # already verified with these terms: nothing to tell anyone
    profile.work_authorization_status = AuthorizationStatus.VERIFIED
    profile.work_authorization_note = ""
    profile.authorization_valid_from = valid_from
    profile.authorization_valid_until = valid_until
    profile.cpt_organization = cpt_organization
    profile.authorized_schedule = authorized_schedule
    profile.opt_kind = opt_kind
    profile.authorization_reviewed_by = actor
    profile.authorization_reviewed_at = timezone.now()
    profile.save()
    audit(
        actor=actor,
        action="work_authorization.verified",
        target=profile,
        summary=f"{actor.email} verified {profile.user.email}'s "
        f"{profile.get_work_authorization_display()}"
        + (
            f" (declared change {profile.authorization_change_display})"
            if profile.authorization_changed_from
            else ""
        ),
        data={
            "work_authorization": profile.work_authorization,
            "declared_before": profile.authorization_changed_from,
            "valid_from": str(valid_from or ""),
            "valid_until": str(valid_until or ""),
            "cpt_organization": cpt_organization.name if cpt_organization else "",
            "authorized_schedule": authorized_schedule,
            "opt_kind": opt_kind,
        },
    )
    _tell_student_about_authorization(profile)
    return profile


@transaction.atomic
def work_authorization_reject(
    *, actor: User, profile: StudentProfile, reason: str
) -> StudentProfile:
    profile = StudentProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if not _may_review_authorization(actor, profile):
        raise PermissionDenied("Only career services of the student's school review this.")
    if not profile.authorization_is_reviewed:
        raise ValidationError("This student's declared status needs no verification.")
    if not reason.strip():
        raise ValidationError({"reason": "Tell the student why, and what to bring instead."})
    if (
        profile.work_authorization_status == AuthorizationStatus.REJECTED
        and profile.work_authorization_note == reason.strip()
    ):
        return profile
    profile.work_authorization_status = AuthorizationStatus.REJECTED
    profile.work_authorization_note = reason.strip()
    profile.authorization_reviewed_by = actor
    profile.authorization_reviewed_at = timezone.now()
    profile.save()
    audit(
        actor=actor,
        action="work_authorization.rejected",
        target=profile,
        summary=f"{actor.email} did not verify {profile.user.email}'s work authorization"
        + (
            f" (declared change {profile.authorization_change_display})"
            if profile.authorization_changed_from
            else ""
        ),
        data={
            "work_authorization": profile.work_authorization,
            "declared_before": profile.authorization_changed_from,
            "reason": reason.strip(),
        },
    )
    _tell_student_about_authorization(profile)
    return profile


def _tell_student_about_authorization(profile: StudentProfile) -> None:
    verified = profile.work_authorization_status == AuthorizationStatus.VERIFIED
    notify(
        recipients=[profile.user],
        kind="work_authorization.reviewed",
        key=f"authorization-{profile.pk}-{profile.work_authorization_status}-"
        f"{profile.authorization_reviewed_at:%Y%m%d%H%M%S}",
        message="Career services verified your work authorization"
        if verified
        else "Career services could not verify your work authorization",
        url=reverse("student_dashboard"),
        context={
            "details": (
                f"Valid until {profile.authorization_valid_until:%B %-d, %Y}."
                if verified and profile.authorization_valid_until
                else profile.work_authorization_note
            )
        },
    )


# --- Suspending an employer --------------------------------------------------------------------


@transaction.atomic
def organization_suspend(*, actor: User, organization: Organization, reason: str) -> Organization:
    """A platform admin suspends an organization: it can no longer publish or accept anyone.
    Once this commits, the `organization_suspended` signal closes its open projects and
    tells their applicants (projects.receivers)."""
    if not actor.is_platform_admin:
        raise PermissionDenied("Only platform admins suspend organizations.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why; the employers will read it."})
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.suspended_at:
        return org
    org.suspended_at = timezone.now()
    org.suspension_reason = reason.strip()
    org.save(update_fields=["suspended_at", "suspension_reason"])
    audit(
        actor=actor,
        action="organization.suspended",
        target=org,
        summary=f"{actor.email} suspended {org.name}",
        data={"reason": org.suspension_reason},
    )
    notify(
        recipients=list(User.objects.filter(employer_profile__organization=org, is_active=True)),
        kind="organization.suspended",
        key=f"organization-{org.pk}-suspended-{org.suspended_at:%Y%m%d%H%M%S}",
        message=f"{org.name} is suspended on the marketplace",
        url=reverse("employer_dashboard"),
        context={"details": f"Reason: {org.suspension_reason}"},
    )
    send_after_commit(organization_suspended, sender=Organization, organization_id=org.pk)
    return org


# --- Suspending a user ----------------------------------------------------------------------


@transaction.atomic
def user_suspend(*, actor: User, user: User, reason: str) -> User:
    """A platform admin suspends an account: it can no longer sign in, and a session it
    has open ends at its next request (Django refuses inactive users). The account and
    everything it did are kept, so the audit trail and the other side's records still
    name it."""
    if not actor.is_platform_admin:
        raise PermissionDenied("Only platform admins suspend accounts.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why; the audit trail keeps it."})
    target = User.objects.select_for_update().get(pk=user.pk)
    if target.is_superuser:
        raise ValidationError("Platform admin accounts are not suspended from here.")
    if not target.is_active:
        return target
    target.is_active = False
    target.save(update_fields=["is_active"])
    audit(
        actor=actor,
        action="user.suspended",
        target=target,
        summary=f"{actor.email} suspended {target.email}",
        data={"reason": reason.strip()},
    )
    return target


@transaction.atomic
def organization_reinstate(*, actor: User, organization: Organization) -> Organization:
    if not actor.is_platform_admin:
        raise PermissionDenied("Only platform admins reinstate organizations.")
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if not org.suspended_at:
        return org
    org.suspended_at = None
    org.suspension_reason = ""
    org.save(update_fields=["suspended_at", "suspension_reason"])
    audit(
        actor=actor,
        action="organization.reinstated",
        target=org,
        summary=f"{actor.email} reinstated {org.name}",
    )
    notify(
        recipients=list(User.objects.filter(employer_profile__organization=org, is_active=True)),
        kind="organization.reinstated",
        key=f"organization-{org.pk}-reinstated-{timezone.now():%Y%m%d%H%M%S}",
        message=f"{org.name} is reinstated: you can publish projects again",
        url=reverse("employer_dashboard"),
        context={"details": "Projects closed during the suspension stay closed."},
    )
    return org

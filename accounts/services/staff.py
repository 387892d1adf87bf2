"""Career services staff: accounts, the staff group and access requests."""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import (
    CareerStaffProfile,
    Role,
    School,
    StaffAccessRequest,
    User,
)
from accounts.outbox import send_templated_mail

CAREER_STAFF_GROUP = "Career services"


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
    ("projects", "view_disclosure"),
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
    ("outcomes", "view_creditpolicy"),
    ("outcomes", "view_creditrequest"),
    ("outcomes", "view_reflection"),
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


def _career_staff_attach(*, actor: User, user: User, school: School, job_title: str) -> User:
    """A staff account opened by the school's single sign-on joins its school's career
    services: until then it sees no student."""
    if not actor.is_platform_admin:
        raise ValidationError("Only platform admins approve career services accounts.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.role != Role.CAREER_STAFF or not user.is_active:
        raise ValidationError(f"{user.email} is not an active career services account.")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(career_staff_group())
    CareerStaffProfile.objects.get_or_create(
        user=user, defaults={"school": school, "job_title": job_title}
    )
    audit(
        actor=actor,
        action="career_staff.approved",
        target=user,
        summary=f"{actor.email} approved {user.email}, signed in through {school.name}'s "
        "single sign-on, as career services staff",
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
    if req.user_id is not None:
        # The account exists already: opened by the school's single sign-on (accounts.sso).
        user = _career_staff_attach(actor=actor, user=req.user, school=req.school, job_title="")
    else:
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

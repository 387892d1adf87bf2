"""Reviewing students' work authorizations."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import (
    AuthorizationStatus,
    Organization,
    StudentProfile,
    User,
    WorkAuthorization,
)
from accounts.notifications import notify

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

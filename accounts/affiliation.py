"""A student's school affiliation: verified, never just claimed.

A student names their school; the platform believes it once one of these is true:

- the student confirmed an email address at one of the school's domains (allauth's
  email confirmation; a second address next to the login address is fine);
- the student signed in through the school's single sign-on as a student (accounts.sso);
- the school's career services approved the student's claim, giving a reason.

Until then the student can browse and apply but cannot be accepted, employers and career
services see "school not verified", and the school's oversight lists and figures leave the
student out. Changing school starts over. A school address that verified the student and is
then removed, or to which mail bounces (accounts.bounces), lapses the verification and flags
the student for career services.

Every change here runs in a transaction, locks the profile and writes an audit event that
the school's career services can read.
"""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.access import oversees
from accounts.audit import audit
from accounts.models import (
    Affiliation,
    AffiliationMethod,
    EmailBounce,
    School,
    SchoolSignOn,
    StudentProfile,
    User,
)
from accounts.notifications import notify


def school_address_of(user_id: int, school: School) -> str:
    """A confirmed address of the user at one of the school's domains, to which mail does
    not bounce ("" if none); the login address first."""
    addresses = list(
        EmailAddress.objects.filter(user_id=user_id, verified=True).order_by("-primary", "pk")
    )
    bounced = {
        e.lower()
        for e in EmailBounce.objects.filter(
            cleared_at__isnull=True, email__in=[a.email.lower() for a in addresses]
        ).values_list("email", flat=True)
    }
    for address in addresses:
        if address.email.lower() in bounced:
            continue
        if school.owns_address(address.email):
            return address.email.lower()
    return ""


def sign_on_school_ids(user_id: int) -> list[int]:
    """The schools through whose single sign-on this user has signed in."""
    provider_ids = SocialAccount.objects.filter(user_id=user_id).values_list("provider", flat=True)
    return list(
        SchoolSignOn.objects.filter(app__provider_id__in=provider_ids)
        .order_by("school_id")
        .values_list("school_id", flat=True)
        .distinct()
    )


def signed_in_through(user_id: int, school: School) -> bool:
    """Has the user signed in through one of the school's single sign-on connections?"""
    provider_ids = SchoolSignOn.objects.filter(school=school).values_list(
        "app__provider_id", flat=True
    )
    return SocialAccount.objects.filter(user_id=user_id, provider__in=provider_ids).exists()


def _clear(profile: StudentProfile) -> None:
    profile.affiliation = Affiliation.UNVERIFIED
    profile.affiliation_method = ""
    profile.affiliation_email = ""
    profile.affiliation_verified_at = None
    profile.affiliation_claim = ""
    profile.affiliation_claimed_at = None
    profile.affiliation_decided_by = None
    profile.affiliation_reason = ""


def _verify_by_email(profile: StudentProfile, email: str, *, actor: User | None) -> None:
    _clear(profile)
    profile.affiliation = Affiliation.VERIFIED
    profile.affiliation_method = AffiliationMethod.SCHOOL_EMAIL
    profile.affiliation_email = email
    profile.affiliation_verified_at = timezone.now()
    profile.affiliation_lapsed_email = ""
    profile.affiliation_lapsed_at = None
    profile.affiliation_lapsed_because = ""
    audit(
        actor=actor,
        action="affiliation.verified",
        target=profile,
        summary=f"{profile.user.email}'s affiliation with {profile.school.name} is verified "
        f"by the confirmed address {email}",
        data={"method": AffiliationMethod.SCHOOL_EMAIL, "email": email},
    )


def _verify_by_sign_on(profile: StudentProfile, *, actor: User | None) -> None:
    _clear(profile)
    profile.affiliation = Affiliation.VERIFIED
    profile.affiliation_method = AffiliationMethod.SCHOOL_SSO
    profile.affiliation_verified_at = timezone.now()
    profile.affiliation_lapsed_email = ""
    profile.affiliation_lapsed_at = None
    audit(
        actor=actor,
        action="affiliation.verified",
        target=profile,
        summary=f"{profile.user.email}'s affiliation with {profile.school.name} is verified "
        "by a sign-in through the school's single sign-on",
        data={"method": AffiliationMethod.SCHOOL_SSO},
    )


@transaction.atomic
def affiliation_verify_by_sign_on(*, user: User, school: School) -> StudentProfile | None:
    """The student signed in through the school's single sign-on, the directory listing them
    as a student: their affiliation with that school is verified. A student whose profile
    names another school (or no school yet) is left as is: the profile's save checks again."""
    profile = (
        StudentProfile.objects.select_for_update()
        .select_related("user", "school")
        .filter(user_id=user.pk)
        .first()
    )
    if profile is None or profile.school_id != school.pk:
        return profile
    if (
        profile.affiliation == Affiliation.VERIFIED
        and profile.affiliation_method != AffiliationMethod.SCHOOL_EMAIL
    ):
        return profile
    _verify_by_sign_on(profile, actor=user)
    profile.save()
    return profile


def affiliation_on_profile_saved(
    *, profile: StudentProfile, actor: User, school_changed: bool
) -> None:
    """Called by `student_profile_save` inside its transaction, the profile locked: a new
    school starts over, and a confirmed address at it verifies the student at once."""
    if school_changed:
        had = profile.affiliation
        _clear(profile)
        profile.affiliation_lapsed_email = ""
        profile.affiliation_lapsed_at = None
        profile.affiliation_lapsed_because = ""
        if had != Affiliation.UNVERIFIED:
            audit(
                actor=actor,
                action="affiliation.reset",
                target=profile,
                summary=f"{profile.user.email} changed school to {profile.school.name}: "
                "their school affiliation must be verified again",
                data={"was": had},
            )
    if profile.affiliation != Affiliation.VERIFIED:
        if signed_in_through(profile.user_id, profile.school):
            _verify_by_sign_on(profile, actor=actor)
        else:
            email = school_address_of(profile.user_id, profile.school)
            if email:
                _verify_by_email(profile, email, actor=actor)
    profile.save()


@transaction.atomic
def affiliation_check(
    *, user: User, because: str = "removed", actor: User | None = None
) -> StudentProfile | None:
    """Read the student's confirmed addresses again (one was confirmed, removed, or mail to
    it bounced: `because`).

    A confirmed school address verifies the student. If the address behind a verification
    is gone, another confirmed school address takes its place; without one, the
    verification lapses and the student is flagged for career services. `actor` is who
    acted (None: the platform, for a bounce); by default the student.
    """
    actor = user if actor is None and because != "bounced" else actor
    profile = (
        StudentProfile.objects.select_for_update()
        .select_related("user", "school")
        .filter(user_id=user.pk)
        .first()
    )
    if profile is None:
        return None  # no school named yet: the profile's first save checks the addresses
    email = school_address_of(profile.user_id, profile.school)
    if profile.affiliation != Affiliation.VERIFIED:
        if email:
            _verify_by_email(profile, email, actor=actor)
            profile.save()
            notify(
                recipients=[profile.user],
                kind="affiliation.verified",
                key=f"affiliation-{profile.pk}-verified-{email}-"
                f"{profile.affiliation_verified_at:%Y%m%d%H%M%S}",
                message=f"Your affiliation with {profile.school.name} is verified",
                url=reverse("school_affiliation"),
                email=False,
            )
        return profile
    if profile.affiliation_method != AffiliationMethod.SCHOOL_EMAIL:
        return profile  # approved by career services: no address behind it
    if email == profile.affiliation_email:
        return profile
    if email:
        previous = profile.affiliation_email
        profile.affiliation_email = email
        profile.save(update_fields=["affiliation_email"])
        audit(
            actor=actor,
            action="affiliation.address_replaced",
            target=profile,
            summary=f"{user.email}'s school affiliation now rests on {email} "
            f"({previous} is no longer confirmed, or mail to it bounced)",
            data={"before": previous, "after": email},
        )
        return profile
    lapsed = profile.affiliation_email
    _clear(profile)
    profile.affiliation_lapsed_email = lapsed
    profile.affiliation_lapsed_at = timezone.now()
    profile.affiliation_lapsed_because = because
    profile.save()
    what = (
        "mail to the school address {} bounced"
        if because == "bounced"
        else ("no longer has the school address {}")
    )
    audit(
        actor=actor,
        action="affiliation.lapsed",
        target=profile,
        summary=f"{user.email}: {what.format(lapsed)}; their affiliation "
        f"with {profile.school.name} is no longer verified",
        data={"email": lapsed, "because": because},
    )
    notify(
        recipients=[profile.user],
        kind="affiliation.lapsed",
        key=f"affiliation-{profile.pk}-lapsed-{profile.affiliation_lapsed_at:%Y%m%d%H%M%S}",
        message=f"Your affiliation with {profile.school.name} needs verifying again",
        url=reverse("school_affiliation"),
        context={
            "details": (
                f"Mail to {lapsed} bounced. Remove it and add it again (or another school "
                "address) to confirm it, or ask career services to confirm you."
                if because == "bounced"
                else f"{lapsed} was removed from your account. Confirm a school address "
                "again, or ask career services to confirm you."
            )
        },
    )
    return profile


@transaction.atomic
def affiliation_claim_submit(*, user: User, statement: str) -> StudentProfile:
    """The student asks their school's career services to confirm they are a student there."""
    statement = statement.strip()
    if not statement:
        raise ValidationError(
            {"statement": "Tell career services how they can find you (e.g. your student ID)."}
        )
    profile = (
        StudentProfile.objects.select_for_update()
        .select_related("user", "school")
        .filter(user_id=user.pk)
        .first()
    )
    if profile is None:
        raise ValidationError("Name your school in your profile first.")
    if profile.affiliation == Affiliation.VERIFIED:
        raise ValidationError("Your school is already verified.")
    if profile.affiliation == Affiliation.PENDING and profile.affiliation_claim == statement:
        return profile
    profile.affiliation = Affiliation.PENDING
    profile.affiliation_claim = statement
    profile.affiliation_claimed_at = timezone.now()
    profile.affiliation_decided_by = None
    profile.affiliation_reason = ""
    profile.save()
    audit(
        actor=user,
        action="affiliation.claimed",
        target=profile,
        summary=f"{user.email} asked career services to confirm they study at "
        f"{profile.school.name}",
        data={"statement": statement},
    )
    staff = list(
        User.objects.filter(career_staff_profile__school=profile.school_id, is_active=True)
    )
    notify(
        recipients=staff,
        kind="affiliation.claimed",
        key=f"affiliation-{profile.pk}-claimed-{profile.affiliation_claimed_at:%Y%m%d%H%M%S}",
        message=f"{user.get_full_name()} says they study at {profile.school.name}",
        url=reverse("admin:accounts_affiliationclaim_review", args=[profile.pk]),
        context={"details": f"Their words: {statement}"},
    )
    return profile


def _claim_for_decision(actor: User, profile: StudentProfile, reason: str) -> StudentProfile:
    profile = (
        StudentProfile.objects.select_for_update()
        .select_related("user", "school")
        .get(pk=profile.pk)
    )
    if not oversees(actor, profile.school_id):
        raise PermissionDenied("Only career services of the student's school decide this.")
    if not actor.is_platform_admin and not actor.has_perm("accounts.verify_school_affiliation"):
        raise PermissionDenied("Your account may not decide school claims.")
    if not reason.strip():
        raise ValidationError({"reason": "Give a reason; it is kept in the audit trail."})
    return profile


@transaction.atomic
def affiliation_claim_approve(
    *, actor: User, profile: StudentProfile, reason: str
) -> StudentProfile:
    """Career services confirm the student studies at their school."""
    profile = _claim_for_decision(actor, profile, reason)
    if profile.affiliation == Affiliation.VERIFIED:
        return profile
    if profile.affiliation != Affiliation.PENDING:
        raise ValidationError("Only a claim waiting for career services can be approved.")
    claim, claimed_at = profile.affiliation_claim, profile.affiliation_claimed_at
    _clear(profile)
    profile.affiliation_claim, profile.affiliation_claimed_at = claim, claimed_at
    profile.affiliation = Affiliation.VERIFIED
    profile.affiliation_method = AffiliationMethod.CAREER_STAFF
    profile.affiliation_verified_at = timezone.now()
    profile.affiliation_decided_by = actor
    profile.affiliation_reason = reason.strip()
    profile.affiliation_lapsed_email = ""
    profile.affiliation_lapsed_at = None
    profile.affiliation_lapsed_because = ""
    profile.save()
    audit(
        actor=actor,
        action="affiliation.approved",
        target=profile,
        summary=f"{actor.email} confirmed that {profile.user.email} studies at "
        f"{profile.school.name}",
        data={"reason": profile.affiliation_reason, "claim": claim},
    )
    notify(
        recipients=[profile.user],
        kind="affiliation.approved",
        key=f"affiliation-{profile.pk}-approved-{profile.affiliation_verified_at:%Y%m%d%H%M%S}",
        message=f"Career services at {profile.school.name} confirmed your school",
        url=reverse("school_affiliation"),
    )
    return profile


@transaction.atomic
def affiliation_claim_decline(
    *, actor: User, profile: StudentProfile, reason: str
) -> StudentProfile:
    """Career services cannot confirm the student; the student reads why."""
    profile = _claim_for_decision(actor, profile, reason)
    if profile.affiliation == Affiliation.DECLINED and profile.affiliation_reason == reason.strip():
        return profile
    if profile.affiliation != Affiliation.PENDING:
        raise ValidationError("Only a claim waiting for career services can be declined.")
    profile.affiliation = Affiliation.DECLINED
    profile.affiliation_decided_by = actor
    profile.affiliation_reason = reason.strip()
    profile.save()
    audit(
        actor=actor,
        action="affiliation.declined",
        target=profile,
        summary=f"{actor.email} could not confirm that {profile.user.email} studies at "
        f"{profile.school.name}",
        data={"reason": profile.affiliation_reason, "claim": profile.affiliation_claim},
    )
    notify(
        recipients=[profile.user],
        kind="affiliation.declined",
        key=f"affiliation-{profile.pk}-declined-{timezone.now():%Y%m%d%H%M%S}",
        message=f"Career services at {profile.school.name} could not confirm your school",
        url=reverse("school_affiliation"),
        context={"details": f"Their reason: {profile.affiliation_reason}"},
    )
    return profile

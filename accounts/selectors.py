"""Reads for account pages, each with the joins its page needs."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import (
    Affiliation,
    AuthorizationStatus,
    CareerStaffProfile,
    EmployerProfile,
    OptKind,
    Role,
    StaffAccessRequest,
    StudentProfile,
    User,
)


def student_profile_of(user: User) -> StudentProfile | None:
    return (
        StudentProfile.objects.select_related("school", "user")
        .prefetch_related("skills")
        .filter(user=user)
        .first()
    )


def school_domains(school) -> list[str]:
    """Every email domain of a school, its main one first."""
    others = [d.domain for d in school.other_domains.all()]
    return [school.email_domain.lower(), *others] if school.email_domain else others


def employer_profile_of(user: User) -> EmployerProfile | None:
    return EmployerProfile.objects.select_related("organization", "user").filter(user=user).first()


def career_staff_profile_of(user: User) -> CareerStaffProfile | None:
    return CareerStaffProfile.objects.select_related("school", "user").filter(user=user).first()


def staff_access_request_pending(user: User) -> bool:
    """Is this staff account (opened by the school's single sign-on) waiting for approval?"""
    return StaffAccessRequest.objects.filter(
        user=user, status=StaffAccessRequest.Status.PENDING
    ).exists()


def profile_is_complete(user: User) -> bool:
    """Has this user given what their role needs before using the marketplace?"""
    if user.role == Role.STUDENT:
        return StudentProfile.objects.filter(user=user).exists()
    if user.role == Role.EMPLOYER:
        return EmployerProfile.objects.filter(user=user).exists()
    return True


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool
    hint: str


def student_checklist(profile: StudentProfile | None) -> list[ChecklistItem]:
    """What a student has and has not yet told employers, in the order it matters."""
    if profile is None:
        return [ChecklistItem("School, major and graduation year", False, "Start your profile.")]
    skills = list(profile.skills.all())
    return [
        ChecklistItem("School, major and graduation year", True, ""),
        ChecklistItem(
            "At least three skills",
            len(skills) >= 3,
            "Employers review skills before names: list what you can do.",
        ),
        ChecklistItem(
            "A short bio",
            bool(profile.bio),
            "Two or three sentences about what you like to work on.",
        ),
        ChecklistItem(
            "Résumé (PDF)",
            bool(profile.resume),
            "Shared with an employer only once they shortlist you.",
        ),
        ChecklistItem(
            "A link to your work",
            bool(profile.linkedin_url or profile.github_url or profile.portfolio_url),
            "LinkedIn, GitHub or a portfolio.",
        ),
    ]


def organization_employers(organization_id: int) -> list[User]:
    """Everyone who acts for an organization (told about its projects and engagements)."""
    return list(
        User.objects.filter(employer_profile__organization_id=organization_id, is_active=True)
    )


def employers_by_organization(organization_ids) -> dict[int, list[User]]:
    """Each organization's active employers, in one query."""
    people = defaultdict(list)
    for user in User.objects.filter(
        employer_profile__organization_id__in=set(organization_ids), is_active=True
    ).select_related("employer_profile"):
        people[user.employer_profile.organization_id].append(user)
    return people


def career_staff_by_school(school_ids) -> dict[int, list[User]]:
    """Each school's active career services staff, in one query."""
    people = defaultdict(list)
    for user in User.objects.filter(
        career_staff_profile__school_id__in=set(school_ids), is_active=True
    ).select_related("career_staff_profile"):
        people[user.career_staff_profile.school_id].append(user)
    return people


def platform_admins() -> list[User]:
    return list(User.objects.filter(is_superuser=True, is_active=True))


def organization_colleagues(profile: EmployerProfile) -> list[User]:
    return list(
        User.objects.filter(employer_profile__organization=profile.organization_id)
        .select_related("employer_profile")
        .order_by("last_name", "first_name")
    )


@dataclass(frozen=True)
class SchoolOverview:
    students: int
    claims: int
    needs_verification: int
    verified: int
    rejected: int
    pending_profiles: list[StudentProfile]


def school_overview(school_id: int, *, pending_limit: int = 25) -> SchoolOverview:
    """Counts for a career services dashboard, in one aggregate query plus one list. The
    school's students are those whose affiliation is verified; claims are counted apart."""
    mine = StudentProfile.verified_at_school(school_id)
    counts = StudentProfile.objects.filter(school_id=school_id).aggregate(
        students=Count("pk", filter=mine),
        claims=Count("pk", filter=Q(affiliation=Affiliation.PENDING)),
        needs_verification=Count(
            "pk", filter=mine & Q(work_authorization_status=AuthorizationStatus.PENDING)
        ),
        verified=Count(
            "pk", filter=mine & Q(work_authorization_status=AuthorizationStatus.VERIFIED)
        ),
        rejected=Count(
            "pk", filter=mine & Q(work_authorization_status=AuthorizationStatus.REJECTED)
        ),
    )
    pending = list(
        StudentProfile.objects.filter(mine, work_authorization_status=AuthorizationStatus.PENDING)
        .select_related("user")
        .order_by("updated_at")[:pending_limit]
    )
    return SchoolOverview(pending_profiles=pending, **counts)


def affiliation_blocker(profile: StudentProfile | None) -> str:
    """Why this student cannot be accepted because of their school, or "" if they can.
    Names no school: an employer reads it before shortlisting too."""
    if profile is None or profile.affiliation_verified:
        return ""
    return (
        "School not verified: the student cannot be accepted until they confirm an email "
        "address at their school or their school's career services confirm them."
    )


def acceptance_blocker(profile: StudentProfile | None) -> str:
    """Why this student cannot be accepted for paid work now, or "" if they can.

    Shown to both sides: the employer on the applicant, the student on their application.
    """
    if profile is None:
        return "The student has not completed their profile."
    status = profile.work_authorization_status
    if status == AuthorizationStatus.NOT_AUTHORIZED:
        return "The student is not authorized to work in the US, so they cannot be accepted."
    if status == AuthorizationStatus.PENDING:
        return (
            f"The student's work authorization ({profile.get_work_authorization_display()}) "
            "is awaiting verification by their school's career services."
        )
    if status == AuthorizationStatus.VERIFIED:
        today = timezone.localdate()
        if profile.authorization_expired_on(today):
            return (
                "The student's work authorization expired on "
                f"{profile.authorization_valid_until:%B %-d, %Y}; career services must verify "
                "a new one."
            )
        if profile.authorization_not_yet_valid_on(today):
            return (
                "The student's work authorization is valid only from "
                f"{profile.authorization_valid_from:%B %-d, %Y}."
            )
        if profile.opt_kind == OptKind.STEM_EXTENSION:
            return (
                "The student is on the STEM OPT extension, which allows work only as a paid "
                "employee of an E-Verify employer under a training plan (Form I-983). Contract "
                "work such as a micro-internship is not allowed, so they cannot be accepted."
            )
    if status == AuthorizationStatus.REJECTED:
        return (
            "The student's work authorization was not verified by their school's career "
            "services, so they cannot be accepted."
        )
    return ""


def cpt_blocker(profile: StudentProfile | None, *, organization_id: int, last_day: date) -> str:
    """Why a verified CPT does not cover this work, or "" (also for every other status).

    A CPT names one employer and its dates: the student may work only for that organization,
    and the engagement must be due by the CPT's last day. The employer reading this is not
    told which other organization the CPT names.
    """
    if profile is None or not profile.is_verified_cpt:
        return ""
    if profile.cpt_organization_id != organization_id:
        return (
            "The student's CPT (Curricular Practical Training) authorizes work for another "
            "employer only, so they cannot be accepted for this organization's project."
        )
    if last_day > profile.authorization_valid_until:
        return (
            f"The student's CPT ends on {profile.authorization_valid_until:%B %-d, %Y}, before "
            f"this project would be due ({last_day:%B %-d, %Y}); it cannot be accepted unless "
            "career services record a CPT that covers the whole project."
        )
    return ""

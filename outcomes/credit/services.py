"""Every change to academic credit: the school's policy, a student's request and each
approver's decision. The life cycle and its invariants are drawn in `outcomes.credit`.

Each entry point opens its own transaction, locks the request (after its engagement, when
it creates one), does nothing if the request is already where the call would take it,
writes a step row and an audit row, and tells people after commit (notifications and the
faculty member's email go through the outbox).
"""

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.access import staff_school_id
from accounts.audit import audit
from accounts.models import AcademicTerm, Role, School, User
from accounts.notifications import notify
from accounts.outbox import send_templated_mail
from accounts.selectors import career_staff_by_school
from engagements import lifecycle
from engagements.models import Engagement, EngagementStatus
from outcomes.credit.models import (
    HOURS_PER_CREDIT_MAX,
    OPEN_STATUSES,
    CreditDecision,
    CreditPolicy,
    CreditRequest,
    CreditRole,
    CreditStatus,
    CreditStep,
    FacultyApproval,
    FacultyReviewLink,
    credit_tenths,
    hash_token,
)

# Engagements the employer approved: the hours are final.
ELIGIBLE_ENGAGEMENT_STATUSES = (EngagementStatus.APPROVED, EngagementStatus.PAID)
# Letters, then a number, then at most two letters: "BUS 390", "CS-499", "MKTG 4960A".
COURSE_CODE = re.compile(r"^[A-Z]{2,8}[ -]?[0-9]{2,5}[A-Z]{0,2}$")
COURSE_CODE_HELP = "Letters, then the course number, as your school writes it, e.g. BUS 390."
COMMENT_MAX = 2000
STUDENT_NUMBER = re.compile(r"^[A-Za-z0-9-]{1,30}$")


# --- The school's policy ----------------------------------------------------------------


def policy_of(school_id: int) -> CreditPolicy:
    """The school's policy, or the defaults (unsaved) when it has set none."""
    policy = CreditPolicy.objects.filter(school_id=school_id).first()
    return policy or CreditPolicy(school_id=school_id)


def _require_staff_of(actor: User, school_id: int) -> None:
    if staff_school_id(actor) != school_id:
        raise PermissionDenied("Only career services of this school decide on its credit.")


@transaction.atomic(durable=True)
def credit_policy_save(
    *,
    actor: User,
    school: School,
    hours_per_credit: int,
    faculty_approval: str,
    default_faculty_email: str = "",
) -> CreditPolicy:
    """Career services set how many hours make a credit and who approves."""
    _require_staff_of(actor, school.pk)
    errors = {}
    if not 1 <= hours_per_credit <= HOURS_PER_CREDIT_MAX:
        errors["hours_per_credit"] = (
            f"Enter a whole number of hours between 1 and {HOURS_PER_CREDIT_MAX}."
        )
    if faculty_approval not in FacultyApproval.values:
        errors["faculty_approval"] = "Choose who approves."
    default_faculty_email = default_faculty_email.strip().lower()
    if faculty_approval == FacultyApproval.NONE and default_faculty_email:
        errors["default_faculty_email"] = (
            "Career services decide alone under this policy: leave the faculty approver empty."
        )
    if faculty_approval == FacultyApproval.REQUIRED and not default_faculty_email:
        errors["default_faculty_email"] = (
            "Name the faculty member who approves when a faculty approval is required."
        )
    if errors:
        raise ValidationError(errors)
    School.objects.select_for_update().get(pk=school.pk)
    policy = CreditPolicy.objects.select_for_update().filter(school=school).first()
    before = (
        {
            "hours_per_credit": policy.hours_per_credit,
            "faculty_approval": policy.faculty_approval,
            "default_faculty_email": policy.default_faculty_email,
        }
        if policy
        else None
    )
    policy = policy or CreditPolicy(school=school)
    after = {
        "hours_per_credit": hours_per_credit,
        "faculty_approval": faculty_approval,
        "default_faculty_email": default_faculty_email,
    }
    if before == after:
        return policy
    policy.hours_per_credit = hours_per_credit
    policy.faculty_approval = faculty_approval
    policy.default_faculty_email = default_faculty_email
    policy.updated_at = timezone.now()
    policy.updated_by = actor
    policy.save()
    audit(
        actor=actor,
        action="credit_policy.changed",
        target=school,
        summary=f"{actor.email} set {school}'s credit policy: {hours_per_credit} hours a credit, "
        f"{policy.get_faculty_approval_display().lower()}",
        data={"before": before, "after": after},
    )
    return policy


# --- Input checks shared by the student's forms ------------------------------------------


def normalize_course_code(raw: str) -> str:
    return " ".join(raw.split()).upper()


@dataclass(frozen=True)
class Course:
    code: str
    term: AcademicTerm | None
    term_name: str
    student_number: str


def _course(
    *, school_id: int, course_code: str, term_id: int | None, term_name: str, student_number: str
) -> Course:
    errors = {}
    student_number = student_number.strip()
    if student_number and not STUDENT_NUMBER.match(student_number):
        errors["student_number"] = (
            "Enter your student ID as your school writes it: letters, digits and hyphens, "
            "at most 30."
        )
    code = normalize_course_code(course_code)
    if not code:
        errors["course_code"] = "Enter the course this credit is for. " + COURSE_CODE_HELP
    elif not COURSE_CODE.match(code):
        errors["course_code"] = f"“{code[:20]}” is not a course code. " + COURSE_CODE_HELP
    term = None
    terms = AcademicTerm.objects.filter(school_id=school_id)
    if terms.exists():
        term = terms.filter(pk=term_id).first() if term_id else None
        if term is None:
            errors["term"] = "Choose the term of your school's calendar this credit is for."
        else:
            term_name = term.name
    else:
        term_name = " ".join(term_name.split())
        if len(term_name) < 4:
            errors["term_name"] = "Name the term this credit is for, e.g. Spring 2027."
        elif len(term_name) > 60:
            errors["term_name"] = "Keep the term under 60 characters."
    if errors:
        raise ValidationError(errors)
    return Course(code=code, term=term, term_name=term_name, student_number=student_number)


def _hours_and_credits(engagement: Engagement, policy: CreditPolicy) -> tuple[int, int]:
    quarters = engagement.logged_quarters
    if quarters <= 0:
        raise ValidationError("No hours are logged on this engagement: there is nothing to count.")
    tenths = credit_tenths(quarters=quarters, hours_per_credit=policy.hours_per_credit)
    if tenths <= 0:
        raise ValidationError(
            f"{quarters / 4:g} hours make less than a tenth of a credit at your school's rate "
            f"of {policy.hours_per_credit} hours a credit."
        )
    return quarters, tenths


# --- Steps and who hears of them -----------------------------------------------------------


def _step(
    request: CreditRequest,
    *,
    role: str,
    decision: str,
    actor: User | None,
    comment: str = "",
    name: str = "",
    email: str = "",
) -> CreditStep:
    return CreditStep.objects.create(
        request=request,
        role=role,
        decision=decision,
        actor=actor,
        actor_name=(name or (actor.get_full_name() if actor else "") or email)[:120],
        actor_email=email or (actor.email if actor else ""),
        comment=comment,
    )


def _student_url(request: CreditRequest) -> str:
    return reverse("outcomes:credit_request", args=[request.pk])


def _staff_url(request: CreditRequest) -> str:
    return reverse("outcomes:credit_review", args=[request.pk])


def _describe(request: CreditRequest) -> str:
    return f"{request.course_code} ({request.term_name}), “{request.engagement.project.title}”"


def _tell_student(request: CreditRequest, step: CreditStep, message: str) -> None:
    notify(
        recipients=[request.student],
        kind="credit",
        key=f"credit-{request.pk}-step-{step.pk}",
        message=message,
        url=_student_url(request),
    )


def _tell_staff(request: CreditRequest, step: CreditStep, message: str) -> None:
    staff = career_staff_by_school([request.school_id]).get(request.school_id, [])
    notify(
        recipients=staff,
        kind="credit",
        key=f"credit-{request.pk}-step-{step.pk}",
        message=message,
        url=_staff_url(request),
    )


def _lock(request: CreditRequest) -> CreditRequest:
    return (
        CreditRequest.objects.select_for_update(of=("self",))
        .select_related("engagement__project", "student", "school")
        .get(pk=request.pk)
    )


def _revoke_links(request: CreditRequest, now) -> list[FacultyReviewLink]:
    links = list(
        FacultyReviewLink.objects.select_for_update().filter(
            request=request, used_at__isnull=True, revoked_at__isnull=True
        )
    )
    for link in links:
        link.revoked_at = now
        link.save(update_fields=["revoked_at"])
    return links


def _tell_faculty_no_longer_needed(request: CreditRequest, links: list[FacultyReviewLink]):
    for link in links:
        send_templated_mail(
            template="credit_faculty_withdrawn",
            to=[link.email],
            context={"credit": request, "link": link},
            key=f"credit-link-{link.pk}-revoked",
        )


# --- The student -------------------------------------------------------------------------


def _require_student(actor: User, student_id: int) -> None:
    if not (actor.role == Role.STUDENT and actor.pk == student_id):
        raise PermissionDenied("Only the student asks for credit for their own work.")


@transaction.atomic(durable=True)
def credit_request_submit(
    *,
    actor: User,
    engagement: Engagement,
    course_code: str,
    term_id: int | None = None,
    term_name: str = "",
    student_number: str = "",
) -> CreditRequest:
    """The student asks their school for credit for an engagement the employer approved."""
    engagement = lifecycle.lock(engagement)
    _require_student(actor, engagement.student_id)
    if engagement.status not in ELIGIBLE_ENGAGEMENT_STATUSES:
        raise ValidationError(
            "Credit is asked for once the employer has approved the work: the hours are final then."
        )
    profile = getattr(actor, "student_profile", None)
    school_id = profile.school_id if profile else None
    if school_id is None:
        raise ValidationError("Add your school to your profile before asking it for credit.")
    existing = (
        CreditRequest.objects.filter(engagement=engagement)
        .exclude(status=CreditStatus.WITHDRAWN)
        .first()
    )
    if existing is not None:
        raise ValidationError(
            f"You already asked for credit for this engagement ({existing.get_status_display()})."
        )
    course = _course(
        school_id=school_id,
        course_code=course_code,
        term_id=term_id,
        term_name=term_name,
        student_number=student_number,
    )
    policy = policy_of(school_id)
    quarters, tenths = _hours_and_credits(engagement, policy)
    now = timezone.now()
    try:
        with transaction.atomic():
            request = CreditRequest.objects.create(
                engagement=engagement,
                student=actor,
                school_id=school_id,
                course_code=course.code,
                student_number=course.student_number,
                term=course.term,
                term_name=course.term_name,
                quarters=quarters,
                hours_per_credit=policy.hours_per_credit,
                credits_tenths=tenths,
                created_at=now,
                submitted_at=now,
            )
    except IntegrityError as error:  # another tab sent one a moment ago
        raise ValidationError("You already asked for credit for this engagement.") from error
    step = _step(request, role=CreditRole.STUDENT, decision=CreditDecision.SUBMITTED, actor=actor)
    audit(
        actor=actor,
        action="credit.submitted",
        target=request,
        summary=f"{actor.email} asked for {request.credits} credits for {_describe(request)}",
        data={"course_code": request.course_code, "term": request.term_name, "quarters": quarters},
    )
    _tell_staff(
        request,
        step,
        f"{actor.get_full_name()} asks for {request.credits} credits for {_describe(request)}.",
    )
    return request


@transaction.atomic(durable=True)
def credit_request_resubmit(
    *,
    actor: User,
    request: CreditRequest,
    course_code: str,
    term_id: int | None = None,
    term_name: str = "",
    student_number: str = "",
) -> CreditRequest:
    """The student changes a returned request and sends it again to career services. The
    hours and the rate are read afresh."""
    lifecycle.lock(request.engagement_id)
    request = _lock(request)
    _require_student(actor, request.student_id)
    if request.status != CreditStatus.RETURNED:
        raise ValidationError("Only a request returned to you can be changed and sent again.")
    course = _course(
        school_id=request.school_id,
        course_code=course_code,
        term_id=term_id,
        term_name=term_name,
        student_number=student_number,
    )
    policy = policy_of(request.school_id)
    quarters, tenths = _hours_and_credits(request.engagement, policy)
    request.course_code, request.term, request.term_name = (
        course.code,
        course.term,
        course.term_name,
    )
    request.student_number = course.student_number
    request.quarters, request.hours_per_credit, request.credits_tenths = (
        quarters,
        policy.hours_per_credit,
        tenths,
    )
    request.status = CreditStatus.SUBMITTED
    request.submitted_at = timezone.now()
    request.faculty_email = request.faculty_name = ""
    request.save()
    step = _step(request, role=CreditRole.STUDENT, decision=CreditDecision.SUBMITTED, actor=actor)
    audit(
        actor=actor,
        action="credit.resubmitted",
        target=request,
        summary=f"{actor.email} sent again the request for {_describe(request)}",
        data={"course_code": request.course_code, "term": request.term_name, "quarters": quarters},
    )
    _tell_staff(
        request,
        step,
        f"{actor.get_full_name()} changed and sent again the credit request for "
        f"{_describe(request)}.",
    )
    return request


@transaction.atomic(durable=True)
def credit_request_withdraw(*, actor: User, request: CreditRequest) -> CreditRequest:
    request = _lock(request)
    _require_student(actor, request.student_id)
    if request.status == CreditStatus.WITHDRAWN:
        return request
    if request.status not in OPEN_STATUSES:
        raise ValidationError("An approved request stays on your record.")
    now = timezone.now()
    was_with_faculty = request.status == CreditStatus.WITH_FACULTY
    links = _revoke_links(request, now)
    request.status = CreditStatus.WITHDRAWN
    request.closed_at = now
    request.save(update_fields=["status", "closed_at"])
    step = _step(request, role=CreditRole.STUDENT, decision=CreditDecision.WITHDRAWN, actor=actor)
    audit(
        actor=actor,
        action="credit.withdrawn",
        target=request,
        summary=f"{actor.email} withdrew the request for {_describe(request)}",
    )
    _tell_staff(
        request,
        step,
        f"{actor.get_full_name()} withdrew the credit request for {_describe(request)}.",
    )
    if was_with_faculty:
        _tell_faculty_no_longer_needed(request, links)
    return request


# --- Career services ------------------------------------------------------------------------


@dataclass(frozen=True)
class FacultyInvite:
    email: str
    name: str = ""


@dataclass(frozen=True)
class IssuedLink:
    link: FacultyReviewLink
    # The address with the token: mailed to the faculty member, never stored.
    review_url: str


def _issue_link(request: CreditRequest, *, actor: User, invite: FacultyInvite) -> IssuedLink:
    """Inside the caller's transaction: a new link for the faculty member, mailed after
    commit. The token is never stored, only its hash."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = FacultyReviewLink.objects.create(
        request=request,
        email=invite.email,
        name=invite.name,
        token_hash=hash_token(token),
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=settings.CREDIT_FACULTY_LINK_DAYS),
    )
    review_url = settings.SITE_URL + reverse("outcomes:credit_faculty", args=[token])
    send_templated_mail(
        template="credit_faculty_review",
        to=[invite.email],
        context={"credit": request, "link": link, "inviter": actor, "review_url": review_url},
        key=f"credit-link-{link.pk}",
    )
    audit(
        actor=actor,
        action="credit.faculty_link_sent",
        target=request,
        summary=f"{actor.email} sent {invite.email} a link to review {_describe(request)}",
        data={"email": invite.email, "expires_at": link.expires_at.isoformat()},
    )
    return IssuedLink(link=link, review_url=review_url)


def _faculty_invite(policy: CreditPolicy, email: str, name: str) -> FacultyInvite | None:
    email = email.strip().lower()
    name = " ".join(name.split())
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise ValidationError({"faculty_email": "Enter a valid email address."}) from error
        if not policy.faculty_allowed:
            raise ValidationError(
                {"faculty_email": "Your school's policy has career services decide alone."}
            )
        return FacultyInvite(email=email, name=name[:120])
    if policy.faculty_required:
        raise ValidationError(
            {"faculty_email": "Your school's policy needs a faculty member's approval: name one."}
        )
    return None


@transaction.atomic(durable=True)
def credit_request_staff_approve(
    *,
    actor: User,
    request: CreditRequest,
    comment: str = "",
    faculty_email: str = "",
    faculty_name: str = "",
) -> CreditRequest:
    """Career services approve. Naming a faculty member (or a policy that requires one) sends
    the request on to them; otherwise the credit is granted."""
    request = _lock(request)
    _require_staff_of(actor, request.school_id)
    if request.status in (CreditStatus.WITH_FACULTY, CreditStatus.APPROVED):
        return request  # a second click, or a colleague was quicker
    if request.status != CreditStatus.SUBMITTED:
        raise ValidationError(f"This request is {request.get_status_display().lower()}.")
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": f"Keep the comment under {COMMENT_MAX} characters."})
    invite = _faculty_invite(policy_of(request.school_id), faculty_email, faculty_name)
    now = timezone.now()
    step = _step(
        request,
        role=CreditRole.CAREER_STAFF,
        decision=CreditDecision.APPROVED,
        actor=actor,
        comment=comment,
    )
    if invite is not None:
        request.status = CreditStatus.WITH_FACULTY
        request.faculty_email, request.faculty_name = invite.email, invite.name
        request.save(update_fields=["status", "faculty_email", "faculty_name"])
        _issue_link(request, actor=actor, invite=invite)
        message = (
            f"Career services approved your credit request for {_describe(request)} and sent it "
            f"to {invite.name or invite.email} for the faculty's approval."
        )
    else:
        request.status = CreditStatus.APPROVED
        request.approved_at = request.closed_at = now
        request.save(update_fields=["status", "approved_at", "closed_at"])
        message = (
            f"Your school approved {request.credits} credits for {_describe(request)}. "
            "They are on your record."
        )
    audit(
        actor=actor,
        action="credit.staff_approved",
        target=request,
        summary=f"{actor.email} approved the request for {_describe(request)}"
        + (f" and sent it to {invite.email}" if invite else ""),
        data={"comment": comment, "faculty_email": invite.email if invite else ""},
    )
    _tell_student(request, step, message)
    return request


@transaction.atomic(durable=True)
def credit_request_staff_return(
    *, actor: User, request: CreditRequest, comment: str
) -> CreditRequest:
    """Career services send the request back to the student with what to change; a faculty
    member's open link stops working."""
    request = _lock(request)
    _require_staff_of(actor, request.school_id)
    if request.status == CreditStatus.RETURNED:
        return request
    if request.status not in (CreditStatus.SUBMITTED, CreditStatus.WITH_FACULTY):
        raise ValidationError(f"This request is {request.get_status_display().lower()}.")
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": "Tell the student what to change."})
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": f"Keep the comment under {COMMENT_MAX} characters."})
    links = _revoke_links(request, timezone.now())
    was_with_faculty = request.status == CreditStatus.WITH_FACULTY
    request.status = CreditStatus.RETURNED
    request.save(update_fields=["status"])
    step = _step(
        request,
        role=CreditRole.CAREER_STAFF,
        decision=CreditDecision.RETURNED,
        actor=actor,
        comment=comment,
    )
    audit(
        actor=actor,
        action="credit.staff_returned",
        target=request,
        summary=f"{actor.email} returned the request for {_describe(request)}",
        data={"comment": comment},
    )
    _tell_student(
        request, step, f"Career services returned your credit request for {_describe(request)}."
    )
    if was_with_faculty:
        _tell_faculty_no_longer_needed(request, links)
    return request


@transaction.atomic(durable=True)
def credit_faculty_link_renew(*, actor: User, request: CreditRequest) -> IssuedLink:
    """Career services send the faculty member a fresh link (the old one expired or was
    lost); the old one stops working."""
    request = _lock(request)
    _require_staff_of(actor, request.school_id)
    if request.status != CreditStatus.WITH_FACULTY:
        raise ValidationError("Only a request waiting for the faculty member has a link.")
    _revoke_links(request, timezone.now())
    return _issue_link(
        request,
        actor=actor,
        invite=FacultyInvite(email=request.faculty_email, name=request.faculty_name),
    )


# --- The faculty member, through the emailed link ----------------------------------------------


class LinkRefused(Exception):
    """The link does not open a review: `reason` is "unknown", "expired" or "spent"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def faculty_link_check(link: FacultyReviewLink | None, now=None) -> FacultyReviewLink:
    now = now or timezone.now()
    if link is None:
        raise LinkRefused("unknown")
    if link.used_at is not None or link.revoked_at is not None:
        raise LinkRefused("spent")
    if link.expires_at <= now:
        raise LinkRefused("expired")
    return link


@transaction.atomic
def faculty_link_opened(*, link: FacultyReviewLink) -> None:
    """Note when the faculty member first opens the review (audited once)."""
    updated = FacultyReviewLink.objects.filter(pk=link.pk, last_opened_at__isnull=True).update(
        last_opened_at=timezone.now()
    )
    if updated:
        audit(
            actor=None,
            action="credit.faculty_link_opened",
            target=link.request,
            summary=f"{link.email} opened the review of {_describe(link.request)}",
            data={"email": link.email},
        )


@transaction.atomic(durable=True)
def credit_faculty_decide(
    *, token: str, approve: bool, comment: str = "", name: str = ""
) -> CreditRequest:
    """The faculty member approves, or returns the request to the student with comments.
    The link is spent by the decision."""
    link = (
        FacultyReviewLink.objects.select_for_update().filter(token_hash=hash_token(token)).first()
    )
    link = faculty_link_check(link)
    request = _lock(link.request)
    if request.status != CreditStatus.WITH_FACULTY:  # the link should have been revoked
        raise LinkRefused("spent")
    comment = comment.strip()
    name = " ".join(name.split())[:120] or link.name
    errors = {}
    if not name:
        errors["name"] = "Sign with your name."
    if not approve and not comment:
        errors["comment"] = "Tell the student what to change."
    if len(comment) > COMMENT_MAX:
        errors["comment"] = f"Keep the comment under {COMMENT_MAX} characters."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    link.used_at = now
    link.save(update_fields=["used_at"])
    step = _step(
        request,
        role=CreditRole.FACULTY,
        decision=CreditDecision.APPROVED if approve else CreditDecision.RETURNED,
        actor=None,
        comment=comment,
        name=name,
        email=link.email,
    )
    if approve:
        request.status = CreditStatus.APPROVED
        request.approved_at = request.closed_at = now
        request.faculty_name = name
        request.save(update_fields=["status", "approved_at", "closed_at", "faculty_name"])
        student_message = (
            f"Your school approved {request.credits} credits for {_describe(request)}. "
            "They are on your record."
        )
        staff_message = f"{name} approved the credit request for {_describe(request)}."
    else:
        request.status = CreditStatus.RETURNED
        request.save(update_fields=["status"])
        student_message = f"{name} returned your credit request for {_describe(request)}."
        staff_message = f"{name} returned the credit request for {_describe(request)}."
    audit(
        actor=None,
        action="credit.faculty_approved" if approve else "credit.faculty_returned",
        target=request,
        summary=f"{name} ({link.email}) {'approved' if approve else 'returned'} "
        f"the request for {_describe(request)}",
        data={"email": link.email, "comment": comment},
    )
    _tell_student(request, step, student_message)
    _tell_staff(request, step, staff_message)
    return request

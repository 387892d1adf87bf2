"""Full-time interest: marking, replying and withdrawing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import User
from accounts.notifications import notify
from outcomes.models import (
    FullTimeAnswer,
    FullTimeInterest,
    FullTimeInterestStatus,
    TalentPoolEntry,
)

from .access import (
    _organization_id,
    _refusal_to_see,
    _student,
    employer_may_contact,
    employer_may_see,
)
from .forms import FULLTIME_MESSAGE_MAX, REPLY_MAX, _text

# --- Full-time interest --------------------------------------------------------------------


@transaction.atomic
def fulltime_mark(*, actor: User, student: User, message: str) -> FullTimeInterest:
    """Mark a student as a full-time prospect. The student is told only if they accept being
    contacted (`told_student`); otherwise the mark stays with the organization and counts in
    career services' reports."""
    organization_id = _organization_id(actor)
    _student(student)
    if not employer_may_see(organization_id, student):
        raise ValidationError(_refusal_to_see(organization_id, student))
    message = _text(
        message,
        name="message",
        limit=FULLTIME_MESSAGE_MAX,
        required=True,
        what="Say a few words: the kind of role, and what made you think of them.",
    )
    User.objects.select_for_update().filter(pk=student.pk).first()
    already = ValidationError(
        "This student is already marked as a full-time prospect; withdraw that mark first "
        "to write a new one."
    )
    open_marks = FullTimeInterest.objects.filter(
        organization_id=organization_id, student=student, status=FullTimeInterestStatus.OPEN
    )
    if open_marks.exists():
        raise already
    told = employer_may_contact(organization_id, student)
    try:
        with transaction.atomic():
            interest = FullTimeInterest.objects.create(
                organization_id=organization_id,
                student=student,
                marked_by=actor,
                message=message,
                told_student=told,
            )
    except IntegrityError as error:
        raise already from error
    organization = actor.employer_profile.organization.name
    audit(
        actor=actor,
        action="fulltime.marked",
        target=interest,
        summary=f"{organization} marked a student as a full-time prospect",
        data={"told_student": told},
    )
    if told:
        notify(
            recipients=[student],
            kind="fulltime.interest",
            key=f"fulltime-{interest.pk}",
            message=f"{organization} is interested in hiring you full-time",
            url=reverse("outcomes:fulltime_reply", kwargs={"pk": interest.pk}),
            context={
                "details": f"Their message: {message}\n\nReply from your dashboard: "
                "interested, or not now."
            },
        )
    return interest


@transaction.atomic
def fulltime_reply(
    *, student: User, interest: FullTimeInterest, answer: str, reply: str = ""
) -> FullTimeInterest:
    interest = (
        FullTimeInterest.objects.select_for_update(of=("self",))
        .select_related("organization", "marked_by")
        .filter(pk=interest.pk)
        .first()
    )
    if interest is None or interest.student_id != student.pk or not interest.told_student:
        raise PermissionDenied("This is not addressed to you.")
    if interest.status == FullTimeInterestStatus.WITHDRAWN:
        raise ValidationError("The employer has withdrawn this; there is nothing to reply to.")
    if interest.status == FullTimeInterestStatus.REPLIED:
        raise ValidationError("You have already replied.")
    if answer not in FullTimeAnswer.values:
        raise ValidationError({"answer": "Choose “Interested” or “Not now”."})
    interest.answer = answer
    interest.student_reply = _text(reply, name="reply", limit=REPLY_MAX)
    interest.status = FullTimeInterestStatus.REPLIED
    interest.replied_at = timezone.now()
    interest.save(update_fields=["answer", "student_reply", "status", "replied_at"])
    audit(
        actor=student,
        action="fulltime.replied",
        target=interest,
        summary=f"{student.email} replied “{interest.get_answer_display()}” to "
        f"{interest.organization.name}'s full-time interest",
    )
    entry = TalentPoolEntry.objects.filter(
        organization_id=interest.organization_id, student=student
    ).first()
    notify(
        recipients=[interest.marked_by],
        kind="fulltime.reply",
        key=f"fulltime-{interest.pk}-reply",
        message=f"{student.get_full_name()} replied to your full-time interest: "
        f"{interest.get_answer_display().lower()}",
        url=reverse("outcomes:talent_entry", kwargs={"pk": entry.pk}) if entry else "",
        context={"details": interest.student_reply},
    )
    return interest


@transaction.atomic
def fulltime_withdraw(*, actor: User, interest: FullTimeInterest) -> FullTimeInterest:
    organization_id = _organization_id(actor)
    interest = FullTimeInterest.objects.select_for_update().filter(pk=interest.pk).first()
    if interest is None or interest.organization_id != organization_id:
        raise PermissionDenied("This mark belongs to another organization.")
    if interest.status == FullTimeInterestStatus.WITHDRAWN:
        return interest
    if interest.status != FullTimeInterestStatus.OPEN:
        raise ValidationError("The student has already replied; the mark stays as a record.")
    interest.status = FullTimeInterestStatus.WITHDRAWN
    interest.save(update_fields=["status"])
    audit(
        actor=actor,
        action="fulltime.withdrawn",
        target=interest,
        summary=f"{actor.email} withdrew a full-time interest",
    )
    return interest


def student_fulltime_interests(student: User) -> list[FullTimeInterest]:
    """Full-time interest the student was told about, open or answered (never a withdrawn
    one, never one kept privately because they had not opted in to being contacted)."""
    return list(
        FullTimeInterest.objects.filter(
            student=student,
            told_student=True,
            status__in=[FullTimeInterestStatus.OPEN, FullTimeInterestStatus.REPLIED],
        )
        .select_related("organization")
        .order_by("-created_at")
    )


def fulltime_for_student_or_404(viewer: User, interest_id: int) -> FullTimeInterest:
    interest = (
        FullTimeInterest.objects.select_related("organization").filter(pk=interest_id).first()
    )
    if (
        interest is None
        or not viewer.is_authenticated
        or interest.student_id != viewer.pk
        or not interest.told_student
        or interest.status == FullTimeInterestStatus.WITHDRAWN
    ):
        raise Http404("Not found.")
    return interest

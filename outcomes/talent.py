"""Talent pools, invitations to apply and full-time interest: an organization keeps in touch
with students it knows.

Who may see and who may contact a student is decided here, in `visible_students` and
`contactable_students`, and nowhere else:

- an organization the student **worked for** (an engagement of theirs with it that started,
  i.e. was funded) may always save them to its pool and see their profile there;
- any other organization may, only if the student opted in (`discoverable`) **and** already
  knows who they are through an application it shortlisted or accepted: review is blind
  until shortlisting, and the pool never lifts that;
- contacting (an invitation, a full-time message) also needs the student's `contactable`
  opt-in, whoever asks, even an organization they worked for.

Every state change below is one function: in a transaction, locking what it changes,
auditing it, notifying after commit (accounts.notifications.notify queues mail on commit).
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Skill, StudentProfile, User
from accounts.notifications import notify
from accounts.services import audit
from engagements.models import Engagement, EngagementStatus
from feedback.models import StudentEvaluation
from outcomes.models import (
    TAG_LENGTH_MAX,
    TAGS_MAX,
    FullTimeAnswer,
    FullTimeInterest,
    FullTimeInterestStatus,
    Invitation,
    InvitationStatus,
    TalentPoolEntry,
)
from projects.models import Application, ApplicationStatus, Project, ProjectStatus
from projects.rules import apply_by_today

NOTES_MAX = 2000
INVITATION_MESSAGE_MAX = 1000
FULLTIME_MESSAGE_MAX = 1000
REPLY_MAX = 500
POOL_PAGE_SIZE = 25
SEARCH_MAX = 100

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


# --- Input ----------------------------------------------------------------------------------


def clean_tags(text: str) -> str:
    """Tags typed as "Data, writing , data" → ",data,writing," (lower case, no repeats)."""
    tags = []
    for part in (text or "").split(","):
        tag = " ".join(part.split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    too_long = [t for t in tags if len(t) > TAG_LENGTH_MAX]
    if too_long:
        raise ValidationError(
            {"tags": f"Keep each tag to {TAG_LENGTH_MAX} characters: “{too_long[0][:40]}…”."}
        )
    if len(tags) > TAGS_MAX:
        raise ValidationError({"tags": f"At most {TAGS_MAX} tags (you gave {len(tags)})."})
    return f",{','.join(tags)}," if tags else ""


def _text(value: str, *, name: str, limit: int, required: bool = False, what: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({name: what or "This field is required."})
    if len(value) > limit:
        raise ValidationError({name: f"At most {limit:,} characters (you wrote {len(value):,})."})
    return value


def _organization_id(actor: User) -> int:
    profile = getattr(actor, "employer_profile", None)
    if actor.role != Role.EMPLOYER or not actor.is_active or profile is None:
        raise PermissionDenied("Only an organization's employers manage its talent pool.")
    return profile.organization_id


def _student(student: User) -> User:
    if student.role != Role.STUDENT:
        raise ValidationError("Only students can be saved, invited or marked.")
    return student


# --- The talent pool ---------------------------------------------------------------------


@transaction.atomic
def pool_save(
    *, actor: User, student: User, tags: str = "", notes: str = ""
) -> tuple[TalentPoolEntry, bool]:
    """Save a student to the actor's organization's pool; (entry, created). Saving again
    keeps the entry as it is."""
    organization_id = _organization_id(actor)
    _student(student)
    if not employer_may_see(organization_id, student):
        raise ValidationError(_refusal_to_see(organization_id, student))
    tags = clean_tags(tags)
    notes = _text(notes, name="notes", limit=NOTES_MAX)
    entry = (
        TalentPoolEntry.objects.select_for_update()
        .filter(organization_id=organization_id, student=student)
        .first()
    )
    if entry is not None:
        return entry, False
    try:
        with transaction.atomic():
            entry = TalentPoolEntry.objects.create(
                organization_id=organization_id,
                student=student,
                tags=tags,
                notes=notes,
                added_by=actor,
            )
    except IntegrityError:  # a colleague saved them at the same moment
        return TalentPoolEntry.objects.get(organization_id=organization_id, student=student), False
    return entry, True


def _lock_entry(actor: User, entry: TalentPoolEntry) -> TalentPoolEntry:
    organization_id = _organization_id(actor)
    locked = TalentPoolEntry.objects.select_for_update().filter(pk=entry.pk).first()
    if locked is None or locked.organization_id != organization_id:
        raise PermissionDenied("This entry belongs to another organization.")
    return locked


@transaction.atomic
def pool_update(*, actor: User, entry: TalentPoolEntry, tags: str, notes: str) -> TalentPoolEntry:
    entry = _lock_entry(actor, entry)
    entry.tags = clean_tags(tags)
    entry.notes = _text(notes, name="notes", limit=NOTES_MAX)
    entry.save(update_fields=["tags", "notes", "updated_at"])
    return entry


@transaction.atomic
def pool_remove(*, actor: User, entry: TalentPoolEntry) -> None:
    _lock_entry(actor, entry).delete()


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


def invitation_mark_applied(*, application_id: int) -> int:
    """The student applied to a project they were invited to (after the application
    committed, in answer to `application_submitted`). Safe to repeat."""
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return 0
    return Invitation.objects.filter(
        project_id=application.project_id,
        student_id=application.student_id,
        status__in=[InvitationStatus.SENT, InvitationStatus.DECLINED],
    ).update(status=InvitationStatus.APPLIED, responded_at=application.created_at)


def invitations_reconcile() -> int:
    """Periodic: invitations still open although the student applied (a lost task)."""
    applied = Application.objects.filter(
        project_id=OuterRef("project_id"), student_id=OuterRef("student_id")
    )
    return Invitation.objects.filter(
        Exists(applied), status__in=[InvitationStatus.SENT, InvitationStatus.DECLINED]
    ).update(status=InvitationStatus.APPLIED, responded_at=timezone.now())


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


# --- Reads for the employer ---------------------------------------------------------------


def _pool(organization_id: int) -> QuerySet[TalentPoolEntry]:
    return TalentPoolEntry.objects.filter(organization_id=organization_id).filter(
        visible_students(organization_id, "student__")
    )


@dataclass
class PoolPage:
    entries: list[TalentPoolEntry]
    page: object
    tags: list[str]
    tag: str
    q: str
    hidden: int


def pool_page(organization_id: int, *, tag: str = "", q: str = "", page=None) -> PoolPage:
    """The organization's pool, filtered by a tag and searched by name or skill, 25 a page;
    students who no longer let it see them are left out (and counted). A fixed number of
    queries whatever the pool's size."""
    from django.core.paginator import Paginator

    tag = " ".join((tag or "").split()).lower()[:TAG_LENGTH_MAX]
    q = " ".join((q or "").split())[:SEARCH_MAX]
    visible = _pool(organization_id)
    entries = visible
    if tag:
        entries = entries.filter(tags__contains=f",{tag},")
    for word in q.split()[:5]:
        skill = StudentProfile.skills.through.objects.filter(
            studentprofile_id=OuterRef("student_id"), skill__name__icontains=word
        )
        entries = entries.filter(
            Q(student__first_name__icontains=word)
            | Q(student__last_name__icontains=word)
            | Q(Exists(skill))
        )
    entries = (
        entries.select_related("student", "student__student_profile__school")
        .prefetch_related(
            Prefetch("student__student_profile__skills", queryset=Skill.objects.order_by("name"))
        )
        .annotate(
            worked=_worked_for(organization_id, OuterRef("student_id")),
            prospect=Exists(
                FullTimeInterest.objects.filter(
                    organization_id=organization_id,
                    student_id=OuterRef("student_id"),
                    status=FullTimeInterestStatus.OPEN,
                )
            ),
        )
        .order_by("-updated_at", "-pk")
    )
    paginator = Paginator(entries, POOL_PAGE_SIZE)
    current = paginator.get_page(page)
    tags = sorted(
        {t for tags in visible.values_list("tags", flat=True) for t in tags.split(",") if t}
    )
    # Entries of students who have since withdrawn their opt-in: kept, but not shown.
    hidden = (
        TalentPoolEntry.objects.filter(organization_id=organization_id)
        .exclude(visible_students(organization_id, "student__"))
        .count()
    )
    return PoolPage(
        entries=list(current.object_list),
        page=current,
        tags=tags,
        tag=tag,
        q=q,
        hidden=hidden,
    )


def entry_for_employer_or_404(viewer: User, entry_id: int) -> TalentPoolEntry:
    """An entry of the viewer's own organization's pool whose student it may still see;
    404 for anyone else (other organizations, students, staff, admins alike)."""
    profile = getattr(viewer, "employer_profile", None)
    if not viewer.is_authenticated or viewer.role != Role.EMPLOYER or profile is None:
        raise Http404("No such entry.")
    entry = (
        _pool(profile.organization_id)
        .select_related("student", "student__student_profile__school", "organization")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise Http404("No such entry.")
    return entry


def pooled_entry_of(organization_id: int, student: User) -> TalentPoolEntry | None:
    return TalentPoolEntry.objects.filter(organization_id=organization_id, student=student).first()


@dataclass
class EntryDetail:
    entry: TalentPoolEntry
    profile: StudentProfile
    skills: list
    experiences: list[Engagement]
    evaluations: list
    invitations: list[Invitation]
    interests: list[FullTimeInterest]
    open_projects: list[Project]
    contactable: bool
    worked: bool
    open_interest: FullTimeInterest | None = field(default=None)


def entry_detail(entry: TalentPoolEntry) -> EntryDetail:
    """What the organization knows of the student: its own work with them (approved
    engagements, the evaluations it gave), its invitations and full-time marks."""
    organization_id, student = entry.organization_id, entry.student
    profile = student.student_profile
    with_us = Engagement.objects.filter(organization_id=organization_id, student=student)
    interests = list(
        FullTimeInterest.objects.filter(organization_id=organization_id, student=student)
        .select_related("marked_by")
        .order_by("-created_at", "-pk")
    )
    return EntryDetail(
        entry=entry,
        profile=profile,
        skills=list(profile.skills.order_by("name")),
        experiences=list(
            with_us.filter(status__in=[EngagementStatus.APPROVED, EngagementStatus.PAID])
            .select_related("project", "verified_experience")
            .order_by("-approved_at")
        ),
        evaluations=list(
            StudentEvaluation.objects.filter(engagement__in=with_us)
            .select_related("engagement__project", "author")
            .order_by("-submitted_at")
        ),
        invitations=list(
            Invitation.objects.filter(project__organization_id=organization_id, student=student)
            .select_related("project", "invited_by")
            .order_by("-created_at")
        ),
        interests=interests,
        open_projects=organization_open_projects(organization_id),
        contactable=profile.contactable,
        worked=with_us.filter(funded_at__isnull=False).exists(),
        open_interest=next((i for i in interests if i.status == FullTimeInterestStatus.OPEN), None),
    )


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


def invitation_for_student_or_404(viewer: User, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_related("project__organization").filter(pk=invitation_id).first()
    )
    if invitation is None or not viewer.is_authenticated or invitation.student_id != viewer.pk:
        raise Http404("Not found.")
    return invitation

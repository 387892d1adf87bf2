"""The talent pool: saving, tagging, annotating and listing students."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404

from accounts.models import Role, Skill, StudentProfile, User
from engagements.models import Engagement, EngagementStatus
from feedback.models import StudentEvaluation
from outcomes.models import (
    TAG_LENGTH_MAX,
    FullTimeInterest,
    FullTimeInterestStatus,
    Invitation,
    TalentPoolEntry,
)
from projects.disclosures import Event, disclosure_record
from projects.models import DisclosedField, DisclosureReason, Project

from .access import (
    _organization_id,
    _refusal_to_see,
    _student,
    _worked_for,
    employer_may_see,
    visible_students,
)
from .forms import NOTES_MAX, SEARCH_MAX, _text, clean_tags
from .invitations import organization_open_projects

POOL_PAGE_SIZE = 25
# What a talent pool entry shows the organization's members about the student.
POOL_FIELDS = [
    DisclosedField.NAME,
    DisclosedField.SCHOOL,
    DisclosedField.MAJOR,
    DisclosedField.GRADUATION_YEAR,
    DisclosedField.PROFILE,
]


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
    # The pool keeps the student's profile in view of the whole organization: one
    # disclosure per entry (saved again after removal is a new entry, a new disclosure).
    disclosure_record(
        Event(
            student_id=student.pk,
            organization_id=organization_id,
            viewer_id=actor.pk,
            reason=DisclosureReason.TALENT_POOL,
            fields=POOL_FIELDS,
            subject=f"pool:{entry.pk}",
        )
    )
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

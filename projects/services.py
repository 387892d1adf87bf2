"""Every change to a project: one function per business action.

Each runs in a transaction, locks the project row, checks the states it may
start from, does nothing when already in the target state, writes an audit
event, and sends mail only after commit.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.access import is_member
from accounts.audit import audit
from accounts.models import Organization, Role, User
from accounts.notifications import notify
from accounts.services import skills_get_or_create
from projects import rules
from projects.milestones import MilestonePlan, plan_errors
from projects.models import (
    OBJECTIVE_LENGTH_MAX,
    OBJECTIVES_MAX,
    OBJECTIVES_MIN,
    PENDING_APPLICATION_STATUSES,
    Application,
    ApplicationAnswer,
    ApplicationStatus,
    LearningObjective,
    Project,
    ProjectMilestone,
    ProjectStatus,
    ScreeningQuestion,
)

logger = logging.getLogger(__name__)

EDITABLE_STATUSES = (ProjectStatus.DRAFT, ProjectStatus.OPEN, ProjectStatus.CLOSED)


@dataclass(frozen=True)
class ProjectData:
    title: str
    summary: str
    description: str
    category: str
    deliverables: str
    hours: int
    fee_cents: int
    days_to_complete: int
    apply_by: date
    openings: int
    is_remote: bool
    location: str
    skill_names: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    # NACE criteria (projects.criteria): what the student will learn, and who supervises.
    objectives: list[str] = field(default_factory=list)
    supervisor_id: int | None = None
    supervisor_name: str = ""
    supervisor_title: str = ""
    supervisor_email: str = ""
    # The fee split into milestones (projects.milestones); [] for none, None to leave the
    # project's plan as it is (the API does not edit it).
    milestones: list[MilestonePlan] | None = None


def _employer_organization_id(actor: User) -> int:
    if actor.role != Role.EMPLOYER or not actor.is_active:
        raise PermissionDenied("Only employers manage projects.")
    profile = getattr(actor, "employer_profile", None)
    if profile is None:
        raise ValidationError("Describe your organization before posting a project.")
    return profile.organization_id


def _lock_for_member(actor: User, project: Project) -> Project:
    org_id = _employer_organization_id(actor)
    locked = Project.objects.select_for_update().select_related("organization").get(pk=project.pk)
    if locked.organization_id != org_id:
        raise PermissionDenied("This project belongs to another organization.")
    return locked


def _check_data(data: ProjectData, *, today: date, check_apply_by: bool = True) -> None:
    rules.check_terms(hours=data.hours, fee_cents=data.fee_cents, days=data.days_to_complete)
    if check_apply_by:
        rules.check_apply_by(data.apply_by, today=today)
    lim = rules.limits()
    if not 1 <= data.openings <= lim.openings_max:
        raise ValidationError({"openings": f"Between 1 and {lim.openings_max} students."})
    if not data.is_remote and not data.location.strip():
        raise ValidationError({"location": "Say where the work happens, or mark it remote."})
    if len(data.questions) > lim.questions_max:
        raise ValidationError(f"At most {lim.questions_max} screening questions.")
    objectives = _objectives(data)
    if len(objectives) > OBJECTIVES_MAX:
        raise ValidationError({"objectives": f"At most {OBJECTIVES_MAX} learning objectives."})
    if any(len(text) > OBJECTIVE_LENGTH_MAX for text in objectives):
        raise ValidationError(
            {"objectives": f"Keep each objective under {OBJECTIVE_LENGTH_MAX} characters."}
        )
    if data.milestones:
        errors = plan_errors(hours=data.hours, fee_cents=data.fee_cents, plans=data.milestones)
        if errors:
            raise ValidationError(errors)
    named_without_email = data.supervisor_name.strip() and not data.supervisor_email.strip()
    if data.supervisor_id is None and named_without_email:
        raise ValidationError(
            {"supervisor_email": "Give the supervisor's email address, so they can be reached."}
        )


def _objectives(data: ProjectData) -> list[str]:
    return [" ".join(text.split()) for text in data.objectives if text.strip()]


def _check_supervisor(project: Project, data: ProjectData) -> None:
    """A supervisor chosen from the team must be an active member of the organization."""
    if data.supervisor_id is None:
        return
    supervisor = User.objects.filter(pk=data.supervisor_id).select_related("employer_profile")
    supervisor = supervisor.first()
    if supervisor is None or not is_member(supervisor, project.organization_id):
        raise ValidationError({"supervisor": "Choose a member of your organization's team."})


def check_nace_requirements(project: Project, *, objective_count: int) -> None:
    """What publishing requires on top of the terms: 1 to 5 learning objectives and a
    named supervisor (projects.criteria)."""
    errors = {}
    if not OBJECTIVES_MIN <= objective_count <= OBJECTIVES_MAX:
        errors["objectives"] = (
            f"State {OBJECTIVES_MIN} to {OBJECTIVES_MAX} learning objectives: what the student "
            "will be able to do by the end."
        )
    if not project.has_named_supervisor:
        errors["supervisor"] = (
            "Name the supervisor: a member of your team, or someone else with their email."
        )
    if errors:
        raise ValidationError(errors)


def _write_fields(project: Project, data: ProjectData) -> None:
    for name in (
        "title",
        "summary",
        "description",
        "category",
        "deliverables",
        "hours",
        "fee_cents",
        "days_to_complete",
        "apply_by",
        "openings",
        "is_remote",
    ):
        setattr(project, name, getattr(data, name))
    project.location = "" if data.is_remote else data.location.strip()
    project.supervisor_id = data.supervisor_id
    if data.supervisor_id is not None:
        project.supervisor_name = project.supervisor_email = ""
    else:
        project.supervisor_name = " ".join(data.supervisor_name.split())
        project.supervisor_email = data.supervisor_email.strip().lower()
    project.supervisor_title = " ".join(data.supervisor_title.split())


def _write_relations(project: Project, data: ProjectData) -> None:
    project.skills.set(skills_get_or_create(names=data.skill_names))
    questions = [q.strip() for q in data.questions if q.strip()]
    existing = {q.position: q for q in project.questions.all()}
    for position, text in enumerate(questions, start=1):
        question = existing.pop(position, None)
        if question is None:
            ScreeningQuestion.objects.create(project=project, position=position, text=text)
        elif question.text != text:
            question.text = text
            question.save(update_fields=["text"])
    # Questions already answered stay (answers point at them); others go.
    for question in existing.values():
        if not ApplicationAnswer.objects.filter(question=question).exists():
            question.delete()
    _write_objectives(project, _objectives(data))
    _write_milestones(project, data.milestones)


def _plans(project: Project) -> list[MilestonePlan]:
    return [
        MilestonePlan(m.title, m.deliverable, m.quarters, m.amount_cents)
        for m in project.milestones.order_by("number")
    ]


def _write_milestones(project: Project, plans: list[MilestonePlan] | None) -> None:
    if plans is None or _plans(project) == plans:
        return
    if project.terms_frozen:
        # An accepted student's engagement holds these milestones.
        raise ValidationError(
            {"milestone_1_title": "Fixed once a student was accepted: they are their terms."}
        )
    project.milestones.all().delete()
    ProjectMilestone.objects.bulk_create(
        ProjectMilestone(
            project=project,
            number=number,
            title=plan.title,
            deliverable=plan.deliverable,
            quarters=plan.quarters,
            amount_cents=plan.amount_cents,
        )
        for number, plan in enumerate(plans, start=1)
    )


def _write_objectives(project: Project, texts: list[str]) -> None:
    existing = {o.position: o for o in project.objectives.all()}
    if [existing[p].text for p in sorted(existing)] == texts:
        return
    if project.terms_frozen:
        # A student's evaluation and reflection answer these objectives.
        raise ValidationError(
            {"objectives": "Fixed once a student was accepted: they are what the student learns."}
        )
    for position, text in enumerate(texts, start=1):
        objective = existing.pop(position, None)
        if objective is None:
            LearningObjective.objects.create(project=project, position=position, text=text)
        elif objective.text != text:
            objective.text = text
            objective.save(update_fields=["text"])
    LearningObjective.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()


@transaction.atomic
def project_create(*, actor: User, data: ProjectData) -> Project:
    """A new project starts as a draft of the employer's organization."""
    org_id = _employer_organization_id(actor)
    _check_data(data, today=rules.apply_by_today())
    project = Project(organization_id=org_id, created_by=actor)
    _check_supervisor(project, data)
    _write_fields(project, data)
    project.save()
    _write_relations(project, data)
    audit(
        actor=actor,
        action="project.created",
        target=project,
        summary=f"{actor.email} drafted “{project.title}”",
    )
    return project


@transaction.atomic
def project_update(*, actor: User, project: Project, data: ProjectData) -> Project:
    """Edit a draft, open or closed project.

    Once a student has been accepted, the fee, hours and days are the terms of
    their engagement and cannot change here (scope changes are extensions).
    """
    project = _lock_for_member(actor, project)
    if project.status not in EDITABLE_STATUSES:
        raise ValidationError(f"A {project.get_status_display().lower()} project cannot be edited.")
    if project.terms_frozen:
        changed = {
            name: label
            for name, label in (
                ("hours", "hours"),
                ("fee_cents", "fee"),
                ("days_to_complete", "days_to_complete"),
            )
            if getattr(project, name) != getattr(data, name)
        }
        if changed:
            raise ValidationError(
                {
                    label: "Fixed once a student was accepted; extend the engagement instead."
                    for label in changed.values()
                }
            )
    # A published project keeps its past apply-by date when other fields are edited.
    keeps_date = project.status != ProjectStatus.DRAFT and data.apply_by == project.apply_by
    _check_data(data, today=rules.apply_by_today(), check_apply_by=not keeps_date)
    accepted = project.applications.filter(status=ApplicationStatus.ACCEPTED).count()
    if data.openings < accepted:
        raise ValidationError(
            {"openings": f"{accepted} students are already accepted: at least {accepted} openings."}
        )
    _check_supervisor(project, data)
    if data.milestones is None and plan_errors(
        hours=data.hours, fee_cents=data.fee_cents, plans=_plans(project)
    ):
        raise ValidationError(
            "The project's milestones would no longer add up to its hours and fee: "
            "change them together on the project's page."
        )
    had = {"objectives": project.objectives.exists(), "supervisor": project.has_named_supervisor}
    _write_fields(project, data)
    if project.status != ProjectStatus.DRAFT:
        # A published project keeps what it published; one published before the rule may
        # still be edited without them.
        lost = {}
        if had["objectives"] and not _objectives(data):
            lost["objectives"] = "A published project keeps at least one learning objective."
        if had["supervisor"] and not project.has_named_supervisor:
            lost["supervisor"] = "A published project keeps a named supervisor."
        if lost:
            raise ValidationError(lost)
    project.save()
    _write_relations(project, data)
    audit(
        actor=actor,
        action="project.updated",
        target=project,
        summary=f"{actor.email} edited “{project.title}”",
    )
    return project


@transaction.atomic
def project_publish(*, actor: User, project: Project) -> Project:
    """Open a draft for applications. Only verified organizations publish."""
    project = _lock_for_member(actor, project)
    if project.status == ProjectStatus.OPEN:
        return project
    if project.status != ProjectStatus.DRAFT:
        raise ValidationError("Only a draft can be published.")
    if not project.organization.can_take_students:
        raise ValidationError(
            "Your organization's account is suspended, so this project cannot be published."
            if project.organization.suspended_at
            else "Your organization is not verified yet, so this project cannot be published. "
            "It stays saved as a draft; we usually verify organizations within one business day."
        )
    rules.check_terms(
        hours=project.hours, fee_cents=project.fee_cents, days=project.days_to_complete
    )
    rules.check_apply_by(project.apply_by, today=rules.apply_by_today())
    check_nace_requirements(project, objective_count=project.objectives.count())
    project.status = ProjectStatus.OPEN
    project.published_at = timezone.now()
    project.save(update_fields=["status", "published_at", "updated_at"])
    audit(
        actor=actor,
        action="project.published",
        target=project,
        summary=f"{actor.email} published “{project.title}”",
    )
    return project


@transaction.atomic
def project_close(*, actor: User | None, project: Project, reason: str = "") -> Project:
    """Stop taking applications (early, by the employer, or when apply-by passes)."""
    project = (
        _lock_for_member(actor, project)
        if actor is not None
        else Project.objects.select_for_update().get(pk=project.pk)
    )
    if project.status == ProjectStatus.CLOSED:
        return project
    if project.status != ProjectStatus.OPEN:
        raise ValidationError("Only an open project can stop taking applications.")
    project.status = ProjectStatus.CLOSED
    project.closed_at = timezone.now()
    project.save(update_fields=["status", "closed_at", "updated_at"])
    audit(
        actor=actor,
        action="project.closed",
        target=project,
        summary=(
            f"{actor.email} closed applications for “{project.title}”"
            if actor
            else f"Applications for “{project.title}” closed: {reason or 'apply-by date passed'}"
        ),
    )
    return project


@transaction.atomic
def project_cancel(*, actor: User, project: Project, reason: str) -> Project:
    """Withdraw a project. Applicants still waiting are told, politely."""
    project = _lock_for_member(actor, project)
    if project.status == ProjectStatus.CANCELLED:
        return project
    if project.status not in EDITABLE_STATUSES:
        raise ValidationError("A completed project cannot be cancelled.")
    if project.terms_frozen:
        raise ValidationError(
            "A student was accepted for this project: cancel their engagement first."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why; applicants will see it."})
    project.status = ProjectStatus.CANCELLED
    project.cancelled_at = timezone.now()
    project.cancellation_reason = reason.strip()
    project.save(update_fields=["status", "cancelled_at", "cancellation_reason", "updated_at"])
    waiting = list(
        Application.objects.select_for_update()
        .filter(project=project, status__in=PENDING_APPLICATION_STATUSES)
        .select_related("student")
    )
    now = timezone.now()
    for application in waiting:
        application.status = ApplicationStatus.DECLINED
        application.decided_at = now
        application.decline_message = f"The project was cancelled: {project.cancellation_reason}"
        application.save(update_fields=["status", "decided_at", "decline_message", "updated_at"])
    # Each applicant gets a message of their own: no one sees the others' addresses.
    notify(
        recipients=[a.student for a in waiting],
        kind="project.cancelled",
        key=f"project-{project.pk}-cancelled",
        message=f"“{project.title}” was cancelled by {project.organization.name}",
        url=reverse("projects:browse"),
        context={
            "details": "Thank you for applying. The organization cancelled the project, so it "
            f"will not go ahead. Their reason: {project.cancellation_reason}"
        },
    )
    audit(
        actor=actor,
        action="project.cancelled",
        target=project,
        summary=f"{actor.email} cancelled “{project.title}”",
        data={"reason": project.cancellation_reason, "applicants_told": len(waiting)},
    )
    return project


@transaction.atomic
def project_duplicate(*, actor: User, project: Project) -> Project:
    """A new draft with the same content, to post similar work again."""
    org_id = _employer_organization_id(actor)
    source = Project.objects.prefetch_related("skills", "questions", "objectives").get(
        pk=project.pk
    )
    if source.organization_id != org_id:
        raise PermissionDenied("This project belongs to another organization.")
    today = rules.apply_by_today()
    copy = Project(
        organization_id=org_id,
        created_by=actor,
        duplicated_from=source,
        title=source.title,
        summary=source.summary,
        description=source.description,
        category=source.category,
        deliverables=source.deliverables,
        hours=source.hours,
        fee_cents=source.fee_cents,
        days_to_complete=source.days_to_complete,
        apply_by=max(source.apply_by, today + timedelta(days=14)),
        openings=source.openings,
        is_remote=source.is_remote,
        location=source.location,
        supervisor_name=source.supervisor_name,
        supervisor_title=source.supervisor_title,
        supervisor_email=source.supervisor_email,
    )
    # A teammate who has left is not carried over: the draft then asks for a supervisor.
    if source.supervisor_id is not None and is_member(source.supervisor, org_id):
        copy.supervisor_id = source.supervisor_id
    copy.save()
    copy.skills.set(source.skills.all())
    ScreeningQuestion.objects.bulk_create(
        ScreeningQuestion(project=copy, position=q.position, text=q.text)
        for q in source.questions.all()
    )
    LearningObjective.objects.bulk_create(
        LearningObjective(project=copy, position=o.position, text=o.text)
        for o in source.objectives.all()
    )
    _write_milestones(copy, _plans(source))
    audit(
        actor=actor,
        action="project.duplicated",
        target=copy,
        summary=f"{actor.email} started a draft from “{source.title}”",
        data={"source": source.pk},
    )
    return copy


def project_freeze_terms(*, project: Project) -> None:
    """Called inside the transaction that accepts the first student."""
    if project.terms_frozen_at is None:
        project.terms_frozen_at = timezone.now()
        project.save(update_fields=["terms_frozen_at", "updated_at"])


@transaction.atomic
def project_complete(*, project_id: int, work_under_way: bool) -> bool:
    """A closed project whose openings are all filled is completed once no engagement of it
    is under way (engagements asks, after an approval commits). Safe to repeat."""
    project = Project.objects.select_for_update().get(pk=project_id)
    if project.status != ProjectStatus.CLOSED or work_under_way:
        return False
    accepted = project.applications.filter(status=ApplicationStatus.ACCEPTED).count()
    if accepted < project.openings:
        return False
    project.status = ProjectStatus.COMPLETED
    project.save(update_fields=["status", "updated_at"])
    return True


def projects_close_past_apply_by(*, today: date | None = None) -> int:
    """Periodic sweep: open projects whose apply-by date has passed stop taking applications.

    Each project is closed in its own transaction, so one failure does not stop the rest.
    """
    today = today or rules.apply_by_today()
    closed = 0
    for project_id in Project.objects.filter(
        status=ProjectStatus.OPEN, apply_by__lt=today
    ).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                project = Project.objects.select_for_update().get(pk=project_id)
                if project.status == ProjectStatus.OPEN and project.apply_by < today:
                    project_close(actor=None, project=project, reason="apply-by date passed")
                    closed += 1
        except Exception:  # one bad row must not stop the sweep
            logger.exception("Could not close project %s", project_id)
    return closed


@transaction.atomic
def projects_close_for_suspension(*, organization_id: int) -> int:
    """The organization is suspended: its open projects stop taking applications and
    everyone still waiting for a decision is told. Runs after the suspension committed
    (projects.receivers); does nothing once done, or if the organization was reinstated."""
    organization = Organization.objects.select_for_update().get(pk=organization_id)
    if organization.suspended_at is None:
        return 0
    closed = 0
    # Closed projects too: their applicants may still be waiting for a decision.
    for project in Project.objects.select_for_update().filter(
        organization=organization,
        status__in=[ProjectStatus.OPEN, ProjectStatus.DRAFT, ProjectStatus.CLOSED],
    ):
        if project.status == ProjectStatus.OPEN:
            project.status = ProjectStatus.CLOSED
            project.closed_at = timezone.now()
            project.save(update_fields=["status", "closed_at", "updated_at"])
            closed += 1
        waiting = list(
            Application.objects.select_for_update()
            .filter(project=project, status__in=PENDING_APPLICATION_STATUSES)
            .select_related("student")
        )
        if not waiting:
            continue
        now = timezone.now()
        for application in waiting:
            application.status = ApplicationStatus.DECLINED
            application.decided_at = now
            application.decline_message = (
                "The organization can no longer take students on the marketplace."
            )
            application.save(
                update_fields=["status", "decided_at", "decline_message", "updated_at"]
            )
        notify(
            recipients=[a.student for a in waiting],
            kind="project.closed",
            key=f"project-{project.pk}-suspended",
            message=f"“{project.title}” is no longer taking students",
            url=reverse("projects:browse"),
            context={
                "details": "The organization's account was suspended, so your application is "
                "closed. We are sorry; other projects are open now."
            },
        )
    if closed:
        audit(
            actor=None,
            action="organization.projects_closed",
            target=organization,
            summary=f"{closed} open project(s) of {organization.name} closed on its suspension",
            data={"projects_closed": closed},
        )
    return closed


def projects_close_for_suspensions_reconcile() -> int:
    """Periodic: suspended organizations that still have open projects or waiting
    applicants (a lost task)."""
    waiting = Application.objects.filter(
        project__organization=OuterRef("pk"), status__in=PENDING_APPLICATION_STATUSES
    )
    open_project = Project.objects.filter(organization=OuterRef("pk"), status=ProjectStatus.OPEN)
    closed = 0
    for organization_id in (
        Organization.objects.filter(suspended_at__isnull=False)
        .filter(Exists(open_project) | Exists(waiting))
        .values_list("pk", flat=True)[:200]
    ):
        try:
            closed += projects_close_for_suspension(organization_id=organization_id)
        except Exception:  # one bad row must not stop the sweep
            logger.exception("Could not close the projects of organization %s", organization_id)
    return closed

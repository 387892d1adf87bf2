"""Services for applications: apply, withdraw, and the employer's decisions.

Each runs in a transaction, locks the rows it changes (the project first,
then the application), and notifies people after commit.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit
from accounts.models import Role, StudentProfile, User, WorkAuthorization
from accounts.notifications import notify
from accounts.selectors import organization_employers
from marketplace.domain_events import send_after_commit
from projects.disclosures import shortlist_disclosed
from projects.models import (
    PENDING_APPLICATION_STATUSES,
    SHORTLIST_FIELDS,
    Application,
    ApplicationAnswer,
    ApplicationStatus,
    DisclosedField,
    Project,
    ProjectStatus,
)
from projects.services import project_freeze_terms
from projects.signals import application_submitted

COVER_NOTE_MAX = 2000
RELATION_TO_MAJOR_MAX = 1000
ANSWER_MAX = 2000


@dataclass(frozen=True)
class ApplicationData:
    cover_note: str
    answers: dict[int, str]  # screening question id → answer
    confirmed_availability: bool
    relation_to_major: str = ""  # asked of students on F-1 OPT
    # The student's consent to disclose what shortlisting reveals to the organization, and
    # whether their evaluation averages go with this application.
    consented: bool = False
    share_evaluations: bool = False


def consent_fields_for(*, share_evaluations: bool) -> list[str]:
    """What the student consents to disclose by applying (DisclosedField values)."""
    fields = [str(f) for f in SHORTLIST_FIELDS]
    if share_evaluations:
        fields.append(str(DisclosedField.EVALUATION_AVERAGES))
    return fields


def _check_student_can_apply(student: User) -> StudentProfile:
    if student.role != Role.STUDENT or not student.is_active:
        raise PermissionDenied("Only students apply to projects.")
    profile = StudentProfile.objects.filter(user=student).first()
    if profile is None:
        raise ValidationError("Complete your profile before applying: employers read it.")
    return profile


@transaction.atomic
def application_submit(*, student: User, project: Project, data: ApplicationData) -> Application:
    """A student applies once to an open project, with a cover note and answers (and, on
    F-1 OPT, how the work relates to their major)."""
    profile = _check_student_can_apply(student)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not project.is_open_for_applications:
        raise ValidationError("This project is no longer taking applications.")
    accepted = project.applications.filter(status=ApplicationStatus.ACCEPTED).count()
    if accepted >= project.openings:
        raise ValidationError("Every opening of this project is filled.")
    if Application.objects.filter(project=project, student=student).exists():
        raise ValidationError("You have already applied to this project.")

    errors = {}
    cover_note = data.cover_note.strip()
    if not cover_note:
        errors["cover_note"] = "Write a short note: why this project, and what you bring."
    elif len(cover_note) > COVER_NOTE_MAX:
        errors["cover_note"] = f"At most {COVER_NOTE_MAX:,} characters."
    if not data.confirmed_availability:
        errors["confirmed_availability"] = (
            f"Confirm you can do the {project.hours} hours within "
            f"{project.days_to_complete} days of starting."
        )
    if not data.consented:
        errors["consent"] = (
            f"Tick to consent: {project.organization.name} sees who you are only if they "
            "shortlist you, and only with your consent."
        )
    relation_to_major = ""
    if profile.work_authorization == WorkAuthorization.F1_OPT:
        relation_to_major = data.relation_to_major.strip()
        if not relation_to_major:
            errors["relation_to_major"] = (
                f"On OPT, work must relate directly to your major ({profile.major}): say how "
                "this project does. It is kept for your SEVP reporting."
            )
        elif len(relation_to_major) > RELATION_TO_MAJOR_MAX:
            errors["relation_to_major"] = f"At most {RELATION_TO_MAJOR_MAX:,} characters."
    questions = list(project.questions.all())
    answers = {}
    for question in questions:
        text = (data.answers.get(question.pk) or "").strip()
        if not text:
            errors[f"answer_{question.pk}"] = "Please answer this question."
        elif len(text) > ANSWER_MAX:
            errors[f"answer_{question.pk}"] = f"At most {ANSWER_MAX:,} characters."
        answers[question.pk] = text
    if errors:
        raise ValidationError(errors)

    try:
        with transaction.atomic():
            application = Application.objects.create(
                project=project,
                student=student,
                cover_note=cover_note,
                confirmed_availability=True,
                relation_to_major=relation_to_major,
                consent_at=timezone.now(),
                consent_fields=consent_fields_for(share_evaluations=data.share_evaluations),
            )
    except IntegrityError as error:  # a second request at the same moment
        raise ValidationError("You have already applied to this project.") from error
    ApplicationAnswer.objects.bulk_create(
        ApplicationAnswer(application=application, question_id=qid, text=text)
        for qid, text in answers.items()
    )
    send_after_commit(application_submitted, sender=Application, application_id=application.pk)
    audit(
        actor=student,
        action="application.submitted",
        target=application,
        summary=f"{student.email} applied to “{project.title}”",
        data={"consent_fields": application.consent_fields},
    )
    notify(
        recipients=organization_employers(project.organization_id),
        kind="application.new",
        key=f"application-{application.pk}-new",
        message=f"New application for “{project.title}”",
        url=reverse("engagements:applicants", kwargs={"pk": project.pk}),
    )
    return application


@transaction.atomic
def application_withdraw(*, student: User, application: Application) -> Application:
    """The student withdraws, any time before the employer decides."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.student_id != student.pk:
        raise PermissionDenied("This is not your application.")
    if application.status == ApplicationStatus.WITHDRAWN:
        return application
    if application.status not in PENDING_APPLICATION_STATUSES:
        raise ValidationError("The employer has already decided on this application.")
    application.status = ApplicationStatus.WITHDRAWN
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at", "updated_at"])
    audit(
        actor=student,
        action="application.withdrawn",
        target=application,
        summary=f"{student.email} withdrew from “{application.project.title}”",
    )
    return application


@transaction.atomic
def application_consent_withdraw(*, student: User, application: Application) -> Application:
    """The student takes back their consent to disclosure: the application is withdrawn
    (through `application_withdraw`, its rules apply) and nothing more is disclosed to the
    organization for it. What it already saw stays in the disclosure log."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.student_id != student.pk:
        raise PermissionDenied("This is not your application.")
    if application.consent_withdrawn_at is not None:
        return application
    if application.status != ApplicationStatus.WITHDRAWN:
        application = application_withdraw(student=student, application=application)
    application.consent_withdrawn_at = timezone.now()
    application.save(update_fields=["consent_withdrawn_at", "updated_at"])
    audit(
        actor=student,
        action="application.consent_withdrawn",
        target=application,
        summary=f"{student.email} withdrew their consent to disclosure for "
        f"“{application.project.title}”",
    )
    return application


# --- The employer's decisions -----------------------------------------------------------


def application_lock_for_employer(actor: User, application: Application) -> Application:
    if actor.role != Role.EMPLOYER or not hasattr(actor, "employer_profile"):
        raise PermissionDenied("Only the project's employer decides on applications.")
    # Lock order everywhere: project, then student, then application.
    project = Project.objects.select_for_update().get(pk=application.project_id)
    if project.organization_id != actor.employer_profile.organization_id:
        raise PermissionDenied("This application is for another organization's project.")
    User.objects.select_for_update().filter(pk=application.student_id).first()
    locked = (
        Application.objects.select_for_update()
        .select_related("student", "project")
        .get(pk=application.pk)
    )
    locked.project = project
    return locked


@transaction.atomic
def application_shortlist(*, actor: User, application: Application) -> Application:
    """Shortlisting lifts the blind: the employer now sees name, school, major and résumé."""
    application = application_lock_for_employer(actor, application)
    if application.status == ApplicationStatus.SHORTLISTED:
        return application
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError("Only a new application can be shortlisted.")
    application.status = ApplicationStatus.SHORTLISTED
    application.shortlisted_at = timezone.now()
    application.save(update_fields=["status", "shortlisted_at", "updated_at"])
    shortlist_disclosed(application=application, viewer=actor)
    audit(
        actor=actor,
        action="application.shortlisted",
        target=application,
        summary=f"{actor.email} shortlisted an applicant for “{application.project.title}”",
    )
    notify(
        recipients=[application.student],
        kind="application.shortlisted",
        key=f"application-{application.pk}-shortlisted",
        message=f"You are shortlisted for “{application.project.title}”",
        url=reverse("student_dashboard"),
        context={
            "details": "The employer can now see your name, school and résumé. "
            "They may message you or accept you soon."
        },
    )
    return application


def _decline(application: Application, *, message: str, notice: str) -> None:
    application.status = ApplicationStatus.DECLINED
    application.decided_at = timezone.now()
    application.decline_message = message
    application.save(update_fields=["status", "decided_at", "decline_message", "updated_at"])
    notify(
        recipients=[application.student],
        kind="application.declined",
        key=f"application-{application.pk}-declined",
        message=f"Your application for “{application.project.title}” was not selected",
        url=reverse("student_dashboard"),
        context={"details": notice + (f"\n\nTheir message: {message}" if message else "")},
    )


@transaction.atomic
def application_decline(*, actor: User, application: Application, message: str = "") -> Application:
    application = application_lock_for_employer(actor, application)
    if application.status == ApplicationStatus.DECLINED:
        return application
    if application.status not in PENDING_APPLICATION_STATUSES:
        raise ValidationError("This application has already been decided.")
    _decline(
        application,
        message=message.strip(),
        notice="Thank you for applying. The employer chose another applicant this time.",
    )
    audit(
        actor=actor,
        action="application.declined",
        target=application,
        summary=f"{actor.email} declined an applicant for “{application.project.title}”",
    )
    return application


def application_mark_accepted(*, application: Application, at) -> None:
    """Inside the acceptance's transaction (engagements.services.acceptance), with the
    project and application locked: the application is accepted and the terms freeze."""
    application.status = ApplicationStatus.ACCEPTED
    application.decided_at = at
    application.save(update_fields=["status", "decided_at", "updated_at"])
    project_freeze_terms(project=application.project)


def applications_close_when_full(*, project: Project, accepted: int, at) -> None:
    """Once every opening is filled, the project stops taking applications and everyone
    still waiting is declined politely (inside the acceptance's transaction)."""
    if accepted < project.openings:
        return
    waiting = (
        Application.objects.select_for_update()
        .filter(project=project, status__in=PENDING_APPLICATION_STATUSES)
        .select_related("student", "project")
    )
    for other in waiting:
        _decline(
            other,
            message="",
            notice=(
                "Thank you for applying. Every opening of this project is now filled, so "
                "the employer is not taking more students for it."
            ),
        )
    if project.status == ProjectStatus.OPEN:
        project.status = ProjectStatus.CLOSED
        project.closed_at = at
        project.save(update_fields=["status", "closed_at", "updated_at"])


@transaction.atomic
def application_expire(*, application_id: int) -> Application:
    """No decision came long after the apply-by date: close the application kindly."""
    application = Application.objects.select_related("project").get(pk=application_id)
    Project.objects.select_for_update().get(pk=application.project_id)
    application = (
        Application.objects.select_for_update()
        .select_related("student", "project")
        .get(pk=application_id)
    )
    if application.status not in PENDING_APPLICATION_STATUSES:
        return application
    _decline(
        application,
        message="",
        notice=(
            "Thank you for applying. The employer did not make a decision in time, so this "
            "application is closed. We are sorry, and we hope to see you apply again."
        ),
    )
    audit(
        actor=None,
        action="application.expired",
        target=application,
        summary=f"An application to “{application.project.title}” closed without a decision",
    )
    return application

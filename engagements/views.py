"""The applicant list with acceptance, and the engagement workspace. Thin views: forms check
input, services change things, `engagements.access` decides who may see what."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.access import role_required
from accounts.models import Role
from engagements import selectors
from engagements import services as engagements
from engagements.access import engagement_for, submission_file_for
from engagements.forms import (
    CancelEngagementForm,
    DisputeEvidenceForm,
    ExtensionForm,
    MessageForm,
    ReviewForm,
    SubmissionForm,
    TimeEntryForm,
)
from engagements.models import Message, ScopeExtension
from marketplace.downloads import private_download
from marketplace.forms import add_service_errors
from projects import selectors as project_selectors

# --- Reviewing applicants ------------------------------------------------------------------------


@role_required(Role.EMPLOYER)
@require_GET
def applicants(request, pk: int):
    project = project_selectors.project_for_employer_or_404(request.user, pk)
    return render(
        request,
        "engagements/applicants.html",
        {"project": project, "applicants": selectors.applicants_for_project(project)},
    )


@role_required(Role.EMPLOYER)
@require_POST
def accept(request, pk: int):
    application = project_selectors.application_for_employer_or_404(request.user, pk)
    try:
        engagement = engagements.application_accept(actor=request.user, application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("engagements:applicants", pk=application.project_id)
    messages.success(request, "Accepted. Fund the engagement so the student can start.")
    return redirect("engagements:workspace", pk=engagement.pk)


# --- Workspace -----------------------------------------------------------------------------------


def render_workspace(request, engagement, role: str, *, status: int = 200, **overrides):
    """The workspace page; a form given in `overrides` (with its errors) replaces its own."""
    return render(
        request,
        "engagements/workspace.html",
        _workspace_context(engagement, role, **overrides),
        status=status,
    )


def _workspace_context(engagement, role: str, **overrides) -> dict:
    """The workspace page's data and its empty forms; a form with errors replaces its own.
    The parts other apps add (sessions, evaluations, payments, coaching) read their own
    forms from `overrides` through their template tags."""
    ws = selectors.workspace(engagement, role)
    current = ws.current_milestone
    return {
        "now": timezone.now(),
        "ws": ws,
        "engagement": engagement,
        "role": role,
        "time_form": TimeEntryForm(),
        "submission_form": SubmissionForm(),
        "review_form": ReviewForm(initial={"milestone": current.number if current else None}),
        "message_form": MessageForm(),
        "cancel_form": CancelEngagementForm(),
        "extension_form": ExtensionForm(engagement=engagement),
        "dispute_form": DisputeEvidenceForm(engagement_id=engagement.pk),
        **overrides,
    }


@require_GET
def workspace(request, pk: int):
    engagement, role = engagement_for(request.user, pk)
    return render_workspace(request, engagement, role)


def _workspace_post(request, pk: int, form_class, action, success: str, anchor: str, form_name):
    """Validate a workspace form and call its service; on error, show the workspace again
    with the messages where the user typed."""
    engagement, role = engagement_for(request.user, pk)
    extra = {"engagement": engagement} if getattr(form_class, "takes_engagement", False) else {}
    form = form_class(request.POST, request.FILES, **extra) if form_class else None
    if form is None or form.is_valid():
        try:
            action(engagement, form)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(f"{engagement_url(engagement)}#{anchor}")
            add_service_errors(form, error)
        except PermissionDenied as error:
            raise error
        else:
            messages.success(request, success)
            return redirect(f"{engagement_url(engagement)}#{anchor}")
    context = _workspace_context(engagement, role, **{form_name: form, "focus": anchor})
    # A refusal of a form the page no longer shows (an extension proposed while another is
    # open) is said where that form would be.
    context["refusals"] = {form_name: form.non_field_errors()} if form is not None else {}
    return render(request, "engagements/workspace.html", context, status=400)


def engagement_url(engagement) -> str:
    return engagements.workspace_url(engagement)


@require_POST
def log_time(request, pk: int):
    return _workspace_post(
        request,
        pk,
        TimeEntryForm,
        lambda e, f: engagements.time_entry_log(
            actor=request.user,
            engagement=e,
            work_date=f.cleaned_data["work_date"],
            quarters=f.cleaned_data["hours"],
            description=f.cleaned_data["description"],
        ),
        "Time logged.",
        "time",
        "time_form",
    )


@require_POST
def submit_work(request, pk: int):
    return _workspace_post(
        request,
        pk,
        SubmissionForm,
        lambda e, f: engagements.submission_create(
            actor=request.user,
            engagement=e,
            data=engagements.SubmissionData(
                note=f.cleaned_data["note"],
                links=f.cleaned_data["links"],
                files=f.cleaned_data["files"],
            ),
        ),
        "Submitted. The employer has been told.",
        "deliverables",
        "submission_form",
    )


@require_POST
def review(request, pk: int):
    decision = request.POST.get("decision")

    def act(engagement, form):
        comment = form.cleaned_data["comment"]
        if decision == "approve":
            return engagements.submission_approve(
                actor=request.user,
                engagement=engagement,
                comment=comment,
                milestone_number=form.cleaned_data.get("milestone"),
            )
        if decision == "revise":
            return engagements.submission_request_revision(
                actor=request.user, engagement=engagement, comment=comment
            )
        raise ValidationError("Choose to approve or to ask for a revision.")

    return _workspace_post(
        request,
        pk,
        ReviewForm,
        act,
        _approved_message(request.POST.get("milestone"))
        if decision == "approve"
        else "Revision requested. The student has been told.",
        "deliverables",
        "review_form",
    )


def _approved_message(milestone: str | None) -> str:
    if milestone and milestone.isdigit():
        return f"Milestone {milestone} approved: the student is being paid for it."
    return "Approved: the engagement is complete."


@require_POST
def post_message(request, pk: int):
    def send(engagement, form):
        try:
            engagements.message_post(
                actor=request.user,
                engagement=engagement,
                body=form.cleaned_data["body"],
                confirmed=form.cleaned_data["send_anyway"],
            )
        except ValidationError as error:
            screened = getattr(error, "error_dict", {}).get("body", [])
            if any(e.code == "screened" for e in screened):
                form.offer_send_anyway()
            raise

    return _workspace_post(
        request, pk, MessageForm, send, "Message sent.", "messages", "message_form"
    )


@require_POST
def release_message(request, pk: int, message_id: int):
    """The student read the safety warning and opens the held message."""
    engagement, _ = engagement_for(request.user, pk)
    message = get_object_or_404(
        Message, pk=message_id, engagement=engagement, held_at__isnull=False
    )
    try:
        engagements.message_release(actor=request.user, message=message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{engagement_url(engagement)}#message-{message.pk}")


@require_POST
def dispute_evidence(request, pk: int):
    return _workspace_post(
        request,
        pk,
        partial(DisputeEvidenceForm, engagement_id=pk),
        lambda e, f: engagements.dispute_evidence_add(
            actor=request.user,
            engagement=e,
            statement=f.cleaned_data["statement"],
            message_ids=[m.pk for m in f.cleaned_data["messages"]],
            time_entry_ids=[t.pk for t in f.cleaned_data["time_entries"]],
            file_ids=[x.pk for x in f.cleaned_data["files"]],
        ),
        "Your evidence is with the platform; the other side and career services have been told.",
        "dispute",
        "dispute_form",
    )


@require_POST
def cancel_engagement(request, pk: int):
    return _workspace_post(
        request,
        pk,
        CancelEngagementForm,
        lambda e, f: engagements.engagement_request_cancel(
            actor=request.user, engagement=e, reason=f.cleaned_data["reason"]
        ),
        "Your request is recorded and the other side has been told.",
        "status",
        "cancel_form",
    )


@require_POST
def propose_extension(request, pk: int):
    return _workspace_post(
        request,
        pk,
        ExtensionForm,
        lambda e, f: engagements.extension_propose(
            actor=request.user,
            engagement=e,
            extra_quarters=f.cleaned_data["extra_hours"],
            extra_fee_cents=f.cleaned_data["extra_fee"],
            extra_days=f.cleaned_data.get("extra_days") or 0,
            reason=f.cleaned_data["reason"],
            milestone_number=f.cleaned_data.get("milestone"),
        ),
        "Extension proposed. The student will accept or decline it.",
        "scope",
        "extension_form",
    )


@require_POST
def decide_extension(request, pk: int, extension_id: int):
    engagement, _role = engagement_for(request.user, pk)
    extension = get_object_or_404(ScopeExtension, pk=extension_id, engagement=engagement)
    accept = request.POST.get("decision") == "accept"
    try:
        engagements.extension_decide(actor=request.user, extension=extension, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Extension accepted." if accept else "Extension declined.")
    return redirect(f"{engagement_url(engagement)}#scope")


@require_GET
def download_file(request, file_id: int):
    stored = submission_file_for(request.user, file_id)
    return private_download(
        stored.file,
        filename=stored.original_name,
        content_type="application/octet-stream",
    )

"""Feedback sessions and evaluations, shown and changed from the engagement workspace."""

from urllib.parse import urlparse

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engagements.access import engagement_for, engagement_role
from engagements.views import render_workspace
from feedback import services
from feedback.calendar import SessionLinks, session_ical
from feedback.forms import EmployerReviewForm, SessionForm, SessionNoteForm, StudentEvaluationForm
from feedback.models import FeedbackSession
from marketplace.forms import add_service_errors


def session_for_viewer_or_404(viewer, session_id: int) -> tuple[FeedbackSession, str]:
    session = (
        FeedbackSession.objects.select_related(
            "engagement__project", "engagement__organization", "engagement__student"
        )
        .filter(pk=session_id)
        .first()
    )
    role = engagement_role(viewer, session.engagement) if session else None
    if role is None:
        raise Http404("No such session.")
    return session, role


def _back(engagement_id: int, anchor: str = "#sessions"):
    return redirect(reverse("engagements:workspace", args=[engagement_id]) + anchor)


@require_POST
def session_add(request, pk: int):
    engagement, role = engagement_for(request.user, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_schedule(
                actor=request.user, engagement=engagement, data=form.to_data()
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Not the typing but the engagement's state (say, cancelled meanwhile):
                # the form may not even be on the page any more.
                messages.error(request, " ".join(error.messages))
                return _back(engagement.pk)
            add_service_errors(form, error)
        else:
            messages.success(request, "Session added. The student has been told.")
            return _back(engagement.pk)
    return render_workspace(
        request, engagement, role, status=400, session_form=form, focus="sessions"
    )


@require_http_methods(["GET", "POST"])
def session_edit(request, session_id: int):
    session, role = session_for_viewer_or_404(request.user, session_id)
    if role != "employer":
        raise Http404("Only the employer moves sessions.")
    form = SessionForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_move(actor=request.user, session=session, data=form.to_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Session updated.")
            return _back(session.engagement_id)
    return render(
        request,
        "feedback/session_edit.html",
        {"session": session, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_POST
def session_note(request, session_id: int):
    session, _role = session_for_viewer_or_404(request.user, session_id)
    form = SessionNoteForm(request.POST, session=session)
    if form.is_valid():
        try:
            services.session_note_save(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Your notes are saved.")
    else:
        messages.error(request, " ".join(form.non_field_errors()) or "Check your notes.")
    return _back(session.engagement_id, f"#session-{session.pk}")


@require_POST
def session_mark(request, session_id: int):
    session, _role = session_for_viewer_or_404(request.user, session_id)
    try:
        services.session_mark(
            actor=request.user, session=session, held=request.POST.get("held") == "yes"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Attendance recorded.")
    return _back(session.engagement_id, f"#session-{session.pk}")


@require_GET
def session_ics(request, session_id: int):
    """The session as a calendar entry (iCalendar) for either side of the engagement."""
    session, _role = session_for_viewer_or_404(request.user, session_id)
    links = SessionLinks(
        uid_host=urlparse(settings.SITE_URL).netloc,
        workspace_url=request.build_absolute_uri(
            reverse("engagements:workspace", args=[session.engagement_id])
        ),
    )
    response = HttpResponse(
        session_ical(session, links=links, now=timezone.now()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


@require_POST
def evaluate_student(request, pk: int):
    engagement, role = engagement_for(request.user, pk)
    form = StudentEvaluationForm(request.POST, objectives=engagement.project.objectives.all())
    if form.is_valid():
        try:
            services.student_evaluation_submit(
                actor=request.user, engagement=engagement, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you: your evaluation is saved.")
            return _back(engagement.pk, "#evaluations")
    return render_workspace(
        request, engagement, role, status=400, evaluation_form=form, focus="evaluations"
    )


@require_POST
def review_employer(request, pk: int):
    engagement, role = engagement_for(request.user, pk)
    form = EmployerReviewForm(request.POST)
    if form.is_valid():
        try:
            services.employer_review_submit(
                actor=request.user, engagement=engagement, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you: your review is saved.")
            return _back(engagement.pk, "#evaluations")
    return render_workspace(
        request, engagement, role, status=400, employer_review_form=form, focus="evaluations"
    )

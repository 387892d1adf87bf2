"""The employer's talent pool, invitations and full-time interest, and the student's answers.
Thin views: forms check input, projects.talent changes things and decides who sees what."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required, user_has_role
from accounts.models import Role
from engagements.access import engagement_for
from marketplace.forms import add_service_errors
from outcomes import talent
from outcomes.forms import EntryForm, FullTimeForm, InviteForm, ReplyForm
from outcomes.models import FullTimeInterest
from projects import selectors

EMPLOYERS = frozenset({Role.EMPLOYER})


def employer_area(view):
    """Pages private to an organization: anyone but its employers gets 404 (not 403), so
    they do not even learn that the page exists; anonymous visitors are asked to log in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_has_role(request.user, EMPLOYERS):
            raise Http404("Not found.")
        return view(request, *args, **kwargs)

    wrapped.allowed_roles = EMPLOYERS  # for the navigation bar
    return wrapped


# --- The pool -------------------------------------------------------------------------------


@employer_area
@require_GET
def talent_pool(request):
    profile = getattr(request.user, "employer_profile", None)
    if profile is None:
        messages.info(request, "Tell us about your organization first.")
        return redirect("profile")
    pool = talent.pool_page(
        profile.organization_id,
        tag=request.GET.get("tag", ""),
        q=request.GET.get("q", ""),
        page=request.GET.get("page"),
    )
    return render(
        request, "outcomes/talent_pool.html", {"pool": pool, "organization": profile.organization}
    )


def _render_entry(request, entry, *, status=200, **forms):
    detail = talent.entry_detail(entry)
    context = {
        "detail": detail,
        "entry": entry,
        "student": entry.student,
        "entry_form": EntryForm(initial={"tags": ", ".join(entry.tag_list), "notes": entry.notes}),
        "invite_form": InviteForm(projects=detail.open_projects),
        "fulltime_form": FullTimeForm(),
        **forms,
    }
    return render(request, "outcomes/talent_entry.html", context, status=status)


@employer_area
@require_http_methods(["GET", "POST"])
def talent_entry(request, pk: int):
    entry = talent.entry_for_employer_or_404(request.user, pk)
    if request.method == "GET":
        return _render_entry(request, entry)
    form = EntryForm(request.POST)
    if form.is_valid():
        try:
            talent.pool_update(
                actor=request.user,
                entry=entry,
                tags=form.cleaned_data["tags"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Tags and notes saved.")
            return redirect("outcomes:talent_entry", pk=entry.pk)
    return _render_entry(request, entry, status=400, entry_form=form, focus="notes")


@employer_area
@require_POST
def talent_invite(request, pk: int):
    entry = talent.entry_for_employer_or_404(request.user, pk)
    form = InviteForm(
        request.POST, projects=talent.organization_open_projects(entry.organization_id)
    )
    if form.is_valid():
        try:
            invitation = talent.invitation_send(
                actor=request.user,
                student=entry.student,
                project_id=form.cleaned_data["project"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Invitation sent: {entry.student.get_full_name()} will find it on their "
                f"dashboard, with a link to apply to “{invitation.project.title}”.",
            )
            return redirect("outcomes:talent_entry", pk=entry.pk)
    return _render_entry(request, entry, status=400, invite_form=form, focus="invite")


@employer_area
@require_POST
def talent_fulltime(request, pk: int):
    entry = talent.entry_for_employer_or_404(request.user, pk)
    form = FullTimeForm(request.POST)
    if form.is_valid():
        try:
            interest = talent.fulltime_mark(
                actor=request.user, student=entry.student, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if interest.told_student:
                messages.success(
                    request,
                    f"Marked as a full-time prospect. {entry.student.get_full_name()} has been "
                    "told and can reply from their dashboard.",
                )
            else:
                messages.warning(
                    request,
                    "Marked as a full-time prospect and kept for your organization (it counts "
                    f"in career services' reports). {entry.student.get_full_name()} has not "
                    "opted in to being contacted, so your message was not sent to them.",
                )
            return redirect("outcomes:talent_entry", pk=entry.pk)
    return _render_entry(request, entry, status=400, fulltime_form=form, focus="fulltime")


@employer_area
@require_POST
def talent_fulltime_withdraw(request, pk: int, interest_id: int):
    entry = talent.entry_for_employer_or_404(request.user, pk)
    interest = get_object_or_404(
        FullTimeInterest,
        pk=interest_id,
        organization_id=entry.organization_id,
        student_id=entry.student_id,
    )
    try:
        talent.fulltime_withdraw(actor=request.user, interest=interest)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Full-time interest withdrawn.")
    return redirect("outcomes:talent_entry", pk=entry.pk)


@employer_area
@require_POST
def talent_remove(request, pk: int):
    entry = talent.entry_for_employer_or_404(request.user, pk)
    talent.pool_remove(actor=request.user, entry=entry)
    messages.success(request, f"{entry.student.get_full_name()} was removed from your pool.")
    return redirect("outcomes:talent_pool")


def _save(request, student, back: str):
    try:
        entry, created = talent.pool_save(actor=request.user, student=student)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if created:
        messages.success(
            request, f"{student.get_full_name()} is in your talent pool: add tags and notes."
        )
    return redirect("outcomes:talent_entry", pk=entry.pk)


@employer_area
@require_POST
def save_applicant(request, pk: int):
    application = selectors.application_for_employer_or_404(request.user, pk)
    back = reverse("engagements:applicants", kwargs={"pk": application.project_id})
    back += f"#applicant-{application.pk}"
    return _save(request, application.student, back)


@employer_area
@require_POST
def save_engagement_student(request, pk: int):
    engagement, role = engagement_for(request.user, pk)
    if role != "employer":
        raise Http404("No such engagement.")
    return _save(request, engagement.student, reverse("engagements:workspace", kwargs={"pk": pk}))


# --- The student's side ----------------------------------------------------------------------


@role_required(Role.STUDENT)
@require_POST
def invitation_decline(request, pk: int):
    invitation = talent.invitation_for_student_or_404(request.user, pk)
    try:
        talent.invitation_decline(student=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You declined the invitation to “{invitation.project.title}”.")
    return redirect("student_dashboard")


@role_required(Role.STUDENT)
@require_http_methods(["GET", "POST"])
def fulltime_reply(request, pk: int):
    interest = talent.fulltime_for_student_or_404(request.user, pk)
    prefix = f"reply-{interest.pk}"
    form = ReplyForm(request.POST if request.method == "POST" else None, prefix=prefix)
    if request.method == "POST" and form.is_valid():
        try:
            talent.fulltime_reply(
                student=request.user,
                interest=interest,
                answer=form.cleaned_data["answer"],
                reply=form.cleaned_data["reply"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your reply was sent to {interest.organization.name}.")
            return redirect("student_dashboard")
    return render(
        request,
        "outcomes/fulltime_reply.html",
        {"interest": interest, "form": form},
        status=400 if request.method == "POST" else 200,
    )

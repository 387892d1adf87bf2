"""Project pages: browse and detail for everyone; posting and managing for employers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required
from accounts.models import Role
from marketplace.context_processors import rules as site_rules
from marketplace.downloads import private_download
from marketplace.forms import add_service_errors
from projects import applications, criteria, disclosures, market, rules, selectors, services
from projects.access import resume_for_viewer_or_404
from projects.forms import ApplicationForm, CancelProjectForm, DeclineForm, ProjectForm
from projects.models import PENDING_APPLICATION_STATUSES, ApplicationStatus


@require_GET
def browse(request):
    viewer = request.user
    skill_ids = selectors.match_skill_ids(request.GET, viewer)
    key = market.browse_key(request.GET, skill_ids)
    content = market.cached_content(key)
    context = {}
    if content is None:
        result = selectors.browse(params=request.GET, viewer=viewer, skill_ids=skill_ids)
        content = market.BrowseContent(
            html=render_to_string("projects/_browse.html", _browse_context(request, result)),
            project_ids=tuple(p.pk for p in result.page.object_list),
        )
        market.keep_content(key, content)
        applied = result.applied_project_ids
        context["result"] = result
    else:
        applied = selectors.applied_project_ids(viewer, content.project_ids)
    context["content"] = mark_safe(market.mark_applied(content.html, applied))  # noqa: S308
    return render(request, "projects/browse.html", context)


def _browse_context(request, result) -> dict:
    params = request.GET.copy()
    params.pop("page", None)
    form = result.filterset.form
    return {
        "result": result,
        "rules": site_rules(),
        "page_query": params.urlencode(),
        "skills": form.fields["skills"].queryset.only("name", "slug"),
        "selected_skills": set(request.GET.getlist("skills")),
        "selected_categories": set(request.GET.getlist("category")),
        "number_fields": [form[name] for name in ("fee_min", "fee_max", "hours_min", "hours_max")],
    }


def _project_context(project, viewer):
    apply = selectors.apply_state(viewer, project)
    objectives = list(project.objectives.all())
    return {
        "project": project,
        "objectives": objectives,
        "criteria": criteria.project_criteria(project, objective_count=len(objectives)),
        "rate_cents": rules.implied_rate_cents(project.fee_cents, project.hours),
        "rate_guidance": rules.rate_guidance(project.fee_cents, project.hours),
        "apply": apply,
        # The organization's employers manage the project from its page, applicants first.
        "applicants": selectors.applicant_counts(project) if apply.kind == "owner" else None,
    }


@require_GET
def detail(request, pk: int):
    project = selectors.project_for_viewer_or_404(request.user, pk)
    return render(request, "projects/detail.html", _project_context(project, request.user))


def _after_save(request, project, action):
    """Save draft, preview, or publish: the three buttons of the project form."""
    if action == "publish":
        try:
            services.project_publish(actor=request.user, project=project)
        except ValidationError as error:
            messages.warning(request, " ".join(error.messages))
            return redirect("projects:preview", pk=project.pk)
        messages.success(request, "Published: students can find and apply to it now.")
        return redirect("projects:detail", pk=project.pk)
    if action == "preview":
        return redirect("projects:preview", pk=project.pk)
    messages.success(request, "Saved.")
    return redirect("employer_dashboard")


@role_required(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def create(request):
    if not hasattr(request.user, "employer_profile"):
        messages.info(request, "Describe your organization before posting a project.")
        return redirect("profile")
    form = ProjectForm(
        request.POST or None,
        organization=request.user.employer_profile.organization,
        publishing=request.POST.get("action") == "publish",
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, data=form.to_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _after_save(request, project, request.POST.get("action", "draft"))
    organization = request.user.employer_profile.organization
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "title": "Post a micro-internship", "organization": organization},
    )


@role_required(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    project = selectors.project_for_employer_or_404(request.user, pk)
    if project.status not in services.EDITABLE_STATUSES:
        messages.info(request, "This project can no longer be edited.")
        return redirect("projects:detail", pk=project.pk)
    form = ProjectForm(
        request.POST or None,
        project=project,
        publishing=project.status == "draft" and request.POST.get("action") == "publish",
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_update(
                actor=request.user, project=project, data=form.to_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            action = request.POST.get("action", "draft")
            if project.status != "draft" and action in ("draft", "publish"):
                messages.success(request, "Saved.")
                return redirect("projects:detail", pk=project.pk)
            return _after_save(request, project, action)
    return render(
        request,
        "projects/project_form.html",
        {
            "form": form,
            "project": project,
            "title": f"Edit “{project.title}”",
            "organization": project.organization,
        },
    )


@role_required(Role.EMPLOYER)
@require_GET
def preview(request, pk: int):
    project = selectors.project_for_employer_or_404(request.user, pk)
    project.openings_left = project.openings
    context = _project_context(project, request.user)
    context["preview"] = True
    return render(request, "projects/detail.html", context)


@role_required(Role.EMPLOYER)
@require_POST
def publish(request, pk: int):
    project = selectors.project_for_employer_or_404(request.user, pk)
    return _after_save(request, project, "publish")


@role_required(Role.EMPLOYER)
@require_POST
def close(request, pk: int):
    project = selectors.project_for_employer_or_404(request.user, pk)
    try:
        services.project_close(actor=request.user, project=project)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, "Applications are closed. You can still review the applicants you have."
        )
    return redirect("projects:detail", pk=project.pk)


@role_required(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def cancel(request, pk: int):
    project = selectors.project_for_employer_or_404(request.user, pk)
    form = CancelProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_cancel(
                actor=request.user, project=project, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The project is cancelled.")
            return redirect("employer_dashboard")
    return render(request, "projects/cancel.html", {"project": project, "form": form})


@role_required(Role.EMPLOYER)
@require_POST
def duplicate(request, pk: int):
    project = selectors.project_for_employer_or_404(request.user, pk)
    copy = services.project_duplicate(actor=request.user, project=project)
    messages.success(request, "A new draft with the same content. Check the dates, then publish.")
    return redirect("projects:edit", pk=copy.pk)


# --- Applying --------------------------------------------------------------------------------


@role_required(Role.STUDENT)
@require_http_methods(["GET", "POST"])
def apply(request, pk: int):
    project = selectors.project_for_viewer_or_404(request.user, pk)
    state = selectors.apply_state(request.user, project)
    if state.kind == "applied":
        messages.info(request, "You have already applied to this project.")
        return redirect("student_dashboard")
    if state.kind != "apply":
        messages.info(request, "This project is not taking applications.")
        return redirect("projects:detail", pk=project.pk)
    if not hasattr(request.user, "student_profile"):
        messages.info(request, "Complete your profile first: employers read it with your note.")
        return redirect("profile")
    form = ApplicationForm(
        request.POST or None, project=project, profile=request.user.student_profile
    )
    if request.method == "POST" and form.is_valid():
        try:
            applications.application_submit(
                student=request.user,
                project=project,
                data=applications.ApplicationData(
                    cover_note=form.cleaned_data["cover_note"],
                    answers=form.answers(),
                    confirmed_availability=form.cleaned_data["confirmed_availability"],
                    relation_to_major=form.cleaned_data.get("relation_to_major", ""),
                    consented=form.cleaned_data["consent"],
                    share_evaluations=form.cleaned_data["share_evaluations"],
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Applied to “{project.title}”. We will tell you when the employer decides.",
            )
            return redirect("student_dashboard")
    profile = request.user.student_profile
    return render(
        request,
        "projects/apply.html",
        {
            "project": project,
            "form": form,
            "profile": profile,
            "disclosed": selectors.what_shortlisting_reveals(profile),
        },
    )


@role_required(Role.STUDENT)
@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int):
    """Withdrawing is final (one application per project), so the page asks first; the
    question is a page of its own, not a script, and the POST does it."""
    application = selectors.application_for_student_or_404(request.user, pk)
    if request.method == "GET":
        if application.status == ApplicationStatus.WITHDRAWN:
            messages.info(request, f"You already withdrew from “{application.project.title}”.")
            return redirect("student_dashboard")
        if application.status not in PENDING_APPLICATION_STATUSES:
            messages.info(request, "The employer has already decided on this application.")
            return redirect("student_dashboard")
        return render(request, "projects/withdraw.html", {"application": application})
    try:
        applications.application_withdraw(student=request.user, application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You withdrew from “{application.project.title}”.")
    return redirect("student_dashboard")


# --- Deciding on applicants (the list and accepting live in engagements) -----------


@role_required(Role.EMPLOYER)
@require_POST
def shortlist(request, pk: int):
    application = selectors.application_for_employer_or_404(request.user, pk)
    try:
        applications.application_shortlist(actor=request.user, application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Shortlisted: you can now see who they are and their résumé.")
    return redirect("engagements:applicants", pk=application.project_id)


@role_required(Role.EMPLOYER)
@require_POST
def decline(request, pk: int):
    application = selectors.application_for_employer_or_404(request.user, pk)
    form = DeclineForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        applications.application_decline(
            actor=request.user, application=application, message=message
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Declined. The applicant was told, kindly.")
    return redirect("engagements:applicants", pk=application.project_id)


# --- What shortlisting reveals ------------------------------------------------------


@require_GET
def resume_download(request, student_id: int):
    profile = resume_for_viewer_or_404(request.user, student_id)
    viewer = request.user
    employer = getattr(viewer, "employer_profile", None)
    if viewer.role == Role.EMPLOYER and employer is not None:
        disclosures.resume_downloaded(
            student_id=profile.user_id,
            organization_id=employer.organization_id,
            viewer=viewer,
            file_name=profile.resume_filename or "resume.pdf",
        )
    return private_download(
        profile.resume,
        filename=profile.resume_filename or "resume.pdf",
        content_type="application/pdf",
    )

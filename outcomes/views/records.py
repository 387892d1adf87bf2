"""Verified experiences: the public record (page, certificate, Open Badges) and the
student's own pages (visibility, résumé drafts, export)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from accounts.access import role_required
from accounts.models import Role
from marketplace.forms import add_service_errors
from outcomes import badges, pdfs, records
from outcomes.employment_log import needs_employment_log
from outcomes.forms import ResumeForm, VisibilityForm

JSON_LD = "application/ld+json"


def _verify_url(request, record) -> str:
    return request.build_absolute_uri(reverse("outcomes:verify", args=[record.code]))


def _noindex(response):
    response["X-Robots-Tag"] = "noindex"
    return response


def _local_date(moment) -> str:
    return date_format(timezone.localtime(moment), "M j, Y") if moment else ""


# --- The public record ------------------------------------------------------------------


@require_GET
def verify(request, code: str):
    record = records.experience_by_code_or_404(code)
    context = {"record": record, "state": "valid"}
    if record.is_revoked:
        context["state"] = "revoked"
    elif not record.is_public:
        context["state"] = "hidden"
    else:
        view = records.record_view(record)
        records.record_view_disclosed(record=record, viewer=request.user)
        context.update(
            view=view,
            facts=view.facts,
            engagement=record.engagement,
            skills=view.facts.skills,
            highlights=view.highlights if record.show_evaluation else None,
            objectives=view.objectives,
            reflection=view.shared_reflection,
            verify_url=_verify_url(request, record),
        )
    return _noindex(render(request, "outcomes/verify.html", context))


def _is_owner(request, record) -> bool:
    user = request.user
    return (
        user.is_authenticated
        and user.role == Role.STUDENT
        and user.pk == record.engagement.student_id
    )


@require_GET
def certificate(request, code: str):
    """Anyone may download a public record's certificate; while the record is hidden,
    only its student (logged in). A revoked record has none."""
    record = records.experience_by_code_or_404(code)
    if record.is_revoked or not (record.is_public or _is_owner(request, record)):
        raise Http404("No certificate.")
    view = records.record_view(record)
    engagement = record.engagement
    data = pdfs.CertificateData(
        student_name=engagement.student.get_full_name(),
        project_title=view.facts.title,
        organization=view.facts.organization,
        organization_verified=engagement.organization.is_verified,
        started=_local_date(engagement.funded_at or engagement.accepted_at),
        finished=_local_date(engagement.approved_at),
        hours=view.facts.hours,
        skills=view.facts.skills,
        deliverables=view.facts.deliverables,
        verify_url=_verify_url(request, record),
        code=record.code,
        objectives=tuple((line.text, line.outcome) for line in view.objectives),
        reflection=view.shared_reflection.text if view.shared_reflection else "",
    )
    response = HttpResponse(pdfs.certificate_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{record.code}.pdf"'
    return _noindex(response)


def _json(data: dict, *, status: int = 200):
    response = JsonResponse(
        data, status=status, content_type=JSON_LD, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"  # wallets verify from their own sites
    return _noindex(response)


@require_GET
def badge_issuer(request):
    return _json(badges.issuer(request))


@require_GET
def badge_assertion(request, code: str):
    record = records.experience_by_code_or_404(code)
    if record.is_revoked:
        return _json(badges.revoked_assertion(request, record), status=410)
    if not record.is_public:
        raise Http404("This record is hidden by its owner.")
    return _json(badges.assertion(request, records.record_view(record)))


@require_GET
def badge_class(request, code: str):
    record = records.experience_by_code_or_404(code)
    if record.is_revoked or not record.is_public:
        raise Http404("No such badge.")
    return _json(badges.badge_class(request, records.record_view(record)))


# --- The student's pages ---------------------------------------------------------------


@role_required(Role.STUDENT)
def experience_list(request):
    return render(
        request,
        "outcomes/experiences.html",
        {
            "experiences": list(records.experiences_of(request.user)),
            "needs_employment_log": needs_employment_log(request.user),
        },
    )


def _linkedin_url(request, view) -> str:
    record = view.record
    approved = view.engagement.approved_at
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": f"Micro-internship: {view.facts.title}",
        "organizationName": view.facts.organization,
        "certUrl": _verify_url(request, record),
        "certId": record.code,
    }
    if approved:
        local = timezone.localtime(approved)
        params.update(issueYear=local.year, issueMonth=local.month)
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


def _render_experience(request, record, may_edit, *, resume_form=None, status=200):
    view = records.record_view(record)
    draft = records.resume_draft(view)
    return render(
        request,
        "outcomes/experience.html",
        {
            "record": record,
            "view": view,
            "facts": view.facts,
            "engagement": record.engagement,
            "may_edit": may_edit,
            "visibility_form": VisibilityForm(
                initial={"is_public": record.is_public, "show_evaluation": record.show_evaluation}
            ),
            "resume_form": resume_form or ResumeForm(draft=draft, read_only=not may_edit),
            "draft": draft,
            "verify_url": _verify_url(request, record),
            "badge_url": request.build_absolute_uri(
                reverse("outcomes:badge_assertion", args=[record.code])
            ),
            "linkedin_url": _linkedin_url(request, view),
        },
        status=status,
    )


@login_required
@require_GET
def experience_detail(request, pk: int):
    record, may_edit = records.experience_for_viewer_or_404(request.user, pk)
    return _render_experience(request, record, may_edit)


def _owned_or_404(request, pk: int):
    record, may_edit = records.experience_for_viewer_or_404(request.user, pk)
    if not may_edit:
        raise Http404("Only the student changes this record.")
    return record


@login_required
@require_POST
def experience_visibility(request, pk: int):
    record = _owned_or_404(request, pk)
    form = VisibilityForm(request.POST)
    form.is_valid()  # two check boxes: always valid
    records.experience_set_visibility(
        actor=request.user,
        record=record,
        is_public=form.cleaned_data.get("is_public", False),
        show_evaluation=form.cleaned_data.get("show_evaluation", False),
    )
    record.refresh_from_db()
    messages.success(
        request,
        "The record is public." if record.is_public else "The record is hidden from the public.",
    )
    return redirect("outcomes:experience", pk=record.pk)


@login_required
@require_POST
def experience_resume(request, pk: int):
    record = _owned_or_404(request, pk)
    if request.POST.get("reset"):
        records.experience_resume_reset(actor=request.user, record=record)
        messages.success(request, "Back to the draft built from your project's facts.")
        return redirect(reverse("outcomes:experience", args=[record.pk]) + "#resume")
    form = ResumeForm(request.POST)
    if form.is_valid():
        try:
            records.experience_resume_save(
                actor=request.user, record=record, bullets=form.bullets(), story=form.story()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your bullets and story are saved.")
            return redirect(reverse("outcomes:experience", args=[record.pk]) + "#resume")
    return _render_experience(request, record, True, resume_form=form, status=400)


# --- Export of every record as a résumé section -----------------------------------------------


def _resume_entries(request) -> list[pdfs.ResumeEntry]:
    entries = []
    for record in records.experiences_of(request.user).filter(revoked_at__isnull=True):
        view = records.record_view(record)
        engagement = record.engagement
        started = _local_date(engagement.funded_at or engagement.accepted_at)
        finished = _local_date(engagement.approved_at)
        entries.append(
            pdfs.ResumeEntry(
                heading=f"{view.facts.title} (micro-internship), {view.facts.organization}",
                subheading=(
                    f"{started} – {finished} · {records.resume.hours_text(view.facts.hours)} hours"
                ),
                bullets=[b for b in records.resume_draft(view).bullets if b.strip()],
                verify_url=_verify_url(request, record) if record.is_public else "",
            )
        )
    return entries


@role_required(Role.STUDENT)
@require_GET
def resume_txt(request):
    text = pdfs.resume_text(
        student_name=request.user.get_full_name(), entries=_resume_entries(request)
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="experience.txt"'
    return response


@role_required(Role.STUDENT)
@require_GET
def resume_pdf(request):
    content = pdfs.resume_pdf(
        student_name=request.user.get_full_name(), entries=_resume_entries(request)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="experience.pdf"'
    return response

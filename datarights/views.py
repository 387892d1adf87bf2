"""Your data: download all of it, or close the account."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required
from accounts.models import Role
from datarights import closing, exporting
from datarights.forms import CONFIRM_WORD, ClosureForm, ExportRequestForm
from marketplace.downloads import private_download
from marketplace.forms import add_service_errors


def _render_data(request, *, export_form=None, status=200):
    user = request.user
    exports = list(exporting.exports_of(user))
    context = {
        "exports": exports,
        "pending": any(e.status == e.Status.PENDING for e in exports),
        "export_form": export_form or ExportRequestForm(),
        # While an archive is being prepared the form is not shown: its refusal is, alone.
        "export_refusals": export_form.non_field_errors() if export_form else [],
        "link_days": settings.DATA_EXPORT_LINK_DAYS,
        "grace_days": settings.ACCOUNT_CLOSURE_GRACE_DAYS,
        "closure": closing.current_closure(user),
    }
    return render(request, "datarights/data.html", context, status=status)


@role_required(Role.STUDENT, Role.EMPLOYER)
@require_GET
def data(request):
    return _render_data(request)


@role_required(Role.STUDENT, Role.EMPLOYER)
@require_POST
def export_request(request):
    form = ExportRequestForm(request.POST)
    if form.is_valid():
        try:
            exporting.data_export_request(user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "We are preparing your data and will email you when it is ready."
            )
            return redirect("datarights:data")
    return _render_data(request, export_form=form, status=400)


@role_required(Role.STUDENT, Role.EMPLOYER)
@require_GET
def export_download(request, pk: int):
    export = exporting.export_for_owner_or_none(request.user, pk)
    if export is None:
        raise Http404("No such download, or it has expired.")
    exporting.data_export_mark_downloaded(export=export)
    return private_download(
        export.file,
        filename=f"my-data-{export.ready_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )


def _render_close(request, form, *, status=200):
    user = request.user
    context = {
        "form": form,
        "blockers": closing.closure_blockers(user),
        "closure": closing.current_closure(user),
        "grace_days": settings.ACCOUNT_CLOSURE_GRACE_DAYS,
        "confirm_word": CONFIRM_WORD,
    }
    return render(request, "datarights/close.html", context, status=status)


@role_required(Role.STUDENT, Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def close_account(request):
    user = request.user
    if request.method == "GET":
        return _render_close(request, ClosureForm(user=user))
    form = ClosureForm(request.POST, user=user)
    if form.is_valid():
        try:
            closure = closing.account_closure_request(
                user=user, keep_records_public=form.cleaned_data.get("keep_records_public", False)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if closure.status == closure.Status.CLOSED:
                logout(request)
                messages.success(
                    request, "Your account is closed and your personal data erased. Goodbye."
                )
                return redirect("home")
            closes_on = timezone.localtime(closure.effective_at)
            messages.success(
                request,
                f"Your account will close on {closes_on:%B %-d, %Y}. "
                "You can change your mind until then.",
            )
            return redirect("datarights:close")
    return _render_close(request, form, status=400)


@role_required(Role.STUDENT, Role.EMPLOYER)
@require_POST
def close_cancel(request):
    try:
        closing.account_closure_cancel(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your account stays open.")
    return redirect("datarights:close")

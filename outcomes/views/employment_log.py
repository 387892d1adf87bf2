"""The OPT employment log: the student's page, its CSV and PDF, and marking an employer
reported to SEVP."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.access import role_required
from accounts.models import Role
from engagements import services as engagement_services
from engagements.models import Engagement
from marketplace.csv_export import csv_response
from outcomes import employment_log as log
from outcomes import pdfs


@role_required(Role.STUDENT)
@require_GET
def employment_log(request):
    needed = log.needs_employment_log(request.user)
    return render(
        request,
        "outcomes/employment_log.html",
        {
            "needed": needed,
            "rows": log.employment_log(request.user) if needed else [],
            "report_days": settings.OPT_REPORT_DAYS,
        },
    )


def _rows_or_404(request):
    if not log.needs_employment_log(request.user):
        raise Http404("The employment log is for students on post-completion OPT.")
    return log.employment_log(request.user)


@role_required(Role.STUDENT)
@require_GET
def employment_log_csv(request):
    rows = _rows_or_404(request)
    return csv_response("opt-employment-log.csv", log.CSV_HEADER, log.csv_rows(rows))


@role_required(Role.STUDENT)
@require_GET
def employment_log_pdf(request):
    rows = _rows_or_404(request)
    content = pdfs.employment_log_pdf(
        student_name=request.user.get_full_name(),
        school=request.user.student_profile.school.name,
        rows=rows,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="opt-employment-log.pdf"'
    return response


@role_required(Role.STUDENT)
@require_POST
def employment_reported(request, pk: int):
    engagement = get_object_or_404(Engagement, pk=pk, student=request.user)
    try:
        engagement_services.opt_report_mark(actor=request.user, engagement=engagement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        raise Http404 from error
    else:
        messages.success(request, f"Marked {engagement.organization.name} as reported to SEVP.")
    return redirect("outcomes:employment_log")

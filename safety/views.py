from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required
from accounts.models import Role
from marketplace.forms import add_service_errors
from projects import applications, disclosures
from projects.selectors import application_for_student_or_404
from safety import selectors, services
from safety.access import report_subject_or_404
from safety.forms import ReportForm
from safety.privacy import retention_statement

# Platform admins act on what they see in the admin rather than report it to themselves.
REPORTERS = (Role.STUDENT, Role.EMPLOYER, Role.CAREER_STAFF)


@role_required(*REPORTERS)
@require_http_methods(["GET", "POST"])
def report(request, kind: str, pk: int):
    """Report a project, an organization, a message or a user to the platform's admins."""
    subject = report_subject_or_404(request.user, kind, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                actor=request.user,
                subject=subject,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Thank you: your report went to the platform's admins. We will tell you what "
                "we did.",
            )
            return redirect("safety:my_reports")
    return render(
        request,
        "safety/report.html",
        {"form": form, "kind": kind, "subject": subject},
        status=400 if form.is_bound else 200,
    )


@role_required(*REPORTERS)
def my_reports(request):
    return render(
        request, "safety/my_reports.html", {"reports": selectors.reports_by(request.user)}
    )


@role_required(Role.STUDENT)
@require_GET
def privacy(request):
    """The student's consents, the log of what organizations came to see, and what the
    platform keeps: one page, a fixed number of queries, the log paginated."""
    return render(
        request,
        "safety/privacy.html",
        {
            "consents": disclosures.student_consents(request.user),
            "log": disclosures.student_log_page(request.user, request.GET.get("page")),
            "kept": retention_statement(),
        },
    )


@role_required(Role.STUDENT)
@require_POST
def consent_withdraw(request, pk: int):
    """Taking consent back withdraws the application (asked on the privacy page first)."""
    application = application_for_student_or_404(request.user, pk)
    try:
        applications.application_consent_withdraw(student=request.user, application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Consent withdrawn: your application to “{application.project.title}” is "
            "withdrawn and nothing more is shown to the organization.",
        )
    return redirect("safety:privacy")

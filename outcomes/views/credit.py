"""Academic credit pages: the student's requests, career services' queue, review, policy and
registrar CSV, and the faculty member's review through an emailed link (no account)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import role_required, staff_school_id
from accounts.models import Role, School
from marketplace.csv_export import csv_response
from marketplace.forms import add_service_errors
from outcomes.credit import selectors, services
from outcomes.credit.forms import (
    CreditPolicyForm,
    CreditRequestForm,
    FacultyDecisionForm,
    RegistrarForm,
    ReturnForm,
    StaffApproveForm,
)
from outcomes.credit.models import CreditStatus

# --- The student ---------------------------------------------------------------------------


def _school_id(user):
    profile = getattr(user, "student_profile", None)
    return profile.school_id if profile else None


def _course_args(form) -> dict:
    data = form.cleaned_data
    return {
        "course_code": data["course_code"],
        "term_id": data.get("term"),
        "term_name": data.get("term_name", ""),
        "student_number": data.get("student_number", ""),
    }


@role_required(Role.STUDENT)
def credit_list(request):
    return render(
        request,
        "outcomes/credit/list.html",
        {
            "credit_requests": selectors.requests_of_student(request.user),
            "eligible": selectors.eligible_engagements(request.user),
        },
    )


@role_required(Role.STUDENT)
@require_http_methods(["GET", "POST"])
def credit_request_new(request, engagement_id: int):
    engagement = selectors.eligible_engagement_or_404(request.user, engagement_id)
    school_id = _school_id(request.user)
    form = CreditRequestForm(request.POST or None, terms=selectors.terms_of(school_id))
    if request.method == "POST" and form.is_valid():
        try:
            credit = services.credit_request_submit(
                actor=request.user, engagement=engagement, **_course_args(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Sent to career services. You will hear of each step.")
            return redirect("outcomes:credit_request", credit.pk)
    policy = services.policy_of(school_id) if school_id else None
    return render(
        request,
        "outcomes/credit/new.html",
        {
            "engagement": engagement,
            "form": form,
            "policy": policy,
            "has_reflection": selectors.has_reflection(engagement),
        },
        status=400 if form.errors else 200,
    )


@role_required(Role.STUDENT)
@require_http_methods(["GET", "POST"])
def credit_request_detail(request, pk: int):
    credit = selectors.request_for_student_or_404(request.user, pk)
    form = None
    if credit.status == CreditStatus.RETURNED:
        initial = {
            "course_code": credit.course_code,
            "term": credit.term_id,
            "term_name": credit.term_name,
            "student_number": credit.student_number,
        }
        form = CreditRequestForm(
            request.POST or None, initial=initial, terms=selectors.terms_of(credit.school_id)
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.credit_request_resubmit(
                    actor=request.user, request=credit, **_course_args(form)
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Sent again to career services.")
                return redirect("outcomes:credit_request", credit.pk)
    elif request.method == "POST":
        messages.error(request, "This request can no longer be changed.")
        return redirect("outcomes:credit_request", credit.pk)
    return render(
        request,
        "outcomes/credit/detail.html",
        {"credit": credit, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@role_required(Role.STUDENT)
@require_POST
def credit_request_withdraw(request, pk: int):
    credit = selectors.request_for_student_or_404(request.user, pk)
    try:
        services.credit_request_withdraw(actor=request.user, request=credit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Request withdrawn.")
    return redirect("outcomes:credit_request", credit.pk)


# --- Career services ------------------------------------------------------------------------


def _staff_school(request) -> School | None:
    school_id = staff_school_id(request.user)
    return School.objects.filter(pk=school_id).first() if school_id else None


def _no_school(request):
    messages.error(request, "Your account is not attached to a school yet.")
    return redirect("career_staff_dashboard")


@role_required(Role.CAREER_STAFF)
def credit_queue(request):
    school = _staff_school(request)
    if school is None:
        return _no_school(request)
    status = request.GET.get("status", "submitted")
    if status not in CreditStatus.values and status != "all":
        status = "submitted"
    return render(
        request,
        "outcomes/credit/queue.html",
        {
            "school": school,
            "status": status,
            "statuses": CreditStatus.choices,
            "credit_requests": selectors.queue_for_school(
                school.pk, "" if status == "all" else status
            ),
            "registrar_form": RegistrarForm(terms=selectors.terms_of(school.pk)),
            "policy": services.policy_of(school.pk),
        },
    )


@role_required(Role.CAREER_STAFF)
@require_http_methods(["GET", "POST"])
def credit_review(request, pk: int):
    credit = selectors.request_for_staff_or_404(request.user, pk)
    policy = services.policy_of(credit.school_id)
    initial = {"faculty_email": policy.default_faculty_email}
    approve_form = StaffApproveForm(initial=initial, policy=policy)
    return_form = ReturnForm()
    action = request.POST.get("action")
    if request.method == "POST" and action == "approve":
        approve_form = StaffApproveForm(request.POST, policy=policy)
        if approve_form.is_valid():
            data = approve_form.cleaned_data
            try:
                services.credit_request_staff_approve(
                    actor=request.user,
                    request=credit,
                    comment=data["comment"],
                    faculty_email=data.get("faculty_email") or "",
                    faculty_name=data.get("faculty_name") or "",
                )
            except ValidationError as error:
                add_service_errors(approve_form, error)
            else:
                messages.success(request, "Approved.")
                return redirect("outcomes:credit_review", credit.pk)
    elif request.method == "POST" and action == "return":
        return_form = ReturnForm(request.POST)
        if return_form.is_valid():
            try:
                services.credit_request_staff_return(
                    actor=request.user, request=credit, comment=return_form.cleaned_data["comment"]
                )
            except ValidationError as error:
                add_service_errors(return_form, error)
            else:
                messages.success(request, "Returned to the student.")
                return redirect("outcomes:credit_review", credit.pk)
    elif request.method == "POST" and action == "renew_link":
        try:
            services.credit_faculty_link_renew(actor=request.user, request=credit)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"A new link went to {credit.faculty_email}.")
        return redirect("outcomes:credit_review", credit.pk)
    elif request.method == "POST":
        messages.error(request, "Choose to approve or to return the request.")
        return redirect("outcomes:credit_review", credit.pk)
    failed = approve_form.errors or return_form.errors
    return render(
        request,
        "outcomes/credit/review.html",
        {
            "credit": credit,
            "file": selectors.review_file(credit),
            "approve_form": approve_form,
            "return_form": return_form,
            "policy": policy,
            "live_link": credit.faculty_links.filter(
                used_at__isnull=True, revoked_at__isnull=True
            ).first(),
        },
        status=400 if failed else 200,
    )


@role_required(Role.CAREER_STAFF)
@require_http_methods(["GET", "POST"])
def credit_policy(request):
    school = _staff_school(request)
    if school is None:
        return _no_school(request)
    policy = services.policy_of(school.pk)
    form = CreditPolicyForm(
        request.POST or None,
        initial={
            "hours_per_credit": policy.hours_per_credit,
            "faculty_approval": policy.faculty_approval,
            "default_faculty_email": policy.default_faculty_email,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.credit_policy_save(actor=request.user, school=school, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Credit policy saved.")
            return redirect("outcomes:credit_queue")
    return render(
        request,
        "outcomes/credit/policy.html",
        {"school": school, "form": form, "policy": policy},
        status=400 if form.errors else 200,
    )


@role_required(Role.CAREER_STAFF)
def credit_registrar_csv(request):
    school = _staff_school(request)
    if school is None:
        return _no_school(request)
    form = RegistrarForm(request.GET, terms=selectors.terms_of(school.pk))
    if not form.is_valid():
        return render(
            request,
            "outcomes/credit/queue.html",
            {
                "school": school,
                "status": "approved",
                "statuses": CreditStatus.choices,
                "credit_requests": selectors.queue_for_school(school.pk, "approved"),
                "registrar_form": form,
                "policy": services.policy_of(school.pk),
            },
            status=400,
        )
    data = form.cleaned_data
    chosen = selectors.RegistrarFilter(
        term=data["term_obj"], start=data.get("start"), end=data.get("end")
    )
    label = chosen.term.name if chosen.term else f"{chosen.start}-{chosen.end}"
    slug = "".join(c if c.isalnum() else "-" for c in label.lower()).strip("-")
    return csv_response(
        f"academic-credit-{slug}.csv",
        selectors.REGISTRAR_HEADER,
        selectors.registrar_rows(school.pk, chosen),
    )


# --- The faculty member ----------------------------------------------------------------------


def _private(response):
    """The review is for the faculty member's eyes: never cached or indexed, and its address
    (with the token) never sent to another site. "same-origin" rather than "no-referrer":
    with no referrer at all the browser posts the decision with `Origin: null`, which the
    CSRF check rightly refuses."""
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response["Referrer-Policy"] = "same-origin"
    return response


REFUSALS = {
    "unknown": (404, "This link does not open a review."),
    "expired": (
        410,
        "This link has expired. Career services can send you a new one.",
    ),
    "spent": (
        410,
        "This link no longer opens the request: a decision was recorded, or the request "
        "left your hands.",
    ),
}


@require_http_methods(["GET", "POST"])
def credit_faculty(request, token: str):
    link = selectors.faculty_link_by_token(token)
    try:
        services.faculty_link_check(link)
    except services.LinkRefused as refused:
        status, text = REFUSALS[refused.reason]
        return _private(
            render(request, "outcomes/credit/faculty_refused.html", {"text": text}, status=status)
        )
    credit = selectors.request_for_link(link)
    form = FacultyDecisionForm(request.POST or None, initial={"name": link.name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.credit_faculty_decide(
                token=token,
                approve=data["decision"] == "approve",
                comment=data["comment"],
                name=data["name"],
            )
        except services.LinkRefused as refused:
            status, text = REFUSALS[refused.reason]
            return _private(
                render(
                    request, "outcomes/credit/faculty_refused.html", {"text": text}, status=status
                )
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            credit.refresh_from_db()
            return _private(
                render(request, "outcomes/credit/faculty_done.html", {"credit": credit})
            )
    if request.method == "GET":
        services.faculty_link_opened(link=link)
    return _private(
        render(
            request,
            "outcomes/credit/faculty.html",
            {"credit": credit, "file": selectors.review_file(credit), "form": form, "link": link},
            status=400 if form.errors else 200,
        )
    )

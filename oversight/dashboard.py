"""The career services school dashboard in the admin site: a term's figures for one school.

Career staff see their own school's figures only, whatever the query string says; platform
admins choose one school or all of them. Every figure is an aggregate computed in the
database, so a school with ten thousand engagements costs the same few queries as one
with ten.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Aggregate, Avg, Count, Exists, F, FloatField, OuterRef, Q, Sum
from django.db.models.functions import Cast
from django.db.models.lookups import GreaterThanOrEqual
from django.shortcuts import render
from django.utils import timezone

from accounts.admin_scope import staff_school_id
from accounts.models import School, StudentProfile, User
from engagements.models import Engagement, EngagementStatus
from feedback.models import EmployerReview, FeedbackSession, ObjectiveOutcome, SessionStatus
from marketplace.csv_export import csv_response
from marketplace.templatetags.money import money_exact
from marketplace.terms import Term, parse_term, recent_terms, term_for
from outcomes.models import FullTimeInterest, Reflection
from oversight.integrity import with_integrity
from projects import criteria
from projects.models import Application, Category

COMPLETED = (EngagementStatus.APPROVED, EngagementStatus.PAID)
# The parts of "meets every internship criterion", as the dashboard lists them.
NACE_PARTS = (
    ("project", "Project meets the criteria (dates, objectives, supervisor, feedback, pay)"),
    ("pay", "Paid at or above the floor"),
    ("feedback", "A feedback session held"),
    ("evaluated", "Objectives marked in the final evaluation"),
    ("reflected", "Reflection written"),
)
# Over for good without being completed. A dispute is still open until a platform admin
# settles it, which cancels the engagement (projects.engagements.engagement_settle).
ENDED_UNCOMPLETED = (EngagementStatus.CANCELLED,)
TOP_EMPLOYERS = 10
# Custom ranges outside these years are refused (they also keep date arithmetic in range).
YEARS = (2000, 2100)


@dataclass(frozen=True)
class Period:
    """A custom date range, first and last day inclusive, like a Term."""

    start: date
    end: date

    @property
    def slug(self) -> str:
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    @property
    def label(self) -> str:
        return f"{_day(self.start)} – {_day(self.end)}"

    def __str__(self):
        return self.label


def _day(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


class Median(Aggregate):
    """PostgreSQL's exact median (interpolated between the two middle values, like
    statistics.median)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _bounds(term: Term | Period) -> tuple[datetime, datetime]:
    """The term's first and last days as an aware [start, end) range in the current time
    zone (the user's: a day is the user's day)."""
    start = timezone.make_aware(datetime.combine(term.start, time.min))
    end = timezone.make_aware(datetime.combine(term.end + timedelta(days=1), time.min))
    return start, end


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def nace_conditions() -> dict[str, Q]:
    """`projects.criteria.engagement_meets_all`, one database condition per part, on an
    engagement: its project meets every project criterion; its own fee (an extension may
    have changed it) is at or above the floor for its hour cap; a feedback session was
    held; the final evaluation marked the objectives (the evaluation service marks all of
    them or none, and they are fixed once a student is accepted, so one mark means all);
    the student wrote a reflection."""
    floor = settings.HOURLY_RATE_FLOOR_CENTS
    return {
        "project": criteria.project_criteria_q("project__"),
        # fee ÷ (quarters ÷ 4) ≥ floor, without a division.
        "pay": Q(GreaterThanOrEqual(F("fee_cents") * 4, F("cap_quarters") * floor)),
        "feedback": Q(
            Exists(
                FeedbackSession.objects.filter(engagement=OuterRef("pk"), status=SessionStatus.HELD)
            )
        ),
        "evaluated": Q(
            Exists(ObjectiveOutcome.objects.filter(evaluation__engagement=OuterRef("pk")))
        ),
        "reflected": Q(Exists(Reflection.objects.filter(engagement=OuterRef("pk")))),
    }


def school_figures(school_id: int | None, term: Term | Period) -> dict:
    """The figures of one school's engagements (None: every school) for a term.

    An engagement belongs to the term in which it was **accepted** (`accepted_at`, read in
    the current time zone): that is when the student's school starts to oversee it, and it
    never moves to another term as the work goes on. All the engagement figures below are
    about those engagements, whatever their status today:

    - students applied: distinct students of the school (whose affiliation is verified:
      a school counts only the students it knows are its own) who sent an application during
      the term (to any project, accepted or not);
    - students accepted / completed: distinct students with an engagement of the term, and
      with one approved or paid ("completed");
    - hours logged: of every engagement of the term, finished or not; earnings: the fees
      of completed engagements (the student keeps the whole fee);
    - median effective rate: fee ÷ hours logged of completed engagements, in cents an hour
      (engagements with no hours logged have no rate and are left out);
    - completion rate: completed ÷ those that are over (completed or cancelled); the ones
      still under way, including open disputes, are left out of both;
    - on-time rate: completed engagements whose work was submitted by the due date ÷ all
      completed engagements;
    - supervision: feedback sessions held ÷ sessions that were due (scheduled before now
      and not cancelled), across the term's engagements;
    - engagements per project category, and the top employers by engagements, with the
      average of the reviews the students gave them (EmployerReview scores, 1–5);
    - NACE criteria: completed engagements meeting every internship criterion
      (`nace_conditions`, projects.criteria) ÷ completed engagements, and how many meet
      each part;
    - students with a full-time interest: distinct students an employer marked as
      interested in hiring them full-time, in its evaluation of a term's engagement or with
      a full-time interest (projects.FullTimeInterest) made during the term, whether or not
      the student accepted being contacted.

    Five queries, six on SQLite (the median there is taken from the sorted rates); none of
    them depends on the number of rows.
    """
    start, end = _bounds(term)
    now = timezone.now()
    engagements = Engagement.objects.filter(accepted_at__gte=start, accepted_at__lt=end)
    applications = Application.objects.filter(created_at__gte=start, created_at__lt=end)
    sessions = FeedbackSession.objects.filter(
        engagement__accepted_at__gte=start, engagement__accepted_at__lt=end
    )
    if school_id is not None:
        engagements = engagements.filter(school_id=school_id)
        applications = applications.filter(
            StudentProfile.verified_at_school(school_id, prefix="student__student_profile__")
        )
        sessions = sessions.filter(engagement__school_id=school_id)

    completed = Q(status__in=COMPLETED)
    rated = completed & Q(logged_quarters__gt=0)
    nace = nace_conditions()
    nace_all = Q()
    for condition in nace.values():
        nace_all &= condition
    postgres = connection.vendor == "postgresql"
    totals = with_integrity(engagements.order_by(), now=now).aggregate(
        accepted=Count("pk"),
        completed=Count("pk", filter=completed),
        ended=Count("pk", filter=completed | Q(status__in=ENDED_UNCOMPLETED)),
        on_time=Count("pk", filter=completed & Q(submitted_at__lte=F("due_at"))),
        students_accepted=Count("student", distinct=True),
        students_completed=Count("student", distinct=True, filter=completed),
        quarters=Sum("logged_quarters", default=0),
        earnings_cents=Sum("fee_cents", filter=completed, default=0),
        nace_all=Count("pk", filter=completed & nace_all),
        **{f"nace_{name}": Count("pk", filter=completed & q) for name, q in nace.items()},
        **({"median_rate": Median("effective_rate_cents", filter=rated)} if postgres else {}),
    )
    if postgres:
        median_rate = totals["median_rate"]
    else:
        rates = list(
            with_integrity(engagements.filter(rated), now=now)
            .order_by("effective_rate_cents")
            .values_list("effective_rate_cents", flat=True)
        )
        median_rate = statistics.median(rates) if rates else None

    # Students, counted once each: who applied in the term, and who got a full-time interest
    # (an evaluation of a term's engagement saying so, or a full-time mark made in the term).
    applied_ids = applications.values("student_id")
    prospect_ids = engagements.filter(student_evaluation__interested_full_time=True).values(
        "student_id"
    )
    marked = FullTimeInterest.objects.filter(created_at__gte=start, created_at__lt=end)
    if school_id is not None:
        marked = marked.filter(
            StudentProfile.verified_at_school(school_id, prefix="student__student_profile__")
        )
    marked_ids = marked.values("student_id")
    interested = Q(pk__in=prospect_ids) | Q(pk__in=marked_ids)
    students = User.objects.filter(Q(pk__in=applied_ids) | interested).aggregate(
        applied=Count("pk", filter=Q(pk__in=applied_ids)),
        interested=Count("pk", filter=interested),
    )
    applied = students["applied"]
    supervision = (
        sessions.filter(scheduled_at__lte=now)
        .exclude(status=SessionStatus.CANCELLED)
        .aggregate(due=Count("pk"), held=Count("pk", filter=Q(status=SessionStatus.HELD)))
    )

    labels = dict(Category.choices)
    categories = [
        {
            "category": row["project__category"],
            "label": labels.get(row["project__category"], row["project__category"]),
            "count": row["n"],
            "percent": _percent(row["n"], totals["accepted"]),
        }
        for row in engagements.order_by()
        .values("project__category")
        .annotate(n=Count("pk"))
        .order_by("-n", "project__category")
    ]

    review_sum = sum(
        (F(f"employer_review__{score}") for score in EmployerReview.SCORES[1:]),
        F(f"employer_review__{EmployerReview.SCORES[0]}"),
    )
    employers = [
        {
            "id": row["organization_id"],
            "name": row["organization__name"],
            "engagements": row["n"],
            "completed": row["completed"],
            "reviews": row["reviews"],
            "rating": round(row["rating"], 2) if row["rating"] is not None else None,
            "interested": row["interested"],
        }
        for row in engagements.order_by()
        .values("organization_id", "organization__name")
        .annotate(
            n=Count("pk"),
            completed=Count("pk", filter=completed),
            reviews=Count("employer_review"),
            rating=Avg(Cast(review_sum, FloatField()) / len(EmployerReview.SCORES)),
            interested=Count(
                "student", distinct=True, filter=Q(student_evaluation__interested_full_time=True)
            ),
        )
        .order_by("-n", "organization__name", "organization_id")[:TOP_EMPLOYERS]
    ]

    accepted, done = totals["accepted"], totals["completed"]
    return {
        "start": term.start,
        "end": term.end,
        "students_applied": applied,
        "students_accepted": totals["students_accepted"],
        "students_completed": totals["students_completed"],
        "engagements_accepted": accepted,
        "engagements_completed": done,
        "engagements_ended": totals["ended"],
        "engagements_under_way": accepted - totals["ended"],
        "hours_logged": totals["quarters"] / 4,
        "earnings_cents": totals["earnings_cents"],
        "median_rate_cents": round(median_rate) if median_rate is not None else None,
        "completion_rate": _percent(done, totals["ended"]),
        "on_time": totals["on_time"],
        "on_time_rate": _percent(totals["on_time"], done),
        "sessions_due": supervision["due"],
        "sessions_held": supervision["held"],
        "supervision_rate": _percent(supervision["held"], supervision["due"]),
        "interested_full_time": students["interested"],
        "nace_met": totals["nace_all"],
        "nace_rate": _percent(totals["nace_all"], done),
        "nace_parts": [
            (label, totals[f"nace_{name}"], _percent(totals[f"nace_{name}"], done))
            for name, label in NACE_PARTS
        ],
        "categories": categories,
        "employers": employers,
    }


# --- The admin page ---------------------------------------------------------------------------


class RangeForm(forms.Form):
    """An optional custom date range instead of a term."""

    start = forms.DateField(label="From", required=False)
    end = forms.DateField(label="To", required=False)

    def shown(self) -> dict[str, str]:
        """The dates to show back in the inputs: only valid ones (an <input type=date>
        holds a date or nothing)."""
        data = getattr(self, "cleaned_data", {})
        return {name: data[name].isoformat() if data.get(name) else "" for name in self.fields}

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if (start is None) != (end is None):
            raise forms.ValidationError("Give both the first and the last day of the range.")
        if start is None:
            return data
        for day in (start, end):
            if not YEARS[0] <= day.year <= YEARS[1]:
                raise forms.ValidationError(
                    f"Choose dates between {YEARS[0]} and {YEARS[1]}.", code="years"
                )
        if start > end:
            raise forms.ValidationError("The first day must come before the last day.")
        return data


def _school_for(request) -> tuple[int | None, list[tuple[int, str]], str | None]:
    """The school whose figures the user may see: (school id or None for all, the schools
    to choose from, an error message). Career staff always get their own school."""
    user = request.user
    own = staff_school_id(user)
    if own is not None:
        return own, [], None
    if not user.is_platform_admin:
        raise PermissionDenied
    schools = list(School.objects.order_by("name").values_list("pk", "name"))
    wanted = request.GET.get("school", "")
    if wanted in ("", "all"):
        return None, schools, None
    if wanted.isdigit() and int(wanted) in {pk for pk, _ in schools}:
        return int(wanted), schools, None
    return None, schools, "There is no such school: showing every school."


def _csv_rows(figures: dict, school: str, period) -> list[list]:
    f = figures
    rate = money_exact(f["median_rate_cents"]) if f["median_rate_cents"] is not None else ""
    rows = [
        ["summary", "School", school, "", ""],
        ["summary", "Period", period.label, "", ""],
        ["summary", "First day", f["start"].isoformat(), "", ""],
        ["summary", "Last day", f["end"].isoformat(), "", ""],
        ["summary", "Students who applied", f["students_applied"], "", ""],
        ["summary", "Students accepted", f["students_accepted"], "", ""],
        ["summary", "Students who completed", f["students_completed"], "", ""],
        ["summary", "Engagements accepted", f["engagements_accepted"], "", ""],
        ["summary", "Engagements completed", f["engagements_completed"], "", ""],
        ["summary", "Engagements still under way", f["engagements_under_way"], "", ""],
        ["summary", "Hours logged", f["hours_logged"], "", ""],
        ["summary", "Earnings (USD)", money_exact(f["earnings_cents"]), "", ""],
        ["summary", "Median effective hourly rate (USD)", rate, "", ""],
        ["summary", "Completion rate (%)", f["completion_rate"], "", ""],
        ["summary", "On-time rate (%)", f["on_time_rate"], "", ""],
        ["summary", "Feedback sessions due", f["sessions_due"], "", ""],
        ["summary", "Feedback sessions held", f["sessions_held"], "", ""],
        ["summary", "Supervision compliance (%)", f["supervision_rate"], "", ""],
        ["summary", "Students with a full-time interest", f["interested_full_time"], "", ""],
        ["summary", "Completed engagements meeting every NACE criterion", f["nace_met"], "", ""],
        ["summary", "Meeting every NACE criterion (%)", f["nace_rate"], "", ""],
    ]
    rows += [["nace", label, count, "", ""] for label, count, _ in f["nace_parts"]]
    rows += [["category", c["label"], c["count"], "", ""] for c in f["categories"]]
    rows += [
        ["employer", e["name"], e["engagements"], e["rating"], e["interested"]]
        for e in f["employers"]
    ]
    return rows


def _chart(key: str, title: str, rows: list[tuple[str, int]]) -> dict:
    """What the template needs to draw a bar chart of figures already computed."""
    return {
        "id": f"chart-{key}",
        "title": title,
        "rows": rows,
        "max": max((value for _, value in rows), default=0),
        "summary": "; ".join(f"{label}: {value}" for label, value in rows),
    }


def dashboard_view(request):
    school_id, schools, school_error = _school_for(request)
    today = timezone.localdate()
    current = term_for(today)
    term = parse_term(request.GET.get("term")) or current
    range_form = RangeForm(request.GET if {"start", "end"} & set(request.GET) else None)
    period = term
    if range_form.is_bound and range_form.is_valid() and range_form.cleaned_data["start"]:
        period = Period(range_form.cleaned_data["start"], range_form.cleaned_data["end"])

    figures = school_figures(school_id, period)
    if school_id is None:
        school_name = "All schools"
    elif schools:
        school_name = dict(schools)[school_id]
    else:
        school_name = request.user.career_staff_profile.school.name

    if request.GET.get("format") == "csv":
        return csv_response(
            f"school-dashboard-{school_id or 'all'}-{period.slug}.csv",
            ["section", "figure", "value", "average rating", "interested full-time"],
            _csv_rows(figures, school_name, period),
        )

    terms = recent_terms(today)
    if term not in terms:
        terms.append(term)
    query = request.GET.copy()
    query["format"] = "csv"
    charts = [
        _chart(
            "funnel",
            "Students who applied, were accepted and completed",
            [
                ("Applied", figures["students_applied"]),
                ("Accepted", figures["students_accepted"]),
                ("Completed", figures["students_completed"]),
            ],
        ),
        _chart(
            "categories",
            "Engagements per project category",
            [(c["label"], c["count"]) for c in figures["categories"]],
        ),
        _chart(
            "employers",
            f"Top {TOP_EMPLOYERS} employers by engagements",
            [(e["name"], e["engagements"]) for e in figures["employers"]],
        ),
    ]
    return render(
        request,
        "admin/oversight/dashboard.html",
        {
            **admin.site.each_context(request),
            "title": "School dashboard",
            "figures": figures,
            "period": period,
            "term": term,
            "terms": terms,
            "range_form": range_form,
            "range_values": range_form.shown(),
            "school_id": school_id,
            "school_name": school_name,
            "schools": schools,
            "school_error": school_error,
            "csv_query": query.urlencode(),
            "charts": charts,
        },
    )

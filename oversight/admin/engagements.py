"""Engagements in the admin, with the integrity figures career services follow."""

from django.contrib import admin
from django.db.models import Case, Exists, OuterRef, Subquery, Sum, When
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from accounts.admin_scope import SchoolScopedAdmin
from accounts.models import AcademicTerm
from accounts.work_rules import cap_in, week_of
from engagements.models import (
    QUARTERS_PER_HOUR,
    Engagement,
    EngagementEvent,
    EngagementStatus,
    Milestone,
    ScopeExtension,
    Submission,
    TimeEntry,
)
from feedback.models import FeedbackSession
from marketplace.csv_export import csv_response
from marketplace.templatetags.money import money, money_exact
from marketplace.terms import parse_term, recent_terms
from oversight.integrity import flagged, with_integrity
from oversight.models import CoachingNote, Flag
from payments.models import Payout

from .common import ReadOnlyInline

# --- Engagements ------------------------------------------------------------------------------


class FlaggedFilter(admin.SimpleListFilter):
    title = "integrity"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [
            ("yes", "Flagged (any rule or open flag)"),
            ("hours", "Hours at 90% of the cap or more"),
            ("rate", "Effective rate under the floor"),
            ("supervision", "Supervision lapsed"),
            ("open", "Open flag"),
            ("no", "Not flagged"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "yes":
            return flagged(queryset)
        if value in ("hours", "rate", "supervision"):
            return queryset.filter(**{f"flag_{value}": True})
        if value == "open":
            return queryset.filter(
                Exists(Flag.objects.filter(engagement=OuterRef("pk"), status=Flag.Status.OPEN))
            )
        if value == "no":
            return queryset.exclude(pk__in=flagged(queryset).values("pk"))
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "due date"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("week", "Due within 7 days")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(flag_overdue=True)
        if self.value() == "week":
            now = timezone.now()
            return queryset.filter(
                status__in=[EngagementStatus.ACTIVE, EngagementStatus.REVISION_REQUESTED],
                due_at__gte=now,
                due_at__lt=now + timezone.timedelta(days=7),
            )
        return queryset


class TermFilter(admin.SimpleListFilter):
    """Engagements accepted during an academic term."""

    title = "term (accepted)"
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [(t.slug, t.label) for t in recent_terms(timezone.localdate(), 6)]

    def queryset(self, request, queryset):
        term = parse_term(self.value())
        if term is None:
            return queryset
        return queryset.filter(accepted_at__date__gte=term.start, accepted_at__date__lte=term.end)


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    fields = ("number", "title", "quarters", "amount_cents", "status", "approved_at")


class TimeEntryInline(ReadOnlyInline):
    model = TimeEntry
    fields = ("work_date", "quarters", "description", "created_at")


class SubmissionInline(ReadOnlyInline):
    """Deliverables' metadata: when, which round, the decision; not their content."""

    model = Submission
    fields = ("number", "submitted_at", "decision", "reviewed_at")


class ExtensionInline(ReadOnlyInline):
    model = ScopeExtension
    fields = ("status", "extra_quarters", "extra_fee_cents", "extra_days", "reason", "proposed_at")


class EventInline(ReadOnlyInline):
    model = EngagementEvent
    fields = ("created_at", "actor", "kind", "what")
    readonly_fields = fields

    @admin.display(description="description")
    def what(self, obj):
        return obj.text


class SessionInline(ReadOnlyInline):
    model = FeedbackSession
    fields = ("kind", "scheduled_at", "status", "marked_at")
    ordering = ("scheduled_at",)


class FlagInline(ReadOnlyInline):
    model = Flag
    fk_name = "engagement"
    fields = ("rule", "note", "follow_up_on", "status", "raised_by", "raised_at", "resolution")


class CoachingInline(ReadOnlyInline):
    model = CoachingNote
    fields = ("created_at", "author", "text")


def _days(delta) -> str:
    days = delta.total_seconds() / 86400
    return f"{floatformat(days, 1)} d"


RATE_WHY = "Fee ÷ hours logged is under the hourly floor"
SUPERVISION_WHY = "A session was missed, or none held in 10 days"


def _rate_text(engagement) -> str:
    return f"{money_exact(round(engagement.effective_rate_cents))}/h"


def _sessions_text(engagement) -> str:
    text = f"{engagement.sessions_held} / {engagement.sessions_planned}"
    if engagement.sessions_missed:
        text += f", {engagement.sessions_missed} missed"
    return text


def _warn(text: str, why: str):
    return format_html('<strong class="integrity-flag" title="{}">⚠ {}</strong>', why, text)


@admin.register(Engagement)
class EngagementAdmin(SchoolScopedAdmin):
    school_path = "school"
    staff_actions = ("export_csv",)
    actions = ["export_csv"]
    # What fits a laptop screen: who and what, the hour cap, the due date, and every other
    # rule that needs attention. The full figures are one click away, on the engagement's
    # page (and in the CSV export).
    list_display = (
        "engagement_column",
        "student",
        "status",
        "hours_column",
        "due_column",
        "attention_column",
    )
    list_filter = (
        FlaggedFilter,
        OverdueFilter,
        "status",
        TermFilter,
        "project__category",
        "organization",
    )
    search_fields = ("project__title", "student__email", "student__last_name", "organization__name")
    list_select_related = (
        "project",
        "student",
        "organization",
        "student__student_profile__school",
    )
    list_per_page = 50
    fields = (
        "project",
        "student",
        "organization",
        "school",
        "status",
        "fee",
        "hours_column",
        "rate_column",
        "supervision_column",
        "due_column",
        "review_column",
        "payout_column",
        "accepted_at",
        "funded_at",
        "due_at",
        "submitted_at",
        "approved_at",
        "paid_at",
        "cancelled_at",
        "cancel_reason",
        "disputed_at",
        "settlement_note",
        "settlement",
        "oversight",
    )
    readonly_fields = fields
    inlines = [
        FlagInline,
        CoachingInline,
        SessionInline,
        MilestoneInline,
        TimeEntryInline,
        SubmissionInline,
        ExtensionInline,
        EventInline,
    ]

    def get_queryset(self, request):
        # A milestone engagement has a payout per milestone: a failed one shows first.
        payout = (
            Payout.objects.filter(engagement=OuterRef("pk"))
            .exclude(kind=Payout.Kind.BONUS)
            .order_by(Case(When(status=Payout.Status.FAILED, then=0), default=1), "-created_at")
        )
        # The F-1 weekly cap: the student's hours this week across all their engagements,
        # and the school's term today (which decides the cap; accounts.work_rules).
        today = timezone.localdate()
        monday, sunday = week_of(today)
        week = (
            TimeEntry.objects.filter(
                engagement__student_id=OuterRef("student_id"),
                work_date__gte=monday,
                work_date__lte=sunday,
            )
            .order_by()
            .values("engagement__student_id")
            .annotate(total=Sum("quarters"))
            .values("total")
        )
        term = AcademicTerm.objects.filter(
            school_id=OuterRef("student__student_profile__school_id"),
            starts_on__lte=today,
            ends_on__gte=today,
        ).order_by("starts_on")
        return with_integrity(super().get_queryset(request)).annotate(
            payout_status=Subquery(payout.values("status")[:1]),
            open_flags=Exists(Flag.objects.filter(engagement=OuterRef("pk"), status="open")),
            week_quarters=Subquery(week),
            term_name=Subquery(term.values("name")[:1]),
        )

    def get_search_results(self, request, queryset, search_term):
        # The coaching note form looks up finished engagements only.
        if request.GET.get("model_name") == "coachingnote":
            queryset = queryset.filter(
                status__in=[EngagementStatus.APPROVED, EngagementStatus.PAID]
            )
        return super().get_search_results(request, queryset, search_term)

    def get_inlines(self, request, obj):
        if self.is_platform_admin(request):
            return self.inlines
        # Staff follow the work, not the employer's internal history of changes.
        return [i for i in self.inlines if i not in (EventInline, ExtensionInline)]

    class Media:
        css = {"all": ("css/admin-engagements.css",)}

    # Columns -----------------------------------------------------------------------------

    @admin.display(description="engagement", ordering="project__title")
    def engagement_column(self, obj):
        return format_html(
            '{}<br><span class="employer">{}</span>', obj.project.title, obj.organization.name
        )

    @admin.display(description="needs attention")
    def attention_column(self, obj):
        """Every rule besides hours and the due date (their own columns) that wants a look."""
        notes = []
        if obj.flag_rate:
            notes.append(_warn(f"rate {_rate_text(obj)}", RATE_WHY))
        if obj.flag_supervision:
            notes.append(_warn(f"sessions {_sessions_text(obj)}", SUPERVISION_WHY))
        if obj.status == EngagementStatus.SUBMITTED and obj.submitted_at:
            notes.append(f"review waiting {_days(timezone.now() - obj.submitted_at)}")
        if obj.payout_status == Payout.Status.FAILED:
            notes.append(_warn("payout failed", "The transfer to the student failed"))
        if obj.open_flags:
            notes.append(_warn("open flag", "A flag raised by staff or a rule is open"))
        if not notes:
            return "—"
        return format_html_join(mark_safe("<br>"), "{}", ((note,) for note in notes))

    @admin.display(description="fee", ordering="fee_cents")
    def fee(self, obj):
        return money(obj.fee_cents)

    @admin.display(description="hours / cap", ordering="hours_percent")
    def hours_column(self, obj):
        text = (
            f"{floatformat(obj.logged_hours, -2)} / {floatformat(obj.cap_hours, -2)} h "
            f"({floatformat(obj.hours_percent, 0)}%)"
        )
        if obj.flag_hours:
            text = _warn(text, "At 90% of the hour cap or more")
        week = self._week_text(obj)
        return format_html("{}<br>{}", text, week) if week else text

    @staticmethod
    def _week_text(obj) -> str:
        """This week's hours against the F-1 weekly cap, for a student who has one."""
        profile = getattr(obj.student, "student_profile", None)
        if profile is None or not hasattr(obj, "term_name"):
            return ""
        cap = cap_in(profile, AcademicTerm(name=obj.term_name) if obj.term_name else None)
        if cap is None:
            return ""
        hours = (obj.week_quarters or 0) / QUARTERS_PER_HOUR
        text = f"this week {floatformat(hours, -2)} / {cap.hours} h (F-1)"
        if hours >= cap.hours:
            return _warn(text, f"At the weekly cap: {cap.reason}")
        return format_html('<span class="week-hours" title="{}">{}</span>', cap.reason, text)

    @admin.display(description="effective rate", ordering="effective_rate_cents")
    def rate_column(self, obj):
        if obj.effective_rate_cents is None:
            return "no hours yet"
        if obj.flag_rate:
            return _warn(_rate_text(obj), RATE_WHY)
        return _rate_text(obj)

    @admin.display(description="sessions held / due")
    def supervision_column(self, obj):
        if obj.flag_supervision:
            return _warn(_sessions_text(obj), SUPERVISION_WHY)
        return _sessions_text(obj)

    @admin.display(description="due", ordering="due_at")
    def due_column(self, obj):
        if obj.status not in (EngagementStatus.ACTIVE, EngagementStatus.REVISION_REQUESTED):
            return "—"
        left = obj.due_at - timezone.now()
        if obj.flag_overdue:
            return _warn(f"overdue {_days(-left)}", "Past its due date")
        return f"in {_days(left)}"

    @admin.display(description="employer review time", ordering="average_review_time")
    def review_column(self, obj):
        parts = []
        if obj.average_review_time is not None:
            parts.append(f"{_days(obj.average_review_time)} on average")
        if obj.status == EngagementStatus.SUBMITTED and obj.submitted_at:
            parts.append(f"waiting {_days(timezone.now() - obj.submitted_at)}")
        return "; ".join(parts) or "—"

    @admin.display(description="payout", ordering="payout_status")
    def payout_column(self, obj):
        if not obj.payout_status:
            return "—"
        return Payout.Status(obj.payout_status).label

    @admin.display(description="follow-up")
    def oversight(self, obj):
        links = [
            (
                reverse("admin:oversight_flag_add") + "?" + urlencode({"engagement": obj.pk}),
                "Flag this engagement",
            ),
            (
                reverse("admin:engagements_message_changelist")
                + "?"
                + urlencode({"engagement__id__exact": obj.pk}),
                "Messages",
            ),
        ]
        if obj.status in (EngagementStatus.APPROVED, EngagementStatus.PAID):
            links.append(
                (
                    reverse("admin:oversight_coachingnote_add")
                    + "?"
                    + urlencode({"engagement": obj.pk}),
                    "Add a coaching note for the student",
                )
            )
        return format_html_join(" ", '<a class="button" href="{}">{}</a>', links)

    @admin.display(description="dispute")
    def settlement(self, obj):
        """Platform admins settle disputes (only they see this field)."""
        if obj.status != EngagementStatus.DISPUTED:
            return "—"
        url = reverse("admin:payments_settle_dispute", args=[obj.pk])
        return format_html('<a class="button" href="{}">Settle this dispute</a>', url)

    def get_fields(self, request, obj=None):
        fields = list(self.fields)
        if not self.is_platform_admin(request):
            fields.remove("settlement_note")
            fields.remove("settlement")
        return fields

    # Export ------------------------------------------------------------------------------

    @admin.action(description="Export the selected engagements as CSV")
    def export_csv(self, request, queryset):
        header = [
            "id",
            "student",
            "student email",
            "school",
            "employer",
            "project",
            "category",
            "status",
            "accepted",
            "due",
            "hours logged",
            "hour cap",
            "hours % of cap",
            "fee (USD)",
            "effective rate (USD/h)",
            "sessions held",
            "sessions due",
            "sessions missed",
            "employer review time (days)",
            "payout",
            "flags",
        ]
        rows = (
            [
                e.pk,
                e.student.get_full_name(),
                e.student.email,
                e.school.name,
                e.organization.name,
                e.project.title,
                e.project.get_category_display(),
                e.get_status_display(),
                timezone.localtime(e.accepted_at).date().isoformat(),
                timezone.localtime(e.due_at).date().isoformat(),
                e.logged_quarters / 4,
                e.cap_quarters / 4,
                round(e.hours_percent, 1),
                f"{e.fee_cents / 100:.2f}",
                "" if e.effective_rate_cents is None else f"{e.effective_rate_cents / 100:.2f}",
                e.sessions_held,
                e.sessions_planned,
                e.sessions_missed,
                ""
                if e.average_review_time is None
                else round(e.average_review_time.total_seconds() / 86400, 1),
                Payout.Status(e.payout_status).label if e.payout_status else "",
                "; ".join(_flag_names(e)),
            ]
            for e in queryset.select_related("student", "school", "organization", "project")
            .order_by("pk")
            .iterator(chunk_size=2000)
        )
        day = timezone.localdate().isoformat()
        return csv_response(f"engagements-{day}.csv", header, rows)


def _flag_names(e) -> list[str]:
    names = []
    if e.flag_hours:
        names.append("hours near cap")
    if e.flag_rate:
        names.append("rate under floor")
    if e.flag_supervision:
        names.append("supervision")
    if e.flag_overdue:
        names.append("overdue")
    if e.open_flags:
        names.append("open flag")
    return names

"""Career services' oversight in the admin: their school's engagements with the integrity
figures, flags to follow up, coaching notes, the employers their students work with, and the
school dashboard. Platform admins see every school."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from accounts import services as account_services
from accounts.access import staff_school_id
from accounts.admin_scope import ReadOnlyInlineMixin, SchoolScopedAdmin
from accounts.models import EmployerProfile, Organization, VerificationCheck
from accounts.verification import organization_decide
from engagements.models import (
    Engagement,
    EngagementEvent,
    EngagementStatus,
    Message,
    ScopeExtension,
    Submission,
    SubmissionFile,
    TimeEntry,
)
from feedback.models import FeedbackSession
from marketplace.csv_export import csv_response
from marketplace.forms import add_service_errors
from marketplace.templatetags.money import money, money_exact
from marketplace.terms import parse_term, recent_terms
from oversight import services as oversight
from oversight.dashboard import dashboard_view
from oversight.integrity import flagged, with_integrity
from oversight.models import CoachingNote, Flag
from oversight.verification import verification_evidence
from payments.models import Payout

URL_FIELDS_HTTPS = {models.URLField: {"assume_scheme": "https"}}
FINISHED = (EngagementStatus.APPROVED, EngagementStatus.PAID)

admin.site.register_view("school-dashboard/", dashboard_view, name="school_dashboard")


class ReadOnlyInline(ReadOnlyInlineMixin, admin.TabularInline):
    pass


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
    list_select_related = ("project", "student", "organization")
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
        TimeEntryInline,
        SubmissionInline,
        ExtensionInline,
        EventInline,
    ]

    def get_queryset(self, request):
        payout = Payout.objects.filter(engagement=OuterRef("pk"))
        return with_integrity(super().get_queryset(request)).annotate(
            payout_status=Subquery(payout.values("status")[:1]),
            open_flags=Exists(Flag.objects.filter(engagement=OuterRef("pk"), status="open")),
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
            return _warn(text, "At 90% of the hour cap or more")
        return text

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


# --- What hangs off an engagement --------------------------------------------------------------


@admin.register(TimeEntry)
class TimeEntryAdmin(SchoolScopedAdmin):
    school_path = "engagement__school"
    list_display = ("work_date", "hours", "engagement", "student", "created_at")
    list_select_related = ("engagement__project", "engagement__student")
    search_fields = ("engagement__project__title", "engagement__student__email")
    date_hierarchy = "work_date"
    fields = ("engagement", "work_date", "quarters", "description", "created_at")
    readonly_fields = fields

    @admin.display(description="hours", ordering="quarters")
    def hours(self, obj):
        return floatformat(obj.quarters / 4, -2)

    @admin.display(description="student", ordering="engagement__student__last_name")
    def student(self, obj):
        return obj.engagement.student


@admin.register(SubmissionFile)
class SubmissionFileAdmin(SchoolScopedAdmin):
    """Deliverables' metadata only: the files stay with the student and the employer."""

    school_path = "submission__engagement__school"
    list_display = ("original_name", "engagement", "size_text", "content_type", "submitted_at")
    list_select_related = ("submission__engagement__project",)
    search_fields = ("original_name", "submission__engagement__project__title")
    fields = ("submission", "original_name", "size_text", "content_type")
    readonly_fields = fields

    @admin.display(description="engagement")
    def engagement(self, obj):
        return obj.submission.engagement

    @admin.display(description="size", ordering="size")
    def size_text(self, obj):
        return f"{floatformat(obj.size / 1024, 0)} KB"

    @admin.display(description="submitted", ordering="submission__submitted_at")
    def submitted_at(self, obj):
        return obj.submission.submitted_at


class MessageTextFilter(admin.SimpleListFilter):
    title = "text"
    parameter_name = "readable"

    def lookups(self, request, model_admin):
        return [("yes", "Readable (dispute or open flag)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(text_readable=True)
        return queryset


@admin.register(Message)
class MessageAdmin(SchoolScopedAdmin):
    """Messages between student and employer are private: the admin shows that they exist,
    and their text only while the engagement is disputed or has an open flag."""

    school_path = "engagement__school"
    list_display = ("created_at", "engagement", "author", "text")
    list_filter = (MessageTextFilter,)
    list_select_related = ("engagement__project", "author")
    # Never the body: searching it would reveal what the list hides.
    search_fields = ("engagement__project__title", "author__email")
    fields = ("engagement", "author", "created_at", "text")
    readonly_fields = fields

    def get_queryset(self, request):
        open_flag = Flag.objects.filter(engagement=OuterRef("engagement"), status="open")
        return (
            super()
            .get_queryset(request)
            .annotate(
                text_readable=ExpressionWrapper(
                    Q(engagement__status=EngagementStatus.DISPUTED) | Exists(open_flag),
                    output_field=BooleanField(),
                )
            )
        )

    def lookup_allowed(self, lookup, value, request=None):
        # The engagement page links here with the engagement's messages.
        return lookup == "engagement__id__exact" or super().lookup_allowed(lookup, value, request)

    @admin.display(description="text")
    def text(self, obj):
        if obj.text_readable:
            return obj.body
        return format_html("<em>{}</em>", "Private (readable during a dispute or an open flag)")


# --- Flags ---------------------------------------------------------------------------------------


def _organizations_of(school_id: int | None):
    """Employers a school's students work with (every organization for platform admins)."""
    if school_id is None:
        return Organization.objects.all()
    return Organization.objects.filter(
        Exists(Engagement.objects.filter(organization=OuterRef("pk"), school_id=school_id))
    )


class FlagAddForm(forms.ModelForm):
    class Meta:
        model = Flag
        fields = ("engagement", "organization", "note", "follow_up_on")
        help_texts = {
            "engagement": "The engagement to follow up, or leave empty to flag an employer.",
            "organization": "An employer your students work with.",
            "follow_up_on": "When to look at it again.",
        }

    def clean_follow_up_on(self):
        day = self.cleaned_data.get("follow_up_on")
        if day and day < timezone.localdate():
            raise ValidationError("Choose today or a later date.")
        return day

    # Platform admins belong to no school: their flags are about an engagement (and so
    # belong to its student's school).
    needs_engagement = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("engagement") and not cleaned.get("organization"):
            raise ValidationError("Choose the engagement or the employer this flag is about.")
        if self.needs_engagement and not cleaned.get("engagement"):
            self.add_error("engagement", "Choose an engagement: a flag belongs to its school.")
        return cleaned


class FlagResolveForm(forms.ModelForm):
    class Meta:
        model = Flag
        fields = ("resolution",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "resolution" in self.fields:  # absent when the viewer only reads the flag
            self.fields["resolution"].required = True
            self.fields[
                "resolution"
            ].help_text = "How it was followed up. Saving resolves the flag."


class FollowUpFilter(admin.SimpleListFilter):
    title = "follow-up"
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        return [("due", "Due today or earlier"), ("automatic", "Raised by a rule")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(status="open", follow_up_on__lte=timezone.localdate())
        if self.value() == "automatic":
            return queryset.exclude(rule="")
        return queryset


@admin.register(Flag)
class FlagAdmin(SchoolScopedAdmin):
    school_path = "school"
    staff_can_add = staff_can_change = True
    admin_can_add = admin_can_change = True
    list_display = ("subject", "reason", "note", "follow_up_on", "status", "raised", "school")
    list_filter = ("status", FollowUpFilter, "rule")
    list_select_related = ("engagement__project", "organization", "raised_by", "school")
    search_fields = ("note", "engagement__project__title", "organization__name")
    autocomplete_fields = ("engagement", "organization")
    date_hierarchy = "raised_at"

    def scope(self, queryset, school_id):
        """Their own school's flags, and every school's flags about an employer (with no
        engagement, so no other school's student in them): a warning raised at one school
        reaches every school's staff."""
        return queryset.filter(Q(school_id=school_id) | Q(engagement__isnull=True))

    @admin.display(description="about")
    def subject(self, obj):
        return obj.engagement or obj.organization

    @admin.display(description="rule", ordering="rule")
    def reason(self, obj):
        return obj.get_rule_display() or "Raised by staff"

    @admin.display(description="raised", ordering="raised_at")
    def raised(self, obj):
        who = obj.raised_by.get_full_name() if obj.raised_by else "automatic"
        return f"{timezone.localtime(obj.raised_at):%Y-%m-%d} ({who})"

    def get_list_display(self, request):
        if self.is_platform_admin(request):
            return self.list_display
        return self.list_display[:-1]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = FlagAddForm if obj is None else FlagResolveForm
        if obj is None or self.has_change_permission(request, obj):
            kwargs["fields"] = None
        form = super().get_form(request, obj, change, **kwargs)
        form.needs_engagement = staff_school_id(request.user) is None
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return FlagAddForm.Meta.fields
        return (
            "subject",
            "reason",
            "note",
            "follow_up_on",
            "status",
            "raised",
            "resolved_by",
            "resolved_at",
            "resolution",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fields = [f for f in self.get_fields(request, obj) if f != "resolution"]
        if obj.status == Flag.Status.RESOLVED:
            fields.append("resolution")
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == Flag.Status.RESOLVED:
            return False
        school_id = self.staff_school(request)
        if obj is not None and school_id is not None and obj.school_id != school_id:
            return False  # another school's flag: theirs to follow up
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        school_id = self.staff_school(request)
        if db_field.name == "engagement":
            engagements = Engagement.objects.select_related("project", "student")
            if school_id is not None:
                engagements = engagements.filter(school_id=school_id)
            kwargs["queryset"] = engagements
        elif db_field.name == "organization":
            kwargs["queryset"] = _organizations_of(school_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            saved = oversight.flag_resolve(
                actor=request.user, flag=obj, resolution=form.cleaned_data["resolution"]
            )
        else:
            saved = oversight.flag_raise(
                actor=request.user,
                note=form.cleaned_data["note"],
                engagement=form.cleaned_data.get("engagement"),
                organization=form.cleaned_data.get("organization"),
                follow_up_on=form.cleaned_data.get("follow_up_on"),
            )
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Nothing hangs off a flag; the services saved it."""


# --- Coaching notes --------------------------------------------------------------------------


class CoachingNoteForm(forms.ModelForm):
    class Meta:
        model = CoachingNote
        fields = ("engagement", "text")
        labels = {"text": "Advice for the student"}
        help_texts = {
            "engagement": "A finished (approved) engagement of one of your students.",
            "text": "How to present this work on a résumé and in interviews. The student reads "
            "it on the engagement's page.",
        }


@admin.register(CoachingNote)
class CoachingNoteAdmin(SchoolScopedAdmin):
    school_path = "engagement__school"
    staff_can_add = True
    admin_can_add = True
    form = CoachingNoteForm
    list_display = ("engagement", "author", "created_at")
    list_select_related = ("engagement__project", "engagement__student", "author")
    search_fields = ("engagement__project__title", "engagement__student__email", "text")
    autocomplete_fields = ("engagement",)

    def get_readonly_fields(self, request, obj=None):
        return ("engagement", "author", "created_at", "text") if obj else ()

    def get_fields(self, request, obj=None):
        return ("engagement", "author", "created_at", "text") if obj else ("engagement", "text")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "engagement":
            engagements = Engagement.objects.filter(status__in=FINISHED).select_related(
                "project", "student"
            )
            school_id = self.staff_school(request)
            if school_id is not None:
                engagements = engagements.filter(school_id=school_id)
            kwargs["queryset"] = engagements
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        saved = oversight.coaching_note_add(
            actor=request.user, engagement=form.cleaned_data["engagement"], text=obj.text
        )
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Nothing hangs off a coaching note."""


# --- Organizations ----------------------------------------------------------------------------


class VerificationNoteForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Shown to the organization's employers. Required when not verifying.",
    )


class VerificationDecisionForm(forms.Form):
    checks = forms.MultipleChoiceField(
        choices=VerificationCheck.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What you checked",
    )
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Reasons",
        help_text="Kept with the decision. When not verifying, the organization's employers "
        "read them: say what to fix.",
    )


class EmployerInline(admin.TabularInline):
    model = EmployerProfile
    extra = 0
    can_delete = False
    fields = ("user", "job_title")
    readonly_fields = ("user", "job_title")

    def has_add_permission(self, request, obj=None):
        return False


class SuspensionForm(forms.Form):
    note = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to the organization's employers. Their open projects close and the "
        "applicants are told.",
    )


@admin.register(Organization)
class OrganizationAdmin(SchoolScopedAdmin):
    """Platform admins manage every organization; career services see, read-only, the
    employers their students work with."""

    school_path = "engagements__school"  # through an Exists, so no duplicate rows
    admin_can_change = True
    list_display = (
        "name",
        "industry",
        "size",
        "verification_status",
        "suspended",
        "verified_at",
        "created_at",
    )
    list_filter = ("verification_status", "industry", "size")
    search_fields = ("name", "website")
    readonly_fields = (
        "verification_status",
        "verification_note",
        "verified_at",
        "verified_by",
        "suspended_at",
        "suspension_reason",
        "created_at",
        "follow_up",
    )
    inlines = [EmployerInline]
    formfield_overrides = URL_FIELDS_HTTPS
    actions = ["verify_selected", "reject_selected", "suspend_selected", "reinstate_selected"]

    def scope(self, queryset, school_id):
        return queryset.filter(
            Exists(Engagement.objects.filter(organization=OuterRef("pk"), school_id=school_id))
        )

    def get_inlines(self, request, obj):
        # Who the employers are is the platform's business; staff see the organization.
        return self.inlines if self.is_platform_admin(request) else []

    @admin.display(description="suspended", boolean=True, ordering="suspended_at")
    def suspended(self, obj):
        return obj.suspended_at is not None

    @admin.display(description="evidence")
    def evidence(self, obj):
        url = reverse("admin:accounts_organization_verification", args=[obj.pk])
        return format_html('<a href="{}">Review the evidence</a>', url)

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return (*shown, "evidence") if self.is_platform_admin(request) else shown

    def get_urls(self):
        return [
            path(
                "<int:pk>/verification/",
                self.admin_site.admin_view(self.verification_view),
                name="accounts_organization_verification",
            )
        ] + super().get_urls()

    def verification_view(self, request, pk: int):
        """The verification queue's page for one organization: the evidence, a checklist
        to tick and the decision with its reasons."""
        if not self.is_platform_admin(request):
            return self.not_available(request)
        organization = Organization.objects.filter(pk=pk).first()
        if organization is None:
            return self.not_available(request)
        form = VerificationDecisionForm(request.POST or None)
        decision = request.POST.get("decision")
        if request.method == "POST" and form.is_valid() and decision in ("verify", "reject"):
            try:
                organization_decide(
                    actor=request.user,
                    organization=organization,
                    verify=decision == "verify",
                    checks=form.cleaned_data["checks"],
                    reasons=form.cleaned_data["reasons"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                verb = "verified" if decision == "verify" else "marked as not verified"
                self.message_user(
                    request,
                    f"{organization.name} is {verb}; its employers have been told.",
                    messages.SUCCESS,
                )
                return redirect(
                    reverse("admin:accounts_organization_changelist")
                    + "?verification_status__exact=unverified"
                )
        return render(
            request,
            "admin/accounts/organization/verification.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Verify {organization.name}",
                "evidence": verification_evidence(organization),
                "form": form,
                "opts": self.model._meta,
            },
        )

    @admin.display(description="follow-up")
    def follow_up(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("admin:oversight_flag_add") + f"?organization={obj.pk}"
        return format_html('<a class="button" href="{}">Flag this employer</a>', url)

    @admin.action(description="Verify selected organizations")
    def verify_selected(self, request, queryset):
        return self._decide(request, queryset, "verify")

    @admin.action(description="Mark selected organizations as not verified")
    def reject_selected(self, request, queryset):
        return self._decide(request, queryset, "reject")

    @admin.action(description="Suspend selected organizations (their open projects close)")
    def suspend_selected(self, request, queryset):
        return self._decide(request, queryset, "suspend")

    @admin.action(description="Reinstate selected suspended organizations")
    def reinstate_selected(self, request, queryset):
        done = 0
        for org in queryset.filter(suspended_at__isnull=False):
            account_services.organization_reinstate(actor=request.user, organization=org)
            done += 1
        self.message_user(request, f"{done} organization(s) reinstated.", messages.SUCCESS)

    DECISIONS = {
        "verify": ("Verify organizations", "verified", account_services.organization_verify),
        "reject": (
            "Do not verify organizations",
            "marked as not verified",
            account_services.organization_reject,
        ),
        "suspend": ("Suspend organizations", "suspended", account_services.organization_suspend),
    }

    def _decide(self, request, queryset, decision: str):
        title, verb, service = self.DECISIONS[decision]
        form_class = SuspensionForm if decision == "suspend" else VerificationNoteForm
        form = form_class(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            note = form.cleaned_data["note"].strip()
            if decision == "reject" and not note:
                form.add_error("note", "Say why, so the employers know what to fix.")
            else:
                done = 0
                for org in queryset:
                    try:
                        if decision == "suspend":
                            service(actor=request.user, organization=org, reason=note)
                        else:
                            service(actor=request.user, organization=org, note=note)
                        done += 1
                    except ValidationError as error:
                        self.message_user(
                            request, f"{org}: {' '.join(error.messages)}", messages.ERROR
                        )
                self.message_user(request, f"{done} organization(s) {verb}.", messages.SUCCESS)
                return None
        return render(
            request,
            "admin/accounts/organization/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "organizations": queryset,
                "form": form,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
            },
        )

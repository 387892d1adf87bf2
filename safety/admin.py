"""The report queue: platform admins take reports on, act on them and close them (every
change through `safety.services`); career services read, for their own school's
students only, the reports that concern them."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html

from accounts.admin_scope import SchoolScopedAdmin
from accounts.models import User
from engagements.models import Message
from safety import services
from safety.models import Report


class HeldMessageFilter(admin.SimpleListFilter):
    """The reports the platform filed for messages screening held, by what the student did."""

    title = "held by screening"
    parameter_name = "held"

    def lookups(self, request, model_admin):
        return [
            ("waiting", "Held, waiting for the student"),
            ("confirmed", "Delivered after the student confirmed"),
            ("people", "Filed by people"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "waiting":
            return queryset.filter(reporter__isnull=True, student_confirmed_at__isnull=True)
        if value == "confirmed":
            return queryset.filter(reporter__isnull=True, student_confirmed_at__isnull=False)
        if value == "people":
            return queryset.filter(reporter__isnull=False)
        return queryset


CLOSE_CHOICES = [
    ("", "Keep it open"),
    (Report.Status.RESOLVED, "Close as resolved"),
    (Report.Status.DISMISSED, "Close as dismissed (nothing wrong found)"),
]


class ReportActionForm(forms.ModelForm):
    """What a platform admin does with a report, in one form; `ReportAdmin.save_model`
    calls one service per thing asked."""

    suspend_user = forms.BooleanField(
        required=False, label="Suspend the reported user (they can no longer sign in)"
    )
    suspend_organization = forms.BooleanField(
        required=False,
        label="Suspend the organization (its open projects close, applicants are told)",
    )
    suspension_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why, for a suspension: the audit trail keeps it and an organization's "
        "employers read it.",
    )
    close_as = forms.ChoiceField(choices=CLOSE_CHOICES, required=False, label="Close the report")

    class Meta:
        model = Report
        fields = ("assignee", "outcome")
        help_texts = {"outcome": "What the reporter is told when the report is closed."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(is_superuser=True, is_active=True)
        report = self.instance
        if report.reported_user_id is None:
            del self.fields["suspend_user"]
        elif not report.reported_user.is_active:
            self.fields["suspend_user"].disabled = True
            self.fields["suspend_user"].help_text = "Already suspended."
        if report.organization_id is None:
            del self.fields["suspend_organization"]
        elif report.organization.suspended_at:
            self.fields["suspend_organization"].disabled = True
            self.fields["suspend_organization"].help_text = "Already suspended."

    def clean(self):
        data = super().clean()
        suspending = data.get("suspend_user") or data.get("suspend_organization")
        if suspending and not (data.get("suspension_reason") or "").strip():
            self.add_error("suspension_reason", "Say why before suspending.")
        if data.get("close_as") and not (data.get("outcome") or "").strip():
            self.add_error("outcome", "Say what you found and did; the reporter reads it.")
        return data


@admin.register(Report)
class ReportAdmin(SchoolScopedAdmin):
    school_path = "school"
    admin_can_change = True
    form = ReportActionForm
    list_display = (
        "number",
        "created",
        "reason",
        "kind",
        "about",
        "filed_by",
        "screening",
        "status",
        "assignee",
    )
    list_filter = ("status", "reason", "kind", HeldMessageFilter)
    list_select_related = (
        "reporter",
        "assignee",
        "project",
        "organization",
        "message",
        "reported_user",
    )
    search_fields = ("details", "organization__name", "project__title", "reported_user__email")
    date_hierarchy = "created_at"
    actions = ["assign_to_me"]
    READ_ONLY = (
        "filed_by",
        "screening",
        "about",
        "reason",
        "details",
        "created_at",
        "school",
        "status",
        "actions_taken",
        "closed_at",
        "closed_by",
    )

    @admin.display(description="filed by", ordering="reporter__email")
    def filed_by(self, obj):
        return obj.reporter if obj.reporter_id else "Screening (held message)"

    @admin.display(description="held message")
    def screening(self, obj):
        if not obj.by_platform:
            return "—"
        if obj.student_confirmed_at:
            return (
                f"Delivered {timezone.localtime(obj.student_confirmed_at):%Y-%m-%d %H:%M}: "
                "the student confirmed it"
            )
        return "Held: waiting for the student"

    @admin.display(description="report", ordering="pk")
    def number(self, obj):
        return f"#{obj.pk}"

    @admin.display(description="sent", ordering="created_at")
    def created(self, obj):
        return f"{timezone.localtime(obj.created_at):%Y-%m-%d %H:%M}"

    @admin.display(description="about")
    def about(self, obj):
        if obj.kind == Report.Kind.MESSAGE:
            return format_html("{}: “{}”", obj.subject_label, obj.message.body[:300])
        return obj.subject_label

    @admin.display(description="about")
    def about_brief(self, obj):
        # Career services read a message's text only in the engagement's admin, under its
        # own rule (while disputed or flagged); the report names the message.
        return obj.subject_label

    def _for_viewer(self, request, names):
        if self.is_platform_admin(request):
            return tuple(names)
        return tuple("about_brief" if n == "about" else n for n in names)

    def get_list_display(self, request):
        return self._for_viewer(request, super().get_list_display(request))

    def get_fields(self, request, obj=None):
        if obj is None or not self.has_change_permission(request, obj):
            return self._for_viewer(request, self.READ_ONLY + ("assignee", "outcome"))
        fields = [*self.READ_ONLY, "assignee"]
        if obj.is_open:
            form = ReportActionForm(instance=obj)
            fields += [
                name
                for name in ("suspend_user", "suspend_organization", "suspension_reason")
                if name in form.fields
            ]
            fields += ["outcome", "close_as"]
        else:
            fields.append("outcome")
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None or not self.has_change_permission(request, obj) or not obj.is_open:
            return self._for_viewer(request, self.READ_ONLY + ("assignee", "outcome"))
        return self.READ_ONLY

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and self.has_change_permission(request, obj) and obj.is_open:
            kwargs["fields"] = None  # the form's own: the model's and the actions'
        else:
            kwargs["form"] = forms.ModelForm  # read-only: nothing to act on
        return super().get_form(request, obj, change, **kwargs)

    def changelist_view(self, request, extra_context=None):
        """The queue counts the messages screening held (engagements.screening): each is a
        report the platform filed, open until an admin closes it."""
        extra_context = extra_context or {}
        if self.is_platform_admin(request):
            held = Message.objects.filter(held_at__isnull=False)
            extra_context["held_messages"] = {
                "waiting": held.filter(released_at__isnull=True).count(),
                "released": held.filter(released_at__isnull=False).count(),
                "open_reports": Report.objects.filter(
                    reporter__isnull=True, status__in=Report.OPEN_STATUSES
                ).count(),
            }
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request, *args):
        return False  # reports come from the people who saw something

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        actor = request.user
        report = Report.objects.get(pk=obj.pk)
        try:
            if data.get("assignee") != report.assignee and report.is_open:
                report = services.report_assign(
                    actor=actor, report=report, assignee=data.get("assignee")
                )
            reason = (data.get("suspension_reason") or "").strip()
            if data.get("suspend_user"):
                report = services.report_suspend_user(actor=actor, report=report, reason=reason)
            if data.get("suspend_organization"):
                report = services.report_suspend_organization(
                    actor=actor, report=report, reason=reason
                )
            if data.get("close_as"):
                report = services.report_close(
                    actor=actor, report=report, status=data["close_as"], outcome=data["outcome"]
                )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def save_related(self, request, form, formsets, change):
        """Nothing hangs off a report; the services saved it."""

    @admin.action(description="Assign the selected open reports to me")
    def assign_to_me(self, request, queryset):
        done = 0
        for report in queryset.filter(status__in=Report.OPEN_STATUSES):
            services.report_assign(actor=request.user, report=report, assignee=request.user)
            done += 1
        self.message_user(request, f"{done} report(s) assigned to you.", messages.SUCCESS)

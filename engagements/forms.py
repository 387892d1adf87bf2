"""Forms of the engagement workspace: time, deliverables, review, messages, cancellation and
scope extensions."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from engagements.models import QUARTERS_PER_HOUR, Message, SubmissionFile, TimeEntry
from engagements.services import MESSAGE_MAX
from marketplace.forms import MoneyField

# What a deliverable may be, with the first bytes its content must start with
# (None when the format has no fixed signature; such files must at least be text).
DELIVERABLE_TYPES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".csv": None,
    ".txt": None,
    ".md": None,
}
MAX_FILES = 10


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class HoursField(forms.DecimalField):
    """Hours in quarter steps (0.25, 1.5, 2.75) to a number of quarter hours."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=5, decimal_places=2, min_value=Decimal("0.25"), **kwargs)
        self.widget.attrs.update(step="0.25", inputmode="decimal")

    def clean(self, value):
        hours = super().clean(value)
        if hours is None:
            return None
        quarters = hours * QUARTERS_PER_HOUR
        if quarters != quarters.to_integral_value():
            raise ValidationError("Use quarter hours: 0.25, 0.5, 0.75, 1, 1.25…")
        return int(quarters)


class TimeEntryForm(forms.Form):
    work_date = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    hours = HoursField(label="Hours")
    description = forms.CharField(max_length=500, label="What you did")

    def __init__(self, *args, **kwargs):
        # Several forms share a page: ids must not collide.
        kwargs.setdefault("auto_id", "time_%s")
        kwargs.setdefault("initial", {"work_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["work_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.helper = _helper()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def validate_deliverable(upload) -> None:
    name = (upload.name or "").lower()
    extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    allowed = ", ".join(sorted(e.lstrip(".") for e in DELIVERABLE_TYPES))
    if extension not in DELIVERABLE_TYPES:
        raise ValidationError(f"“{upload.name}” is not an accepted type. Accepted: {allowed}.")
    limit = settings.DELIVERABLE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"“{upload.name}” is {filesizeformat(upload.size)}; each file can be at most "
            f"{filesizeformat(limit)}. Share larger work as a link."
        )
    if upload.size == 0:
        raise ValidationError(f"“{upload.name}” is empty.")
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    signatures = DELIVERABLE_TYPES[extension]
    if signatures is None:
        if b"\x00" in head:
            raise ValidationError(f"“{upload.name}” is not a text file.")
    elif not head.startswith(signatures):
        raise ValidationError(
            f"“{upload.name}” does not look like a {extension.lstrip('.').upper()} file."
        )


class SubmissionForm(forms.Form):
    note = forms.CharField(
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Note to the employer",
        help_text="What you are delivering, and anything they should know.",
    )
    files = MultipleFileField(
        required=False,
        label="Files",
        help_text=(
            "Up to 10 files of at most 25 MB each: PDF, Word, Excel, PowerPoint, ZIP, PNG, JPEG, "
            "GIF, CSV, text or Markdown."
        ),
    )
    links = forms.CharField(
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Links",
        help_text="One address per line (for example a shared folder or a published page).",
    )

    def __init__(self, *args, **kwargs):
        # Several forms share a page: ids must not collide.
        kwargs.setdefault("auto_id", "submission_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES:
            raise ValidationError(f"At most {MAX_FILES} files at once; zip the rest.")
        errors = []
        for upload in files:
            try:
                validate_deliverable(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files

    def clean_links(self):
        validator = forms.URLField(assume_scheme="https")
        links = []
        for line in (self.cleaned_data.get("links") or "").splitlines():
            if line.strip():
                try:
                    links.append(validator.clean(line.strip()))
                except ValidationError as error:
                    raise ValidationError(f"“{line.strip()[:60]}” is not a web address.") from error
        return links

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("files") and not cleaned.get("links"):
            raise ValidationError("Attach at least one file or link.")
        return cleaned


class ReviewForm(forms.Form):
    comment = forms.CharField(
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Comments for the student",
        help_text="Required when you ask for a revision: say what should change.",
    )
    # The milestone the employer is looking at: approving it twice does nothing.
    milestone = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        # Several forms share a page: ids must not collide.
        kwargs.setdefault("auto_id", "review_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class MessageForm(forms.Form):
    body = forms.CharField(
        max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 3}), label="Message"
    )
    # Offered once screening warned about the message (engagements.screening).
    send_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        # Several forms share a page: ids must not collide.
        kwargs.setdefault("auto_id", "message_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def offer_send_anyway(self) -> None:
        field = self.fields["send_anyway"]
        field.widget = forms.CheckboxInput()
        field.label = "Send it anyway"


class CancelEngagementForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why do you want to cancel?",
        help_text=(
            "Before any hours are logged, the engagement is cancelled at once and the employer "
            "refunded. After that, our team settles it fairly with both sides."
        ),
    )

    def __init__(self, *args, **kwargs):
        # Several forms share a page: ids must not collide.
        kwargs.setdefault("auto_id", "cancel_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ExtensionForm(forms.Form):
    extra_hours = HoursField(label="More hours")
    extra_fee = MoneyField(label="More pay (US dollars)")
    extra_days = forms.IntegerField(
        label="More days", min_value=0, max_value=30, initial=0, required=False
    )
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="What the extra hours are for",
    )
    milestone = forms.TypedChoiceField(
        label="Milestone", coerce=int, required=False, empty_value=None
    )

    # The workspace builds it with the engagement (its milestones are the choices).
    takes_engagement = True

    def __init__(self, *args, engagement=None, **kwargs):
        # Several forms share a page: ids must not collide.
        kwargs.setdefault("auto_id", "extension_%s")
        super().__init__(*args, **kwargs)
        # On a milestone engagement the extension grows one milestone not yet done.
        milestones = engagement.milestones.all() if engagement is not None else []
        open_ones = [m for m in milestones if m.is_open]
        if open_ones:
            self.fields["milestone"].choices = [
                (m.number, f"{m.number}. {m.title}") for m in open_ones
            ]
            self.fields["milestone"].required = True
        else:
            del self.fields["milestone"]
        self.helper = _helper()


class _Choices(forms.ModelMultipleChoiceField):
    """Checkboxes of an engagement's entries, each labelled as the workspace shows it."""

    def __init__(self, queryset, label, describe, **kwargs):
        super().__init__(
            queryset=queryset,
            label=label,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )
        self.describe = describe

    def label_from_instance(self, obj):
        return self.describe(obj)


def _short(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


class DisputeEvidenceForm(forms.Form):
    """A statement for the platform, pointing at the engagement's own messages, time entries
    and delivered files."""

    statement = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Your statement",
        help_text="What happened, in your own words. The other side, career services and the "
        "platform admin deciding read it.",
    )

    def __init__(self, *args, engagement_id: int, **kwargs):
        kwargs.setdefault("auto_id", "evidence_%s")
        super().__init__(*args, **kwargs)
        delivered = Q(held_at__isnull=True) | Q(released_at__isnull=False)
        self.fields["messages"] = _Choices(
            Message.objects.filter(delivered, engagement_id=engagement_id)
            .select_related("author")
            .order_by("created_at", "pk"),
            "Messages",
            lambda m: f"{m.author.get_full_name()}, {m.created_at:%b %-d}: {_short(m.body)}",
        )
        self.fields["time_entries"] = _Choices(
            TimeEntry.objects.filter(engagement_id=engagement_id).order_by("work_date", "pk"),
            "Time entries",
            lambda t: f"{t.work_date:%b %-d}: {t.hours:g} h, {_short(t.description, 60)}",
        )
        self.fields["files"] = _Choices(
            SubmissionFile.objects.filter(submission__engagement_id=engagement_id)
            .select_related("submission")
            .order_by("submission__number", "pk"),
            "Delivered files",
            lambda f: f"{f.original_name} (submission {f.submission.number})",
        )
        self.helper = _helper()

"""Forms for feedback sessions and evaluations."""

from datetime import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from feedback.services import SessionData

SCORE_CHOICES = [(i, str(i)) for i in range(1, 6)]


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class SessionForm(forms.Form):
    """A session's time is typed in the user's own time zone and stored in UTC."""

    # The service checks the moment (`scheduled_at`); a wrong one is most often the day.
    service_fields = {"scheduled_at": "date"}

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(
        label="Start time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label="Length (minutes)", min_value=10, max_value=240, initial=30
    )
    meeting_link = forms.URLField(
        required=False, max_length=300, assume_scheme="https", label="Meeting link (optional)"
    )
    agenda = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, session=None, **kwargs):
        kwargs.setdefault("auto_id", f"session{session.pk if session else ''}_%s")
        # The middleware made the user's zone current: times are typed in it.
        self.zone = timezone.get_current_timezone()
        if session is not None and "initial" not in kwargs:
            local = session.scheduled_at.astimezone(self.zone)
            kwargs["initial"] = {
                "date": local.date(),
                "start_time": local.time().replace(second=0, microsecond=0),
                "duration_minutes": session.duration_minutes,
                "meeting_link": session.meeting_link,
                "agenda": session.agenda,
            }
        super().__init__(*args, **kwargs)
        zone_name = getattr(self.zone, "key", str(self.zone)).replace("_", " ")
        self.fields["start_time"].help_text = f"Your time zone: {zone_name}."
        self.helper = _helper()

    def to_data(self) -> SessionData:
        c = self.cleaned_data
        start = datetime.combine(c["date"], c["start_time"], tzinfo=self.zone)
        return SessionData(
            scheduled_at=start,
            duration_minutes=c["duration_minutes"],
            meeting_link=c.get("meeting_link") or "",
            agenda=c.get("agenda") or "",
        )


class SessionNoteForm(forms.Form):
    went_well = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="What went well",
    )
    to_change = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="What to change",
    )
    next_steps = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Next steps",
    )

    def __init__(self, *args, session=None, **kwargs):
        kwargs.setdefault("auto_id", f"note{session.pk if session else ''}_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if not any(
            (cleaned.get(f) or "").strip() for f in ("went_well", "to_change", "next_steps")
        ):
            raise forms.ValidationError("Write at least one of the three parts.")
        return cleaned


def _score_field(label):
    return forms.TypedChoiceField(
        label=label, choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )


OBJECTIVE_CHOICES = [("met", "Met"), ("not_met", "Not met")]


class StudentEvaluationForm(forms.Form):
    communication = _score_field("Communication")
    problem_solving = _score_field("Problem solving")
    quality = _score_field("Quality of work")
    timeliness = _score_field("Timeliness")
    professionalism = _score_field("Professionalism")
    strengths = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    growth_areas = forms.CharField(
        label="Growth areas", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    would_work_again = forms.BooleanField(required=False, label="I would work with them again")
    interested_full_time = forms.BooleanField(
        required=False, label="We are interested in hiring them full-time"
    )

    def __init__(self, *args, objectives=(), **kwargs):
        kwargs.setdefault("auto_id", "evaluation_%s")
        super().__init__(*args, **kwargs)
        # Each learning objective of the project, marked met or not: every one required.
        self.objectives = list(objectives)
        for objective in self.objectives:
            self.fields[f"objective_{objective.pk}"] = forms.TypedChoiceField(
                label=f"Objective {objective.position}: {objective.text}",
                choices=OBJECTIVE_CHOICES,
                coerce=lambda value: value == "met",
                widget=forms.RadioSelect,
                error_messages={"required": "Say whether the student met this objective."},
            )
        if self.objectives:
            self.order_fields([f"objective_{o.pk}" for o in self.objectives])
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        cleaned["objectives"] = {
            o.pk: cleaned[f"objective_{o.pk}"]
            for o in self.objectives
            if f"objective_{o.pk}" in cleaned
        }
        return cleaned


class EmployerReviewForm(forms.Form):
    clarity = _score_field("Clarity of instructions")
    support = _score_field("Support and supervision")
    learning_value = _score_field("Learning value")
    comment = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "employer_review_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper()

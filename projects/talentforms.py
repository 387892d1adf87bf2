"""Forms for the talent pool, invitations and full-time interest. They check the shape of
what was typed; projects.talent decides whether it is allowed."""

from crispy_forms.helper import FormHelper
from django import forms

from outcomes.models import TAG_LENGTH_MAX, TAGS_MAX, FullTimeAnswer
from projects.talent import (
    FULLTIME_MESSAGE_MAX,
    INVITATION_MESSAGE_MAX,
    NOTES_MAX,
    REPLY_MAX,
)


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class EntryForm(forms.Form):
    tags = forms.CharField(
        required=False,
        max_length=TAGS_MAX * (TAG_LENGTH_MAX + 2),
        label="Tags",
        help_text=f"Separated by commas, e.g. “data, writing, spring hire”. Up to {TAGS_MAX}.",
    )
    notes = forms.CharField(
        required=False,
        max_length=NOTES_MAX,
        label="Private notes",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only your organization's employers read these; never the student.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class InviteForm(forms.Form):
    # An id, not a model choice: a closed or foreign project gets the service's own clear
    # message instead of "not one of the available choices".
    project = forms.IntegerField(label="Project", widget=forms.Select)
    message = forms.CharField(
        required=False,
        max_length=INVITATION_MESSAGE_MAX,
        label="Message (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why you thought of them for this project.",
    )

    def __init__(self, *args, projects=(), **kwargs):
        kwargs.setdefault("prefix", "invite")
        super().__init__(*args, **kwargs)
        self.fields["project"].widget.choices = [("", "Choose an open project")] + [
            (p.pk, p.title) for p in projects
        ]
        self.fields["project"].error_messages = {
            "required": "Choose one of your organization's open projects.",
            "invalid": "Choose one of your organization's open projects.",
        }
        self.helper = _helper()


class FullTimeForm(forms.Form):
    message = forms.CharField(
        max_length=FULLTIME_MESSAGE_MAX,
        label="Message to the student",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The kind of role, and what made you think of them. Up to 1,000 characters.",
        error_messages={
            "required": "Say a few words: the kind of role, and what made you think of them."
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "fulltime")
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ReplyForm(forms.Form):
    answer = forms.ChoiceField(
        choices=FullTimeAnswer.choices,
        widget=forms.RadioSelect,
        label="Your answer",
        error_messages={"required": "Choose “Interested” or “Not now”."},
    )
    reply = forms.CharField(
        required=False,
        max_length=REPLY_MAX,
        label="A short reply (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

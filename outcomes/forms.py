"""Forms of career outcomes: the student's verified experience page and the admin's revocation
form; the talent pool, invitations and full-time interest. They check the shape of what was
typed; outcomes.records and outcomes.talent decide whether it is allowed."""

from crispy_forms.helper import FormHelper
from django import forms

from outcomes.models import (
    REFLECTION_NOTE_MAX,
    REFLECTION_WORDS_MAX,
    REFLECTION_WORDS_MIN,
    TAG_LENGTH_MAX,
    TAGS_MAX,
    FullTimeAnswer,
)
from outcomes.records import BULLET_MAX, REVOKE_REASON_MAX, STORY_MAX
from outcomes.reflections import word_count, word_count_error
from outcomes.talent import FULLTIME_MESSAGE_MAX, INVITATION_MESSAGE_MAX, NOTES_MAX, REPLY_MAX


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class VisibilityForm(forms.Form):
    is_public = forms.BooleanField(
        required=False,
        label="Public: anyone with the link can open this record",
        help_text="When hidden, the link says the record is hidden and shows nothing else.",
    )
    show_evaluation = forms.BooleanField(
        required=False,
        label="Show the employer's evaluation highlights",
        help_text="Scores, whether they would work with you again, and the strengths they "
        "named. Shown once evaluations are visible to both sides.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "visibility_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ResumeForm(forms.Form):
    bullet_1 = forms.CharField(
        label="Bullet 1",
        required=False,
        max_length=BULLET_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    bullet_2 = forms.CharField(
        label="Bullet 2",
        required=False,
        max_length=BULLET_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    bullet_3 = forms.CharField(
        label="Bullet 3",
        required=False,
        max_length=BULLET_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    situation = forms.CharField(
        required=False, max_length=STORY_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    task = forms.CharField(
        required=False, max_length=STORY_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    action = forms.CharField(
        required=False, max_length=STORY_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    result = forms.CharField(
        required=False, max_length=STORY_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, draft=None, read_only=False, **kwargs):
        if draft is not None and "initial" not in kwargs:
            bullets = list(draft.bullets) + ["", "", ""]
            kwargs["initial"] = {
                "bullet_1": bullets[0],
                "bullet_2": bullets[1],
                "bullet_3": bullets[2],
                **draft.story,
            }
        kwargs.setdefault("auto_id", "resume_%s")
        super().__init__(*args, **kwargs)
        if read_only:
            for field in self.fields.values():
                field.disabled = True
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(f"bullet_{n}", "").strip() for n in (1, 2, 3)):
            self.add_error("bullet_1", "Write at least one bullet, or reset to the draft.")
        return cleaned

    def bullets(self) -> list[str]:
        return [self.cleaned_data[f"bullet_{n}"] for n in (1, 2, 3)]

    def story(self) -> dict[str, str]:
        return {part: self.cleaned_data[part] for part in ("situation", "task", "action", "result")}


class RevokeForm(forms.Form):
    """The admin's revocation, for the selected records."""

    reason = forms.CharField(
        max_length=REVOKE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Published with the revoked badge; the student is told. The public page "
        "only says the record was revoked, and when.",
    )


# --- Talent pool, invitations, full-time interest ----------------------------------------


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


class ReflectionForm(forms.Form):
    """The reflection, with an optional note on each of the project's objectives
    (`note_<objective id>`). The word count is checked here for a quick answer and again
    by outcomes.reflections, which decides."""

    text = forms.CharField(
        label="Your reflection",
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=f"Between {REFLECTION_WORDS_MIN} and {REFLECTION_WORDS_MAX} words: what you "
        "set out to learn, what you did, what you learned and what you would do differently.",
    )
    share_on_record = forms.BooleanField(
        required=False,
        label="Show my reflection on my verified record",
        help_text="Your school's career services read it either way; anyone who opens your "
        "public record reads it only if you tick this.",
    )

    def __init__(self, *args, objectives=(), **kwargs):
        kwargs.setdefault("auto_id", "reflection_%s")
        super().__init__(*args, **kwargs)
        self.objectives = list(objectives)
        for objective in self.objectives:
            self.fields[f"note_{objective.pk}"] = forms.CharField(
                label=f"Objective {objective.position}: {objective.text}",
                required=False,
                max_length=REFLECTION_NOTE_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Optional: how you met it, or why not.",
            )
        self.helper = _helper()

    def clean_text(self):
        text = self.cleaned_data["text"]
        message = word_count_error(word_count(text))
        if message:
            raise forms.ValidationError(message)
        return text

    def notes(self) -> dict[int, str]:
        return {o.pk: self.cleaned_data.get(f"note_{o.pk}", "") for o in self.objectives}

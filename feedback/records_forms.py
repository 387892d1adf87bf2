"""Forms of the student's verified experience page, and the admin's revocation form."""

from crispy_forms.helper import FormHelper
from django import forms

from feedback.records import BULLET_MAX, REVOKE_REASON_MAX, STORY_MAX


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

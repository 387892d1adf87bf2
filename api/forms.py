from crispy_forms.helper import FormHelper
from django import forms

from api.scopes import choices_for


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="The program that will use it, e.g. “Applicant tracking”."
    )
    scopes = forms.MultipleChoiceField(
        label="What it may do", widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = choices_for(kind)
        self.helper = FormHelper()
        self.helper.form_tag = False

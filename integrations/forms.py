from crispy_forms.helper import FormHelper
from django import forms

from integrations.webhooks import EVENTS_FOR


class EndpointForm(forms.Form):
    url = forms.URLField(
        label="Address",
        max_length=500,
        assume_scheme="https",
        help_text="Your system's https:// address that receives the events as signed JSON.",
    )
    events = forms.MultipleChoiceField(
        label="Events to send", widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, owner_kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [(e.value, e.label) for e in EVENTS_FOR[owner_kind]]
        self.helper = FormHelper()
        self.helper.form_tag = False

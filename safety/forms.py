from crispy_forms.helper import FormHelper
from django import forms

from safety.models import Reason
from safety.services import DETAILS_MAX


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=Reason.choices,
        widget=forms.RadioSelect,
        label="What is wrong?",
        error_messages={"required": "Choose the reason closest to what happened."},
    )
    details = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=DETAILS_MAX,
        label="What happened",
        help_text="What was asked or said, and when. Never send money or your bank details to "
        "anyone you met here: the platform pays you, you never pay to work.",
        error_messages={"required": "Say what happened: what was asked, when, by whom."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

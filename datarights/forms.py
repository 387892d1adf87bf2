from crispy_forms.helper import FormHelper
from django import forms

CONFIRM_WORD = "CLOSE"


class ExportRequestForm(forms.Form):
    confirm = forms.BooleanField(
        label="Prepare a ZIP of all my data and email me when it is ready",
        error_messages={"required": "Tick the box to confirm you want your data prepared."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ClosureForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    typed = forms.CharField(
        label=f"Type {CONFIRM_WORD} to confirm",
        max_length=20,
        error_messages={"required": f"Type {CONFIRM_WORD} to confirm."},
    )
    keep_records_public = forms.BooleanField(
        label="Keep my public verified experiences online (under the name “Former user”)",
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.is_student:
            del self.fields["keep_records_public"]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("This is not your password.")
        return password

    def clean_typed(self):
        typed = self.cleaned_data["typed"].strip()
        if typed.upper() != CONFIRM_WORD:
            raise forms.ValidationError(f"Type {CONFIRM_WORD} to confirm.")
        return typed

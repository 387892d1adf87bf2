"""Forms of academic credit. They check the shape of what was typed; `outcomes.credit.services`
decides whether it is allowed and shows its refusals beside the fields."""

from crispy_forms.helper import FormHelper
from django import forms

from outcomes.credit.models import HOURS_PER_CREDIT_MAX, FacultyApproval
from outcomes.credit.services import (
    COMMENT_MAX,
    COURSE_CODE,
    COURSE_CODE_HELP,
    STUDENT_NUMBER,
    normalize_course_code,
)


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class CreditRequestForm(forms.Form):
    """The course and term; a term of the school's calendar when it has one, else in words."""

    course_code = forms.CharField(label="Course code", max_length=40, help_text=COURSE_CODE_HELP)
    term = forms.TypedChoiceField(label="Term", coerce=int, required=False)
    term_name = forms.CharField(
        label="Term", max_length=80, required=False, help_text="e.g. Spring 2027"
    )
    student_number = forms.CharField(
        label="Student ID",
        max_length=60,
        required=False,
        help_text="Optional: your number at your school, for the registrar.",
    )

    def __init__(self, *args, terms=(), **kwargs):
        kwargs.setdefault("auto_id", "credit_%s")
        super().__init__(*args, **kwargs)
        if terms:
            self.fields["term"].choices = [("", "Choose a term")] + [(t.pk, str(t)) for t in terms]
            self.fields["term"].required = True
            del self.fields["term_name"]
        else:
            del self.fields["term"]
            self.fields["term_name"].required = True
        self.helper = _helper()

    def clean_course_code(self):
        code = normalize_course_code(self.cleaned_data["course_code"])
        if not COURSE_CODE.match(code):
            raise forms.ValidationError(f"“{code[:20]}” is not a course code. {COURSE_CODE_HELP}")
        return code

    def clean_student_number(self):
        number = self.cleaned_data["student_number"].strip()
        if number and not STUDENT_NUMBER.match(number):
            raise forms.ValidationError(
                "Enter your student ID as your school writes it: letters, digits and hyphens, "
                "at most 30."
            )
        return number


class StaffApproveForm(forms.Form):
    faculty_email = forms.EmailField(
        label="Faculty approver's email",
        required=False,
        help_text="They get a link to review and decide, with no account needed. Leave empty "
        "to grant the credit now.",
    )
    faculty_name = forms.CharField(label="Faculty approver's name", max_length=120, required=False)
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, policy=None, **kwargs):
        kwargs.setdefault("auto_id", "approve_%s")
        super().__init__(*args, **kwargs)
        if policy is not None and not policy.faculty_allowed:
            del self.fields["faculty_email"]
            del self.fields["faculty_name"]
        elif policy is not None and policy.faculty_required:
            self.fields["faculty_email"].required = True
            self.fields["faculty_email"].help_text = (
                "Your school's policy needs a faculty member's approval: they get a link to "
                "review and decide, with no account needed."
            )
        self.helper = _helper()


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What should the student change?",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "return_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class FacultyDecisionForm(forms.Form):
    DECISIONS = [("approve", "Approve the credit"), ("return", "Return it to the student")]

    decision = forms.ChoiceField(label="Your decision", choices=DECISIONS, widget=forms.RadioSelect)
    name = forms.CharField(label="Your name", max_length=120)
    comment = forms.CharField(
        label="Comments",
        required=False,
        max_length=COMMENT_MAX,
        help_text="Required when you return the request: tell the student what to change.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "faculty_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class CreditPolicyForm(forms.Form):
    hours_per_credit = forms.IntegerField(
        label="Hours per credit",
        min_value=1,
        max_value=HOURS_PER_CREDIT_MAX,
        help_text="Logged hours that make one credit; credits are rounded down to a tenth.",
    )
    faculty_approval = forms.ChoiceField(
        label="Who approves", choices=FacultyApproval.choices, widget=forms.RadioSelect
    )
    default_faculty_email = forms.EmailField(
        label="Default faculty approver",
        required=False,
        help_text="Suggested when you send a request on to a faculty member.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "policy_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class RegistrarForm(forms.Form):
    """A term of the school's calendar, or a range of approval dates."""

    term = forms.TypedChoiceField(label="Term", coerce=int, required=False, empty_value=None)
    start = forms.DateField(
        label="Approved from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="Approved until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, terms=(), **kwargs):
        kwargs.setdefault("auto_id", "registrar_%s")
        super().__init__(*args, **kwargs)
        self.terms = {t.pk: t for t in terms}
        self.fields["term"].choices = [("", "Any term")] + [(t.pk, str(t)) for t in terms]
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            self.add_error("end" if start else "start", "Give both days of the range, or neither.")
        elif start and end and end < start:
            self.add_error("end", "The last day is before the first day.")
        elif start and end and (end - start).days > 3 * 366:
            self.add_error("end", "Choose at most three years at a time.")
        if not data.get("term") and not start and not end and not self.errors:
            raise forms.ValidationError("Choose a term or a range of days.")
        data["term_obj"] = self.terms.get(data.get("term"))
        return data

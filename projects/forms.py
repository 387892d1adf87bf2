"""Forms for posting projects and for the browse filters' companions."""

from datetime import timedelta
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Organization, Role, Skill, StudentProfile, User, WorkAuthorization
from accounts.services import clean_skill_names
from marketplace.forms import MoneyField
from marketplace.money import dollars
from projects import rules
from projects.applications import ANSWER_MAX, COVER_NOTE_MAX, RELATION_TO_MAJOR_MAX
from projects.milestones import MilestonePlan, plan_errors
from projects.models import (
    MILESTONES_MAX,
    MILESTONES_MIN,
    OBJECTIVE_LENGTH_MAX,
    OBJECTIVES_MAX,
    OBJECTIVES_MIN,
    Category,
    Project,
)
from projects.services import ProjectData

MILESTONE_PARTS = ("title", "deliverable", "hours", "amount")


class QuarterHoursField(forms.DecimalField):
    """Hours in quarter steps (0.25, 1.5, 2.75), cleaned to a number of quarter hours."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=5, decimal_places=2, min_value=Decimal("0.25"), **kwargs)
        self.widget.attrs.update(step="0.25", inputmode="decimal")

    def clean(self, value):
        hours = super().clean(value)
        if hours is None:
            return None
        quarters = hours * 4
        if quarters != quarters.to_integral_value():
            raise ValidationError("Use quarter hours: 0.25, 0.5, 0.75, 1, 1.25…")
        return int(quarters)


class ProjectForm(forms.Form):
    title = forms.CharField(max_length=120, help_text="What the student will do, specifically.")
    summary = forms.CharField(
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences shown in search results.",
    )
    description = forms.CharField(
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Context, the tasks, and how you will support the student.",
    )
    category = forms.ChoiceField(choices=[("", "Choose a category")] + Category.choices)
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_skills = forms.CharField(
        required=False,
        max_length=500,
        label="Other skills",
        help_text="Not in the list? Add them here, separated by commas.",
    )
    deliverables = forms.CharField(
        label="Expected deliverables",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you will receive at the end, one per line.",
    )
    hours = forms.IntegerField(label="Estimated hours", help_text="")
    fee = MoneyField(
        label="Fixed fee (US dollars)",
        help_text="The student keeps all of it; our fee is added on your side.",
    )
    days_to_complete = forms.IntegerField(label="Days to complete", help_text="")
    apply_by = forms.DateField(
        label="Apply by",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Applications close at the end of this day, US Pacific time.",
    )
    openings = forms.IntegerField(
        min_value=1, max_value=10, initial=1, help_text="How many students (1 to 10)."
    )
    is_remote = forms.BooleanField(
        required=False, initial=True, label="Remote: the work can be done from anywhere"
    )
    location = forms.CharField(
        required=False, max_length=120, help_text="City and state, if not remote."
    )
    question_1 = forms.CharField(required=False, max_length=300, label="Screening question 1")
    question_2 = forms.CharField(required=False, max_length=300, label="Screening question 2")
    question_3 = forms.CharField(required=False, max_length=300, label="Screening question 3")
    supervisor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="Someone else: name them below",
        help_text="Who guides the student and gives them feedback.",
    )
    supervisor_title = forms.CharField(
        required=False,
        max_length=120,
        label="Supervisor's job title",
        help_text="Leave empty to use the team member's title on their profile.",
    )
    supervisor_name = forms.CharField(
        required=False, max_length=120, label="Supervisor's name (if not on your team here)"
    )
    supervisor_email = forms.EmailField(
        required=False, label="Supervisor's email address (if not on your team here)"
    )

    # The service names what it checked; these fields show it.
    service_fields = {"objectives": "objective_1"}

    def __init__(
        self,
        *args,
        project: Project | None = None,
        organization: Organization | None = None,
        publishing: bool = False,
        **kwargs,
    ):
        self.project = project
        self.publishing = publishing
        if project is not None and not kwargs.get("initial"):
            kwargs["initial"] = self.initial_from(project)
        super().__init__(*args, **kwargs)
        organization = project.organization if project is not None else organization
        self.fields["supervisor"].queryset = (
            User.objects.filter(
                role=Role.EMPLOYER, is_active=True, employer_profile__organization=organization
            )
            .select_related("employer_profile")
            .order_by("first_name", "last_name", "pk")
            if organization is not None
            else User.objects.none()
        )
        self.fields["supervisor"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.email}, {user.employer_profile.job_title}"
        )
        for number in range(1, OBJECTIVES_MAX + 1):
            self.fields[f"objective_{number}"] = forms.CharField(
                required=False,
                max_length=OBJECTIVE_LENGTH_MAX,
                label=f"Learning objective {number}",
                help_text=""
                if number > 1
                else "For example: “Build a pricing comparison "
                "of five competitors and present it to a manager.”",
            )
        for number in range(1, MILESTONES_MAX + 1):
            self.fields[f"milestone_{number}_title"] = forms.CharField(
                required=False, max_length=120, label=f"Milestone {number}"
            )
            self.fields[f"milestone_{number}_deliverable"] = forms.CharField(
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
                label="What the student delivers",
            )
            self.fields[f"milestone_{number}_hours"] = QuarterHoursField(
                required=False, label="Share of the hours"
            )
            self.fields[f"milestone_{number}_amount"] = MoneyField(
                required=False, label="Amount (US dollars)"
            )
        lim = rules.limits()
        self.fields[
            "hours"
        ].help_text = (
            f"{lim.hours_min} to {lim.hours_max}. This is also the cap on hours the student logs."
        )
        self.fields["hours"].widget.attrs.update(min=lim.hours_min, max=lim.hours_max)
        self.fields[
            "days_to_complete"
        ].help_text = f"{lim.days_min} to {lim.days_max} days, counted from the start of the work."
        self.fields["days_to_complete"].widget.attrs.update(min=lim.days_min, max=lim.days_max)
        self.fields["apply_by"].widget.attrs["min"] = rules.apply_by_today().isoformat()
        self.frozen = bool(project and project.terms_frozen)
        if self.frozen:
            for name in ("hours", "fee", "days_to_complete"):
                self.fields[name].disabled = True
                self.fields[
                    name
                ].help_text = "Fixed: a student was accepted. Extend the engagement to add hours."
            for number in range(1, OBJECTIVES_MAX + 1):
                self.fields[f"objective_{number}"].disabled = True
            for number in range(1, MILESTONES_MAX + 1):
                for part in MILESTONE_PARTS:
                    self.fields[f"milestone_{number}_{part}"].disabled = True
            self.fields[
                "objective_1"
            ].help_text = (
                "Fixed: a student was accepted; their evaluation and reflection answer these."
            )
        rate_hint = HTML(
            '<p class="small" id="rate-hint" aria-live="polite" '
            f'data-floor="{lim.rate_floor_cents}" data-typical="{lim.rate_typical_max_cents}" '
            f'data-ceiling="{lim.rate_ceiling_cents}">'
            f"Typical pay is {dollars(lim.rate_floor_cents)}–"
            f"{dollars(lim.rate_typical_max_cents)} an hour; the minimum is "
            f"{dollars(lim.rate_floor_cents)}.</p>"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("The work", "title", "summary", "description", "category", "deliverables"),
            Fieldset("Skills", Field("skills", wrapper_class="skill-grid"), "other_skills"),
            Fieldset(
                "Hours, pay and timing",
                Div(
                    Div("hours", css_class="col-md-4"),
                    Div("fee", css_class="col-md-4"),
                    Div("days_to_complete", css_class="col-md-4"),
                    css_class="row",
                ),
                rate_hint,
                Div(
                    Div("apply_by", css_class="col-md-6"),
                    Div("openings", css_class="col-md-6"),
                    css_class="row",
                ),
                "is_remote",
                "location",
            ),
            Fieldset(
                "Learning and supervision",
                HTML(
                    '<p class="small" id="nace-why">An internship is a learning experience, '
                    "not just a task. Following NACE, the professional association of career "
                    "services and employers, students and their schools look for what the "
                    f"student will learn ({OBJECTIVES_MIN} to {OBJECTIVES_MAX} objectives), "
                    "a named supervisor, and regular feedback (the kickoff, weekly check-ins "
                    "and final review we schedule). Your project page shows which of these "
                    "criteria it meets; schools count them, and publishing needs the "
                    "objectives and the supervisor.</p>"
                ),
                *[f"objective_{n}" for n in range(1, OBJECTIVES_MAX + 1)],
                "supervisor",
                "supervisor_title",
                Div(
                    Div("supervisor_name", css_class="col-md-6"),
                    Div("supervisor_email", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset(
                "Split the fee into milestones (optional)",
                HTML(
                    '<p class="small" id="milestones-why">Pay the student part by part: '
                    f"{MILESTONES_MIN} to {MILESTONES_MAX} milestones, each with what the "
                    "student delivers, its share of the hours and its amount. Together they "
                    "make the project's hours and fee, and each pays at least the minimum "
                    "hourly rate. You still fund the whole fee at the start; each milestone "
                    "is reviewed, approved and paid on its own.</p>"
                ),
                *[
                    Div(
                        Div(f"milestone_{n}_title", css_class="col-md-6"),
                        Div(f"milestone_{n}_hours", css_class="col-md-3"),
                        Div(f"milestone_{n}_amount", css_class="col-md-3"),
                        Div(f"milestone_{n}_deliverable", css_class="col-12"),
                        css_class="row milestone-row",
                    )
                    for n in range(1, MILESTONES_MAX + 1)
                ],
            ),
            Fieldset(
                "Screening questions (optional, up to three)",
                "question_1",
                "question_2",
                "question_3",
            ),
        )

    @staticmethod
    def initial_from(project: Project) -> dict:
        questions = {q.position: q.text for q in project.questions.all()}
        objectives = {o.position: o.text for o in project.objectives.all()}
        milestones = {
            f"milestone_{m.number}_{part}": value
            for m in project.milestones.all()
            for part, value in (
                ("title", m.title),
                ("deliverable", m.deliverable),
                ("hours", Decimal(m.quarters) / 4),
                ("amount", Decimal(m.amount_cents) / 100),
            )
        }
        return {
            **milestones,
            **{f"objective_{n}": objectives.get(n, "") for n in range(1, OBJECTIVES_MAX + 1)},
            "supervisor": project.supervisor_id or "",
            "supervisor_title": project.supervisor_title,
            "supervisor_name": project.supervisor_name,
            "supervisor_email": project.supervisor_email,
            "title": project.title,
            "summary": project.summary,
            "description": project.description,
            "category": project.category,
            "skills": list(project.skills.all()),
            "deliverables": project.deliverables,
            "hours": project.hours,
            "fee": Decimal(project.fee_cents) / 100,
            "days_to_complete": project.days_to_complete,
            "apply_by": project.apply_by,
            "openings": project.openings,
            "is_remote": project.is_remote,
            "location": project.location,
            "question_1": questions.get(1, ""),
            "question_2": questions.get(2, ""),
            "question_3": questions.get(3, ""),
        }

    def clean_apply_by(self):
        apply_by = self.cleaned_data["apply_by"]
        today = rules.apply_by_today()
        unchanged = self.project is not None and apply_by == self.project.apply_by
        if apply_by < today and not (unchanged and self.project.status != "draft"):
            raise ValidationError("The apply-by date is in the past.")
        if apply_by > today + timedelta(days=90):
            raise ValidationError("Choose a date within the next 90 days.")
        return apply_by

    def clean(self):
        cleaned = super().clean()
        errors = rules.terms_errors(
            hours=cleaned.get("hours"),
            fee_cents=cleaned.get("fee"),
            days=cleaned.get("days_to_complete"),
        )
        for name, message in errors.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        names = [s.name for s in cleaned.get("skills") or []]
        names += (cleaned.get("other_skills") or "").split(",")
        try:
            cleaned["skill_names"] = clean_skill_names(names)
        except ValidationError as error:
            self.add_error("other_skills", error)
        if not cleaned.get("is_remote") and not (cleaned.get("location") or "").strip():
            self.add_error("location", "Say where the work happens, or mark it remote.")
        self._clean_learning(cleaned)
        self._clean_milestones(cleaned)
        return cleaned

    def milestone_plans(self) -> list[MilestonePlan]:
        """The milestones the employer filled in (a row with any part given counts)."""
        c = self.cleaned_data
        plans = []
        for n in range(1, MILESTONES_MAX + 1):
            values = {part: c.get(f"milestone_{n}_{part}") for part in MILESTONE_PARTS}
            if not any(v not in (None, "") for v in values.values()):
                continue
            plans.append(
                MilestonePlan(
                    title=(values["title"] or "").strip(),
                    deliverable=(values["deliverable"] or "").strip(),
                    quarters=values["hours"] or 0,
                    amount_cents=values["amount"] or 0,
                )
            )
        return plans

    def _clean_milestones(self, cleaned) -> None:
        if self.frozen:
            return
        filled = [
            n
            for n in range(1, MILESTONES_MAX + 1)
            if any(
                cleaned.get(f"milestone_{n}_{part}") not in (None, "") for part in MILESTONE_PARTS
            )
            or any(self.has_error(f"milestone_{n}_{part}") for part in MILESTONE_PARTS)
        ]
        if filled and filled != list(range(1, len(filled) + 1)):
            self.add_error(
                f"milestone_{filled[0] - 1 if filled[0] > 1 else filled[-1]}_title",
                "Fill the milestones in order, from the first, with no gap.",
            )
            return
        if any(self.has_error(f"milestone_{n}_{part}") for n in filled for part in MILESTONE_PARTS):
            return
        errors = plan_errors(
            hours=cleaned.get("hours"),
            fee_cents=cleaned.get("fee"),
            plans=self.milestone_plans(),
        )
        for name, message in errors.items():
            self.add_error(name, message)

    def objectives(self) -> list[str]:
        return [
            (self.cleaned_data.get(f"objective_{n}") or "").strip()
            for n in range(1, OBJECTIVES_MAX + 1)
        ]

    def _clean_learning(self, cleaned) -> None:
        supervisor = cleaned.get("supervisor")
        name = (cleaned.get("supervisor_name") or "").strip()
        email = (cleaned.get("supervisor_email") or "").strip()
        if supervisor is not None and (name or email):
            self.add_error(
                "supervisor_name",
                "You chose a team member: leave the name and address empty, or choose "
                "“Someone else”.",
            )
        elif supervisor is None and name and not email and "supervisor_email" not in self.errors:
            self.add_error(
                "supervisor_email", "Give the supervisor's email address, so they can be reached."
            )
        elif supervisor is None and email and not name:
            self.add_error("supervisor_name", "Give the supervisor's name.")
        if supervisor is not None and not (cleaned.get("supervisor_title") or "").strip():
            cleaned["supervisor_title"] = supervisor.employer_profile.job_title
        if not self.publishing:
            return
        if not any(self.objectives()):
            self.add_error(
                "objective_1",
                f"State at least {OBJECTIVES_MIN} learning objective to publish: what the "
                "student will be able to do by the end.",
            )
        if supervisor is None and not (name and email) and not self.has_error("supervisor_name"):
            self.add_error(
                "supervisor",
                "Name the supervisor to publish: a member of your team, or someone else "
                "with their email address.",
            )

    def to_data(self) -> ProjectData:
        c = self.cleaned_data
        return ProjectData(
            title=c["title"].strip(),
            summary=c["summary"].strip(),
            description=c["description"].strip(),
            category=c["category"],
            deliverables=c["deliverables"].strip(),
            hours=c["hours"],
            fee_cents=c["fee"],
            days_to_complete=c["days_to_complete"],
            apply_by=c["apply_by"],
            openings=c["openings"],
            is_remote=c["is_remote"],
            location=c.get("location", ""),
            skill_names=c.get("skill_names", []),
            questions=[c.get(f"question_{i}", "") for i in (1, 2, 3)],
            objectives=self.objectives(),
            supervisor_id=c["supervisor"].pk if c.get("supervisor") else None,
            supervisor_name="" if c.get("supervisor") else c.get("supervisor_name", ""),
            supervisor_title=c.get("supervisor_title", ""),
            supervisor_email="" if c.get("supervisor") else c.get("supervisor_email", ""),
            milestones=None if self.frozen else self.milestone_plans(),
        )


class CancelProjectForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Applicants still waiting for a decision receive this reason.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


# --- Applying and deciding ------------------------------------------------------------


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class ApplicationForm(forms.Form):
    cover_note = forms.CharField(
        max_length=COVER_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 7}),
        label="Cover note",
        help_text=(
            "Why this project, and what you bring. Up to 2,000 characters. Employers read "
            "this before they see your name or school."
        ),
    )
    confirmed_availability = forms.BooleanField(required=True)
    share_evaluations = forms.BooleanField(
        required=False,
        label="Also show my evaluation averages from past employers with this application",
        help_text="Shown from the start of review, with your skills and note; never who gave them.",
    )
    consent = forms.BooleanField(required=True)

    def __init__(self, *args, project: Project, profile: StudentProfile | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.questions = list(project.questions.all())
        for question in self.questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=question.text,
                max_length=ANSWER_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        asks_major = profile is not None and profile.work_authorization == WorkAuthorization.F1_OPT
        if asks_major:
            self.fields["relation_to_major"] = forms.CharField(
                label=f"How does this work relate to your major ({profile.major})?",
                max_length=RELATION_TO_MAJOR_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="On F-1 OPT, work must relate directly to your major. Your answer is "
                "kept for your SEVP reporting and shown to your school's career services; the "
                "employer does not see it.",
                error_messages={
                    "required": f"On OPT, work must relate directly to your major "
                    f"({profile.major}): say how this project does."
                },
            )
        self.fields["confirmed_availability"].label = (
            f"I can do the {project.hours} hours of work within {project.days_to_complete} days "
            "of starting."
        )
        self.fields["confirmed_availability"].error_messages["required"] = (
            "Confirm you can do the hours before the deadline."
        )
        organization = project.organization.name
        if profile is not None:
            self.fields["share_evaluations"].initial = profile.show_evaluations_to_employers
        self.fields["consent"].label = (
            f"I consent to {organization} seeing, if they shortlist me, my name, school, "
            "major, graduation year, bio as I wrote it and résumé (and my evaluation averages "
            "if ticked above). I can take this back by withdrawing my application."
        )
        self.fields["consent"].error_messages["required"] = (
            f"Tick to consent: {organization} sees who you are only if they shortlist you, "
            "and only with your consent."
        )
        # The confirmations go last, after the answers; consent is the final word.
        self.order_fields(
            ["cover_note"]
            + [f"answer_{q.pk}" for q in self.questions]
            + (["relation_to_major"] if asks_major else [])
            + ["confirmed_availability", "share_evaluations", "consent"]
        )
        self.helper = _helper()

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"answer_{q.pk}", "") for q in self.questions}


class DeclineForm(forms.Form):
    message = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Message to the applicant (optional)",
    )

    def __init__(self, *args, **kwargs):
        # Several forms share a page: ids must not collide.
        kwargs.setdefault("auto_id", "decline_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper()

"""The student's reflection on an approved engagement: written and revised on its own page,
shown on the verified record if they choose, read by their school's career staff on the
engagement's workspace."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from engagements.access import STUDENT, engagement_for
from marketplace.forms import add_service_errors
from outcomes import reflections
from outcomes.forms import ReflectionForm
from outcomes.models import REFLECTION_WORDS_MAX, REFLECTION_WORDS_MIN


def _students_engagement_or_404(request, pk: int):
    engagement, role = engagement_for(request.user, pk)
    if role != STUDENT:
        raise Http404("Only the student writes this reflection.")
    return engagement


def _initial(reflection) -> dict:
    if reflection is None:
        return {}
    initial = {"text": reflection.text, "share_on_record": reflection.share_on_record}
    initial.update({f"note_{note.objective_id}": note.text for note in reflection.notes.all()})
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def reflection_edit(request, pk: int):
    engagement = _students_engagement_or_404(request, pk)
    objectives = list(engagement.project.objectives.all())
    reflection = reflections.reflection_of(engagement)
    may_write = reflections.may_write(engagement)
    revisable = reflection is None or reflections.is_revisable(reflection)
    status = 200
    if request.method == "POST":
        form = ReflectionForm(request.POST, objectives=objectives)
        if form.is_valid():
            try:
                reflections.reflection_submit(
                    actor=request.user,
                    engagement=engagement,
                    data=reflections.ReflectionData(
                        text=form.cleaned_data["text"],
                        share_on_record=form.cleaned_data["share_on_record"],
                        notes=form.notes(),
                    ),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    "Your reflection is saved. Your school's career services can read it"
                    + (
                        ", and it shows on your verified record."
                        if form.cleaned_data["share_on_record"]
                        else "; it does not show on your verified record."
                    ),
                )
                return redirect("outcomes:reflection", pk=engagement.pk)
        status = 400
    else:
        form = ReflectionForm(initial=_initial(reflection), objectives=objectives)
    return render(
        request,
        "outcomes/reflection.html",
        {
            "engagement": engagement,
            "objectives": objectives,
            "reflection": reflection,
            "form": form,
            "may_write": may_write,
            "revisable": revisable,
            "deadline": reflections.edit_deadline(reflection) if reflection else None,
            "record": getattr(engagement, "verified_experience", None) if may_write else None,
            "words_min": REFLECTION_WORDS_MIN,
            "words_max": REFLECTION_WORDS_MAX,
        },
        status=status,
    )


@login_required
@require_POST
def reflection_sharing(request, pk: int):
    engagement = _students_engagement_or_404(request, pk)
    reflection = reflections.reflection_of(engagement)
    if reflection is None:
        raise Http404("No reflection yet.")
    share = request.POST.get("share_on_record") == "on"
    reflections.reflection_set_sharing(
        actor=request.user, reflection=reflection, share_on_record=share
    )
    messages.success(
        request,
        "Your reflection shows on your verified record."
        if share
        else "Your reflection no longer shows on your verified record.",
    )
    return redirect("outcomes:reflection", pk=engagement.pk)

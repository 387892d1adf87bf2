"""Schools' academic calendars: career services enter their school's terms, which decide when
F-1 students on CPT or pre-completion OPT work part time (`accounts.work_rules`)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.access import staff_school_id
from accounts.audit import audit
from accounts.models import AcademicTerm, School, User


@transaction.atomic
def academic_term_save(
    *,
    actor: User,
    school: School,
    name: str,
    starts_on: date,
    ends_on: date,
    term: AcademicTerm | None = None,
) -> AcademicTerm:
    """Add a term to a school's calendar, or change one. Terms of a school never overlap."""
    if not actor.is_platform_admin and staff_school_id(actor) != school.pk:
        raise PermissionDenied("Only career services of this school change its calendar.")
    # Saving terms of one school one at a time keeps the overlap check true.
    School.objects.select_for_update().get(pk=school.pk)
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = "Name the term, e.g. Fall 2026."
    if ends_on < starts_on:
        errors["ends_on"] = "The last day is before the first day."
    others = AcademicTerm.objects.filter(school=school)
    if term is not None:
        others = others.exclude(pk=term.pk)
    if name and others.filter(name__iexact=name).exists():
        errors["name"] = "This school already has a term of that name."
    overlap = others.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if overlap is not None and "ends_on" not in errors:
        errors["starts_on"] = f"These dates overlap {overlap}."
    if errors:
        raise ValidationError(errors)
    created = term is None
    if created:
        term = AcademicTerm(school=school)
    else:
        term = AcademicTerm.objects.select_for_update().get(pk=term.pk)
    term.name, term.starts_on, term.ends_on = name, starts_on, ends_on
    term.save()
    audit(
        actor=actor,
        action="academic_term.added" if created else "academic_term.changed",
        target=school,
        summary=f"{actor.email} {'added' if created else 'changed'} the term {term}",
        data={"name": name, "starts_on": str(starts_on), "ends_on": str(ends_on)},
    )
    return term

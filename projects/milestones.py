"""A project's fee split into milestones: the rules of the plan.

An employer may split the fee into MILESTONES_MIN to MILESTONES_MAX milestones. Each names
its deliverable, its share of the hours (quarter hours) and its amount; together they make
exactly the project's hours and fee, and each is paid at least the hourly floor. The form
shows each refusal on the field it is about; the service checks the same rules, and the
database the floor and the numbering.
"""

from dataclasses import dataclass

from django.conf import settings

from marketplace.money import dollars
from projects.models import MILESTONES_MAX, MILESTONES_MIN

QUARTERS_PER_HOUR = 4


@dataclass(frozen=True)
class MilestonePlan:
    title: str
    deliverable: str
    quarters: int
    amount_cents: int


def floor_cents(quarters: int) -> int:
    """The least a milestone of that many quarter hours pays (rounded up to the cent)."""
    return -(-settings.HOURLY_RATE_FLOOR_CENTS * quarters // QUARTERS_PER_HOUR)


def plan_errors(*, hours: int | None, fee_cents: int | None, plans: list) -> dict[str, str]:
    """What is wrong with a milestone plan, keyed by the form field that shows it
    (`milestone_<n>_<part>`); empty when the plan is fine (or there is none)."""
    if not plans:
        return {}
    errors = {}
    if len(plans) < MILESTONES_MIN:
        errors[f"milestone_{MILESTONES_MIN}_title"] = (
            f"Split the fee into at least {MILESTONES_MIN} milestones, or leave them all empty."
        )
    if len(plans) > MILESTONES_MAX:
        errors["milestone_1_title"] = f"At most {MILESTONES_MAX} milestones."
        return errors
    for number, plan in enumerate(plans, start=1):
        if not plan.title.strip():
            errors[f"milestone_{number}_title"] = "Name the milestone."
        if not plan.deliverable.strip():
            errors[f"milestone_{number}_deliverable"] = "Say what the student delivers."
        if not plan.quarters or plan.quarters < 1:
            errors[f"milestone_{number}_hours"] = "Give the milestone's share of the hours."
        if plan.amount_cents is None or plan.amount_cents < 1:
            errors[f"milestone_{number}_amount"] = "Give the milestone's amount."
        elif plan.quarters and plan.amount_cents < floor_cents(plan.quarters):
            errors[f"milestone_{number}_amount"] = (
                f"At least {dollars(floor_cents(plan.quarters))} for "
                f"{plan.quarters / QUARTERS_PER_HOUR:g} hours: each milestone is paid at least "
                f"{dollars(settings.HOURLY_RATE_FLOOR_CENTS)} an hour."
            )
    last = len(plans)
    quarters = sum(p.quarters or 0 for p in plans)
    if hours and f"milestone_{last}_hours" not in errors and quarters != hours * QUARTERS_PER_HOUR:
        errors[f"milestone_{last}_hours"] = (
            f"The milestones' hours add up to {quarters / QUARTERS_PER_HOUR:g}; the project has "
            f"{hours} hours."
        )
    amounts = sum(p.amount_cents or 0 for p in plans)
    if fee_cents and f"milestone_{last}_amount" not in errors and amounts != fee_cents:
        errors[f"milestone_{last}_amount"] = (
            f"The milestones' amounts add up to {dollars(amounts)}; the fee is "
            f"{dollars(fee_cents)}."
        )
    return errors

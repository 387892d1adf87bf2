"""Hours a student logged in one week across all their engagements, against the F-1 weekly
cap (`accounts.work_rules`): what the time log enforces and the workspace shows."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from accounts.models import StudentProfile
from accounts.work_rules import WeeklyCap, week_of, weekly_cap
from engagements.models import QUARTERS_PER_HOUR, TimeEntry


def quarters_in_week(student_id: int, day: date) -> int:
    monday, sunday = week_of(day)
    total = TimeEntry.objects.filter(
        engagement__student_id=student_id, work_date__gte=monday, work_date__lte=sunday
    ).aggregate(total=Sum("quarters"))["total"]
    return total or 0


@dataclass(frozen=True)
class WeekHours:
    monday: date
    logged_quarters: int
    cap: WeeklyCap

    @property
    def logged_hours(self) -> float:
        return self.logged_quarters / QUARTERS_PER_HOUR

    @property
    def left_hours(self) -> float:
        return max(0, self.cap.hours * QUARTERS_PER_HOUR - self.logged_quarters) / QUARTERS_PER_HOUR

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.logged_quarters / (self.cap.hours * QUARTERS_PER_HOUR)))


def week_hours(profile: StudentProfile | None, day: date) -> WeekHours | None:
    """The student's hours in the week of `day` against their cap; None when uncapped."""
    cap = weekly_cap(profile, day)
    if cap is None:
        return None
    return WeekHours(
        monday=week_of(day)[0],
        logged_quarters=quarters_in_week(profile.user_id, day),
        cap=cap,
    )


def weekly_cap_error(profile: StudentProfile | None, day: date, quarters: int) -> str:
    """Why logging `quarters` more on `day` would pass the weekly cap, or "". Call it with the
    student's row locked, so two logs at once cannot both pass."""
    week = week_hours(profile, day)
    if week is None or week.logged_quarters + quarters <= week.cap.hours * QUARTERS_PER_HOUR:
        return ""
    return (
        f"That would pass {week.cap.hours} hours in the week of {week.monday:%B %-d}: "
        f"{week.cap.reason}, at most {week.cap.hours} hours a week across all engagements. "
        f"You have logged {week.logged_hours:g} hours that week, so {week.left_hours:g} are left."
    )

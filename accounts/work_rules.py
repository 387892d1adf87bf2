"""The F-1 weekly hours rule: the one place that says how many hours a week a student may work.

A student on a verified CPT or pre-completion OPT works part time during their school's term:
at most `School.weekly_hours_in_term` (the `F1_WEEKLY_HOURS_IN_TERM` setting, 20, unless the
school set fewer) across all engagements, in a Monday-to-Sunday week of the student's own
dates. Outside term the authorization decides: part time keeps the
`F1_WEEKLY_HOURS_PART_TIME` cap, full time has none beyond each engagement's own hour cap.

The cap of the day being logged applies to the whole week's total, so a week that straddles
the first or last day of term is capped as soon as one of its days is in term.
Everyone else (US citizens, post-completion OPT, other visas) has no weekly cap here.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from accounts.models import AcademicTerm, AuthorizedSchedule, StudentProfile


@dataclass(frozen=True)
class WeeklyCap:
    hours: int
    # Why, in the student's words: "during Fall 2026", "on a part-time CPT outside term".
    reason: str


def week_of(day: date) -> tuple[date, date]:
    """The Monday and Sunday of the week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def term_on(school_id: int, day: date) -> AcademicTerm | None:
    return (
        AcademicTerm.objects.filter(school_id=school_id, starts_on__lte=day, ends_on__gte=day)
        .order_by("starts_on")
        .first()
    )


def weekly_cap(profile: StudentProfile | None, day: date) -> WeeklyCap | None:
    """The most hours this student may work in the week of `day`, or None for no weekly cap."""
    if profile is None or not profile.works_part_time_in_term:
        return None
    return cap_in(profile, term_on(profile.school_id, day))


def cap_in(profile: StudentProfile, term: AcademicTerm | None) -> WeeklyCap | None:
    """The cap of a student in term `term` (None: outside term). For lists that read the
    term of many students at once (with the profile's `school`)."""
    if not profile.works_part_time_in_term:
        return None
    status = "CPT" if profile.is_verified_cpt else "OPT"
    if term is not None:
        return WeeklyCap(
            hours=profile.school.weekly_hours_in_term,
            reason=f"during {term.name}, a student on {status} works part time",
        )
    if profile.authorized_schedule == AuthorizedSchedule.FULL_TIME:
        return None
    return WeeklyCap(
        hours=settings.F1_WEEKLY_HOURS_PART_TIME,
        reason=f"outside term, your {status} is part time",
    )

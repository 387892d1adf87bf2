"""Academic terms, the period career services report on.

A term is a date range: spring (January to mid-May), summer (mid-May to mid-August) and
fall (mid-August to December). Its slug, e.g. "2026-fall", is what URLs carry.
"""

import re
from dataclasses import dataclass
from datetime import date

# (name, first day (month, day), last day (month, day))
SEASONS = [
    ("spring", (1, 1), (5, 15)),
    ("summer", (5, 16), (8, 15)),
    ("fall", (8, 16), (12, 31)),
]
SLUG = re.compile(r"^(\d{4})-(spring|summer|fall)$")


@dataclass(frozen=True)
class Term:
    year: int
    season: str
    start: date
    end: date  # inclusive

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.season}"

    @property
    def label(self) -> str:
        return f"{self.season.title()} {self.year}"

    def __str__(self):
        return self.label


def _make(year: int, season: str) -> Term:
    for name, (m1, d1), (m2, d2) in SEASONS:
        if name == season:
            return Term(year, season, date(year, m1, d1), date(year, m2, d2))
    raise ValueError(season)


def term_for(day: date) -> Term:
    for name, (m1, d1), (m2, d2) in SEASONS:
        if date(day.year, m1, d1) <= day <= date(day.year, m2, d2):
            return _make(day.year, name)
    raise AssertionError("the seasons cover the whole year")


def previous(term: Term) -> Term:
    index = [s[0] for s in SEASONS].index(term.season)
    if index == 0:
        return _make(term.year - 1, SEASONS[-1][0])
    return _make(term.year, SEASONS[index - 1][0])


def recent_terms(today: date, count: int = 6) -> list[Term]:
    """The current term first, then the ones before it."""
    terms = [term_for(today)]
    while len(terms) < count:
        terms.append(previous(terms[-1]))
    return terms


def parse_term(slug: str | None) -> Term | None:
    """The term a slug names, or None for anything else (never an error)."""
    match = SLUG.match(slug or "")
    if not match:
        return None
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        return None
    return _make(year, match.group(2))

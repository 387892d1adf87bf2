"""Career services' oversight in the admin: their school's engagements with the integrity
figures, flags to follow up, coaching notes, the employers their students work with, and the
school dashboard. Platform admins see every school."""

from . import common, disclosures, engagements, flags, organizations, work

__all__ = [
    "common",
    "disclosures",
    "engagements",
    "flags",
    "organizations",
    "work",
]

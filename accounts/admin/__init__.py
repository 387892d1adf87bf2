"""Admin for platform admins (everything) and career services staff (their school only)."""

from . import affiliation, records, staff, students, users

__all__ = [
    "affiliation",
    "records",
    "staff",
    "students",
    "users",
]

"""Admin for platform admins (everything) and career services staff (their school only)."""

from . import affiliation, records, sso, staff, students, users

__all__ = [
    "affiliation",
    "records",
    "sso",
    "staff",
    "students",
    "users",
]

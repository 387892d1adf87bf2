"""Every change to accounts, profiles, organizations and staff goes through here.

Each function is one business action: it runs in a transaction, locks the
rows it changes, writes an audit event and sends mail only after commit."""

from .authorizations import work_authorization_reject, work_authorization_verify
from .organizations import organization_reject, organization_verify
from .profiles import (
    OrganizationData,
    StudentProfileData,
    employer_profile_save,
    student_profile_save,
    user_details_update,
)
from .skills import MAX_SKILLS, clean_skill_names, skills_get_or_create
from .staff import (
    CAREER_STAFF_GROUP,
    CAREER_STAFF_PERMISSIONS,
    career_staff_create,
    career_staff_details_update,
    career_staff_group,
    staff_access_request_approve,
    staff_access_request_decline,
    staff_access_request_submit,
)
from .suspensions import organization_reinstate, organization_suspend, user_suspend

__all__ = [
    "CAREER_STAFF_GROUP",
    "CAREER_STAFF_PERMISSIONS",
    "MAX_SKILLS",
    "OrganizationData",
    "StudentProfileData",
    "career_staff_create",
    "career_staff_details_update",
    "career_staff_group",
    "clean_skill_names",
    "employer_profile_save",
    "organization_reinstate",
    "organization_reject",
    "organization_suspend",
    "organization_verify",
    "skills_get_or_create",
    "staff_access_request_approve",
    "staff_access_request_decline",
    "staff_access_request_submit",
    "student_profile_save",
    "user_details_update",
    "user_suspend",
    "work_authorization_reject",
    "work_authorization_verify",
]

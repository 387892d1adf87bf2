"""People, the places they belong to, and what they tell us about themselves.

Invariants live here as database constraints; every change to these rows
goes through accounts.services."""

from .organizations import (
    Organization,
    OrganizationIndustry,
    OrganizationSize,
    OrganizationVerification,
    VerificationCheck,
    VerificationDecision,
    organizations_taking_students,
)
from .profiles import (
    TEAM_MANAGERS,
    CareerStaffProfile,
    EmployerProfile,
    OrganizationInvitation,
    OrganizationJoinRequest,
    StaffAccessRequest,
    TeamRole,
)
from .records import AuditEvent, EmailBounce, Notification, OutboundEmail
from .schools import AcademicTerm, School, SchoolDomain, Skill
from .sso import EDUPERSON_AFFILIATION, SchoolSignOn, SignOnProtocol
from .students import (
    AUTHORIZATIONS_NEEDING_VERIFICATION,
    REVIEWED_AUTHORIZATION_STATUSES,
    Affiliation,
    AffiliationClaim,
    AffiliationMethod,
    AuthorizationStatus,
    AuthorizedSchedule,
    OptKind,
    StudentProfile,
    WorkAuthorization,
    authorization_upload_path,
    resume_upload_path,
)
from .users import Role, User, UserManager

__all__ = [
    "AUTHORIZATIONS_NEEDING_VERIFICATION",
    "EDUPERSON_AFFILIATION",
    "REVIEWED_AUTHORIZATION_STATUSES",
    "TEAM_MANAGERS",
    "AcademicTerm",
    "Affiliation",
    "AffiliationClaim",
    "AffiliationMethod",
    "AuditEvent",
    "AuthorizationStatus",
    "AuthorizedSchedule",
    "CareerStaffProfile",
    "EmailBounce",
    "EmployerProfile",
    "Notification",
    "OptKind",
    "Organization",
    "OrganizationIndustry",
    "OrganizationInvitation",
    "OrganizationJoinRequest",
    "OrganizationSize",
    "OrganizationVerification",
    "OutboundEmail",
    "Role",
    "School",
    "SchoolDomain",
    "SchoolSignOn",
    "SignOnProtocol",
    "Skill",
    "StaffAccessRequest",
    "StudentProfile",
    "TeamRole",
    "User",
    "UserManager",
    "VerificationCheck",
    "VerificationDecision",
    "WorkAuthorization",
    "authorization_upload_path",
    "organizations_taking_students",
    "resume_upload_path",
]

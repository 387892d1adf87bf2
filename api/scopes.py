"""What an API token may do: its scopes, and which holders may have which.

A token belongs to an organization (its employers' projects, applicants and engagements),
to a school (its career services' read-only view of their own students) or to one student
(their own applications, engagements and records, read only). Each endpoint names the scope
it needs; a request signed in with a session (the browsable docs page, a student's own
scripts in the browser) has every scope of the user's kind.
"""

ORGANIZATION, SCHOOL, STUDENT = "organization", "school", "student"

SCOPES = {
    "projects:read": "Read the organization's projects",
    "projects:write": "Create draft projects, publish and close them",
    "applicants:read": "Read the applicants of its projects (blind until shortlisted)",
    "engagements:read": "Read engagements",
    "school:read": "Read the school's students, engagements, evaluations, flags and figures",
    "applications:read": "Read the student's own applications",
    "records:read": "Read the student's own verified records",
}

SCOPES_OF = {
    ORGANIZATION: ("projects:read", "projects:write", "applicants:read", "engagements:read"),
    SCHOOL: ("school:read",),
    STUDENT: ("applications:read", "engagements:read", "records:read"),
}


def choices_for(kind: str) -> list[tuple[str, str]]:
    return [(scope, SCOPES[scope]) for scope in SCOPES_OF[kind]]

"""The people and work the harness's journeys start from, made through the services.

Run inside the cluster's environment (Cluster.python); prints one JSON object.
"""

import json

from tests.factories import (
    PASSWORD,
    EmployerFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)


def world(tag: str) -> dict:
    employer = EmployerFactory(
        user__email=f"employer-{tag}@example.com", organization__verified=True
    ).user
    organization = employer.employer_profile.organization
    project = ProjectFactory(created_by=employer, organization=organization)
    student = StudentFactory(user__email=f"student-{tag}@example.edu").user
    engagement = accepted_engagement(project=project, student=student)
    assert employer_of(project) == employer
    other = StudentFactory(user__email=f"bystander-{tag}@example.edu").user
    locked = StudentFactory(user__email=f"forgetful-{tag}@example.edu").user
    return {
        "password": PASSWORD,
        "employer": employer.email,
        "student": student.email,
        "bystander": other.email,
        "forgetful": locked.email,
        "project": project.pk,
        "engagement": engagement.pk,
    }


def main(tag: str) -> None:
    print(json.dumps(world(tag)))

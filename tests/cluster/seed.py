"""The people and work the harness's journeys start from, made through the services.

Run inside the cluster's environment (Cluster.python); prints one JSON object.
"""

import json
import time

import factory

from tests import factories
from tests.factories import (
    PASSWORD,
    EmployerFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)
from tests.payment_helpers import fund


def _fresh_sequences() -> None:
    """Each run of this module is a new process: its factories' counters start again, and
    unique names (schools, organizations) must not repeat those of an earlier run."""
    start = int(time.time() * 1000) % 10**9
    for value in vars(factories).values():
        if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory):
            value.reset_sequence(start, force=True)


def world(tag: str) -> dict:
    _fresh_sequences()
    employer = EmployerFactory(
        user__email=f"employer-{tag}@example.com", organization__verified=True
    ).user
    organization = employer.employer_profile.organization
    project = ProjectFactory(created_by=employer, organization=organization)
    student = StudentFactory(user__email=f"student-{tag}@example.edu").user
    # Paid for through the (test-mode) payment page: the money is on the ledger.
    engagement = accepted_engagement(project=project, student=student, funded=False)
    fund(engagement)
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


def due_soon(tag: str, count: int, hours: float) -> None:
    """`count` engagements under way, each with its own student, due in `hours` hours."""
    from datetime import timedelta

    from django.utils import timezone

    from engagements.models import Engagement

    _fresh_sequences()
    made = []
    for number in range(count):
        student = StudentFactory(user__email=f"due-{tag}-{number}@example.edu").user
        engagement = accepted_engagement(student=student)
        Engagement.objects.filter(pk=engagement.pk).update(
            due_at=timezone.now() + timedelta(hours=hours)
        )
        made.append(student.email)
    print(json.dumps(made))


def reminders_of(emails: list[str]) -> None:
    """Per address: the deadline reminders stored, their distinct keys, the emails sent."""
    from accounts.models import Notification, OutboundEmail
    from accounts.outbox import message_id

    report = {}
    for email in emails:
        keys = list(
            Notification.objects.filter(recipient__email=email, kind="deadline.soon").values_list(
                "key", flat=True
            )
        )
        sent = OutboundEmail.objects.filter(
            notification__recipient__email=email, notification__kind="deadline.soon"
        )
        report[email] = {
            "notifications": len(keys),
            "keys": len(set(keys)),
            "emails": sent.count(),
            "sent": sent.filter(status=OutboundEmail.Status.SENT).count(),
            "message_ids": sorted(message_id(row) for row in sent),
        }
    print(json.dumps(report))


def store_email(key: str, to: str) -> None:
    """One message through the outbox, as every reminder is sent: its id once committed."""
    from django.core.mail import EmailMessage
    from django.db import transaction

    from accounts.outbox import email_enqueue

    with transaction.atomic():
        row = email_enqueue(
            message=EmailMessage(
                "Reminder: your deliverable is due tomorrow", "Hand it in by 5 pm.", to=[to]
            ),
            key=key,
        )
    print(json.dumps({"id": row.pk}))


def load_world(students: int, employers: int, projects_each: int) -> None:
    """People for a load run: employers with open projects (some applied to, one under way
    each), and students; prints who they are and what each may open."""
    _fresh_sequences()
    out = {"password": PASSWORD, "students": [], "employers": []}
    student_users = [
        StudentFactory(user__email=f"load-student-{n}@example.edu").user for n in range(students)
    ]
    for n in range(employers):
        employer = EmployerFactory(
            user__email=f"load-employer-{n}@example.com", organization__verified=True
        ).user
        organization = employer.employer_profile.organization
        projects = [
            ProjectFactory(created_by=employer, organization=organization, openings=5)
            for _ in range(projects_each)
        ]
        worker = student_users[n % len(student_users)]
        engagement = accepted_engagement(project=projects[0], student=worker)
        out["employers"].append(
            {
                "email": employer.email,
                "projects": [p.pk for p in projects],
                "engagements": [engagement.pk],
            }
        )
    for user in student_users:
        out["students"].append(
            {
                "email": user.email,
                "engagements": list(user.engagements.values_list("pk", flat=True)),
            }
        )
    print(json.dumps(out))

"""Worlds for the academic credit tests: approved work, requests at each step."""

import re

from django.core import mail
from django.utils import timezone

from engagements import services as engagement_services
from outcomes.credit import services
from tests.factories import ProjectFactory, accepted_engagement, approved_engagement
from tests.helpers import run_after_commit

ENTRY_QUARTERS = 8 * 4  # a day's work per time entry


def approved_work(student, *, hours=20):
    """An engagement of `student` the employer approved after `hours` hours of work, logged
    in entries of at most eight hours."""
    project_hours = max(int(hours + 0.99), 5)
    project = ProjectFactory(hours=project_hours, fee_cents=project_hours * 2000)
    engagement = accepted_engagement(project=project, student=student)
    quarters = int(hours * 4)
    while quarters > ENTRY_QUARTERS:
        engagement_services.time_entry_log(
            actor=student,
            engagement=engagement,
            work_date=timezone.localdate(),
            quarters=ENTRY_QUARTERS,
            description="Interviews and notes",
        )
        quarters -= ENTRY_QUARTERS
    return approved_engagement(engagement, quarters=quarters)


def submitted(student, *, hours=20, course_code="BUS 390", term_name="Spring 2027", **extra):
    engagement = approved_work(student, hours=hours)
    request = services.credit_request_submit(
        actor=student, engagement=engagement, course_code=course_code, term_name=term_name, **extra
    )
    run_after_commit()
    return request


def with_faculty(student, staff, *, faculty_email="prof.lee@northbridge.edu", **extra):
    """A request career services sent on to a faculty member; returns it and the token the
    faculty member's email carries."""
    request = submitted(student, **extra)
    mail.outbox.clear()
    services.credit_request_staff_approve(
        actor=staff, request=request, faculty_email=faculty_email, faculty_name="Dana Lee"
    )
    run_after_commit(keep_mail=True)
    request.refresh_from_db()
    return request, faculty_token()


def faculty_token() -> str:
    """The token in the newest faculty review email."""
    for message in reversed(mail.outbox):
        found = re.search(r"/credit/review/([A-Za-z0-9_-]+)/", message.body)
        if found:
            return found.group(1)
    raise AssertionError("No faculty review link was mailed.")

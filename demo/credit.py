"""Demo data for academic credit at Northbridge State University.

Created once, after the projects and the compliance data (which enter Northbridge's current
term): Northbridge counts 15 hours of a micro-internship as a credit and may ask a faculty
member; a student's request for approved work was approved by career services and waits
for the faculty approver, Prof. Elena Ortiz, whose review link the seed command prints.
"""

from accounts.models import AcademicTerm, School, User
from engagements.models import Engagement, EngagementStatus
from outcomes.credit import services
from outcomes.credit.models import CreditRequest

FACULTY_EMAIL = "elena.ortiz@northbridge.edu"
FACULTY_NAME = "Prof. Elena Ortiz"


def seed_credit() -> str | None:
    """The faculty approver's review address if the demo request was created now, else None."""
    staff = User.objects.filter(email="staff@demo.test").first()
    school = School.objects.filter(short_name="NSU").first()
    if staff is None or school is None or CreditRequest.objects.filter(school=school).exists():
        return None
    engagement = (
        Engagement.objects.filter(
            school=school,
            status__in=(EngagementStatus.APPROVED, EngagementStatus.PAID),
            logged_quarters__gte=4 * 2,
        )
        .select_related("student")
        .order_by("pk")
        .first()
    )
    if engagement is None:
        return None
    services.credit_policy_save(
        actor=staff,
        school=school,
        hours_per_credit=15,
        faculty_approval="optional",
        default_faculty_email=FACULTY_EMAIL,
    )
    term = AcademicTerm.objects.filter(school=school).order_by("-starts_on").first()
    request = services.credit_request_submit(
        actor=engagement.student,
        engagement=engagement,
        course_code="BUS 390",
        term_id=term.pk if term else None,
        term_name="" if term else "Spring 2027",
        student_number="N-204117",
    )
    services.credit_request_staff_approve(
        actor=staff,
        request=request,
        comment="The hours and the evaluation support it; over to the course instructor.",
        faculty_email=FACULTY_EMAIL,
        faculty_name=FACULTY_NAME,
    )
    # A second link, so the command can print one (the first left only by email).
    return services.credit_faculty_link_renew(actor=staff, request=request).review_url

"""Academic credit: a student asks for credit for approved work, career services approve
(alone or with a faculty member) or return it, the student changes and resends or withdraws;
every step is recorded, told to the right people and shown on the student's record."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import AcademicTerm, AuditEvent, Notification
from engagements.models import EngagementStatus
from outcomes.credit import services
from outcomes.credit.models import CreditPolicy, CreditRequest, CreditStatus, FacultyReviewLink
from tests.credit_helpers import approved_work, submitted, with_faculty
from tests.factories import CareerStaffFactory, accepted_engagement
from tests.helpers import run_after_commit

pytestmark = pytest.mark.django_db


def test_a_student_asks_for_credit_and_career_services_are_told(student, career_staff):
    engagement = approved_work(student, hours=22.5)

    request = services.credit_request_submit(
        actor=student, engagement=engagement, course_code=" bus  390 ", term_name="Spring 2027"
    )
    run_after_commit(keep_mail=True)

    assert request.status == CreditStatus.SUBMITTED
    assert request.course_code == "BUS 390"
    assert request.quarters == 90
    assert request.credits == "0.5"  # 22.5 hours at 45 hours a credit
    assert [s.decision for s in request.steps.all()] == ["submitted"]
    assert Notification.objects.filter(recipient=career_staff, kind="credit").exists()
    assert [m.to for m in mail.outbox] == [[career_staff.email]]
    assert AuditEvent.objects.filter(action="credit.submitted", school_id=request.school_id)


def test_credits_follow_the_schools_rate_and_round_down_to_a_tenth(student, school):
    CreditPolicy.objects.create(school=school, hours_per_credit=10)

    request = submitted(student, hours=29.75)

    assert request.hours_per_credit == 10
    assert request.credits_tenths == 29
    assert request.credits_label == "2.9 credits"


def test_too_few_hours_for_a_tenth_of_a_credit_are_refused(student):
    engagement = approved_work(student, hours=4)

    with pytest.raises(ValidationError) as refused:
        services.credit_request_submit(
            actor=student, engagement=engagement, course_code="BUS 390", term_name="Fall 2026"
        )

    assert "less than a tenth of a credit" in refused.value.messages[0]
    assert not CreditRequest.objects.exists()


def test_credit_waits_until_the_employer_approves_the_work(student):
    engagement = accepted_engagement(student=student)
    assert engagement.status == EngagementStatus.ACTIVE

    with pytest.raises(ValidationError, match="once the employer has approved"):
        services.credit_request_submit(
            actor=student, engagement=engagement, course_code="BUS 390", term_name="Fall 2026"
        )


def test_only_the_engagements_student_asks_for_its_credit(student, other_student):
    engagement = approved_work(student)

    with pytest.raises(PermissionDenied):
        services.credit_request_submit(
            actor=other_student, engagement=engagement, course_code="BUS 390", term_name="Fall"
        )


def test_a_second_request_for_the_same_work_is_refused(student):
    request = submitted(student)

    with pytest.raises(ValidationError, match="already asked"):
        services.credit_request_submit(
            actor=student,
            engagement=request.engagement,
            course_code="ECON 200",
            term_name="Fall 2027",
        )


def test_the_database_keeps_one_open_request_per_engagement(student):
    request = submitted(student)
    copy = CreditRequest.objects.get(pk=request.pk)
    copy.pk = None

    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_the_database_refuses_zero_hours_and_a_lowercase_course(student):
    request = submitted(student)
    for change in ({"quarters": 0}, {"course_code": "bus 390"}, {"credits_tenths": 0}):
        with pytest.raises(IntegrityError), transaction.atomic():
            CreditRequest.objects.filter(pk=request.pk).update(**change)


@pytest.mark.parametrize(
    ("code", "field"),
    [
        ("", "course_code"),
        ("Business", "course_code"),
        ("=1+1", "course_code"),
        ("B 1", "course_code"),
    ],
)
def test_a_malformed_course_code_is_refused_beside_the_field(student, code, field):
    engagement = approved_work(student)

    with pytest.raises(ValidationError) as refused:
        services.credit_request_submit(
            actor=student, engagement=engagement, course_code=code, term_name="Fall 2026"
        )

    assert "e.g. BUS 390" in refused.value.message_dict[field][0]


def test_a_school_with_a_calendar_has_the_student_choose_one_of_its_terms(
    student, school, other_school
):
    fall = AcademicTerm.objects.create(
        school=school, name="Fall 2026", starts_on="2026-09-01", ends_on="2026-12-15"
    )
    elsewhere = AcademicTerm.objects.create(
        school=other_school, name="Fall 2026", starts_on="2026-09-01", ends_on="2026-12-15"
    )
    engagement = approved_work(student)

    with pytest.raises(ValidationError) as refused:
        services.credit_request_submit(
            actor=student, engagement=engagement, course_code="BUS 390", term_id=elsewhere.pk
        )
    assert "Choose the term" in refused.value.message_dict["term"][0]

    request = services.credit_request_submit(
        actor=student, engagement=engagement, course_code="BUS 390", term_id=fall.pk
    )
    assert (request.term, request.term_name) == (fall, "Fall 2026")


def test_career_services_approve_alone_and_the_credit_reaches_the_students_record(
    client, student, career_staff
):
    request = submitted(student)

    services.credit_request_staff_approve(actor=career_staff, request=request, comment="Fine.")
    run_after_commit(keep_mail=True)

    request.refresh_from_db()
    assert request.status == CreditStatus.APPROVED
    assert request.approved_at is not None
    assert mail.outbox[-1].to == [student.email]
    assert "approved 0.4 credits" in mail.outbox[-1].body
    client.force_login(student)
    record = request.engagement.verified_experience
    page = client.get(reverse("outcomes:experience", args=[record.pk])).content.decode()
    assert "0.4 credits</strong>, BUS 390, Spring 2027, approved by " + request.school.name in page


def test_approving_twice_records_one_step(student, career_staff):
    request = submitted(student)

    services.credit_request_staff_approve(actor=career_staff, request=request)
    services.credit_request_staff_approve(actor=career_staff, request=request)

    assert request.steps.filter(role="career_staff").count() == 1


def test_naming_a_faculty_member_sends_them_a_link_and_stores_only_its_hash(student, career_staff):
    request, token = with_faculty(student, career_staff)

    assert request.status == CreditStatus.WITH_FACULTY
    assert request.faculty_email == "prof.lee@northbridge.edu"
    faculty_mail = [m for m in mail.outbox if m.to == ["prof.lee@northbridge.edu"]]
    assert len(faculty_mail) == 1
    assert "You need no account" in faculty_mail[0].body
    link = FacultyReviewLink.objects.get(request=request)
    assert token not in link.token_hash
    assert not FacultyReviewLink.objects.filter(token_hash=token).exists()
    assert len(link.token_hash) == 64


def test_a_policy_requiring_faculty_refuses_an_approval_without_one(student, school, career_staff):
    CreditPolicy.objects.create(
        school=school, faculty_approval="required", default_faculty_email="dean@example.edu"
    )
    request = submitted(student)

    with pytest.raises(ValidationError) as refused:
        services.credit_request_staff_approve(actor=career_staff, request=request)

    assert "faculty member's approval" in refused.value.message_dict["faculty_email"][0]
    request.refresh_from_db()
    assert request.status == CreditStatus.SUBMITTED
    assert not request.steps.filter(role="career_staff").exists()


def test_a_policy_without_faculty_refuses_naming_one(student, school, career_staff):
    CreditPolicy.objects.create(school=school, faculty_approval="none")
    request = submitted(student)

    with pytest.raises(ValidationError) as refused:
        services.credit_request_staff_approve(
            actor=career_staff, request=request, faculty_email="prof@example.edu"
        )

    assert "decide alone" in refused.value.message_dict["faculty_email"][0]


def test_another_schools_staff_cannot_decide(student, other_school_staff):
    request = submitted(student)

    with pytest.raises(PermissionDenied):
        services.credit_request_staff_approve(actor=other_school_staff, request=request)
    with pytest.raises(PermissionDenied):
        services.credit_request_staff_return(
            actor=other_school_staff, request=request, comment="No."
        )


def test_a_return_needs_a_comment(student, career_staff):
    request = submitted(student)

    with pytest.raises(ValidationError) as refused:
        services.credit_request_staff_return(actor=career_staff, request=request, comment="  ")

    assert refused.value.message_dict["comment"] == ["Tell the student what to change."]


def test_returned_the_student_edits_and_resends_with_hours_read_afresh(
    student, career_staff, school
):
    request = submitted(student)
    services.credit_request_staff_return(
        actor=career_staff, request=request, comment="The course is BUS 391."
    )
    run_after_commit(keep_mail=True)
    assert "returned your credit request" in mail.outbox[-1].body
    CreditPolicy.objects.create(school=school, hours_per_credit=20)

    request.refresh_from_db()
    services.credit_request_resubmit(
        actor=student, request=request, course_code="bus-391", term_name="Spring 2027"
    )

    request.refresh_from_db()
    assert request.status == CreditStatus.SUBMITTED
    assert request.course_code == "BUS-391"
    assert request.credits == "1"
    assert [s.decision for s in request.steps.all()] == ["submitted", "returned", "submitted"]
    assert request.steps.get(decision="returned").comment == "The course is BUS 391."


def test_only_a_returned_request_can_be_resent(student):
    request = submitted(student)

    with pytest.raises(ValidationError, match="Only a request returned"):
        services.credit_request_resubmit(actor=student, request=request, course_code="BUS 390")


def test_returning_a_request_with_faculty_revokes_the_link_and_tells_them(
    client, student, career_staff
):
    request, token = with_faculty(student, career_staff)
    mail.outbox.clear()

    services.credit_request_staff_return(actor=career_staff, request=request, comment="Wrong term.")
    run_after_commit(keep_mail=True)

    assert FacultyReviewLink.objects.get(request=request).revoked_at is not None
    assert ["prof.lee@northbridge.edu"] in [m.to for m in mail.outbox]
    assert client.get(reverse("outcomes:credit_faculty", args=[token])).status_code == 410


def test_the_student_withdraws_and_may_ask_again(student, career_staff):
    request, _token = with_faculty(student, career_staff)

    services.credit_request_withdraw(actor=student, request=request)
    services.credit_request_withdraw(actor=student, request=request)

    request.refresh_from_db()
    assert request.status == CreditStatus.WITHDRAWN
    assert request.steps.filter(decision="withdrawn").count() == 1
    assert FacultyReviewLink.objects.get(request=request).revoked_at is not None
    again = services.credit_request_submit(
        actor=student, engagement=request.engagement, course_code="BUS 390", term_name="Fall 27"
    )
    assert again.pk != request.pk


def test_an_approved_request_cannot_be_withdrawn(student, career_staff):
    request = submitted(student)
    services.credit_request_staff_approve(actor=career_staff, request=request)

    with pytest.raises(ValidationError, match="stays on your record"):
        services.credit_request_withdraw(actor=student, request=request)


def test_career_staff_of_the_school_are_each_told_of_a_new_request(student, school):
    staff = [CareerStaffFactory(school=school).user for _ in range(2)]
    elsewhere = CareerStaffFactory().user

    submitted(student)

    told = set(Notification.objects.filter(kind="credit").values_list("recipient", flat=True))
    assert told == {s.pk for s in staff}
    assert elsewhere.pk not in told


# --- The policy --------------------------------------------------------------------------


def test_career_services_set_their_schools_policy_and_it_is_audited(school, career_staff):
    services.credit_policy_save(
        actor=career_staff, school=school, hours_per_credit=40, faculty_approval="optional"
    )

    policy = CreditPolicy.objects.get(school=school)
    assert policy.hours_per_credit == 40
    assert AuditEvent.objects.filter(action="credit_policy.changed", school_id=school.pk).exists()


@pytest.mark.parametrize("hours", [0, -3, 201])
def test_a_policy_with_hours_out_of_range_is_refused(school, career_staff, hours):
    with pytest.raises(ValidationError) as refused:
        services.credit_policy_save(
            actor=career_staff, school=school, hours_per_credit=hours, faculty_approval="none"
        )

    assert "between 1 and 200" in refused.value.message_dict["hours_per_credit"][0]
    assert not CreditPolicy.objects.exists()


def test_the_database_refuses_a_policy_of_zero_hours(school):
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditPolicy.objects.create(school=school, hours_per_credit=0)


def test_another_schools_staff_cannot_set_the_policy(school, other_school_staff):
    with pytest.raises(PermissionDenied):
        services.credit_policy_save(
            actor=other_school_staff, school=school, hours_per_credit=30, faculty_approval="none"
        )

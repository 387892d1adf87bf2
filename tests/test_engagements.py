"""The engagement workspace: funding, time, deliverables, review, messages, cancel, scope."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from engagements import services as engagements
from engagements.models import Engagement, Message, ScopeExtension, Submission, TimeEntry
from payments import services as payments
from tests.factories import (
    AdminFactory,
    CareerStaffFactory,
    EmployerFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% deliverable\n"


def log(engagement, quarters, *, day=None, description="Worked on the analysis"):
    return engagements.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=day or timezone.localdate(),
        quarters=quarters,
        description=description,
    )


def submit(engagement, note="Here it is", links=("https://example.com/report",), files=()):
    return engagements.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagements.SubmissionData(note=note, links=list(links), files=list(files)),
    )


# --- Funding ---------------------------------------------------------------------------------


def test_the_employer_funds_and_the_student_is_told_work_can_start(client, on_commit):
    engagement = accepted_engagement(funded=False)
    client.force_login(employer_of(engagement.project))

    started = client.post(reverse("payments:start_funding", args=[engagement.pk]))
    payment = engagement.payments.get()
    assert started.url == reverse("payments:pay", args=[payment.pk])
    with on_commit():
        client.post(reverse("payments:test_complete", args=[payment.pk]), {"outcome": "pay"})

    engagement.refresh_from_db()
    assert engagement.status == "active" and engagement.funded_at
    assert mail.outbox[-1].to == [engagement.student.email]
    assert "funded" in mail.outbox[-1].subject


def test_only_the_employer_funds(client):
    engagement = accepted_engagement(funded=False)
    client.force_login(engagement.student)

    response = client.post(reverse("payments:start_funding", args=[engagement.pk]))

    assert response.status_code == 403
    engagement.refresh_from_db()
    assert engagement.status == "awaiting_funding"


# --- Time ------------------------------------------------------------------------------------


def test_the_student_logs_quarter_hours_and_sees_progress(client):
    engagement = accepted_engagement(project=ProjectFactory(hours=10, fee_cents=20000))
    client.force_login(engagement.student)

    response = client.post(
        reverse("engagements:log_time", args=[engagement.pk]),
        {"work_date": timezone.localdate().isoformat(), "hours": "2.75", "description": "Draft"},
    )

    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.logged_quarters == 11
    page = client.get(reverse("engagements:workspace", args=[engagement.pk])).content.decode()
    assert "2.75 of 10 logged" in page
    assert 'aria-valuenow="28"' in page


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("1.1", "quarter hours"),
        ("0", "Ensure this value is greater than or equal to 0.25"),
        ("abc", "Enter a number"),
        ("13", "At most 12 hours"),
    ],
)
def test_bad_hours_are_refused_on_the_form(client, hours, message):
    engagement = accepted_engagement()
    client.force_login(engagement.student)

    response = client.post(
        reverse("engagements:log_time", args=[engagement.pk]),
        {"work_date": timezone.localdate().isoformat(), "hours": hours, "description": "Work"},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_the_total_can_never_pass_the_cap():
    engagement = accepted_engagement(project=ProjectFactory(hours=5, fee_cents=10000))
    log(engagement, 19)

    with pytest.raises(ValidationError, match=r"would pass the 5-hour cap: 0\.25 hours are left"):
        log(engagement, 2)
    log(engagement, 1)
    engagement.refresh_from_db()
    assert engagement.logged_quarters == engagement.cap_quarters == 20
    with pytest.raises(IntegrityError), transaction.atomic():
        Engagement.objects.filter(pk=engagement.pk).update(logged_quarters=21)


def test_time_cannot_be_logged_on_a_future_date_or_before_the_start():
    engagement = accepted_engagement()

    with pytest.raises(ValidationError, match="today or earlier"):
        log(engagement, 4, day=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="before the engagement started"):
        log(engagement, 4, day=timezone.localdate() - timedelta(days=30))
    assert not TimeEntry.objects.exists()


def test_time_cannot_be_logged_before_funding_or_after_approval():
    waiting = accepted_engagement(funded=False)
    with pytest.raises(ValidationError, match="funded"):
        log(waiting, 4)

    engagement = accepted_engagement()
    log(engagement, 4)
    submit(engagement)
    engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)
    with pytest.raises(ValidationError, match="approved"):
        log(engagement, 4)


def test_only_the_engagements_student_logs_time(client, other_student):
    engagement = accepted_engagement()
    client.force_login(other_student)

    response = client.post(
        reverse("engagements:log_time", args=[engagement.pk]),
        {"work_date": timezone.localdate().isoformat(), "hours": "1", "description": "x"},
    )

    assert response.status_code == 404
    client.force_login(employer_of(engagement.project))
    response = client.post(
        reverse("engagements:log_time", args=[engagement.pk]),
        {"work_date": timezone.localdate().isoformat(), "hours": "1", "description": "x"},
    )
    assert response.status_code == 403
    assert not TimeEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_logs_at_once_cannot_together_pass_the_cap():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks are tested on PostgreSQL.")
    engagement = accepted_engagement(project=ProjectFactory(hours=10, fee_cents=20000))
    log(engagement, 20)  # 5 of 10 hours used: two more logs of 4 hours cannot both fit
    barrier = threading.Barrier(2)
    outcomes = []

    def worker():
        try:
            barrier.wait(timeout=10)
            log(Engagement.objects.get(pk=engagement.pk), 16)
            outcomes.append("logged")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    engagement.refresh_from_db()
    assert sorted(outcomes) == ["logged", "refused"]
    assert engagement.logged_quarters == 36
    assert (
        sum(TimeEntry.objects.filter(engagement=engagement).values_list("quarters", flat=True))
        == 36
    )


# --- Deliverables and review -------------------------------------------------------------------


def test_the_student_submits_files_and_links_and_the_employer_is_told(client, on_commit):
    engagement = accepted_engagement()
    client.force_login(engagement.student)

    with on_commit():
        response = client.post(
            reverse("engagements:submit_work", args=[engagement.pk]),
            {
                "note": "Report and data attached.",
                "links": "https://example.com/slides",
                "files": [
                    SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
                    SimpleUploadedFile("data.csv", b"store,score\nA,4\n", content_type="text/csv"),
                ],
            },
        )

    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == "submitted"
    submission = Submission.objects.get(engagement=engagement)
    assert sorted(f.original_name for f in submission.files.all()) == ["data.csv", "report.pdf"]
    assert submission.link_list == ["https://example.com/slides"]
    assert mail.outbox[-1].to == [employer_of(engagement.project).email]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "not an accepted type"),
        ("report.pdf", b"PK\x03\x04 not a pdf", "does not look like a PDF"),
        ("notes.txt", b"binary\x00data", "not a text file"),
        ("empty.docx", b"", "is empty"),
    ],
)
def test_deliverables_of_the_wrong_type_are_refused(client, name, content, message):
    engagement = accepted_engagement()
    client.force_login(engagement.student)

    response = client.post(
        reverse("engagements:submit_work", args=[engagement.pk]),
        {"note": "Here", "files": [SimpleUploadedFile(name, content)]},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_a_deliverable_over_25_mb_is_refused(client, settings):
    settings.DELIVERABLE_MAX_BYTES = 1024
    engagement = accepted_engagement()
    client.force_login(engagement.student)

    response = client.post(
        reverse("engagements:submit_work", args=[engagement.pk]),
        {"note": "Here", "files": [SimpleUploadedFile("big.pdf", PDF + b"0" * 1100)]},
    )

    assert response.status_code == 400
    assert "each file can be at most 1.0\xa0KB" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_submission_needs_a_file_or_a_link(client):
    engagement = accepted_engagement()
    client.force_login(engagement.student)

    response = client.post(
        reverse("engagements:submit_work", args=[engagement.pk]), {"note": "Nothing attached"}
    )

    assert response.status_code == 400
    assert "Attach at least one file or link" in response.content.decode()


def test_revision_then_resubmission_then_approval(client, on_commit):
    engagement = accepted_engagement()
    employer = employer_of(engagement.project)
    log(engagement, 8)
    submit(engagement)
    client.force_login(employer)

    refused = client.post(
        reverse("engagements:review", args=[engagement.pk]), {"decision": "revise", "comment": ""}
    )
    assert refused.status_code == 400
    assert "Say what should change" in refused.content.decode()
    with on_commit():
        client.post(
            reverse("engagements:review", args=[engagement.pk]),
            {"decision": "revise", "comment": "Please add the Q3 numbers."},
        )
    engagement.refresh_from_db()
    assert engagement.status == "revision_requested"
    assert "Q3 numbers" in mail.outbox[-1].body

    log(engagement, 2)
    submit(engagement, note="Now with Q3")
    engagement.refresh_from_db()
    assert engagement.status == "submitted"
    with on_commit():
        client.post(
            reverse("engagements:review", args=[engagement.pk]),
            {"decision": "approve", "comment": "Great work."},
        )
    engagement.refresh_from_db()
    assert engagement.status == "approved" and engagement.approved_at
    assert list(engagement.submissions.values_list("decision", flat=True)) == [
        "approved",
        "revision",
    ]
    with pytest.raises(ValidationError):
        submit(engagement, note="One more thing")


def test_approval_is_idempotent_and_only_for_submitted_work():
    engagement = accepted_engagement()
    employer = employer_of(engagement.project)
    with pytest.raises(ValidationError, match="Only submitted work"):
        engagements.submission_approve(actor=employer, engagement=engagement)
    submit(engagement)
    engagements.submission_approve(actor=employer, engagement=engagement)
    engagements.submission_approve(actor=employer, engagement=engagement)

    assert Notification.objects.filter(kind="engagement.approved").count() == 1
    assert engagement.events.filter(kind="approved").count() == 1


def test_the_student_cannot_approve_their_own_work(client):
    engagement = accepted_engagement()
    submit(engagement)
    client.force_login(engagement.student)

    response = client.post(
        reverse("engagements:review", args=[engagement.pk]), {"decision": "approve"}
    )

    assert response.status_code == 403
    engagement.refresh_from_db()
    assert engagement.status == "submitted"


# --- Messages --------------------------------------------------------------------------------


def test_messages_go_between_student_and_employer_and_notify_once(client, on_commit):
    engagement = accepted_engagement()
    employer = employer_of(engagement.project)
    client.force_login(engagement.student)

    with on_commit():
        client.post(
            reverse("engagements:post_message", args=[engagement.pk]), {"body": "A quick question"}
        )

    assert Message.objects.get().body == "A quick question"
    assert [m.to for m in mail.outbox] == [[employer.email]]
    assert Notification.objects.filter(recipient=employer, kind="engagement.message").count() == 1
    client.force_login(employer)
    assert (
        b"A quick question"
        in client.get(reverse("engagements:workspace", args=[engagement.pk])).content
    )


def test_an_empty_message_is_refused(client):
    engagement = accepted_engagement()
    client.force_login(engagement.student)

    response = client.post(reverse("engagements:post_message", args=[engagement.pk]), {"body": " "})

    assert response.status_code == 400
    assert not Message.objects.exists()


def test_career_staff_see_that_messages_exist_but_not_their_text_until_a_dispute(client, school):
    engagement = accepted_engagement(student=StudentFactory(school=school).user)
    engagements.message_post(actor=engagement.student, engagement=engagement, body="Private words")
    staff = CareerStaffFactory(school=school).user
    client.force_login(staff)
    url = reverse("engagements:workspace", args=[engagement.pk])

    page = client.get(url).content.decode()
    assert "1 message between the student and the employer" in page
    assert "Private words" not in page

    log(engagement, 4)
    engagements.engagement_request_cancel(
        actor=engagement.student, engagement=engagement, reason="Not what was described"
    )
    assert "Private words" in client.get(url).content.decode()
    with pytest.raises(Exception, match="Only the student and the employer"):
        engagements.message_post(actor=staff, engagement=engagement, body="Hello")


# --- Cancellation ----------------------------------------------------------------------------


def test_cancelling_before_any_hours_is_immediate(client, on_commit):
    engagement = accepted_engagement()
    client.force_login(engagement.student)

    with on_commit():
        client.post(
            reverse("engagements:cancel_engagement", args=[engagement.pk]),
            {"reason": "I got sick"},
        )

    engagement.refresh_from_db()
    assert engagement.status == "cancelled" and engagement.cancelled_at
    assert mail.outbox[-1].to == [employer_of(engagement.project).email]


def test_cancelling_after_hours_were_logged_opens_a_dispute_for_the_admins(on_commit):
    admin = AdminFactory()
    engagement = accepted_engagement()
    log(engagement, 6)

    with on_commit():
        engagements.engagement_request_cancel(
            actor=employer_of(engagement.project), engagement=engagement, reason="Too slow"
        )

    engagement.refresh_from_db()
    assert engagement.status == "disputed" and engagement.disputed_at
    recipients = sorted(m.to[0] for m in mail.outbox if "settle" in m.subject)
    assert recipients == sorted([admin.email, engagement.student.email])


def test_cancelling_needs_a_reason_and_is_refused_after_approval():
    engagement = accepted_engagement()
    with pytest.raises(ValidationError):
        engagements.engagement_request_cancel(
            actor=engagement.student, engagement=engagement, reason=""
        )
    submit(engagement)
    engagements.submission_approve(actor=employer_of(engagement.project), engagement=engagement)
    with pytest.raises(ValidationError, match="approved engagement cannot be cancelled"):
        engagements.engagement_request_cancel(
            actor=engagement.student, engagement=engagement, reason="Changed my mind"
        )


# --- Scope extensions ------------------------------------------------------------------------


def propose(engagement, extra_quarters=20, extra_fee_cents=10000, extra_days=3):
    return engagements.extension_propose(
        actor=employer_of(engagement.project),
        engagement=engagement,
        extra_quarters=extra_quarters,
        extra_fee_cents=extra_fee_cents,
        extra_days=extra_days,
        reason="Add two more stores",
    )


def test_an_accepted_extension_raises_cap_fee_and_due_date():
    engagement = accepted_engagement(project=ProjectFactory(hours=20, fee_cents=40000))
    due = engagement.due_at
    extension = propose(engagement)

    engagements.extension_decide(actor=engagement.student, extension=extension, accept=True)
    engagement.refresh_from_db()
    assert engagement.cap_quarters == 80, "nothing changes until the employer pays for it"
    employer = employer_of(engagement.project)
    payment = payments.payment_start(actor=employer, engagement=engagement, extension=extension)
    assert (payment.fee_cents, payment.platform_fee_cents) == (10000, 1000)
    payments.local_payment_complete(actor=employer, payment=payment, succeed=True)

    engagement.refresh_from_db()
    extension.refresh_from_db()
    assert extension.status == "applied"
    assert (engagement.cap_quarters, engagement.fee_cents) == (100, 50000)
    assert engagement.due_at == due + timedelta(days=3)
    for _ in range(2):
        log(engagement, 45)
    assert engagement.cap_quarters - 90 == 10


def test_an_extension_keeps_the_rate_and_never_passes_40_hours():
    engagement = accepted_engagement(project=ProjectFactory(hours=36, fee_cents=72000))
    with pytest.raises(ValidationError, match="at most 4 more hours"):
        propose(engagement, extra_quarters=20, extra_fee_cents=10000)
    with pytest.raises(ValidationError, match=r"at least \$15\.00 an hour"):
        propose(engagement, extra_quarters=16, extra_fee_cents=5999)
    propose(engagement, extra_quarters=16, extra_fee_cents=6000)
    with pytest.raises(ValidationError, match="already waiting"):
        propose(engagement, extra_quarters=4, extra_fee_cents=1500)
    assert ScopeExtension.objects.count() == 1


def test_a_declined_extension_changes_nothing():
    engagement = accepted_engagement()
    extension = propose(engagement)

    engagements.extension_decide(actor=engagement.student, extension=extension, accept=False)

    engagement.refresh_from_db()
    extension.refresh_from_db()
    assert extension.status == "declined"
    assert engagement.cap_quarters == 80
    with pytest.raises(Exception, match="Only the student"):
        engagements.extension_decide(
            actor=employer_of(engagement.project), extension=extension, accept=True
        )


# --- Who may see the workspace ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("the_student", True),
        ("the_employer", True),
        ("colleague", True),
        ("school_staff", True),
        ("platform_admin", True),
        ("other_student", False),
        ("other_employer", False),
        ("other_school_staff", False),
    ],
)
def test_the_workspace_opens_only_for_its_people(client, request, school, who, allowed):
    engagement = accepted_engagement(student=StudentFactory(school=school).user)
    engagements.message_post(actor=engagement.student, engagement=engagement, body="Hi there")
    people = {
        "the_student": lambda: engagement.student,
        "the_employer": lambda: employer_of(engagement.project),
        "colleague": lambda: EmployerFactory(organization=engagement.organization).user,
        "school_staff": lambda: CareerStaffFactory(school=school).user,
    }
    user = people[who]() if who in people else request.getfixturevalue(who)
    client.force_login(user)

    response = client.get(reverse("engagements:workspace", args=[engagement.pk]))

    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
        assert engagement.project.title.encode() not in response.content


def test_anonymous_visitors_never_see_a_workspace_or_a_file(client):
    engagement = accepted_engagement()
    submission = submit(
        engagement, files=[SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf")]
    )

    assert client.get(reverse("engagements:workspace", args=[engagement.pk])).status_code == 404
    file_id = submission.files.get().pk
    assert client.get(reverse("engagements:download_file", args=[file_id])).status_code == 404


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("the_student", True),
        ("the_employer", True),
        ("other_student", False),
        ("other_employer", False),
        ("other_school_staff", False),
    ],
)
def test_deliverable_files_download_only_for_the_workspace_people(client, request, who, allowed):
    engagement = accepted_engagement()
    submission = submit(
        engagement, files=[SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf")]
    )
    user = {
        "the_student": engagement.student,
        "the_employer": employer_of(engagement.project),
    }.get(who) or request.getfixturevalue(who)
    client.force_login(user)

    response = client.get(reverse("engagements:download_file", args=[submission.files.get().pk]))

    if allowed:
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == PDF
    else:
        assert response.status_code == 404


def test_the_workspace_runs_the_same_queries_with_few_or_many_rows(client):
    engagement = accepted_engagement(project=ProjectFactory(hours=30, fee_cents=60000))
    employer = employer_of(engagement.project)
    client.force_login(employer)
    url = reverse("engagements:workspace", args=[engagement.pk])

    log(engagement, 1)
    engagements.message_post(actor=employer, engagement=engagement, body="One")
    submit(engagement, files=[SimpleUploadedFile("a.pdf", PDF)])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    engagements.submission_request_revision(actor=employer, engagement=engagement, comment="More")
    for i in range(10):
        log(engagement, 2, description=f"Step {i}")
        engagements.message_post(actor=engagement.student, engagement=engagement, body=f"M{i}")
    submit(engagement, files=[SimpleUploadedFile("b.pdf", PDF), SimpleUploadedFile("c.pdf", PDF)])
    propose(engagement, extra_quarters=4, extra_fee_cents=1500)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert len(response.context["ws"].submissions) == 2
    assert len(many) == len(few)

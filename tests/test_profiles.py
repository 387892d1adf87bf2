import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    AuditEvent,
    AuthorizationStatus,
    EmployerProfile,
    Organization,
    Role,
    StudentProfile,
    WorkAuthorization,
)
from tests.factories import (
    AdminFactory,
    CareerStaffFactory,
    EmployerFactory,
    SchoolFactory,
    SkillFactory,
    StudentFactory,
    UserFactory,
)
from tests.files import VALID_PDF

pytestmark = pytest.mark.django_db

PDF = VALID_PDF


def pdf(name="resume.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def student_form(school, /, **overrides):
    data = {
        "account-first_name": "Maya",
        "account-last_name": "Chen",
        "account-time_zone": "America/Chicago",
        "school": school.pk,
        "major": "Computer Science",
        "graduation_year": timezone.now().year + 2,
        "skills": [],
        "other_skills": "Python, Data analysis",
        "bio": "I build small tools.",
        "linkedin_url": "https://www.linkedin.com/in/maya-chen",
        "github_url": "",
        "portfolio_url": "",
        "work_authorization": WorkAuthorization.US_AUTHORIZED,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def new_student(db):
    return UserFactory(role=Role.STUDENT)


def test_a_student_completes_the_profile_with_a_pdf_resume(client, new_student, school):
    existing = SkillFactory(name="Copywriting", slug="copywriting")
    client.force_login(new_student)

    response = client.post(
        reverse("profile"),
        student_form(
            school, skills=[existing.pk], other_skills="python, Data Analysis", resume=pdf()
        ),
    )

    assert response.status_code == 302
    assert response.url == reverse("student_dashboard")
    profile = StudentProfile.objects.get(user=new_student)
    assert profile.school == school
    assert profile.major == "Computer Science"
    assert sorted(s.name for s in profile.skills.all()) == [
        "Copywriting",
        "Data Analysis",
        "python",
    ]
    assert profile.resume_filename == "resume.pdf"
    assert profile.resume.read().startswith(b"%PDF-")
    new_student.refresh_from_db()
    assert new_student.time_zone == "America/Chicago"
    dashboard = client.get(reverse("student_dashboard"))
    assert b"Computer Science" in dashboard.content
    assert b"resume.pdf" in dashboard.content


def test_new_skills_match_existing_ones_ignoring_case(client, new_student, school):
    SkillFactory(name="Python", slug="python")
    client.force_login(new_student)

    client.post(reverse("profile"), student_form(school, other_skills="PYTHON, python "))

    profile = StudentProfile.objects.get(user=new_student)
    assert [s.name for s in profile.skills.all()] == ["Python"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf(name="resume.docx", content=b"PK\x03\x04 word"), "PDF file (.pdf)"),
        (pdf(name="resume.pdf", content=b"\x89PNG\r\n not a pdf"), "not a valid PDF"),
        (pdf(name="photo.pdf", content=PDF, content_type="image/png"), "PDF file (.pdf)"),
        (pdf(name="empty.pdf", content=b""), "empty"),
    ],
)
def test_a_resume_that_is_not_a_pdf_is_refused_and_nothing_is_saved(
    client, new_student, school, upload, message
):
    client.force_login(new_student)

    response = client.post(reverse("profile"), student_form(school, resume=upload))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["resume"])
    assert message.encode() in response.content
    assert not StudentProfile.objects.filter(user=new_student).exists()


def test_a_resume_over_5_mb_is_refused(client, new_student, school):
    client.force_login(new_student)
    big = pdf(content=PDF + b"0" * (5 * 1024 * 1024 + 1 - len(PDF)))

    response = client.post(reverse("profile"), student_form(school, resume=big))

    assert response.status_code == 200
    assert "at most 5.0\xa0MB" in " ".join(response.context["form"].errors["resume"])
    assert not StudentProfile.objects.filter(user=new_student).exists()


def test_a_resume_of_exactly_5_mb_is_accepted(client, new_student, school):
    client.force_login(new_student)
    limit = pdf(content=PDF + b"0" * (5 * 1024 * 1024 - len(PDF)))

    response = client.post(reverse("profile"), student_form(school, resume=limit))

    assert response.status_code == 302
    assert StudentProfile.objects.get(user=new_student).resume.size == 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("graduation_year", "1999", "Select a valid choice"),
        ("graduation_year", "soon", "Select a valid choice"),
        ("major", "", "This field is required"),
        ("school", "999999", "Select a valid choice"),
        ("work_authorization", "h1b_maybe", "Select a valid choice"),
        ("linkedin_url", "https://example.com/me", "linkedin.com"),
        ("github_url", "not a url at all", "Enter a valid URL"),
        ("bio", "x" * 1001, "at most 1000 characters"),
        ("other_skills", "", "Choose at least one skill"),
    ],
)
def test_invalid_profile_values_get_a_message_and_change_nothing(
    client, new_student, school, field, value, message
):
    client.force_login(new_student)

    response = client.post(reverse("profile"), student_form(school, **{field: value}))

    assert response.status_code == 200
    assert message.encode() in response.content
    assert not StudentProfile.objects.filter(user=new_student).exists()
    new_student.refresh_from_db()
    assert new_student.time_zone != "America/Chicago"


def test_an_inactive_school_cannot_be_chosen(client, new_student):
    closed = SchoolFactory(is_active=False)
    client.force_login(new_student)

    response = client.post(reverse("profile"), student_form(closed))

    assert response.status_code == 200
    assert "school" in response.context["form"].errors


@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        (WorkAuthorization.US_AUTHORIZED, AuthorizationStatus.NOT_REQUIRED),
        (WorkAuthorization.F1_CPT, AuthorizationStatus.PENDING),
        (WorkAuthorization.F1_OPT, AuthorizationStatus.PENDING),
        (WorkAuthorization.OTHER_VISA, AuthorizationStatus.PENDING),
        (WorkAuthorization.NOT_AUTHORIZED, AuthorizationStatus.NOT_AUTHORIZED),
    ],
)
def test_the_declared_work_authorization_sets_what_career_services_must_check(
    client, new_student, school, authorization, status
):
    client.force_login(new_student)

    client.post(reverse("profile"), student_form(school, work_authorization=authorization))

    assert StudentProfile.objects.get(user=new_student).work_authorization_status == status


def test_declaring_cpt_tells_that_schools_career_staff(client, on_commit, new_student, school):
    staff = CareerStaffFactory(school=school).user
    CareerStaffFactory()  # another school's staff hear nothing
    client.force_login(new_student)

    with on_commit():
        client.post(
            reverse("profile"), student_form(school, work_authorization=WorkAuthorization.F1_CPT)
        )

    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert "F-1 student, Curricular Practical Training" in mail.outbox[0].body


def test_a_verified_authorization_stays_verified_when_other_fields_change(client, school):
    profile = StudentFactory(
        school=school,
        work_authorization=WorkAuthorization.F1_OPT,
        work_authorization_status=AuthorizationStatus.VERIFIED,
    )
    client.force_login(profile.user)

    client.post(
        reverse("profile"),
        student_form(school, major="History", work_authorization=WorkAuthorization.F1_OPT),
    )
    profile.refresh_from_db()
    assert (profile.major, profile.work_authorization_status) == ("History", "verified")

    client.post(
        reverse("profile"), student_form(school, work_authorization=WorkAuthorization.F1_CPT)
    )
    profile.refresh_from_db()
    assert profile.work_authorization_status == AuthorizationStatus.PENDING


def test_replacing_and_removing_the_resume(client, school):
    profile = StudentFactory(school=school)
    client.force_login(profile.user)
    client.post(reverse("profile"), student_form(school, resume=pdf("first.pdf")))
    profile.refresh_from_db()
    first_file = profile.resume.name

    client.post(reverse("profile"), student_form(school, resume=pdf("second.pdf")))
    profile.refresh_from_db()
    assert profile.resume_filename == "second.pdf"
    assert profile.resume.name != first_file

    client.post(reverse("profile"), student_form(school, remove_resume="on"))
    profile.refresh_from_db()
    assert not profile.resume
    assert profile.resume_filename == ""


def employer_form(**overrides):
    data = {
        "account-first_name": "Leo",
        "account-last_name": "Park",
        "account-time_zone": "America/Los_Angeles",
        "job_title": "Marketing Lead",
        "name": "Sunrise Bakery Co.",
        "website": "https://sunrise-bakery.example",
        "industry": Organization.Industry.RETAIL,
        "size": Organization.Size.MICRO,
        "description": "A neighbourhood bakery with three shops.",
    }
    data.update(overrides)
    return data


def test_an_employer_registers_the_organization_which_starts_unverified(client, on_commit):
    admin = AdminFactory()
    employer = UserFactory(role=Role.EMPLOYER)
    client.force_login(employer)

    with on_commit():
        response = client.post(reverse("profile"), employer_form())

    assert response.status_code == 302
    profile = EmployerProfile.objects.select_related("organization").get(user=employer)
    org = profile.organization
    assert (org.name, org.verification_status) == ("Sunrise Bakery Co.", "unverified")
    assert profile.job_title == "Marketing Lead"
    dashboard = client.get(reverse("employer_dashboard"))
    assert b"Awaiting verification" in dashboard.content
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert AuditEvent.objects.filter(action="organization.created", target_id=str(org.pk)).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("website", "sunrise bakery"),
        ("industry", "pirates"),
        ("size", "huge"),
        ("description", ""),
    ],
)
def test_invalid_organization_values_are_refused(client, field, value):
    employer = UserFactory(role=Role.EMPLOYER)
    client.force_login(employer)

    response = client.post(reverse("profile"), employer_form(**{field: value}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Organization.objects.exists()


def test_renaming_a_verified_organization_sends_it_back_to_verification(client):
    profile = EmployerFactory(organization__verified=True, organization__name="Old Name")
    client.force_login(profile.user)

    response = client.post(reverse("profile"), employer_form(name="New Name"), follow=True)

    profile.organization.refresh_from_db()
    assert profile.organization.verification_status == Organization.Verification.UNVERIFIED
    assert b"awaits verification again" in response.content


def test_editing_only_the_description_keeps_the_verification(client):
    profile = EmployerFactory(organization__verified=True)
    org = profile.organization
    client.force_login(profile.user)

    client.post(
        reverse("profile"),
        employer_form(name=org.name, website=org.website, description="Now with more detail."),
    )

    org.refresh_from_db()
    assert org.is_verified
    assert org.description == "Now with more detail."


def test_career_staff_edit_their_details_but_not_their_school(client, career_staff, school):
    other = SchoolFactory()
    client.force_login(career_staff)

    client.post(
        reverse("profile"),
        {
            "account-first_name": "Rae",
            "account-last_name": "Ito",
            "account-time_zone": "Europe/Berlin",
            "job_title": "Employer Relations",
            "school": other.pk,
        },
    )

    career_staff.refresh_from_db()
    profile = career_staff.career_staff_profile
    assert (career_staff.first_name, career_staff.time_zone) == ("Rae", "Europe/Berlin")
    assert profile.job_title == "Employer Relations"
    assert profile.school == school

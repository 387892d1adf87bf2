"""factory_boy factories: one per model, with the defaults a real user would have."""

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import (
    Affiliation,
    AffiliationMethod,
    AuthorizationStatus,
    CareerStaffProfile,
    EmployerProfile,
    Organization,
    Role,
    School,
    Skill,
    StudentProfile,
    TeamRole,
    User,
    WorkAuthorization,
)
from accounts.services import career_staff_group
from engagements import services as engagement_services
from projects.models import (
    SHORTLIST_FIELDS,
    Application,
    Category,
    LearningObjective,
    Project,
    ProjectStatus,
    ScreeningQuestion,
)
from tests.helpers import run_after_commit

PASSWORD = "correct horse battery staple"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Test University {n}")
    short_name = factory.Sequence(lambda n: f"TU{n}")
    email_domain = factory.Sequence(lambda n: f"tu{n}.edu")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class UserFactory(factory.django.DjangoModelFactory):
    """A user whose email address is confirmed, so they can log in."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.STUDENT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def confirmed_email(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


class StudentFactory(factory.django.DjangoModelFactory):
    """A student user with a complete profile."""

    class Meta:
        model = StudentProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.STUDENT)
    school = factory.SubFactory(SchoolFactory)
    major = "Economics"
    graduation_year = factory.LazyFunction(lambda: timezone.now().year + 1)
    bio = "I like research and writing."
    work_authorization = WorkAuthorization.US_AUTHORIZED
    work_authorization_status = AuthorizationStatus.NOT_REQUIRED
    # Verified by default (most tests are about what follows); `unverified=True` for a
    # student whose school nobody has checked yet.
    affiliation = Affiliation.VERIFIED
    affiliation_method = AffiliationMethod.CAREER_STAFF
    affiliation_verified_at = factory.LazyFunction(timezone.now)
    affiliation_reason = "On the registrar's enrolment list."

    class Params:
        unverified = factory.Trait(
            affiliation=Affiliation.UNVERIFIED,
            affiliation_method="",
            affiliation_verified_at=None,
            affiliation_reason="",
        )

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.skills.set(extracted)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Acme {n}")
    website = factory.Sequence(lambda n: f"https://acme{n}.example")
    industry = Organization.Industry.TECHNOLOGY
    size = Organization.Size.SMALL
    description = "We build useful things."

    class Params:
        verified = factory.Trait(
            verification_status=Organization.Verification.VERIFIED,
            verified_at=factory.LazyFunction(timezone.now),
        )


class EmployerFactory(factory.django.DjangoModelFactory):
    """An employer user with a profile in an (unverified by default) organization."""

    class Meta:
        model = EmployerProfile

    user = factory.SubFactory(UserFactory, role=Role.EMPLOYER)
    organization = factory.SubFactory(OrganizationFactory)
    job_title = "Operations Manager"
    # The owner of the team, as whoever registers an organization is; `team_role="member"`
    # (a recruiter) or "admin" for a colleague who joined it.
    team_role = TeamRole.OWNER


class CareerStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareerStaffProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.CAREER_STAFF, is_staff=True)
    school = factory.SubFactory(SchoolFactory)
    job_title = "Career Advisor"

    @factory.post_generation
    def group(obj, create, extracted, **kwargs):
        if create:
            obj.user.groups.add(career_staff_group())


class AdminFactory(UserFactory):
    role = Role.PLATFORM_ADMIN
    is_staff = True
    is_superuser = True


# --- Projects -------------------------------------------------------------------------


DEFAULT_OBJECTIVES = (
    "Compare competitors' prices in a structured table",
    "Summarise findings for a manager in plain language",
)


class ProjectFactory(factory.django.DjangoModelFactory):
    """An open project of a verified organization, 20 hours for $400 over 14 days."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory, verified=True)
    created_by = factory.LazyAttribute(
        lambda o: (
            User.objects.filter(employer_profile__organization=o.organization).first()
            or EmployerFactory(organization=o.organization).user
        )
    )
    title = factory.Sequence(lambda n: f"Research project {n}")
    summary = "Research three competitors and summarise what they charge."
    description = "We want to understand the market before we set prices for next year."
    category = Category.RESEARCH
    deliverables = "- A spreadsheet of prices\n- A two-page summary"
    hours = 20
    fee_cents = 40000
    days_to_complete = 14
    apply_by = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
    openings = 1
    is_remote = True
    location = ""
    status = ProjectStatus.OPEN
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status=ProjectStatus.DRAFT, published_at=None)

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.skills.set(extracted)

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        if create and extracted:
            for position, text in enumerate(extracted, start=1):
                ScreeningQuestion.objects.create(project=obj, position=position, text=text)

    # A project posted today names a supervisor and its learning objectives (NACE criteria);
    # `objectives=[]` and empty supervisor fields make one posted before the rule.
    supervisor_name = "Dana Reyes"
    supervisor_title = "Head of Research"
    supervisor_email = factory.Sequence(lambda n: f"supervisor{n}@acme.example")

    @factory.post_generation
    def objectives(obj, create, extracted, **kwargs):
        if not create:
            return
        texts = DEFAULT_OBJECTIVES if extracted is None else extracted
        LearningObjective.objects.bulk_create(
            LearningObjective(project=obj, position=position, text=text)
            for position, text in enumerate(texts, start=1)
        )


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    project = factory.SubFactory(ProjectFactory)
    student = factory.LazyFunction(lambda: StudentFactory().user)
    cover_note = "I would love to help with this."
    confirmed_availability = True
    consent_at = factory.LazyFunction(timezone.now)
    consent_fields = factory.LazyFunction(lambda: [str(f) for f in SHORTLIST_FIELDS])


def employer_of(project) -> User:
    """An employer of the project's organization (created if there is none)."""
    return project.created_by


def accepted_engagement(*, project=None, student=None, funded=True):
    """An engagement made the way users make one: apply, accept, fund."""

    project = project or ProjectFactory()
    student = student or StudentFactory().user
    application = ApplicationFactory(project=project, student=student)
    engagement = engagement_services.application_accept(
        actor=employer_of(project), application=application
    )
    if funded:
        with transaction.atomic():
            engagement = engagement_services.engagement_mark_funded(engagement=engagement)
    run_after_commit()
    engagement.refresh_from_db()
    return engagement


def approved_engagement(engagement, *, quarters=8):
    """The student logs time and hands the work in; the employer approves it."""

    engagement_services.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=timezone.localdate(),
        quarters=quarters,
        description="Did the work",
    )
    engagement_services.submission_create(
        actor=engagement.student,
        engagement=engagement,
        data=engagement_services.SubmissionData(
            note="Done", links=["https://example.com/work"], files=[]
        ),
    )
    engagement_services.submission_approve(
        actor=employer_of(engagement.project), engagement=engagement
    )
    run_after_commit()
    engagement.refresh_from_db()
    return engagement

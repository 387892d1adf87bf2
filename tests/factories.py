"""factory_boy factories: one per model, with the defaults a real user would have."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import (
    AuthorizationStatus,
    CareerStaffProfile,
    EmployerProfile,
    Organization,
    Role,
    School,
    Skill,
    StudentProfile,
    User,
    WorkAuthorization,
)
from accounts.services import career_staff_group

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

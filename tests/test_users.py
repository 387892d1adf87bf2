import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_custom_user_model_is_the_auth_user_model():
    assert get_user_model() is User
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(User, "username")


def test_create_user_stores_the_email_in_lower_case_and_logs_in_by_it():
    user = User.objects.create_user(
        email="  Ada.Lovelace@Example.COM ", password=PASSWORD, role=Role.STUDENT
    )
    assert user.email == "ada.lovelace@example.com"
    assert authenticate(email="ada.lovelace@example.com", password=PASSWORD) == user
    assert authenticate(email="ADA.LOVELACE@example.com", password=PASSWORD) == user


def test_two_accounts_cannot_share_an_email_whatever_its_case():
    UserFactory(email="sam@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="SAM@example.com", role=Role.STUDENT)


def test_every_user_needs_a_known_role():
    with pytest.raises(ValueError, match="role"):
        User.objects.create_user(email="x@example.com", password=PASSWORD)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="y@example.com", role="wizard")


def test_a_superuser_is_a_platform_admin():
    admin = User.objects.create_superuser(email="root@example.com", password=PASSWORD)
    assert admin.role == Role.PLATFORM_ADMIN
    assert admin.is_platform_admin and admin.is_staff


def test_the_database_refuses_a_student_superuser_or_a_student_in_the_admin_site():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="a@example.com", role=Role.STUDENT, is_superuser=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="b@example.com", role=Role.EMPLOYER, is_staff=True)


def test_names_fall_back_to_the_email():
    user = UserFactory(first_name="", last_name="")
    assert user.get_full_name() == user.email
    assert user.get_short_name() == user.email

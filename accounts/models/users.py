"""The user: email login, a role that never changes, a time zone."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    EMPLOYER = "employer", "Employer"
    CAREER_STAFF = "career_staff", "Career services staff"
    PLATFORM_ADMIN = "platform_admin", "Platform admin"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        if not extra_fields.get("role"):
            raise ValueError("A role is required.")
        user = self.model(email=email.strip().lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.PLATFORM_ADMIN)
        if extra_fields["role"] != Role.PLATFORM_ADMIN or not extra_fields["is_superuser"]:
            raise ValueError("A superuser is a platform admin.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. The email address is the login; the role never changes after sign-up."""

    email = models.EmailField("email address", max_length=254, unique=True)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    time_zone = models.CharField(
        max_length=64,
        default=settings.DEFAULT_USER_TIME_ZONE,
        help_text="Dates and times are shown in this zone.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False,
        help_text="May log in to the admin site (career services and platform admins).",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
            # Only platform admins are superusers; students and employers never
            # reach the admin site.
            models.CheckConstraint(
                condition=models.Q(is_superuser=False) | models.Q(role=Role.PLATFORM_ADMIN),
                name="user_superuser_is_platform_admin",
            ),
            models.CheckConstraint(
                condition=models.Q(is_staff=False)
                | models.Q(role__in=[Role.CAREER_STAFF, Role.PLATFORM_ADMIN]),
                name="user_staff_flag_only_for_staff_roles",
            ),
        ]

    def __str__(self):
        return self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def is_student(self):
        return self.role == Role.STUDENT

    @property
    def is_employer(self):
        return self.role == Role.EMPLOYER

    @property
    def is_career_staff(self):
        return self.role == Role.CAREER_STAFF

    @property
    def is_platform_admin(self):
        return self.role == Role.PLATFORM_ADMIN and self.is_superuser

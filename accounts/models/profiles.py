"""Employer profiles and their teams (join requests, invitations), career services profiles and
staff access requests."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .organizations import Organization
from .schools import School


class TeamRole(models.TextChoices):
    """An employer's role in their organization's team (accounts.teams)."""

    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Recruiter"


# Owners and admins run the team; only an owner hands ownership on.
TEAM_MANAGERS = (TeamRole.OWNER, TeamRole.ADMIN)


class EmployerProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="employer_profile",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="employers"
    )
    job_title = models.CharField(max_length=120)
    # Owners and admins edit the organization, invite colleagues, decide join requests, set
    # roles and remove members; recruiters post projects and supervise students.
    team_role = models.CharField(
        "role in the team", max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team_role__in=TeamRole.values), name="employer_team_role_valid"
            )
        ]

    def __str__(self):
        return f"{self.user.get_full_name()} — {self.organization}"

    @property
    def is_team_admin(self) -> bool:
        """An owner or an admin: runs the team."""
        return self.team_role in TEAM_MANAGERS

    @property
    def is_team_owner(self) -> bool:
        return self.team_role == TeamRole.OWNER


class OrganizationJoinRequest(models.Model):
    """An employer asks to join an organization that already exists; its admins decide."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the organization's admins"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="join_requests"
    )
    job_title = models.CharField(max_length=120)
    message = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="join_request_one_pending_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "declined", "withdrawn"]),
                name="join_request_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.organization}"


class OrganizationInvitation(models.Model):
    """An admin invites a colleague by email to join the organization's team."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=models.Q(status="pending"),
                name="org_invitation_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "accepted", "revoked"]),
                name="org_invitation_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=TeamRole.values), name="org_invitation_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organization}"


class CareerStaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="career_staff_profile",
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="career_staff")
    job_title = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = "career services staff member"
        verbose_name_plural = "career services staff"

    def __str__(self):
        return f"{self.user.get_full_name()} — {self.school}"


class StaffAccessRequest(models.Model):
    """Someone from a school's career services asks for an oversight account."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    email = models.EmailField("work email address", max_length=254)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="staff_requests")
    job_title = models.CharField(max_length=120)
    message = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "career services access request"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(status="pending"),
                name="staff_request_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "declined"]),
                name="staff_request_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} <{self.email}> — {self.school}"

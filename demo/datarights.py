"""Demo data for data rights: the main demo student has a download of their data ready on
"Your data", and one student has closed their account, so the admin lists an export and a
closing and the student's school shows a "Former user"."""

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import (
    AuthorizationStatus,
    Role,
    StudentProfile,
    User,
    WorkAuthorization,
)
from datarights import closing, exporting
from datarights.models import AccountClosure, DataExport
from demo.accounts import DEMO_PASSWORD

EXPORT_USER = "student@demo.test"
LEAVING_EMAIL = "leaving.student@demo.test"


def seed_datarights() -> bool:
    """True if anything was created."""
    created = False
    student = User.objects.filter(email=EXPORT_USER).first()
    if student is not None and not DataExport.objects.filter(user=student).exists():
        export = exporting.data_export_request(user=student)
        exporting.data_export_prepare(export_id=export.pk)
        created = True
    if not AccountClosure.objects.filter(status=AccountClosure.Status.CLOSED).exists():
        _close_a_demo_account()
        created = True
    return created


def _close_a_demo_account() -> None:
    other = StudentProfile.objects.select_related("school").order_by("pk").first()
    if other is None:
        return
    user = User.objects.create_user(
        email=LEAVING_EMAIL,
        password=DEMO_PASSWORD,
        first_name="Morgan",
        last_name="Ellery",
        role=Role.STUDENT,
    )
    EmailAddress.objects.create(user=user, email=LEAVING_EMAIL, primary=True, verified=True)
    StudentProfile.objects.create(
        user=user,
        school=other.school,
        major="History",
        graduation_year=timezone.now().year + 1,
        bio="Morgan Ellery, history major, moving abroad.",
        work_authorization=WorkAuthorization.US_AUTHORIZED,
        work_authorization_status=AuthorizationStatus.NOT_REQUIRED,
    )
    closing.account_closure_request(user=user)

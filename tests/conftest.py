import pytest
from django.core.cache import cache
from django.utils import timezone

from tests import factories
from tests.s3_server import S3Server


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    # Uploads go to a folder of this test's own; rate-limit counters start at zero. Each test
    # starts in the zone its users see by default, as their requests do: a test's "today" is
    # theirs, whatever zone an earlier test's request left active in this thread.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    timezone.activate(settings.DEFAULT_USER_TIME_ZONE)
    yield
    cache.clear()
    timezone.deactivate()


@pytest.fixture
def school(db):
    return factories.SchoolFactory()


@pytest.fixture
def other_school(db):
    return factories.SchoolFactory()


@pytest.fixture
def student(school):
    return factories.StudentFactory(school=school).user


@pytest.fixture
def other_student(other_school):
    return factories.StudentFactory(school=other_school).user


@pytest.fixture
def employer(db):
    return factories.EmployerFactory(organization__verified=True).user


@pytest.fixture
def other_employer(db):
    return factories.EmployerFactory(organization__verified=True).user


@pytest.fixture
def career_staff(school):
    return factories.CareerStaffFactory(school=school).user


@pytest.fixture
def other_school_staff(other_school):
    return factories.CareerStaffFactory(school=other_school).user


@pytest.fixture
def platform_admin(db):
    return factories.AdminFactory()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a request queues for after commit (mail, tasks), as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 API server on a free port of 127.0.0.1, for the tests of one module."""
    server = S3Server().start()
    yield server
    server.stop()

"""A small world for the REST API's tests: two schools, two organizations, their people,
projects, an engagement, a flag, and a token for each role (api.tokens)."""

from dataclasses import dataclass, field

from api import tokens
from api.models import ApiToken
from api.scopes import ORGANIZATION, SCHOOL, SCOPES, SCOPES_OF, STUDENT
from oversight.services import flag_raise
from projects.models import ProjectStatus
from tests.factories import (
    ApplicationFactory,
    CareerStaffFactory,
    EmployerFactory,
    OrganizationFactory,
    ProjectFactory,
    SchoolFactory,
    StudentFactory,
    accepted_engagement,
)

ROLE_KIND = {"student": STUDENT, "employer": ORGANIZATION, "career_staff": SCHOOL}


@dataclass
class World:
    users: dict = field(default_factory=dict)
    secrets: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def header(self, who: str) -> dict:
        secret = self.secrets.get(who)
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}

    def http_header(self, who: str) -> dict:
        secret = self.secrets.get(who)
        return {"Authorization": f"Bearer {secret}"} if secret else {}


def make_token(user, *, scopes=None, name="Test program") -> str:
    kind = tokens.holder_of(user).kind
    _, secret = tokens.token_create(actor=user, name=name, scopes=list(scopes or SCOPES_OF[kind]))
    return secret


def token_with(user, scopes: list[str]) -> str:
    """A token carrying any scopes at all (even ones its kind never gets), made directly."""
    import secrets as random

    prefix = random.token_hex(4)
    raw = f"{tokens.TOKEN_START}{prefix}_{random.token_urlsafe(32)}"
    holder = tokens.holder_of(user)
    ApiToken.objects.create(
        name="Direct",
        organization_id=holder.organization_id,
        school_id=holder.school_id,
        user=user,
        scopes=scopes,
        prefix=prefix,
        secret_hash=tokens._hash(raw),
    )
    return raw


def build_world() -> World:
    world = World()
    school, other_school = SchoolFactory(name="Northbridge"), SchoolFactory(name="Southgate")
    organization = OrganizationFactory(verified=True, name="Acme Research")
    other_organization = OrganizationFactory(verified=True, name="Other Corp")
    employer = EmployerFactory(organization=organization).user
    other_employer = EmployerFactory(organization=other_organization).user
    student = StudentFactory(school=school).user
    other_student = StudentFactory(school=other_school).user
    staff = CareerStaffFactory(school=school).user
    other_staff = CareerStaffFactory(school=other_school).user
    world.users = {
        "student": student,
        "other_student": other_student,
        "employer": employer,
        "other_employer": other_employer,
        "career_staff": staff,
        "other_staff": other_staff,
    }

    project = ProjectFactory(organization=organization, created_by=employer, title="Pricing study")
    engagement = accepted_engagement(project=project, student=student)
    draft = ProjectFactory(organization=organization, created_by=employer, draft=True)
    open_project = ProjectFactory(organization=organization, created_by=employer)
    ApplicationFactory(project=open_project, student=other_student)
    flag = flag_raise(actor=staff, note="Check in with the student.", engagement=engagement)
    world.objects = {
        "project": project,
        "draft": draft,
        "open_project": open_project,
        "engagement": engagement,
        "flag": flag,
        "school": school,
        "other_school": other_school,
        "organization": organization,
    }
    assert open_project.status == ProjectStatus.OPEN
    for who, user in world.users.items():
        world.secrets[who] = make_token(user)
    return world


def revoked_token(user) -> str:
    secret = make_token(user, name="Old program")
    token = tokens.token_for_secret(secret)
    tokens.token_revoke(actor=user, token=token)
    return secret


def other_scopes(needed: str) -> list[str]:
    return [scope for scope in SCOPES if scope != needed]

"""Making, finding and revoking API tokens (api.models.ApiToken).

Who may hold what: an organization's owners and admins make its tokens (recruiters use the
ones they are given), career services staff make their school's, a student makes their own.
Each token is made, revoked and used as its maker; making and revoking are audited.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts.access import is_member, staff_school_id
from accounts.audit import audit
from accounts.models import TEAM_MANAGERS, Role, User
from api import scopes as api_scopes
from api.models import ApiToken

# Every token starts so, which lets secret scanners recognise a leaked one.
TOKEN_START = "mkt_"  # noqa: S105 (a marker, not a secret)
PREFIX_LENGTH = 8
# `last_used_at` is written at most this often, so reading through the API is not a write.
LAST_USED_PRECISION = timedelta(minutes=1)


class Holder:
    """Whose tokens a user manages: an organization, a school, or their own."""

    def __init__(self, kind: str, organization_id=None, school_id=None, user=None):
        self.kind = kind
        self.organization_id = organization_id
        self.school_id = school_id
        self.user = user

    @property
    def filter(self) -> dict:
        if self.kind == api_scopes.ORGANIZATION:
            return {"organization_id": self.organization_id}
        if self.kind == api_scopes.SCHOOL:
            return {"school_id": self.school_id}
        return {"user": self.user, "organization__isnull": True, "school__isnull": True}


def holder_of(user: User) -> Holder | None:
    """The tokens a user sees on the API page; None for anyone without any."""
    if not (user.is_authenticated and user.is_active):
        return None
    if user.role == Role.EMPLOYER and hasattr(user, "employer_profile"):
        return Holder(
            api_scopes.ORGANIZATION, organization_id=user.employer_profile.organization_id
        )
    school_id = staff_school_id(user)
    if school_id is not None:
        return Holder(api_scopes.SCHOOL, school_id=school_id)
    if user.role == Role.STUDENT:
        return Holder(api_scopes.STUDENT, user=user)
    return None


def may_manage(user: User) -> bool:
    """Recruiters see their organization's tokens; owners and admins make and revoke them."""
    holder = holder_of(user)
    if holder is None:
        return False
    if holder.kind == api_scopes.ORGANIZATION:
        return user.employer_profile.team_role in TEAM_MANAGERS
    return True


def tokens_of(holder: Holder):
    return ApiToken.objects.filter(**holder.filter).select_related("user", "revoked_by")


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: User, name: str, scopes: list[str]) -> tuple[ApiToken, str]:
    """A new token and its secret (returned once, never stored)."""
    holder = holder_of(actor)
    if holder is None or not may_manage(actor):
        raise PermissionDenied("Only an organization's owners and admins make its API tokens.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the token after the program that uses it."})
    allowed = api_scopes.SCOPES_OF[holder.kind]
    wanted = sorted(set(scopes))
    if not wanted:
        raise ValidationError({"scopes": "Choose at least one scope."})
    unknown = [s for s in wanted if s not in allowed]
    if unknown:
        raise ValidationError({"scopes": f"Not available here: {', '.join(unknown)}."})
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    raw = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name,
        organization_id=holder.organization_id,
        school_id=holder.school_id,
        user=actor,
        scopes=wanted,
        prefix=prefix,
        secret_hash=_hash(raw),
    )
    audit(
        actor=actor,
        action="api.token_created",
        target=token,
        summary=f"{actor.email} made the API token “{name}” ({', '.join(wanted)})",
        data={"scopes": wanted, "prefix": prefix},
        school=holder.school_id,
    )
    return token, raw


def token_for_owner_or_404(user: User, pk: int) -> ApiToken:
    holder = holder_of(user)
    token = tokens_of(holder).filter(pk=pk).first() if holder else None
    if token is None:
        raise Http404("No such token.")
    return token


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Stop a token for good. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    holder = holder_of(actor)
    if (
        holder is None
        or not may_manage(actor)
        or not tokens_of(holder).filter(pk=token.pk).exists()
    ):
        raise PermissionDenied("This token is not yours to revoke.")
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit(
        actor=actor,
        action="api.token_revoked",
        target=token,
        summary=f"{actor.email} revoked the API token “{token.name}”",
        data={"prefix": token.prefix},
        school=token.school_id,
    )
    return token


def token_for_secret(raw: str) -> ApiToken | None:
    """The live token a secret belongs to, or None for a wrong, revoked or orphaned one.

    Orphaned: its maker no longer belongs to its organization or school (or no longer
    signs in at all), so it can act for no one."""
    if not raw.startswith(TOKEN_START):
        return None
    prefix = raw[len(TOKEN_START) : len(TOKEN_START) + PREFIX_LENGTH]
    token = (
        ApiToken.objects.select_related(
            "user", "user__employer_profile", "user__career_staff_profile"
        )
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(raw)):
        return None
    user = token.user
    if not user.is_active:
        return None
    if token.organization_id and not is_member(user, token.organization_id):
        return None
    if token.school_id and staff_school_id(user) != token.school_id:
        return None
    if not token.organization_id and not token.school_id and user.role != Role.STUDENT:
        return None
    return token


def note_use(token: ApiToken, *, now=None) -> None:
    """Remember when the token was last used, to the minute (a conditional update, no lock)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now

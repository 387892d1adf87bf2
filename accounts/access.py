"""Role-based access, in one place.

Views declare which roles may use them with `role_required` (functions) or
`RoleRequiredMixin` (classes). The declaration is kept on the view, so the
navigation bar asks the views themselves what a role may open instead of
repeating the rules.
"""

from collections.abc import Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role, StudentProfile, User


def user_has_role(user, roles: Iterable[str]) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.PLATFORM_ADMIN and not user.is_superuser:
        return False
    return user.role in roles


def check_role(request, roles: frozenset[str]):
    """Anonymous visitors are sent to log in; logged-in users of another role get 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user_has_role(request.user, roles):
        raise PermissionDenied("This page is not available to your account.")
    return None


def role_required(*roles: str):
    allowed = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refusal = check_role(request, allowed)
            if refusal is not None:
                return refusal
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed
        return wrapped

    return decorator


class RoleRequiredMixin:
    allowed_roles: frozenset[str] = frozenset()

    def dispatch(self, request, *args, **kwargs):
        refusal = check_role(request, self.allowed_roles)
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)


def allowed_roles_of(view) -> frozenset[str] | None:
    """The roles a resolved view admits, or None when it is open to everyone."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return getattr(view_class, "allowed_roles", None)
    return getattr(view, "allowed_roles", None)


# --- Who someone is to an organization or a school ----------------------------------


def is_member(user, organization_id: int | None) -> bool:
    """Is this user an active employer of that organization?"""
    if organization_id is None or not (user.is_authenticated and user.is_active):
        return False
    if user.role != Role.EMPLOYER:
        return False
    profile = getattr(user, "employer_profile", None)
    return profile is not None and profile.organization_id == organization_id


def staff_school_id(user) -> int | None:
    """The school an active career services member oversees; None for anyone else."""
    if not (user.is_authenticated and user.is_active and user.role == Role.CAREER_STAFF):
        return None
    profile = getattr(user, "career_staff_profile", None)
    return profile.school_id if profile is not None else None


def oversees(user, school_id: int | None) -> bool:
    """Platform admins oversee every school; career staff their own."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_platform_admin or (school_id is not None and staff_school_id(user) == school_id)


# --- "get X for this user, or 404" ---------------------------------------------------


def authorization_document_or_404(viewer: User, student_id: int) -> StudentProfile:
    """A student's work authorization document: the student, their school's career staff
    and platform admins; never employers."""
    profile = get_object_or_404(StudentProfile.objects.select_related("user"), user_id=student_id)
    if not profile.authorization_document:
        raise Http404("No document.")
    if (
        viewer.is_authenticated
        and viewer.is_active
        and (viewer.pk == profile.user_id or oversees(viewer, profile.school_id))
    ):
        return profile
    raise Http404("Not found.")

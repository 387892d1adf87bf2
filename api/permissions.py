"""Who may call an endpoint: the right kind of user, and a token with the right scope."""

from rest_framework import permissions

from accounts.access import user_has_role
from api.models import ApiToken


class RoleAndScope(permissions.BasePermission):
    """The view names `allowed_roles` (as the web pages do) and `required_scope`, or
    `required_scopes` by HTTP method. A token must carry the scope; a session may use every
    scope of the user's kind."""

    message = "Your account or token may not use this endpoint."

    def has_permission(self, request, view):
        if not user_has_role(request.user, view.allowed_roles):
            return False
        scope = required_scope(view, request.method)
        if scope is None:  # open to every token of an allowed role
            return True
        auth = request.auth
        if isinstance(auth, ApiToken):
            return scope in auth.scopes
        if auth is not None:  # an OAuth2 access token (api.oauth)
            return scope in getattr(auth, "scope", "").split()
        return True


def required_scope(view, method: str) -> str | None:
    by_method = getattr(view, "required_scopes", None)
    if by_method:
        return by_method.get(method, by_method.get("*"))
    return view.required_scope

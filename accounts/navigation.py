"""The navigation bar: each entry is shown only to the roles its view admits."""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, resolve, reverse

from accounts.access import allowed_roles_of, user_has_role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str


NAV_ITEMS = [
    NavItem("Browse projects", "projects:browse", "search"),
    NavItem("Dashboard", "student_dashboard", "speedometer2"),
    NavItem("Dashboard", "employer_dashboard", "speedometer2"),
    NavItem("Dashboard", "career_staff_dashboard", "speedometer2"),
    NavItem("Post a project", "projects:create", "plus-circle"),
    NavItem("Talent pool", "outcomes:talent_pool", "people"),
    NavItem("Verified experiences", "outcomes:experiences", "patch-check"),
    NavItem("Academic credit", "outcomes:credit_requests", "mortarboard"),
    NavItem("Earnings", "payments:earnings", "cash-coin"),
    NavItem("Receipts", "payments:receipts", "receipt"),
    NavItem("Sponsored fees", "payments:sponsors", "piggy-bank"),
    NavItem("Profile", "profile", "person-badge"),
    NavItem("My reports", "safety:my_reports", "flag"),
    NavItem("Privacy", "safety:privacy", "shield-lock"),
    NavItem("Integrations", "integrations:settings", "plug"),
    NavItem("API", "api_settings:tokens", "code-slash"),
    NavItem("Oversight", "admin:index", "clipboard-data"),
]


@functools.lru_cache(maxsize=4)
def _entries(urlconf: str, prefix: str) -> tuple[tuple[NavItem, str, frozenset[str] | None], ...]:
    """Each entry's address and the roles its view admits. They are the same for every
    request, so they are worked out once per process (URL configuration and prefix) rather than
    with a reverse() and a resolve() per entry on every page."""
    entries = []
    for item in NAV_ITEMS:
        url = reverse(item.url_name, urlconf=urlconf)
        roles = (
            None
            if item.url_name.startswith("admin:")
            else allowed_roles_of(resolve(url, urlconf).func)
        )
        entries.append((item, url, roles))
    return tuple(entries)


def nav_items_for(user) -> list[dict]:
    items = []
    for item, url, roles in _entries(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()):
        if item.url_name.startswith("admin:"):
            visible = user.is_authenticated and user.is_active and user.is_staff
        else:
            visible = roles is None or user_has_role(user, roles)
        if visible:
            items.append({"label": item.label, "url": url, "icon": item.icon})
    return items

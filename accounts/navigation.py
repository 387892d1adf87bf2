"""The navigation bar: each entry is shown only to the roles its view admits."""

from dataclasses import dataclass

from django.urls import resolve, reverse

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
    NavItem("Earnings", "payments:earnings", "cash-coin"),
    NavItem("Receipts", "payments:receipts", "receipt"),
    NavItem("Profile", "profile", "person-badge"),
    NavItem("Integrations", "integrations:settings", "plug"),
    NavItem("Oversight", "admin:index", "clipboard-data"),
]


def nav_items_for(user) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        url = reverse(item.url_name)
        if item.url_name.startswith("admin:"):
            visible = user.is_authenticated and user.is_active and user.is_staff
        else:
            roles = allowed_roles_of(resolve(url).func)
            visible = roles is None or user_has_role(user, roles)
        if visible:
            items.append({"label": item.label, "url": url, "icon": item.icon})
    return items

from accounts.navigation import nav_items_for
from accounts.notifications import unread_count


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    context = {"nav_items": nav_items_for(user)}
    if user.is_authenticated:
        context["unread_notifications"] = unread_count(user)
    return context

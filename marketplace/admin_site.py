"""The admin site: platform admins' back office and career services' oversight.

One AdminSite subclass holds what used to be patched onto Django's default site: titles,
the allauth-guarded login, extra admin pages that apps register (`register_view`), and
redirects from the addresses of models that moved between apps, so bookmarks keep working.
"""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path, re_path

# Old admin address (app/model) → new one, for models that moved to another app.
MOVED_MODELS = {
    "projects/engagement": "engagements/engagement",
    "projects/timeentry": "engagements/timeentry",
    "projects/submission": "engagements/submission",
    "projects/submissionfile": "engagements/submissionfile",
    "projects/message": "engagements/message",
    "projects/engagementevent": "engagements/engagementevent",
    "projects/scopeextension": "engagements/scopeextension",
    "projects/talentpoolentry": "outcomes/talentpoolentry",
    "projects/invitation": "outcomes/invitation",
    "projects/fulltimeinterest": "outcomes/fulltimeinterest",
    "feedback/flag": "oversight/flag",
    "feedback/coachingnote": "oversight/coachingnote",
    "feedback/verifiedexperience": "outcomes/verifiedexperience",
}


class MarketplaceAdminSite(admin.AdminSite):
    site_header = "Micro-internships oversight"
    site_title = "Micro-internships admin"
    index_title = "Oversight"
    # The collapsible sidebar repeats the index page and its table markup is not valid HTML.
    enable_nav_sidebar = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._extra_urls = []

    def register_view(self, route: str, view, name: str) -> None:
        """An admin page of an app's own (a dashboard, a settlement form), behind the admin's
        login; the view checks its own permissions."""
        self._extra_urls.append(path(route, self.admin_view(view), name=name))

    def login(self, request, extra_context=None):
        # Admin logins go through allauth too, so its rate limits and email checks apply.
        return secure_admin_login(super().login)(request, extra_context)

    def get_urls(self):
        return [*self._extra_urls, *self._moved_model_urls(), *super().get_urls()]

    def _moved_model_urls(self):
        def moved(request, old, rest=""):
            query = request.META.get("QUERY_STRING", "")
            target = f"/{request.path.split('/')[1]}/{MOVED_MODELS[old]}/{rest}"
            return redirect(target + (f"?{query}" if query else ""), permanent=True)

        pattern = "|".join(MOVED_MODELS)
        return [re_path(rf"^(?P<old>{pattern})/(?P<rest>.*)$", self.admin_view(moved))]

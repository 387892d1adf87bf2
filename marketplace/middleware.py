"""Request and response rules that hold for every page."""

from django.http import JsonResponse
from django.shortcuts import render

NUL = "\x00"


def _address_has_nul(request) -> bool:
    """A NUL in the path or in the query string's keys or values."""
    return NUL in request.path or NUL in request.path_info or _data_has_nul(request.GET)


def _data_has_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def _form_has_nul(request) -> bool:
    """A NUL in a submitted form's keys or values, or in an uploaded file's name."""
    if _data_has_nul(request.POST):
        return True
    return any(
        NUL in key or any(NUL in (upload.name or "") for upload in uploads)
        for key, uploads in request.FILES.lists()
    )


NUL_REASON = (
    "The address or the form you sent contains a character that is not allowed (a NUL "
    "character, often written %00). Remove it and try again."
)
# Programs calling the REST API get its error shape (api/errors.py), not a page.
JSON_PREFIXES = ("/api/",)


def _refused(request):
    if request.path.startswith(JSON_PREFIXES):
        return JsonResponse({"error": {"code": "invalid", "message": NUL_REASON}}, status=400)
    return render(request, "400.html", {"reason": NUL_REASON}, status=400)


class RejectNulMiddleware:
    """Refuse any request that carries a NUL character, before a view sees it.

    No legitimate form or link contains one, PostgreSQL cannot store or compare one (the
    query fails, a 500), and SQLite silently cuts text at it: one rule here instead of a
    check in every view, filter and admin search. Form fields refuse NUL too (Django's
    CharField), but query strings read by filters and the admin do not go through them.

    The address is checked first; a submitted form once the view is known, so that the
    endpoints that read the raw body themselves (the CSRF-exempt Stripe webhook, which
    verifies a signature over the exact bytes) are not made to parse it as a form.

    Cookies are not the user's typing: a cookie holding a NUL (a browser never sends one) is
    ignored, as if absent, so a forged session cookie cannot reach the database either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, value in list(request.COOKIES.items()):
            if NUL in name or NUL in value:
                del request.COOKIES[name]
        if _address_has_nul(request):
            return _refused(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "csrf_exempt", False):
            return None
        if _form_has_nul(request):
            return _refused(request)
        return None


class PrivatePagesMiddleware:
    """Pages shown to a signed-in user hold their data: no shared cache may keep them, and
    the browser keeps no copy either (the back button after logging out on a shared
    computer shows nothing). Anonymous pages and static files keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response

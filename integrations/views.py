"""The integrations page (calendar subscription, webhook endpoints) and the calendar feed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required
from accounts.models import Role
from integrations import calendar_feeds, webhooks
from integrations.forms import EndpointForm
from integrations.models import CalendarFeed
from marketplace.forms import add_service_errors

SHOWN_ONCE_KEY = "integrations.new_webhook_secret"


def _render_settings(request, *, endpoint_form=None, status=200):
    user = request.user
    context = {}
    if user.role in calendar_feeds.FEED_ROLES:
        feed = CalendarFeed.objects.filter(user=user).first()
        context |= {
            "calendar_enabled": True,
            "feed": feed,
            "feed_url": calendar_feeds.feed_url(feed) if feed else "",
            "webcal_url": calendar_feeds.webcal_url(feed) if feed else "",
        }
    owner = webhooks.owner_of(user)
    if owner is not None:
        context |= {
            "webhooks_enabled": True,
            "owner_kind": owner.kind,
            "endpoints": list(webhooks.endpoints_of(owner)),
            "deliveries": list(webhooks.recent_deliveries(owner)),
            "endpoint_form": endpoint_form or EndpointForm(owner_kind=owner.kind),
            "new_secret": request.session.pop(SHOWN_ONCE_KEY, None),
            "signature_header": webhooks.SIGNATURE_HEADER,
        }
    return render(request, "integrations/settings.html", context, status=status)


@role_required(Role.STUDENT, Role.EMPLOYER, Role.CAREER_STAFF)
@require_GET
def integrations_settings(request):
    return _render_settings(request)


# --- Calendar -----------------------------------------------------------------------------


@role_required(Role.STUDENT, Role.EMPLOYER, Role.CAREER_STAFF)
@require_POST
def calendar_feed_renew(request):
    had_one = CalendarFeed.objects.filter(user=request.user).exists()
    calendar_feeds.calendar_feed_renew(actor=request.user)
    if had_one:
        messages.success(request, "Your calendar has a new address; the old one no longer works.")
    else:
        messages.success(request, "Your calendar address is ready: add it to your calendar.")
    return redirect("integrations:settings")


@role_required(Role.STUDENT, Role.EMPLOYER, Role.CAREER_STAFF)
@require_POST
def calendar_feed_disable(request):
    if calendar_feeds.calendar_feed_disable(actor=request.user):
        messages.success(request, "Calendar feed turned off: its address no longer works.")
    return redirect("integrations:settings")


@require_GET
def calendar_feed(request, key: str, secret: str):
    """The feed itself. No login: the secret in the address is the credential, so every
    wrong, old or revoked address gets the same 404."""
    feed = calendar_feeds.feed_for_address(key=key, secret=secret)
    if feed is None:
        raise Http404("No such calendar.")
    now = timezone.now()
    body = calendar_feeds.feed_ical(feed.user, now=now)
    calendar_feeds.note_fetch(feed, now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="micro-internships.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Webhooks -----------------------------------------------------------------------------


@role_required(Role.EMPLOYER, Role.CAREER_STAFF)
@require_http_methods(["POST"])
def webhook_add(request):
    owner = webhooks.owner_of(request.user)
    if owner is None:
        raise Http404("No organization or school.")
    form = EndpointForm(request.POST, owner_kind=owner.kind)
    if form.is_valid():
        try:
            endpoint, secret = webhooks.endpoint_add(
                actor=request.user,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[SHOWN_ONCE_KEY] = {"endpoint": endpoint.pk, "secret": secret}
            messages.success(request, "Endpoint added. Copy its signing secret now.")
            return redirect("integrations:settings")
    return _render_settings(request, endpoint_form=form, status=400)


@role_required(Role.EMPLOYER, Role.CAREER_STAFF)
@require_POST
def webhook_remove(request, pk: int):
    endpoint = webhooks.endpoint_for_owner_or_404(request.user, pk)
    webhooks.endpoint_remove(actor=request.user, endpoint=endpoint)
    messages.success(request, f"Endpoint {endpoint.url} removed.")
    return redirect("integrations:settings")

"""The integrations page (calendar subscription) and the feed that calendar programs read."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.access import role_required
from accounts.models import Role
from integrations import calendar_feeds
from integrations.models import CalendarFeed

SETTINGS_ROLES = (Role.STUDENT, Role.EMPLOYER)


@role_required(*SETTINGS_ROLES)
@require_GET
def integrations_settings(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "integrations/settings.html",
        {
            "feed": feed,
            "feed_url": calendar_feeds.feed_url(feed) if feed else "",
            "webcal_url": calendar_feeds.webcal_url(feed) if feed else "",
        },
    )


@role_required(*SETTINGS_ROLES)
@require_POST
def calendar_feed_renew(request):
    had_one = CalendarFeed.objects.filter(user=request.user).exists()
    calendar_feeds.calendar_feed_renew(actor=request.user)
    if had_one:
        messages.success(request, "Your calendar has a new address; the old one no longer works.")
    else:
        messages.success(request, "Your calendar address is ready: add it to your calendar.")
    return redirect("integrations:settings")


@role_required(*SETTINGS_ROLES)
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

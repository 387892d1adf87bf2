"""The browse page's rendered results, cached under a version of the market.

Rendering a page of twenty project cards and the filter form costs far more than its
queries, and every visitor asking for the same search sees the same cards. So the page's
content is rendered once per search and kept in the cache (Redis in production), under a
key that holds:

- the **market version**, a token replaced after every commit that changes what browse
  shows: a project saved or deleted (published, edited, closed, filled, cancelled), its
  skills changed, an organization saved (verified, suspended, renamed), a skill saved;
- today's date, since a project stops being listed the day after its apply-by date;
- the search itself (every parameter of the URL), and for the best-match order the
  viewer's skills, which decide the order.

A change is therefore on the page at the next request after its commit; entries also
expire after `MARKET_CACHE_SECONDS`, so nothing outlives a missed signal for long.

One thing differs between viewers of the same search: a student sees "Applied" on the
projects they applied to. The cached content has a marker where that badge goes, and each
request fills the markers from one query of the student's applications on the page.
"""

import hashlib
import logging
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import QueryDict

from accounts.models import Organization, Skill
from projects.models import Project
from projects.rules import apply_by_today

logger = logging.getLogger(__name__)

VERSION_KEY = "projects:market-version"
# Part of every key: change it when BrowseContent or the fragment's template changes shape.
CONTENT_FORMAT = "1"
APPLIED_BADGE = '<span class="badge text-bg-info">Applied</span>'
_APPLIED_MARKER = re.compile(r"<!--applied (\d+)-->")


def market_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or "none"
    return version


def bump_market_version() -> None:
    """Every cached browse page is out of date from now on."""
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:
        # A change to the market never fails because the cache is away; the pages it
        # kept expire after MARKET_CACHE_SECONDS.
        logger.exception("Could not replace the market version in the cache.")


def _market_changed(**kwargs) -> None:
    # At once (a page rendered inside the same transaction sees the change), and again
    # after the commit: a request of another process between the two would otherwise have
    # cached the old rows under the new version.
    bump_market_version()
    transaction.on_commit(bump_market_version, robust=True)


for _model in (Project, Organization, Skill):
    post_save.connect(_market_changed, sender=_model, dispatch_uid=f"market.save.{_model}")
    post_delete.connect(_market_changed, sender=_model, dispatch_uid=f"market.del.{_model}")


@receiver(m2m_changed, sender=Project.skills.through, dispatch_uid="market.project_skills")
def _project_skills_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        _market_changed()


@dataclass(frozen=True)
class BrowseContent:
    html: str  # with an applied marker in each card
    project_ids: tuple[int, ...]  # the projects on the page


def browse_key(params: QueryDict, match_skill_ids: list[int]) -> str | None:
    """The key of this search's content under the current market version, read before the
    page is rendered: a change committed meanwhile makes the content kept under it unused.
    None when caching is off or the cache is away (the page is then rendered afresh, never
    refused)."""
    if settings.MARKET_CACHE_SECONDS <= 0:
        return None
    search = repr((sorted(params.lists()), sorted(match_skill_ids)))
    digest = hashlib.sha256(search.encode()).hexdigest()[:32]
    try:
        version = market_version()
    except Exception:
        logger.exception("Could not read the market version from the cache.")
        return None
    return f"projects:browse:{CONTENT_FORMAT}:{version}:{apply_by_today().isoformat()}:{digest}"


def cached_content(key: str | None) -> BrowseContent | None:
    if key is None:
        return None
    try:
        return cache.get(key)
    except Exception:
        logger.exception("Could not read the browse page from the cache.")
        return None


def keep_content(key: str | None, content: BrowseContent) -> None:
    if key is None:
        return
    try:
        cache.set(key, content, settings.MARKET_CACHE_SECONDS)
    except Exception:
        logger.exception("Could not keep the browse page in the cache.")


def mark_applied(html: str, applied_ids: set[int]) -> str:
    return _APPLIED_MARKER.sub(
        lambda m: APPLIED_BADGE if int(m.group(1)) in applied_ids else "", html
    )

"""Which written pages belong in the sitemaps, and when each last changed.

Pelican announces every page it writes (the content_written signal) with the context it rendered it
with. ``Collector.add`` keeps what the sitemaps need from each; ``entries`` and ``news_items`` hand it
over once the build has written everything. Using what was really written, rather than rebuilding
Pelican's URL rules, means paginated pages, desk pages and any page a plugin adds are covered too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from newsroom_content.enrich import is_public, literal_text

from .pages import absolute, url_of_file
from .sitemaps import NEWS_WINDOW, Entry, NewsItem

NOT_PUBLIC = ("404.html",)


def changed(item) -> dt.datetime | None:
    """When the page last changed: Modified, else the Date; a live blog's latest update if later (newsroom_live)."""
    when = getattr(item, "modified", None) or getattr(item, "date", None)
    live = getattr(item, "live", None)
    if live is not None and live.last_updated is not None and (when is None or live.last_updated > when):
        return live.last_updated
    return when


def in_sitemap(relpath: str, ctx) -> bool:
    """An HTML page readers may find: not the 404 page, nor the page of an article or page that is not
    public (the content model's rule: a draft, a hidden or a scheduled one)."""
    if not relpath.endswith(".html") or relpath in NOT_PUBLIC or relpath.startswith("drafts/"):
        return False
    item = ctx.get("article") or ctx.get("page")
    return item is None or is_public(item)


def last_change(relpath: str, ctx, newest: dict | None = None, changes: dict | None = None) -> dt.datetime | None:
    """When the page's content last changed: an article's or page's own Modified or Date; for a listing,
    the newest change among the articles it lists (all its pages, since a new article shifts every page).
    None when the page does not say (a static page with neither date, an empty section)."""
    item = ctx.get("article") or ctx.get("page")
    if item is not None:
        return changed(item)
    paginator = ctx.get("articles_paginator")
    listed = getattr(paginator, "object_list", None) if paginator is not None else ctx.get("articles")
    if not listed:
        return None
    # Every page of a listing shares one list: the newest change is worked out once per list, not once
    # per page (that was quadratic in the length of a big section's archive).
    newest = {} if newest is None else newest  # id(list) -> (the list, kept so the id stays its; newest)
    key = id(listed)
    if newest.get(key, (None,))[0] is not listed:
        # A story is in a list per tag, author, section and month: its change is worked out once
        # (`changes`: id(story) -> its change, for stories that live as long as the build).
        known = {} if changes is None else changes
        dates = []
        for item in listed:
            when = known.get(id(item), _UNKNOWN)
            if when is _UNKNOWN:
                when = known[id(item)] = changed(item)
            if when is not None:
                dates.append(when)
        newest[key] = (listed, max(dates) if dates else None)
    return newest[key][1]


_UNKNOWN = object()


@dataclass
class Collector:
    """The pages one build wrote that belong in the sitemaps."""

    pages: dict[str, dt.datetime | None] = field(default_factory=dict)  # relative URL -> last change
    articles: dict[str, object] = field(default_factory=dict)  # relative URL -> published Article
    newest: dict = field(default_factory=dict)  # last_change's per-list results for this build
    changes: dict = field(default_factory=dict)  # last_change's per-story results for this build

    def add(self, relpath: str, ctx) -> None:
        relpath = relpath.replace("\\", "/")
        if not in_sitemap(relpath, ctx):
            return
        url = url_of_file(relpath)
        self.pages[url] = last_change(relpath, ctx, self.newest, self.changes)
        if ctx.get("article") is not None:
            self.articles[url] = ctx.get("article")

    def entries(self, site: str, fallback: dt.datetime) -> list[Entry]:
        """Pages that do not say when they changed get the newest change on the site (else `fallback`, the
        build's clock): never a time that differs between two builds of the same content."""
        known = [d for d in self.pages.values() if d is not None]
        newest = max(known) if known else fallback
        return [Entry(absolute(site, url), when or newest) for url, when in self.pages.items()]

    def news_items(self, site: str, now: dt.datetime | None = None) -> list[NewsItem]:
        """The news sitemap's candidates. With `now`, only what news_selection and newest_item can pick
        from them: the articles of the news window, or without any, the newest published by `now` (rather
        than an item, with its title made plain text, for every article of the archive)."""
        chosen = self.articles.items()
        if now is not None:
            published = [(url, a) for url, a in chosen if a.date <= now]
            chosen = [(url, a) for url, a in published if now - NEWS_WINDOW <= a.date]
            if not chosen and published:
                chosen = [max(published, key=lambda pair: (pair[1].date, absolute(site, pair[0])))]
        return [
            NewsItem(absolute(site, url), a.date, literal_text(a.title), getattr(a, "lang", "") or "")
            for url, a in chosen
        ]

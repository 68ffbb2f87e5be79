"""The newsroom's feeds: RSS 2.0 and Atom 1.0 for the whole paper, each desk, section, author and tag,
and a JSON Feed 1.1 of the whole paper, built with feedgen in place of Pelican's own feeds.

URLs: /feeds/all.rss.xml, /feeds/all.atom.xml, /feeds/all.json, /feeds/<desk|section|author|tag>/<slug>.rss.xml
and .atom.xml beside each, and a /feeds/ page (theme/templates/feeds.html) that lists them all. Templates
see the list as NEWSROOM_FEEDS (catalog.FeedCatalog).

Only published articles appear: the content plugin has already taken scheduled articles out of the
article list and kept drafts to the preview, and hidden articles are never in it. How an item is made,
and why its id is a tag: URI, is in items.py; the settings are in settings.py; README.md has the rest.
"""

from __future__ import annotations

import logging
import os
from functools import partial

from newsroom_engine import api
from pelican import signals
from pelican.generators import Generator

from newsroom_content.order import NewestFirst

from . import settings as feed_settings
from .catalog import PAGE_SAVE_AS, PAGE_URL, build_catalog
from .items import build_item, correction_item
from .page import feeds_page
from .render import NEVER, Entries, atom_bytes, feed_updated, json_bytes, logo_url, make_feedgen, rss_bytes

logger = logging.getLogger(__name__)
PLUGIN = feed_settings.PLUGIN


class FeedsGenerator(Generator):
    """Writes every feed and the /feeds/ page into this build's output folder."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Once per build, before any content is read: a bad setting stops the build with every problem listed.
        self.feed_settings = feed_settings.load(self.settings)
        self.catalog = None
        self._items = {}
        self._entries = Entries()  # each item's feedgen entry and elements, for all the feeds it is in

    def generate_context(self):
        # The article generator has run: the published list, tags, authors and the desks' lists are final.
        self.catalog = build_catalog(self.context, self.feed_settings.sitename, self.feed_settings.description)
        self.context["NEWSROOM_FEEDS"] = self.catalog

    def item(self, article):
        # An article is in up to a handful of feeds; its HTML is parsed once.
        key = id(article)
        if key not in self._items:
            self._items[key] = build_item(article, self.feed_settings)
        return self._items[key]

    def write(self, path: str, data: bytes) -> None:
        target = os.path.join(self.output_path, *path.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)

    def write_feed(self, feed, articles, fallback, make_item=None) -> None:
        cfg = self.feed_settings
        items = [(make_item or self.item)(a) for a in articles]
        updated = feed_updated(items, fallback)
        fg = make_feedgen(feed, items, updated, cfg, self._entries)
        self.write(feed.file("rss").path, rss_bytes(fg, feed, cfg))
        self.write(feed.file("atom").path, atom_bytes(fg, feed, items, cfg))
        if feed.file("json"):
            self.write(feed.file("json").path, json_bytes(feed, items, cfg))

    def generate_output(self, writer):
        cfg = self.feed_settings
        if cfg.logo and not logo_url(cfg):
            logger.warning("%s: NEWSROOM_FEEDS_LOGO: %s is not in %s; the feeds have no logo", PLUGIN, cfg.logo, cfg.content_path)
        order = NewestFirst(self.catalog.paper.articles)
        paper_items = [self.item(a) for a in order.everything[: cfg.max_items]]
        # A feed with no items yet is dated by the paper's last change, so it still never uses the clock.
        fallback = feed_updated(paper_items, NEVER)
        written = reused = 0
        # The engine's writer keeps a feed from the last good output when nothing it shows changed: the
        # same articles, each unchanged.
        for feed in self.catalog:
            articles = order(feed.articles)[: cfg.max_items]
            paths = [f.path for f in feed.files]
            if api.reuse_files(writer, paths, "feed", articles, fallback.isoformat()):
                reused += len(paths)
                continue
            job = partial(self.write_feed, feed, articles, fallback)
            # The engine's writer runs the feeds with the queued pages, on every core.
            api.queue_work(writer, f"feed {feed.file('rss').path}", job)
            written += len(feed.files)
        corrections = self.catalog.corrections
        if corrections is not None:
            # Its items are the corrections, newest first (the list the corrections page shows, at most
            # max_items), each dated when it was made.
            articles = corrections.articles[: cfg.max_items]
            paths = [f.path for f in corrections.files]
            if api.reuse_files(writer, paths, "corrections feed", articles, fallback.isoformat()):
                reused += len(paths)
            else:
                make_item = partial(correction_item, cfg=cfg)
                api.queue_work(writer, "feed of corrections",
                               partial(self.write_feed, corrections, articles, fallback, make_item))
                written += len(paths)
        writer.write_file(
            PAGE_SAVE_AS, self.get_template("feeds"), self.context,
            url=PAGE_URL, page_name=PAGE_SAVE_AS.rsplit(".", 1)[0], template_name="feeds",
            feeds_page=feeds_page(self.catalog, cfg.url),
        )
        logger.info("%s: wrote %d feeds to %s/ (%d unchanged, kept from the last build)", PLUGIN, written,
                    os.path.dirname(PAGE_SAVE_AS), reused)


def get_generators(pelican):
    return FeedsGenerator


def register():
    # get_generators: our generator runs after the article generator, so the published list is final
    # when it builds the feed list, and it writes into the same (staging) output folder as the site.
    signals.get_generators.connect(get_generators)

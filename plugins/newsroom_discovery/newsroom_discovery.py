"""Being found and shared: page metadata, sitemaps and robots.txt.

* Templates get `discovery_head()`, which returns the page's canonical URL, <meta> tags (description,
  Open Graph, Twitter card) and JSON-LD, worked out from the page's own context (head.py);
  theme/templates/partials/meta.html writes them into every page's <head>. On a published article's page
  some of those tags also tell Pagefind a search result's metadata and filters (data-pagefind-*);
  `discovery_search_meta()` gives them again to the page's search record (newsroom_search), which is
  rendered right after the page from the same context, so the head is worked out once.
* Once the site is written: /sitemap.xml (an index of numbered sitemaps past 50,000 URLs),
  /news-sitemap.xml and /robots.txt (sitemaps.py), from the pages Pelican really wrote (collect.py).

Site search itself (Pagefind, the search records) is newsroom_search's.

Why not pelican-sitemap (1.2.2): it gives every listing page the wall clock's time as lastmod, so two
builds of the same content differ; it reads an article's `priority` as the sitemap priority and logs an
error for our "lead"/"top"/"normal" values, which fails our builds; it writes relative URLs when SITEURL
is empty, as in local builds; and it has no sitemap index, news sitemap or robots.txt.

Settings and their defaults are in settings.py.
"""

from __future__ import annotations

import logging
import os

from jinja2 import pass_context
from pelican import signals

from .collect import Collector
from .head import HeadMeta, head_meta
from .pages import site_address
from .settings import CONFIG_KEY, PLUGIN, load_config
from .sitemaps import Entry, news_selection, news_sitemap, newest_item, robots_txt, sitemap_files

logger = logging.getLogger(__name__)

COLLECTOR_KEY = "NEWSROOM_DISCOVERY_COLLECTOR"
NEWS_SITEMAP = "news-sitemap.xml"

# Each build's page collector, by the folder it writes into: the finalized signal only gives the Pelican
# object, whose output_path is that folder (the staging folder, with NewsroomPelican).
_RUNS: dict[str, Collector] = {}


class HeadMemo:
    """The head of the article page rendered last, for its search record, which the engine's writer renders
    right after it from the same context. One page at a time, so nothing piles up."""

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        self.article = self.output = self.head = None

    def get(self, ctx) -> HeadMeta | None:
        if self.article is ctx.get("article") and self.output == ctx.get("output_file"):
            return self.head
        return None

    def keep(self, ctx, head: HeadMeta) -> None:
        if ctx.get("article") is not None:
            self.article, self.output, self.head = ctx["article"], ctx.get("output_file"), head


_HEAD = HeadMemo()


def check_settings(pelican) -> None:
    pelican.settings[CONFIG_KEY] = load_config(pelican.settings)


def start_run(pelican):
    _RUNS[os.path.abspath(pelican.output_path)] = Collector()
    _HEAD.clear()
    return None  # no generator of our own: get_generators is only the start-of-run hook


@pass_context
def discovery_head(ctx):
    config = ctx.get(CONFIG_KEY)
    if config is None:
        return None
    head = _HEAD.get(ctx)
    if head is None:
        head = head_meta(ctx, config)
        _HEAD.keep(ctx, head)
    return head


@pass_context
def discovery_search_meta(ctx):
    """The <meta> tags of the page's head that Pagefind reads (data-pagefind-*), for its search record."""
    head = discovery_head(ctx)
    return head.search_elements if head is not None else ()


def add_template_globals(generator) -> None:
    collector = _RUNS.get(os.path.abspath(generator.output_path))
    if collector is not None:
        generator.context[COLLECTOR_KEY] = collector
    if hasattr(generator, "env"):
        generator.env.globals["discovery_head"] = discovery_head
        generator.env.globals["discovery_search_meta"] = discovery_search_meta


def record_page(path, context) -> None:
    collector = context.get(COLLECTOR_KEY)
    if collector is not None and context.get("output_file"):
        collector.add(context["output_file"], context)


def write_text(folder: str, name: str, text: str) -> None:
    with open(os.path.join(folder, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_sitemaps(folder: str, collector: Collector, settings: dict, config) -> None:
    site = site_address(settings)
    now = settings["NEWSROOM_BUILD_NOW"]
    entries = collector.entries(site, now)
    files = sitemap_files(entries, site, config.sitemap_max_urls)
    news_items = collector.news_items(site, now)
    items, left_out = news_selection(news_items, now)
    if left_out:
        logger.warning("%s: %d article(s) of the last two days left out of %s: Google reads at most 1,000",
                       PLUGIN, left_out, NEWS_SITEMAP)
    newest = None
    if not items:
        # Nothing recent: the news sitemap keeps its address with the newest article as a plain URL.
        latest = newest_item(news_items, now)
        lastmod = {e.url: e.lastmod for e in entries}
        newest = Entry(latest.url, lastmod.get(latest.url, latest.published)) if latest else None
    news = news_sitemap(items, config.news_name, newest)
    if news is not None:
        files[NEWS_SITEMAP] = news
    for name, text in files.items():
        write_text(folder, name, text)
    # robots.txt names only what this build wrote: an omitted file leaves no reference behind. The
    # numbered sitemaps are reached through the index, sitemap.xml.
    named = [name for name in ("sitemap.xml", NEWS_SITEMAP) if name in files]
    write_text(folder, "robots.txt", robots_txt(site, named))
    logger.info("%s: wrote %s (%d URLs) and %s (%d articles)", PLUGIN, ", ".join(files),
                len(collector.pages), NEWS_SITEMAP if news else "no news sitemap", len(items))


def finish_run(pelican) -> None:
    folder = os.path.abspath(pelican.output_path)
    collector = _RUNS.pop(folder, None)
    _HEAD.clear()
    config = pelican.settings.get(CONFIG_KEY)
    if collector is None or config is None:
        return
    write_sitemaps(folder, collector, pelican.settings, config)


def register():
    # initialized: check the settings once, before anything is read, so a bad value stops the build early.
    signals.initialized.connect(check_settings)
    # get_generators: sent at the start of every run (make serve reuses one Pelican for many), so each
    # build starts with an empty list of written pages.
    signals.get_generators.connect(start_run)
    # generator_init: templates get discovery_head() (and discovery_search_meta() for search records), and
    # the run's context gets the page collector.
    signals.generator_init.connect(add_template_globals)
    # content_written: every page Pelican writes, with the context it was rendered with.
    signals.content_written.connect(record_page)
    # finalized: everything is written, into pelican.output_path (the staging folder); the sitemaps list
    # every page written.
    signals.finalized.connect(finish_run)

"""Live coverage: live blogs written as timestamped updates in one Markdown file (newsroom_content.live).

* As an Article is made (and kept with it in the engine's article cache): its story is split into the
  introduction and the updates (blog.read_parts), and rewritten as the story feeds and search read.
* Before the taxonomies (after newsroom_content has enriched the articles): `article.live`, the blog on the
  build's clock (blog.LiveBlog): live or ended, the updates shown, the key events. The end time and an
  update timed after the clock are scheduled changes (newsroom_content.schedule), and what the clock
  decides goes into the pages' keys (CLOCK_KEY), so a page showing the blog is rendered again when it ends.
* Output: beside each live blog's page, `updates.json` (what the page's live.js polls) and
  `updates.atom.xml` (a feed of its updates), kept from the last build while the blog is unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os

from feedgen.feed import FeedGenerator
from newsroom_engine import api
from pelican import signals
from pelican.contents import Article
from pelican.generators import Generator

from newsroom_checks import display_path
from newsroom_content.schedule import add_scheduled_change
from newsroom_feeds import settings as feed_settings
from newsroom_feeds.items import absolutize_html, tag_uri, xml_safe

from .blog import FEED_NAME, FORMAT, JSON_NAME, LiveBlog, LiveSplitError, iso, read_parts, story_html
from .settings import CONFIG_KEY, PLUGIN, load_config

logger = logging.getLogger(__name__)

# Not NEWSROOM_LIVE_*: set by the build, not by the site. A setting, so it is part of every page's key.
CLOCK_KEY = "NEWSROOM_LIVEBLOG_CLOCK"
UPDATE_TEMPLATE = "partials/live_update.html"


def check_settings(pelican) -> None:
    pelican.settings[CONFIG_KEY] = load_config(pelican.settings)
    pelican.settings.pop(CLOCK_KEY, None)


@api.cached_receiver  # depends only on the file, its story as read and the settings
def read_live_blog(content) -> None:
    """content_object_init: a live blog's parts, kept on the Article; its story in the form feeds read."""
    if not isinstance(content, Article) or not content.metadata.get("live"):
        return
    try:
        with open(content.source_path, encoding="utf-8") as f:
            text = f.read().removeprefix("\ufeff")
        parts = read_parts(text, api.story_html(content) or "", content.date, content.metadata["live"],
                           content.settings.get("TIMEZONE"))
    except (OSError, LiveSplitError) as e:
        logger.error("%s: %s: the updates cannot be read: %s. Fix: start each update with a `## HH:MM` line "
                     "and use `###` for subheadings (make check says which line)", PLUGIN,
                     display_path(content.source_path), e)
        return
    content.live_parts = parts
    api.replace_story_html(content, story_html(parts, list(parts.updates)))


def live_blogs(generator) -> list:
    return [a for a in (*generator.articles, *generator.hidden_articles, *generator.drafts, *generator.translations)
            if getattr(a, "live_parts", None) is not None]


def put_on_clock(generator) -> None:
    """article_generator_pretaxonomy: every live blog as the build's clock sees it."""
    settings = generator.settings
    now = settings["NEWSROOM_BUILD_NOW"]
    poll = (settings.get(CONFIG_KEY) or load_config(settings)).poll_seconds
    public = {id(a) for a in (*generator.articles, *generator.hidden_articles)}
    clock = []
    for article in live_blogs(generator):
        blog = article.live = LiveBlog(article, article.live_parts, now, poll)
        if blog.waiting:
            # Only the updates whose time has come are in the story feeds and search read.
            api.replace_story_html(article, story_html(article.live_parts, blog.shown_parts))
        clock.append((article.relative_source_path, blog.clock_state()))
        if id(article) not in public:
            continue
        path = article.relative_source_path
        if blog.spec.until is not None and blog.spec.until > now:
            add_scheduled_change(settings, blog.spec.until, f"live blog {path} ends")
        if blog.waiting:
            add_scheduled_change(settings, blog.waiting[0].at, f"live blog {path}: the update timed {blog.waiting[0].at:%H:%M} appears")
    settings[CLOCK_KEY] = tuple(sorted(clock))


def forget_clock(pelican) -> None:
    """finalized: the next run of `make serve`'s Pelican starts without this run's clock."""
    pelican.settings.pop(CLOCK_KEY, None)


def blog_json(blog: LiveBlog, render_update, site_url: str) -> dict:
    """What updates.json holds (README, "Live coverage"): newest first, each update's markup as the page has it."""
    return {
        "format": FORMAT,
        "url": f"{site_url}/{blog.article.url}",
        "live": blog.is_live,
        "poll_seconds": blog.poll_seconds,
        "updated": iso(blog.last_updated or blog.started),
        "ends": iso(blog.ends) if blog.ends else None,
        "updates": [
            {"id": u.id, "datePublished": iso(u.at), "time": u.time_text, "headline": u.headline, "key": u.key,
             "byline": u.byline, "html": render_update(u)}
            for u in blog.updates
        ],
    }


def blog_feed(blog: LiveBlog, cfg) -> bytes:
    """The blog's own Atom feed: one entry per update shown, newest first, each linking to its anchor."""
    article = blog.article
    page = cfg.url(article.url)
    base_id = tag_uri(cfg.tag_authority, article.date.date(), article.relative_source_path)
    fg = FeedGenerator()
    fg.id(base_id + "#updates")
    fg.title(xml_safe(f"{article.title}: live updates"))
    fg.subtitle(xml_safe(getattr(article, "standfirst", "") or article.title))
    fg.link(href=cfg.url(article.url + FEED_NAME), rel="self", type="application/atom+xml")
    fg.link(href=page, rel="alternate", type="text/html")
    fg.language(getattr(article, "lang", None) or cfg.language)
    fg.author([{"name": xml_safe(a.name), "uri": cfg.url(a.url)} for a in article.authors] or [{"name": cfg.sitename}])
    fg.updated(blog.last_updated or blog.started)
    for update in reversed(blog.updates):  # feedgen prepends: the newest ends up first
        entry = fg.add_entry()
        entry.id(f"{base_id}#{update.id}")
        entry.title(xml_safe(f"{update.time_text} {update.headline}".strip()))
        entry.link(href=f"{page}#{update.id}", rel="alternate")
        entry.published(update.at)
        entry.updated(update.at)
        if update.byline:
            entry.author({"name": xml_safe(update.byline)})
        entry.content(absolutize_html(xml_safe(blog.update_html(update)), page), type="html")
    return fg.atom_str(pretty=True)


class LiveFilesGenerator(Generator):
    """Writes each live blog's updates.json and updates.atom.xml beside its page (published, hidden, and in
    the preview the drafts, so an editor sees the page as readers will)."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        articles = [a for a in (*self.context.get("articles", ()), *self.context.get("hidden_articles", ()),
                                *self.context.get("drafts", ()))
                    if getattr(a, "live", None) is not None]
        if not articles:
            return
        cfg = feed_settings.load(self.settings)
        template = self.get_template(UPDATE_TEMPLATE.removesuffix(".html"))
        written = 0
        for article in articles:
            folder = os.path.dirname(article.save_as)
            paths = [f"{folder}/{JSON_NAME}", f"{folder}/{FEED_NAME}"]
            if api.reuse_files(writer, paths, "live blog", [article], article.live.clock_state()):
                continue
            self.write(paths, article, template, cfg)
            written += 1
        logger.info("%s: wrote the updates of %d live blog(s), %d unchanged", PLUGIN, written, len(articles) - written)

    def write(self, paths, article, template, cfg) -> None:
        blog = article.live
        lang = getattr(article, "lang", None)

        def render_update(update) -> str:
            return template.render({**self.context, "article": article, "update": update, "ui": lang}).strip()

        site = self.settings.get("SITEURL") or ""
        data = json.dumps(blog_json(blog, render_update, site), ensure_ascii=False, indent=1) + "\n"
        for path, payload in zip(paths, (data.encode("utf-8"), blog_feed(blog, cfg))):
            target = os.path.join(self.output_path, *path.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(payload)


def get_generators(pelican):
    return LiveFilesGenerator


def register():
    # initialized: check the settings once, before anything is read.
    signals.initialized.connect(check_settings)
    # content_object_init: as each Article is made, so the parts are kept with it in the article cache.
    signals.content_object_init.connect(read_live_blog)
    # pretaxonomy: after newsroom_content (listed before this plugin) has held back scheduled articles.
    signals.article_generator_pretaxonomy.connect(put_on_clock)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(forget_clock)

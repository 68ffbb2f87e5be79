"""Old URLs that keep working.

When an editor changes a published article's `Slug:` or section, the check (newsroom_checks.redirects)
finds the move in content/data/redirects.yml and git's history and puts the map of old URL -> new URL into
the settings (NEWSROOM_URL_REDIRECTS). Once the site is written, this plugin writes, into the same folder:

* at every old URL, a page that sends readers on (files.redirect_page): what every host serves;
* `_redirects` (NEWSROOM_REDIRECTS_NETLIFY_FILE), which Netlify and Cloudflare Pages read and answer with a
  real 301;
* `_redirects.map` (NEWSROOM_REDIRECTS_NGINX_FILE), the same as nginx `map` lines, which
  content/extra/nginx.conf includes.

The redirect pages are not written through Pelican's writer, so they are in no sitemap, feed or search
index; they are written afresh by every build (a handful of small files), so an incremental build drops a
redirect the moment its story moves back, exactly as a clean build would.

Settings and their defaults are in settings.py.
"""

from __future__ import annotations

import logging
import os

from pelican import signals

from newsroom_content.urls import site_url

from .files import Target, netlify_redirects, nginx_map, redirect_page
from .settings import CONFIG_KEY, PLUGIN, load_config

logger = logging.getLogger(__name__)

REDIRECTS_KEY = "NEWSROOM_URL_REDIRECTS"  # set by the content check (newsroom_content.build)
# Each run's targets (URL -> Target), by the folder it writes into: the finalized signal only gives the
# Pelican object, whose output_path is that folder (the staging folder).
_TARGETS: dict[str, dict[str, Target]] = {}


def check_settings(pelican) -> None:
    pelican.settings[CONFIG_KEY] = load_config(pelican.settings)


def start_run(pelican):
    _TARGETS[os.path.abspath(pelican.output_path)] = {}
    return None  # no generator of our own: get_generators is only the start-of-run hook


def collect_targets(generator) -> None:
    """The title and language of the articles and pages readers can reach that an old URL now leads to,
    for the redirect pages' links."""
    targets = _TARGETS.get(os.path.abspath(generator.output_path))
    wanted = set((generator.settings.get(REDIRECTS_KEY) or {}).values())
    if targets is None or not wanted:
        return
    for name in ("articles", "hidden_articles", "pages", "hidden_pages"):
        for item in may_be_at(getattr(generator, name, None) or (), wanted, generator.settings):
            targets.setdefault(item.url, Target(str(item.title), getattr(item, "lang", "") or "",
                                                getattr(item, "text_direction", "") or ""))


URL_SETTINGS = ("ARTICLE_URL", "ARTICLE_LANG_URL", "PAGE_URL", "PAGE_LANG_URL")


def may_be_at(items, urls: set[str], settings: dict) -> list:
    """Those of `items` whose URL may be one of `urls`. When every URL setting has `{slug}` as a whole
    path segment, an item's URL has its slug as one: only the items whose slug is a segment of one of `urls`
    (or whose URL is set in the file) are asked for their URL, which an archive's stories would otherwise
    each work out for this alone on every build. Else all of them."""
    if not all("{slug}" in str(settings.get(name) or "").split("/") for name in URL_SETTINGS):
        return list(items)
    segments = {segment for url in urls for segment in url.split("/")}
    return [item for item in items
            if hasattr(item, "override_url") or "/" in (slug := str(getattr(item, "slug", "") or "")) or slug in segments]


def write_file(folder: str, name: str, text: str) -> None:
    path = os.path.join(folder, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_redirects(folder: str, redirects: dict[str, str], targets: dict[str, Target], settings: dict, config) -> None:
    site = site_url(settings)
    if config.pages:
        for old, new in sorted(redirects.items()):
            page = os.path.join(old, "index.html") if old.endswith("/") else old
            if os.path.exists(os.path.join(folder, page)):
                # The check refuses an old URL that an article, page or listing has; anything else (a tag's
                # page, a file under content/) is not its to know, so the build says so here.
                logger.error("%s: /%s is both an old URL to redirect and a page of the site; remove its line from "
                             "content/data/redirects.yml, or rename what is there now", PLUGIN, old)
                continue
            write_file(folder, page, redirect_page(
                new, targets.get(new), siteurl=settings.get("SITEURL") or "", site=site,
                sitename=settings.get("SITENAME") or "", lang=settings.get("DEFAULT_LANG") or "en"))
    if config.netlify_file:
        write_file(folder, config.netlify_file, netlify_redirects(redirects, site=site, status=config.status))
    if config.nginx_file:
        write_file(folder, config.nginx_file, nginx_map(redirects, site=site))
    if redirects:
        logger.info("%s: %d old URL(s) redirected", PLUGIN, len(redirects))


def finish_run(pelican) -> None:
    folder = os.path.abspath(pelican.output_path)
    targets = _TARGETS.pop(folder, {})
    config = pelican.settings.get(CONFIG_KEY)
    if config is None:
        return
    write_redirects(folder, pelican.settings.get(REDIRECTS_KEY) or {}, targets, pelican.settings, config)


def register():
    # initialized: check the settings once, before anything is read, so a bad value stops the build early.
    signals.initialized.connect(check_settings)
    # get_generators: sent at the start of every run (make serve reuses one Pelican for many).
    signals.get_generators.connect(start_run)
    # article/page_generator_finalized: the stories readers can reach, with their final URLs and titles.
    signals.article_generator_finalized.connect(collect_targets)
    signals.page_generator_finalized.connect(collect_targets)
    # finalized: every page is written into pelican.output_path (the staging folder), so a redirect page
    # can be refused where a page already stands; precompression (when_written) runs after this.
    signals.finalized.connect(finish_run)

"""Defaults and validation of the NEWSROOM_DISCOVERY_* settings.

Every setting the plugin reads is in DEFAULTS. ``load_config`` merges them with the site's settings, checks
them once (the plugin calls it when Pelican starts) and returns a frozen Config; anything unusable raises
DiscoverySettingsError with a message that starts with the plugin's name and says how to fix it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from PIL import Image, UnidentifiedImageError

from newsroom_content.settings import NewsroomSettingsError, unknown_settings

PLUGIN = "newsroom_discovery"
PREFIX = "NEWSROOM_DISCOVERY_"
# Where the plugin keeps the checked Config in Pelican's settings (and so in every template's context).
CONFIG_KEY = "NEWSROOM_DISCOVERY_CONFIG"
# The sitemaps.org protocol's limit on the URLs in one sitemap file.
PROTOCOL_MAX_URLS = 50_000

DEFAULTS = {
    # Index the site with Pagefind at the end of every build, so /search/ works. Builds that do not need
    # search (most tests) may turn it off; the search page then only points readers to the archive.
    "NEWSROOM_DISCOVERY_SEARCH": True,
    # Seconds Pagefind may take before the build gives up on it (it takes well under a second for the
    # sample paper; an archive of 10,000 articles takes seconds, not minutes).
    "NEWSROOM_DISCOVERY_SEARCH_TIMEOUT": 300,
    # Pagefind runs (one per section) going at once. Each run's memory grows with its section's words
    # (about 150 MB for a section of 700 articles), so two at once use both cores of a small machine
    # (about a third faster at 10,000 articles) and keep the peak far under 1 GB; 1 runs them in turn.
    "NEWSROOM_DISCOVERY_SEARCH_WORKERS": 2,
    # The paper's logo, a path under PATH (content/) that is published as it is: the publisher's logo in
    # structured data, and the share image of pages that have no picture of their own.
    "NEWSROOM_DISCOVERY_LOGO": "images/logo.png",
    # Its text alternative; "" means "<SITENAME> logo".
    "NEWSROOM_DISCOVERY_LOGO_ALT": "",
    # The paper's X/Twitter account for twitter:site, e.g. "@commonledger"; "" leaves the tag out.
    "NEWSROOM_DISCOVERY_TWITTER_SITE": "",
    # <news:name> in the news sitemap: Google wants the name exactly as Google News shows it; "" means
    # SITENAME.
    "NEWSROOM_DISCOVERY_NEWS_NAME": "",
    # URLs per sitemap file before /sitemap.xml becomes an index of numbered sitemaps. The protocol allows
    # at most 50,000; a smaller number is only useful to test the index.
    "NEWSROOM_DISCOVERY_SITEMAP_MAX_URLS": PROTOCOL_MAX_URLS,
}


class DiscoverySettingsError(NewsroomSettingsError):
    """The NEWSROOM_DISCOVERY_* settings are unusable. A NewsroomSettingsError, so `make html` prints the
    message as one line instead of a traceback."""


@dataclass(frozen=True)
class Logo:
    url: str  # relative to SITEURL, like article.url
    width: int
    height: int
    alt: str
    mime: str


@dataclass(frozen=True)
class Config:
    search: bool
    search_timeout: int
    logo: Logo
    twitter_site: str
    news_name: str
    sitemap_max_urls: int
    # The path part of SITEURL with a trailing slash ("/" for a site at the root of its host): where the
    # search page's results link to.
    base_path: str
    # Pelican's ARTICLE_SAVE_AS: each section's articles are the pages it names with that section's slug
    # in {category}, indexed into the section's own search shard (search_shards.py).
    article_save_as: str = "{category}/{slug}/index.html"
    search_workers: int = 1


def _fail(name: str, problem: str, fix: str):
    raise DiscoverySettingsError(f"{PLUGIN}: {name} in pelicanconf.py {problem}. Fix: {fix}")


def _check_unknown(settings: dict) -> None:
    """A misspelt setting would otherwise be silently ignored."""
    for name, fix in unknown_settings(settings, PREFIX, set(DEFAULTS) | {CONFIG_KEY}):
        _fail(name, "is not a setting of this plugin", fix)


def _whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _read_logo(settings: dict, path) -> Logo:
    name = "NEWSROOM_DISCOVERY_LOGO"
    if not isinstance(path, str) or not path.strip() or os.path.isabs(path) or ".." in path.split("/"):
        _fail(name, f"is {path!r}", 'give a picture\'s path under the content folder, e.g. "images/logo.png".')
    content = settings.get("PATH") or "content"
    source = os.path.join(content, path)
    try:
        with Image.open(source) as im:
            width, height = im.size
            mime = Image.MIME.get(im.format or "", "")
    except FileNotFoundError:
        _fail(name, f"names {source}, which does not exist",
              "put the logo there, or give the path of the one you have.")
    except (UnidentifiedImageError, OSError) as e:
        _fail(name, f"names {source}, which is not a picture Pillow can read ({e})", "give a PNG or JPEG logo.")
    alt = settings.get("NEWSROOM_DISCOVERY_LOGO_ALT", DEFAULTS["NEWSROOM_DISCOVERY_LOGO_ALT"])
    if not isinstance(alt, str):
        _fail("NEWSROOM_DISCOVERY_LOGO_ALT", f"is {alt!r}", 'give text, e.g. "The Common Ledger logo", or "".')
    alt = alt.strip() or f"{settings.get('SITENAME') or 'The site'} logo"
    return Logo(url=path.strip().lstrip("/"), width=width, height=height, alt=alt, mime=mime)


def base_path(siteurl: str) -> str:
    path = urlsplit(siteurl or "").path.strip("/")
    return f"/{path}/" if path else "/"


def check_article_save_as(save_as) -> str:
    """Search is split by section (search_shards.py), so every article must be written under a path that
    names its section as a whole folder, which is what {category} gives."""
    name = "ARTICLE_SAVE_AS"
    if not isinstance(save_as, str) or "{category}" not in save_as.split("/") or ".." in save_as.split("/"):
        _fail(name, f"is {save_as!r}, which has no folder named by {{category}}",
              'keep the section as a folder of its own, e.g. "{category}/{slug}/index.html", or turn '
              "NEWSROOM_DISCOVERY_SEARCH off (search indexes each section's articles on its own).")
    return save_as


def load_config(settings: dict) -> Config:
    _check_unknown(settings)
    get = lambda name: settings.get(name, DEFAULTS[name])  # noqa: E731

    name = "NEWSROOM_DISCOVERY_SEARCH"
    search = get(name)
    if not isinstance(search, bool):
        _fail(name, f"is {search!r}", "write True or False.")

    name = "NEWSROOM_DISCOVERY_SEARCH_TIMEOUT"
    timeout = get(name)
    if not _whole_number(timeout) or timeout < 1:
        _fail(name, f"is {timeout!r}", "give a whole number of seconds, e.g. 300.")

    name = "NEWSROOM_DISCOVERY_SEARCH_WORKERS"
    search_workers = get(name)
    if not _whole_number(search_workers) or search_workers < 1:
        _fail(name, f"is {search_workers!r}", "give how many Pagefind runs may go at once: 1 or more, e.g. 2.")

    name = "NEWSROOM_DISCOVERY_TWITTER_SITE"
    twitter = get(name)
    if not isinstance(twitter, str) or (twitter and (not twitter.startswith("@") or len(twitter.split()) != 1)):
        _fail(name, f"is {twitter!r}", 'give the account with its @, e.g. "@commonledger", or "".')

    name = "NEWSROOM_DISCOVERY_NEWS_NAME"
    news_name = get(name)
    if not isinstance(news_name, str):
        _fail(name, f"is {news_name!r}", 'give the paper\'s name as Google News shows it, or "" for SITENAME.')
    news_name = news_name.strip() or (settings.get("SITENAME") or "").strip()
    if not news_name:
        _fail(name, "is empty and so is SITENAME", "set SITENAME, the paper's name.")

    name = "NEWSROOM_DISCOVERY_SITEMAP_MAX_URLS"
    max_urls = get(name)
    if not _whole_number(max_urls) or not 1 <= max_urls <= PROTOCOL_MAX_URLS:
        _fail(name, f"is {max_urls!r}", f"give a whole number from 1 to {PROTOCOL_MAX_URLS:,} (the protocol's limit).")

    save_as = settings.get("ARTICLE_SAVE_AS", "{category}/{slug}/index.html")
    if search:
        check_article_save_as(save_as)

    return Config(
        search=search, search_timeout=timeout, logo=_read_logo(settings, get("NEWSROOM_DISCOVERY_LOGO")),
        twitter_site=twitter, news_name=news_name, sitemap_max_urls=max_urls,
        base_path=base_path(settings.get("SITEURL") or ""), article_save_as=save_as,
        search_workers=search_workers,
    )

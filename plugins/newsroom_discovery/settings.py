"""The NEWSROOM_DISCOVERY_* settings: their defaults, and the rules ``load_config`` checks when Pelican
starts, which include reading the logo and Pelican's ARTICLE_SAVE_AS.

An unusable value raises DiscoverySettingsError, which names the setting and the fix (see plugin_settings.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from PIL import Image, UnidentifiedImageError

from newsroom_content.plugin_settings import NewsroomSettingsError, PluginSettings

PLUGIN = "newsroom_discovery"
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


def base_path(siteurl: str) -> str:
    path = urlsplit(siteurl or "").path.strip("/")
    return f"/{path}/" if path else "/"


class DiscoverySettings(PluginSettings):
    plugin, defaults, error = PLUGIN, DEFAULTS, DiscoverySettingsError

    def check(self) -> Config:
        search = self.true_or_false("NEWSROOM_DISCOVERY_SEARCH")
        timeout = self.whole_number("NEWSROOM_DISCOVERY_SEARCH_TIMEOUT", "give a whole number of seconds, e.g. 300.", low=1)
        search_workers = self.whole_number(
            "NEWSROOM_DISCOVERY_SEARCH_WORKERS", "give how many Pagefind runs may go at once: 1 or more, e.g. 2.", low=1)

        name = "NEWSROOM_DISCOVERY_TWITTER_SITE"
        twitter = self[name]
        if not isinstance(twitter, str) or (twitter and (not twitter.startswith("@") or len(twitter.split()) != 1)):
            self.fail(name, f"is {twitter!r}", 'give the account with its @, e.g. "@commonledger", or "".')

        name = "NEWSROOM_DISCOVERY_NEWS_NAME"
        news_name = self.text(name, 'give the paper\'s name as Google News shows it, or "" for SITENAME.')
        news_name = news_name.strip() or (self.settings.get("SITENAME") or "").strip()
        if not news_name:
            self.fail(name, "is empty and so is SITENAME", "set SITENAME, the paper's name.")

        max_urls = self.whole_number(
            "NEWSROOM_DISCOVERY_SITEMAP_MAX_URLS",
            f"give a whole number from 1 to {PROTOCOL_MAX_URLS:,} (the protocol's limit).", low=1, high=PROTOCOL_MAX_URLS)

        save_as = self.settings.get("ARTICLE_SAVE_AS", "{category}/{slug}/index.html")
        if search:
            self.check_article_save_as(save_as)

        return Config(
            search=search, search_timeout=timeout, logo=self.read_logo(), twitter_site=twitter, news_name=news_name,
            sitemap_max_urls=max_urls, base_path=base_path(self.settings.get("SITEURL") or ""),
            article_save_as=save_as, search_workers=search_workers,
        )

    def read_logo(self) -> Logo:
        name = "NEWSROOM_DISCOVERY_LOGO"
        path = self[name]
        if not isinstance(path, str) or not path.strip() or os.path.isabs(path) or ".." in path.split("/"):
            self.fail(name, f"is {path!r}", 'give a picture\'s path under the content folder, e.g. "images/logo.png".')
        source = os.path.join(self.settings.get("PATH") or "content", path)
        try:
            with Image.open(source) as im:
                width, height = im.size
                mime = Image.MIME.get(im.format or "", "")
        except FileNotFoundError:
            self.fail(name, f"names {source}, which does not exist",
                      "put the logo there, or give the path of the one you have.")
        except (UnidentifiedImageError, OSError) as e:
            self.fail(name, f"names {source}, which is not a picture Pillow can read ({e})", "give a PNG or JPEG logo.")
        alt = self.text("NEWSROOM_DISCOVERY_LOGO_ALT", 'give text, e.g. "The Common Ledger logo", or "".')
        alt = alt.strip() or f"{self.settings.get('SITENAME') or 'The site'} logo"
        return Logo(url=path.strip().lstrip("/"), width=width, height=height, alt=alt, mime=mime)

    def check_article_save_as(self, save_as) -> str:
        """Search is split by section (search_shards.py), so every article must be written under a path that
        names its section as a whole folder, which is what {category} gives."""
        if not isinstance(save_as, str) or "{category}" not in save_as.split("/") or ".." in save_as.split("/"):
            self.fail("ARTICLE_SAVE_AS", f"is {save_as!r}, which has no folder named by {{category}}",
                      'keep the section as a folder of its own, e.g. "{category}/{slug}/index.html", or turn '
                      "NEWSROOM_DISCOVERY_SEARCH off (search indexes each section's articles on its own).")
        return save_as


# Where the plugin keeps the checked Config in Pelican's settings (and so in every template's context).
CONFIG_KEY = DiscoverySettings.config_key
load_config = DiscoverySettings.load

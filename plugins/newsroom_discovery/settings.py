"""The NEWSROOM_DISCOVERY_* settings: their defaults, and the rules ``load_config`` checks when Pelican
starts, which include reading the logo.

An unusable value raises DiscoverySettingsError, which names the setting and the fix (see plugin_settings.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from newsroom_content.plugin_settings import NewsroomSettingsError, PluginSettings

PLUGIN = "newsroom_discovery"
# The sitemaps.org protocol's limit on the URLs in one sitemap file.
PROTOCOL_MAX_URLS = 50_000

DEFAULTS = {
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

# Site search moved to a plugin of its own, newsroom_search, and its settings took that plugin's prefix. A
# site still setting an old name is told the new one, rather than "not a setting of this plugin".
RENAMED = {
    "NEWSROOM_DISCOVERY_SEARCH": "NEWSROOM_SEARCH",
    "NEWSROOM_DISCOVERY_SEARCH_TIMEOUT": "NEWSROOM_SEARCH_TIMEOUT",
    "NEWSROOM_DISCOVERY_SEARCH_WORKERS": "NEWSROOM_SEARCH_WORKERS",
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
    logo: Logo
    twitter_site: str
    news_name: str
    sitemap_max_urls: int


class DiscoverySettings(PluginSettings):
    plugin, defaults, error = PLUGIN, DEFAULTS, DiscoverySettingsError

    def check_unknown(self) -> None:
        for old, new in RENAMED.items():
            if old in self.settings:
                raise self.refusal(f"{old} was renamed {new}; rename it in pelicanconf.py")
        super().check_unknown()

    def check(self) -> Config:
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

        return Config(logo=self.read_logo(), twitter_site=twitter, news_name=news_name, sitemap_max_urls=max_urls)

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


# Where the plugin keeps the checked Config in Pelican's settings (and so in every template's context).
CONFIG_KEY = DiscoverySettings.config_key
load_config = DiscoverySettings.load

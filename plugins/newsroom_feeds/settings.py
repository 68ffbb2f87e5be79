"""The NEWSROOM_FEEDS_* settings: their defaults, and the rules ``load`` checks once per build.

Unlike the other plugins' settings, every problem is collected (an unknown NEWSROOM_FEEDS_* name too,
which is almost always a typo) and one FeedSettingsError lists them all, a line each.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsroom_content.plugin_settings import NewsroomSettingsError, PluginSettings, is_whole_number
from newsroom_content.urls import is_absolute_url, site_url

PLUGIN = "newsroom_feeds"

DEFAULTS = {
    # Absolute address the feeds use for every link. "" means SITEURL when that is absolute (production),
    # else the local preview's address, http://BIND:PORT: feed readers cannot resolve relative URLs.
    "NEWSROOM_FEEDS_SITEURL": "",
    # The domain in the items' tag: URIs (RFC 4151). "" means the host of the feeds' address; pin it so
    # ids are the same in local and production builds and survive a move to another domain.
    "NEWSROOM_FEEDS_TAG_AUTHORITY": "",
    # Items per feed, newest first.
    "NEWSROOM_FEEDS_MAX_ITEMS": 50,
    # RSS <ttl>: minutes a reader may cache the feed before fetching it again.
    "NEWSROOM_FEEDS_TTL": 60,
    # The channel image / Atom logo and icon: a path under PATH (content/), "" for none.
    "NEWSROOM_FEEDS_LOGO": "images/logo.png",
    # Channel description of the whole paper's feeds; "" means SITESUBTITLE.
    "NEWSROOM_FEEDS_DESCRIPTION": "",
    # {year} is the year of the feed's newest item (not the build's), so the text only changes with content.
    "NEWSROOM_FEEDS_COPYRIGHT": "© {year} {sitename}",
    # The stylesheet that makes an RSS feed opened in a browser read as a page: a path on the site, "" for
    # none. A .css file (the default: browsers are removing XSLT, and Chromium warns on a feed that uses
    # it) or an .xsl one. Browsers only apply a stylesheet from the feed's own origin, so it is linked by
    # path, not full URL.
    "NEWSROOM_FEEDS_STYLESHEET": "theme/feeds/rss.css",
}

# What a stylesheet's file name ends with -> its type in the <?xml-stylesheet?> instruction.
STYLESHEET_TYPES = (".css", ".xsl", ".xslt")


def stylesheet_type(href: str) -> str:
    return "text/css" if href.endswith(".css") else "text/xsl"


# RFC 4151 taggingEntity authority: a DNS name or an email address.
DNS_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$")
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@" + DNS_RE.pattern[1:])


class FeedSettingsError(NewsroomSettingsError):
    """Unusable NEWSROOM_FEEDS_* settings. A NewsroomSettingsError, so `make html` prints it as one line."""


@dataclass(frozen=True)
class FeedSettings:
    base_url: str  # absolute, no trailing slash
    tag_authority: str
    max_items: int
    ttl: int
    logo: str  # path under content_path, or ""
    description: str
    copyright: str
    stylesheet_href: str  # path-absolute URL of the feeds' stylesheet, or ""
    sitename: str
    language: str
    content_path: str

    def url(self, path: str) -> str:
        """The absolute URL of a site-relative path such as `europe/` or `feeds/all.rss.xml`."""
        return f"{self.base_url}/{path.lstrip('/')}"


class FeedsSettings(PluginSettings):
    plugin, defaults, error = PLUGIN, DEFAULTS, FeedSettingsError
    # The feeds generator holds its settings for the build itself.
    keeps_config = False

    def check_unknown(self) -> None:
        # Not fatal yet: listed with every other problem, so one build names them all.
        self.problems = [f"{key} is not a setting of this plugin; {fix}" for key, fix in self.unknown()]

    def check(self) -> FeedSettings:
        """The validated feed settings, or FeedSettingsError naming every problem."""
        settings = self.settings
        base = self["NEWSROOM_FEEDS_SITEURL"]
        if not isinstance(base, str) or (base and not is_absolute_url(base)):
            self.problems.append(
                f"NEWSROOM_FEEDS_SITEURL must be an absolute http(s) address such as 'https://www.example.org' "
                f"(or \"\" to use SITEURL), not {base!r}"
            )
            base = ""
        base = base.rstrip("/") if base else site_url(settings)

        authority = self["NEWSROOM_FEEDS_TAG_AUTHORITY"]
        if not isinstance(authority, str) or (authority and not (DNS_RE.match(authority) or EMAIL_RE.match(authority))):
            self.problems.append(
                f"NEWSROOM_FEEDS_TAG_AUTHORITY must be a domain name the paper owns, such as 'example.org', not {authority!r}"
            )
            authority = ""
        authority = (authority or urlsplit(base).hostname or "localhost").lower()

        copyright_text = self["NEWSROOM_FEEDS_COPYRIGHT"]
        try:
            if not isinstance(copyright_text, str):
                raise TypeError
            copyright_text.format(year=2026, sitename="")
        except (TypeError, KeyError, IndexError, ValueError):
            self.problems.append(
                f"NEWSROOM_FEEDS_COPYRIGHT must be text that may use {{year}} and {{sitename}}, not {copyright_text!r}"
            )
            copyright_text = DEFAULTS["NEWSROOM_FEEDS_COPYRIGHT"]

        description = self["NEWSROOM_FEEDS_DESCRIPTION"]
        if not isinstance(description, str):
            self.problems.append(f"NEWSROOM_FEEDS_DESCRIPTION must be text, not {description!r}")
            description = ""

        stylesheet = self._relative_path("NEWSROOM_FEEDS_STYLESHEET")
        if stylesheet and not stylesheet.endswith(STYLESHEET_TYPES):
            self.problems.append(
                f"NEWSROOM_FEEDS_STYLESHEET must name a .css or .xsl file (or be \"\" for none), not {stylesheet!r}"
            )
            stylesheet = ""
        result = FeedSettings(
            base_url=base,
            tag_authority=authority,
            max_items=self._positive_int("NEWSROOM_FEEDS_MAX_ITEMS"),
            ttl=self._positive_int("NEWSROOM_FEEDS_TTL"),
            logo=self._relative_path("NEWSROOM_FEEDS_LOGO"),
            description=description or settings.get("SITESUBTITLE") or settings.get("SITENAME") or "",
            copyright=copyright_text,
            stylesheet_href=posixpath.join(urlsplit(base).path or "/", stylesheet) if stylesheet else "",
            sitename=settings.get("SITENAME") or "",
            language=settings.get("DEFAULT_LANG") or "en",
            content_path=settings.get("PATH") or "content",
        )
        if self.problems:
            raise self.refusal(*(f"{p} (in pelicanconf.py)" for p in self.problems))
        return result

    def _relative_path(self, name: str) -> str:
        value = self[name]
        if not isinstance(value, str):
            self.problems.append(f"{name} must be text (a path such as 'images/logo.png'), not {value!r}")
            return ""
        path = value.strip().lstrip("/")
        if path and (".." in path.split("/") or "://" in path):
            self.problems.append(f"{name}: {value!r} must be a path inside the site, without '..' or a scheme")
            return ""
        return path

    def _positive_int(self, name: str) -> int:
        value = self[name]
        if not is_whole_number(value, 1):
            self.problems.append(f"{name} must be a whole number of at least 1, not {value!r}")
            return 1
        return value


load = FeedsSettings.load

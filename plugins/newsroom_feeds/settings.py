"""Defaults and validation of the NEWSROOM_FEEDS_* settings.

Every setting the plugin reads is listed in DEFAULTS. ``load`` merges them with the site's settings once
per build, checks every value (and every unknown NEWSROOM_FEEDS_* name, which is almost always a typo)
and raises one error listing all the problems.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsroom_content.settings import NewsroomSettingsError, unknown_settings

PLUGIN = "newsroom_feeds"
PREFIX = "NEWSROOM_FEEDS_"

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
    # The XSLT that makes an RSS feed opened in a browser read as a page: a path on the site, "" for none.
    # Browsers only apply a stylesheet from the feed's own origin, so it is linked by path, not full URL.
    "NEWSROOM_FEEDS_STYLESHEET": "theme/feeds/rss.xsl",
}

URL_RE = re.compile(r"^https?://[^/?#\s]+(/[^?#\s]*)?$")
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
    stylesheet_href: str  # path-absolute URL of the XSLT, or ""
    sitename: str
    language: str
    content_path: str

    def url(self, path: str) -> str:
        """The absolute URL of a site-relative path such as `europe/` or `feeds/all.rss.xml`."""
        return f"{self.base_url}/{path.lstrip('/')}"


def local_preview_url(settings: dict) -> str:
    return f"http://{settings.get('BIND') or '127.0.0.1'}:{settings.get('PORT') or 8000}"


def _relative_path(value, name: str, problems: list[str]) -> str:
    if not isinstance(value, str):
        problems.append(f"{name} must be text (a path such as 'images/logo.png'), not {value!r}")
        return ""
    path = value.strip().lstrip("/")
    if path and (".." in path.split("/") or "://" in path):
        problems.append(f"{name}: {value!r} must be a path inside the site, without '..' or a scheme")
        return ""
    return path


def _positive_int(value, name: str, problems: list[str]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.append(f"{name} must be a whole number of at least 1, not {value!r}")
        return 1
    return value


def load(settings: dict) -> FeedSettings:
    """The validated feed settings, or FeedSettingsError naming every problem."""
    problems: list[str] = []
    for key, fix in unknown_settings(settings, PREFIX, DEFAULTS):
        problems.append(f"{key} is not a setting of this plugin; {fix}")
    value = {k: settings.get(k, default) for k, default in DEFAULTS.items()}

    base = value["NEWSROOM_FEEDS_SITEURL"]
    if not isinstance(base, str) or (base and not URL_RE.match(base)):
        problems.append(
            f"NEWSROOM_FEEDS_SITEURL must be an absolute http(s) address such as 'https://www.example.org' "
            f"(or \"\" to use SITEURL), not {base!r}"
        )
        base = ""
    if not base:
        siteurl = settings.get("SITEURL") or ""
        base = siteurl if URL_RE.match(siteurl) else local_preview_url(settings)
    base = base.rstrip("/")

    authority = value["NEWSROOM_FEEDS_TAG_AUTHORITY"]
    if not isinstance(authority, str) or (authority and not (DNS_RE.match(authority) or EMAIL_RE.match(authority))):
        problems.append(
            f"NEWSROOM_FEEDS_TAG_AUTHORITY must be a domain name the paper owns, such as 'example.org', not {authority!r}"
        )
        authority = ""
    authority = (authority or urlsplit(base).hostname or "localhost").lower()

    copyright_text = value["NEWSROOM_FEEDS_COPYRIGHT"]
    try:
        if not isinstance(copyright_text, str):
            raise TypeError
        copyright_text.format(year=2026, sitename="")
    except (TypeError, KeyError, IndexError, ValueError):
        problems.append(
            f"NEWSROOM_FEEDS_COPYRIGHT must be text that may use {{year}} and {{sitename}}, not {copyright_text!r}"
        )
        copyright_text = DEFAULTS["NEWSROOM_FEEDS_COPYRIGHT"]

    description = value["NEWSROOM_FEEDS_DESCRIPTION"]
    if not isinstance(description, str):
        problems.append(f"NEWSROOM_FEEDS_DESCRIPTION must be text, not {description!r}")
        description = ""

    stylesheet = _relative_path(value["NEWSROOM_FEEDS_STYLESHEET"], "NEWSROOM_FEEDS_STYLESHEET", problems)
    result = FeedSettings(
        base_url=base,
        tag_authority=authority,
        max_items=_positive_int(value["NEWSROOM_FEEDS_MAX_ITEMS"], "NEWSROOM_FEEDS_MAX_ITEMS", problems),
        ttl=_positive_int(value["NEWSROOM_FEEDS_TTL"], "NEWSROOM_FEEDS_TTL", problems),
        logo=_relative_path(value["NEWSROOM_FEEDS_LOGO"], "NEWSROOM_FEEDS_LOGO", problems),
        description=description or settings.get("SITESUBTITLE") or settings.get("SITENAME") or "",
        copyright=copyright_text,
        stylesheet_href=posixpath.join(urlsplit(base).path or "/", stylesheet) if stylesheet else "",
        sitename=settings.get("SITENAME") or "",
        language=settings.get("DEFAULT_LANG") or "en",
        content_path=settings.get("PATH") or "content",
    )
    if problems:
        raise FeedSettingsError("\n".join(f"{PLUGIN}: {p} (in pelicanconf.py)" for p in problems))
    return result

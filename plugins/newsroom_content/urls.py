"""The site's absolute address: one rule for every plugin that writes full URLs (feeds, share links,
canonical URLs, sitemaps).

SITEURL when it is absolute (production, publishconf.py), else the local preview's http://BIND:PORT:
feed readers, share cards and sitemaps cannot resolve a relative URL, and a local build's SITEURL is "".
"""

from __future__ import annotations

import re

# http(s), a host, and an optional path: no query or fragment, which would break every URL appended to it.
ABSOLUTE_URL_RE = re.compile(r"^https?://[^/?#\s]+(/[^?#\s]*)?$")


def is_absolute_url(url) -> bool:
    return isinstance(url, str) and ABSOLUTE_URL_RE.match(url) is not None


def local_preview_url(settings) -> str:
    """Where `make serve` serves the site (its BIND and PORT settings)."""
    return f"http://{settings.get('BIND') or '127.0.0.1'}:{settings.get('PORT') or 8000}"


def site_url(settings) -> str:
    """The site's absolute address without a trailing slash. `settings`: anything with ``.get`` (the
    settings, or a template's context)."""
    url = settings.get("SITEURL") or ""
    return url.rstrip("/") if is_absolute_url(url) else local_preview_url(settings)

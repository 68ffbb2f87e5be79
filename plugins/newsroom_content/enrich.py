"""Pure functions that derive the content model's fields from what Pelican read."""

from __future__ import annotations

import re
from html import unescape

from .settings import Section

TAG_RE = re.compile(r"<[^>]+>")
# Characters XML 1.0 forbids: a headline carrying one would make every feed and sitemap it reaches unreadable.
XML_FORBIDDEN_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
FIRST_PARAGRAPH_RE = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p>", re.S)


def plain_text(html: str) -> str:
    return " ".join(unescape(TAG_RE.sub("", html or "")).split())


def literal_text(text) -> str:
    """Metadata that is plain text by contract (a headline, a name): kept as typed, markup and all, only
    without the characters XML cannot carry. Templates and serialisers escape it where it lands."""
    return " ".join(XML_FORBIDDEN_RE.sub("", str(text or "")).split())


def standfirst(summary_metadata: str | None, content_html: str) -> str:
    """The editor's Summary, else the story's first paragraph, as plain text."""
    if summary_metadata:
        return plain_text(summary_metadata)
    m = FIRST_PARAGRAPH_RE.search(content_html or "")
    return plain_text(m.group(1)) if m else ""


def text_direction(lang: str, rtl_langs) -> str:
    primary = (lang or "").split("-")[0].lower()
    return "rtl" if primary in rtl_langs else "ltr"


def is_public(item) -> bool:
    """The one rule for "is it published": an article or page readers may find listed, in feeds, sitemaps
    and search. Not a draft (only the local preview shows those), not hidden (at its address but listed
    nowhere), not scheduled (held back until its Date; the preview shows it as a draft)."""
    return getattr(item, "status", "published") == "published" and not getattr(item, "is_scheduled", False)


def lead_image(metadata: dict) -> dict | None:
    src = metadata.get("image")
    if not src:
        return None
    path = src.lstrip("/")
    return {
        "path": path,
        "url": path,  # relative to SITEURL, like Pelican's own urls
        "alt": metadata.get("image_alt", ""),
        "caption": metadata.get("image_caption", ""),
        "credit": metadata.get("image_credit", ""),
    }


def split_by_section(articles, sections: dict[str, Section]) -> None:
    """Fill each section's and desk's article lists, keeping the articles' order (newest first)."""
    seen_desks = set()
    for section in sections.values():
        section.articles = []
        if section.desk and id(section.desk) not in seen_desks:
            section.desk.articles = []
            seen_desks.add(id(section.desk))
    for article in articles:
        section = sections.get(article.category.name)
        if section is None:
            continue
        section.articles.append(article)
        if section.desk:
            section.desk.articles.append(article)

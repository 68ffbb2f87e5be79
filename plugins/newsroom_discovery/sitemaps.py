"""Sitemaps (sitemaps.org 0.9), the Google News sitemap and robots.txt, as pure functions returning text.

* /sitemap.xml lists every public page with its lastmod. Past `max_urls` URLs (the protocol allows 50,000
  per file, and 50 MiB) it becomes a sitemap index of /sitemap-1.xml, /sitemap-2.xml, ...
* /news-sitemap.xml follows Google's rules for news sitemaps: only articles first published in the two
  days before the build's clock, at most 1,000 of them, each with the publication's name and the
  article's language, its publication date and its title. When no article is that recent it lists the
  newest article without its news metadata (see `news_sitemap`), so the file is never an empty
  <urlset>, which sitemap.xsd rejects; a site with no article at all has no news sitemap.
* /robots.txt names every sitemap the build wrote.

Every URL is absolute, percent-encoded where it is not ASCII, and XML-escaped; every date is W3C
Datetime with its offset. Entries are sorted, so the same site always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import escape

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_BYTES = 50 * 1024 * 1024  # the protocol's limit on one uncompressed sitemap file
# Google's rules: https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap
NEWS_WINDOW = dt.timedelta(days=2)
NEWS_MAX_URLS = 1000
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class Entry:
    url: str  # absolute
    lastmod: dt.datetime  # timezone-aware


@dataclass(frozen=True)
class NewsItem:
    url: str  # absolute
    published: dt.datetime  # timezone-aware: when the article was first published
    title: str  # plain text
    lang: str  # the article's language, BCP 47


# The characters quote() leaves alone (with loc's `safe`) that need no XML escape either: a URL made only of
# them (most of a site's) is its own loc, which spares quoting every URL of the site on every build.
PLAIN_URL = re.compile(r"[A-Za-z0-9_.~:/?#\[\]@!$()*+,;=%-]*")


def loc(url: str) -> str:
    """A URL as sitemaps want it: non-ASCII characters percent-encoded (RFC 3986), then XML-escaped."""
    if PLAIN_URL.fullmatch(url):
        return url
    return escape(quote(url, safe=":/?#[]@!$&'()*+,;=%~"), {"'": "&apos;", '"': "&quot;"})


def w3c(when: dt.datetime) -> str:
    return when.isoformat(timespec="seconds")


def _url_element(entry: Entry) -> str:
    return f"<url><loc>{loc(entry.url)}</loc><lastmod>{w3c(entry.lastmod)}</lastmod></url>\n"


def urlset(entries: list[Entry]) -> str:
    return _urlset_of([_url_element(e) for e in entries])


def _urlset_of(elements: list[str]) -> str:
    return f'{XML_DECLARATION}<urlset xmlns="{SITEMAP_NS}">\n{"".join(elements)}</urlset>\n'


def sitemap_index(sitemaps: list[Entry]) -> str:
    body = "".join(
        f"<sitemap><loc>{loc(s.url)}</loc><lastmod>{w3c(s.lastmod)}</lastmod></sitemap>\n" for s in sitemaps
    )
    return f'{XML_DECLARATION}<sitemapindex xmlns="{SITEMAP_NS}">\n{body}</sitemapindex>\n'


def chunks(entries: list[Entry], max_urls: int, max_bytes: int = MAX_BYTES) -> list[list[Entry]]:
    """Entries split into files that each keep under both of the protocol's limits."""
    groups = _chunk_positions([_url_element(e) for e in entries], max_urls, max_bytes)
    return [[entries[i] for i in group] for group in groups]


def _chunk_positions(elements: list[str], max_urls: int, max_bytes: int) -> list[list[int]]:
    overhead = len(_urlset_of([]).encode())
    groups: list[list[int]] = [[]]
    size = overhead
    for i, element in enumerate(elements):
        length = len(element.encode())
        if groups[-1] and (len(groups[-1]) >= max_urls or size + length > max_bytes):
            groups.append([])
            size = overhead
        groups[-1].append(i)
        size += length
    return groups


def sitemap_files(entries: list[Entry], site: str, max_urls: int, max_bytes: int = MAX_BYTES) -> dict[str, str]:
    """{file name: XML text}: sitemap.xml alone, or sitemap.xml as the index of sitemap-N.xml files; no
    file at all for no entries (an empty <urlset> is invalid)."""
    if not entries:
        return {}
    entries = sorted(entries, key=lambda e: e.url)
    # Each URL's element is made once, for both measuring the files and writing them: making each twice
    # was most of the sitemaps' time.
    elements = [_url_element(e) for e in entries]
    positions = _chunk_positions(elements, max_urls, max_bytes)
    if len(positions) == 1:
        return {"sitemap.xml": _urlset_of(elements)}
    groups = [[entries[i] for i in group] for group in positions]
    files = {f"sitemap-{i}.xml": _urlset_of([elements[j] for j in group])
             for i, group in enumerate(positions, start=1)}
    index = [Entry(f"{site}/{name}", max(e.lastmod for e in group)) for name, group in zip(files, groups)]
    return {"sitemap.xml": sitemap_index(index), **files}


def news_language(lang: str) -> str:
    """The ISO 639 code Google News wants: the primary language, except zh-cn and zh-tw."""
    lang = (lang or "en").strip().lower().replace("_", "-")
    if lang.startswith("zh-"):
        return "zh-tw" if lang in ("zh-tw", "zh-hk", "zh-hant") or lang.startswith("zh-hant") else "zh-cn"
    return lang.split("-")[0]


def newest_item(items: list[NewsItem], now: dt.datetime) -> NewsItem | None:
    """The most recently published item up to `now`: what a news sitemap with nothing recent lists."""
    published = [i for i in items if i.published <= now]
    return max(published, key=lambda i: (i.published, i.url)) if published else None


def news_selection(items: list[NewsItem], now: dt.datetime) -> tuple[list[NewsItem], int]:
    """The items Google's rules allow, newest first, and how many more the 1,000 limit left out."""
    recent = [i for i in items if now - NEWS_WINDOW <= i.published <= now]
    recent.sort(key=lambda i: (i.published, i.url), reverse=True)
    return recent[:NEWS_MAX_URLS], max(0, len(recent) - NEWS_MAX_URLS)


def news_sitemap(items: list[NewsItem], publication: str, newest: Entry | None = None) -> str | None:
    """A news sitemap of `items` (already selected by news_selection).

    With no recent article, the newest one (`newest`, its page's sitemap entry) as a plain <url>, without
    <news:news>. sitemap.xsd requires at least one <url>, so the empty <urlset> a quiet weekend would
    otherwise give is invalid; Google's guidelines for news sitemaps allow either removing articles older
    than two days or removing their news metadata, and ask for one news sitemap updated in place rather
    than a new file each time. Keeping the file at its address, valid and naming no article as news,
    does both. None (no file) only when the site has no article at all."""
    if not items:
        return _urlset_of([_url_element(newest)]) if newest is not None else None
    name = escape(publication)
    body = "".join(
        f"<url><loc>{loc(i.url)}</loc><news:news><news:publication><news:name>{name}</news:name>"
        f"<news:language>{news_language(i.lang)}</news:language></news:publication>"
        f"<news:publication_date>{w3c(i.published)}</news:publication_date>"
        f"<news:title>{escape(i.title)}</news:title></news:news></url>\n"
        for i in items
    )
    return f'{XML_DECLARATION}<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n{body}</urlset>\n'


def robots_txt(site: str, sitemaps: list[str]) -> str:
    """Everything may be crawled; the sitemaps are named with absolute URLs, as the protocol requires."""
    lines = ["User-agent: *", "Disallow:", ""] + [f"Sitemap: {site}/{name}" for name in sitemaps]
    return "\n".join(lines) + "\n"

"""Strict checks for RSS 2.0, Atom 1.0 (RFC 4287) and JSON Feed 1.1 documents.

feedparser only flags XML that does not parse: a feed without a channel link, with a date in the wrong
format or with two entries sharing an id comes back bozo=False. Each checker returns a list of problems,
empty when there are none, one readable line each, so a failing test shows all of them at once.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
MEDIA = "http://search.yahoo.com/mrss/"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)

# RFC 822 as RSS 2.0 uses it (with four-digit years, as RSS recommends).
RFC822_RE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) "
    r"(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}|GMT|UT|[ECMP][SD]T)$"
)
RFC3339_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
MIME_RE = re.compile(r"^[a-z]+/[a-z0-9.+-]+$")
HTML_URL_ATTRIBUTES = ("href", "src", "poster", "cite", "data", "action")


def is_absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def rfc822(text: str | None) -> dt.datetime | None:
    """The date if `text` is a correct RFC 822 date (including the right weekday), else None."""
    if not text or not RFC822_RE.match(text):
        return None
    when = email.utils.parsedate_to_datetime(text)
    return when if when.strftime("%a") == text[:3] else None


def rfc3339(text: str | None) -> dt.datetime | None:
    if not text or not RFC3339_RE.match(text):
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def html_urls(fragment: str) -> list[str]:
    """Every URL a reader's browser would load or follow in an HTML fragment."""
    soup = BeautifulSoup(fragment or "", "html.parser")
    urls = [tag[a] for tag in soup.find_all(True) for a in HTML_URL_ATTRIBUTES if tag.has_attr(a)]
    for tag in soup.find_all(srcset=True):
        urls += [c.split()[0] for c in tag["srcset"].split(",") if c.strip()]
    return urls


def relative_urls_in(fragment: str) -> list[str]:
    return [u for u in html_urls(fragment) if not is_absolute(u) and not u.startswith(("mailto:", "tel:", "data:"))]


def _text(el, path: str, ns=None) -> str | None:
    found = el.find(path, ns)
    return found.text if found is not None else None


def check_rss(data: bytes, self_url: str) -> list[str]:
    """RSS 2.0 (rssboard.org/rss-specification) plus what readers rely on: absolute URLs, a self link."""
    problems: list[str] = []
    root = etree.fromstring(data, PARSER)
    if root.tag != "rss" or root.get("version") != "2.0":
        return [f"root is <{root.tag} version={root.get('version')!r}>, not <rss version='2.0'>"]
    channels = root.findall("channel")
    if len(channels) != 1:
        return [f"{len(channels)} <channel> elements, not 1"]
    ch = channels[0]
    for name in ("title", "link", "description"):
        if len(ch.findall(name)) != 1 or not (ch.findtext(name) or "").strip():
            problems.append(f"channel: needs exactly one non-empty <{name}>")
    if not is_absolute(ch.findtext("link")):
        problems.append(f"channel <link> {ch.findtext('link')!r} is not absolute")
    selfs = [ln for ln in ch.findall(f"{{{ATOM}}}link") if ln.get("rel") == "self"]
    if len(selfs) != 1 or selfs[0].get("href") != self_url or selfs[0].get("type") != "application/rss+xml":
        problems.append(f"channel: needs one atom:link rel=self href={self_url!r} type=application/rss+xml, got {[dict(s.attrib) for s in selfs]}")
    for name in ("pubDate", "lastBuildDate"):
        if ch.find(name) is not None and rfc822(ch.findtext(name)) is None:
            problems.append(f"channel <{name}> {ch.findtext(name)!r} is not an RFC 822 date")
    if ch.find("ttl") is not None and not (ch.findtext("ttl") or "").isdigit():
        problems.append("channel <ttl> is not a whole number of minutes")
    image = ch.find("image")
    if image is not None:
        for name in ("url", "title", "link"):
            if not (image.findtext(name) or "").strip():
                problems.append(f"channel <image> needs <{name}>")
        if not is_absolute(image.findtext("url")):
            problems.append("channel <image><url> is not absolute")
        if image.findtext("title") != ch.findtext("title") or image.findtext("link") != ch.findtext("link"):
            problems.append("channel <image> title and link should match the channel's")
    guids = set()
    for n, item in enumerate(ch.findall("item"), 1):
        where = f"item {n} ({item.findtext('title')!r})"
        if not (item.findtext("title") or item.findtext("description")):
            problems.append(f"{where}: needs a <title> or a <description>")
        for name in ("title", "link", "description", "guid", "pubDate"):
            if len(item.findall(name)) > 1:
                problems.append(f"{where}: more than one <{name}>")
        if not is_absolute(item.findtext("link")):
            problems.append(f"{where}: <link> {item.findtext('link')!r} is not absolute")
        guid = item.find("guid")
        if guid is None or not (guid.text or "").strip():
            problems.append(f"{where}: no <guid>")
        else:
            if guid.text in guids:
                problems.append(f"{where}: guid {guid.text!r} is not unique")
            guids.add(guid.text)
            permalink = guid.get("isPermaLink", "true")
            if permalink not in ("true", "false"):
                problems.append(f"{where}: isPermaLink={permalink!r}")
            if permalink == "true" and not is_absolute(guid.text):
                problems.append(f"{where}: guid {guid.text!r} claims to be a permalink but is not a URL")
            if permalink == "false" and is_absolute(guid.text):
                problems.append(f"{where}: guid {guid.text!r} is a URL marked isPermaLink=false")
        if rfc822(item.findtext("pubDate")) is None:
            problems.append(f"{where}: <pubDate> {item.findtext('pubDate')!r} is not an RFC 822 date")
        enclosures = item.findall("enclosure")
        if len(enclosures) > 1:
            problems.append(f"{where}: RSS allows one <enclosure>")
        for enc in enclosures:
            if not is_absolute(enc.get("url")) or not (enc.get("length") or "").isdigit() or not MIME_RE.match(enc.get("type") or ""):
                problems.append(f"{where}: <enclosure> needs an absolute url, a length in bytes and a MIME type: {dict(enc.attrib)}")
        for media in item.iter(f"{{{MEDIA}}}content"):
            if not is_absolute(media.get("url")):
                problems.append(f"{where}: media:content url {media.get('url')!r} is not absolute")
        for html in (item.findtext(f"{{{CONTENT}}}encoded"), item.findtext("description")):
            for url in relative_urls_in(html or ""):
                problems.append(f"{where}: relative URL {url!r} in the item's HTML")
    return problems


def check_atom(data: bytes, self_url: str) -> list[str]:
    """RFC 4287: the required elements of the feed and of every entry, their formats and their links."""
    problems: list[str] = []
    root = etree.fromstring(data, PARSER)
    if root.tag != f"{{{ATOM}}}feed":
        return [f"root is <{root.tag}>, not atom:feed"]
    a = {"a": ATOM}

    def check_common(el, where: str) -> None:
        for name in ("id", "title", "updated"):
            if len(el.findall(f"a:{name}", a)) != 1 or not (el.findtext(f"a:{name}", namespaces=a) or "").strip():
                problems.append(f"{where}: needs exactly one non-empty atom:{name} (RFC 4287 4.1.1/4.1.2)")
        if not urlsplit(el.findtext("a:id", namespaces=a) or "").scheme:
            problems.append(f"{where}: atom:id {el.findtext('a:id', namespaces=a)!r} is not an absolute IRI")
        for name in ("updated", "published"):
            for date in el.findall(f"a:{name}", a):
                if rfc3339(date.text) is None:
                    problems.append(f"{where}: atom:{name} {date.text!r} is not an RFC 3339 date")
        for author in el.findall("a:author", a):
            if not (author.findtext("a:name", namespaces=a) or "").strip():
                problems.append(f"{where}: atom:author without a name")
        alternates = {}
        for link in el.findall("a:link", a):
            rel = link.get("rel", "alternate")  # RFC 4287 4.2.7.2: no rel means alternate
            if not is_absolute(link.get("href")):
                problems.append(f"{where}: link {link.get('href')!r} is not absolute")
            if rel == "alternate":
                key = (link.get("type"), link.get("hreflang"))
                if key in alternates:
                    problems.append(f"{where}: two rel=alternate links with type and hreflang {key} (RFC 4287 4.1.1)")
                alternates[key] = link
            if rel == "enclosure" and not ((link.get("length") or "").isdigit() and MIME_RE.match(link.get("type") or "")):
                problems.append(f"{where}: rel=enclosure link without length and type: {dict(link.attrib)}")
        if not alternates:
            problems.append(f"{where}: no rel=alternate link")

    check_common(root, "feed")
    feed_has_author = root.find("a:author", a) is not None
    selfs = [ln for ln in root.findall("a:link", a) if ln.get("rel") == "self"]
    if len(selfs) != 1 or selfs[0].get("href") != self_url:
        problems.append(f"feed: needs one link rel=self href={self_url!r}, got {[dict(s.attrib) for s in selfs]}")
    ids = set()
    for n, entry in enumerate(root.findall("a:entry", a), 1):
        where = f"entry {n} ({entry.findtext('a:title', namespaces=a)!r})"
        check_common(entry, where)
        entry_id = entry.findtext("a:id", namespaces=a)
        if entry_id in ids:
            problems.append(f"{where}: id {entry_id!r} is not unique")
        ids.add(entry_id)
        if not feed_has_author and entry.find("a:author", a) is None:
            problems.append(f"{where}: no atom:author in the entry or the feed (RFC 4287 4.1.1)")
        content = entry.find("a:content", a)
        if content is not None and content.get("type", "text") not in ("text", "html", "xhtml"):
            problems.append(f"{where}: content type {content.get('type')!r}")
        if content is not None and content.get("type") == "html":
            for url in relative_urls_in(content.text):
                problems.append(f"{where}: relative URL {url!r} in the entry's content")
    return problems


def check_json_feed(data: bytes, feed_url: str) -> list[str]:
    """JSON Feed 1.1 (jsonfeed.org/version/1.1): required fields, their types, ids and dates."""
    problems: list[str] = []
    doc = json.loads(data)
    if doc.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"version is {doc.get('version')!r}")
    if not isinstance(doc.get("title"), str) or not doc["title"]:
        problems.append("no title")
    if doc.get("feed_url") != feed_url:
        problems.append(f"feed_url {doc.get('feed_url')!r} is not {feed_url!r}")
    if not is_absolute(doc.get("home_page_url")):
        problems.append("home_page_url is not absolute")
    if not isinstance(doc.get("items"), list):
        return problems + ["items is not a list"]
    for author in doc.get("authors", []):
        if not isinstance(author, dict) or not (author.get("name") or author.get("url")):
            problems.append(f"author {author!r} has neither name nor url")
    ids = set()
    for n, item in enumerate(doc["items"], 1):
        where = f"item {n} ({item.get('title')!r})"
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"{where}: id must be a non-empty string")
        elif item["id"] in ids:
            problems.append(f"{where}: id {item['id']!r} is not unique")
        ids.add(item.get("id"))
        if not (isinstance(item.get("content_html"), str) or isinstance(item.get("content_text"), str)):
            problems.append(f"{where}: needs content_html or content_text")
        if "url" in item and not is_absolute(item["url"]):
            problems.append(f"{where}: url {item['url']!r} is not absolute")
        if "image" in item and not is_absolute(item["image"]):
            problems.append(f"{where}: image {item['image']!r} is not absolute")
        for name in ("date_published", "date_modified"):
            if name in item and rfc3339(item[name]) is None:
                problems.append(f"{where}: {name} {item[name]!r} is not RFC 3339")
        if "tags" in item and not all(isinstance(t, str) for t in item["tags"]):
            problems.append(f"{where}: tags must be strings")
        for url in relative_urls_in(item.get("content_html", "")):
            problems.append(f"{where}: relative URL {url!r} in content_html")
    return problems

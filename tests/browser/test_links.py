"""Link integrity: every internal link, image, feed, asset and in-page anchor of the served sample paper
resolves. A small crawler of our own rather than LinkChecker: LinkChecker drops to user `nobody` when run
as root, is rate-limited unless the server cooperates, and does not check srcset candidates or fragments
inside feeds; ours follows exactly what a browser and a feed reader would fetch."""

from __future__ import annotations

import re

import urllib.error
import urllib.request
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup
from lxml import etree

# Feeds carry absolute URLs for the preview address (http://127.0.0.1:8000); the test server's port differs.
FEED_ORIGIN = "http://127.0.0.1:8000"


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as e:
        return e.code, "", b""


def references(page_url: str, html: bytes) -> tuple[list[str], set[str]]:
    """The URLs a browser would follow or load from this page, and the page's anchor targets."""
    soup = BeautifulSoup(html, "html.parser")
    urls = []
    for tag, attr in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src"), ("iframe", "src")):
        urls += [urljoin(page_url, e[attr]) for e in soup.find_all(tag) if e.get(attr)]
    for e in soup.find_all(["img", "source"]):
        for candidate in (e.get("srcset") or "").split(","):
            if candidate.strip():
                urls.append(urljoin(page_url, candidate.split()[0]))
    anchors = {e["id"] for e in soup.find_all(id=True)} | {e["name"] for e in soup.find_all("a", attrs={"name": True})}
    return urls, anchors


def feed_links(body: bytes, base_url: str) -> list[str]:
    root = etree.fromstring(body)
    found = [el.text for el in root.iter("link", "{http://www.w3.org/2005/Atom}id") if el.text and el.text.startswith(FEED_ORIGIN)]
    found += [el.get("href") for el in root.iter("{http://www.w3.org/2005/Atom}link") if el.get("href")]
    found += [el.get("url") for el in root.iter("enclosure", "{http://search.yahoo.com/mrss/}content") if el.get("url")]
    return [u.replace(FEED_ORIGIN, base_url, 1) for u in found if u.startswith(FEED_ORIGIN)]


def test_every_internal_link_asset_feed_and_anchor_resolves(base_url):
    queue = deque([base_url + "/", base_url + "/404.html", base_url + "/feeds/all.json"])
    seen: set[str] = set()
    anchors: dict[str, set[str]] = {}
    wanted_fragments: list[tuple[str, str, str]] = []
    broken: list[str] = []
    checked = 0
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        status, kind, body = fetch(url)
        checked += 1
        if status != 200:
            broken.append(f"{url} answered {status}")
            continue
        if kind == "text/html":
            urls, anchors[url] = references(url, body)
            for target in urls:
                target, fragment = urldefrag(target)
                if not target.startswith(base_url):
                    continue  # share links and other sites: not ours to check, and no network here
                if fragment:
                    wanted_fragments.append((url, target, fragment))
                queue.append(target)
        elif url.endswith(".xml") and b"<rss" in body[:600] or b"<feed" in body[:600]:
            queue.extend(urldefrag(u)[0] for u in feed_links(body, base_url))
    for page, target, fragment in wanted_fragments:
        if target in anchors and fragment not in anchors[target]:
            broken.append(f"{page} links to #{fragment}, which {target} does not have")
    assert not broken, f"{len(broken)} broken of {checked} checked:\n" + "\n".join(sorted(set(broken))[:40])
    assert checked > 300  # every page, feed, image size and asset of the sample paper was reached
    paths = {urlsplit(u).path for u in seen}
    assert {"/feeds/all.rss.xml", "/feeds/all.atom.xml", "/search/"} <= paths
    assert any(re.fullmatch(r"/theme/css/main\.[0-9a-f]{10}\.css", p) for p in paths), "the fingerprinted stylesheet"
    assert any(p.startswith("/images/sized/") and p.endswith(".webp") for p in paths)

"""One feed as bytes: RSS 2.0 and Atom 1.0 through feedgen, JSON Feed 1.1 through the json module.

Every date written comes from the items (never the clock), and the XML is serialised by lxml with a fixed
layout, so the same content always gives the same bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import json
import os

import feedgen.version
from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree
from pelican import __version__ as pelican_version

from . import ext
from .atom_fix import ATOM_NS, restore_entry_links
from .catalog import Feed
from .items import FeedItem
from .settings import PLUGIN, FeedSettings, stylesheet_type

# Our own output read back for the post-processing below: no entities, no network, no size limit.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
GENERATOR = f"Pelican {pelican_version} with {PLUGIN} (python-feedgen {feedgen.version.version_str})"
# Only for a feed with no items, whose newest item cannot date it: a fixed instant keeps it byte-identical.
NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def feed_updated(items: list[FeedItem], fallback: dt.datetime) -> dt.datetime:
    """The last change to any item in the feed: its lastBuildDate and Atom updated."""
    return max((i.updated for i in items), default=fallback)


def logo_url(cfg: FeedSettings) -> str | None:
    if cfg.logo and os.path.isfile(os.path.join(cfg.content_path, cfg.logo)):
        return cfg.url(cfg.logo)
    return None


def add_item(fg: FeedGenerator, item: FeedItem) -> FeedEntry:
    fe = fg.add_entry(order="append")
    fe.id(item.id)  # also the RSS guid, with isPermaLink="false": a tag: URI is not a link
    fe.title(item.title)
    fe.link(href=item.url, rel="alternate", type="text/html", hreflang=item.lang)
    if item.image:
        # feedgen turns this into the RSS <enclosure> and an Atom rel="enclosure" link (see atom_fix.py).
        fe.link(href=item.image.url, rel="enclosure", type=item.image.type, length=str(item.image.length),
                title=item.image.alt or None)
    fe.published(item.published)
    fe.updated(item.updated)
    if item.authors:
        fe.author([{"name": p.name, "uri": p.url} for p in item.authors])
    fe.category([{"term": c} for c in item.categories])
    fe.content(item.content_html, type="html")
    if item.summary:
        # RSS descriptions are HTML by convention, so the plain standfirst is escaped once more; Atom's
        # summary says type="html" to match, and both read back as exactly the standfirst.
        fe.summary(html.escape(item.summary, quote=False), type="html")
    fe.newsroom_rss.item = item
    fe.newsroom_atom.item = item
    return fe


class Entries:
    """Each item's feedgen entry, and the RSS <item> and Atom <entry> elements feedgen builds from it, made
    once per build however many feeds show the item (a story is in its section's, desk's, authors' and
    tags' feeds, and the paper's): building them in Python was most of a feed's time.

    A feed gets a copy of the element as feedgen left it, before any feed took it in, so every feed
    starts from what a fresh entry would give. feedgen lets one entry join several feeds: its extensions
    stay those of the first. Kept by the FeedsGenerator of one build, beside the items it is keyed on.
    """

    def __init__(self):
        self._entries: dict[int, tuple[FeedItem, FeedEntry]] = {}  # id(item) -> (item, kept so the id stays its)

    def add(self, fg: FeedGenerator, item: FeedItem) -> None:
        found = self._entries.get(id(item))
        if found is not None:
            fg.add_entry(found[1], order="append")
            return
        fe = add_item(fg, item)
        fe.rss_entry, fe.atom_entry = _built_once(fe.rss_entry), _built_once(fe.atom_entry)
        self._entries[id(item)] = (item, fe)


def _built_once(build):
    pristine = None

    def element(extensions=True):
        nonlocal pristine
        if pristine is None:
            pristine = build(extensions)
        return copy.deepcopy(pristine)

    return element


def make_feedgen(feed: Feed, items: list[FeedItem], updated: dt.datetime, cfg: FeedSettings,
                 entries: Entries | None = None) -> FeedGenerator:
    fg = FeedGenerator()
    ext.register(fg)
    fg.title(feed.title)
    fg.description(feed.description)
    fg.language(cfg.language)
    fg.author({"name": cfg.sitename, "uri": cfg.url("")})
    fg.updated(updated)  # Atom <updated> and RSS <lastBuildDate>
    fg.rights(cfg.copyright.format(year=updated.year, sitename=cfg.sitename))
    fg.ttl(cfg.ttl)
    fg.generator(GENERATOR, version=None, uri="https://getpelican.com/")
    logo = logo_url(cfg)
    if logo:
        fg.icon(logo)
        fg.image(url=logo, title=feed.title, link=cfg.url(feed.page))  # also the Atom <logo>
    for item in items:
        if entries is not None:
            entries.add(fg, item)
        else:
            add_item(fg, item)
    return fg


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def links(feed: Feed, fmt: str, cfg: FeedSettings) -> list[dict]:
    self_link = {"href": cfg.url(feed.file(fmt).path), "rel": "self", "type": feed.file(fmt).type}
    # feedgen takes RSS's single <link> from the last link given: the page, not the feed.
    return [self_link, {"href": cfg.url(feed.page), "rel": "alternate", "type": "text/html"}]


def rss_bytes(fg: FeedGenerator, feed: Feed, cfg: FeedSettings) -> bytes:
    fg.link(links(feed, "rss", cfg), replace=True)
    root = etree.fromstring(fg.rss_str(), PARSER)
    if cfg.stylesheet_href:
        href = html.escape(cfg.stylesheet_href, quote=True)
        # Only this instruction differs between stylesheets: what feed readers parse stays the same.
        root.addprevious(etree.ProcessingInstruction(
            "xml-stylesheet", f'type="{stylesheet_type(cfg.stylesheet_href)}" href="{href}"'))
    return serialize(root)


def atom_bytes(fg: FeedGenerator, feed: Feed, items: list[FeedItem], cfg: FeedSettings) -> bytes:
    fg.id(cfg.url(feed.file("atom").path))
    fg.link(links(feed, "atom", cfg), replace=True)
    root = etree.fromstring(fg.atom_str(), PARSER)
    restore_entry_links(root, fg.entry())
    for element, item in zip(root.iterchildren(f"{{{ATOM_NS}}}entry"), items):
        if item.lang != cfg.language:
            element.set(XML_LANG, item.lang)  # so readers lay out and hyphenate an Arabic entry as Arabic
    return serialize(root)


def json_bytes(feed: Feed, items: list[FeedItem], cfg: FeedSettings) -> bytes:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": cfg.url(feed.page),
        "feed_url": cfg.url(feed.file("json").path),
        "description": feed.description,
        "language": cfg.language,
        "authors": [{"name": cfg.sitename, "url": cfg.url("")}],
    }
    logo = logo_url(cfg)
    if logo:
        doc["icon"] = doc["favicon"] = logo
    doc["items"] = []
    for item in items:
        entry = {
            "id": item.id,
            "url": item.url,
            "title": item.title,
            "content_html": item.content_html,
            "summary": item.summary,
            "date_published": item.published.isoformat(),
            "date_modified": item.updated.isoformat(),
            "authors": [{"name": p.name, "url": p.url} for p in item.authors],
            "tags": list(item.categories),
            "language": item.lang,
        }
        if item.image:
            entry["image"] = item.image.url
        if not item.summary:
            del entry["summary"]
        doc["items"].append(entry)
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

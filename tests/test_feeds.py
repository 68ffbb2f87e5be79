"""The newsroom_feeds plugin: what subscribers' feed readers get, checked strictly, and what the theme shows."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import feedparser
import pytest
from bs4 import BeautifulSoup
from feedgen.feed import FeedGenerator
from jinja2 import Environment, FileSystemLoader
from lxml import etree

from conftest import BUILD_EPOCH, REPO, as_headline, load_settings, write_article
from feed_checks import check_atom, check_json_feed, check_rss, html_urls, rfc822
from newsroom_feeds.atom_fix import ATOM_NS, restore_entry_links
from newsroom_feeds.catalog import Feed, FeedCatalog
from newsroom_feeds.items import absolutize_html, tag_uri, xml_safe
from newsroom_feeds.settings import FeedSettingsError, load

# pelicanconf.py: SITEURL is "" locally, so feeds use http://BIND:PORT.
BASE = "http://127.0.0.1:8000"
LONDON = ZoneInfo("Europe/London")
FIXTURE_ORDER = [  # the fixture's published articles, newest first
    "Water talks resume in the Jordan valley",
    "Why we publish",
    "Port workers walk out over safety",
    "صيادو غزة يعودون إلى البحر",
    "Rail fares frozen for a year",
]
NEVER_LISTED = ["A hidden note for partners", "Unfinished draft about ferries", "New year budget preview"]
WATER_ID = "tag:commonledger.example,2026-11-20:articles/middle-east/2026-11-20-water-talks"


def feed_bytes(site, path: str) -> bytes:
    return (site.output / path).read_bytes()


def parse(site, path: str):
    parsed = feedparser.parse(feed_bytes(site, path))
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return parsed


def feed_files(site) -> list[Path]:
    return sorted(p for p in (site.output / "feeds").rglob("*") if p.suffix in (".xml", ".json"))


def strict_problems(site, path: Path) -> list[str]:
    rel = path.relative_to(site.output).as_posix()
    checker = check_rss if rel.endswith(".rss.xml") else check_atom if rel.endswith(".atom.xml") else check_json_feed
    return [f"{rel}: {p}" for p in checker(path.read_bytes(), f"{BASE}/{rel}")]


def all_problems(site) -> list[str]:
    return [problem for path in feed_files(site) for problem in strict_problems(site, path)]


def entry_by_id(parsed, entry_id):
    return next(e for e in parsed.entries if e.id == entry_id)


# --- What an independent reading of the sample paper's front matter says each feed must hold ---------

def front_matter(path: Path) -> dict:
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        fields[key.strip().lower()] = value.strip()
    return fields


def published_articles(content: Path, now: dt.datetime) -> list[dict]:
    articles = []
    for path in (content / "articles").rglob("*.md"):
        meta = front_matter(path)
        date = dt.datetime.fromisoformat(meta["date"])
        date = date if date.tzinfo else date.replace(tzinfo=LONDON)
        if meta.get("status", "published").lower() != "published" or date > now:
            continue
        articles.append({
            "title": as_headline(meta["title"]), "date": date, "path": path.relative_to(content).as_posix(),
            "section": meta["category"],
            "authors": [a.strip() for a in meta.get("authors", "Staff reporter").split(",")],
            "tags": [t.strip().casefold() for t in meta.get("tags", "").split(",") if t.strip()],
            "correction": meta.get("correction"), "modified": meta.get("modified"),
        })
    return sorted(articles, key=lambda a: (a["date"], a["path"]), reverse=True)


def test_every_feed_of_the_sample_paper_is_valid_and_lists_the_right_articles(sample_paper, tmp_path):
    site = sample_paper
    now = dt.datetime.fromtimestamp(BUILD_EPOCH, LONDON)
    articles = published_articles(REPO / "content", now)
    desks = {d["name"]: d["sections"] for d in load_settings(REPO / "content", tmp_path)["NEWSROOM_DESKS"]}
    select = {
        "feeds": lambda name: articles,
        "desk": lambda name: [a for a in articles if a["section"] in desks[name]],
        "section": lambda name: [a for a in articles if a["section"] == name],
        "author": lambda name: [a for a in articles if name in a["authors"]],
        "tag": lambda name: [a for a in articles if name.casefold() in a["tags"]],
    }
    files = feed_files(site)
    xml_files = [p for p in files if p.suffix == ".xml"]
    sections = sum(len(s) for s in desks.values())
    authors = {n for a in articles for n in a["authors"]}
    tags = {t for a in articles for t in a["tags"]}
    # The paper, desks, sections, authors and tags, and the corrections, each in RSS and Atom.
    assert len(xml_files) == 2 * (1 + len(desks) + sections + len(authors) + len(tags) + 1)
    corrected = sorted((a for a in articles if a["correction"]), key=lambda a: (a["modified"], a["path"]), reverse=True)
    assert corrected
    problems = []
    for path in files:
        problems += strict_problems(site, path)
        if path.suffix == ".json":
            continue
        parsed = parse(site, path.relative_to(site.output).as_posix())
        name = parsed.feed.title.removesuffix(" | The Common Ledger")
        if path.name.startswith("corrections."):
            expected = [f"Correction: {a['title']}" for a in corrected]
        else:
            expected = [a["title"] for a in select[path.parent.name](name)][:50]
        got = [e.title for e in parsed.entries]
        if got != expected:
            problems.append(f"{path.name}: items {got} instead of {expected}")
    assert problems == []
    assert len(parse(site, "feeds/all.rss.xml").entries) == min(50, len(articles)) > 20


def test_only_published_articles_appear_newest_first_even_in_the_preview(build_site):
    for preview in (False, True):
        site = build_site(NEWSROOM_PREVIEW=preview)
        for path in ("feeds/all.rss.xml", "feeds/all.atom.xml"):
            assert [e.title for e in parse(site, path).entries] == FIXTURE_ORDER
        assert [i["title"] for i in json.loads(feed_bytes(site, "feeds/all.json"))["items"]] == FIXTURE_ORDER
        for path in feed_files(site):
            text = path.read_text(encoding="utf-8")
            assert not [t for t in NEVER_LISTED if t in text], path
        assert all_problems(site) == []


def test_a_section_without_articles_has_a_valid_empty_feed_dated_by_the_paper(fixture_site):
    site = fixture_site
    for path, checker in (("feeds/section/americas.rss.xml", check_rss), ("feeds/section/americas.atom.xml", check_atom)):
        assert checker(feed_bytes(site, path), f"{BASE}/{path}") == []
        assert parse(site, path).entries == []
    paper = parse(site, "feeds/all.rss.xml").feed
    assert parse(site, "feeds/section/americas.rss.xml").feed.updated == paper.updated


def test_feeds_are_byte_identical_while_the_content_is_unchanged(build_site, fixture_site):
    def digests(site):
        return {p.relative_to(site.output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in feed_files(site)}

    first = digests(fixture_site)  # the run's shared build, from another folder and maybe another process
    assert digests(build_site()) == first
    # A build a week later (the clock moves, the content does not) must not touch a single feed.
    assert digests(build_site(epoch=BUILD_EPOCH + 7 * 86400)) == first
    assert len(first) > 20


def test_entries_shared_between_feeds_give_the_bytes_of_entries_made_for_each_feed(build_site, monkeypatch):
    import newsroom_feeds.newsroom_feeds as plugin
    from newsroom_feeds import render

    def contents(site):
        return {p.relative_to(site.output).as_posix(): p.read_bytes() for p in feed_files(site)}

    shared = contents(build_site())

    class EachFeedItsOwn(render.Entries):
        def add(self, fg, item):
            render.add_item(fg, item)

    monkeypatch.setattr(plugin, "Entries", EachFeedItsOwn)
    assert contents(build_site()) == shared


def test_item_ids_survive_a_retitle_and_a_correction_bumps_the_updated_date(build_site, site_content):
    before = build_site()
    path = site_content / "articles/middle-east/2026-11-20-water-talks.md"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("Title: Water talks resume in the Jordan valley", "Title: Jordan valley talks resume after a dry summer")
        .replace("Priority: lead", "Priority: lead\nModified: 2026-11-22 14:00\nCorrection: An earlier version misnamed the river."),
        encoding="utf-8",
    )
    after = build_site()
    corrected = dt.datetime(2026, 11, 22, 14, 0, tzinfo=dt.timezone.utc)  # London is on GMT in November
    for feed in ("feeds/all.rss.xml", "feeds/all.atom.xml", "feeds/section/middle-east.atom.xml", "feeds/tag/water.rss.xml"):
        old, new = entry_by_id(parse(before, feed), WATER_ID), entry_by_id(parse(after, feed), WATER_ID)
        assert (old.title, new.title) == ("Water talks resume in the Jordan valley", "Jordan valley talks resume after a dry summer")
        assert old.link != new.link == f"{BASE}/middle-east/jordan-valley-talks-resume-after-a-dry-summer/"
        assert new.published_parsed == old.published_parsed
        assert dt.datetime(*new.updated_parsed[:6], tzinfo=dt.timezone.utc) == corrected
        assert "An earlier version misnamed the river." in new.content[0].value
        assert parse(after, feed).feed.updated_parsed[:6] == corrected.timetuple()[:6]
    rss = etree.fromstring(feed_bytes(after, "feeds/all.rss.xml"))
    guid = next(g for g in rss.iter("guid") if g.text == WATER_ID)
    assert guid.get("isPermaLink") == "false"
    assert rfc822(rss.findtext("channel/lastBuildDate")) == corrected
    item = next(i for i in json.loads(feed_bytes(after, "feeds/all.json"))["items"] if i["id"] == WATER_ID)
    assert item["date_modified"] == "2026-11-22T14:00:00+00:00" and item["date_published"] == "2026-11-20T08:30:00+00:00"


def test_production_build_uses_the_site_address_and_keeps_the_same_ids(build_site, monkeypatch):
    monkeypatch.delenv("SITEURL", raising=False)
    local = build_site()
    production = build_site(conf="publishconf.py")
    prod = parse(production, "feeds/all.atom.xml")
    assert prod.feed.id == "https://www.commonledger.example/feeds/all.atom.xml"
    assert [e.id for e in prod.entries] == [e.id for e in parse(local, "feeds/all.atom.xml").entries]
    assert all(e.link.startswith("https://www.commonledger.example/") for e in prod.entries)
    path = "feeds/all.rss.xml"
    assert check_rss(feed_bytes(production, path), f"https://www.commonledger.example/{path}") == []


def test_a_reader_gets_the_full_text_and_the_picture(fixture_site):
    site = fixture_site
    for path in ("feeds/all.rss.xml", "feeds/all.atom.xml"):
        entry = entry_by_id(parse(site, path), WATER_ID)
        html = entry.content[0].value
        text = BeautifulSoup(html, "html.parser").get_text(" ")
        assert "we cannot wait another season" in text
        assert "The river does not know where the border is." in text and "A second paragraph." in text
        assert entry.summary == "Negotiators return to the table after a summer of shortages."
        img = BeautifulSoup(html, "html.parser").find("img")
        assert (img["src"], img["alt"]) == (f"{BASE}/images/valley.png", "A river valley drawn in blue and ochre bands")
        assert "Illustration: Test Desk" in text and "The valley's farms depend on the river." in text
        assert [(e.href, e.type, e.length) for e in entry.enclosures] == [(f"{BASE}/images/valley.png", "image/png", "476")]
        assert entry.media_content[0]["url"] == f"{BASE}/images/valley.png"
        assert entry.media_content[0]["filesize"] == "476"
        assert [a.name for a in entry.authors] == ["Amira Haddad", "Tom Reeve"]
        assert [t.term for t in entry.tags] == ["Middle East", "Water", "Diplomacy"]
    # The alt text, as media:description, in both formats.
    for path in ("feeds/all.rss.xml", "feeds/all.atom.xml"):
        root = etree.fromstring(feed_bytes(site, path))
        descriptions = root.findall(".//{http://search.yahoo.com/mrss/}description")
        assert [d.text for d in descriptions] == ["A river valley drawn in blue and ochre bands"]
    # A right-to-left story keeps its language and direction in readers that show the HTML.
    arabic = next(e for e in parse(site, "feeds/all.atom.xml").entries if e.title == "صيادو غزة يعودون إلى البحر")
    wrapper = BeautifulSoup(arabic.content[0].value, "html.parser").find("div")
    assert (wrapper["lang"], wrapper["dir"], wrapper.get_text().strip()) == ("ar", "rtl", "عاد الصيادون إلى البحر صباح اليوم.")


def test_channel_has_logo_rights_ttl_generator_and_language(build_site, site_content):
    logo = site_content / "images/logo.png"
    if not logo.exists():
        shutil.copy(REPO / "content/images/logo.png", logo)
    site = build_site()
    rss = parse(site, "feeds/section/europe.rss.xml").feed
    assert (rss.title, rss.link, rss.language, rss.ttl) == ("Europe | The Common Ledger", f"{BASE}/europe/", "en", "60")
    assert (rss.image.href, rss.image.title, rss.image.link) == (f"{BASE}/images/logo.png", rss.title, rss.link)
    assert rss.rights == "© 2026 The Common Ledger"
    assert rss.generator.startswith("Pelican 4.12.0 with newsroom_feeds (python-feedgen 1.0.0)")
    atom = parse(site, "feeds/all.atom.xml").feed
    assert (atom.logo, atom.icon) == (f"{BASE}/images/logo.png", f"{BASE}/images/logo.png")
    assert (atom.title, atom.subtitle, atom.author) == ("The Common Ledger", "The reader-owned daily", "The Common Ledger")
    assert {(ln.rel, ln.href) for ln in atom.links} == {("self", f"{BASE}/feeds/all.atom.xml"), ("alternate", f"{BASE}/")}


def test_atom_enclosures_keep_rel_type_and_length(fixture_site):
    site = fixture_site
    root = etree.fromstring(feed_bytes(site, "feeds/all.atom.xml"))
    entry = next(e for e in root.iter(f"{{{ATOM_NS}}}entry") if e.findtext(f"{{{ATOM_NS}}}id") == WATER_ID)
    links = [dict(link.attrib) for link in entry.iter(f"{{{ATOM_NS}}}link")]
    assert links == [
        {"href": f"{BASE}/middle-east/water-talks-resume-in-the-jordan-valley/", "rel": "alternate", "type": "text/html", "hreflang": "en"},
        {"href": f"{BASE}/images/valley.png", "rel": "enclosure", "type": "image/png",
         "title": "A river valley drawn in blue and ochre bands", "length": "476"},
    ]


def test_restore_entry_links_repairs_feedgen_issue_135():
    fg = FeedGenerator()
    fg.id("urn:x")
    fg.title("t")
    fe = fg.add_entry()
    fe.id("urn:x:1")
    fe.title("one")
    fe.link(href="https://example.org/a/", rel="alternate", type="text/html")
    fe.enclosure("https://example.org/a.jpg", 1234, "image/jpeg")
    root = etree.fromstring(fg.atom_str())
    raw = [dict(link.attrib) for link in root.iter(f"{{{ATOM_NS}}}link")]
    # If this fails, feedgen fixed issue #135 upstream and atom_fix.py has become a harmless no-op.
    assert raw == [{"href": "https://example.org/a/"}, {"href": "https://example.org/a.jpg"}]
    restore_entry_links(root, fg.entry())
    assert [dict(link.attrib) for link in root.iter(f"{{{ATOM_NS}}}link")] == [
        {"href": "https://example.org/a/", "rel": "alternate", "type": "text/html"},
        {"href": "https://example.org/a.jpg", "rel": "enclosure", "type": "image/jpeg", "length": "1234"},
    ]


HOSTILE_TITLE = "Tom & Jerry <b>not bold</b> ]]> \x01\x08 🦆 שלום עולם"
HOSTILE_SUMMARY = "A & B < C ]]> \x07 and مرحبا بالعالم 👩🏽‍🔬"


def test_text_hostile_to_xml_round_trips(build_site, site_content):
    write_article(site_content, "europe/2026-11-23-hostile.md", f"""
Title: {HOSTILE_TITLE}
Date: 2026-11-23 10:00
Category: Europe
Summary: {HOSTILE_SUMMARY}
Tags: Q&A

Body with ]]> and a control \x03 character, <em>markup</em> & an ampersand.
[Up](../europe/) ![Map](/images/valley.png) [Notes](#notes) [Mail](mailto:desk@example.org)

<img srcset="/images/valley.png 1x, ../big.png 2x" src="small.png" alt="A diagram">
""")
    site = build_site()
    title = "Tom & Jerry <b>not bold</b> ]]>  🦆 שלום עולם"  # control characters stripped, the rest intact
    summary = "A & B < C ]]> and مرحبا بالعالم 👩🏽‍🔬"  # the standfirst is plain text with spaces collapsed
    for path in ("feeds/all.rss.xml", "feeds/all.atom.xml", "feeds/tag/qa.rss.xml"):
        entry = parse(site, path).entries[0]
        assert entry.title == title
        assert " ".join(BeautifulSoup(entry.summary, "html.parser").get_text().split()) == summary
        body = entry.content[0].value
        assert "Body with ]]> and a control character, markup & an ampersand." in " ".join(BeautifulSoup(body, "html.parser").get_text().split())
    # feedparser sanitises srcset away, so the URLs are read from the feed itself.
    rss = etree.fromstring(feed_bytes(site, "feeds/all.rss.xml"))
    body = rss.find("channel/item/{http://purl.org/rss/1.0/modules/content/}encoded").text
    article = f"{BASE}/europe/tom-jerry-not-bold-shlvm-vlm/"
    assert html_urls(body) == [
        f"{BASE}/europe/europe/", f"{BASE}/images/valley.png", f"{article}#notes", "mailto:desk@example.org",
        f"{article}small.png", f"{BASE}/images/valley.png", f"{BASE}/europe/big.png",
    ]
    item = json.loads(feed_bytes(site, "feeds/all.json"))["items"][0]
    assert (item["title"], " ".join(item["summary"].split())) == (title, summary)
    assert all_problems(site) == []


def test_rss_links_a_css_stylesheet_and_is_otherwise_what_readers_got(build_site):
    """Browsers are removing XSLT (Chromium warns on a feed that uses it), so RSS feeds link a CSS
    stylesheet instead; tests/browser/test_feed_view.py opens one. Feed readers get the same XML as with
    no stylesheet, or with the old XSLT, but for the one processing instruction."""
    site = build_site()
    data = feed_bytes(site, "feeds/section/europe.rss.xml")
    pi = etree.fromstring(data).getprevious()
    assert isinstance(pi, etree._ProcessingInstruction) and pi.target == "xml-stylesheet"
    assert pi.get("type") == "text/css" and pi.get("href") == "/theme/feeds/rss.css"
    assert (site.output / "theme/feeds/rss.css").is_file()
    lines = data.splitlines(keepends=True)
    assert lines[1] == b'<?xml-stylesheet type="text/css" href="/theme/feeds/rss.css"?>\n'
    for setting, expected in (("", []), ("theme/feeds/rss.xsl", [b'<?xml-stylesheet type="text/xsl" href="/theme/feeds/rss.xsl"?>\n'])):
        other = feed_bytes(build_site(NEWSROOM_FEEDS_STYLESHEET=setting), "feeds/section/europe.rss.xml").splitlines(keepends=True)
        assert other == lines[:1] + expected + lines[2:]
    assert not any(b"xml-stylesheet" in p.read_bytes() for p in feed_files(site) if not p.name.endswith(".rss.xml"))


def test_max_items_setting_keeps_the_newest(build_site):
    site = build_site(NEWSROOM_FEEDS_MAX_ITEMS=2)
    assert [e.title for e in parse(site, "feeds/all.atom.xml").entries] == FIXTURE_ORDER[:2]
    assert len(json.loads(feed_bytes(site, "feeds/all.json"))["items"]) == 2
    assert [e.title for e in parse(site, "feeds/section/middle-east.rss.xml").entries] == [FIXTURE_ORDER[0], FIXTURE_ORDER[2]]


# --- The theme -----------------------------------------------------------------------------------------

def alternates(site, url: str) -> list[tuple[str, str]]:
    return [(link["type"], link["href"]) for link in site.soup(url).select('head link[rel="alternate"]')]


PAPER_LINKS = [
    ("application/rss+xml", "/feeds/all.rss.xml"),
    ("application/atom+xml", "/feeds/all.atom.xml"),
    ("application/feed+json", "/feeds/all.json"),
]


def test_pages_advertise_the_paper_feeds_and_their_own(fixture_site):
    site = fixture_site

    def own(kind, slug):
        return [("application/rss+xml", f"/feeds/{kind}/{slug}.rss.xml"), ("application/atom+xml", f"/feeds/{kind}/{slug}.atom.xml")]

    assert alternates(site, "/") == PAPER_LINKS
    assert alternates(site, "/europe/") == PAPER_LINKS + own("section", "europe")
    assert alternates(site, "/world/") == PAPER_LINKS + own("desk", "world")
    assert alternates(site, "/author/amira-haddad/") == PAPER_LINKS + own("author", "amira-haddad")
    assert alternates(site, "/tag/water/") == PAPER_LINKS + own("tag", "water")
    assert alternates(site, "/middle-east/water-talks-resume-in-the-jordan-valley/") == PAPER_LINKS + own("section", "middle-east")
    for url in ("/", "/europe/", "/world/", "/author/amira-haddad/", "/tag/water/"):
        assert all(site.exists(href) for _, href in alternates(site, url)), url


def test_the_feeds_page_lists_every_feed_for_newcomers(fixture_site):
    site = fixture_site
    page = site.soup("/feeds/")
    assert [h.get_text() for h in page.find_all("h1")] == ["Feeds"]
    assert "feed reader" in page.main.get_text()
    linked = {a["href"] for a in page.main.select("a[href^='/feeds/']")}
    assert linked == {"/" + p.relative_to(site.output).as_posix() for p in feed_files(site)}
    assert page.title.get_text() == "Feeds | The Common Ledger"
    names = [a.get_text() for a in page.main.select("a[href^='/feeds/']")]
    assert len(names) == len(set(names))  # "RSS feed: Sport desk" and "RSS feed: Sport section" differ


def test_the_feeds_page_groups_the_paper_then_desks_with_their_sections_then_writers_and_topics(fixture_site):
    site = fixture_site
    page = site.soup("/feeds/")
    assert [h.get_text() for h in page.main.find_all("h2")] == ["The whole paper", "Desks and sections", "Writers", "Topics", "Corrections"]
    # Every address a reader pastes is shown whole, as the feed's own self link gives it.
    paper = page.main.select(".nr-feeds__paper .nr-feeds__url")
    assert [c.get_text() for c in paper] == [f"{BASE}/feeds/all.rss.xml", f"{BASE}/feeds/all.atom.xml", f"{BASE}/feeds/all.json"]
    desks = {
        card.h3.get_text(): [a.get_text() for a in card.select(".nr-feeds__name")]
        for card in page.main.select(".nr-feeds__desk")
    }
    assert desks == {
        "World": ["Everything from World", "Middle East", "Europe", "Americas", "Africa", "Asia"],
        "Britain": ["Everything from Britain", "Politics", "Workplace", "Housing", "Environment"],
        "Comment": ["Everything from Comment", "Editorial", "Opinion"],
        "Culture": ["Everything from Culture", "Books", "Film", "Music"],
        "Sport": ["Everything from Sport", "Sport"],
    }
    for entry in page.main.select(".nr-feeds__desks .nr-feeds__entry, details .nr-feeds__entry"):
        rss = entry.select_one("a[type='application/rss+xml']")["href"]
        assert entry.select_one(".nr-feeds__url").get_text() == BASE + rss
    # Writers and topics are folded away (closed <details>), each with its feeds.
    folded = page.main.select("details")
    assert [d.summary.get_text() for d in folded] == [
        f"All {len(list(site.output.glob('feeds/author/*.rss.xml')))} writers, each with a feed",
        f"All {len(list(site.output.glob('feeds/tag/*.rss.xml')))} topics, each with a feed",
    ]
    assert not any(d.has_attr("open") for d in folded)
    assert "Amira Haddad" in [a.get_text() for a in folded[0].select(".nr-feeds__name")]


def test_feeds_page_groups_sections_under_their_desks_and_keeps_a_stray_section():
    from newsroom_feeds.page import feeds_page

    paper = Feed("paper", "all", "P", "P", "d", "", [], ("rss", "atom", "json"))
    desk = Feed("desk", "sport-desk", "Sport", "Sport | P", "d", "sport-desk/", [])
    section = Feed("section", "sport", "Sport", "Sport | P", "d", "sport/", [], desk="sport-desk")
    stray = Feed("section", "misc", "Misc & more", "Misc | P", "d", "misc/", [])
    tag = Feed("tag", "water", "Water", "Water | P", "d", "tag/water/", [])
    page = feeds_page(FeedCatalog(paper, [desk], [section, stray], [], [tag]), lambda path: f"https://p.example/{path}")
    assert [a.url for a in page.paper.addresses] == [
        "https://p.example/feeds/all.rss.xml", "https://p.example/feeds/all.atom.xml", "https://p.example/feeds/all.json"]
    (group,) = page.desks
    assert (group.desk.name, group.desk.accessible_name) == ("Everything from Sport", "Sport desk")
    assert [(s.name, s.accessible_name) for s in group.sections] == [("Sport", "Sport section")]
    assert [(g.heading, [e.name for e in g.entries]) for g in page.more] == [("Other sections", ["Misc & more"]), ("Topics", ["Water"])]
    assert "".join(group.desk.main.url_parts) == group.desk.main.url
    assert group.desk.main.url_parts == ("https://", "p.example/", "feeds/", "desk/", "sport-desk.rss.xml")
    assert len(list(page)) == 5


def render_feed_links(**context) -> str:
    env = Environment(loader=FileSystemLoader(str(REPO / "theme/templates")))
    return env.get_template("partials/feed_links.html").render(SITEURL="https://news.example", **context)


def test_feed_links_partial_renders_alone():
    paper = Feed("paper", "all", "P", "P", "d", "", [], ("rss", "atom", "json"))
    water = Feed("tag", "water", "Water & Rights", "Water & Rights | P", "d", "tag/water/", [])
    catalog = FeedCatalog(paper, tags=[water])
    html = BeautifulSoup(render_feed_links(NEWSROOM_FEEDS=catalog, tag=SimpleNamespace(slug="water")), "html.parser")
    assert [(ln["href"], ln["title"]) for ln in html.find_all("link")] == [
        ("https://news.example/feeds/all.rss.xml", "P (RSS)"),
        ("https://news.example/feeds/all.atom.xml", "P (Atom)"),
        ("https://news.example/feeds/all.json", "P (JSON Feed)"),
        ("https://news.example/feeds/tag/water.rss.xml", "Water & Rights | P (RSS)"),
        ("https://news.example/feeds/tag/water.atom.xml", "Water & Rights | P (Atom)"),
    ]
    assert render_feed_links().strip() == ""  # without the plugin the theme still renders
    assert len(BeautifulSoup(render_feed_links(NEWSROOM_FEEDS=catalog, tag=SimpleNamespace(slug="gone")), "html.parser").find_all("link")) == 3


# --- Pure functions ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, expected", [
    ("articles/europe/2026-10-02-rail-fares.md", "tag:example.org,2026-10-02:articles/europe/2026-10-02-rail-fares"),
    ("articles/café/a b.markdown", "tag:example.org,2026-10-02:articles/caf%C3%A9/a%20b"),
])
def test_tag_uri(path, expected):
    assert tag_uri("example.org", dt.date(2026, 10, 2), path) == expected


@pytest.mark.parametrize("html, expected", [
    ('<a href="../x/">x</a>', '<a href="https://s.example/news/x/">x</a>'),
    ('<a href="/x/">x</a>', '<a href="https://s.example/x/">x</a>'),
    ('<a href="#n">x</a>', '<a href="https://s.example/news/story/#n">x</a>'),
    ('<a href="mailto:a@b.c">x</a>', '<a href="mailto:a@b.c">x</a>'),
    ('<a href="https://other.example/">x</a>', '<a href="https://other.example/">x</a>'),
    ('<img src="p.png" alt="">', '<img alt="" src="https://s.example/news/story/p.png">'),  # attributes sorted
    ('<img srcset="a.png 1x, /b.png 2x">', '<img srcset="https://s.example/news/story/a.png 1x, https://s.example/b.png 2x">'),
    ("<p>Fish &amp; chips ‘quoted’ ]]&gt;</p>", "<p>Fish &amp; chips ‘quoted’ ]]&gt;</p>"),
])
def test_absolutize_html(html, expected):
    assert absolutize_html(html, "https://s.example/news/story/") == expected


def test_xml_safe_strips_only_what_xml_forbids():
    assert xml_safe("a\x00b\x01c\x1fd\tE\nF\rG\ufffeH\uffff 🦆 שלום \x85") == "abcd\tE\nF\rGH 🦆 שלום \x85"


@pytest.mark.parametrize("overrides, message", [
    ({"NEWSROOM_FEEDS_MAX_ITEMS": 0}, "NEWSROOM_FEEDS_MAX_ITEMS must be a whole number of at least 1, not 0"),
    ({"NEWSROOM_FEEDS_MAX_ITEMS": "50"}, "NEWSROOM_FEEDS_MAX_ITEMS must be a whole number"),
    ({"NEWSROOM_FEEDS_SITEURL": "www.example.org"}, "NEWSROOM_FEEDS_SITEURL must be an absolute http(s) address"),
    ({"NEWSROOM_FEEDS_TAG_AUTHORITY": "http://x"}, "NEWSROOM_FEEDS_TAG_AUTHORITY must be a domain name"),
    ({"NEWSROOM_FEEDS_COPYRIGHT": "© {yaer}"}, "NEWSROOM_FEEDS_COPYRIGHT must be text that may use {year}"),
    ({"NEWSROOM_FEEDS_LOGO": "../logo.png"}, "NEWSROOM_FEEDS_LOGO: '../logo.png' must be a path inside the site"),
    ({"NEWSROOM_FEEDS_STYLESHEET": "theme/feeds/rss.js"}, "NEWSROOM_FEEDS_STYLESHEET must name a .css or .xsl file"),
    ({"NEWSROOM_FEEDS_MAX_ITEM": 10}, "NEWSROOM_FEEDS_MAX_ITEM is not a setting of this plugin; did you mean NEWSROOM_FEEDS_MAX_ITEMS?"),
])
def test_bad_settings_are_refused_with_a_fix(overrides, message):
    with pytest.raises(FeedSettingsError) as error:
        load({"SITENAME": "P", **overrides})
    assert all(line.startswith("newsroom_feeds: ") for line in str(error.value).splitlines())
    assert message in str(error.value)


@pytest.mark.parametrize("settings, base, authority, stylesheet", [
    ({"SITEURL": ""}, "http://127.0.0.1:8000", "127.0.0.1", "/theme/feeds/rss.css"),
    ({"SITEURL": "", "BIND": "0.0.0.0", "PORT": 9000}, "http://0.0.0.0:9000", "0.0.0.0", "/theme/feeds/rss.css"),
    ({"SITEURL": "https://news.example/paper/"}, "https://news.example/paper", "news.example", "/paper/theme/feeds/rss.css"),
    ({"SITEURL": "", "NEWSROOM_FEEDS_SITEURL": "https://a.example", "NEWSROOM_FEEDS_TAG_AUTHORITY": "b.example",
      "NEWSROOM_FEEDS_STYLESHEET": ""}, "https://a.example", "b.example", ""),
])
def test_feed_address_falls_back_to_siteurl_then_the_preview(settings, base, authority, stylesheet):
    cfg = load(settings)
    assert (cfg.base_url, cfg.tag_authority, cfg.stylesheet_href) == (base, authority, stylesheet)


def test_a_bad_setting_stops_the_build(build_site, tmp_path):
    with pytest.raises(FeedSettingsError, match="^newsroom_feeds: NEWSROOM_FEEDS_TTL"):
        build_site(output=tmp_path / "site", NEWSROOM_FEEDS_TTL=-5)
    assert not (tmp_path / "site").exists()


def test_picture_sizes_come_from_newsroom_images_else_from_the_picture(tmp_path):
    from PIL import Image as PILImage

    from newsroom_feeds.items import lead_image
    from newsroom_images.plan import inspect_source
    from newsroom_images.settings import load_config

    cfg = load({"SITENAME": "P", "PATH": str(tmp_path)})
    (tmp_path / "images").mkdir()
    # Not a picture Pillow can open: a size found here can only be the one newsroom_images measured.
    (tmp_path / "images/measured.jpg").write_bytes(b"not read by the feeds")
    measured = {"path": "images/measured.jpg", "url": "images/measured.jpg", "width": 1600, "height": 900}
    image = lead_image(SimpleNamespace(lead_image=measured), cfg)
    assert (image.width, image.height, image.length) == (1600, 900, 21)
    # Without newsroom_images the feeds read the picture's header, upright as newsroom_images measures it.
    exif = PILImage.Exif()
    exif[0x0112] = 6  # stored on its side
    source = tmp_path / "images/portrait.jpg"
    PILImage.new("RGB", (300, 200)).save(source, "JPEG", exif=exif.tobytes())
    image = lead_image(SimpleNamespace(lead_image={"path": "images/portrait.jpg", "url": "images/portrait.jpg"}), cfg)
    info = inspect_source(str(source), load_config({"PATH": str(tmp_path)}))
    assert (image.width, image.height) == (info.width, info.height) == (200, 300)

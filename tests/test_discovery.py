"""newsroom_discovery: what search engines, share cards and news aggregators get from a build.

Pure functions are checked with examples; the rest by building the sample paper (once for the module) or
the small fixture site and parsing what the build wrote: HTML with Beautiful Soup, JSON-LD with json,
sitemaps with ElementTree. Site search is tests/test_search_*.py's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from jinja2 import Environment, FileSystemLoader
from PIL import Image

from conftest import REPO, Site, epoch, write_article
from newsroom_discovery.head import head_meta, og_locale
from newsroom_discovery.jsonld import script_json
from newsroom_discovery.pages import page_kind, pick_share_copy, url_of_file
from newsroom_discovery.settings import DiscoverySettingsError, load_config
from newsroom_discovery.sitemaps import (
    NEWS_MAX_URLS, Entry, NewsItem, chunks, loc, news_language, news_selection, sitemap_files,
)

SITE = "http://127.0.0.1:8000"  # pelicanconf.py: SITEURL is "" locally, so absolute URLs use BIND:PORT
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?[+-]\d{2}:\d{2}$")
UTC = dt.timezone.utc


# --- reading what a build wrote ---------------------------------------------------------------------

def html_pages(site: Site) -> dict[str, Path]:
    """URL path -> file, for every HTML page of the site (Pagefind's bundle holds none)."""
    pages = {}
    for path in sorted(site.output.rglob("*.html")):
        rel = path.relative_to(site.output).as_posix()
        pages["/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)] = path
    return pages


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def head(soup: BeautifulSoup) -> SimpleNamespace:
    """What a crawler reads from <head>: canonical, <meta> by property and name (all values), JSON-LD."""
    props, names = {}, {}
    for m in soup.head.find_all("meta"):
        if m.get("property"):
            props.setdefault(m["property"], []).append(m.get("content"))
        if m.get("name"):
            names.setdefault(m["name"], []).append(m.get("content"))
    canonical = [link["href"] for link in soup.head.find_all("link", rel="canonical")]
    json_ld = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    return SimpleNamespace(canonical=canonical, props=props, names=names, json_ld=json_ld)


def one(values: list | None) -> str:
    assert values is not None and len(values) == 1, values
    return values[0]


def iso(value) -> dt.datetime:
    assert isinstance(value, str) and ISO_WITH_OFFSET.match(value), value
    when = dt.datetime.fromisoformat(value)
    assert when.utcoffset() is not None
    return when


def local_file(site: Site, url: str) -> Path:
    assert url.startswith(SITE + "/"), url
    return site.path(urlsplit(url).path)


def parse_xml(path: Path) -> ET.Element:
    return ET.fromstring(path.read_bytes())


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def paper(sample_paper) -> Site:
    """The sample paper, built once with the suite's fixed clock (tests/conftest.py)."""
    return sample_paper


@pytest.fixture(scope="module")
def paper_pages(paper) -> dict[str, Path]:
    return html_pages(paper)


@pytest.fixture(scope="module")
def articles(paper, paper_pages) -> dict[str, BeautifulSoup]:
    found = {}
    for url, path in paper_pages.items():
        soup = soup_of(path)
        if one(head(soup).props.get("og:type")) == "article":
            found[url] = soup
    assert len(found) >= 30
    return found


# --- pure functions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "</script><script>alert(1)</script>", "<!-- <script>", "Tom & Jerry's \"quote\"", "line\u2028separator\u2029",
    "</SCRIPT >", "مرحبا", "]]>",
])
def test_json_ld_cannot_end_the_script_element(value):
    text = script_json({"headline": value, "keywords": [value]})
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"headline": value, "keywords": [value]}


@pytest.mark.parametrize("ages_in_hours", [
    [1, 5, 30, 100, 2000],  # some inside the two days
    [60, 61, 900],  # none: the newest published is listed alone
    [-5, 70, 70],  # one not yet out (in the future), a tie for the newest
    [-3],  # nothing published yet
    [],
])
def test_the_news_candidates_give_what_every_article_would(ages_in_hours):
    """Collector.news_items(site, now) hands over only what the news sitemap can pick; the selection and
    the fallback made from it equal those made from an item for every article."""
    from newsroom_discovery.collect import Collector
    from newsroom_discovery.sitemaps import newest_item

    now = dt.datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    collector = Collector()
    for i, hours in enumerate(ages_in_hours):
        collector.articles[f"europe/story-{i}/"] = SimpleNamespace(date=now - dt.timedelta(hours=hours),
                                                                   title=f"Story <em>{i}</em>", lang="en")
    every, candidates = collector.news_items(SITE), collector.news_items(SITE, now)
    assert len(candidates) <= max(1, sum(0 <= h <= 48 for h in ages_in_hours))
    assert news_selection(candidates, now) == news_selection(every, now)
    assert newest_item(candidates, now) == newest_item(every, now)


@pytest.mark.parametrize("url, expected", [
    (f"{SITE}/europe/rail-fares/", f"{SITE}/europe/rail-fares/"),
    (f"{SITE}/tag/café-culture/", f"{SITE}/tag/caf%C3%A9-culture/"),
    (f"{SITE}/search/?q=a&b=c", f"{SITE}/search/?q=a&amp;b=c"),
    (f"{SITE}/already%20encoded/", f"{SITE}/already%20encoded/"),
    (f"{SITE}/it's/", f"{SITE}/it&apos;s/"),
    (f"{SITE}/a b/<c>", f"{SITE}/a%20b/%3Cc%3E"),
    (f"{SITE}/~u/?q=1#part", f"{SITE}/~u/?q=1#part"),
])
def test_sitemap_locations_are_encoded_and_escaped(url, expected):
    assert loc(url) == expected


@pytest.mark.parametrize("lang, expected", [
    ("en", "en"), ("pt-BR", "pt"), ("ar", "ar"), ("zh-CN", "zh-cn"), ("zh-TW", "zh-tw"), ("zh-Hant", "zh-tw"),
    ("", "en"), ("cy", "cy"),
])
def test_news_language(lang, expected):
    assert news_language(lang) == expected


@pytest.mark.parametrize("lang, site_locale, expected", [
    ("en", "en_GB", "en_GB"), ("pt-BR", "en_GB", "pt_BR"), ("ar", "en_GB", ""), ("en-us", "en_GB", "en_US"),
])
def test_og_locale(lang, site_locale, expected):
    assert og_locale(lang, site_locale) == expected


@pytest.mark.parametrize("output_file, expected", [
    ("index.html", ""), ("europe/rail-fares/index.html", "europe/rail-fares/"), ("404.html", "404.html"),
    ("europe/page/2/index.html", "europe/page/2/"),
])
def test_url_of_file(output_file, expected):
    assert url_of_file(output_file) == expected


@pytest.mark.parametrize("lead, expected", [
    # The smallest copy at least 1200 px wide, with the height newsroom_images gives it.
    ({"url": "images/a.jpg", "width": 1700, "height": 900,
      "srcset": ", ".join(f"images/sized/a-{w}.jpg {w}w" for w in (400, 800, 1200, 1600))},
     ("images/sized/a-1200.jpg", 1200, 635)),
    # A small picture: its widest copy.
    ({"url": "images/b.png", "width": 320, "height": 200, "srcset": "images/sized/b-320.png 320w"},
     ("images/sized/b-320.png", 320, 200)),
    # No copies (newsroom_images not run): the original.
    ({"url": "images/c.jpg", "width": 640, "height": 480}, ("images/c.jpg", 640, 480)),
])
def test_share_image_copy(lead, expected):
    assert pick_share_copy(lead) == expected


def test_page_kinds():
    thing = SimpleNamespace(name="x", title="x")
    assert page_kind({"article": thing, "category": thing}) == "article"
    assert page_kind({"category": thing}) == "section"
    assert page_kind({"desk": thing, "output_file": "world/index.html"}) == "desk"
    assert page_kind({"period": (2026, "November")}) == "month"
    assert page_kind({"output_file": "index.html"}) == "front"
    assert page_kind({"output_file": "search/index.html", "SEARCH_SAVE_AS": "search/index.html"}) == "search"
    assert page_kind({"output_file": "404.html"}) == "notfound"
    assert page_kind({"output_file": "feeds/index.html"}) == "other"


def entries(count: int) -> list[Entry]:
    start = dt.datetime(2026, 1, 1, tzinfo=UTC)
    return [Entry(f"{SITE}/a/{i:03d}/", start + dt.timedelta(hours=i)) for i in range(count)]


def test_sitemap_becomes_an_index_past_the_limit():
    files = sitemap_files(entries(7), SITE, max_urls=3)
    assert list(files) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{SM}sitemapindex"
    children = [s.findtext(f"{SM}loc") for s in index]
    assert children == [f"{SITE}/sitemap-{i}.xml" for i in (1, 2, 3)]
    urls = []
    for i, sitemap in enumerate(index, start=1):
        urlset = ET.fromstring(files[f"sitemap-{i}.xml"])
        locs = [u.findtext(f"{SM}loc") for u in urlset]
        assert 1 <= len(locs) <= 3
        newest = max(iso(u.findtext(f"{SM}lastmod")) for u in urlset)
        assert iso(sitemap.findtext(f"{SM}lastmod")) == newest
        urls += locs
    assert urls == [e.url for e in entries(7)]
    assert list(sitemap_files(entries(3), SITE, max_urls=3)) == ["sitemap.xml"]


def test_sitemap_files_keep_under_the_byte_limit():
    groups = chunks(entries(10), max_urls=50_000, max_bytes=400)
    assert len(groups) > 1 and sum(map(len, groups)) == 10
    assert all(len(sitemap_files(g, SITE, 50_000)["sitemap.xml"].encode()) <= 400 for g in groups)


def test_news_selection_follows_googles_window_and_limit():
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    item = lambda name, when: NewsItem(f"{SITE}/{name}/", when, name, "en")  # noqa: E731
    edge = item("edge", now - dt.timedelta(days=2))
    inside = item("inside", now - dt.timedelta(hours=1))
    too_old = item("too-old", now - dt.timedelta(days=2, seconds=1))
    chosen, left_out = news_selection([too_old, edge, inside], now)
    assert chosen == [inside, edge] and left_out == 0
    many = [item(f"n{i}", now - dt.timedelta(minutes=i)) for i in range(NEWS_MAX_URLS + 5)]
    chosen, left_out = news_selection(many, now)
    assert len(chosen) == 1000 and left_out == 5 and chosen[0].url.endswith("/n0/")  # the newest are kept


@pytest.mark.parametrize("overrides, message", [
    ({"NEWSROOM_DISCOVERY_LOGO_ATL": ""}, "did you mean NEWSROOM_DISCOVERY_LOGO_ALT?"),
    ({"NEWSROOM_DISCOVERY_TWITTER_SITE": "commonledger"}, "with its @"),
    ({"NEWSROOM_DISCOVERY_SITEMAP_MAX_URLS": 50_001}, "from 1 to 50,000"),
    ({"NEWSROOM_DISCOVERY_LOGO": "images/missing.png"}, "does not exist"),
    ({"NEWSROOM_DISCOVERY_LOGO": "../secrets.png"}, "under the content folder"),
])
def test_bad_settings_are_refused(overrides, message):
    settings = {"PATH": str(REPO / "content"), "SITENAME": "The Common Ledger", **overrides}
    with pytest.raises(DiscoverySettingsError) as error:
        load_config(settings)
    assert str(error.value).startswith("newsroom_discovery: ") and message in str(error.value)


@pytest.mark.parametrize("old, new", [
    ("NEWSROOM_DISCOVERY_SEARCH", "NEWSROOM_SEARCH"),
    ("NEWSROOM_DISCOVERY_SEARCH_TIMEOUT", "NEWSROOM_SEARCH_TIMEOUT"),
    ("NEWSROOM_DISCOVERY_SEARCH_WORKERS", "NEWSROOM_SEARCH_WORKERS"),
])
def test_the_old_search_settings_are_refused_with_their_new_names(build_site, old, new):
    """Site search moved to newsroom_search: a site still naming an old setting is told, in one line, the
    name to use, by a build as much as by the settings check."""
    settings = {"PATH": str(REPO / "content"), "SITENAME": "The Common Ledger", old: False}
    with pytest.raises(DiscoverySettingsError) as error:
        load_config(settings)
    assert str(error.value) == f"newsroom_discovery: {old} was renamed {new}; rename it in pelicanconf.py"
    with pytest.raises(DiscoverySettingsError, match=f"^newsroom_discovery: {old} was renamed {new};"):
        build_site(**{old: False})


def test_settings_defaults():
    config = load_config({"PATH": str(REPO / "content"), "SITENAME": "The Common Ledger",
                          "SITEURL": "https://example.org/paper"})
    assert config.sitemap_max_urls == 50_000 and config.news_name == "The Common Ledger"
    assert (config.logo.url, config.logo.width, config.logo.height) == ("images/logo.png", 512, 512)
    assert config.logo.alt == "The Common Ledger logo"


# --- the <head> partial, rendered alone with example data ----------------------------------------------

def test_meta_partial_escapes_every_value():
    """partials/meta.html in a bare Jinja environment (no autoescape, as Pelican's), with hostile values."""
    nasty = 'Talks "resume" </script><script>alert(1)</script> & <!-- more'
    when = dt.datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    section = SimpleNamespace(name="Middle East", url="middle-east/")
    article = SimpleNamespace(
        title="Talks </script> resume", standfirst=nasty, status="published", lang="en",
        date=when, modified=None, category=section, desk=SimpleNamespace(name="World", url="world/"),
        authors=[SimpleNamespace(name=nasty, url="author/x/")], tags=[SimpleNamespace(name=nasty)],
        lead_image=None, content="<p>Body</p>", url="middle-east/talks/",
    )
    config = load_config({"PATH": str(REPO / "content"), "SITENAME": "The Common Ledger"})
    env = Environment(loader=FileSystemLoader(str(REPO / "theme" / "templates")))
    env.globals["discovery_head"] = lambda: head_meta(context, config)
    context = {
        "article": article, "category": section, "output_file": "middle-east/talks/index.html",
        "SITENAME": "The Common Ledger", "NEWSROOM_SITE_URL": SITE, "TIMEZONE": "UTC", "DEFAULT_LANG": "en",
    }
    soup = BeautifulSoup(env.get_template("partials/meta.html").render(context), "html.parser")
    scripts = soup.find_all("script")
    assert [s["type"] for s in scripts] == ["application/ld+json"] * 2
    news = json.loads(scripts[0].string)
    assert news["headline"] == "Talks </script> resume"
    assert news["description"] == nasty and news["keywords"] == [nasty] and news["author"][0]["name"] == nasty
    assert soup.find("meta", attrs={"name": "description"})["content"] == nasty
    assert [m["content"] for m in soup.find_all("meta", attrs={"name": "author"})] == [nasty]
    assert soup.find("link", rel="canonical")["href"] == f"{SITE}/middle-east/talks/"


def test_json_ld_in_a_built_page_survives_hostile_text(build_site, site_content):
    write_article(site_content, "europe/2026-11-20-hostile.md", """
Title: Why </script> & <!-- matter
Date: 2026-11-20 10:00
Category: Europe
Summary: A standfirst that says &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; in print.
Tags: Q&A, </script> tag

The story.
""")
    site = build_site(NEWSROOM_SEARCH=False)
    html = site.path("/europe/why-matter/").read_text(encoding="utf-8")  # slugify drops the tag-like text
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 2 and not any("<" in b for b in blocks)
    news = json.loads(blocks[0])
    assert news["headline"] == "Why </script> & <!– matter"  # smarty makes -- an en dash, as in a story
    assert news["description"] == "A standfirst that says </script><script>alert(1)</script> in print."
    assert "Q&A" in news["keywords"]


# --- structured data on the sample paper -------------------------------------------------------------

def check_image_object(node: dict, site: Site) -> None:
    assert node["@type"] == "ImageObject"
    assert isinstance(node["width"], int) and isinstance(node["height"], int)
    with Image.open(local_file(site, node["url"])) as im:
        assert im.size == (node["width"], node["height"])


ARTICLE_SCHEMA_TYPES = {"NewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle", "ReviewNewsArticle", "LiveBlogPosting"}


def article_block(soup) -> dict:
    [block] = [b for b in head(soup).json_ld if b["@type"] in ARTICLE_SCHEMA_TYPES]
    return block


def test_every_article_has_complete_json_ld(paper, articles):
    for url, soup in articles.items():
        blocks = {b["@type"]: b for b in head(soup).json_ld}
        assert len(blocks) == 2 and "BreadcrumbList" in blocks, url
        news, crumbs = article_block(soup), blocks["BreadcrumbList"]
        canonical = f"{SITE}{url}"
        assert news["@context"] == crumbs["@context"] == "https://schema.org"
        assert isinstance(news["headline"], str) and news["headline"] == soup.h1.get_text(" ", strip=True)
        assert isinstance(news["description"], str) and news["description"]
        assert isinstance(news["image"], list) and news["image"]
        for image in news["image"]:
            check_image_object(image, paper)
        published, modified = iso(news["datePublished"]), iso(news["dateModified"])
        assert modified >= published
        byline_time = soup.select_one(".nr-byline__date time")["datetime"]
        assert dt.datetime.fromisoformat(byline_time) == published
        assert isinstance(news["author"], list) and news["author"]
        for person in news["author"]:
            assert person["@type"] == "Person" and isinstance(person["name"], str)
            assert local_file(paper, person["url"]).is_file()
        publisher = news["publisher"]
        assert publisher["@type"] == "NewsMediaOrganization" and publisher["name"] == "The Common Ledger"
        check_image_object(publisher["logo"], paper)
        assert isinstance(news["articleSection"], str)
        assert news["articleSection"] == one(head(soup).props["article:section"])
        assert isinstance(news["keywords"], list) and news["keywords"]
        assert all(isinstance(k, str) and k for k in news["keywords"])
        assert news["isAccessibleForFree"] is True
        assert news["mainEntityOfPage"] == {"@type": "WebPage", "@id": canonical}
        items = crumbs["itemListElement"]
        assert [i["position"] for i in items] == [1, 2, 3]
        assert [i["@type"] for i in items] == ["ListItem"] * 3
        assert items[1]["name"] == news["articleSection"] and items[2]["name"] == news["headline"]
        assert items[2]["item"] == canonical
        for item in items[:2]:
            assert local_file(paper, item["item"]).is_file()


def test_front_page_has_website_search_action_and_organization(paper):
    blocks = {b["@type"]: b for b in head(paper.soup("/")).json_ld}
    assert sorted(blocks) == ["NewsMediaOrganization", "WebSite"]
    site, org = blocks["WebSite"], blocks["NewsMediaOrganization"]
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction" and action["query-input"] == "required name=search_term_string"
    template = action["target"]["urlTemplate"]
    assert template == f"{SITE}/search/?q={{search_term_string}}"
    assert local_file(paper, template.split("?")[0]).is_file()
    assert site["publisher"] == {"@id": org["@id"]} and org["url"] == f"{SITE}/"
    check_image_object(org["logo"], paper)


# --- Open Graph, Twitter, canonical and description on every page type ------------------------------

def page_type_urls(paper) -> dict[str, str]:
    return {
        "front": "/", "article": "/middle-east/gaza-engineers-race-to-restore-water-before-the-winter-rains/",
        "section": "/middle-east/", "desk": "/world/", "author": "/author/amira-haddad/", "tag": "/tag/gaza/",
        "archive": "/archive/", "month": "/archive/2026/11/", "page": "/about/", "feeds": "/feeds/",
        "search": "/search/", "404": "/404.html",
    }


def check_open_graph(site: Site, url: str) -> SimpleNamespace:
    h = head(site.soup(url))
    canonical = one(h.canonical)
    assert canonical == f"{SITE}{url}" == one(h.props["og:url"])
    for name in ("description", "twitter:card", "twitter:title", "twitter:description", "twitter:image",
                 "twitter:image:alt"):
        assert one(h.names.get(name)), (url, name)
    for prop in ("og:type", "og:title", "og:description", "og:site_name", "og:image", "og:image:alt"):
        assert one(h.props.get(prop)), (url, prop)
    assert one(h.names["description"]) == one(h.props["og:description"])
    image = one(h.props["og:image"])
    with Image.open(local_file(site, image)) as im:
        assert im.size == (int(one(h.props["og:image:width"])), int(one(h.props["og:image:height"])))
    assert one(h.names["twitter:image"]) == image
    return h


@pytest.mark.parametrize("kind", list(page_type_urls(None)))
def test_open_graph_is_complete_on_every_page_type(paper, kind):
    url = page_type_urls(paper)[kind]
    h = check_open_graph(paper, url)
    if kind == "article":
        assert one(h.props["og:type"]) == "article"
        assert one(h.names["twitter:card"]) == "summary_large_image"
        iso(one(h.props["article:published_time"]))
        iso(one(h.props["article:modified_time"]))
        assert one(h.props["article:section"]) == "Middle East"
        assert h.props["article:tag"] and h.props["article:author"]
    else:
        assert one(h.props["og:type"]) == "website"
        assert "article:published_time" not in h.props
    assert ("robots" in h.names) == (kind == "404")


def test_every_page_has_its_own_canonical_url_and_description(paper, paper_pages):
    seen = {}
    for url, path in paper_pages.items():
        h = head(soup_of(path))
        canonical = one(h.canonical)
        assert canonical == f"{SITE}{url}", url
        assert one(h.names.get("description")), url
        seen[canonical] = url
    assert len(seen) == len(paper_pages)


def test_paginated_pages_and_preview_drafts(build_site, site_content):
    site = build_site(DEFAULT_PAGINATION=1, NEWSROOM_PREVIEW=True, NEWSROOM_SEARCH=False)
    h = check_open_graph(site, "/middle-east/page/2/")
    assert one(h.props["og:title"]) == "Middle East, page 2"
    draft = head(site.soup("/drafts/unfinished-draft-about-ferries/"))
    assert one(draft.names["robots"]) == "noindex"
    locs = {u.findtext(f"{SM}loc") for u in parse_xml(site.output / "sitemap.xml")}
    assert f"{SITE}/middle-east/page/2/" in locs
    assert not any("/drafts/" in u or "hidden-note" in u for u in locs)


# --- sitemaps and robots.txt ---------------------------------------------------------------------------

def test_sitemap_lists_every_public_page_with_lastmod(paper, paper_pages, articles):
    root = parse_xml(paper.output / "sitemap.xml")
    assert root.tag == f"{SM}urlset"
    urls = list(root)
    assert 0 < len(urls) <= 50_000 and (paper.output / "sitemap.xml").stat().st_size <= 50 * 1024 * 1024
    lastmod = {}
    for url in urls:
        assert url.tag == f"{SM}url" and [c.tag for c in url] == [f"{SM}loc", f"{SM}lastmod"]
        lastmod[url.findtext(f"{SM}loc")] = iso(url.findtext(f"{SM}lastmod"))
    assert len(lastmod) == len(urls)
    assert all(len(url) < 2048 for url in lastmod)  # the protocol's limit
    public = {f"{SITE}{u}" for u in paper_pages if u != "/404.html"}
    assert set(lastmod) == public
    for url, soup in articles.items():
        news = article_block(soup)
        assert lastmod[f"{SITE}{url}"] == iso(news["dateModified"])
    newest = max(lastmod[f"{SITE}{u}"] for u in articles)
    assert lastmod[f"{SITE}/"] == newest


def test_robots_txt_names_both_sitemaps(paper):
    lines = (paper.output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["User-agent: *", "Disallow:"]
    named = [line.split(": ", 1)[1] for line in lines if line.startswith("Sitemap: ")]
    assert named == [f"{SITE}/sitemap.xml", f"{SITE}/news-sitemap.xml"]
    for url in named:
        assert local_file(paper, url).is_file()


def test_sitemap_index_past_the_limit(build_site):
    site = build_site(NEWSROOM_DISCOVERY_SITEMAP_MAX_URLS=10, NEWSROOM_SEARCH=False)
    index = parse_xml(site.output / "sitemap.xml")
    assert index.tag == f"{SM}sitemapindex"
    listed = []
    for sitemap in index:
        iso(sitemap.findtext(f"{SM}lastmod"))
        child = parse_xml(local_file(site, sitemap.findtext(f"{SM}loc")))
        assert child.tag == f"{SM}urlset" and 1 <= len(child) <= 10
        listed += [u.findtext(f"{SM}loc") for u in child]
    public = {f"{SITE}{u}" for u in html_pages(site) if u != "/404.html" and "hidden-note" not in u}
    assert len(listed) == len(set(listed)) and set(listed) == public
    assert len(index) == -(-len(public) // 10)


NEWS_CLOCK = "2026-11-21T10:00:00+00:00"  # the window is 2026-11-19 10:00 to 2026-11-21 10:00 UTC


def test_news_sitemap_follows_googles_rules(build_site, site_content):
    write_article(site_content, "europe/2026-11-19-edge.md", """
Title: Ferry timetable agreed at the last minute
Date: 2026-11-19 10:00
Category: Europe
Summary: Exactly two days before the build.

Ferries run again.
""")
    write_article(site_content, "europe/2026-11-19-too-old.md", """
Title: Too old for the news sitemap
Date: 2026-11-19 09:59
Category: Europe

A minute too early.
""")
    write_article(site_content, "europe/2026-11-21-lisbon.md", """
Title: Lisbon dockers & drivers strike
Date: 2026-11-21 08:00
Category: Europe
Lang: pt-BR

Greve no porto.
""")
    site = build_site(epoch=epoch(NEWS_CLOCK), NEWSROOM_SEARCH=False)
    root = parse_xml(site.output / "news-sitemap.xml")
    assert root.tag == f"{SM}urlset"
    found = {}
    for url in root:
        news = url.find(f"{NEWS}news")
        publication = news.find(f"{NEWS}publication")
        assert publication.findtext(f"{NEWS}name") == "The Common Ledger"
        found[url.findtext(f"{SM}loc")] = (
            publication.findtext(f"{NEWS}language"), iso(news.findtext(f"{NEWS}publication_date")),
            news.findtext(f"{NEWS}title"),
        )
    # Not the hidden note (2026-11-21 09:00), the 09:59 article or anything older.
    at = lambda day, hour, minute: dt.datetime(2026, 11, day, hour, minute, tzinfo=UTC)  # noqa: E731
    assert found == {
        f"{SITE}/europe/lisbon-dockers-drivers-strike/": ("pt", at(21, 8, 0), "Lisbon dockers & drivers strike"),
        f"{SITE}/middle-east/water-talks-resume-in-the-jordan-valley/":
            ("en", at(20, 8, 30), "Water talks resume in the Jordan valley"),
        f"{SITE}/europe/ferry-timetable-agreed-at-the-last-minute/":
            ("en", at(19, 10, 0), "Ferry timetable agreed at the last minute"),
    }
    for url, (_, published, title) in found.items():
        h = head(site.soup(urlsplit(url).path))
        assert iso(one(h.props["article:published_time"])) == published and one(h.props["og:title"]) == title


# --- reproducibility ---------------------------------------------------------------------------------------

# Pagefind 1.5.2 writes each filter's values in hash-map order, so its filter files (whose names are hashes of
# their content), the metadata file that names them and pagefind-entry.json differ from run to run. The index
# says the same thing each time; everything else, its fragments and word index included, is byte-identical.
PAGEFIND_UNSTABLE = re.compile(
    r"^pagefind/sections/[^/]+/(filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)$")


def test_two_builds_are_identical_but_for_pagefinds_unstable_files(build_site, fixture_site):
    # The first is the run's shared build of the fixture site (made from another folder, maybe in another process).
    first, second = digest(fixture_site.output), digest(build_site().output)
    outside = lambda d: {k: v for k, v in d.items() if not k.startswith("pagefind/")}  # noqa: E731
    assert outside(first) == outside(second)
    assert {"sitemap.xml", "news-sitemap.xml", "robots.txt"} <= set(first)
    differing = {k for k in first.keys() | second.keys() if first.get(k) != second.get(k)}
    assert all(PAGEFIND_UNSTABLE.match(k) for k in differing), differing


def test_meta_attributes_are_written_as_xmlattr_writes_them():
    from jinja2 import Environment

    from newsroom_discovery.head import attribute_markup

    env = Environment(autoescape=True)
    xmlattr = env.from_string("{{ attributes|xmlattr }}")
    for attributes in ({"name": "description", "content": "Tom & Jerry's \"<b>\" > 1"},
                       {"property": "og:title", "content": "", "data-pagefind-meta": "title[content]"},
                       {"name": "x", "content": None}, {}):
        assert attribute_markup(attributes) == xmlattr.render(attributes=attributes)

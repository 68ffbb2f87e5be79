"""Headlines and standfirsts carry the story's punctuation (smarty's curly quotes, dashes and ellipses)
everywhere they appear: the article page, every listing's cards, related stories, the head's share and
structured data, the feeds, the news sitemap and the search index. The expected text is the library's own
smarty (conftest.as_headline), not the build's."""

from __future__ import annotations

import gzip
import json

import feedparser
from lxml import etree

from conftest import as_headline, write_article

TITLE = """Dockers' "last 'fair' offer" -- back to the '90s..."""
SUMMARY = """The union's chief said "it's 'final' -- or it's nothing"... as in the '90s."""
HEADLINE = as_headline(TITLE)
STANDFIRST = as_headline(SUMMARY)
URL = "/europe/dockers-last-fair-offer-back-to-the-90s/"  # the slug of the title as typed, as before
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def test_the_expected_text_is_curly_throughout():
    assert HEADLINE == "Dockers’ “last ‘fair’ offer” – back to the ’90s…"
    assert STANDFIRST == "The union’s chief said “it’s ‘final’ – or it’s nothing”… as in the ’90s."


def test_every_place_a_headline_or_standfirst_appears_has_the_story_s_punctuation(build_site, site_content):
    write_article(site_content, "europe/2026-11-25-dockers.md", f"""
Title: {TITLE}
Date: 2026-11-25 08:00
Category: Europe
Authors: Tom Reeve
Tags: Transport
Summary: {SUMMARY}

The union's offer stands.
""")
    site = build_site()
    page = site.soup(URL)
    head = page.head
    assert page.h1.get_text() == HEADLINE
    assert page.select_one(".nr-article__standfirst").get_text() == STANDFIRST
    assert page.title.get_text().startswith(f"{HEADLINE} | Europe")
    metas = {m.get("property") or m.get("name"): m["content"] for m in head.find_all("meta", content=True)}
    assert metas["og:title"] == metas["twitter:title"] == HEADLINE
    assert metas["description"] == metas["og:description"] == STANDFIRST
    news = next(b for b in map(json.loads, (s.string for s in head.select('script[type="application/ld+json"]')))
                if b["@type"] == "NewsArticle")
    assert (news["headline"], news["description"]) == (HEADLINE, STANDFIRST)

    # Cards: every link to the story that shows its headline, on the front, section, tag, author and
    # archive pages, and in related stories (rail fares shares the tag).
    showing = {}
    for html in site.output.rglob("*.html"):
        if "pagefind" in html.parts:
            continue
        soup = site.soup("/" + html.relative_to(site.output).as_posix())
        for link in soup.find_all("a", href=lambda h: h and h.rstrip("/").endswith(URL.rstrip("/"))):
            if link.get_text(strip=True) and link.find_parent(class_="nr-share") is None:
                showing.setdefault(html.relative_to(site.output).parent.as_posix(), set()).add(link.get_text(" ", strip=True))
    assert {".", "europe", "tag/transport", "author/tom-reeve", "archive/2026/11", "europe/rail-fares-frozen-for-a-year"} <= set(showing), sorted(showing)
    # A previous/next link says "Next in Europe" before the headline.
    assert {k: v for k, v in showing.items() if not all(t.endswith(HEADLINE) for t in v)} == {}
    standfirsts = {p.get_text() for p in site.soup("/europe/").select(".nr-list-item__standfirst")}
    assert STANDFIRST in standfirsts

    for name in ("feeds/all.rss.xml", "feeds/all.atom.xml"):
        entry = next(e for e in feedparser.parse(site.path("/" + name).read_bytes()).entries if e.link.endswith(URL))
        assert (entry.title, entry.summary) == (HEADLINE, STANDFIRST), name
    item = next(i for i in json.loads(site.path("/feeds/all.json").read_text())["items"] if i["url"].endswith(URL))
    assert (item["title"], " ".join(item["summary"].split())) == (HEADLINE, STANDFIRST)

    sitemap = etree.parse(str(site.output / "news-sitemap.xml"))
    assert HEADLINE in [t.text for t in sitemap.iter(f"{NEWS}title")]

    fragments = [json.loads(gzip.decompress(p.read_bytes())[len(b"pagefind_dcd"):])
                 for p in (site.output / "pagefind").rglob("*.pf_fragment")]
    record = next(f for f in fragments if f["url"] == URL)
    assert (record["meta"]["title"], record["meta"]["standfirst"]) == (HEADLINE, STANDFIRST)


def test_a_headline_without_punctuation_to_change_reads_as_typed(build_site, site_content):
    site = build_site(NEWSROOM_SEARCH=False)
    assert site.soup("/europe/rail-fares-frozen-for-a-year/").h1.get_text() == "Rail fares frozen for a year"

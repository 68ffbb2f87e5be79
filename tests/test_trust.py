"""Article types and the trust signals: `Type:` checked and mapped to schema.org on every sample article,
the publisher's policies named in its structured data (pages with `Policy:`), the corrections page and its
feed, and ProfilePage structured data on author pages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import BUILD_EPOCH, REPO, Site, as_headline, write_article

from newsroom_checks.validation import check_article, check_page, check_policies
from newsroom_content.article_types import ARTICLE_TYPES, article_type
from newsroom_discovery.jsonld import SCHEMA_TYPES

SITE = "http://127.0.0.1:8000"  # pelicanconf's SITEURL for local builds
ARTICLE_SCHEMA_TYPES = {t for t, _ in SCHEMA_TYPES.values()}
POLICIES = {"publishingPrinciples": "publishing-principles/", "correctionsPolicy": "corrections-policy/",
            "ethicsPolicy": "ethics-policy/", "ownershipFundingInfo": "ownership-and-funding/", "masthead": "masthead/"}


def json_ld(soup: BeautifulSoup) -> list[dict]:
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def front_matter(path: Path) -> dict:
    meta = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    return meta


@pytest.fixture(scope="module")
def paper(sample_paper) -> Site:
    """The sample paper as `make html` builds it, built once per run and shared (tests/conftest.py): these
    tests only read its pages."""
    return sample_paper


# --- the Type key ---------------------------------------------------------------------------------------------

SETTINGS = {"TIMEZONE": "Europe/London", "NEWSROOM_MAX_ARTICLE_BYTES": 2_000_000}


def problems_of(text: str, tmp_path: Path, kind: str = "article") -> list[str]:
    path = tmp_path / "story.md"
    path.write_text(text, encoding="utf-8")
    if kind == "article":
        problems, _ = check_article(str(path), text, content_root=str(tmp_path), sections={"Europe": "europe"},
                                    settings=SETTINGS)
    else:
        problems, _ = check_page(str(path), text, content_root=str(tmp_path), settings=SETTINGS)
    return [p.format(root=str(tmp_path)) for p in problems]


@pytest.mark.parametrize("value", ["News", "analysis", "OPINION", "Editorial", "Review", "Obituary", "Live"])
def test_every_type_is_accepted_in_any_case(value, tmp_path):
    live = "Live: yes\n" if value == "Live" else ""  # a live blog is one with `Live:` (newsroom_content.live)
    assert problems_of(f"Title: T\nDate: 2026-11-01 10:00\nCategory: Europe\nType: {value}\n{live}\nText.\n", tmp_path) == []
    assert article_type(value) in ARTICLE_TYPES


def test_a_bad_type_is_one_line_naming_the_file_the_field_and_the_allowed_values(tmp_path):
    assert problems_of("Title: T\nDate: 2026-11-01 10:00\nCategory: Europe\nType: Blog post\n\nText.\n", tmp_path) == [
        "story.md:4: error: Type: 'Blog post' is not an article type. Fix: use one of: News, Analysis, Opinion, "
        "Editorial, Review, Obituary, Live (News when the line is left out)."]
    assert problems_of("Title: T\nDate: 2026-11-01 10:00\nCategory: Europe\nTyp: News\n\nText.\n", tmp_path) == [
        "story.md:4: error: Typ: is not a known article metadata key. Fix: did you mean `Type`?"]
    assert article_type(None) == article_type("") == "News" and article_type("Blog") is None


def test_every_type_maps_to_a_schema_org_type():
    assert set(SCHEMA_TYPES) == set(ARTICLE_TYPES)
    assert SCHEMA_TYPES["Analysis"][0] == "AnalysisNewsArticle" and SCHEMA_TYPES["Review"][0] == "ReviewNewsArticle"
    assert SCHEMA_TYPES["Opinion"][0] == SCHEMA_TYPES["Editorial"][0] == "OpinionNewsArticle"
    assert SCHEMA_TYPES["Live"][0] == "LiveBlogPosting" and SCHEMA_TYPES["News"] == ("NewsArticle", None)


def test_every_sample_article_has_the_schema_type_of_its_type(paper):
    built = {}  # headline -> the article's structured data, from every page of the built paper
    for page in paper.output.rglob("index.html"):
        for block in json_ld(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")):
            if block["@type"] in ARTICLE_SCHEMA_TYPES:
                built[block["headline"]] = block
    seen = set()
    for path in sorted((REPO / "content" / "articles").rglob("*.md")):
        meta = front_matter(path)
        if dt.datetime.fromisoformat(meta["date"]).replace(tzinfo=dt.timezone.utc).timestamp() > BUILD_EPOCH:
            continue  # scheduled: not published at the suite's clock
        if meta.get("status", "published").lower() != "published":
            continue  # a draft: in the preview only
        kind = "Live" if meta.get("live") else article_type(meta.get("type"))  # `Live:` makes a live blog
        found = built.pop(as_headline(meta["title"]))
        schema_type, genre = SCHEMA_TYPES[kind]
        assert found["@type"] == schema_type, path
        assert found.get("genre") == genre, path
        seen.add(kind)
    assert built == {}
    # The sample paper has every type, Live included (an ended live blog and one live at the suite's clock).
    assert seen >= {"News", "Analysis", "Opinion", "Editorial", "Review", "Obituary", "Live"}


# --- policies ------------------------------------------------------------------------------------------------

def test_policy_values_and_one_page_per_policy(tmp_path):
    assert problems_of("Title: Ethics\nPolicy: ethicspolicy\n\nText.\n", tmp_path, "page") == []
    assert problems_of("Title: Ethics\nPolicy: ethics\n\nText.\n", tmp_path, "page")[0].startswith(
        "story.md:2: error: Policy: 'ethics' is not a policy the publisher's structured data can name. Fix: use one "
        "of: publishingPrinciples, correctionsPolicy, ethicsPolicy,")
    records = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.md"
        text = f"Title: {name}\nPolicy: masthead\n\nText.\n"
        path.write_text(text)
        records.append(check_page(str(path), text, content_root=str(tmp_path), settings=SETTINGS)[1])
    [problem] = check_policies(records)
    assert problem.format(root=str(tmp_path)) == (
        "b.md:2: error: Policy: masthead is already the Policy of " + str(tmp_path / "a.md")
        + ". Fix: give the policy to one page only, and remove the line from the other.")


def test_the_publisher_names_its_policies_each_a_page_reached_from_the_footer(paper):
    front = json_ld(paper.soup("/"))
    [org] = [b for b in front if b["@type"] == "NewsMediaOrganization"]
    assert {k: org[k] for k in POLICIES} == {k: f"{SITE}/{url}" for k, url in POLICIES.items()}
    # Articles name the same publisher node (its @id), which carries the policies once, on the front page.
    article = paper.soup("/politics/what-ashcombe-north-tells-the-parties-about-the-towns-they-think-they-know/")
    [block] = [b for b in json_ld(article) if b["@type"] in ARTICLE_SCHEMA_TYPES]
    assert block["publisher"]["@id"] == org["@id"] == f"{SITE}/#organization"
    for page in ("/", "/masthead/", "/corrections/"):
        footer = {a["href"] for a in paper.soup(page).select("footer a[href]")}
        assert {"/publishing-principles/", "/corrections/"} <= footer, page
    principles = {a["href"] for a in paper.soup("/publishing-principles/").select("main a[href]")}
    for prop, url in POLICIES.items():
        page = paper.soup(f"/{url}")
        assert page.h1 and len(page.select_one(".nr-page__body").get_text().split()) > 120, url
        assert f"/{url}" in principles or url == "publishing-principles/"
    assert "/corrections/" in principles


def test_a_site_without_policy_pages_names_none(fixture_site):
    site = fixture_site
    [org] = [b for b in json_ld(site.soup("/")) if b["@type"] == "NewsMediaOrganization"]
    assert not set(POLICIES) & set(org)


# --- the corrections page and its feed ----------------------------------------------------------------------------

def test_the_corrections_page_lists_every_correction_newest_first_with_its_feed(build_site, site_content):
    write_article(site_content, "europe/2026-11-10-ferry.md", """
Title: Ferry fares frozen for the winter
Date: 2026-11-10 08:00
Modified: 2026-11-23 17:30
Correction: An earlier version of this article gave the wrong operator; the route is run by Northsea Lines.
Category: Europe
Type: Analysis

Fares stay where they are.
""")
    write_article(site_content, "europe/2026-11-12-rail.md", """
Title: Night trains return to the Alps
Date: 2026-11-12 08:00
Modified: 2026-11-13 09:00
Correction: This article originally said the service starts in March; it starts in February.
Category: Europe

Sleeper services resume.
""")
    site = build_site()
    page = site.soup("/corrections/")
    assert page.h1.get_text() == "Corrections and clarifications"
    items = page.select(".nr-corrections__item")
    titles = [i.select_one(".nr-corrections__title a").get_text() for i in items]
    # Newest correction first: 23 November, then the fixture's port strike, then 13 November.
    times = [i.find("time")["datetime"] for i in items]
    assert times == sorted(times, reverse=True) and len(items) == 3
    assert titles[0] == "Ferry fares frozen for the winter" and titles[-1] == "Night trains return to the Alps"
    assert items[0].select_one(".nr-corrections__type").get_text() == "Analysis"
    assert items[-1].select_one(".nr-corrections__type") is None  # News has no label
    assert "wrong operator" in items[0].select_one(".nr-corrections__text").get_text()
    for item in items:
        assert site.exists(item.select_one(".nr-corrections__title a")["href"])
    links = {a["href"] for a in page.select(".nr-corrections__feed a")}
    assert links == {"/feeds/corrections.rss.xml", "/feeds/corrections.atom.xml"}
    assert {l["href"] for l in page.head.find_all("link", rel="alternate")} >= links
    for name in ("corrections.rss.xml", "corrections.atom.xml"):
        feed = feedparser.parse((site.output / "feeds" / name).read_bytes())
        assert not feed.bozo
        assert [e.title for e in feed.entries] == [f"Correction: {t}" for t in titles]
        assert feed.entries[0].link == f"{SITE}/europe/ferry-fares-frozen-for-the-winter/"
        assert all(e.id.endswith("#correction") for e in feed.entries)
    assert "/feeds/corrections.rss.xml" in {a["href"] for a in site.soup("/feeds/").select("main a[href]")}


def test_no_corrections_yet(build_site, site_content):
    story = site_content / "articles" / "middle-east" / "2026-11-18-port-strike.md"
    story.write_text("\n".join(l for l in story.read_text().splitlines() if not l.startswith("Correction:")) + "\n")
    site = build_site()
    assert site.soup("/corrections/").select_one(".nr-corrections__empty")
    assert feedparser.parse((site.output / "feeds" / "corrections.atom.xml").read_bytes()).entries == []


# --- author pages ----------------------------------------------------------------------------------------------

def test_author_pages_carry_a_profile_page(paper):
    [profile] = json_ld(paper.soup("/author/tom-ellery/"))
    assert profile["@type"] == "ProfilePage" and profile["url"] == f"{SITE}/author/tom-ellery/"
    person = profile["mainEntity"]
    assert person["@type"] == "Person" and person["name"] == "Tom Ellery" and person["jobTitle"] == "Political editor"
    assert person["description"].startswith("Tom Ellery has covered Westminster")
    assert person["worksFor"] == {"@id": f"{SITE}/#organization"}
    authors = [p for p in paper.output.glob("author/*/index.html")]
    assert len(authors) >= 15
    for path in authors:
        blocks = json_ld(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"))
        assert [b["@type"] for b in blocks] == ["ProfilePage"], path
    for path in paper.output.glob("author/*/page/*/index.html"):
        assert json_ld(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")) == [], path

"""Every sitemap a build writes is valid against the published schemas (tests/schemas/README.md), checked
with lxml: sitemaps.org's sitemap.xsd and siteindex.xsd, and Google's news extension. In every build:
the sample paper, an archive with no article of the last two days, the fixture site with a sitemap
index, and a site with no article at all. robots.txt names exactly the sitemaps that exist."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import BUILD_EPOCH, REPO, Site, epoch, load_settings
from lxml import etree

from newsroom_content import NewsroomPelican
from newsroom_discovery.sitemaps import Entry, NewsItem, news_selection, news_sitemap, newest_item

SCHEMAS = Path(__file__).resolve().parent / "schemas"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITE = "https://www.commonledger.example"
UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def schemas() -> dict[str, etree.XMLSchema]:
    """By root element: a <urlset> (with the news extension loaded beside it) or a <sitemapindex>."""
    return {
        f"{SM}urlset": etree.XMLSchema(etree.parse(str(SCHEMAS / "urlset-with-news.xsd"))),
        f"{SM}sitemapindex": etree.XMLSchema(etree.parse(str(SCHEMAS / "siteindex.xsd"))),
    }


def validate(text: bytes, schemas) -> etree._Element:
    root = etree.fromstring(text)
    schema = schemas.get(root.tag)
    assert schema is not None, f"not a sitemap: {root.tag}"
    assert schema.validate(root), schema.error_log
    return root


def check_site_sitemaps(output: Path, schemas) -> dict[str, etree._Element]:
    """Every sitemap file valid; robots.txt naming exactly the top-level ones, each of which exists; every
    numbered sitemap reached from the index. Returns {file name: root element}."""
    files = {p.name: validate(p.read_bytes(), schemas) for p in sorted(output.glob("*.xml"))
             if p.name.startswith(("sitemap", "news-sitemap"))}
    lines = (output / "robots.txt").read_text(encoding="utf-8").splitlines()
    named = [line.split(": ", 1)[1] for line in lines if line.startswith("Sitemap: ")]
    assert all(url.startswith(SITE + "/") for url in named)
    named = [url[len(SITE) + 1:] for url in named]
    assert all(name in files for name in named), (named, list(files))
    index = files.get("sitemap.xml")
    from_index = []
    if index is not None and index.tag == f"{SM}sitemapindex":
        from_index = [loc.text[len(SITE) + 1:] for loc in index.iter(f"{SM}loc")]
        assert all(name in files for name in from_index)
    assert set(files) == set(named) | set(from_index), "a sitemap nothing points to, or a reference to none"
    return files


def build(content: Path, output: Path, when: int, monkeypatch, image_cache, **overrides) -> Site:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(when))
    NewsroomPelican(load_settings(content, output, NEWSROOM_IMAGES_CACHE=str(image_cache), NEWSROOM_SEARCH=False,
                                  SITEURL=SITE, **overrides)).run()
    return Site(output)


# --- the pure functions --------------------------------------------------------------------------------

def item(url: str, when: dt.datetime) -> NewsItem:
    return NewsItem(f"{SITE}/{url}/", when, f"Story {url}", "en")


def test_a_news_sitemap_with_nothing_recent_lists_the_newest_article_without_news_metadata(schemas):
    now = dt.datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
    items = [item("old", dt.datetime(2026, 11, 1, tzinfo=UTC)), item("newer", dt.datetime(2026, 12, 1, tzinfo=UTC)),
             item("scheduled", dt.datetime(2026, 12, 20, tzinfo=UTC))]
    assert news_selection(items, now) == ([], 0)
    newest = newest_item(items, now)
    assert newest.url == f"{SITE}/newer/"  # not the one dated after the clock
    text = news_sitemap([], "The Common Ledger", Entry(newest.url, dt.datetime(2026, 12, 2, tzinfo=UTC)))
    root = validate(text.encode(), schemas)
    [url] = root
    assert url.findtext(f"{SM}loc") == f"{SITE}/newer/" and url.findtext(f"{SM}lastmod") == "2026-12-02T00:00:00+00:00"
    assert url.find(f"{NEWS}news") is None
    # No article at all: no file, rather than an empty <urlset>, which sitemap.xsd rejects.
    assert news_sitemap([], "The Common Ledger", None) is None
    assert newest_item([], now) is None
    with pytest.raises(AssertionError):
        validate(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>', schemas)


def test_a_news_sitemap_of_recent_articles_is_valid_with_awkward_titles_and_languages(schemas):
    now = dt.datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
    items = [NewsItem(f"{SITE}/europe/é-{i}/", now - dt.timedelta(hours=i), title, lang)
             for i, (title, lang) in enumerate([("Tom & Jerry <b>", "en-GB"), ("مرحبا", "ar"), ("Olá", "pt_BR"),
                                                ("中文", "zh-Hant"), ("]]> &amp;", "")])]
    chosen, _ = news_selection(items, now)
    root = validate(news_sitemap(chosen, "The Common Ledger & Co", None).encode(), schemas)
    assert [u.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language") for u in root] == ["en", "ar", "pt", "zh-tw", "en"]
    assert root[0].findtext(f"{NEWS}news/{NEWS}title") == "Tom & Jerry <b>"


# --- real builds -----------------------------------------------------------------------------------------

def test_the_sample_papers_sitemaps_are_valid(tmp_path, monkeypatch, image_cache, schemas):
    site = build(REPO / "content", tmp_path / "output", BUILD_EPOCH, monkeypatch, image_cache)
    files = check_site_sitemaps(site.output, schemas)
    assert set(files) == {"sitemap.xml", "news-sitemap.xml"}
    news = files["news-sitemap.xml"]
    assert len(news) >= 1 and all(u.find(f"{NEWS}news") is not None for u in news)


def test_an_archive_with_nothing_recent_keeps_a_valid_news_sitemap(tmp_path, monkeypatch, image_cache, schemas):
    """Built a year after its newest story: the news sitemap names that story, without news metadata."""
    site = build(REPO / "tests" / "fixtures" / "site", tmp_path / "output", epoch("2027-12-01T12:00:00+00:00"),
                 monkeypatch, image_cache)
    files = check_site_sitemaps(site.output, schemas)
    assert set(files) == {"sitemap.xml", "news-sitemap.xml"}
    [url] = files["news-sitemap.xml"]
    assert url.find(f"{NEWS}news") is None
    lastmod = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in files["sitemap.xml"]}
    published = {}
    for loc in lastmod:
        meta = site.soup(loc[len(SITE):]).find("meta", property="article:published_time")
        if meta is not None:
            published[loc] = dt.datetime.fromisoformat(meta["content"])
    # The newest article (the fixture's story scheduled for 2027-01-12, published by this clock).
    assert url.findtext(f"{SM}loc") == max(published, key=published.get)
    assert "2027-01-12" in str(published[url.findtext(f"{SM}loc")])
    assert url.findtext(f"{SM}lastmod") == lastmod[url.findtext(f"{SM}loc")]


def test_the_fixture_sites_sitemap_index_and_news_sitemap_are_valid(tmp_path, monkeypatch, image_cache, schemas):
    site = build(REPO / "tests" / "fixtures" / "site", tmp_path / "output", epoch("2026-11-21T10:00:00+00:00"),
                 monkeypatch, image_cache, NEWSROOM_DISCOVERY_SITEMAP_MAX_URLS=10)
    files = check_site_sitemaps(site.output, schemas)
    assert files["sitemap.xml"].tag == f"{SM}sitemapindex" and len(files) >= 4
    assert [u.find(f"{NEWS}news") is not None for u in files["news-sitemap.xml"]] == [True]


def test_a_site_without_articles_has_no_news_sitemap_and_robots_txt_does_not_name_one(
        tmp_path, monkeypatch, image_cache, schemas):
    content = tmp_path / "content"
    shutil.copytree(REPO / "tests" / "fixtures" / "site", content)
    shutil.rmtree(content / "articles")
    (content / "articles").mkdir()
    site = build(content, tmp_path / "output", BUILD_EPOCH, monkeypatch, image_cache)
    files = check_site_sitemaps(site.output, schemas)
    assert set(files) == {"sitemap.xml"}
    assert not (site.output / "news-sitemap.xml").exists()
    assert "news-sitemap" not in (site.output / "robots.txt").read_text(encoding="utf-8")

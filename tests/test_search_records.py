"""newsroom_search's search records: Pagefind indexes what search reads of each article page (the theme's
search_record.html), not the whole page.

The records must give the index the pages would give: that is checked on a synthetic archive with every
kind of article (lead pictures, inline pictures only, none, several authors, no byline, Arabic, hidden),
by indexing the built pages themselves and comparing shard by shard. The rest builds the fixture site with
the caches on, changes one thing and checks what was re-indexed, and that the result is a clean build's.
"""

from __future__ import annotations

import gzip
import json
import logging
import shutil

import pytest
from jinja2 import DictLoader, Environment

from bench.archive import generate
from newsroom_engine.api import Companion, Store
from newsroom_search.records import LISTING, LISTING_VERSION, publish_records, render_record
from newsroom_search.search_index import index_site
from newsroom_search.search_shards import SiteSections, index_sections
from test_search_shards import LOGGER, STORY, cached, edit, inodes, shard_content, shards_of


def records_of(cache) -> list:
    """The kept records of the one site built with this cache (its only content cache)."""
    folders = [p for p in cache.glob("content-*/search-records-*") if not p.name.endswith(".partial")]
    assert len(folders) == 1, folders
    return sorted(p.relative_to(folders[0]).as_posix() for p in folders[0].rglob("*.html"))


def pagefind_messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and ("Pagefind" in r.getMessage()
                                                                              or "search record" in r.getMessage())]


def test_records_give_the_index_the_pages_would(build_site, tmp_path):
    content = tmp_path / "archive"
    archive = generate(content, 80, seed=11)
    assert archive.stats["hidden"] and archive.stats["arabic"] and archive.stats["with_image"] and archive.stats["inline_images"]
    site = build_site(content=content)
    assert not list(site.output.rglob(".search-records")), "records are never published"
    sections = shards_of(site.output)
    assert len(sections) == 15

    # The same runs over the published pages, as the index was made before there were records.
    from_pages = tmp_path / "from-pages"
    runs = index_sections(str(site.output), str(from_pages), SiteSections("{category}/{slug}/index.html", tuple(sections)),
                          sections, timeout=120, run=index_site, workers=2)
    assert sorted(runs.seconds) == sections
    pictured = 0
    for section in sections:
        ours = shard_content(site.output / "pagefind/sections" / section)
        theirs = shard_content(from_pages / "sections" / section)
        assert ours == theirs, section
        pictured += sum("image" in page["meta"] for page in ours["pages"].values())
    assert pictured >= archive.stats["with_image"]  # lead pictures, and the first inline one of stories without


def test_a_change_outside_the_story_re_renders_the_pages_but_not_the_index(build_site, tmp_path, site_content, caplog):
    settings = cached(tmp_path)
    output = tmp_path / "site"
    build_site(output=output, **settings)
    before, pages_before = inodes(output / "pagefind"), inodes(output / "europe")
    records = records_of(tmp_path / "cache")
    assert records == ["editorial/why-we-publish/index.html", "europe/rail-fares-frozen-for-a-year/index.html",
                       "middle-east/gaza-fishermen-arabic/index.html",
                       "middle-east/port-workers-walk-out-over-safety/index.html",
                       "middle-east/water-talks-resume-in-the-jordan-valley/index.html"]
    # The fund's appeal is on every page: every page changes, what search reads does not.
    edit(site_content / "data/fighting-fund.yml", "raised: 7798", "raised: 8123")
    with caplog.at_level(logging.INFO, logger=LOGGER):
        build_site(output=output, **settings)
    assert pagefind_messages(caplog) == [
        "newsroom_search: no search record changed (what search reads of the article pages); the search index stays as it is"]
    assert inodes(output / "pagefind") == before
    assert inodes(output / "europe") != pages_before
    assert "8,123" in (output / "europe/rail-fares-frozen-for-a-year/index.html").read_text(encoding="utf-8")
    assert records_of(tmp_path / "cache") == records

    clean = build_site(output=tmp_path / "clean", **{**settings, "CACHE_PATH": str(tmp_path / "fresh-cache")})
    for section in shards_of(clean.output):
        assert shard_content(output / "pagefind/sections" / section) == shard_content(clean.output / "pagefind/sections" / section)


def test_an_edited_standfirst_re_indexes_its_section_and_a_deleted_story_loses_its_record(build_site, tmp_path, site_content, caplog):
    settings = cached(tmp_path)
    output = tmp_path / "site"
    build_site(output=output, **settings)
    # The standfirst is in the page's head, where Pagefind takes the result's text from.
    edit(site_content / STORY, "Summary: The freeze covers regional lines only.", "Summary: The freeze covers every line.")
    (site_content / "articles/middle-east/2026-11-18-port-strike.md").unlink()
    with caplog.at_level(logging.INFO, logger=LOGGER):
        build_site(output=output, **settings)
    messages = pagefind_messages(caplog)
    assert len(messages) == 1 and messages[0].startswith("newsroom_search: Pagefind re-indexed europe, middle-east;")
    assert "middle-east/port-workers-walk-out-over-safety/index.html" not in records_of(tmp_path / "cache")
    pages = shard_content(output / "pagefind/sections/europe")["pages"]
    assert pages["/europe/rail-fares-frozen-for-a-year/"]["meta"]["standfirst"] == "The freeze covers every line."
    assert "/middle-east/port-workers-walk-out-over-safety/" not in shard_content(output / "pagefind/sections/middle-east")["pages"]


def test_an_article_page_is_not_kept_without_its_record(build_site, tmp_path, caplog):
    settings = cached(tmp_path)
    output = tmp_path / "site"
    build_site(output=output, **settings)
    records = records_of(tmp_path / "cache")
    folder = next(p for p in (tmp_path / "cache").glob("content-*/search-records-*"))
    shutil.rmtree(folder)
    report = build_site(output=output, **settings).report
    assert report["rendered"] == len(records), report
    assert records_of(tmp_path / "cache") == records


@pytest.mark.parametrize("listed", [True, False], ids=["with its listing", "walked"])
def test_publishing_records_replaces_changed_ones_and_deletes_those_of_pages_gone(tmp_path, listed):
    published, staging = tmp_path / "records", tmp_path / "records.partial"
    for name, text in {"a/x/index.html": "a", "a/y/index.html": "b", "b/z/index.html": "c"}.items():
        (published / name).parent.mkdir(parents=True, exist_ok=True)
        (published / name).write_text(text)
    if listed:
        Store(str(published)).save(LISTING, LISTING_VERSION, ["a/x/index.html", "a/y/index.html", "b/z/index.html"],
                                   kind="json")
    for name, text in {"a/x/index.html": "a", "a/y/index.html": "b, edited"}.items():  # rendered again
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_text(text)
    records = Companion(wants=None, render=None, staging=str(staging), published=str(published),
                        expected={"a/x/index.html", "a/y/index.html"})
    assert publish_records(records) == ["a/y/index.html", "b/z/index.html"]
    assert sorted(p.relative_to(published).as_posix() for p in published.rglob("*") if p.is_file()) == [
        "a/x/index.html", "a/y/index.html", LISTING + ".json"]
    assert (published / "a/y/index.html").read_text() == "b, edited" and not (published / "b").exists()
    assert Store(str(published)).load(LISTING, LISTING_VERSION, kind="json") == ["a/x/index.html", "a/y/index.html"]
    assert not staging.exists()


@pytest.mark.parametrize("overrides, templates, expected", [
    ({}, {"search_record.html": "record of {{ article }}"}, "record of story"),
    ({}, {}, "<html>the page</html>"),  # a theme without records: Pagefind reads the page
    ({"THEME_TEMPLATES_OVERRIDES": ["/elsewhere"]}, {"search_record.html": "record"}, "<html>the page</html>"),
])
def test_a_record_is_the_page_itself_unless_the_theme_s_own_template_makes_it(overrides, templates, expected):
    env = Environment(loader=DictLoader({"article.html": "x", **templates}))
    assert render_record(env.get_template("article.html"), {"article": "story", **overrides}, "<html>the page</html>") == expected


def test_a_record_is_what_the_fixture_s_article_page_shows_search(fixture_site):
    site = fixture_site
    fragments = {}
    for path in (site.output / "pagefind/sections/middle-east").glob("fragment/*.pf_fragment"):
        page = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
        fragments[page["url"]] = page
    water = fragments["/middle-east/water-talks-resume-in-the-jordan-valley/"]
    assert water["meta"]["title"] == "Water talks resume in the Jordan valley"
    assert water["meta"]["image"].startswith("/images/sized/valley-") and water["meta"]["image_alt"]
    assert water["filters"]["section"] == ["Middle East"]
    # Only the story is indexed: not the appeals, related stories or share links around it.
    assert "Donate" not in water["content"] and "Share this article" not in water["content"]

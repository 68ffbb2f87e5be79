"""newsroom_search: what site search gets from a build, and its settings.

Each build here is of the small fixture site, and what it wrote is parsed: the search page with Beautiful
Soup, Pagefind's index by unpacking its fragments and reading its manifest. How the index is split by
section and refreshed is tests/test_search_shards.py's; the search records, tests/test_search_records.py's;
the search page in a browser, tests/browser/test_search.py's.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import os
import re
import sys

import pytest

from conftest import REPO, Site, write_article
from newsroom_engine.api import BuildFailedError
from newsroom_search import search_index
from newsroom_search.settings import SearchSettingsError, load_config


# --- settings ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("overrides, message", [
    ({"NEWSROOM_SEARCH_TIMOUT": 60}, "did you mean NEWSROOM_SEARCH_TIMEOUT?"),
    ({"NEWSROOM_SEARCH": "yes"}, "write True or False"),
    ({"NEWSROOM_SEARCH_TIMEOUT": 0}, "whole number of seconds"),
    ({"ARTICLE_SAVE_AS": "{slug}.html"}, "no folder named by {category}"),
    ({"ARTICLE_SAVE_AS": "{category}-{slug}/index.html"}, "no folder named by {category}"),
])
def test_bad_settings_are_refused(overrides, message):
    settings = {"PATH": str(REPO / "content"), "SITENAME": "The Common Ledger", **overrides}
    with pytest.raises(SearchSettingsError) as error:
        load_config(settings)
    assert str(error.value).startswith("newsroom_search: ") and message in str(error.value)


def test_settings_defaults():
    config = load_config({"PATH": str(REPO / "content"), "SITENAME": "The Common Ledger",
                          "SITEURL": "https://example.org/paper"})
    assert config.enabled is True and (config.timeout, config.workers) == (300, 2)
    assert config.base_path == "/paper/" and config.article_save_as == "{category}/{slug}/index.html"


# --- reading what a build wrote ------------------------------------------------------------------------------

def fragments(site: Site, section: str = "*") -> list[dict]:
    """Every page in Pagefind's index (of one section's shard, or of them all), as the search page's script
    gets it."""
    found = []
    for path in sorted((site.output / "pagefind" / "sections").glob(f"{section}/fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        found.append(json.loads(data[len(b"pagefind_dcd"):]))
    return found


def shard_manifest(site: Site) -> dict:
    return json.loads((site.output / "pagefind" / "shards.json").read_text())


def shard_sections(site: Site) -> list[str]:
    return [shard["section"] for shard in shard_manifest(site)["shards"]]


# --- what a build indexes -------------------------------------------------------------------------------

def test_search_index_holds_published_article_bodies_with_filters(build_site):
    site = build_site(NEWSROOM_PREVIEW=True)  # drafts and scheduled articles are written, but not indexed
    indexed = fragments(site)
    pages = 0
    for section in shard_sections(site):
        entry = json.loads((site.output / "pagefind" / "sections" / section / "pagefind-entry.json").read_text())
        pages += sum(language["page_count"] for language in entry["languages"].values())
    assert pages == len(indexed)
    by_url = {f["url"]: f for f in indexed}
    assert set(by_url) == {
        "/middle-east/water-talks-resume-in-the-jordan-valley/", "/editorial/why-we-publish/",
        "/middle-east/port-workers-walk-out-over-safety/", "/middle-east/gaza-fishermen-arabic/",
        "/europe/rail-fares-frozen-for-a-year/",
    }
    water = by_url["/middle-east/water-talks-resume-in-the-jordan-valley/"]
    assert water["filters"] == {"author": ["Amira Haddad", "Tom Reeve"], "section": ["Middle East"]}
    assert water["meta"]["title"] == "Water talks resume in the Jordan valley"
    assert water["meta"]["standfirst"] == "Negotiators return to the table after a summer of shortages."
    assert dt.datetime.fromisoformat(water["meta"]["date"]).utcoffset() is not None
    for fragment in indexed:  # the story only: no navigation, byline, share links or appeals
        assert "Skip to main content" not in fragment["content"] and "Share this article" not in fragment["content"]


def test_each_section_has_a_shard_of_its_own_articles(fixture_site):
    site = fixture_site
    bundle = site.output / "pagefind"
    manifest = shard_manifest(site)
    assert shard_sections(site) == ["editorial", "europe", "middle-east"]  # sorted; sections without articles have none
    assert [s["bundle"] for s in manifest["shards"]] == ["sections/editorial/", "sections/europe/", "sections/middle-east/"]
    assert manifest["recipe"]["pagefind"] == "1.5.2" and manifest["recipe"]["article_save_as"] == "{category}/{slug}/index.html"
    for section in shard_sections(site):
        urls = {f["url"] for f in fragments(site, section)}
        assert urls and all(url.startswith(f"/{section}/") for url in urls), (section, urls)
        shard = bundle / "sections" / section
        # The engine the search page loads from a shard, and the index; the UI files only once, at the top.
        assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind"} <= {p.name for p in shard.iterdir()}
        assert not list(shard.glob("*ui*")) and not (shard / "pagefind-highlight.js").exists()
    assert {"pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-ui.js"} <= {p.name for p in bundle.iterdir()}
    assert sorted(p.name for p in (bundle / "sections").iterdir()) == shard_sections(site)


def test_a_section_with_only_hidden_articles_gets_no_shard(build_site, site_content):
    # Pagefind indexes whole pages when none of those it reads has data-pagefind-body: the section must have
    # no shard at all rather than one holding its hidden article.
    write_article(site_content, "africa/2026-11-12-quiet.md", """
Title: A quiet note from Nairobi
Date: 2026-11-12 10:00
Category: Africa
Status: hidden

Marmalade is not news.
""")
    site = build_site()
    assert site.exists("/africa/a-quiet-note-from-nairobi/")
    assert "africa" not in shard_sections(site) and not (site.output / "pagefind/sections/africa").exists()
    assert not any("Marmalade" in f["content"] for f in fragments(site))


def test_search_page(fixture_site):
    site = fixture_site
    soup = site.soup("/search/")
    assert len(soup.find_all("h1")) == 1
    for script in soup.find_all("script"):  # no inline script: a strict Content-Security-Policy allows the page
        assert script.get("src") or script.get("type") == "application/ld+json"
    sources = [s["src"] for s in soup.find_all("script", src=True)]
    assert any(re.fullmatch(r"/theme/search/search\.[0-9a-f]{10}\.js", src) for src in sources), sources
    # search.js imports the component UI once it has read the list of shards, and the engine beside it
    # (search/pagefind.js); the browser starts fetching the UI at once.
    preload = soup.find("link", rel="modulepreload")
    assert preload["href"] == "/pagefind/pagefind-component-ui.js"
    ui = soup.select_one("[data-nr-search]")
    assert ui["data-nr-bundle"] == "/pagefind/"
    for src in sources + [preload["href"], "/pagefind/shards.json", "/theme/search/pagefind.js"]:
        assert site.path(src).is_file(), src
    assert shard_sections(site)  # what search.js reads
    assert ui.select_one("[data-nr-search-failed]").has_attr("hidden")
    assert soup.select_one("pagefind-input") and soup.select_one("pagefind-results")
    assert soup.select_one("pagefind-filter-pane")  # lists the index's filters: section and author
    no_js = soup.select_one(".nr-search__no-js")
    assert "needs JavaScript" in no_js.get_text() and no_js.a["href"] == "/archive/"


def test_search_can_be_turned_off(build_site):
    site = build_site(NEWSROOM_SEARCH=False)
    assert not (site.output / "pagefind").exists()
    soup = site.soup("/search/")
    assert not soup.find_all("script", src=re.compile("pagefind|search"))
    assert soup.select_one(".nr-search__unavailable a")["href"] == "/archive/"


def test_pagefind_is_started_as_the_wheels_binary_with_its_wrapper_as_the_fallback(monkeypatch):
    program = search_index.pagefind_program()
    assert len(program) == 1 and os.access(program[0], os.X_OK), program  # no interpreter started first
    assert search_index.pagefind_command("site", "out", "europe/**/*.html") == [
        program[0], "--site", "site", "--silent", "--output-path", "out", "--glob", "europe/**/*.html"]
    # Without the binary's package, `python -m pagefind`, whose own message says what to install.
    search_index.pagefind_program.cache_clear()
    monkeypatch.setitem(sys.modules, "pagefind_bin", None)
    try:
        assert search_index.pagefind_program() == (sys.executable, "-m", "pagefind")
    finally:
        search_index.pagefind_program.cache_clear()


def test_a_failing_pagefind_fails_the_build_with_one_error(build_site, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(search_index, "pagefind_command", lambda site_dir, *rest: [
        sys.executable, "-c", "import sys; sys.stderr.write('Error: cannot write the index'); sys.exit(3)",
    ])
    output = tmp_path / "site"
    with caplog.at_level(logging.ERROR), pytest.raises(BuildFailedError):
        build_site(output=output)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].startswith("newsroom_search: ")
    assert "exit status 3" in errors[0] and "cannot write the index" in errors[0]
    assert not output.exists()


def test_pagefind_gets_the_allocator_setting_unless_the_environment_has_one(build_site, monkeypatch):
    assert search_index.pagefind_env({"PATH": "/bin"}) == {"PATH": "/bin", **search_index.ALLOCATOR_ENV}
    assert search_index.pagefind_env({"_RJEM_MALLOC_CONF": "narenas:1"})["_RJEM_MALLOC_CONF"] == "narenas:1"
    assert search_index.pagefind_env({"PATH": "/bin"}, return_memory=False) == {"PATH": "/bin"}
    # A stand-in for Pagefind that writes the setting it was given where the bundle's script goes.
    monkeypatch.setattr(search_index, "pagefind_command", lambda site_dir, output_path, glob: [
        sys.executable, "-c", "import os, pathlib, sys; p = pathlib.Path(sys.argv[1]); p.mkdir(); "
        "(p / 'pagefind.js').write_text(os.environ.get('_RJEM_MALLOC_CONF', 'unset'))", output_path,
    ])
    monkeypatch.delenv("_RJEM_MALLOC_CONF", raising=False)
    site = build_site()
    for section in ("editorial", "europe", "middle-east"):
        shard = site.output / "pagefind" / "sections" / section
        assert (shard / "pagefind.js").read_text() == search_index.ALLOCATOR_ENV["_RJEM_MALLOC_CONF"]

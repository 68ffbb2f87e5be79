"""newsroom_search's search shards: one Pagefind index per section, and incremental builds that re-index
only the sections whose articles changed.

The pure functions that decide what to re-index are tested with examples; the rest builds the fixture site
with the caches on (as tests/test_incremental.py does), changes one thing, builds again into the same output
and compares each shard with a clean build's.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import write_article
from newsroom_engine.api import BuildFailedError
from newsroom_search import search_index
from newsroom_search.search_shards import (Plan, SiteSections, article_pattern, manifest_text, plan_refresh,
                                           read_manifest, recipe, section_glob, sections_changed)
from newsroom_search.settings import load_config

SAVE_AS = "{category}/{slug}/index.html"
SECTIONS = SiteSections(SAVE_AS, ("editorial", "europe", "middle-east"))
STORY = "articles/europe/2026-10-02-rail-fares.md"
LOGGER = "newsroom_search.newsroom_search"


# --- pure functions --------------------------------------------------------------------------------------

@pytest.mark.parametrize("save_as, glob", [
    ("{category}/{slug}/index.html", "europe/*/index.html"),
    ("{category}/{date:%Y}/{slug}.html", "europe/*/*.html"),
    ("news/{category}/{slug}/index.html", "news/europe/*/index.html"),
])
def test_section_glob(save_as, glob):
    assert section_glob(save_as, "europe") == glob


@pytest.mark.parametrize("path, section", [
    ("europe/rail-fares-frozen-for-a-year/index.html", "europe"),
    ("middle-east/page/index.html", "middle-east"),  # an article whose slug is "page"
    ("europe/index.html", None),  # the section's listing
    ("europe/page/2/index.html", None),  # its second page
    ("europe/rail-fares/index.html.gz", None),
    ("index.html", None),
    ("feeds/europe.rss.xml", None),
])
def test_article_pattern_matches_what_the_glob_reads(path, section):
    match = article_pattern(SAVE_AS).fullmatch(path)
    assert (match.group("section") if match else None) == section


def test_sections_changed_ignores_pages_no_shard_reads():
    changes = [
        "europe/rail-fares-frozen-for-a-year/index.html",  # an article: its section is re-indexed
        "index.html", "europe/index.html", "tag/rail/index.html", "archive/2026/10/index.html",  # listings
        "author/amira-haddad/index.html",  # the shape of an article page, but "author" is no section
        "images/sized/x-400.webp", "feeds/all.atom.xml", "sitemap.xml",
        "africa/gone/index.html",  # a section the site does not know: in no shard
    ]
    assert sections_changed(changes, article_pattern(SAVE_AS), set(SECTIONS.slugs)) == {"europe"}


def manifest(slugs=SECTIONS.slugs, **recipe_changes) -> dict:
    return json.loads(manifest_text({**recipe(SAVE_AS), **recipe_changes}, slugs))


@pytest.mark.parametrize("changes, old, expected", [
    # Nothing a shard reads changed.
    (["index.html", "europe/index.html"], manifest(), Plan(False, frozenset())),
    # One article edited, one deleted, in two sections.
    (["europe/a/index.html", "middle-east/b/index.html", "index.html"], manifest(),
     Plan(False, frozenset({"europe", "middle-east"}))),
    # A new section's first article: it gains a shard.
    (["europe/a/index.html"], manifest(("editorial",)), Plan(False, frozenset({"europe"}))),
    # A section that is no longer configured loses its shard.
    ([], manifest(("editorial", "europe", "middle-east", "sport")), Plan(False, frozenset({"sport"}))),
])
def test_plan_refresh_re_indexes_only_the_sections_that_changed(changes, old, expected):
    assert plan_refresh(changes, old, recipe(SAVE_AS), SECTIONS) == expected


@pytest.mark.parametrize("changes, old, reason", [
    (None, manifest(), "did not say"),
    (["europe/a/index.html"], None, "no usable search bundle"),
    (["europe/a/index.html"], manifest(pagefind="1.4.0"), "made another way"),
    (["europe/a/index.html"], manifest(layout=0), "made another way"),
    (["europe/a/index.html"], manifest(article_save_as="{category}/{slug}.html"), "made another way"),
])
def test_plan_refresh_re_indexes_everything_when_in_doubt(changes, old, reason):
    plan = plan_refresh(changes, old, recipe(SAVE_AS), SECTIONS)
    assert plan.everything and reason in plan.reason


def test_read_manifest_refuses_a_bundle_it_cannot_trust(tmp_path):
    bundle = tmp_path / "pagefind"
    (bundle / "sections/europe").mkdir(parents=True)
    (bundle / "sections/europe/pagefind-entry.json").write_text("{}")
    assert read_manifest(str(bundle)) is None  # no manifest
    (bundle / "shards.json").write_text(manifest_text(recipe(SAVE_AS), ["europe"]))
    assert [s["section"] for s in read_manifest(str(bundle))["shards"]] == ["europe"]
    (bundle / "shards.json").write_text(manifest_text(recipe(SAVE_AS), ["europe", "editorial"]))
    assert read_manifest(str(bundle)) is None  # names a shard that is not there
    (bundle / "shards.json").write_text('{"shards": [{"section": "europe", "bundle": "../../etc/"}], "recipe": {}}')
    assert read_manifest(str(bundle)) is None
    (bundle / "shards.json").write_text("{not json")
    assert read_manifest(str(bundle)) is None


def fake_site(tmp_path, slugs):
    for slug in slugs:
        page = tmp_path / "site" / slug / "story" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text("<main data-pagefind-body>text</main>")
    return str(tmp_path / "site")


def test_sections_are_indexed_two_at_a_time_and_split_in_order(tmp_path):
    """Two runs overlap (each waits until another has started), and the results come back in section order."""
    import threading
    import time

    from newsroom_search.search_shards import index_sections

    slugs = ("a", "b", "c", "d")
    site = fake_site(tmp_path, slugs)
    running, most, lock, both = [0], [0], threading.Lock(), threading.Barrier(2, timeout=10)

    def run(site_dir, timeout, output_path=None, glob=None):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        if glob.startswith(("a/", "b/")):
            both.wait()  # a and b must be running at the same time
        os.makedirs(output_path, exist_ok=True)
        with open(os.path.join(output_path, "pagefind-ui.js"), "w") as f:
            f.write(glob)
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return float(len(glob))

    runs = index_sections(site, str(tmp_path / "bundle"), SiteSections(SAVE_AS, slugs), slugs, 60, run=run, workers=2)
    assert most[0] == 2 and list(runs.seconds) == list(slugs)
    # The first section's copy of a UI file is the one kept at the top of the bundle.
    assert (tmp_path / "bundle" / "pagefind-ui.js").read_text() == "a/*/index.html"


def test_a_failed_run_names_its_section_when_runs_overlap(tmp_path):
    from newsroom_search.search_index import SearchIndexError
    from newsroom_search.search_shards import index_sections

    slugs = ("a", "b", "c")
    site = fake_site(tmp_path, slugs)

    def run(site_dir, timeout, output_path=None, glob=None):
        if glob.startswith("b/"):
            raise SearchIndexError("Pagefind failed (exit status 1)")
        os.makedirs(output_path, exist_ok=True)
        return 0.1

    with pytest.raises(SearchIndexError, match="section b: Pagefind failed"):
        index_sections(site, str(tmp_path / "bundle"), SiteSections(SAVE_AS, slugs), slugs, 60, run=run, workers=2)


def test_memory_folder_is_used_only_where_it_is_writable_with_room(tmp_path):
    from newsroom_search.search_index import memory_folder

    assert memory_folder(str(tmp_path), room=0) == str(tmp_path)
    assert memory_folder(str(tmp_path / "missing"), room=0) is None
    assert memory_folder(str(tmp_path), room=1 << 62) is None  # a container's small /dev/shm, say


def test_a_shard_from_memory_links_the_files_the_published_shard_has_and_copies_the_rest(tmp_path):
    from newsroom_search.search_shards import bring_over

    run, previous, target = tmp_path / "memory", tmp_path / "published", tmp_path / "bundle/sections/europe"
    for root, files in ((run, {"pagefind-entry.json": "new entry", "fragment/en_1.pf_fragment": "same page",
                               "fragment/en_2.pf_fragment": "edited page", "index/en_9.pf_index": "new chunk"}),
                        (previous, {"pagefind-entry.json": "old entry", "fragment/en_1.pf_fragment": "same page",
                                    "fragment/en_2.pf_fragment": "the page before"})):
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
    bring_over(str(run), str(target), str(previous))
    made = {p.relative_to(target).as_posix(): p.read_text() for p in target.rglob("*") if p.is_file()}
    assert made == {"pagefind-entry.json": "new entry", "fragment/en_1.pf_fragment": "same page",
                    "fragment/en_2.pf_fragment": "edited page", "index/en_9.pf_index": "new chunk"}
    assert (target / "fragment/en_1.pf_fragment").stat().st_ino == (previous / "fragment/en_1.pf_fragment").stat().st_ino
    assert (target / "fragment/en_2.pf_fragment").stat().st_ino != (previous / "fragment/en_2.pf_fragment").stat().st_ino
    assert (previous / "fragment/en_2.pf_fragment").read_text() == "the page before"  # never written through
    bring_over(str(run), str(tmp_path / "first"), None)  # no shard yet: every file copied
    assert (tmp_path / "first/index/en_9.pf_index").read_text() == "new chunk"


@pytest.mark.parametrize("memory", [True, False], ids=["into memory", "no memory folder"])
def test_re_indexed_sections_keep_the_published_files_that_did_not_change(tmp_path, monkeypatch, memory):
    """With the published bundle given, Pagefind writes into the memory folder when there is one, and
    either way the new shard's unchanged files are the published ones (same inode), the rest new."""
    from newsroom_search import search_shards

    slugs = ("a", "b")
    site = fake_site(tmp_path, slugs)
    published = tmp_path / "published"
    for slug in slugs:
        (published / "sections" / slug / "fragment").mkdir(parents=True)
        (published / "sections" / slug / "fragment/kept.pf_fragment").write_text(f"kept {slug}")
    folder = tmp_path / "shm"
    folder.mkdir()
    monkeypatch.setattr(search_shards, "memory_folder", lambda: str(folder) if memory else None)
    outputs = []

    def run(site_dir, timeout, output_path=None, glob=None, **options):
        assert options == {"return_memory": False}  # a re-index keeps the allocator's default
        outputs.append(output_path)
        os.makedirs(os.path.join(output_path, "fragment"))
        slug = glob.split("/")[0]
        for name, text in (("kept.pf_fragment", f"kept {slug}"), ("new.pf_fragment", f"new {slug}")):
            with open(os.path.join(output_path, "fragment", name), "w") as f:
                f.write(text)
        for name, text in (("pagefind-entry.json", slug), ("pagefind-ui.js", "ui")):
            with open(os.path.join(output_path, name), "w") as f:
                f.write(text)
        return 0.1

    bundle = tmp_path / "bundle"
    runs = search_shards.index_sections(site, str(bundle), SiteSections(SAVE_AS, slugs), slugs, 60, suffix=".next",
                                        run=run, previous=str(published))
    assert list(runs.seconds) == ["a", "b"]
    assert all(out.startswith(str(folder)) == memory for out in outputs)
    assert list(folder.iterdir()) == []  # nothing left in memory
    for slug in slugs:
        shard = bundle / "sections" / f"{slug}.next"
        assert (shard / "fragment/kept.pf_fragment").stat().st_ino == (published / "sections" / slug / "fragment/kept.pf_fragment").stat().st_ino
        assert (shard / "fragment/new.pf_fragment").read_text() == f"new {slug}"
        assert (shard / "pagefind-entry.json").read_text() == slug
    assert (bundle / "pagefind-ui.js").read_text() == "ui"


@pytest.mark.parametrize("value", [0, -1, 1.5, "2", True])
def test_search_workers_must_be_a_whole_number_from_one(value):
    from newsroom_search.settings import SearchSettingsError

    with pytest.raises(SearchSettingsError, match="NEWSROOM_SEARCH_WORKERS"):
        load_config({"NEWSROOM_SEARCH_WORKERS": value, "SITENAME": "x", "PATH": "."})


def test_search_off_accepts_any_article_path():
    config = load_config({"PATH": "content", "SITENAME": "x", "NEWSROOM_SEARCH": False,
                          "ARTICLE_SAVE_AS": "{slug}.html"})
    assert config.enabled is False


# --- built sites -----------------------------------------------------------------------------------------

def cached(tmp_path, **settings) -> dict:
    return {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache"), **settings}


def shards_of(output) -> list[str]:
    return [s["section"] for s in json.loads((output / "pagefind/shards.json").read_text())["shards"]]


def inodes(folder) -> dict:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in sorted(folder.rglob("*")) if p.is_file()}


def shard_content(shard) -> dict:
    """What a shard says, file by file: Pagefind's index files by name (they are named after their bytes) and
    the pages, decompressed. Pagefind writes its filter files and the metadata that names them in hash-map
    order (see test_discovery's PAGEFIND_UNSTABLE), so those are compared by what they hold, not by bytes."""
    pages = {}
    for path in shard.glob("fragment/*.pf_fragment"):
        page = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
        pages[page["url"]] = page
    entry = json.loads((shard / "pagefind-entry.json").read_text())
    return {
        "index": sorted(p.name for p in shard.glob("index/*")),
        "fragments": sorted(p.name for p in shard.glob("fragment/*")),
        "pages": pages,
        "languages": {lang: info["page_count"] for lang, info in entry["languages"].items()},
        "engine": {p.name: p.read_bytes() for p in shard.iterdir() if p.is_file() and p.suffix in (".js", ".pagefind")},
    }


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_re_indexes_only_its_section_and_equals_a_clean_build(build_site, tmp_path, site_content, caplog):
    settings = cached(tmp_path)
    output = tmp_path / "site"
    build_site(output=output, **settings)
    before = {s: inodes(output / "pagefind/sections" / s) for s in shards_of(output)}
    edit(site_content / STORY, "will not rise next year.", "will not rise next year, said a xylophonist.")
    with caplog.at_level(logging.INFO, logger=LOGGER):
        build_site(output=output, **settings)
    messages = [r.getMessage() for r in caplog.records if "Pagefind" in r.getMessage()]
    assert len(messages) == 1 and messages[0].startswith("newsroom_search: Pagefind re-indexed europe; 1 section(s)")
    assert "2 other shard(s) left as they were" in messages[0]
    # Indexed while the rest of the site was written (early.py), from the records then published.
    assert "started while the site was being written" in messages[0]
    assert [p for p in (tmp_path / "cache").glob("content-*/search-early-*-site/europe")]  # kept for the next edit
    assert not [p for p in (tmp_path / "cache").glob("content-*/search-early-*-shards")]
    after = {s: inodes(output / "pagefind/sections" / s) for s in shards_of(output)}
    assert after["editorial"] == before["editorial"] and after["middle-east"] == before["middle-east"]
    assert after["europe"] != before["europe"]
    assert not list((output / "pagefind/sections").glob("*.next")) and not list((output / "pagefind/sections").glob("*.old"))

    clean = build_site(output=tmp_path / "clean", **{**settings, "CACHE_PATH": str(tmp_path / "fresh-cache")})
    assert shards_of(output) == shards_of(clean.output)
    for section in shards_of(output):
        assert shard_content(output / "pagefind/sections" / section) == shard_content(clean.output / "pagefind/sections" / section)
    europe = shard_content(output / "pagefind/sections/europe")["pages"]
    assert "xylophonist" in europe["/europe/rail-fares-frozen-for-a-year/"]["content"]
    assert (output / "pagefind/shards.json").read_bytes() == (clean.output / "pagefind/shards.json").read_bytes()


def test_a_section_that_loses_its_last_article_loses_its_shard_and_a_new_one_gains_one(build_site, tmp_path, site_content, caplog):
    settings = cached(tmp_path)
    output = tmp_path / "site"
    build_site(output=output, **settings)
    (site_content / "articles/editorial/2026-11-19-why-we-publish.md").unlink()
    write_article(site_content, "africa/2026-11-23-cocoa.md", """
Title: Cocoa farmers demand a fairer share
Date: 2026-11-23 08:00
Category: Africa

Growers in the Ashanti region say the farmgate price leaves them poorer every season.
""")
    with caplog.at_level(logging.INFO, logger=LOGGER):
        build_site(output=output, **settings)
    assert shards_of(output) == ["africa", "europe", "middle-east"]
    assert sorted(p.name for p in (output / "pagefind/sections").iterdir()) == ["africa", "europe", "middle-east"]
    # Other sections' article pages may change too (their lists of latest stories), and so be re-indexed.
    refreshed = [r.getMessage() for r in caplog.records if "Pagefind re-indexed" in r.getMessage()]
    assert len(refreshed) == 1 and {"africa", "editorial"} <= set(refreshed[0].split("re-indexed ")[1].split(";")[0].split(", "))
    clean = build_site(output=tmp_path / "clean", **{**settings, "CACHE_PATH": str(tmp_path / "fresh-cache")})
    for section in shards_of(output):
        assert shard_content(output / "pagefind/sections" / section) == shard_content(clean.output / "pagefind/sections" / section)


def test_a_bundle_without_a_manifest_is_made_again_whole(build_site, tmp_path, site_content, caplog):
    settings = cached(tmp_path)
    output = tmp_path / "site"
    build_site(output=output, **settings)
    (output / "pagefind/shards.json").unlink()
    shutil.rmtree(output / "pagefind/sections/middle-east")
    edit(site_content / STORY, "will not rise next year.", "will not rise next year, the minister said.")
    with caplog.at_level(logging.INFO, logger=LOGGER):
        build_site(output=output, **settings)
    assert any("indexed the whole site (there is no usable search bundle yet)" in r.getMessage() for r in caplog.records)
    assert shards_of(output) == ["editorial", "europe", "middle-east"]
    assert (output / "pagefind/sections/middle-east/pagefind-entry.json").is_file()
    assert not (output / "pagefind.next").exists() and not (output / "pagefind.old").exists()


def test_a_failed_refresh_leaves_the_old_index_and_fails_the_build(build_site, tmp_path, site_content, monkeypatch):
    settings = cached(tmp_path)
    output = tmp_path / "site"
    build_site(output=output, **settings)
    before = inodes(output / "pagefind")
    edit(site_content / STORY, "will not rise next year.", "will not rise next year, the minister said.")
    monkeypatch.setattr(search_index, "pagefind_command", lambda *args: [
        sys.executable, "-c", "import sys; sys.stderr.write('Error: disk full'); sys.exit(2)"])
    with pytest.raises(BuildFailedError) as error:
        build_site(output=output, **settings)
    assert str(error.value).startswith("newsroom_search: site search was not refreshed (the old index stays): "
                                       "section europe: Pagefind failed (exit status 2): Error: disk full")
    assert inodes(output / "pagefind") == before


def test_a_publish_build_precompresses_every_shard_also_after_an_edit(build_site, tmp_path, site_content):
    settings = cached(tmp_path, NEWSROOM_ASSETS_PRECOMPRESS=True)
    output = tmp_path / "site"

    def compressed(root):
        return sorted(p.relative_to(root).as_posix() for p in (root / "pagefind").rglob("*.br"))

    build_site(output=output, **settings)
    first = compressed(output)
    for section in shards_of(output):
        assert f"pagefind/sections/{section}/pagefind.js.br" in first
        assert f"pagefind/sections/{section}/pagefind-worker.js.gz" in (
            p.relative_to(output).as_posix() for p in (output / "pagefind").rglob("*.gz"))
    edit(site_content / STORY, "will not rise next year.", "will not rise next year, the minister said.")
    build_site(output=output, **settings)
    assert compressed(output) == first
    shard = output / "pagefind/sections/europe"
    assert gzip.decompress((shard / "pagefind.js.gz").read_bytes()) == (shard / "pagefind.js").read_bytes()


def test_a_build_that_fails_after_search_started_early_leaves_the_index_and_no_early_folder(
        build_site, tmp_path, site_content, monkeypatch):
    from newsroom_search.early import EarlyIndex

    settings = cached(tmp_path)
    output = tmp_path / "site"
    build_site(output=output, **settings)
    before = inodes(output / "pagefind")
    edit(site_content / STORY, "will not rise next year.", "will not rise next year, the minister said.")
    start = EarlyIndex.start
    started = []

    def start_then_fail(self):
        start(self)
        started.append(self.current is not None and self.current.thread is not None)
        logging.getLogger("newsroom_test").error("newsroom_test: a later step failed")

    monkeypatch.setattr(EarlyIndex, "start", start_then_fail)
    with pytest.raises(BuildFailedError):
        build_site(output=output, **settings)
    assert started == [True]
    assert inodes(output / "pagefind") == before
    assert not [p for p in (tmp_path / "cache").glob("content-*/search-early-*-shards")]


def test_early_shards_are_thrown_away_when_a_record_changes_after_they_were_started(
        build_site, tmp_path, site_content, monkeypatch, caplog):
    from newsroom_search.early import EarlyIndex

    settings = cached(tmp_path)
    output = tmp_path / "site"
    build_site(output=output, **settings)
    edit(site_content / STORY, "will not rise next year.", "will not rise next year, said a xylophonist.")
    start = EarlyIndex.start

    def start_then_touch(self):
        start(self)
        for record in Path(self.records.staging).rglob("*.html"):  # rewritten after Pagefind read it
            os.utime(record, ns=(1, 1))

    monkeypatch.setattr(EarlyIndex, "start", start_then_touch)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        build_site(output=output, **settings)
    messages = [r.getMessage() for r in caplog.records if "Pagefind re-indexed" in r.getMessage()]
    assert len(messages) == 1 and "started while" not in messages[0]
    clean = build_site(output=tmp_path / "clean", **{**settings, "CACHE_PATH": str(tmp_path / "fresh-cache")})
    assert shard_content(output / "pagefind/sections/europe") == shard_content(clean.output / "pagefind/sections/europe")
    assert not [p for p in (tmp_path / "cache").glob("content-*/search-early-*-shards")]


def pagefind_runs(monkeypatch) -> list:
    """The globs of every Pagefind run of the builds that follow."""
    from newsroom_search import newsroom_search

    globs, run = [], newsroom_search.index_site

    def noting(*args, **kwargs):
        globs.append(kwargs.get("glob"))
        return run(*args, **kwargs)

    monkeypatch.setattr(newsroom_search, "index_site", noting)
    return globs


WATER = "articles/middle-east/2026-11-20-water-talks.md"


def test_search_starts_once_the_edited_story_is_written_and_stands_when_other_pages_only_repeat_their_records(
        build_site, tmp_path, site_content, monkeypatch, caplog):
    """A new standfirst is shown on other stories' pages too (their cards of it), so they are rendered
    again, and their records with them, after Pagefind started on the edited story's: those records have
    the bytes Pagefind read, so the one run stands."""
    settings = cached(tmp_path)
    output = tmp_path / "site"
    build_site(output=output, **settings)
    edit(site_content / WATER, "after a summer of shortages.", "after a summer of shortages and a quokka.")
    globs = pagefind_runs(monkeypatch)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        site = build_site(output=output, **settings)
    assert site.report["rendered"] > 2  # the edited story's page and others that show it
    assert globs == ["middle-east/*/index.html"]
    messages = [r.getMessage() for r in caplog.records if "Pagefind re-indexed" in r.getMessage()]
    assert len(messages) == 1 and "started while the site was being written" in messages[0]
    clean = build_site(output=tmp_path / "clean", **{**settings, "CACHE_PATH": str(tmp_path / "fresh-cache")})
    assert shard_content(output / "pagefind/sections/middle-east") == shard_content(clean.output / "pagefind/sections/middle-east")
    assert "quokka" in json.dumps(shard_content(output / "pagefind/sections/middle-east")["pages"])
    assert not [p for p in (tmp_path / "cache").glob("content-*/search-early-*shards")]


def test_search_starts_again_when_the_guess_at_the_records_was_wrong(build_site, tmp_path, site_content, monkeypatch, caplog):
    """An edit and a deletion in one section: when the edited story is written the build cannot know yet
    that another story is gone, so the first run reads the deleted story's record too; once every article
    page is written a second run starts from the records the site really has, and that one is published."""
    settings = cached(tmp_path)
    output = tmp_path / "site"
    build_site(output=output, **settings)
    edit(site_content / WATER, "A second paragraph.", "A second paragraph, about a quokka.")
    (site_content / "articles/middle-east/2026-11-18-port-strike.md").unlink()
    globs = pagefind_runs(monkeypatch)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        build_site(output=output, **settings)
    assert globs == ["middle-east/*/index.html", "middle-east/*/index.html"]
    messages = [r.getMessage() for r in caplog.records if "Pagefind re-indexed" in r.getMessage()]
    assert len(messages) == 1 and "started while the site was being written" in messages[0]
    clean = build_site(output=tmp_path / "clean", **{**settings, "CACHE_PATH": str(tmp_path / "fresh-cache")})
    published = shard_content(output / "pagefind/sections/middle-east")
    assert published == shard_content(clean.output / "pagefind/sections/middle-east")
    assert not any("port-strike" in url for url in published["pages"])
    assert not [p for p in (tmp_path / "cache").glob("content-*/search-early-*shards")]


@pytest.mark.parametrize("marked, found", [((), False), ((0,), True), ((2,), True), ((0, 1, 2), True)],
                         ids=["no page marked", "the first marked", "only the last marked", "every page marked"])
def test_a_section_is_searchable_when_any_of_its_pages_carries_the_body_marker(tmp_path, marked, found):
    from newsroom_search.search_shards import has_searchable_page

    for i in range(3):
        page = tmp_path / "europe" / f"story-{i}" / "index.html"
        page.parent.mkdir(parents=True)
        body = '<div data-pagefind-body>Story</div>' if i in marked else "<div>A hidden story</div>"
        page.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    (tmp_path / "asia" / "story").mkdir(parents=True)
    (tmp_path / "asia" / "story" / "index.html").write_text("<div data-pagefind-body>Elsewhere</div>", encoding="utf-8")
    assert has_searchable_page(str(tmp_path), "europe/*/index.html") is found


def test_pagefind_is_started_early_with_a_short_switch_interval_which_is_then_put_back(
        build_site, tmp_path, site_content, monkeypatch):
    from newsroom_search import early, newsroom_search

    settings = cached(tmp_path)
    output = tmp_path / "site"
    build_site(output=output, **settings)
    edit(site_content / STORY, "will not rise next year.", "will not rise next year, the minister said.")
    intervals = []
    run = newsroom_search.index_site

    def run_noting_the_interval(*args, **kwargs):
        intervals.append(sys.getswitchinterval())
        return run(*args, **kwargs)

    monkeypatch.setattr(newsroom_search, "index_site", run_noting_the_interval)
    before = sys.getswitchinterval()
    site = build_site(output=output, **settings)
    assert intervals == [early.SWITCH_INTERVAL]  # the edited story's section, re-indexed early
    assert sys.getswitchinterval() == before
    clean = build_site(output=tmp_path / "clean", **{**settings, "CACHE_PATH": str(tmp_path / "fresh-cache")})
    assert shard_content(site.output / "pagefind/sections/europe") == shard_content(clean.output / "pagefind/sections/europe")

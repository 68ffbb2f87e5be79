"""newsroom_engine/api.py: what plugins may ask of a build, and what they get outside one."""

from __future__ import annotations

import logging

import datetime as dt
from types import SimpleNamespace

import pytest
from pelican import signals
from pelican.writers import Writer

from conftest import load_settings
from newsroom_engine import api
from newsroom_engine.build import EngineRun
from newsroom_engine.writer import Companion, NewsroomWriter
from test_incremental import cached

NOT_RUNS = [object(), SimpleNamespace(engine_run=None), SimpleNamespace(engine_run={"report": {"rendered": 1}})]


def companion(tmp_path) -> Companion:
    return Companion(wants=lambda kind, ctx, rel: None, render=lambda template, ctx, page: "", staging=str(tmp_path / "s"),
                     published=str(tmp_path / "p"))


@pytest.mark.parametrize("pelican", NOT_RUNS, ids=["plain", "no-run", "not-a-run"])
def test_outside_an_engine_run_nothing_is_queued_or_reported(pelican, tmp_path):
    ran = []
    assert not api.is_engine(pelican)
    assert api.when_written(pelican, ran.append) is False
    assert api.after_publish(pelican, ran.append) is False
    assert api.if_failed(pelican, ran.append) is False
    assert api.preserve_output(pelican, "pagefind/") is False
    assert api.preserved_output(pelican) == []
    assert api.add_companion(pelican, companion(tmp_path)) is False
    assert api.build_report(pelican) == {}
    assert ran == []


def test_during_a_run_the_work_is_queued_for_the_build():
    run = EngineRun(cache_folder=None, other_files="")
    pelican = SimpleNamespace(engine_run=run)
    first, second = (lambda folder: None), (lambda folder: None)
    assert api.when_written(pelican, first) and api.when_written(pelican, second)
    assert api.after_publish(pelican, second)
    assert api.if_failed(pelican, first)
    assert api.preserve_output(pelican, "search/") and api.preserve_output(pelican, "pagefind/")
    assert api.preserve_output(pelican, "pagefind/")
    assert run.when_written == [first, second] and run.after_publish == [second] and run.if_failed == [first]
    assert api.preserved_output(pelican) == ["pagefind/", "search/"]
    run.report["rendered"] = 3
    report = api.build_report(pelican)
    report["rendered"] = 0  # a copy
    assert api.build_report(pelican) == {"rendered": 3}


def test_an_engine_build_is_an_engine(tmp_path, site_content):
    from newsroom_content import NewsroomPelican

    assert api.is_engine(NewsroomPelican(load_settings(site_content, tmp_path / "output")))


@pytest.mark.parametrize("settings, folder", [
    ({"CACHE_CONTENT": False, "CACHE_PATH": "/cache/content-1"}, None),
    ({"CACHE_CONTENT": True, "CACHE_PATH": "/cache/content-1"}, "/cache/content-1"),
    ({"CACHE_PATH": "/cache/content-1"}, None),
])
def test_cache_folder(settings, folder):
    assert api.cache_folder(settings) == folder
    store = api.store(settings)
    assert (store.folder if store else None) == folder


# --- writers ---

def newsroom_writer(tmp_path, workers: int) -> NewsroomWriter:
    settings = load_settings(tmp_path / "content", tmp_path / "output")
    return NewsroomWriter(str(tmp_path / "staging"), settings, last_output=str(tmp_path / "output"), old_manifest={},
                          today=dt.date(2026, 11, 25), workers=workers, keyed=False)


def test_with_pelicans_writer_files_are_never_reused_and_work_runs_at_once(tmp_path):
    (tmp_path / "content").mkdir()
    writer = Writer(str(tmp_path / "output"), load_settings(tmp_path / "content", tmp_path / "output"))
    ran = []
    assert api.reuse_files(writer, ["feeds/all.atom.xml"], "feed", []) is False
    api.queue_work(writer, "the feeds", lambda: ran.append("feeds"))
    assert ran == ["feeds"]


def test_a_writer_without_page_keys_reuses_nothing(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "output/feeds").mkdir(parents=True)
    (tmp_path / "output/feeds/all.atom.xml").write_text("<feed/>")
    writer = newsroom_writer(tmp_path, workers=1)
    assert api.reuse_files(writer, ["feeds/all.atom.xml"], "feed", []) is False
    assert writer.kept == set()


@pytest.mark.parametrize("workers, at_once", [(1, True), (2, False)])
def test_queued_work_runs_with_the_queued_pages(tmp_path, workers, at_once):
    (tmp_path / "content").mkdir()
    writer = newsroom_writer(tmp_path, workers)
    ran = []
    api.queue_work(writer, "the feeds", lambda: ran.append("feeds"))
    assert ran == (["feeds"] if at_once else [])
    writer.flush()
    assert ran == ["feeds"]


# --- build_report after real builds ---

FOUND = []


def remember_cache_folder(pelican) -> None:
    """finalized: what cache_folder says during the build (a module-level receiver: signals keep weak ones)."""
    FOUND.append(api.cache_folder(pelican.settings))


@pytest.fixture
def cache_folders():
    FOUND.clear()
    signals.finalized.connect(remember_cache_folder)
    yield FOUND
    signals.finalized.disconnect(remember_cache_folder)


def test_a_first_build_swaps_and_a_rebuild_with_nothing_changed_keeps_every_page(build_site, tmp_path, cache_folders):
    settings = cached(tmp_path / "cache", NEWSROOM_SEARCH=False)
    first = build_site(output=tmp_path / "site", **settings).report
    assert first["swapped"] is True and first["kept"] == 0 and first["unchanged_files"] == 0, first
    assert first["rendered"] >= 20 and first["articles_read"] >= 6 and first["articles_from_cache"] == 0, first
    again = build_site(output=tmp_path / "site", **settings).report
    assert again["swapped"] is False and again["rendered"] == 0, again
    assert again["kept"] >= first["rendered"] and again["replaced"] == again["deleted"] == 0, again
    assert again["articles_from_cache"] == first["articles_read"] and again["articles_read"] == 0, again
    # During both builds the caches' folder was this settings' and this code's, under CACHE_PATH.
    [folder] = set(cache_folders)
    assert folder.startswith(str(tmp_path / "cache" / "content-")) and len(cache_folders) == 2


def test_with_the_caches_off_every_build_renders_and_swaps(build_site, tmp_path, cache_folders):
    first = build_site(output=tmp_path / "site", NEWSROOM_SEARCH=False)
    again = build_site(output=tmp_path / "site", NEWSROOM_SEARCH=False)
    assert again.report["swapped"] is True and again.report["rendered"] == first.report["rendered"] > 0
    assert "articles_from_cache" not in again.report and "kept" in again.report
    # The same site, file for file: every file is the last output's (its inode and mtime kept).
    files = [p for p in again.output.rglob("*") if p.is_file()]
    assert again.report["unchanged_files"] == len(files) > 0
    assert cache_folders == [None, None]


def test_a_failed_build_runs_the_if_failed_work_and_a_good_one_does_not(build_site, tmp_path, site_content, monkeypatch):
    from pelican import signals

    ran = []

    def register(pelican):
        api.if_failed(pelican, lambda: ran.append("cleaned up"))
        return None

    signals.get_generators.connect(register)
    try:
        build_site(output=tmp_path / "site", **cached(tmp_path))
        assert ran == []
        monkeypatch.setattr(api.NewsroomWriter, "flush", lambda self: logging.getLogger("newsroom_test").error("boom"))
        with pytest.raises(api.BuildFailedError):
            build_site(output=tmp_path / "site", **cached(tmp_path))
        assert ran == ["cleaned up"]
    finally:
        signals.get_generators.disconnect(register)

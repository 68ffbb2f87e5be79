"""newsroom_engine.presence: what the disk holds (the last output's files, the sources' identities), asked of a process."""

from __future__ import annotations

import logging
import subprocess

import pytest

from newsroom_engine import caching, presence
from newsroom_engine.presence import LastOutput, SourceIdentities

NAMES = ["index.html", "europe/rail-fares/index.html", "feeds/all.atom.xml", "ünïcode/straße/index.html",
         "name with spaces/index.html", "europe/gone/index.html", "missing-folder/index.html"]
THERE = {"index.html", "europe/rail-fares/index.html", "feeds/all.atom.xml", "ünïcode/straße/index.html",
         "name with spaces/index.html"}


@pytest.fixture
def last_output(tmp_path):
    folder = tmp_path / "output"
    for name in THERE:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("<p>page</p>", encoding="utf-8")
    (folder / "europe/gone").mkdir()  # a folder whose page was deleted by hand
    return folder


def started_processes(monkeypatch) -> list:
    started = []
    real = subprocess.Popen

    def popen(*args, **kwargs):
        started.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(presence.subprocess, "Popen", popen)
    return started


@pytest.mark.parametrize("smallest", [1, len(NAMES)], ids=["many names", "exactly enough"])
def test_the_process_answers_for_every_name_it_was_given(last_output, monkeypatch, smallest):
    monkeypatch.setattr(presence, "MIN_NAMES_FOR_PROCESS", smallest)
    started = started_processes(monkeypatch)
    present = LastOutput(str(last_output), dict.fromkeys(NAMES, "key"))
    assert {name for name in NAMES if present.has(name)} == THERE
    assert len(started) == 1
    present.close()


def test_a_name_it_was_not_given_is_looked_at_directly(last_output, monkeypatch):
    monkeypatch.setattr(presence, "MIN_NAMES_FOR_PROCESS", 1)
    present = LastOutput(str(last_output), {"index.html": "key"})
    assert present.has("feeds/all.atom.xml")
    assert not present.has("europe/gone/index.html")


def test_few_names_start_no_process(last_output, monkeypatch):
    started = started_processes(monkeypatch)
    present = LastOutput(str(last_output), dict.fromkeys(NAMES, "key"))
    assert {name for name in NAMES if present.has(name)} == THERE
    assert started == []


def test_no_process_for_a_missing_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(presence, "MIN_NAMES_FOR_PROCESS", 1)
    started = started_processes(monkeypatch)
    present = LastOutput(str(tmp_path / "never-built"), dict.fromkeys(NAMES, "key"))
    assert not any(present.has(name) for name in NAMES)
    assert started == []


def test_a_process_that_cannot_start_leaves_the_build_to_look_itself(last_output, monkeypatch, tmp_path):
    monkeypatch.setattr(presence, "MIN_NAMES_FOR_PROCESS", 1)
    monkeypatch.setattr(presence.sys, "executable", str(tmp_path / "no-such-python"))
    present = LastOutput(str(last_output), dict.fromkeys(NAMES, "key"))
    assert {name for name in NAMES if present.has(name)} == THERE


@pytest.mark.parametrize("script, status", [("import sys; sys.exit(3)", 3),
                                            ("import sys; sys.stdout.write('x'); sys.exit(1)", 1)],
                         ids=["fails", "fails after writing"])
def test_a_failed_process_leaves_the_build_to_look_itself(last_output, monkeypatch, script, status, caplog):
    monkeypatch.setattr(presence, "MIN_NAMES_FOR_PROCESS", 1)
    monkeypatch.setattr(presence, "_MISSING", script)
    present = LastOutput(str(last_output), dict.fromkeys(NAMES, "key"))
    with caplog.at_level(logging.DEBUG, logger="newsroom_engine.presence"):
        assert {name for name in NAMES if present.has(name)} == THERE
    assert [r.getMessage() for r in caplog.records] == [
        f"newsroom_engine: the process looking at {last_output} failed with exit status {status}; "
        "each file is looked at by the build"]


# --- the identities of the source files ---

@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "content"
    for name in ("articles/europe/rail-fares.md", "articles/ünïcode straße.md", "pages/about.md", "images/map.png"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(name, encoding="utf-8")
    return folder


def test_the_process_gives_every_source_file_its_identity(sources):
    identities = SourceIdentities(str(sources)).identities()
    files = [str(path) for path in sources.rglob("*") if path.is_file()]
    assert len(files) == 4
    assert identities == {path: caching.file_identity(path) for path in files}


def test_without_the_process_every_file_is_looked_at_when_asked(sources, monkeypatch):
    monkeypatch.setattr(presence, "_IDENTITIES", "import sys; sys.exit(2)")
    looked_ahead = SourceIdentities(str(sources))
    path = str(sources / "pages/about.md")
    with caching.identities_remembered(looked_ahead):
        assert caching.file_identity(path) == caching._stat_identity(path)


class Answered:
    def __init__(self, identities):
        self.identities_given, self.asked = identities, 0

    def identities(self):
        self.asked += 1
        return self.identities_given


def test_a_build_uses_the_identities_looked_up_before_it_read_anything(sources):
    story = sources / "articles/europe/rail-fares.md"
    looked_ahead = Answered(SourceIdentities(str(sources)).identities())
    before = caching.file_identity(str(story))
    story.write_text("edited after the look-ahead, while the build runs", encoding="utf-8")
    new_file = sources / "articles/europe/new.md"
    new_file.write_text("added after the look-ahead", encoding="utf-8")
    with caching.identities_remembered(looked_ahead):
        # The identity from before the edit: the story is read again by the next build.
        assert caching.file_identity(str(story)) == before != caching._stat_identity(str(story))
        assert caching.file_identity(str(new_file)) == caching._stat_identity(str(new_file))
        assert caching.file_identity(str(sources / "pages/about.md"))
    assert looked_ahead.asked == 1
    assert caching.file_identity(str(story)) != before  # outside a build, the file as it is


@pytest.mark.parametrize("manifest_bytes, caches_on, looks", [(10, True, False), (2000, True, True), (2000, False, False),
                                                              (None, True, False)],
                         ids=["small archive", "big archive", "caches off", "first build"])
def test_the_sources_are_looked_up_ahead_only_for_an_archive_big_enough(sources, tmp_path, monkeypatch, manifest_bytes,
                                                                         caches_on, looks):
    monkeypatch.setattr(presence, "MIN_MANIFEST_BYTES", 1000)
    manifest = tmp_path / "pages-0123.json"
    if manifest_bytes is not None:
        manifest.write_bytes(b" " * manifest_bytes)
    settings = {"CACHE_CONTENT": caches_on, "LOAD_CONTENT_CACHE": caches_on, "PATH": str(sources)}
    looked_ahead = presence.look_ahead_at_sources(settings, str(manifest))
    assert (looked_ahead is not None) == looks
    if looked_ahead is not None:
        assert len(looked_ahead.identities()) == 4

"""newsroom_engine/caching.py: file identities and the keys the caches between builds are named after."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import PurePosixPath

import pytest

from conftest import REPO
from newsroom_engine.caching import (
    KEEP_CACHES, PLACE_SETTINGS, code_fingerprint, content_cache_path, file_identity, identities_remembered, prune_content_caches,
    settings_fingerprint, stable_repr,
)

# --- file_identity ---

def test_every_write_changes_a_files_identity(tmp_path):
    story = tmp_path / "story.md"
    story.write_text("Title: one\n")
    first = file_identity(str(story))
    assert file_identity(str(story)) == first  # asking again is not a change
    before = os.stat(story)
    story.write_text("Title: two\n")  # the same size
    os.utime(story, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old mtime put back
    assert os.stat(story).st_size == before.st_size and os.stat(story).st_mtime_ns == before.st_mtime_ns
    assert file_identity(str(story)) != first


def test_a_file_put_in_place_of_another_has_another_identity(tmp_path):
    story, edited = tmp_path / "story.md", tmp_path / "story.md.tmp"
    story.write_text("Title: one\n")
    first = file_identity(str(story))
    edited.write_text("Title: two\n")
    os.replace(edited, story)  # how editors save
    assert file_identity(str(story)) != first


def test_a_missing_file_raises(tmp_path):
    with pytest.raises(OSError):
        file_identity(str(tmp_path / "missing.md"))


def test_a_build_looks_at_each_file_once(tmp_path):
    story = tmp_path / "story.md"
    story.write_text("first")
    with identities_remembered():
        seen = file_identity(str(story))
        story.write_text("second, longer")
        # What the caches record for the file is what it was when first asked, before anything read it.
        assert file_identity(str(story)) == seen
        with pytest.raises(OSError):
            file_identity(str(tmp_path / "missing.md"))
        with identities_remembered():  # a build inside a build (make serve's) starts afresh
            assert file_identity(str(story)) != seen
        assert file_identity(str(story)) == seen
    assert file_identity(str(story)) != seen  # the next build sees the change


# --- stable_repr ---

def helper():
    """A function as a setting's value (JINJA_FILTERS, SLUGIFY_* callables)."""


VALUE_SCRIPT = """
import datetime as dt, json, sys
from pathlib import PurePosixPath
sys.path[:0] = [{plugins!r}, {tests!r}]
from newsroom_engine.caching import stable_repr
from test_caching import helper
value = {{"FILTERS": {{"money": helper, "len": len}}, "TAGS": {{"rail", "ferry", "strike", "port", "water"}},
          "SLUGS": frozenset({{("a", "b"), ("c", "d")}}), "PATH": PurePosixPath("content"),
          "WHEN": dt.date(2026, 11, 25), "MARKDOWN": {{"output_format": "html5", "extensions": ["toc", "extra"]}}}}
print(json.dumps([stable_repr(value), repr(value)]))
"""


def value_in_another_process(seed: str) -> tuple[str, str]:
    script = VALUE_SCRIPT.format(plugins=str(REPO / "plugins"), tests=str(REPO / "tests"))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": seed}).stdout
    stable, plain = json.loads(out)
    return stable, plain


def test_stable_repr_is_the_same_in_every_process():
    here = stable_repr({"FILTERS": {"money": helper, "len": len}, "TAGS": {"rail", "ferry", "strike", "port", "water"},
                        "SLUGS": frozenset({("a", "b"), ("c", "d")}), "PATH": PurePosixPath("content"),
                        "WHEN": dt.date(2026, 11, 25),
                        "MARKDOWN": {"extensions": ["toc", "extra"], "output_format": "html5"}})
    (one, plain_one), (two, plain_two) = value_in_another_process("1"), value_in_another_process("2")
    assert one == two == here
    assert plain_one != plain_two  # repr() is not: a function's address, a set's order
    assert "<test_caching.helper>" in here and "<builtins.len>" in here


@pytest.mark.parametrize("a, b", [
    ({"X": ["a", "b"]}, {"X": ["b", "a"]}),  # a list's order matters
    ({"X": 1}, {"X": "1"}),
    ({"X": (1, 2)}, {"X": (1, 2, 3)}),
    ({"X": {"a": 1}}, {"X": {"a": 2}}),
])
def test_stable_repr_tells_different_values_apart(a, b):
    assert stable_repr(a) != stable_repr(b)


# --- settings_fingerprint, content_cache_path ---

BASE = {"SITENAME": "The Common Ledger", "ARTICLE_URL": "{category}/{slug}/", "OUTPUT_PATH": "output",
        "CACHE_PATH": "cache", "DEBUG": False}


@pytest.mark.parametrize("name", sorted(PLACE_SETTINGS))
def test_where_things_go_is_not_in_the_settings_fingerprint(name):
    assert settings_fingerprint({**BASE, name: "/somewhere/else"}) == settings_fingerprint(BASE)


def test_settings_the_build_derives_and_lowercase_names_are_not_in_the_fingerprint():
    derived = frozenset({"NEWSROOM_SECTIONS"})
    assert settings_fingerprint({**BASE, "NEWSROOM_SECTIONS": ["Europe"]}, derived) == \
        settings_fingerprint({**BASE, "NEWSROOM_SECTIONS": ["Europe", "Sport"]}, derived)
    assert settings_fingerprint({**BASE, "NEWSROOM_SECTIONS": ["Europe"]}) != \
        settings_fingerprint({**BASE, "NEWSROOM_SECTIONS": ["Europe", "Sport"]})
    assert settings_fingerprint({**BASE, "not_a_setting": 1}) == settings_fingerprint(BASE)


@pytest.mark.parametrize("change", [{"SITENAME": "The Weekly Ledger"}, {"ARTICLE_URL": "{slug}/"}, {"NEW": 1}])
def test_any_other_setting_changes_the_fingerprint(change):
    assert settings_fingerprint({**BASE, **change}) != settings_fingerprint(BASE)


def test_the_content_cache_folder_is_named_after_the_settings_and_the_code(tmp_path):
    base = str(tmp_path / "cache")
    path = content_cache_path(BASE, base, "code-1")
    assert os.path.dirname(path) == base and os.path.basename(path).startswith("content-")
    assert content_cache_path(dict(BASE), base, "code-1") == path
    assert content_cache_path({**BASE, "OUTPUT_PATH": "elsewhere"}, base, "code-1") == path
    others = {content_cache_path({**BASE, "SITENAME": "Weekly"}, base, "code-1"),
              content_cache_path(BASE, base, "code-2")}
    assert path not in others and len(others) == 2


# --- prune_content_caches ---

def make_caches(root, count: int) -> list[str]:
    """`count` content caches, oldest first (by mtime), beside a manifest and the templates' cache."""
    folders = []
    for i in range(count):
        folder = root / f"content-{i:02d}"
        folder.mkdir(parents=True)
        os.utime(folder, (1_700_000_000 + i * 60, 1_700_000_000 + i * 60))
        folders.append(str(folder))
    (root / "templates").mkdir()
    (root / "pages-abc.json").write_text("{}")
    return folders


def test_the_newest_caches_are_kept(tmp_path):
    folders = make_caches(tmp_path, KEEP_CACHES + 3)
    prune_content_caches(folders[-1])
    assert sorted(p.name for p in tmp_path.iterdir()) == \
        sorted([os.path.basename(f) for f in folders[-KEEP_CACHES:]] + ["pages-abc.json", "templates"])


def test_the_cache_in_use_is_kept_however_old(tmp_path):
    folders = make_caches(tmp_path, KEEP_CACHES + 2)
    prune_content_caches(folders[0])
    assert sorted(str(p) for p in tmp_path.glob("content-*")) == sorted([folders[0], *folders[-KEEP_CACHES:]])


def test_pruning_a_cache_folder_that_does_not_exist_yet(tmp_path):
    prune_content_caches(str(tmp_path / "nothing" / "content-x"))
    assert not (tmp_path / "nothing").exists()


def test_the_code_fingerprint_reads_the_plugins_python_but_not_npm_packages(tmp_path):
    plugin = tmp_path / "plugins" / "newsroom_x"
    (plugin / "node_modules" / "tool").mkdir(parents=True)
    (plugin / "x.py").write_text("A = 1\n")
    (plugin / "node_modules" / "tool" / "build.py").write_text("B = 1\n")
    first = code_fingerprint([str(tmp_path / "plugins")])
    (plugin / "node_modules" / "tool" / "build.py").write_text("B = 2\n")
    assert code_fingerprint([str(tmp_path / "plugins")]) == first
    (plugin / "x.py").write_text("A = 2\n")
    assert code_fingerprint([str(tmp_path / "plugins")]) != first

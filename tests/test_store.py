"""newsroom_engine/store.py: a record comes back only as it was saved, for the version and scope asked
for; anything else (missing, damaged, of another version, scope or format) is None, and a save that fails
leaves the last record."""

from __future__ import annotations

import json
import os
import pickle
import re

import pytest

from newsroom_engine.store import FORMAT, Store, write_atomically

KINDS = ["pickle", "json"]
VALUE = {"index.html": ["k1", 2], "memo": {"site": "s", "cards": {}}}


@pytest.fixture
def store(tmp_path):
    return Store(str(tmp_path / "cache"))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("scope", [None, "output-1"])
def test_a_record_comes_back_as_it_was_saved(store, kind, scope):
    store.save("pages", 3, VALUE, kind=kind, scope=scope)
    assert store.load("pages", 3, kind=kind, scope=scope) == VALUE
    assert os.listdir(store.folder) == [f"pages.{kind}"]  # no temporary file left


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("version, scope", [(2, "a"), (4, "a"), (3, "b"), (3, None)],
                         ids=["older version", "newer version", "other scope", "no scope"])
def test_another_version_or_scope_is_no_record(store, kind, version, scope):
    store.save("pages", 3, VALUE, kind=kind, scope="a")
    assert store.load("pages", version, kind=kind, scope=scope) is None


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_record_is_none_and_the_kinds_are_apart(store, kind):
    assert store.load("pages", 1, kind=kind) is None
    other = "json" if kind == "pickle" else "pickle"
    store.save("pages", 1, VALUE, kind=other)
    assert store.load("pages", 1, kind=kind) is None


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("data", [b"", b"\x80\x05not a pickle", b'{"format": ', b"[1, 2]", b"\xff\xfe"],
                         ids=["empty", "broken pickle", "broken json", "short list", "not utf-8"])
def test_a_damaged_record_is_none(store, kind, data):
    os.makedirs(store.folder)
    with open(store.path("pages", kind), "wb") as f:
        f.write(data)
    assert store.load("pages", 1, kind=kind) is None


# The records as each store wrote them before there was one format: a build after the change must read
# them as missing, not as values of another shape.
OLD_RECORDS = [
    ("articles-03", "pickle", pickle.dumps((2, {"/c/a.md": ("1:2:3:4", b"", [], True)}))),
    ("checks", "pickle", pickle.dumps((1, "other-files", {"/c/a.md": ("1:2:3:4", ([], None, []))}))),
    ("related-stories", "pickle", pickle.dumps((1, "key", [(0, 1)]))),
    ("pages-0123456789abcdef", "json", json.dumps({"version": 2, "output": "/site/output", "pages": {},
                                                   "files": [], "memo": {}}).encode()),
    ("assets-used", "json", json.dumps({"theme": "state", "assets": ["css/main.css"]}).encode()),
    ("output.precompress", "json", json.dumps({"version": 1, "builds": []}).encode()),
    ("records", "json", json.dumps(["a/x/index.html"]).encode()),
]


@pytest.mark.parametrize("name, kind, data", OLD_RECORDS, ids=[r[0] for r in OLD_RECORDS])
@pytest.mark.parametrize("version", [1, 2])
def test_a_record_of_the_previous_format_is_ignored(store, name, kind, data, version):
    os.makedirs(store.folder)
    with open(store.path(name, kind), "wb") as f:
        f.write(data)
    for scope in (None, "other-files", "key", "/site/output", "state"):
        assert store.load(name, version, kind=kind, scope=scope) is None


@pytest.mark.parametrize("kind", KINDS)
def test_a_value_that_cannot_be_saved_leaves_the_last_record(store, kind):
    store.save("pages", 1, VALUE, kind=kind)
    with pytest.raises((TypeError, pickle.PicklingError, AttributeError)):
        store.save("pages", 1, {"unsaveable": lambda: None}, kind=kind)
    assert store.load("pages", 1, kind=kind) == VALUE
    assert os.listdir(store.folder) == [f"pages.{kind}"]


def test_a_write_that_fails_half_way_leaves_the_old_file(tmp_path, monkeypatch):
    path = str(tmp_path / "shards.json")
    write_atomically(path, "old\n")

    def refuse(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomically(path, "new\n")
    monkeypatch.undo()
    assert open(path, encoding="utf-8").read() == "old\n" and os.listdir(tmp_path) == ["shards.json"]


def test_write_atomically_makes_the_folder_and_an_ordinary_file(tmp_path):
    path = tmp_path / "pagefind" / "shards.json"
    write_atomically(str(path), b"{}\n")
    write_atomically(str(path), "{\"shards\": []}\n")
    assert path.read_bytes() == b'{"shards": []}\n'
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # published: readable like any other file


def test_forget_removes_the_record_of_either_kind(store):
    store.forget("pages")  # nothing to forget
    store.save("pages", 1, VALUE)
    store.save("pages", 1, VALUE, kind="json")
    store.save("checks", 1, VALUE)
    store.forget("pages")
    assert store.load("pages", 1) is None and store.load("pages", 1, kind="json") is None
    assert os.listdir(store.folder) == ["checks.pickle"]


def test_a_record_says_its_format(store):
    store.save("pages", 1, VALUE, kind="json")
    assert json.loads(open(store.path("pages", "json"), encoding="utf-8").read()) == {
        "format": FORMAT, "version": 1, "scope": None, "value": VALUE}


def test_only_the_two_kinds(store):
    with pytest.raises(ValueError):
        store.save("pages", 1, VALUE, kind="yaml")


def old_layout(path) -> bytes:
    """A record as the stores wrote it before they had one format: the version first, then the scope and
    the value (pickles), or the value's fields beside "version" (JSON)."""
    if path.suffix == ".pickle":
        _, version, scope, value = pickle.loads(path.read_bytes())
        return pickle.dumps((version, value) if scope is None else (version, scope, value))
    record = json.loads(path.read_bytes())
    value = record["value"] if isinstance(record["value"], dict) else {"value": record["value"]}
    return json.dumps({"version": record["version"], "output": record["scope"], **value}).encode()


def test_a_build_reads_none_of_the_records_of_the_previous_format(build_site, tmp_path):
    from test_build import tree_digest
    from test_incremental import cached

    settings = cached(tmp_path / "cache", NEWSROOM_SEARCH=False)
    first = build_site(output=tmp_path / "site", **settings)
    records = [p for p in (tmp_path / "cache").rglob("*") if p.suffix in (".pickle", ".json")]
    assert {re.sub(r"-[0-9a-f]+$", "", p.stem) for p in records} == {
        "articles", "checks", "related-stories", "assets-used", "pages", "template-facts", "card-plans"}
    for path in records:
        path.write_bytes(old_layout(path))
    again = build_site(output=tmp_path / "site", **settings)
    assert again.report["rendered"] == first.report["rendered"] and again.report["articles_from_cache"] == 0
    clean = build_site(output=tmp_path / "clean", **{**settings, "CACHE_PATH": str(tmp_path / "fresh-cache")})
    assert tree_digest(tmp_path / "site") == tree_digest(clean.output)


def test_a_prepared_record_is_the_value_as_it_was_and_is_written_only_when_asked(tmp_path):
    store = Store(str(tmp_path / "cache"))
    value = {"pages": {"index.html": "k1"}}
    write = store.prepare("pages-x", 1, value, scope="site")
    value["pages"]["late.html"] = "k2"  # changed after it was prepared: not in the record
    assert not (tmp_path / "cache").exists() or not os.listdir(tmp_path / "cache")
    write()
    assert store.load("pages-x", 1, scope="site") == {"pages": {"index.html": "k1"}}


def test_a_sharded_value_comes_back_whole_and_only_the_shards_asked_for_are_rewritten(tmp_path):
    from newsroom_engine.store import SHARDS, shard_of

    store = Store(str(tmp_path / "cache"))
    value = {f"/content/story-{n}.md": n for n in range(60)}
    store.save_sharded("things", 1, value, range(SHARDS), scope="s")
    assert store.load_sharded("things", 1, scope="s") == value
    assert store.load_sharded("things", 1, scope="other") == {}
    files = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()}
    assert len(files) == SHARDS  # every shard asked for is written, an empty one too (it may have lost its last key)
    changed = dict(value, **{"/content/story-7.md": "edited"})
    store.save_sharded("things", 1, changed, {shard_of("/content/story-7.md")}, scope="s")
    assert store.load_sharded("things", 1, scope="s") == changed
    rewritten = [p.name for p in (tmp_path / "cache").iterdir() if files.get(p.name) != p.stat().st_mtime_ns]
    assert rewritten == [f"things-{shard_of('/content/story-7.md'):02d}.pickle"]

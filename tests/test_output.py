"""newsroom_engine/output.py: putting a finished build in place of the last good output, on real files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsroom_engine.output import carry_over, keep_unchanged_files, same_bytes, swap_into_place, update_in_place


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


# --- same_bytes ---

@pytest.mark.parametrize("a, b, same", [
    ("one", "one", True),
    ("", "", True),
    ("one", "two", False),  # equal sizes, different bytes
    ("one", "one!", False),
    ("x" * 70_000 + "a", "x" * 70_000 + "b", False),  # differs after the first chunk
    ("x" * 70_000, "x" * 70_000, True),
])
def test_same_bytes_compares_contents(tmp_path, a, b, same):
    write(tmp_path, {"a": a, "b": b})
    assert same_bytes(str(tmp_path / "a"), str(tmp_path / "b")) is same


def test_same_bytes_of_one_file_and_of_a_hard_link(tmp_path):
    write(tmp_path, {"a": "text"})
    os.link(tmp_path / "a", tmp_path / "link")
    assert same_bytes(str(tmp_path / "a"), str(tmp_path / "a"))
    assert same_bytes(str(tmp_path / "a"), str(tmp_path / "link"))


def test_same_bytes_with_a_missing_file(tmp_path):
    write(tmp_path, {"a": "text"})
    assert not same_bytes(str(tmp_path / "a"), str(tmp_path / "missing"))
    assert not same_bytes(str(tmp_path / "missing"), str(tmp_path / "a"))


# --- keep_unchanged_files ---

def test_identical_files_become_links_to_the_old_output(tmp_path):
    final, staging = tmp_path / "output", tmp_path / "output.partial"
    write(final, {"index.html": "front", "a/index.html": "story a", "b/index.html": "story b"})
    write(staging, {"index.html": "front", "a/index.html": "story a, edited", "b/index.html": "story b",
                    "c/index.html": "new story"})
    old = {rel: (final / rel).stat().st_ino for rel in ("index.html", "a/index.html", "b/index.html")}

    assert keep_unchanged_files(str(staging), str(final)) == 2
    assert (staging / "index.html").stat().st_ino == old["index.html"]
    assert (staging / "b/index.html").stat().st_ino == old["b/index.html"]
    assert (staging / "a/index.html").stat().st_ino != old["a/index.html"]
    assert tree(staging) == {"index.html": "front", "a/index.html": "story a, edited", "b/index.html": "story b",
                             "c/index.html": "new story"}
    assert not list(staging.rglob("*.nr-unchanged"))


def test_nothing_is_kept_without_an_old_output(tmp_path):
    write(tmp_path / "staging", {"index.html": "front"})
    assert keep_unchanged_files(str(tmp_path / "staging"), str(tmp_path / "missing")) == 0


def test_a_file_already_linked_from_the_old_output_counts_as_kept(tmp_path):
    final, staging = tmp_path / "output", tmp_path / "staging"
    write(final, {"img/a.webp": b"\x00picture"})
    (staging / "img").mkdir(parents=True)
    os.link(final / "img/a.webp", staging / "img/a.webp")
    assert keep_unchanged_files(str(staging), str(final)) == 1
    assert (staging / "img/a.webp").stat().st_ino == (final / "img/a.webp").stat().st_ino


# --- carry_over ---

def test_preserved_folders_are_linked_into_staging(tmp_path):
    final, staging = tmp_path / "output", tmp_path / "staging"
    write(final, {"pagefind/index.json": "old index", "pagefind/sections/europe/a.pf": "old shard",
                  "feeds/all.atom.xml": "old feed"})
    write(staging, {"index.html": "front", "pagefind/index.json": "written by this build"})

    assert carry_over(str(final), str(staging), {"pagefind/"}) == 1
    assert (staging / "pagefind/sections/europe/a.pf").stat().st_ino == (final / "pagefind/sections/europe/a.pf").stat().st_ino
    assert (staging / "pagefind/index.json").read_text() == "written by this build"  # staging's own file wins
    assert not (staging / "feeds").exists()  # not a preserved prefix


def test_a_missing_or_symlinked_preserved_folder_is_skipped(tmp_path):
    final, staging, elsewhere = tmp_path / "output", tmp_path / "staging", tmp_path / "elsewhere"
    write(elsewhere, {"secret.txt": "outside the output"})
    final.mkdir()
    staging.mkdir()
    (final / "pagefind").symlink_to(elsewhere, target_is_directory=True)

    assert carry_over(str(final), str(staging), {"pagefind/", "absent/"}) == 0
    assert list(staging.iterdir()) == []


# --- swap_into_place ---

def test_the_staging_folder_replaces_the_output(tmp_path):
    final, staging = tmp_path / "output", tmp_path / "output.partial"
    write(final, {"old.html": "old"})
    write(staging, {"new.html": "new"})
    write(tmp_path / "output.previous", {"stale.html": "from a build that stopped half-way"})

    swap_into_place(str(staging), str(final))
    assert tree(final) == {"new.html": "new"}
    assert not staging.exists() and not (tmp_path / "output.previous").exists()


def test_the_first_swap_needs_no_old_output(tmp_path):
    final, staging = tmp_path / "output", tmp_path / "output.partial"
    write(staging, {"index.html": "front"})
    swap_into_place(str(staging), str(final))
    assert tree(final) == {"index.html": "front"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


# --- update_in_place ---

@pytest.fixture
def published(tmp_path) -> Path:
    """A last good output: pages, precompressed copies and a search index."""
    final = tmp_path / "output"
    write(final, {
        "index.html": "front", "index.html.gz": "gz of front",
        "a/index.html": "story a", "a/index.html.gz": "gz of a", "a/index.html.br": "br of a",
        "b/index.html": "story b",
        "gone/deep/index.html": "a deleted story", "gone/deep/index.html.gz": "gz of it",
        "pagefind/index.json": "search index",
        "theme/main.css": "css",
    })
    return final


def test_update_in_place(tmp_path, published):
    staging = tmp_path / "output.partial"
    # This build rendered the front page (the same bytes, and their precompressed copy) and story b
    # (changed) and a new story; it kept story a and the stylesheet; the deleted story is in neither.
    write(staging, {"index.html": "front", "index.html.gz": "gz of front", "b/index.html": "story b, edited",
                    "c/index.html": "story c"})
    front_inode = (published / "index.html").stat().st_ino

    result = update_in_place(str(staging), str(published), kept={"a/index.html", "theme/main.css"},
                             previous_files=None, preserve=("pagefind/",))

    assert (result["replaced"], result["unchanged"], result["deleted"]) == (2, 2, 2)
    assert sorted(result["changed"]) == ["b/index.html", "c/index.html", "gone/deep/index.html",
                                         "gone/deep/index.html.gz"]
    assert tree(published) == {
        "index.html": "front", "index.html.gz": "gz of front",
        "a/index.html": "story a", "a/index.html.gz": "gz of a", "a/index.html.br": "br of a",
        "b/index.html": "story b, edited", "c/index.html": "story c",
        "pagefind/index.json": "search index",
        "theme/main.css": "css",
    }
    assert (published / "index.html").stat().st_ino == front_inode  # unchanged bytes: the old file stays
    assert not (published / "gone").exists()  # emptied folders go, up to the output
    assert not staging.exists()
    assert result["files"] == set(tree(published))


def test_a_precompressed_copy_of_a_page_no_longer_kept_is_deleted(tmp_path, published):
    staging = tmp_path / "output.partial"
    write(staging, {"index.html": "front, edited"})
    result = update_in_place(str(staging), str(published), kept=set(), previous_files=None, preserve=("pagefind/",))
    # Precompression of this build (not run here) would have written index.html.gz into staging.
    assert not (published / "index.html.gz").exists() and not (published / "a").exists()
    assert result["files"] == {"index.html", "pagefind/index.json"}


def test_the_list_of_previous_files_is_trusted(tmp_path, published):
    """With the manifest's list of files, the output is not walked: a file it does not list is not deleted."""
    staging = tmp_path / "output.partial"
    staging.mkdir()
    listed = {"index.html", "a/index.html", "b/index.html"}
    result = update_in_place(str(staging), str(published), kept={"index.html"}, previous_files=listed)
    assert result["deleted"] == 2 and sorted(result["changed"]) == ["a/index.html", "b/index.html"]
    assert (published / "gone/deep/index.html").exists() and (published / "theme/main.css").exists()
    assert not (published / "a/index.html").exists() and (published / "a/index.html.gz").exists()


@pytest.mark.parametrize("listed", [True, False], ids=["listed", "walked"])
def test_a_file_where_a_folder_was(tmp_path, listed):
    final, staging = tmp_path / "output", tmp_path / "staging"
    write(final, {"notes/old.html": "a folder where a file now goes"})
    write(staging, {"notes": "now a file"})
    result = update_in_place(str(staging), str(final), kept=set(),
                             previous_files={"notes/old.html"} if listed else None)
    assert tree(final) == {"notes": "now a file"}
    assert result["replaced"] == 1 and result["files"] == {"notes"}


def test_a_folder_where_a_file_was(tmp_path):
    final, staging = tmp_path / "output", tmp_path / "staging"
    write(final, {"notes": "a file where a folder now goes"})
    write(staging, {"notes/index.html": "now a page in a folder"})
    result = update_in_place(str(staging), str(final), kept=set(), previous_files={"notes"})
    assert tree(final) == {"notes/index.html": "now a page in a folder"}
    assert result["files"] == {"notes/index.html"}

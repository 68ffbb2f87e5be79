"""Reuse the last good output's compressed copies for files whose bytes did not change.

Brotli at quality 11 costs far more than everything else precompression does, and on a rebuild almost
every page has the same bytes as before. A copy depends only on its file's bytes and on how it was made
(the recipe: gzip level, Brotli quality, the library versions), so the old `page.html.br` is exactly what
compressing the new, identical `page.html` would give, provided the old output was compressed with the
same recipe.

The record that says which recipe made the old output's copies, and which copies were left out because
they would not have been smaller, is kept beside the output folder (`output.precompress.json`, a record of
newsroom_engine's Store), not in it, so it is never published. It is tied to the output by the folder's
device and inode: the staging folder is renamed into place, which keeps its inode, and a build that fails
never becomes the output, so its entry matches nothing. Left-out copies are recorded by the SHA-256 of
their file's bytes, which stays true whichever folder the entry is later matched to.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import zlib
from dataclasses import dataclass, field

from newsroom_engine.api import Store, same_bytes

GZIP_LEVEL = 9
RECORD_VERSION = 1


def recipe(brotli_module, brotli_quality: int) -> dict | None:
    """Everything the copies' bytes depend on besides the file's own bytes; None if a part is unknown,
    which turns reuse off rather than risk copies that differ from fresh ones."""
    brotli_version = getattr(brotli_module, "__version__", None)
    if not brotli_version:
        return None
    return {"gzip": GZIP_LEVEL, "python": "%d.%d" % sys.version_info[:2], "zlib": zlib.ZLIB_RUNTIME_VERSION,
            "brotli": brotli_version, "brotli_quality": brotli_quality}


def _record(output: str) -> tuple[Store, str]:
    """The record's Store (the output's parent folder) and name, `<output>.precompress.json`."""
    folder, name = os.path.split(os.path.abspath(output).rstrip(os.sep))
    return Store(folder), name + ".precompress"


def record_path(output: str) -> str:
    store, name = _record(output)
    return store.path(name, "json")


def folder_key(folder: str) -> list[int]:
    st = os.stat(folder)
    return [st.st_dev, st.st_ino]


@dataclass
class Previous:
    """The last good output and what is known about its copies."""
    folder: str
    skipped: dict[str, dict[str, int]] = field(default_factory=dict)  # sha256 -> {ending: size not written}


def _read_entries(output: str) -> list[dict]:
    store, name = _record(output)
    # No record, or a damaged one: compress everything, which is always right.
    entries = store.load(name, RECORD_VERSION, kind="json")
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def load_previous(output: str, current_recipe: dict | None) -> Previous | None:
    """What can be reused from `output`, or None when its copies were not made with `current_recipe`."""
    if current_recipe is None or not os.path.isdir(output):
        return None
    key = folder_key(output)
    for entry in _read_entries(output):
        if entry.get("folder") == key:
            if entry.get("recipe") != current_recipe or not isinstance(entry.get("skipped"), dict):
                return None
            return Previous(os.path.abspath(output), entry["skipped"])
    return None


def save_record(output: str, folder: str, current_recipe: dict | None, skipped: dict[str, dict[str, int]]) -> None:
    """Record how `folder` (the staging folder, about to become `output`) was compressed, keeping the entry
    of the current `output` in case this build fails and `output` stays."""
    keep = folder_key(output) if os.path.isdir(output) else None
    entries = [e for e in _read_entries(output) if e.get("folder") == keep]
    for entry in entries:
        if entry.get("recipe") == current_recipe and isinstance(entry.get("skipped"), dict):
            # An incremental build moves its files into `output` instead of renaming `folder`: the
            # output's entry must learn of them. Safe either way: they are facts about bytes and recipe.
            entry["skipped"].update(skipped)
    if current_recipe is not None:
        entries.append({"folder": folder_key(folder), "recipe": current_recipe, "skipped": skipped})
    store, name = _record(output)
    store.save(name, RECORD_VERSION, entries, kind="json")


def sha256_file(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def place(old: str, new: str) -> None:
    """Put `old`'s bytes at `new`: a hard link when the file system allows it, so the copy keeps its inode
    and time for rsync and the final swap keeps it anyway; otherwise a plain copy."""
    temporary = new + ".nr-reused"
    try:
        os.link(old, temporary)
    except FileExistsError:
        os.remove(temporary)
        return place(old, new)
    except OSError:
        shutil.copyfile(old, temporary)
    os.replace(temporary, new)


def reuse_copies(path: str, relative: str, previous: Previous, endings) -> tuple[int, dict[str, int], list[str], str | None] | None:
    """Give `path` the copies its twin in the previous output has; return (size, {ending: size}, copies
    written, SHA-256 if a copy was left out) like a fresh compression would, or None when something has to
    be compressed anew."""
    old = os.path.join(previous.folder, relative)
    if not same_bytes(path, old):
        return None
    present = {e: os.path.isfile(old + e) for e in endings}
    skipped, digest = {}, None
    if not all(present.values()):
        digest = sha256_file(path)
        skipped = previous.skipped.get(digest, {})
        if not all(present[e] or e in skipped for e in endings):
            return None
    sizes, written = {}, []
    for ending in endings:
        if present[ending]:
            place(old + ending, path + ending)
            sizes[ending] = os.path.getsize(path + ending)
            written.append(path + ending)
        else:
            sizes[ending] = skipped[ending]
            if os.path.lexists(path + ending):
                os.remove(path + ending)  # a stale copy would be served instead of the file
    return os.path.getsize(path), sizes, written, digest

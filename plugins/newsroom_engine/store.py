"""Records kept between builds: one key scheme, one file format, one atomic write, and the one list of
every store the site keeps and what invalidates each.

A record is one file, `<folder>/<name>.<kind>` (kind "pickle" or "json"), holding the store's format
(FORMAT), the record's version, its scope and its value. `Store.load` gives the value only when all three
match what the caller asks for, and None when the file is missing, unreadable, of another format (every
file written before this module), another version or another scope: a record is only ever a shortcut, so
anything doubtful is worked out again. `Store.save` writes a temporary file in the same folder and renames
it over the record, so a build that stops half-way, or a value that fails to serialise, leaves the last
record whole. The version is bumped when the shape of a record's value changes; the scope is the digest
of whatever the value was worked out from, beyond what the folder's name already covers.

Every store of the site
=======================

In the content cache, `<CACHE_PATH>/content-<key>/` (caching.content_cache_path): the key is a digest of
the settings (but PLACE_SETTINGS and EnginePelican.derived_settings) and of the code (every .py under
PLUGIN_PATHS, Python's version and READING_PACKAGES' versions), so a changed setting or plugin starts with
every store below empty. The four folders used last are kept (prune_content_caches).

* `NewsroomArticlesGenerator-Readers`, `PagesGenerator-Readers`: Pelican's reader cache, in Pelican's own
  format (a pickle, gzipped with GZIP_CACHE), not through this module. Each file's metadata and HTML, by
  source path, stamped with caching.file_identity. With the Article cache on, the articles' one is kept in
  memory only and never saved.
* `articles-00.pickle` ... `articles-15.pickle` (object_cache.py, version 2, no scope): whole Articles,
  pickled as they came out of the reader, with the warnings logged while they were made, by absolute
  source path, sharded by path. An entry is used while its file's identity is unchanged; a file not read
  by a build is dropped.
* `checks-00.pickle` ... `checks-15.pickle` (newsroom_checks, version 5): each content file's check
  (problems, URL record, authors, the page's Policy) by path and file identity, sharded by path. Scope: the state of every non-Markdown file under PATH (a story may name a
  picture), by size and mtime.
* `url-history.pickle` (newsroom_checks.history, version 1): the URL changes of the articles and pages
  in git's history up to a commit, and that commit; a build whose HEAD descends from it reads only the
  commits since. Scope: the repository, the content folder in it, the sections' slugs and the settings a
  URL is made from.
* `card-plans.pickle` (newsroom_cards, version 1): each share card's text, key and path, by the headline,
  section, direction and slug it is made from. Scope: what every card shares (the recipe, the theme's
  style, the paper's name, the cards' folder).
* `related-stories.pickle` (newsroom_theme, version 1): every story's related stories, as positions.
  Scope: the published stories in order and the unlisted ones, each by source path, section and tags.
* `assets-used.json` (newsroom_assets, version 1): the theme's assets the last build's templates asked
  for, registered again at the start of the next. Scope: the theme's files, by content.
* `templates/`: Jinja's bytecode cache (Jinja's format), by template name and source.
* `template-facts.pickle` (render_cache.TemplateFacts, version 1, no scope): what each template's text
  reads from its context and which templates it names, by a digest of its text and the environment's
  syntax (so never stale); only the facts the last build used are kept.
* `cards/` directly under CACHE_PATH, beside the content folders (newsroom_cards, NEWSROOM_CARDS_CACHE):
  share cards as PNG files, `<key>-<libraries>.png`, the key a digest of everything a card shows and is
  drawn with (newsroom_cards.card_key) and `<libraries>` of the versions of Pillow and its text libraries;
  files written with `write_atomically`, not records of this module. Never stale, since a changed input
  is a new name, so it is not renamed with the settings and code; cards no article uses any more stay
  until `make clean`.
* `search-records-<output>/` (newsroom_search): the search records of the site in one output folder
  (`<output>` is a digest of its path), rendered with their pages (a record is kept exactly when its
  page's key is), and `records.json` in it (version 1, no scope): the records it holds, removed while the
  folder is being changed (the writer reads it to know a kept page's record is there, as writer.Companion's
  `listed`; without it, each record is looked for). Beside it `search-early-<output>-site/`: hard links to the records of the
  sections re-indexed so far, as the next published records will be (each link checked against the
  record and replaced when it is not the same file, every build that re-indexes its section), and
  `search-early-<output>-shards/`, the shards one build makes before publishing, removed when it ends
  (newsroom_search/early.py).

Directly under CACHE_PATH, outliving a change of settings or code:

* `url-history.pickle` (newsroom_checks.history, as in the content cache above): for `make check` and
  the pre-commit hook, which run no build and so have no content cache.

* `pages-<output>.pickle` (render_cache.py, version 4; a JSON file before): each page's key (render_cache.RenderKeys), the list
  of the output's files and the keys' memo. Scope: the output folder's absolute path. It is forgotten
  before the output is changed and saved once the new output is in place, so it always describes the
  output. A page's key covers the settings and code (as the folder's name does), the build date, the
  theme's files, the data files, every non-Markdown file under PATH, the static pages and, by template,
  the file identities and URLs of the content it shows; the memo is used only under the same site key.

Beside the output, so never published:

* `<output>.precompress.json` (newsroom_assets/reuse.py, version 1, no scope): for the output folder (by
  device and inode) and the staging folder about to replace it, the recipe their compressed copies were
  made with (gzip level, Brotli quality, library versions) and the copies left out, by file SHA-256.

In the output, published (not records of this module, but written with `write_atomically`):

* `pagefind/shards.json` (newsroom_discovery/search_shards.py): the search shards, which the search page
  reads; a bundle made with another recipe (layout version, Pagefind version, ARTICLE_SAVE_AS) is re-made
  whole.

Elsewhere: NEWSROOM_IMAGES_CACHE (`cache/images`), resized pictures named after everything they are made
from (source SHA-256, width, format, quality, newsroom_images.plan.RECIPE), so never stale.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import threading
import zlib

# The layout of a record file: bumped if (FORMAT, version, scope, value) itself changes.
FORMAT = 1
KINDS = ("pickle", "json")


def write_atomically(path: str, data: bytes | str) -> None:
    """Put `data` (text is written as UTF-8) at `path` in one rename: a reader sees the old file or the new
    one, never half of it. The folder is made if need be."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    # Named for this process and thread (workers and threads may write beside one another); opened the
    # ordinary way so the file gets the usual permissions, which a published file needs.
    temporary = f"{path}.{os.getpid()}-{threading.get_ident()}.tmp"
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.remove(temporary)
        except OSError:
            pass
        raise


def link_or_copy(source: str, target: str, mode: int | None = None) -> None:
    """Put the file `source` at `target`, replacing what is there: a hard link costs no space or time; a
    copy (given `mode`, when one is) where the two are on different file systems. The folder is made if
    need be. For files kept by name in a cache (resized pictures, share cards) and published from it."""
    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    if os.path.lexists(target):
        os.unlink(target)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
        if mode is not None:
            os.chmod(target, mode)


SHARDS = 16


def shard_of(key: str) -> int:
    """Which of a sharded record's SHARDS holds `key` (the same in every process)."""
    return zlib.crc32(key.encode("utf-8", "surrogateescape")) % SHARDS


def shard_record(name: str, shard: int) -> str:
    return f"{name}-{shard:02d}"


class Store:
    """The records kept in one folder (see the module's docstring)."""

    def __init__(self, folder: str):
        self.folder = folder

    def path(self, name: str, kind: str = "pickle") -> str:
        if kind not in KINDS:
            raise ValueError(f"a record is one of {KINDS}, not {kind!r}")
        return os.path.join(self.folder, f"{name}.{kind}")

    def load(self, name: str, version: int, *, kind: str = "pickle", scope: str | None = None):
        """The value saved under `name` with this `version` and `scope`; None when there is none."""
        path = self.path(name, kind)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
            if kind == "json":
                record = json.loads(data)
                record = tuple(record[k] for k in ("format", "version", "scope", "value"))
            else:
                record = pickle.loads(data)
            saved_format, saved_version, saved_scope, value = record
        # Whatever a damaged or foreign file raises (unpickling can raise nearly anything), it is no record.
        except Exception:  # noqa: BLE001
            return None
        if (saved_format, saved_version, saved_scope) != (FORMAT, version, scope):
            return None
        return value

    def save(self, name: str, version: int, value, *, kind: str = "pickle", scope: str | None = None) -> None:
        """Keep `value` under `name`, replacing the record there only once it is serialised and written."""
        self.prepare(name, version, value, kind=kind, scope=scope)()

    def prepare(self, name: str, version: int, value, *, kind: str = "pickle", scope: str | None = None):
        """save() in two steps: `value` is serialised now, and the returned function writes it (for a
        record that may be kept only once later work has succeeded, serialised while that work runs)."""
        path = self.path(name, kind)
        if kind == "json":
            # dumps, not dump: json.dump encodes in Python, chunk by chunk; dumps uses the C encoder.
            data = json.dumps({"format": FORMAT, "version": version, "scope": scope, "value": value}).encode()
        else:
            data = pickle.dumps((FORMAT, version, scope, value), protocol=pickle.HIGHEST_PROTOCOL)
        return lambda: write_atomically(path, data)

    # --- a value kept in SHARDS records by key (`<name>-00` ...), so that a change rewrites one of them ---

    def load_sharded(self, name: str, version: int, *, scope: str | None = None) -> dict:
        """The union of `name`'s shards (a missing or doubtful shard is empty)."""
        value: dict = {}
        for shard in range(SHARDS):
            part = self.load(shard_record(name, shard), version, scope=scope)
            if isinstance(part, dict):
                value.update(part)
        return value

    def save_sharded(self, name: str, version: int, value: dict, shards, *, scope: str | None = None) -> None:
        """Rewrite the `shards` (numbers) of `name` from `value` (a dict keyed by str, whole): the others
        are left as they are, so only the shards whose keys changed need rewriting."""
        by_shard: dict[int, dict] = {shard: {} for shard in shards}
        if not by_shard:
            return
        for key, entry in value.items():
            part = by_shard.get(shard_of(key))
            if part is not None:
                part[key] = entry
        for shard, part in sorted(by_shard.items()):
            self.save(shard_record(name, shard), version, part, scope=scope)

    def forget(self, name: str) -> None:
        """Remove the record `name`, of either kind (nothing to do when there is none)."""
        for kind in KINDS:
            try:
                os.remove(self.path(name, kind))
            except FileNotFoundError:
                pass

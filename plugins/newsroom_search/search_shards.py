"""Site search split by section: one Pagefind index (a shard) per section, merged by the search page.

Pagefind holds a whole index in memory while it writes it (it grows with the archive), and one index
means any edit re-indexes every article. So each section's articles are indexed by their own Pagefind run,
one run after another, and the build's peak is the biggest section's. The search page merges the shards in
the browser with Pagefind's `mergeIndex`: one search, results from every shard ranked by score together,
filter counts summed across shards (theme/static/search/search.js).

Layout of the bundle (`pagefind/` in the output):

    pagefind/shards.json                the manifest: which shards there are, and how they were made
    pagefind/pagefind-component-ui.js   Pagefind's UI files (and its other UIs'), once for every shard
    pagefind/sections/<section-slug>/   one section's shard: Pagefind's search engine (pagefind.js, its
                                        worker and WebAssembly) and that section's index

Every shard keeps the engine because the search page loads it from whichever shard comes first; only the
UI files are shared. A section gets a shard when at least one of its article pages carries
`data-pagefind-body` (published articles; Pagefind would index whole pages otherwise).

An incremental build re-indexes only the sections whose article pages it replaced or deleted
(`plan_refresh`); each new shard is made in a folder beside the old one and renamed into place once every
run has succeeded, so search keeps working with the old shards until then, and a failed run leaves them all.
"""

from __future__ import annotations

import glob as globbing
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata

from newsroom_engine.api import keep_unchanged_files, same_bytes, write_atomically

from .search_index import SearchIndexError, index_site, memory_folder

MANIFEST = "shards.json"
SHARDS_DIR = "sections"
# Bumped when the bundle's layout or the way shards are made changes: an older bundle is then re-made whole.
LAYOUT_VERSION = 2
BODY_MARKER = b"data-pagefind-body"
# What a shard keeps of a Pagefind run: the engine the search page loads from it and the index. The rest
# (the UI scripts and styles, the same in every run) is kept once, at the top of the bundle.
ENGINE_FILES = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
ENGINE_ENDINGS = (".pf_meta", ".pagefind")
_FIELD = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class SiteSections:
    """What sharding needs to know about the site: where articles are written and which sections exist."""
    article_save_as: str  # ARTICLE_SAVE_AS, with {category} as a whole folder name
    slugs: tuple[str, ...]  # every configured section, sorted


def pagefind_version() -> str:
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return "unknown"


def recipe(article_save_as: str) -> dict:
    """Everything besides the article pages that a shard's bytes depend on; a bundle made with another
    recipe is re-made whole (shards of two Pagefind versions cannot be merged)."""
    return {"layout": LAYOUT_VERSION, "pagefind": pagefind_version(), "article_save_as": article_save_as}


def _pattern_parts(save_as: str):
    pos = 0
    for match in _FIELD.finditer(save_as):
        yield save_as[pos:match.start()], match.group(0)
        pos = match.end()
    yield save_as[pos:], None


def section_glob(save_as: str, slug: str) -> str:
    """The Pagefind --glob for one section's article pages: "{category}/{slug}/index.html" and "europe" give
    "europe/*/index.html" (in Pagefind's globs, as in Python's, * does not cross a /)."""
    return "".join(text + (slug if name == "{category}" else "*" if name else "") for text, name in _pattern_parts(save_as))


def article_pattern(save_as: str) -> re.Pattern:
    """A regular expression matching exactly the paths `section_glob` matches for some section, with the
    section's slug as the group "section"."""
    parts = []
    for text, name in _pattern_parts(save_as):
        parts.append(re.escape(text))
        if name == "{category}":
            parts.append("(?P<section>[^/]+)")
        elif name:
            parts.append("[^/]+")
    return re.compile("".join(parts))


def sections_changed(changes, pattern: re.Pattern, known: set[str]) -> set[str]:
    """The sections among `known` with an article page in `changes` (output paths replaced or deleted).

    Pages that match no section's glob are never read by Pagefind (listings, tag and author pages, feeds,
    pictures), so they do not touch the index whatever they are. A page matching the glob for a name that is
    not a section, now or in the last bundle (`author/<name>/index.html` has the shape of an article page),
    is in no shard either."""
    found = set()
    for path in changes:
        match = pattern.fullmatch(path.replace("\\", "/"))
        if match and match.group("section") in known:
            found.add(match.group("section"))
    return found


@dataclass(frozen=True)
class Plan:
    everything: bool  # re-make the whole bundle
    sections: frozenset = frozenset()  # else re-index these (each keeps, gains or loses its shard)
    reason: str = ""


def plan_refresh(changes, manifest: dict | None, current_recipe: dict, sections: SiteSections) -> Plan:
    """What an incremental build must re-index, given the output files it replaced or deleted (None: not
    known) and the last bundle's manifest (None: none, or unreadable). When in doubt, everything."""
    if changes is None:
        return Plan(True, reason="the build did not say what it changed")
    if manifest is None:
        return Plan(True, reason="there is no usable search bundle yet")
    if manifest.get("recipe") != current_recipe:
        return Plan(True, reason="the bundle was made another way (Pagefind version, layout or ARTICLE_SAVE_AS)")
    old = {shard["section"] for shard in manifest["shards"]}
    touched = sections_changed(changes, article_pattern(sections.article_save_as), old | set(sections.slugs))
    # A section that is no longer configured loses its shard even if, oddly, none of its pages changed.
    touched |= old - set(sections.slugs)
    return Plan(False, frozenset(touched))


def read_manifest(bundle: str) -> dict | None:
    """The manifest of the bundle in `bundle`, or None if it is missing, damaged or names a shard folder
    that is not there."""
    try:
        with open(os.path.join(bundle, MANIFEST), encoding="utf-8") as f:
            data = json.load(f)
        shards = data["shards"]
        if not isinstance(data.get("recipe"), dict) or not all(
                isinstance(s["section"], str) and s["bundle"] == shard_path(s["section"]) for s in shards):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not all(os.path.isfile(os.path.join(bundle, s["bundle"], "pagefind-entry.json")) for s in shards):
        return None
    return data


def shard_path(slug: str) -> str:
    """A shard's folder, relative to the bundle, as the manifest and the search page name it."""
    return f"{SHARDS_DIR}/{slug}/"


def manifest_text(current_recipe: dict, slugs) -> str:
    # The search page reads `shards` (in this order: the first one's engine is the one it loads); the
    # build reads the rest.
    shards = [{"section": slug, "bundle": shard_path(slug)} for slug in sorted(slugs)]
    return json.dumps({"version": LAYOUT_VERSION, "recipe": current_recipe, "shards": shards},
                      indent=1, sort_keys=True) + "\n"


def write_manifest(bundle: str, text: str) -> None:
    # Replaced in one rename, so the search page never reads half a manifest.
    write_atomically(os.path.join(bundle, MANIFEST), text)


def has_searchable_page(site_dir: str, pattern: str) -> bool:
    """Whether a page matching `pattern` carries data-pagefind-body. Without one, Pagefind would index the
    section's pages whole (hidden articles included); usually the first page read answers, so the pages are
    found one at a time (the answer does not depend on their order)."""
    for path in globbing.iglob(os.path.join(globbing.escape(site_dir), pattern)):
        with open(path, "rb") as f:
            if BODY_MARKER in f.read():
                return True
    return False


def is_engine_file(name: str) -> bool:
    return name in ENGINE_FILES or name.endswith(ENGINE_ENDINGS)


def split_run(run_output: str, bundle: str) -> None:
    """Move the UI files of one Pagefind run's output to the top of `bundle` (the first run's are kept:
    every run writes the same ones) and leave the engine and the index where they are."""
    for name in sorted(os.listdir(run_output)):
        path = os.path.join(run_output, name)
        if os.path.isdir(path) or is_engine_file(name):
            continue
        target = os.path.join(bundle, name)
        if os.path.exists(target):
            os.remove(path)
        else:
            shutil.move(path, target)  # (from the memory folder: another file system)


def bring_over(run_output: str, target: str, previous: str | None) -> None:
    """Put one run's shard, written into memory, at `target` on disk: a file with the same bytes as the
    previous shard's (`previous`, None for none) as a hard link to it, so it keeps its inode and time as
    swap_folder would make it, and every other file as a copy. An edit changes a few of a shard's
    files, so only those are made on disk. (`target` is made here: nothing is there to replace.)"""
    for dirpath, _, names in os.walk(run_output):
        relative = os.path.relpath(dirpath, run_output)
        folder = os.path.normpath(os.path.join(target, relative))
        os.makedirs(folder, exist_ok=True)
        old_folder = os.path.join(previous, relative) if previous else None
        for name in names:
            new, made = os.path.join(dirpath, name), os.path.join(folder, name)
            if old_folder is not None and same_bytes(new, os.path.join(old_folder, name)):
                try:
                    os.link(os.path.join(old_folder, name), made)
                    continue
                except OSError:  # another file system, or no hard links: a copy
                    pass
            shutil.copyfile(new, made)


@dataclass
class Runs:
    """The Pagefind runs of one refresh, for the log."""
    seconds: dict[str, float] = field(default_factory=dict)  # section -> seconds its run took
    empty: list[str] = field(default_factory=list)  # sections with nothing to search
    early: bool = False  # run while the build was still writing the site (early.py)

    def summary(self) -> str:
        total = sum(self.seconds.values())
        slowest = max(self.seconds.items(), key=lambda kv: kv[1], default=None)
        text = f"{len(self.seconds)} section(s) in {total:.2f} s" + (
            ", started while the site was being written" if self.early else "")
        return text + (f" (slowest: {slowest[0]}, {slowest[1]:.2f} s)" if slowest and len(self.seconds) > 1 else "")


def index_sections(site_dir: str, bundle: str, sections: SiteSections, slugs, timeout: int, suffix: str = "",
                   run=index_site, workers: int = 1, previous: str | None = None) -> Runs:
    """Index each of `slugs` into `bundle`/sections/<slug><suffix>, at most `workers` Pagefind runs at a
    time, so only that many indexes are in memory at once. Sections with nothing to search get no folder.
    Raises SearchIndexError naming the first section (in order) whose run failed (the folders made so far
    stay for the caller to remove). `run` is search_index.index_site or a stand-in with its signature.

    `previous`: the published bundle, when the sections are re-indexed after an edit. Pagefind then writes
    each shard into memory (search_index.memory_folder), where making its hundreds of files costs little,
    and only the files that differ from the published shard's are copied into `bundle` (bring_over)."""
    runs = Runs()
    os.makedirs(os.path.join(bundle, SHARDS_DIR), exist_ok=True)
    planned = []
    for slug in sorted(slugs):
        pattern = section_glob(sections.article_save_as, slug)
        if not has_searchable_page(site_dir, pattern):
            runs.empty.append(slug)
            continue
        target = os.path.join(bundle, SHARDS_DIR, slug + suffix)
        shutil.rmtree(target, ignore_errors=True)
        planned.append((slug, pattern, target))
    memory = memory_folder() if previous is not None and planned else None
    scratch = tempfile.mkdtemp(prefix="newsroom-search-", dir=memory) if memory else None
    # A re-index after an edit: a section or two, whose allocator keeps freed memory (search_index.py).
    options = {} if previous is None else {"return_memory": False}
    try:
        # Threads only wait for Pagefind's processes; each run's output is split in this thread, in order.
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            outputs = [os.path.join(scratch, slug) if scratch else target for slug, _, target in planned]
            started = [(slug, target, output, pool.submit(run, site_dir, timeout, output_path=output, glob=pattern, **options))
                       for (slug, pattern, target), output in zip(planned, outputs)]
            for slug, target, output, future in started:
                try:
                    runs.seconds[slug] = future.result()
                except SearchIndexError as e:
                    for *_, other in started:
                        other.cancel()
                    raise SearchIndexError(f"section {slug}: {e}") from None
                split_run(output, bundle)
                if scratch:
                    bring_over(output, target, os.path.join(previous, SHARDS_DIR, slug))
                    shutil.rmtree(output, ignore_errors=True)
                elif previous is not None:
                    keep_unchanged_files(target, os.path.join(previous, SHARDS_DIR, slug))
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    return runs


def build_bundle(site_dir: str, bundle: str, sections: SiteSections, timeout: int, run=index_site,
                 workers: int = 1) -> Runs:
    """Make the whole bundle in `bundle`, a folder that does not exist yet."""
    os.makedirs(bundle)
    runs = index_sections(site_dir, bundle, sections, sections.slugs, timeout, run=run, workers=workers)
    write_manifest(bundle, manifest_text(recipe(sections.article_save_as), runs.seconds))
    return runs


def swap_folder(fresh: str, current: str) -> None:
    """Put `fresh` in place of `current`; files with the same bytes as before keep their inode and mtime,
    as the rest of the site does, so a deploy uploads only the index files that changed."""
    old = current.rstrip(os.sep) + ".old"
    shutil.rmtree(old, ignore_errors=True)
    if os.path.isdir(current):
        keep_unchanged_files(fresh, current)
        os.rename(current, old)
    os.rename(fresh, current)
    shutil.rmtree(old, ignore_errors=True)


def refresh_sections(site_dir: str, bundle: str, sections: SiteSections, slugs, timeout: int, manifest: dict,
                     run=index_site, workers: int = 1, prepared=None) -> Runs:
    """Re-index `slugs` in the existing `bundle`: new shards are made beside the old ones (<slug>.next) and
    swapped in only once every run has succeeded, then the manifest names the shards there now.
    `prepared`: a callable giving the same sections already indexed from the same records (early.py), as
    (folder holding sections/<slug>, runs), moved in instead of indexed again; None when there are none."""
    runs = Runs()
    try:
        early = prepared() if prepared is not None else None
        if early is None:
            runs = index_sections(site_dir, bundle, sections, slugs, timeout, suffix=".next", run=run, workers=workers,
                                  previous=bundle)
        else:
            folder, runs = early
            runs.early = True
            for slug in runs.seconds:
                target = os.path.join(bundle, SHARDS_DIR, slug + ".next")
                shutil.rmtree(target, ignore_errors=True)
                shutil.move(os.path.join(folder, SHARDS_DIR, slug), target)
    except SearchIndexError:
        for slug in slugs:
            shutil.rmtree(os.path.join(bundle, SHARDS_DIR, slug + ".next"), ignore_errors=True)
        raise
    shards_dir = os.path.join(bundle, SHARDS_DIR)
    for slug in runs.seconds:
        swap_folder(os.path.join(shards_dir, slug + ".next"), os.path.join(shards_dir, slug))
    kept = {s["section"] for s in manifest["shards"]} - set(slugs)
    write_manifest(bundle, manifest_text(manifest["recipe"], kept | set(runs.seconds)))
    # Only once the manifest no longer names them: the shards of sections left with nothing to search.
    for slug in runs.empty:
        shutil.rmtree(os.path.join(shards_dir, slug), ignore_errors=True)
    return runs


def remove_strays(bundle: str, manifest_slugs) -> list[str]:
    """Delete folders under sections/ that the manifest does not name (left by an interrupted build)."""
    shards_dir = os.path.join(bundle, SHARDS_DIR)
    strays = sorted(set(os.listdir(shards_dir)) - set(manifest_slugs)) if os.path.isdir(shards_dir) else []
    for name in strays:
        shutil.rmtree(os.path.join(shards_dir, name), ignore_errors=True)
    return strays

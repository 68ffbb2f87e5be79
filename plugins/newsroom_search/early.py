"""Re-indexing a changed section while the rest of the site is still being written.

An incremental build knows which search records changed as soon as its article pages are written (the
engine calls the records companion's `ready` then; Pelican writes the articles before any list), long
before the site is published and the records with it. So the sections whose records changed are indexed
at that point: each section's records as they will be once published (this build's where it rendered
one, the kept ones otherwise) are handed to Pagefind, in processes of their own, waited for by a thread of
the build, while the lists, feeds and sitemaps are written. Pagefind reads them from a folder beside the
kept records (`search-early-<output>-site/`) holding hard links to them, kept between builds so
that only the links of changed records are replaced (a folder per record is slow to make and remove). When the site is published, `refresh_search_index` moves the finished shards in instead of
running Pagefind then.

Only an exact match is used: the records published must be the ones indexed (no record rendered after the
early start, the same records expected) and the sections to re-index the same; otherwise the early shards
are thrown away and the sections are indexed after publishing, as without this. Nothing here touches the
output: a failed build leaves the old index, and the early folder is removed.
"""

from __future__ import annotations

import glob as globbing
import os
import shutil
import sys
import threading

from newsroom_engine.api import Store, same_bytes

from .search_shards import (SHARDS_DIR, Plan, Runs, SiteSections, article_pattern, index_sections, plan_refresh, read_manifest,
                            recipe, section_glob)
from .records import CACHE_PREFIX
from .search_index import SearchIndexError

EARLY_PREFIX = "search-early-"  # beside the kept records (search-records-<output>), in the build's cache
# The thread that starts Pagefind needs the interpreter's lock between its steps, and each time waits up to
# the switch interval for the build's thread, busy writing the lists, to let go of it; so Pagefind would
# start only after many such waits. While the early index runs the interval is this short instead: when no
# other thread asks for the lock (the build's thread is alone while Pagefind works), it changes nothing.
SWITCH_INTERVAL = 0.0005


def early_folders(published: str) -> tuple[str, str]:
    """For the kept records in `published`: the folder of the records as Pagefind reads them (kept between
    builds) and the folder of one build's early shards."""
    base = os.path.join(os.path.dirname(published), EARLY_PREFIX + os.path.basename(published)[len(CACHE_PREFIX):])
    return base + "-site", base + "-shards"


def staged_records(folder: str) -> dict[str, tuple[int, int]]:
    """The records rendered into `folder`: relative path -> (size, mtime_ns)."""
    found = {}
    for dirpath, _, names in os.walk(folder):
        rel = os.path.relpath(dirpath, folder)
        for name in names:
            st = os.stat(os.path.join(dirpath, name))
            found[name if rel == "." else os.path.join(rel, name).replace(os.sep, "/")] = (st.st_size, st.st_mtime_ns)
    return found


def link(source: str, target: str) -> None:
    """Make `target` a hard link to `source`, unless it already is one."""
    try:
        if os.path.samestat(os.stat(source), os.stat(target)):
            return
        os.unlink(target)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
    os.link(source, target)


class EarlyIndex:
    """One build's early re-indexing (see the module's docstring)."""

    def __init__(self, records, bundle: str, config, sections: SiteSections, run):
        self.records, self.bundle, self.config, self.sections = records, bundle, config, sections
        self.run = run
        self.site, self.folder = early_folders(records.published)
        self.plan: Plan | None = None
        self.staged: dict | None = None
        self.expected: frozenset = frozenset()
        self.thread: threading.Thread | None = None
        self.runs: Runs | None = None
        self.error: Exception | None = None

    def start(self) -> None:
        """The records companion's `ready`: work out what changed and start Pagefind on it, or do nothing
        when the after-publish refresh would index everything or nothing."""
        records = self.records
        old = records.listed() if records.listed is not None and os.path.isdir(records.published) else None
        manifest = read_manifest(self.bundle)
        if old is None or manifest is None:
            return
        staged = staged_records(records.staging)
        changes = [rel for rel in staged
                   if not same_bytes(os.path.join(records.staging, rel), os.path.join(records.published, rel))]
        changes += sorted(old - records.expected)
        plan = plan_refresh(changes, manifest, recipe(self.sections.article_save_as), self.sections)
        if plan.everything or not plan.sections:
            return
        site = self.site
        try:
            self._gather(site, staged, plan.sections)
        except OSError:  # no hard links here, say: the sections are indexed after publishing instead
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        self.plan, self.staged, self.expected = plan, staged, frozenset(records.expected)
        self.thread = threading.Thread(target=self._index, args=(site, sys.getswitchinterval()),
                                       name="newsroom-search-early", daemon=True)
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
        self.thread.start()

    def _gather(self, site: str, staged, slugs) -> None:
        """Make `site` hold every record of `slugs` as it will be published, as hard links. The folder is
        kept from build to build (making and removing a folder per record costs more than Pagefind's
        run), so only the links of records that changed are replaced and those of records gone removed."""
        shutil.rmtree(self.folder, ignore_errors=True)
        pattern = article_pattern(self.sections.article_save_as)
        wanted = set()
        for name in self.records.expected:
            match = pattern.fullmatch(name)
            if match and match.group("section") in slugs:
                wanted.add(name)
                source = os.path.join(self.records.staging if name in staged else self.records.published, name)
                link(source, os.path.join(site, name))
        for slug in slugs:
            glob = section_glob(self.sections.article_save_as, slug)
            for path in globbing.glob(os.path.join(globbing.escape(site), glob)):
                if os.path.relpath(path, site).replace(os.sep, "/") not in wanted:
                    os.unlink(path)
        os.makedirs(site, exist_ok=True)

    def _index(self, site: str, switch_interval: float) -> None:
        # No logging here: the build's process may fork render workers meanwhile.
        try:
            bundle = os.path.join(self.folder, "bundle")
            # Files equal to the published shard's are links to them (what swapping the shard in would
            # otherwise do first), so they keep their inode and time.
            self.runs = index_sections(site, bundle, self.sections, self.plan.sections, self.config.timeout,
                                       run=self.run, workers=self.config.workers, previous=self.bundle)
        except Exception as e:  # noqa: BLE001 - reported when the build asks for the shards
            self.error = e
        finally:
            sys.setswitchinterval(switch_interval)

    def still_matches(self) -> bool:
        """Before the records are published: the early run read exactly the records being published."""
        return (self.thread is not None and self.expected == self.records.expected
                and staged_records(self.records.staging) == self.staged)

    def shards(self, plan: Plan) -> tuple[str, Runs] | None:
        """(folder, runs) of the early shards (in folder/sections/<slug>) if they are what `plan` needs;
        None otherwise. Waits for Pagefind; raises SearchIndexError if a run failed."""
        if self.thread is None or plan.everything or plan.sections != self.plan.sections:
            return None
        self.thread.join()
        if self.error is not None:
            if isinstance(self.error, SearchIndexError):
                raise self.error
            raise SearchIndexError(f"{type(self.error).__name__}: {self.error}")
        return os.path.join(self.folder, "bundle"), self.runs

    def discard(self) -> None:
        """Wait for any Pagefind run still going and remove the early folder."""
        if self.thread is not None:
            self.thread.join()
        shutil.rmtree(self.folder, ignore_errors=True)


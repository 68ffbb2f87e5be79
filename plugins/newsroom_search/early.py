"""Re-indexing a changed section while the rest of the site is still being written.

An incremental build knows which search records changed long before the site is published and the
records with it: as soon as the article pages of the edited files are written. The engine visits those
first and then calls the records companion's `likely_ready` (EarlyIndex.start_likely); it calls `ready`
(EarlyIndex.start) once every article page is written (Pelican writes the articles before any list). At
the first of the two that finds changed records, the sections whose records changed are indexed: each
section's records as they will be once published (this build's where it rendered one, the kept ones
otherwise) are handed to Pagefind, in processes of their own, waited for by a thread of the build, while
the rest of the site is written. Pagefind reads them from a folder beside the kept records
(`search-early-<output>-site/`) holding hard links to them, kept between builds so that only the links of
changed records are replaced (a folder per record is slow to make and remove). When the site is published,
`refresh_search_index` moves the finished shards in instead of running Pagefind then.

At `likely_ready` the build has not yet visited the other article pages, so which records the site will
have is a guess: the last build's, with this build's rendered ones. At `ready` it is known: if the guess
was right and the records rendered since are the ones Pagefind read, the attempt stands; otherwise a second
one starts from what is there then (an edit that changed other articles' records too, or a story deleted
or unpublished).

Only an exact match is used: the records published must be the ones indexed (the same records expected,
and every record rendered after the attempt started the same bytes as it read) and the sections to
re-index the same; otherwise the early shards are thrown away and the sections are indexed after
publishing, as without this. Nothing here touches the output: a failed build leaves the old index, and the
early folders are removed.
"""

from __future__ import annotations

import glob as globbing
import os
import shutil
import sys
import threading
from dataclasses import dataclass

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


def early_folders(published: str, attempt: int = 1) -> tuple[str, str]:
    """For the kept records in `published`: the folder of the records as Pagefind reads them (kept between
    builds) and the folder of one build's early shards (of its first attempt, or of the `attempt`th)."""
    base = os.path.join(os.path.dirname(published), EARLY_PREFIX + os.path.basename(published)[len(CACHE_PREFIX):])
    return base + "-site", base + ("-shards" if attempt == 1 else f"-{attempt}-shards")


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


@dataclass
class Attempt:
    """One start of Pagefind on what the records were then."""
    plan: Plan
    staged: dict  # the records rendered by then: relative path -> (size, mtime_ns)
    expected: frozenset  # the records the site was taken to have
    folder: str  # its shards: folder/bundle/sections/<slug>
    thread: threading.Thread | None = None
    runs: Runs | None = None
    error: Exception | None = None


class EarlyIndex:
    """One build's early re-indexing (see the module's docstring)."""

    def __init__(self, records, bundle: str, config, sections: SiteSections, run):
        self.records, self.bundle, self.config, self.sections = records, bundle, config, sections
        self.run = run
        self.site, _ = early_folders(records.published)
        self.attempts: list[Attempt] = []
        self.lock = threading.Lock()
        self.running = 0
        self.switch_interval = sys.getswitchinterval()

    @property
    def current(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    def start_likely(self) -> None:
        """The records companion's `likely_ready`: start on the records the edited files' pages rendered,
        taking the rest to be the last build's."""
        listed = self._listed()
        if listed is not None:
            self._attempt(frozenset(listed) | frozenset(staged_records(self.records.staging)))

    def start(self) -> None:
        """The records companion's `ready`: start on what changed, unless an attempt started from exactly
        these records; or do nothing when the after-publish refresh would index everything or nothing."""
        if self.current is not None and self.matches(self.current):
            return
        self._attempt(frozenset(self.records.expected))

    def _listed(self) -> set[str] | None:
        records = self.records
        return records.listed() if records.listed is not None and os.path.isdir(records.published) else None

    def _attempt(self, expected: frozenset) -> None:
        records = self.records
        old = self._listed()
        manifest = read_manifest(self.bundle)
        if old is None or manifest is None:
            return
        staged = staged_records(records.staging)
        changes = [rel for rel in staged
                   if not same_bytes(os.path.join(records.staging, rel), os.path.join(records.published, rel))]
        changes += sorted(old - expected)
        plan = plan_refresh(changes, manifest, recipe(self.sections.article_save_as), self.sections)
        if plan.everything or not plan.sections:
            return
        attempt = Attempt(plan, staged, expected, early_folders(records.published, len(self.attempts) + 1)[1])
        try:
            self._gather(attempt, self.site, staged, expected, plan.sections)
        except OSError:  # no hard links here, say: the sections are indexed after publishing instead
            shutil.rmtree(attempt.folder, ignore_errors=True)
            return
        self.attempts.append(attempt)
        attempt.thread = threading.Thread(target=self._index, args=(attempt, self.site),
                                          name="newsroom-search-early", daemon=True)
        with self.lock:
            if not self.running:
                self.switch_interval = sys.getswitchinterval()
                sys.setswitchinterval(min(self.switch_interval, SWITCH_INTERVAL))
            self.running += 1
        attempt.thread.start()

    def _gather(self, attempt: Attempt, site: str, staged, expected, slugs) -> None:
        """Make `site` hold every record of `slugs` as it will be published, as hard links. The folder is
        kept from build to build (making and removing a folder per record costs more than Pagefind's
        run), so only the links of records that changed are replaced and those of records gone removed."""
        shutil.rmtree(attempt.folder, ignore_errors=True)
        pattern = article_pattern(self.sections.article_save_as)
        wanted = set()
        for name in expected:
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

    def _index(self, attempt: Attempt, site: str) -> None:
        # No logging here: the build's process may fork render workers meanwhile.
        try:
            bundle = os.path.join(attempt.folder, "bundle")
            # Files equal to the published shard's are links to them (what swapping the shard in would
            # otherwise do first), so they keep their inode and time.
            attempt.runs = index_sections(site, bundle, self.sections, attempt.plan.sections, self.config.timeout,
                                          run=self.run, workers=self.config.workers, previous=self.bundle)
        except Exception as e:  # noqa: BLE001 - reported when the build asks for the shards
            attempt.error = e
        finally:
            with self.lock:
                self.running -= 1
                if not self.running:
                    sys.setswitchinterval(self.switch_interval)

    def matches(self, attempt: Attempt) -> bool:
        """The attempt read exactly the records the site has now: the same records expected, none it read
        from the staging folder rendered again since, and any rendered since with the published bytes
        (a page rendered again for its links, say: Pagefind read the same record from the published ones)."""
        if attempt.expected != self.records.expected:
            return False
        records, now = self.records, staged_records(self.records.staging)
        if not attempt.staged.keys() <= now.keys():
            return False
        for rel, stamp in now.items():
            if rel in attempt.staged:
                if attempt.staged[rel] != stamp:
                    return False
            elif not same_bytes(os.path.join(records.staging, rel), os.path.join(records.published, rel)):
                return False
        return True

    def still_matches(self) -> bool:
        """Before the records are published: the last attempt read exactly the records being published."""
        return self.current is not None and self.current.thread is not None and self.matches(self.current)

    def shards(self, plan: Plan) -> tuple[str, Runs] | None:
        """(folder, runs) of the last attempt's shards (in folder/sections/<slug>) if they are what `plan`
        needs; None otherwise. Waits for Pagefind; raises SearchIndexError if a run failed."""
        attempt = self.current
        if attempt is None or attempt.thread is None or plan.everything or plan.sections != attempt.plan.sections:
            return None
        attempt.thread.join()
        if attempt.error is not None:
            if isinstance(attempt.error, SearchIndexError):
                raise attempt.error
            raise SearchIndexError(f"{type(attempt.error).__name__}: {attempt.error}")
        return os.path.join(attempt.folder, "bundle"), attempt.runs

    def discard(self) -> None:
        """Wait for any Pagefind run still going and remove the early folders."""
        for attempt in self.attempts:
            if attempt.thread is not None:
                attempt.thread.join()
            shutil.rmtree(attempt.folder, ignore_errors=True)

"""Reading the source files on every core: the content cache is filled by worker processes first.

Pelican reads (Markdown-converts) files one after another in one process; a cold build of a big archive
spends about a third of its time there. Its content cache (CACHE_CONTENT, the "reader" layer) stores
exactly what a reader returns for a file. So before a content generator reads anything, this module
forks workers that run the same readers over the files the cache does not have yet and hands their
results to the generator's cache; the generator then finds every file cached. Everything after reading
(the Content objects, the plugins' signals) still happens in the build's own process, in Pelican's order,
so the result is the same as a one-process build (tests/test_incremental.py compares the two).

A file a worker cannot read is left out of the cache: the generator reads it again and reports the
problem as usual. Warnings and errors a worker logs are sent back and logged by the build's process, so
they are shown, and an error still fails the build.
"""

from __future__ import annotations

import logging
import multiprocessing
import os

from pelican.generators import ArticlesGenerator
from pelican.urlwrappers import URLWrapper

from .object_cache import article_cache_of
from .pelican_compat import file_stamp, reader_cache_has, reader_cache_put, reader_metadata
from .settings import PLUGIN, build_workers

logger = logging.getLogger(__name__)

# Forking a worker has a cost; below this many uncached files one process is as fast (make bench).
MIN_FILES = 64
CHUNK = 48

_READERS = None  # the generator's Readers, inherited by the forked workers


class WorkerLog(logging.Handler):
    """In a forked worker: keeps the warnings and errors it logs, as plain text, to send to the parent."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        record.msg, record.args = record.getMessage(), None  # plain text survives pickling
        record.exc_info = record.exc_text = None
        self.records.append(record)


def _read_chunk(paths: list[str]):
    readers = _READERS
    records = WorkerLog()
    logging.getLogger().addHandler(records)
    results = []
    try:
        for path in paths:
            try:
                reader = readers.readers[os.path.splitext(path)[1][1:]]
                content, metadata = reader.read(path)
                results.append((path, file_stamp(readers, path), content, reader_metadata(metadata)))
            except Exception:  # noqa: BLE001 - the build's process reads it again and reports it properly
                continue
    finally:
        logging.getLogger().removeHandler(records)
    return results, records.records


def own_settings(metadata: dict, settings: dict) -> None:
    """Point the sections, tags and authors a worker sent back at the build's settings. Each came with a
    copy of the settings (one per chunk of files), which would otherwise be kept, and pickled, with them."""
    for value in metadata.values():
        for item in value if isinstance(value, list) else (value,):
            if isinstance(item, URLWrapper):
                item.settings = settings


def uncached(generator, paths, exclude) -> list[str]:
    """Files neither cache has: the reader cache, or the article cache (object_cache.py) with an entry
    made from the file as it is now. A file changed since the reader cache stored it is left to Pelican."""
    readers = generator.readers
    articles = article_cache_of(generator) if getattr(generator, "uses_article_cache", False) else None
    wanted = []
    for relative in sorted(generator.get_files(paths, exclude=exclude)):
        path = os.path.abspath(os.path.join(generator.path, relative))
        if (os.path.splitext(path)[1][1:] in readers.readers and not reader_cache_has(readers, path)
                and not (articles is not None and articles.valid(path))):
            wanted.append(path)
    return wanted


def prefill(generator, paths, exclude) -> int:
    """Read the generator's uncached files in worker processes into its content cache; return how many."""
    global _READERS
    settings = generator.settings
    if not (settings.get("CACHE_CONTENT") and settings.get("CONTENT_CACHING_LAYER") == "reader"):
        return 0
    workers = build_workers(settings)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    todo = uncached(generator, paths, exclude)
    if len(todo) < MIN_FILES:
        return 0
    chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
    _READERS = generator.readers
    filled = 0
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for results, records in pool.imap_unordered(_read_chunk, chunks):
                for path, stamp, content, metadata in results:
                    own_settings(metadata, settings)
                    reader_cache_put(generator.readers, path, stamp, content, metadata)
                    filled += 1
                for record in records:
                    logging.getLogger(record.name).handle(record)
    finally:
        _READERS = None
    logger.debug("%s: %d file(s) read on %d worker(s)", PLUGIN, filled, workers)
    generator.__dict__["_newsroom_read_in_parallel"] = filled
    return filled


def parallel_report(generator) -> dict:
    """How many of the generator's files worker processes read this build; {} when none did."""
    filled = generator.__dict__.get("_newsroom_read_in_parallel")
    return {} if filled is None else {"files_read_in_parallel": filled}


def prefill_generator(generator) -> None:
    """Read the files of an articles or pages generator that the caches lack, on every core."""
    kind = "ARTICLE" if isinstance(generator, ArticlesGenerator) else "PAGE"
    prefill(generator, generator.settings[f"{kind}_PATHS"], generator.settings[f"{kind}_EXCLUDES"])

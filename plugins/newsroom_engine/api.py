"""The build engine's public face: the only module of newsroom_engine that plugins import.

How a build runs (EnginePelican, PELICAN_CLASS's base):

1. The engine connects its own receivers before any plugin registers (receivers.py): the Markdown reader,
   file stamps, reading on every core, URL memos. Plugin order does not matter to them.
2. `check_content()` (the content model's hook) validates the content before anything is written;
   `shown_everywhere()` (another hook) names what every page shows by the clock, for every page's key.
3. Pelican's generators read and write. The writer keeps every page whose inputs are unchanged since the
   last good output, renders the first page of each template at once and queues the rest for worker
   processes; files a plugin writes itself can be kept the same way (`reuse_files`), and a plugin can
   ask for a companion file beside some pages (`add_companion`).
   The article pages of files new or edited since the last build are visited first; once they are
   written, a companion's `likely_ready()` is called (after an edit, usually every companion that
   changed is there by then). Once every article page is written (Pelican writes them before any list),
   its `ready()` is called: work that needs only the companions can start while the rest is written.
4. The queued pages are rendered by the last generator of the run, so every plugin's `finalized`
   receiver reads a complete site in the staging folder. Then the `when_written` work runs (the last
   word on the staging folder: precompression).
5. If no error was logged, the staging folder replaces the output (whole, or only what changed), the
   `after_publish` work runs on the published output (the search index), and the page manifest is saved.
   A failed build runs the `if_failed` work instead (the clean-up of what a plugin started).

What a build keeps for the next one is a record of a Store (store.py, whose docstring lists every store
of the site and what invalidates each): `store(settings)` gives this build's, `write_atomically` writes
any other file in one rename.

Everything here takes the object a receiver is given (the Pelican object, a writer or the settings).
"""

from __future__ import annotations

from .build import EnginePelican, EngineRun
from .caching import file_identity
from .object_cache import cached_receiver
from .output import keep_unchanged_files, same_bytes, update_in_place
from .pelican_compat import PelicanVersionError, replace_story_html, replace_summary_html, story_html
from .render_cache import DYNAMIC as DYNAMIC_TEMPLATE
from .render_cache import referenced_names, tree_state
from .settings import BuildFailedError, EngineSettingsError
from .store import Store, link_or_copy, shard_of, write_atomically
from .writer import Companion, NewsroomWriter

__all__ = [
    "BuildFailedError", "Companion", "DYNAMIC_TEMPLATE", "EnginePelican", "EngineSettingsError",
    "PelicanVersionError", "Store", "add_companion", "after_publish", "build_report", "cache_folder",
    "cached_receiver", "file_identity", "if_failed", "keep_unchanged_files", "link_or_copy", "preserve_output", "preserved_output",
    "queue_work", "referenced_names", "replace_story_html", "replace_summary_html", "reuse_files", "same_bytes",
    "shard_of", "store", "story_html", "tree_state", "update_in_place", "when_written", "write_atomically",
]


def _run(pelican) -> EngineRun | None:
    run = getattr(pelican, "engine_run", None)
    return run if isinstance(run, EngineRun) else None


def is_engine(pelican) -> bool:
    """True when `pelican` is a run of this engine (PELICAN_CLASS is EnginePelican or a subclass)."""
    return isinstance(pelican, EnginePelican)


def _change_run(pelican, change) -> bool:
    """Apply `change` to this engine run; False (and nothing changed) outside an engine run."""
    run = _run(pelican)
    if run is None:
        return False
    change(run)
    return True


def when_written(pelican, work) -> bool:
    """Run `work(staging_folder)` after every plugin's `finalized` receiver, before the site is published.
    Errors it logs fail the build. False (and nothing queued) outside an engine run."""
    return _change_run(pelican, lambda run: run.when_written.append(work))


def after_publish(pelican, work) -> bool:
    """Run `work(output_folder)` once this build's output is in place (work that reads the published site,
    as refreshing the search index from what changed does). An exception it raises fails the build, with
    its message; the page manifest is then not saved, so the next build does the work again."""
    return _change_run(pelican, lambda run: run.after_publish.append(work))


def if_failed(pelican, work) -> bool:
    """Run `work()` if this build fails (an error logged or raised), once its staging folder is removed:
    the clean-up of work a plugin started during the build. An exception it raises is only logged."""
    return _change_run(pelican, lambda run: run.if_failed.append(work))


def preserve_output(pelican, prefix: str) -> bool:
    """Leave the output's files under `prefix` (a folder, "name/") alone: `after_publish` work updates them."""
    return _change_run(pelican, lambda run: run.preserve.add(prefix))


def preserved_output(pelican) -> list[str]:
    """The prefixes `preserve_output` was given this run, in order."""
    run = _run(pelican)
    return sorted(run.preserve) if run else []


def add_companion(pelican, companion: Companion) -> bool:
    """Render `companion` beside the pages it wants (see writer.Companion). False outside an engine run."""
    return _change_run(pelican, lambda run: run.companions.append(companion))


def reuse_files(writer, paths: list[str], kind: str, items, *extra) -> bool:
    """For files a generator writes itself (the feeds): True when `paths` are kept from the last good
    output because their key (`kind`, the state of each of `items`, and `extra`) is unchanged; False means
    the caller writes them."""
    if not isinstance(writer, NewsroomWriter):
        return False
    return writer.reuse_files(paths, kind, items, *extra)


def cache_folder(settings: dict) -> str | None:
    """During a build with the caches on: the folder for caches kept between builds, named after these
    settings and this code (so a changed setting or plugin starts afresh). None with the caches off."""
    if not settings.get("CACHE_CONTENT"):
        return None
    return settings.get("CACHE_PATH")


def store(settings: dict) -> Store | None:
    """The Store of `cache_folder(settings)`, for records kept between builds; None with the caches off."""
    folder = cache_folder(settings)
    return Store(folder) if folder else None


def build_report(pelican) -> dict:
    """What the last run did: pages rendered and kept, files replaced and deleted, whether it swapped; and
    how it read the content: "articles_from_cache" and "articles_read" (from their files) when the article
    cache was on, "files_read_in_parallel" when worker processes read some."""
    run = _run(pelican)
    return dict(run.report) if run else {}


def queue_work(writer, what: str, job) -> None:
    """Run `job()` (which writes its own files) with the pages the writer queued, on any of its worker
    processes; at once with a writer that queues nothing. `what` names the job in an error."""
    if isinstance(writer, NewsroomWriter):
        writer.queue(what, job)
    else:
        job()

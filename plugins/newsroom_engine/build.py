"""The build itself: write into a staging folder, render only what changed, and replace the output only
on success.

Pelican writes straight into OUTPUT_PATH and carries on after most errors, so a broken article can leave a
half-written site behind. EnginePelican (the base of PELICAN_CLASS) gives every way of running Pelican
(make html, make serve's autoreload loop, the tests) the same guarantees:

* `check_content()`, a hook the content model fills in, runs before anything is written and may stop
  the build;
* the site is written into `<OUTPUT_PATH>.partial` and put in place only if no error was logged;
* a failed build leaves the last good output exactly as it was.

How the rest of a build runs, and what plugins may ask of it, is in api.py.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import shutil

from pelican import signals
from pelican.generators import ArticlesGenerator

from . import receivers, url_memo
from .caching import code_fingerprint, content_cache_path, identities_remembered, prune_content_caches
from .object_cache import article_cache_report
from .output import all_files, carry_over, keep_unchanged_files, swap_into_place, update_in_place
from .parallel_read import parallel_report
from .pelican_compat import PelicanSeams, check_version
from .presence import LastOutput, SourceIdentities, look_ahead_at_sources
from .render_cache import TEMPLATE_FACTS, forget_manifest, load_manifest, manifest_file, prepare_manifest, tree_state
from .settings import PLUGIN, BuildFailedError, build_workers, display_path
from .store import Store
from .taxonomy import NewsroomArticlesGenerator
from .writer import NewsroomWriter

logger = logging.getLogger(__name__)


class _ErrorCounter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


# A build makes millions of objects that live until it ends (Articles, their metadata, every page's key).
# With Python's default thresholds the cyclic garbage collector runs thousands of times during a build,
# each time walking the survivors again. A build makes little cyclic garbage, so it collects less often
# while it runs (the thresholds are put back afterwards).
BUILD_GC_THRESHOLDS = (100_000, 50, 100)


class EngineRun:
    """What one run of the engine holds for the plugins, which reach it only through api.py."""

    def __init__(self, cache_folder: str | None, other_files: str):
        self.cache_folder = cache_folder  # this settings' and this code's cache folder, None with caches off
        self.store = Store(cache_folder) if cache_folder else None  # the records kept in it (store.py)
        self.other_files = other_files  # the state of every non-Markdown file under PATH (pictures, data)
        self.when_written: list = []  # work(staging): after every plugin's `finalized`, before publishing
        self.after_publish: list = []  # work(final): once the new output is in place
        self.if_failed: list = []  # work(): when the build fails, once the staging folder is gone
        self.preserve: set[str] = set()  # output folders that after_publish work updates itself
        self.companions: list = []  # writer.Companion: files a plugin wants made beside some pages
        self.writer: NewsroomWriter | None = None
        self.last_output: LastOutput | None = None  # which of the last good output's files are still there
        self.report: dict = {}  # what the build did (api.build_report)


class QueuedPagesGenerator:
    """The last generator of every run: renders the pages the writer queued for the worker processes, so
    that every plugin's `finalized` receiver reads a complete site, whatever order the plugins load in."""

    def __init__(self, *args, **kwargs):
        pass

    def generate_output(self, writer) -> None:
        if isinstance(writer, NewsroomWriter):
            writer.flush()


class EnginePelican(PelicanSeams):
    # Settings that check_content() sets from the content: not part of the caches' settings key (they
    # change what pages show, which each page's key covers, not what a source file reads as), and set
    # again by every run of `make serve`'s one Pelican object.
    derived_settings: frozenset[str] = frozenset()

    def __init__(self, settings):
        check_version()  # one line naming the version, before Pelican loads a plugin
        # The engine's own receivers, connected before any plugin registers its own, so they run first.
        receivers.connect()
        self.engine_run: EngineRun | None = None
        # The first run's source files are looked at while Pelican loads the plugins (presence.py).
        self._looked_ahead = self._look_ahead(settings)
        super().__init__(settings)

    # --- hooks for the content model ---

    def check_content(self) -> None:
        """Before anything is read or written: validate the content and put what the templates need from
        it into the settings; raise to stop the build. `self.engine_run` says where the caches are."""

    def build_date(self) -> dt.date:
        """The date every page's key includes (pages may count days)."""
        return dt.date.today()

    def shown_everywhere(self) -> str:
        """What every page shows that changes with the clock within a day rather than with a file or a
        setting (a banner that comes down at a given minute), as text every page's key includes. Called
        after check_content()."""
        return ""

    # --- a run ---

    def run(self):
        thresholds = gc.get_threshold()
        gc.set_threshold(*BUILD_GC_THRESHOLDS)
        # A later run of the same object (`make serve`) looks afresh: the files may have changed since.
        looked_ahead, self._looked_ahead = self._looked_ahead or self._look_ahead(self.settings), None
        try:
            with identities_remembered(looked_ahead):
                self._run()
        finally:
            gc.set_threshold(*thresholds)
            # The Articles the articles generator set aside (taxonomy.py) are garbage once the run is
            # over: `make serve`'s next run must be able to collect them.
            gc.unfreeze()

    @staticmethod
    def _look_ahead(settings) -> SourceIdentities | None:
        manifest = manifest_file(Store(os.path.abspath(settings["CACHE_PATH"])), os.path.abspath(settings["OUTPUT_PATH"]))
        return look_ahead_at_sources(settings, manifest)

    def _run(self):
        build_workers(self.settings)  # a bad NEWSROOM_BUILD_WORKERS stops the build before any work
        cache_base = self.settings["CACHE_PATH"]
        content_cache = None
        # What the caches' keys share, worked out once: the plugins' code and every file under PATH but
        # the stories themselves (pictures, data files), which checks and pages may depend on.
        code = other_files = ""
        if self.settings["CACHE_CONTENT"]:
            code = code_fingerprint(self.settings.get("PLUGIN_PATHS", []))
            content_cache = content_cache_path(self.settings, cache_base, code, self.derived_settings)
            other_files = tree_state(self.settings["PATH"], skip_suffixes=(".md",), by_content=False)
        run = self.engine_run = EngineRun(content_cache, other_files)
        if run.store:
            TEMPLATE_FACTS.load(run.store)
        self.check_content()

        final = os.path.abspath(self.settings["OUTPUT_PATH"])
        # The page manifest is kept directly under CACHE_PATH (see store.py), the other records in content_cache.
        manifest = Store(os.path.abspath(cache_base)) if content_cache else None
        old_pages, old_files, memo = load_manifest(manifest, final) if manifest else ({}, None, {})
        # Looked at now, on the other core, while the content is read (presence.py).
        present = run.last_output = LastOutput(final, old_pages)
        self._writer_state = (self.build_date(), old_pages, memo, code + other_files + "\x00" + self.shown_everywhere())
        staging = final.rstrip(os.sep) + ".partial"
        shutil.rmtree(staging, ignore_errors=True)
        os.makedirs(staging)
        errors = _ErrorCounter()
        logging.getLogger().addHandler(errors)
        self.output_path = staging
        if content_cache:
            # Pelican's generators open their caches under CACHE_PATH when they are created in run().
            self.settings["CACHE_PATH"] = content_cache
        # Connected for this run only (and strongly: a bound method is otherwise dropped at once).
        signals.all_generators_finalized.connect(self._report_reading, weak=False)
        try:
            super().run()
            if not errors.records:
                for work in run.when_written:
                    work(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            self._failed()
            raise
        finally:
            present.close()
            signals.all_generators_finalized.disconnect(self._report_reading)
            url_memo.thaw()
            self.output_path = final
            self.settings["CACHE_PATH"] = cache_base
            logging.getLogger().removeHandler(errors)
        if errors.records:
            shutil.rmtree(staging, ignore_errors=True)
            self._failed()
            raise BuildFailedError(
                f"{PLUGIN}: the build logged {len(errors.records)} error(s) (shown above); "
                f"{display_path(final)} was left as it was"
            )
        if content_cache:
            prune_content_caches(content_cache)
        writer = run.writer
        if manifest:
            forget_manifest(manifest, final)
        preserved = tuple(sorted(run.preserve))
        if self.output_is_partial():
            result = update_in_place(staging, final, writer.kept, old_files, preserved)
            files = result["files"]
            run.report.update({"rendered": writer.rendered, "kept": len(writer.kept), "replaced": result["replaced"],
                               "deleted": result["deleted"], "swapped": False})
            logger.info("%s: %d page(s) rendered, %d kept; %d file(s) replaced, %d deleted", PLUGIN,
                        writer.rendered, len(writer.kept), result["replaced"], result["deleted"])
        else:
            # The whole site was built into staging, but for what plugins update once it is in place.
            carry_over(final, staging, run.preserve)
            kept = keep_unchanged_files(staging, final)
            run.report.update({"rendered": writer.rendered if writer else 0, "kept": 0, "unchanged_files": kept,
                               "swapped": True})
            logger.debug("%s: %d unchanged file(s) kept from the last good output", PLUGIN, kept)
            swap_into_place(staging, final)
            files = all_files(final) if manifest else set()
        # The new manifest is serialised now, while the after_publish work may still wait for processes of
        # its own (Pagefind), and written once that work has succeeded: only then does the output hold
        # exactly what it describes.
        write_manifest = prepare_manifest(
            manifest, final, writer.new_manifest, {f for f in files if not f.startswith(preserved)} if preserved else files,
            writer.keys.memo() if writer.keys else None) if manifest and writer is not None else None
        for work in run.after_publish:
            try:
                work(final)
            except Exception as e:  # noqa: BLE001 - one line for the editor; the manifest is not saved
                raise BuildFailedError(f"{e}; {display_path(final)} was updated without it") from None
        if write_manifest is not None:
            write_manifest()
        if run.store:
            TEMPLATE_FACTS.save(run.store)

    def _failed(self) -> None:
        for work in self.engine_run.if_failed:
            try:
                work()
            except Exception:  # noqa: BLE001 - the build's own error is the one to report
                logger.debug("%s: clean-up after a failed build failed", PLUGIN, exc_info=True)

    def _report_reading(self, generators) -> None:
        """all_generators_finalized: how this run read its content, for api.build_report (summed over the
        generators: articles and pages may both be read in parallel)."""
        report = self.engine_run.report
        for generator in generators:
            for key, count in {**article_cache_report(generator), **parallel_report(generator)}.items():
                report[key] = report.get(key, 0) + count

    def generator_classes(self, classes):
        return [NewsroomArticlesGenerator if cls is ArticlesGenerator else cls for cls in classes] + [QueuedPagesGenerator]

    def output_is_partial(self) -> bool:
        """True once the pages are written if the staging folder holds only what changed (the rest of the
        site is kept in the output): work that needs the whole site goes in `after_publish`."""
        writer = self.engine_run.writer if self.engine_run else None
        return bool(writer is not None and writer.kept and os.path.isdir(os.path.abspath(self.settings["OUTPUT_PATH"])))

    def make_writer(self):
        # Pelican asks for the writer once every generator's context is final.
        url_memo.freeze()
        today, old_pages, memo, inputs = self._writer_state
        run = self.engine_run
        run.writer = NewsroomWriter(
            self.output_path, self.settings, last_output=os.path.abspath(self.settings["OUTPUT_PATH"]),
            old_manifest=old_pages, memo=memo, today=today, inputs=inputs,
            workers=build_workers(self.settings),
            keyed=bool(self.settings["CACHE_CONTENT"]), companions=run.companions, derived=self.derived_settings,
            present=run.last_output,
        )
        return run.writer

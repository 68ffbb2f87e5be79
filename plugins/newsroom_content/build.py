"""The build itself: validate first, write into a staging folder, and replace the output only on success.

Pelican writes straight into OUTPUT_PATH and carries on after most errors, so a broken article can leave a
half-written site behind. PELICAN_CLASS points here so that every way of running Pelican (make html,
make serve's autoreload loop, the tests) gets the same guarantees:

* the content and data files are validated before anything is written, and all problems are listed;
* the site is written into `<OUTPUT_PATH>.partial` and swapped into place only if no error was logged;
* a failed build leaves the last good output exactly as it was.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import sys

from pelican import Pelican
from pelican.generators import ArticlesGenerator

from . import url_memo
from .caching import code_fingerprint, content_cache_path, identities_remembered, prune_content_caches
from .clock import build_now
from .output import all_files, carry_over, keep_unchanged_files, swap_into_place, update_in_place
from .parallel_read import build_workers
from .problems import ContentProblemsError, display_path
from .render_cache import forget_manifest, load_manifest, manifest_path, save_manifest, tree_state
from .site import CheckCache, check_site
from .taxonomy import NewsroomArticlesGenerator
from .writer import NewsroomWriter

logger = logging.getLogger(__name__)


class BuildFailedError(Exception):
    exitcode = 1


class _ErrorCounter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def report(problems, stream=None) -> None:
    """One plain line per problem: not through Pelican's rich logger, which wraps long lines."""
    stream = stream or sys.stderr
    for problem in problems:
        print(problem.format(), file=stream)
    stream.flush()


# A build makes millions of objects that live until it ends (Articles, their metadata, every page's key).
# With Python's default thresholds the cyclic garbage collector runs thousands of times during a build,
# each time walking the survivors again: about 0.5 s of a 10,000-article rebuild. A build makes little
# cyclic garbage, so it collects less often while it runs (the thresholds are put back afterwards).
BUILD_GC_THRESHOLDS = (100_000, 50, 100)


class NewsroomPelican(Pelican):
    def run(self):
        thresholds = gc.get_threshold()
        gc.set_threshold(*BUILD_GC_THRESHOLDS)
        try:
            with identities_remembered():
                self._run()
        finally:
            gc.set_threshold(*thresholds)

    def _run(self):
        build_workers(self.settings)  # a bad NEWSROOM_BUILD_WORKERS stops the build before any work
        cache_base = self.settings["CACHE_PATH"]
        content_cache = check_cache = None
        # What the caches' keys share, worked out once: the plugins' code and every file under PATH but
        # the stories themselves (pictures, data files), which checks and pages may depend on.
        self._inputs = ""
        if self.settings["CACHE_CONTENT"]:
            code = code_fingerprint(self.settings.get("PLUGIN_PATHS", []))
            content_cache = content_cache_path(self.settings, cache_base, code)
            other_files = tree_state(self.settings["PATH"], skip_suffixes=(".md",), by_content=False)
            check_cache = CheckCache(os.path.join(content_cache, "checks.pickle"), other_files)
            self._inputs = code + other_files
        now = build_now(self.settings)
        check = check_site(self.settings, now.date(), check_cache)
        report(check.problems)
        if check.errors:
            raise ContentProblemsError(check.problems)

        # Everything the plugin's receivers and the templates need from the check; Pelican copies the
        # settings into the template context at the start of run().
        self.settings.update({
            "NEWSROOM_BUILD_NOW": now,
            "NEWSROOM_DESK_LIST": check.desks,
            "NEWSROOM_SECTIONS": check.sections,
            "NEWSROOM_FUND": check.fund,
            "NEWSROOM_COOPERATIVE": check.cooperative,
            "NEWSROOM_AUTHOR_INFO": check.authors,
        })

        final = os.path.abspath(self.settings["OUTPUT_PATH"])
        manifest = manifest_path(cache_base, final) if content_cache else None
        old_pages, old_files, memo = load_manifest(manifest, final) if manifest else ({}, None, {})
        self._today, self._old_pages, self._memo = now.date(), old_pages, memo
        self._writer = None
        # Plugins may ask for work on the finished output (the search index, refreshed from what changed)
        # and for output paths that work replaces to be left alone (carried over by a build that swaps).
        self.after_publish: list = []
        self.preserve_output: set[str] = set()
        self.page_companions: list = []  # writer.Companion: files a plugin wants made beside some pages
        staging = final.rstrip(os.sep) + ".partial"
        shutil.rmtree(staging, ignore_errors=True)
        os.makedirs(staging)
        errors = _ErrorCounter()
        logging.getLogger().addHandler(errors)
        self.output_path = staging
        if content_cache:
            # Pelican's generators open their caches under CACHE_PATH when they are created in run().
            self.settings["CACHE_PATH"] = content_cache
        try:
            super().run()
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            url_memo.thaw()
            self.output_path = final
            self.settings["CACHE_PATH"] = cache_base
            logging.getLogger().removeHandler(errors)
        if errors.records:
            shutil.rmtree(staging, ignore_errors=True)
            raise BuildFailedError(
                f"newsroom_content: the build logged {len(errors.records)} error(s) (shown above); "
                f"{display_path(final)} was left as it was"
            )
        if content_cache:
            prune_content_caches(content_cache)
        writer = self._writer
        if manifest:
            forget_manifest(manifest)
        if self.output_is_partial():
            result = update_in_place(staging, final, writer.kept, old_files, tuple(sorted(self.preserve_output)))
            files = result["files"]
            logger.info("newsroom_content: %d page(s) rendered, %d kept; %d file(s) replaced, %d deleted",
                        writer.rendered, len(writer.kept), result["replaced"], result["deleted"])
        else:
            # The whole site was built into staging, but for what plugins update once it is in place.
            carry_over(final, staging, self.preserve_output)
            kept = keep_unchanged_files(staging, final)
            logger.debug("newsroom_content: %d unchanged file(s) kept from the last good output", kept)
            swap_into_place(staging, final)
            files = all_files(final) if manifest else set()
        for work in self.after_publish:
            try:
                work(final)
            except Exception as e:  # noqa: BLE001 - one line for the editor; the manifest is not saved
                raise BuildFailedError(f"{e}; {display_path(final)} was updated without it") from None
        if manifest and writer is not None:
            # Only now does the output hold exactly what the new manifest describes.
            preserved = tuple(sorted(self.preserve_output))
            save_manifest(manifest, final, writer.new_manifest, {f for f in files if not f.startswith(preserved)}
                          if preserved else files, writer.keys.memo() if writer.keys else None)

    def _get_generator_classes(self):
        return [NewsroomArticlesGenerator if cls is ArticlesGenerator else cls
                for cls in super()._get_generator_classes()]

    def output_is_partial(self) -> bool:
        """True once the pages are written if the staging folder holds only what changed (the rest of the
        site is kept in the output): work that needs the whole site goes in `after_publish`."""
        return bool(self._writer is not None and self._writer.kept
                    and os.path.isdir(os.path.abspath(self.settings["OUTPUT_PATH"])))

    def _get_writer(self):
        # Pelican asks for the writer once every generator's context is final.
        url_memo.freeze()
        self._writer = NewsroomWriter(
            self.output_path, self.settings, last_output=os.path.abspath(self.settings["OUTPUT_PATH"]),
            old_manifest=self._old_pages, memo=self._memo, today=self._today, inputs=self._inputs,
            workers=build_workers(self.settings),
            keyed=bool(self.settings["CACHE_CONTENT"]), companions=self.page_companions,
        )
        return self._writer


def flush_pages(pelican) -> None:
    """At `finalized`, before any plugin reads the written site: render the pages the writer queued."""
    writer = getattr(pelican, "_writer", None)
    if isinstance(writer, NewsroomWriter):
        writer.flush()

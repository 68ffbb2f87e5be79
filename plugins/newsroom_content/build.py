"""The build itself: validate first, write into a staging folder, and replace the output only on success.

Pelican writes straight into OUTPUT_PATH and carries on after most errors, so a broken article can leave a
half-written site behind. PELICAN_CLASS points here so that every way of running Pelican (make html,
make serve's autoreload loop, the tests) gets the same guarantees:

* the content and data files are validated before anything is written, and all problems are listed;
* the site is written into `<OUTPUT_PATH>.partial` and swapped into place only if no error was logged;
* a failed build leaves the last good output exactly as it was.
"""

from __future__ import annotations

import filecmp
import logging
import os
import shutil
import sys

from pelican import Pelican

from .caching import content_cache_path, prune_content_caches
from .clock import build_now
from .parallel_read import build_workers
from .render_cache import load_manifest, manifest_path, save_manifest
from .writer import NewsroomWriter
from .problems import ContentProblemsError, display_path
from .site import check_site

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


class NewsroomPelican(Pelican):
    def run(self):
        build_workers(self.settings)  # a bad NEWSROOM_BUILD_WORKERS stops the build before any work
        cache_base = self.settings["CACHE_PATH"]
        content_cache = content_cache_path(self.settings, cache_base) if self.settings["CACHE_CONTENT"] else None
        now = build_now(self.settings)
        check = check_site(self.settings, now.date())
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
        self._render_cache = None
        if content_cache:
            manifest = manifest_path(cache_base, final)
            self._render_cache = (manifest, load_manifest(manifest, final) if os.path.isdir(final) else {}, now.date())
        self._writer = None
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
        kept = keep_unchanged_files(staging, final)
        logger.debug("newsroom_content: %d unchanged file(s) kept from the last good output", kept)
        swap_into_place(staging, final)
        if self._render_cache and self._writer is not None:
            # Only now does the output hold exactly the pages the new manifest describes.
            save_manifest(self._render_cache[0], final, self._writer.new_manifest)
            logger.info("newsroom_content: %d page(s) rendered, %d unchanged page(s) linked from the last build",
                        self._writer.rendered, self._writer.linked)

    def _get_writer(self):
        if not self._render_cache:
            return super()._get_writer()
        _manifest, old_manifest, today = self._render_cache
        self._writer = NewsroomWriter(self.output_path, self.settings, os.path.abspath(self.settings["OUTPUT_PATH"]),
                                      old_manifest, today)
        return self._writer


def keep_unchanged_files(staging: str, final: str) -> int:
    """Put the last good output's file in place of every freshly written file with the same bytes.

    Pelican writes every page on every build. Hard-linking the old file over an identical new one keeps
    its inode and modification time, so `rsync`, CDN uploads and browsers' revalidation see only the files
    whose bytes really changed, and the swap into place stays one atomic rename.
    """
    if not os.path.isdir(final):
        return 0
    kept = 0
    for dirpath, _, files in os.walk(staging):
        old_dir = os.path.join(final, os.path.relpath(dirpath, staging))
        if not os.path.isdir(old_dir):
            continue
        for name in files:
            new, old = os.path.join(dirpath, name), os.path.join(old_dir, name)
            try:
                old_stat, new_stat = os.stat(old), os.stat(new)
            except FileNotFoundError:
                continue
            if (old_stat.st_ino, old_stat.st_dev) == (new_stat.st_ino, new_stat.st_dev):
                kept += 1  # already the same file (resized images are linked from their cache)
                continue
            if old_stat.st_size != new_stat.st_size or not filecmp.cmp(old, new, shallow=False):
                continue
            linked = new + ".nr-unchanged"
            try:
                os.link(old, linked)
            except OSError:
                return kept  # a file system without hard links: every file is simply new
            os.replace(linked, new)
            kept += 1
    return kept


def swap_into_place(staging: str, final: str) -> None:
    """Replace `final` with `staging` using renames, so readers of `final` never see a half-written site."""
    previous = final.rstrip(os.sep) + ".previous"
    shutil.rmtree(previous, ignore_errors=True)
    if os.path.lexists(final):
        os.rename(final, previous)
    os.rename(staging, final)
    shutil.rmtree(previous, ignore_errors=True)

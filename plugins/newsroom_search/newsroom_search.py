"""Site search: Pagefind indexes the published articles for /search/ at the end of every build.

* Beside every published article page the build renders its search record (records.py: what search reads
  of the page, from the theme's search_record.html), an engine page companion. The article page's
  templates mark what search reads with `{% call search_reads(name) %}`; the record takes that markup back
  with `search_read(name)`, and the page head's <meta> tags for Pagefind from newsroom_discovery's
  `discovery_search_meta()`.
* Once the site is written, Pagefind indexes the records (search_index.py), one section at a time into a
  shard of its own that the search page merges (search_shards.py); an incremental build re-indexes only the
  sections whose records changed. A failure is one logged error starting "newsroom_search:", which fails
  the build.
* Templates get NEWSROOM_SEARCH_CONFIG: whether search is on, and the site's base path (search.html).

NEWSROOM_SEARCH = False turns it all off (the search page then points readers to the archive). Settings and
their defaults are in settings.py.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

from newsroom_engine import api

from .early import EarlyIndex
from .records import NoRecord, publish_records, start_records
from .search_index import SearchIndexError, index_site
from .search_shards import (SiteSections, build_bundle, plan_refresh, read_manifest, recipe, refresh_sections,
                            remove_strays, swap_folder)
from .settings import CONFIG_KEY, PLUGIN, load_config

logger = logging.getLogger(__name__)
SEARCH_DIR = "pagefind"  # where Pagefind puts its bundle in the site


@dataclass
class Run:
    records: api.Companion | None = None  # the search records' page companion (with NewsroomPelican only)
    early: EarlyIndex | None = None  # the changed sections indexed while the site is written (caches on)


# Each build under way, by the folder it writes into: the finalized signal only gives the Pelican object,
# whose output_path is that folder (the staging folder, with NewsroomPelican).
_RUNS: dict[str, Run] = {}


class PageMemo:
    """The markup the article page rendered last marked as what search reads, for its search record
    (search_record.html), which the engine's writer renders right after it from the same context. One page
    at a time, so nothing piles up."""

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        self.article = self.output = None
        self.parts: dict[str, str] = {}

    def of(self, ctx) -> PageMemo | None:
        """This memo, made to describe the page `ctx` renders; None for a page that is not an article's."""
        article = ctx.get("article")
        if article is None:
            return None
        output = ctx.get("output_file")
        if self.article is not article or self.output != output:
            self.clear()
            self.article, self.output = article, output
        return self


_PAGE = PageMemo()


def check_settings(pelican) -> None:
    pelican.settings[CONFIG_KEY] = load_config(pelican.settings)


def start_run(pelican):
    run = Run()
    config = pelican.settings.get(CONFIG_KEY)
    if config is not None and config.enabled and api.is_engine(pelican):
        run.records = start_records(pelican.settings, pelican.output_path)
        if run.records.published:
            # The changed sections are re-indexed as soon as the article pages are written (early.py).
            run.early = EarlyIndex(run.records, os.path.join(os.path.abspath(pelican.settings["OUTPUT_PATH"]), SEARCH_DIR),
                                   config, site_sections(pelican.settings, config), run_pagefind)
            run.records.likely_ready, run.records.ready = run.early.start_likely, run.early.start
            api.if_failed(pelican, run.early.discard)
        api.add_companion(pelican, run.records)
    _RUNS[os.path.abspath(pelican.output_path)] = run
    _PAGE.clear()
    return None  # no generator of our own: get_generators is only the start-of-run hook


@pass_context
def search_reads(ctx, name: str, caller):
    """`{% call search_reads("article_story") %}...{% endcall %}` in an article page's templates: markup
    that search reads. It is written into the page as it is, and kept for the page's search record."""
    text = caller()
    memo = _PAGE.of(ctx)
    if memo is not None:
        memo.parts[name] = text
    return text


@pass_context
def search_read(ctx, name: str):
    """In search_record.html: the markup of the page `search_reads(name)` kept. Raises NoRecord when the
    page had none (a template that does not mark it): the record is then the page itself."""
    memo = _PAGE.of(ctx)
    if memo is None or name not in memo.parts:
        raise NoRecord(f"the article page marked no {name!r} for search")
    return Markup(memo.parts[name])


def add_template_globals(generator) -> None:
    if hasattr(generator, "env"):
        generator.env.globals["search_reads"] = search_reads
        generator.env.globals["search_read"] = search_read


def run_pagefind(*args, **kwargs) -> float:
    # One Pagefind run, looked up here at each call so that a profiler (tests/bench) wrapping this module's
    # index_site sees every run of a build.
    return index_site(*args, **kwargs)


def site_sections(settings: dict, config) -> SiteSections:
    sections = settings.get("NEWSROOM_SECTIONS") or {}
    return SiteSections(config.article_save_as, tuple(sorted({s.slug for s in sections.values()})))


def finish_run(pelican) -> None:
    folder = os.path.abspath(pelican.output_path)
    run = _RUNS.pop(folder, None)
    _PAGE.clear()
    config = pelican.settings.get(CONFIG_KEY)
    if run is None or config is None or not config.enabled:
        return
    sections = site_sections(pelican.settings, config)
    records = run.records
    if records is not None and records.published:
        # The caches are on, and the records with them: the search bundle in the output is left as it
        # was (the engine carries it over) until the new pages are in place. Then this build's
        # records go into place too, and the sections whose records changed are indexed again; the whole
        # bundle is made when there is none to update.
        api.preserve_output(pelican, SEARCH_DIR + "/")
        api.after_publish(pelican, lambda final: publish_search(records, run.early, final, config, sections))
        return
    # Nothing is kept between builds: every page was rendered, and with it every record, in the staging
    # folder (without NewsroomPelican there are none, and Pagefind reads the pages themselves).
    bundle = os.path.join(folder, SEARCH_DIR)
    shutil.rmtree(bundle, ignore_errors=True)
    try:
        runs = build_bundle(records.staging if records else folder, bundle, sections, config.timeout,
                            run=run_pagefind, workers=config.workers)
    except SearchIndexError as e:
        logger.error("%s: site search was not built: %s", PLUGIN, e)
        return
    finally:
        if records is not None:
            shutil.rmtree(records.staging, ignore_errors=True)  # never published
    logger.info("%s: Pagefind indexed %s", PLUGIN, runs.summary())


def publish_search(records, early: EarlyIndex | None, final: str, config, sections: SiteSections) -> None:
    """after_publish: put this build's records in place and bring the search bundle up to date with them,
    from the early shards when they were made from exactly these records."""
    try:
        matches = early is not None and early.still_matches()
        changes = publish_records(records)
        refresh_search_index(records.published, os.path.join(final, SEARCH_DIR), config, changes, sections,
                             early.shards if matches else None)
    finally:
        if early is not None:
            early.discard()


def refresh_search_index(site_dir: str, bundle: str, config, changes: list[str] | None,
                         sections: SiteSections, prepared=None) -> None:
    """Bring the published site's search bundle (`bundle`) up to date after an incremental build: re-index
    only the sections whose records (in `site_dir`) are among `changes` (the records the build replaced or
    deleted), or make the whole bundle again when that cannot be trusted (see search_shards.plan_refresh).
    New shards and bundles are made beside the old ones and swapped in once complete, so search keeps
    working until then; a failure leaves the old index and raises SearchIndexError."""
    manifest = read_manifest(bundle)
    plan = plan_refresh(changes, manifest, recipe(config.article_save_as), sections)
    if not plan.everything:
        remove_strays(bundle, [s["section"] for s in manifest["shards"]])
        if not plan.sections:
            logger.info("%s: no search record changed (what search reads of the article pages); the search index stays as it is", PLUGIN)
            return
        try:
            runs = refresh_sections(site_dir, bundle, sections, plan.sections, config.timeout, manifest,
                                    run=run_pagefind, workers=config.workers,
                                    prepared=(lambda: prepared(plan)) if prepared else None)
        except SearchIndexError as e:
            raise SearchIndexError(f"{PLUGIN}: site search was not refreshed (the old index stays): {e}") from None
        left = len({s["section"] for s in manifest["shards"]} - plan.sections)
        logger.info("%s: Pagefind re-indexed %s; %s; %d other shard(s) left as they were", PLUGIN,
                    ", ".join(sorted(plan.sections)), runs.summary(), left)
        return
    fresh = bundle + ".next"
    for leftover in (fresh, bundle + ".old"):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        runs = build_bundle(site_dir, fresh, sections, config.timeout, run=run_pagefind, workers=config.workers)
    except SearchIndexError as e:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchIndexError(f"{PLUGIN}: site search was not refreshed (the old index stays): {e}") from None
    swap_folder(fresh, bundle)
    logger.info("%s: Pagefind indexed the whole site (%s): %s", PLUGIN, plan.reason, runs.summary())


def register():
    # initialized: check the settings once, before anything is read, so a bad value stops the build early.
    signals.initialized.connect(check_settings)
    # get_generators: sent at the start of every run (make serve reuses one Pelican for many), so each
    # build starts with its own records companion and an empty page memo.
    signals.get_generators.connect(start_run)
    # generator_init: the article page's templates get search_reads(), the search record's search_read().
    signals.generator_init.connect(add_template_globals)
    # finalized: everything is written, into pelican.output_path (the staging folder); Pagefind must run
    # after the last page (and its record) is written.
    signals.finalized.connect(finish_run)

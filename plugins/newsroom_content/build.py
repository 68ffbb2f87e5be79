"""The newsroom's build: the engine's build, with the content checked before anything is written.

Every way of running Pelican here (make html, make serve's autoreload loop, the tests) goes through
NewsroomPelican (PELICAN_CLASS), so the content and data files are always validated first (by
newsroom_checks), every problem is listed, and an error stops the build before the output is touched.
"""

from __future__ import annotations

import sys

# The package, not names from it: importing newsroom_checks first imports this module while the checks
# are still loading (they read newsroom_content's settings), and the names are only looked up at build time.
import newsroom_checks
from newsroom_engine.api import EnginePelican, after_publish

from .breaking import banner_on
from .clock import build_now
from .schedule import (REGISTRY_KEY, add_scheduled_change, fund_next_change, next_change_record, scheduled_changes,
                       start_registry, state_path, write_state)


def report(problems, stream=None) -> None:
    """One plain line per problem: not through Pelican's rich logger, which wraps long lines."""
    stream = stream or sys.stderr
    for problem in problems:
        print(problem.format(), file=stream)
    stream.flush()


class NewsroomPelican(EnginePelican):
    derived_settings = frozenset({
        "NEWSROOM_BUILD_NOW", "NEWSROOM_DESK_LIST", "NEWSROOM_SECTIONS", "NEWSROOM_FUND", "NEWSROOM_COOPERATIVE",
        "NEWSROOM_AUTHOR_INFO", "NEWSROOM_URL_REDIRECTS", "NEWSROOM_BREAKING", REGISTRY_KEY,
    })

    def check_content(self) -> None:
        # This build's scheduled changes (schedule.py): plugins add theirs from here on.
        start_registry(self.settings)
        run = self.engine_run
        check_cache = newsroom_checks.CheckCache(run.store, run.other_files) if run.store else None
        now = build_now(self.settings)
        check = newsroom_checks.check_site(self.settings, now.date(), check_cache, now=now)
        report(check.problems)
        if check.errors:
            raise newsroom_checks.ContentProblemsError(check.problems)
        # Everything the plugins' receivers and the templates need from the check; Pelican copies the
        # settings into the template context at the start of run().
        self.settings.update({
            "NEWSROOM_BUILD_NOW": now,
            "NEWSROOM_DESK_LIST": check.desks,
            "NEWSROOM_SECTIONS": check.sections,
            "NEWSROOM_FUND": check.fund,
            "NEWSROOM_COOPERATIVE": check.cooperative,
            "NEWSROOM_AUTHOR_INFO": check.authors,
            # Old URL -> new, for newsroom_redirects (worked out by the check from the record and git).
            "NEWSROOM_URL_REDIRECTS": check.redirects,
            # The breaking-news banner every page shows (partials/breaking.html), or None: decided here, once.
            "NEWSROOM_BREAKING": banner_on(check.breaking, now),
        })
        change = fund_next_change(check.fund, now)
        if change is not None:
            add_scheduled_change(self.settings, change.at, change.what)
        if check.breaking is not None and check.breaking.expires is not None:
            # The build after this time takes the banner off every page (earlier times are ignored).
            add_scheduled_change(self.settings, check.breaking.expires, "breaking banner expires")
        # Once the output is in place (a failed build writes nothing): when the site next changes by itself.
        after_publish(self, self.write_next_change)

    def write_next_change(self, output_folder: str) -> None:
        record = next_change_record(scheduled_changes(self.settings), self.settings["NEWSROOM_BUILD_NOW"])
        write_state(state_path(output_folder), record)

    def build_date(self):
        return self.settings["NEWSROOM_BUILD_NOW"].date()

    def shown_everywhere(self) -> str:
        # The banner comes down on the clock, not by an edit: every page's key must change with it.
        banner = self.settings.get("NEWSROOM_BREAKING")
        return "breaking:" + (banner.state() if banner is not None else "none")

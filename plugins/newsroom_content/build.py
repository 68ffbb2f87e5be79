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
from newsroom_engine.api import EnginePelican

from .clock import build_now


def report(problems, stream=None) -> None:
    """One plain line per problem: not through Pelican's rich logger, which wraps long lines."""
    stream = stream or sys.stderr
    for problem in problems:
        print(problem.format(), file=stream)
    stream.flush()


class NewsroomPelican(EnginePelican):
    derived_settings = frozenset({
        "NEWSROOM_BUILD_NOW", "NEWSROOM_DESK_LIST", "NEWSROOM_SECTIONS", "NEWSROOM_FUND", "NEWSROOM_COOPERATIVE",
        "NEWSROOM_AUTHOR_INFO", "NEWSROOM_URL_REDIRECTS",
    })

    def check_content(self) -> None:
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
        })

    def build_date(self):
        return self.settings["NEWSROOM_BUILD_NOW"].date()

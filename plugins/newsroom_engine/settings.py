"""The build engine's settings and its errors.

The engine is below the content model: it reads only the settings listed here (and Pelican's own), so
that it can build any Pelican site that uses it as PELICAN_CLASS's base.
"""

from __future__ import annotations

import os

PLUGIN = "newsroom_engine"

DEFAULTS = {
    # Processes that read and render in parallel: 0 is one per processor, 1 builds in one process.
    "NEWSROOM_BUILD_WORKERS": 0,
}


class EngineSettingsError(Exception):
    """A setting the engine reads is unusable; the message says which and how to fix it."""


class BuildFailedError(Exception):
    """The build did not replace the output; the message says why (details were logged above it)."""

    exitcode = 1


def setting(settings: dict, name: str):
    return settings.get(name, DEFAULTS[name])


def build_workers(settings: dict) -> int:
    """NEWSROOM_BUILD_WORKERS, or one per processor this process may use."""
    wanted = setting(settings, "NEWSROOM_BUILD_WORKERS")
    if isinstance(wanted, bool) or not isinstance(wanted, int) or wanted < 0:
        raise EngineSettingsError(
            f"{PLUGIN}: NEWSROOM_BUILD_WORKERS in pelicanconf.py is {wanted!r}; use a whole number: "
            "0 for one process per processor, 1 to build in one process"
        )
    if wanted:
        return wanted
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def display_path(path: str) -> str:
    """A path as an editor would type it: relative to the working folder when it is inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative

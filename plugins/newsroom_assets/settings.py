"""Defaults and validation of the NEWSROOM_ASSETS_* settings.

Every setting the plugin reads is in DEFAULTS. ``load_config`` merges them with the site's settings, checks
them once (the plugin calls it when Pelican starts) and returns a frozen Config; anything unusable raises
AssetsSettingsError with a message that starts with the plugin's name and says how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsroom_content.settings import NewsroomSettingsError, unknown_settings

PLUGIN = "newsroom_assets"
PREFIX = "NEWSROOM_ASSETS_"
# Where the plugin keeps the checked Config in Pelican's settings; not something to set by hand.
CONFIG_KEY = "NEWSROOM_ASSETS_CONFIG"

DEFAULTS = {
    # Write a .gz (gzip -9) and a .br (Brotli) copy beside every text file of the finished site, for
    # servers that serve precompressed files (nginx gzip_static/brotli_static). Off unless a settings file
    # turns it on: publishconf.py does, pelicanconf.py (the local preview) does not.
    "NEWSROOM_ASSETS_PRECOMPRESS": False,
    # File name endings that get compressed copies. Pictures, fonts and Pagefind's index are compressed
    # already and would not shrink.
    "NEWSROOM_ASSETS_PRECOMPRESS_TYPES": (".html", ".css", ".js", ".xml", ".json", ".svg", ".txt", ".xsl"),
    # Files smaller than this many bytes are left alone: the copy would save less than a network packet.
    "NEWSROOM_ASSETS_PRECOMPRESS_MIN_SIZE": 1024,
    # Brotli quality, 0-11. 11 is the smallest and slowest (the sample paper: 4.3 s for 5.2 MB on one
    # core, 1.23 MB out); 10 is 2.7 times as fast and 2.5 % bigger.
    "NEWSROOM_ASSETS_BROTLI_QUALITY": 11,
    # Threads that compress at once; 0 means one per processor. Brotli and zlib release the GIL, so
    # two threads halve the time on two cores.
    "NEWSROOM_ASSETS_PRECOMPRESS_THREADS": 0,
}


class AssetsSettingsError(NewsroomSettingsError):
    """The NEWSROOM_ASSETS_* settings are unusable. A NewsroomSettingsError, so `make html` prints the
    message as one line instead of a traceback."""


@dataclass(frozen=True)
class Config:
    precompress: bool
    types: tuple[str, ...]
    min_size: int
    brotli_quality: int
    threads: int  # 0: one per processor


def _fail(name: str, problem: str, fix: str):
    raise AssetsSettingsError(f"{PLUGIN}: {name} in pelicanconf.py {problem}. Fix: {fix}")


def _check_unknown(settings: dict) -> None:
    """A misspelt setting would otherwise be silently ignored."""
    for name, fix in unknown_settings(settings, PREFIX, set(DEFAULTS) | {CONFIG_KEY}):
        _fail(name, "is not a setting of this plugin", fix)


def _whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def load_config(settings: dict) -> Config:
    _check_unknown(settings)
    get = lambda name: settings.get(name, DEFAULTS[name])  # noqa: E731

    name = "NEWSROOM_ASSETS_PRECOMPRESS"
    precompress = get(name)
    if not isinstance(precompress, bool):
        _fail(name, f"is {precompress!r}", "write True or False.")

    name = "NEWSROOM_ASSETS_PRECOMPRESS_TYPES"
    types = get(name)
    if isinstance(types, str) or not isinstance(types, (list, tuple)) or not all(
            isinstance(t, str) and len(t) > 1 and t.startswith(".") and "/" not in t for t in types):
        _fail(name, f"is {types!r}", 'give a list of file name endings, e.g. (".html", ".css", ".js").')
    if any(t.lower() in (".gz", ".br") for t in types):
        _fail(name, f"is {types!r}", "leave out .gz and .br: the compressed copies are not compressed again.")

    name = "NEWSROOM_ASSETS_PRECOMPRESS_MIN_SIZE"
    min_size = get(name)
    if not _whole_number(min_size) or min_size < 0:
        _fail(name, f"is {min_size!r}", "give a number of bytes, e.g. 1024.")

    name = "NEWSROOM_ASSETS_BROTLI_QUALITY"
    quality = get(name)
    if not _whole_number(quality) or not 0 <= quality <= 11:
        _fail(name, f"is {quality!r}", "give a whole number from 0 (fastest) to 11 (smallest).")

    name = "NEWSROOM_ASSETS_PRECOMPRESS_THREADS"
    threads = get(name)
    if not _whole_number(threads) or threads < 0:
        _fail(name, f"is {threads!r}", "give a number of threads, or 0 for one per processor.")

    return Config(
        precompress=precompress, types=tuple(sorted({t.lower() for t in types})), min_size=min_size,
        brotli_quality=quality, threads=threads,
    )

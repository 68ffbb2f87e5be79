"""Defaults and validation of the NEWSROOM_IMAGES_* settings.

Every setting the plugin reads is listed in DEFAULTS. ``load_config`` merges them with the site's settings,
checks them once (the plugin calls it when Pelican starts) and returns a frozen Config; anything unusable
raises ImagesSettingsError with a message that starts with the plugin's name and says how to fix it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from newsroom_content.settings import NewsroomSettingsError, unknown_settings

PLUGIN = "newsroom_images"
PREFIX = "NEWSROOM_IMAGES_"
# Where the plugin keeps the checked Config in Pelican's settings; not something to set by hand.
CONFIG_KEY = "NEWSROOM_IMAGES_CONFIG"

DEFAULTS = {
    # Widths in pixels of the resized copies. A source narrower than the biggest is never enlarged:
    # its own width becomes the largest size instead.
    "NEWSROOM_IMAGES_WIDTHS": (400, 800, 1200, 1600),
    # Encoder quality, 1-100. PNG copies are lossless and take no quality.
    "NEWSROOM_IMAGES_QUALITY": {"jpeg": 80, "webp": 75},
    # Folder that keeps every encoded copy between builds. A relative path is taken from the folder that
    # holds PATH (the repository root); `make clean` removes cache/.
    "NEWSROOM_IMAGES_CACHE": "cache/images",
    # Folder inside the site's output that gets the resized copies.
    "NEWSROOM_IMAGES_OUTPUT_DIR": "images/sized",
    # The `sizes` attribute responsive_images writes on inline images: the story column is at most 38rem
    # wide (--nr-measure in theme/static/css/tokens.css) and about the screen's width below that.
    "NEWSROOM_IMAGES_SIZES": "(min-width: 42rem) 38rem, 100vw",
    # Encode in parallel when at least this many pictures are missing from the cache; 0 never does.
    "NEWSROOM_IMAGES_PARALLEL_FROM": 4,
}

# The copy the `src` attribute points at, for browsers that ignore srcset: big enough for the story
# column on a high-density phone, small enough not to waste bandwidth.
SRC_MAX_WIDTH = 800


class ImagesSettingsError(NewsroomSettingsError):
    """The NEWSROOM_IMAGES_* settings are unusable. A NewsroomSettingsError, so `make html` prints the
    message as one line instead of a traceback."""


@dataclass(frozen=True)
class Config:
    widths: tuple[int, ...]
    quality: dict
    cache: str  # absolute
    output_dir: str  # relative to the output folder, with forward slashes
    sizes: str
    parallel_from: int


def _fail(name: str, problem: str, fix: str):
    raise ImagesSettingsError(f"{PLUGIN}: {name} in pelicanconf.py {problem}. Fix: {fix}")


def _check_unknown(settings: dict) -> None:
    """A misspelt setting would otherwise be silently ignored."""
    for name, fix in unknown_settings(settings, PREFIX, set(DEFAULTS) | {CONFIG_KEY}):
        _fail(name, "is not a setting of this plugin", fix)


def _is_quality(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 100


def load_config(settings: dict) -> Config:
    _check_unknown(settings)
    get = lambda name: settings.get(name, DEFAULTS[name])  # noqa: E731

    name = "NEWSROOM_IMAGES_WIDTHS"
    widths = get(name)
    if (not isinstance(widths, (list, tuple)) or not widths
            or not all(isinstance(w, int) and not isinstance(w, bool) and 16 <= w <= 8192 for w in widths)):
        _fail(name, f"is {widths!r}", "give a list of widths in pixels between 16 and 8192, e.g. (400, 800, 1200, 1600).")

    name = "NEWSROOM_IMAGES_QUALITY"
    given = get(name)
    if not isinstance(given, dict) or set(given) - set(DEFAULTS[name]) or not all(map(_is_quality, given.values())):
        _fail(name, f"is {given!r}", 'give a dict of numbers from 1 to 100 for "jpeg" and "webp", e.g. {"jpeg": 80, "webp": 75}.')
    # A partial dict overrides only the formats it names.
    quality = {**DEFAULTS[name], **given}

    name = "NEWSROOM_IMAGES_CACHE"
    cache = get(name)
    if not isinstance(cache, str) or not cache.strip():
        _fail(name, f"is {cache!r}", 'give a folder, e.g. "cache/images".')
    root = os.path.dirname(os.path.abspath(settings.get("PATH") or "content"))
    cache = os.path.normpath(os.path.join(root, os.path.expanduser(cache)))

    name = "NEWSROOM_IMAGES_OUTPUT_DIR"
    output_dir = get(name)
    parts = output_dir.replace("\\", "/").strip("/").split("/") if isinstance(output_dir, str) else []
    if (not isinstance(output_dir, str) or os.path.isabs(output_dir) or not output_dir.strip("/")
            or any(p in ("", ".", "..") for p in parts)):
        _fail(name, f"is {output_dir!r}", 'give a folder inside the output, e.g. "images/sized".')

    name = "NEWSROOM_IMAGES_SIZES"
    sizes = get(name)
    if not isinstance(sizes, str) or not sizes.strip():
        _fail(name, f"is {sizes!r}", 'give an HTML sizes attribute, e.g. "(min-width: 40rem) 38rem, 100vw".')

    name = "NEWSROOM_IMAGES_PARALLEL_FROM"
    parallel_from = get(name)
    if not isinstance(parallel_from, int) or isinstance(parallel_from, bool) or parallel_from < 0:
        _fail(name, f"is {parallel_from!r}", "give a whole number of pictures, or 0 to always encode one at a time.")

    return Config(
        widths=tuple(sorted(set(widths))), quality=quality, cache=cache, output_dir="/".join(parts),
        sizes=sizes.strip(), parallel_from=parallel_from,
    )

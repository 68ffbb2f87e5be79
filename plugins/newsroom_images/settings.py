"""The NEWSROOM_IMAGES_* settings: their defaults, and the rules ``load_config`` checks when Pelican starts.

An unusable value raises ImagesSettingsError, which names the setting and the fix (see plugin_settings.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from newsroom_content.plugin_settings import NewsroomSettingsError, PluginSettings, is_whole_number

PLUGIN = "newsroom_images"

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


class ImagesSettings(PluginSettings):
    plugin, defaults, error = PLUGIN, DEFAULTS, ImagesSettingsError

    def check(self) -> Config:
        name = "NEWSROOM_IMAGES_WIDTHS"
        widths = self[name]
        if not isinstance(widths, (list, tuple)) or not widths or not all(is_whole_number(w, 16, 8192) for w in widths):
            self.fail(name, f"is {widths!r}", "give a list of widths in pixels between 16 and 8192, e.g. (400, 800, 1200, 1600).")

        name = "NEWSROOM_IMAGES_QUALITY"
        given = self[name]
        if (not isinstance(given, dict) or set(given) - set(DEFAULTS[name])
                or not all(is_whole_number(q, 1, 100) for q in given.values())):
            self.fail(name, f"is {given!r}", 'give a dict of numbers from 1 to 100 for "jpeg" and "webp", e.g. {"jpeg": 80, "webp": 75}.')
        # A partial dict overrides only the formats it names.
        quality = {**DEFAULTS[name], **given}

        cache = self.text("NEWSROOM_IMAGES_CACHE", 'give a folder, e.g. "cache/images".', required=True)
        root = os.path.dirname(os.path.abspath(self.settings.get("PATH") or "content"))
        cache = os.path.normpath(os.path.join(root, os.path.expanduser(cache)))

        output_dir = self.folder_in_output("NEWSROOM_IMAGES_OUTPUT_DIR", "images/sized")

        sizes = self.text(
            "NEWSROOM_IMAGES_SIZES", 'give an HTML sizes attribute, e.g. "(min-width: 40rem) 38rem, 100vw".', required=True)
        parallel_from = self.whole_number(
            "NEWSROOM_IMAGES_PARALLEL_FROM", "give a whole number of pictures, or 0 to always encode one at a time.")

        return Config(
            widths=tuple(sorted(set(widths))), quality=quality, cache=cache, output_dir=output_dir,
            sizes=sizes.strip(), parallel_from=parallel_from,
        )


# Where the plugin keeps the checked Config in Pelican's settings; not something to set by hand.
CONFIG_KEY = ImagesSettings.config_key
load_config = ImagesSettings.load

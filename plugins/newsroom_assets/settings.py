"""The NEWSROOM_ASSETS_* settings: their defaults, and the rules ``load_config`` checks when Pelican starts.

An unusable value raises AssetsSettingsError, which names the setting and the fix (see plugin_settings.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from newsroom_content.plugin_settings import NewsroomSettingsError, PluginSettings

PLUGIN = "newsroom_assets"

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
    # Brotli quality, 0-11. 11 is the smallest and slowest; 10 is several times as fast and a little
    # bigger (the README's Deploying section has the figures).
    "NEWSROOM_ASSETS_BROTLI_QUALITY": 11,
    # Threads that compress at once; 0 means one per processor. Brotli and zlib release the GIL, so
    # two threads halve the time on two cores.
    "NEWSROOM_ASSETS_PRECOMPRESS_THREADS": 0,
    # Strip comments and spare whitespace from the fingerprinted copies of the theme's stylesheets and
    # scripts (rcssmin, rjsmin) before they are hashed: readers get the smaller files, and the plain copies
    # beside them keep the source as written, comments and all.
    "NEWSROOM_ASSETS_MINIFY": True,
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
    minify: bool = True


class AssetsSettings(PluginSettings):
    plugin, defaults, error = PLUGIN, DEFAULTS, AssetsSettingsError

    def check(self) -> Config:
        precompress = self.true_or_false("NEWSROOM_ASSETS_PRECOMPRESS")
        name = "NEWSROOM_ASSETS_PRECOMPRESS_TYPES"
        types = self[name]
        if isinstance(types, str) or not isinstance(types, (list, tuple)) or not all(
                isinstance(t, str) and len(t) > 1 and t.startswith(".") and "/" not in t for t in types):
            self.fail(name, f"is {types!r}", 'give a list of file name endings, e.g. (".html", ".css", ".js").')
        if any(t.lower() in (".gz", ".br") for t in types):
            self.fail(name, f"is {types!r}", "leave out .gz and .br: the compressed copies are not compressed again.")

        return Config(
            precompress=precompress,
            types=tuple(sorted({t.lower() for t in types})),
            min_size=self.whole_number("NEWSROOM_ASSETS_PRECOMPRESS_MIN_SIZE", "give a number of bytes, e.g. 1024."),
            brotli_quality=self.whole_number(
                "NEWSROOM_ASSETS_BROTLI_QUALITY", "give a whole number from 0 (fastest) to 11 (smallest).", high=11),
            threads=self.whole_number(
                "NEWSROOM_ASSETS_PRECOMPRESS_THREADS", "give a number of threads, or 0 for one per processor."),
            minify=self.true_or_false("NEWSROOM_ASSETS_MINIFY"),
        )


# Where the plugin keeps the checked Config in Pelican's settings; not something to set by hand.
CONFIG_KEY = AssetsSettings.config_key
load_config = AssetsSettings.load

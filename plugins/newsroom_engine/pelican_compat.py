"""Every touch on a private name of Pelican, in one place, checked against the version it was written for.

The engine needs a few things Pelican has no public seam for: choosing the articles generator's class,
making the writer with the build's own state, the writer's record of paths already written, the readers'
in-memory cache and its file stamps, the period archives' grouping, the Content object's story HTML
before links are resolved, and URL formatting that remembers its answers. Each is a small function or
base class here, and nothing else in the plugins names a private attribute of Pelican (tests/
test_engine_seams.py greps for it).

Pelican does not promise any of these names between releases, so `check_version()` refuses to build on
another version than WRITTEN_FOR with one line saying what to do: a renamed attribute would otherwise
make the engine misbehave quietly (a page kept that should have been rendered) rather than fail.
"""

from __future__ import annotations

from importlib import metadata

from pelican import Pelican
from pelican.contents import Content, Static
from pelican.generators import ArticlesGenerator
from pelican.readers import _filter_discardable_metadata
from pelican.writers import Writer

WRITTEN_FOR = "4.12.0"
PINNED_IN = "requirements.txt"


class PelicanVersionError(Exception):
    """The installed Pelican is not the one this module was written against."""

    exitcode = 1


def version_problem(installed: str, expected: str = WRITTEN_FOR) -> str | None:
    """The one line the engine refuses to start with, or None when `installed` is the expected version."""
    if installed == expected:
        return None
    return (f"newsroom_engine: Pelican {installed} is installed, but the build engine was written for Pelican "
            f"{expected} (it relies on some of Pelican's internals); install pelican=={expected} as {PINNED_IN} "
            "pins it (make install), or check newsroom_engine/pelican_compat.py against the new version "
            "and raise WRITTEN_FOR")


def check_version() -> None:
    problem = version_problem(metadata.version("pelican"))
    if problem:
        raise PelicanVersionError(problem)


# --- the Pelican class -----------------------------------------------------------------------------------

class PelicanSeams(Pelican):
    """Pelican, with its two private factory methods turned into hooks the engine overrides."""

    def generator_classes(self, classes: list[type]) -> list[type]:
        """The generator classes this run uses, given Pelican's (in its order)."""
        return classes

    def make_writer(self):
        """The writer, asked for once every generator's context is final."""
        return super()._get_writer()

    def _get_generator_classes(self):
        return self.generator_classes(super()._get_generator_classes())

    def _get_writer(self):
        return self.make_writer()


# --- the writer ------------------------------------------------------------------------------------------

class WriterSeams(Writer):
    def claim(self, filename: str, override: bool) -> bool:
        """Pelican's rule for writing one path twice: refused (Pelican's own error) unless one write says
        `override`, which then wins. True when this write should happen, False to skip it."""
        if filename in self._overridden_files:
            if override:
                self._open_w(filename, "utf-8", override=override)  # raises Pelican's error
            return False
        if filename in self._written_files and not override:
            self._open_w(filename, "utf-8", override=override)  # raises Pelican's error
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return True


# --- the articles generator and its readers ------------------------------------------------------------

class ArticlesGeneratorSeams(ArticlesGenerator):
    def group_period_archives(self, sorted_articles, articles, settings) -> dict:
        """The yearly, monthly and daily archive groups (Pelican's _build_period_archives)."""
        return super()._build_period_archives(sorted_articles, articles, settings)

    def _build_period_archives(self, sorted_articles, articles, settings):
        return self.group_period_archives(sorted_articles, articles, settings)

    # Pelican asks the generator's own cache for every article and stores every article in it even when
    # that layer is off (CONTENT_CACHING_LAYER = "reader"), stamping the file both times only to throw
    # the result away.
    def get_cached_data(self, filename, default=None):
        return super().get_cached_data(filename, default) if self._cache_data_policy or self._cache else default

    def cache_data(self, filename, data):
        if self._cache_data_policy:
            super().cache_data(filename, data)


def stamp_files_with(readers, stamp) -> None:
    """The readers' content cache tells a changed file by `stamp(path)` instead of its configured hash."""
    readers._filestamp_func = stamp


def file_stamp(readers, path: str):
    return readers._get_file_stamp(path)


def reader_cache_has(readers, path: str) -> bool:
    return path in readers._cache


def reader_cache_put(readers, path: str, stamp, content: str, metadata: dict) -> None:
    """Store what a reader returned for `path`, as Pelican's own cache_data() would."""
    readers._cache[path] = (stamp, (content, metadata))


def keep_reader_cache_in_memory(readers) -> None:
    """The readers' content cache is used during the build but not saved at its end."""
    readers._cache_data_policy = False


def reader_metadata(metadata: dict) -> dict:
    """The metadata a reader returned, without what Pelican never caches (as its Readers.read_file does)."""
    return _filter_discardable_metadata(metadata)


def read_files_with(readers, read_file) -> None:
    """Make `read_file` (same signature as Readers.read_file) this Readers object's reader, until
    `restore_read_file`."""
    readers.read_file = read_file


def restore_read_file(readers) -> None:
    readers.__dict__.pop("read_file", None)


# --- content objects -------------------------------------------------------------------------------------

def story_html(content) -> str | None:
    """The story's HTML as read, before Pelican resolves {static} and {filename} links in it: `content`
    is memoized with links resolved against what Pelican knows so far, which is too early for plugins
    that run while articles are still being made."""
    return getattr(content, "_content", None)


def replace_story_html(content, html: str) -> None:
    content._content = html


def replace_summary_html(content, html: str) -> None:
    """The summary Pelican writes back into the metadata when it resolves links."""
    content._summary = html


def mark_known_valid(content, is_valid) -> None:
    """`is_valid` stands in for Content.is_valid on this object only (it is never pickled)."""
    content.is_valid = is_valid


# --- URL formatting --------------------------------------------------------------------------------------

ORIGINAL_URL_SETTING = Content.get_url_setting
ORIGINAL_RELATIVE_SOURCE_PATH = Content.get_relative_source_path
ORIGINAL_EXPAND_SETTINGS = Content._expand_settings
STATIC_CLASS = Static


def format_urls_with(get_url_setting, get_relative_source_path, expand_settings) -> None:
    """Content objects format their URLs with these functions (for every Content class)."""
    Content.get_url_setting = get_url_setting
    Content.get_relative_source_path = get_relative_source_path
    Content._expand_settings = expand_settings


def url_formatting() -> tuple:
    """The three functions Content objects format their URLs with now, in format_urls_with's order (so a
    test can put back what it found)."""
    return Content.get_url_setting, Content.get_relative_source_path, Content._expand_settings

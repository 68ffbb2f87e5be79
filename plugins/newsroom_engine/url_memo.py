"""Articles' and pages' URLs worked out once per build while the pages are written.

Pelican's `Content.url` and `save_as` are properties that format the URL setting afresh on every use:
the templates ask many times per story (a story's link is on its page, its section's,
tag's and author's pages, its neighbours' and related stories'), about a tenth of rendering. Once the
writer starts, every article's and page's metadata is final, so `freeze()` makes each object remember
its answers until `thaw()`. Static files are left alone: Pelican may move them while linking.

An article's path relative to PATH (in every URL Pelican formats, and asked for five times per article
while reading) is remembered for as long as its source_path and PATH stay what they were.

And a URL setting is formatted from only the fields it names: Pelican's `url_format` copies the whole
metadata and works out six fields (the relative path among them) for every URL, even for
"{category}/{slug}/", which needs two. `_URLFields` gives each field the value Pelican would, on demand.
"""

from __future__ import annotations

import datetime
import itertools

from pelican.utils import path_to_url

from .pelican_compat import ORIGINAL_RELATIVE_SOURCE_PATH, ORIGINAL_URL_SETTING, STATIC_CLASS, format_urls_with

_original = ORIGINAL_URL_SETTING
_original_relative = ORIGINAL_RELATIVE_SOURCE_PATH
Static = STATIC_CLASS
_generations = itertools.count(1)
_current = 0  # 0: not frozen


def _get_url_setting(self, key):
    if not _current or isinstance(self, Static):
        return _original(self, key)
    memo = self.__dict__.get("_newsroom_urls")
    if memo is None or memo[0] != _current:
        memo = self.__dict__["_newsroom_urls"] = (_current, {})
    urls = memo[1]
    if key not in urls:
        urls[key] = _original(self, key)
    return urls[key]


def _get_relative_source_path(self, source_path=None):
    if source_path or isinstance(self, Static):
        return _original_relative(self, source_path)
    key = (self.source_path, self.settings["PATH"])
    memo = self.__dict__.get("_newsroom_relative")
    if memo is None or memo[0] != key:
        memo = self.__dict__["_newsroom_relative"] = (key, _original_relative(self))
    return memo[1]


_NO_DATE = object()


class _URLFields(dict):
    """Pelican's Content.url_format, field by field: the fields it sets, else the metadata's."""

    def __init__(self, content):
        super().__init__()
        self.content = content

    def __missing__(self, name):
        content = self.content
        if name == "path":
            value = path_to_url(content.metadata.get("path", content.get_relative_source_path()))
        elif name == "slug":
            value = getattr(content, "slug", "")
        elif name == "lang":
            value = getattr(content, "lang", "en")
        elif name == "date":
            value = getattr(content, "date", _NO_DATE)
            value = datetime.datetime.now() if value is _NO_DATE else value
        elif name == "author":
            value = content.author.slug if hasattr(content, "author") else ""
        elif name == "category":
            value = content.category.slug if hasattr(content, "category") else ""
        else:
            value = content.metadata[name]  # a KeyError, as str.format(**url_format) gives
        self[name] = value
        return value


def expand_settings(self, key, klass=None):
    fq_key = f"{klass or self.__class__.__name__}_{key}".upper()
    return str(self.settings[fq_key]).format_map(_URLFields(self))


def install(_pelican=None) -> None:
    format_urls_with(_get_url_setting, _get_relative_source_path, expand_settings)


def freeze() -> None:
    global _current
    _current = next(_generations)


def thaw() -> None:
    global _current
    _current = 0

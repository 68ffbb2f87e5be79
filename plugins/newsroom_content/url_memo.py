"""Articles' and pages' URLs worked out once per build while the pages are written.

Pelican's `Content.url` and `save_as` are properties that format the URL setting afresh on every use:
at 10,000 articles the templates ask about 200,000 times (a story's link is on its page, its section's,
tag's and author's pages, its neighbours' and related stories'), about a tenth of rendering. Once the
writer starts, every article's and page's metadata is final, so `freeze()` makes each object remember
its answers until `thaw()`. Static files are left alone: Pelican may move them while linking.
"""

from __future__ import annotations

import itertools

from pelican.contents import Content, Static

_original = Content.get_url_setting
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


def install(_pelican=None) -> None:
    Content.get_url_setting = _get_url_setting


def freeze() -> None:
    global _current
    _current = next(_generations)


def thaw() -> None:
    global _current
    _current = 0

"""The one order of articles: by date, then by source path.

Pelican sorts articles by date alone and keeps ties (a morning's batch shares its Date to the minute) in
the order the files were read, which is a set's: it changes with PYTHONHASHSEED, so one build listed a
tied pair one way and the next the other (issue 16). Every list of articles on the site is this order or
is taken from a list in it: Pelican's article lists (ARTICLE_ORDER_BY, set by newsroom_content.py) and so
`dates`, the sections, desks, tags, authors and months, neighbours, related stories, the front page, and
the feeds.

The rule: chronological order is (date, source path relative to PATH); newest first is exactly its
reverse. Of two stories with the same Date, the one whose path sorts later counts as the newer, whichever
way a list runs, so a section's newest-first page, the newer/older links and an oldest-first list agree.
The path is Pelican's `relative_source_path` ("articles/europe/ferry.md"): the same string in every build,
process and cache, unlike the order files are read in or an absolute path. Equal instants written in
different time zones count as a tie.
"""

from __future__ import annotations


def chronological_key(item) -> tuple:
    """Oldest first when sorted ascending; total, since no two articles share a source file."""
    return item.date, item.relative_source_path


def oldest_first(items) -> list:
    return sorted(items, key=chronological_key)


def newest_first(items) -> list:
    return sorted(items, key=chronological_key, reverse=True)


class NewestFirst:
    """newest_first for many sublists of one list of articles (the feeds: every section's, tag's and
    author's): each article's place in the whole list, newest first, is worked out once, and a sublist is
    sorted by those places, which is the same order."""

    def __init__(self, items):
        self.everything = newest_first(items)
        self.place = {id(item): i for i, item in enumerate(self.everything)}

    def __call__(self, items) -> list:
        place = self.place
        try:
            return sorted(items, key=lambda item: place[id(item)])
        except KeyError:  # an item the whole list does not have
            return newest_first(items)


class _Descending:
    """Sorts in the opposite order of the value it holds."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return other.value < self.value

    def __eq__(self, other):
        return self.value == other.value


def newest_first_key(item) -> _Descending:
    """newest_first's order as an ascending key, for ARTICLE_ORDER_BY: Pelican's order_content sorts with a
    callable's key and no `reverse`."""
    return _Descending(chronological_key(item))

"""The months on either side of each monthly archive page, chosen once per build.

Pelican gives a monthly archive page its `period`, the tuple (year, month name). Here each month's tuple
becomes an ArchiveMonth, the same tuple with `previous` and `next`: the nearest earlier and later months
that have articles (months without any have no page, so they are skipped), or None at either end.
theme/templates/period_archives.html links them.

The build engine keeps a listing page whose key is unchanged, and a listing's key names its term by the
term's `name` (newsroom_engine render_cache, RenderKeys.key). An ArchiveMonth's `name` therefore spells out
its neighbours too, so a new month re-renders the month beside it, whose link to it appears.
tests/test_incremental.py checks that.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MonthLink:
    label: str  # "October 2026"
    url: str  # relative to SITEURL, as Pelican's archive URLs are


class ArchiveMonth(tuple):
    """Pelican's (year, month name) tuple, with the months before and after it that have articles."""

    previous: MonthLink | None
    next: MonthLink | None

    def __new__(cls, period, previous: MonthLink | None = None, next: MonthLink | None = None):
        month = super().__new__(cls, period)
        month.previous, month.next = previous, next
        return month

    def __getnewargs__(self):
        return (tuple(self), self.previous, self.next)

    @property
    def label(self) -> str:
        return f"{self[1]} {self[0]}"

    @property
    def name(self) -> str:
        """What the page shows of this month and its neighbours (the engine's key for the page reads it)."""
        return " | ".join([self.label, *(f"{link.label} {link.url}" if link else "-"
                                         for link in (self.previous, self.next))])


def link_months(months: list[dict]) -> None:
    """Give each of Pelican's monthly archive groups (dicts with `period`, `period_num` and `url`) an
    ArchiveMonth as its `period`, in place."""
    ordered = sorted(months, key=lambda month: tuple(month["period_num"]))
    links = [MonthLink(f"{month['period'][1]} {month['period'][0]}", month["url"]) for month in ordered]
    for i, month in enumerate(ordered):
        month["period"] = ArchiveMonth(tuple(month["period"]), links[i - 1] if i > 0 else None,
                                       links[i + 1] if i + 1 < len(links) else None)

"""What the /feeds/ page shows, grouped as a reader looks for it: the whole paper first, then each desk
with its sections, then writers and topics. theme/templates/feeds.html only lays this out.

Every feed carries its absolute addresses, the ones a reader pastes into a feed reader (the same as the
feed's own self link), and a name that tells its links apart from the many other "RSS" links on the page
("Sport desk" and "Sport section").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .catalog import Feed, FeedCatalog


@dataclass(frozen=True)
class FeedAddress:
    format: str  # rss, atom or json
    label: str  # RSS, Atom, JSON Feed
    type: str  # media type
    path: str  # site-relative, for the link
    url: str  # absolute, to copy

    @property
    def url_parts(self) -> tuple[str, ...]:
        """The address cut after each "/", where the template lets a narrow column wrap it (<wbr>)."""
        return tuple(re.findall(r"[^/]*/+|[^/]+$", self.url))


@dataclass(frozen=True)
class FeedEntry:
    name: str  # what the row shows: "Middle East", "Everything from World"
    accessible_name: str  # what tells its links apart: "Middle East section", "World desk"
    page: str  # site-relative URL of the page the feed follows
    addresses: tuple[FeedAddress, ...]

    @property
    def main(self) -> FeedAddress:
        """The address shown to copy: RSS, the format every reader takes."""
        return self.addresses[0]


@dataclass(frozen=True)
class DeskGroup:
    slug: str
    name: str
    desk: FeedEntry
    sections: tuple[FeedEntry, ...]


@dataclass(frozen=True)
class FeedGroup:
    id: str  # for the heading's id
    heading: str
    noun: str  # "writers", "topics": the disclosure's summary counts them
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True)
class FeedsPage:
    paper: FeedEntry
    desks: tuple[DeskGroup, ...]
    more: tuple[FeedGroup, ...]  # writers and topics, each folded away under a disclosure
    corrections: FeedEntry | None = None  # every correction, newest first (the /corrections/ page's feed)

    def __iter__(self):
        """Every entry on the page, in page order."""
        yield self.paper
        for group in self.desks:
            yield group.desk
            yield from group.sections
        for group in self.more:
            yield from group.entries
        if self.corrections is not None:
            yield self.corrections


def entry(feed: Feed, url, name: str | None = None, accessible_name: str | None = None) -> FeedEntry:
    return FeedEntry(
        name=name or feed.name,
        accessible_name=accessible_name or feed.name,
        page=feed.page,
        addresses=tuple(FeedAddress(f.format, f.label, f.type, f.path, url(f.path)) for f in feed.files),
    )


def feeds_page(catalog: FeedCatalog, url) -> FeedsPage:
    """The /feeds/ page's groups; `url` makes a site-relative path absolute (FeedSettings.url)."""
    desks = tuple(
        DeskGroup(
            slug=desk.slug, name=desk.name,
            desk=entry(desk, url, f"Everything from {desk.name}", f"{desk.name} desk"),
            sections=tuple(entry(s, url, accessible_name=f"{s.name} section")
                           for s in catalog.sections if s.desk == desk.slug),
        )
        for desk in catalog.desks
    )
    # A section outside every desk (none today) still gets its feed listed.
    placed = {s.slug for group in desks for s in catalog.sections if s.desk == group.slug}
    loose = tuple(entry(s, url, accessible_name=f"{s.name} section") for s in catalog.sections if s.slug not in placed)
    more = tuple(group for group in (
        FeedGroup("sections", "Other sections", "sections", loose),
        FeedGroup("authors", "Writers", "writers", tuple(entry(a, url, accessible_name=f"{a.name}, writer") for a in catalog.authors)),
        FeedGroup("tags", "Topics", "topics", tuple(entry(t, url, accessible_name=f"{t.name} topic") for t in catalog.tags)),
    ) if group.entries)
    corrections = (entry(catalog.corrections, url, "Every correction we have made", "Corrections")
                   if catalog.corrections is not None else None)
    return FeedsPage(paper=entry(catalog.paper, url, "All articles", "All articles"), desks=desks, more=more,
                     corrections=corrections)

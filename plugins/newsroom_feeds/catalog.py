"""Which feeds the site has: the whole paper, each desk, section, author and tag, and the corrections.

The catalog is built once per build from what the article generator published, and is also what the
templates see as NEWSROOM_FEEDS: the <link rel="alternate"> partial asks it for the current page's feed
and the /feeds/ page lists it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsroom_content.corrections import CORRECTIONS_URL, corrected_articles

from .items import xml_safe

# format -> (file extension, media type, label for readers)
FORMATS = {
    "rss": ("rss.xml", "application/rss+xml", "RSS"),
    "atom": ("atom.xml", "application/atom+xml", "Atom"),
    "json": ("json", "application/feed+json", "JSON Feed"),
}
FEEDS_DIR = "feeds"
PAGE_URL = f"{FEEDS_DIR}/"
PAGE_SAVE_AS = f"{FEEDS_DIR}/index.html"


@dataclass(frozen=True)
class FeedFile:
    format: str
    path: str  # site-relative, e.g. feeds/section/europe.rss.xml
    type: str
    label: str


def feed_path(kind: str, slug: str, fmt: str) -> str:
    ext = FORMATS[fmt][0]
    if kind == "paper":
        return f"{FEEDS_DIR}/all.{ext}"
    if kind == "corrections":
        return f"{FEEDS_DIR}/corrections.{ext}"
    return f"{FEEDS_DIR}/{kind}/{slug}.{ext}"


@dataclass
class Feed:
    kind: str  # paper, desk, section, author, tag or corrections
    slug: str
    name: str
    title: str
    description: str
    page: str  # site-relative URL of the HTML page the feed follows
    articles: list = field(repr=False)
    formats: tuple[str, ...] = ("rss", "atom")
    desk: str = ""  # a section's desk (its slug)

    @property
    def files(self) -> list[FeedFile]:
        return [FeedFile(fmt, feed_path(self.kind, self.slug, fmt), FORMATS[fmt][1], FORMATS[fmt][2]) for fmt in self.formats]

    def file(self, fmt: str) -> FeedFile | None:
        return next((f for f in self.files if f.format == fmt), None)


class FeedCatalog:
    """The feeds of articles (iterating gives them), and `corrections`: a feed of corrections, whose items
    are the corrections rather than the stories (newsroom_feeds.py writes it apart)."""

    def __init__(self, paper: Feed, desks=(), sections=(), authors=(), tags=(), corrections: Feed | None = None):
        self.paper = paper
        self.desks, self.sections, self.authors, self.tags = list(desks), list(sections), list(authors), list(tags)
        self.corrections = corrections
        self._index = {(f.kind, f.slug): f for f in self}

    def __iter__(self):
        yield self.paper
        yield from self.desks
        yield from self.sections
        yield from self.authors
        yield from self.tags

    def __len__(self) -> int:
        return 1 + len(self.desks) + len(self.sections) + len(self.authors) + len(self.tags)

    def find(self, kind: str, slug: str) -> Feed | None:
        return self._index.get((kind, slug))


def build_catalog(context: dict, sitename: str, description: str) -> FeedCatalog:
    """Every feed with its published articles, in the order the site lists them."""
    sitename = xml_safe(sitename)
    paper = Feed("paper", "all", sitename, sitename, description, "", list(context.get("articles", [])), ("rss", "atom", "json"))
    desks, sections = [], []
    for desk in context.get("NEWSROOM_DESK_LIST", []):
        desks.append(Feed(
            "desk", desk.slug, desk.name, f"{desk.name} | {sitename}",
            f"The latest from the {desk.name} desk of {sitename}.", desk.url, list(desk.articles),
        ))
        for section in desk.sections:
            sections.append(Feed(
                "section", section.slug, section.name, f"{section.name} | {sitename}",
                f"The latest {section.name} articles from {sitename}.", section.url, list(section.articles),
                desk=desk.slug,
            ))
    authors = [
        Feed("author", author.slug, xml_safe(author.name), f"{xml_safe(author.name)} | {sitename}",
             f"Articles by {xml_safe(author.name)} in {sitename}.", author.url, list(articles))
        for author, articles in sorted(context.get("authors", []), key=lambda pair: (pair[0].name.casefold(), pair[0].slug))
    ]
    tags = [
        Feed("tag", tag.slug, xml_safe(tag.name), f"{xml_safe(tag.name)} | {sitename}",
             f"Articles about {xml_safe(tag.name)} in {sitename}.", tag.url, list(articles))
        for tag, articles in sorted(context.get("tags", []), key=lambda pair: (pair[0].name.casefold(), pair[0].slug))
    ]
    corrections = Feed(
        "corrections", "corrections", "Corrections", f"Corrections | {sitename}",
        f"Every correction {sitename} has made to a published article, newest first.", CORRECTIONS_URL,
        corrected_articles(context.get("articles", [])),
    )
    return FeedCatalog(paper, desks, sections, authors, tags, corrections)

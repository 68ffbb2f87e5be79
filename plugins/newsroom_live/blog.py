"""A live blog's parts and what a build shows of them, as pure functions and small classes.

`read_parts` turns a live blog's story HTML (as read: Markdown, sanitised) and its file into `LiveParts`:
the introduction and each update's HTML, with the fields of its heading (newsroom_content.live), kept with
the cached Article. `story_html` writes them back as the story every other reader of the HTML gets (feeds,
search, the standfirst): the introduction, then the updates shown, newest first, each under a plain heading
with its own anchor. `LiveBlog` is what the templates, the JSON file and the structured data read in one
build: the state on the build's clock, the updates shown (an update timed after the clock waits for it),
the key events.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup, Tag
from markdown import Markdown

from newsroom_content.live import LIVE_ENDED, LIVE_UNTIL, LiveSpec, UpdateHead, parse_live_value, parse_updates, update_id

PLUGIN = "newsroom_live"
JSON_NAME = "updates.json"  # beside the article's page: /<section>/<slug>/updates.json
FEED_NAME = "updates.atom.xml"  # the blog's own Atom feed of its updates, beside it too
FORMAT = "newsroom-live/1"
TAG_RE = re.compile(r"<[^>]+>")


class LiveSplitError(Exception):
    pass


@dataclass(frozen=True)
class UpdatePart:
    id: str
    at: dt.datetime
    headline: str  # plain text with the story's curly quotes and dashes
    key: bool
    byline: str
    html: str  # the update's story, as read (links not yet resolved)


@dataclass(frozen=True)
class LiveParts:
    spec: LiveSpec
    intro_html: str
    updates: tuple[UpdatePart, ...]  # oldest first, as in the file


@functools.cache
def _smarty() -> Markdown:
    return Markdown(extensions=["markdown.extensions.smarty"])


def smart_text(typed: str) -> str:
    """A heading's words as plain text with smarty's punctuation (as the story's headline gets)."""
    if not typed:
        return ""
    md = _smarty()
    md.reset()
    return " ".join(html.unescape(TAG_RE.sub("", md.convert(typed))).split())


def split_story(story: str, count: int) -> tuple[str, list[str]]:
    """The HTML before the first top-level <h2>, and the HTML after each of the `count` top-level <h2>s."""
    soup = BeautifulSoup(story or "", "html.parser")
    intro: list[str] = []
    chunks: list[list[str]] = []
    for node in soup.contents:
        if isinstance(node, Tag) and node.name == "h2":
            chunks.append([])
            continue
        (chunks[-1] if chunks else intro).append(str(node))
    if len(chunks) != count:
        raise LiveSplitError(f"the story has {len(chunks)} top-level `##` heading(s) for {count} update(s)")
    return "".join(intro).strip(), ["".join(c).strip() for c in chunks]


def read_parts(text: str, story: str, published: dt.datetime, live_value: str, timezone: str) -> LiveParts:
    """A live blog's parts from its file's text and its story HTML as read. The check has passed the file."""
    tz = ZoneInfo(timezone or "UTC")
    if published.tzinfo is None:
        published = published.replace(tzinfo=tz)
    spec = parse_live_value(str(live_value), tz) or LiveSpec(LIVE_ENDED)
    heads, _issues = parse_updates(text, published, tz)
    intro, chunks = split_story(story, len(heads))
    taken: set[str] = set()
    updates = tuple(
        UpdatePart(update_id(h.at, taken), h.at, smart_text(h.headline), h.key, h.byline, chunk)
        for h, chunk in zip(heads, chunks)
    )
    return LiveParts(spec, intro, updates)


def time_text(at: dt.datetime) -> str:
    return f"{at:%H:%M}"


def heading_html(part: UpdatePart) -> str:
    words = f"{time_text(part.at)} {part.headline}".strip()
    return f'<h2 id="{part.id}">{html.escape(words, quote=False)}</h2>'


def story_html(parts: LiveParts, shown: list[UpdatePart]) -> str:
    """The story as feeds, search and the standfirst read it: the introduction, then the updates shown,
    newest first, each under its own heading (which the page splits it at again: `LiveBlog.update_html`)."""
    pieces = [parts.intro_html] if parts.intro_html else []
    for part in reversed(shown):
        pieces.append(heading_html(part))
        if part.byline:
            pieces.append(f"<p><em>{html.escape(part.byline, quote=False)}</em></p>")
        pieces.append(part.html)
    return "\n".join(pieces)


@dataclass(frozen=True)
class UpdateView:
    """One update as the page, the JSON file and the feeds show it."""

    id: str
    at: dt.datetime
    time_text: str  # 21:45
    date_text: str  # "18 Nov", when the blog runs over more than one day; else ""
    headline: str
    key: bool
    byline: str
    part: UpdatePart


class LiveBlog:
    """A live blog in one build: `article.live`, read by the templates, the JSON file, feeds and JSON-LD."""

    def __init__(self, article, parts: LiveParts, now: dt.datetime, poll_seconds: int):
        self.article, self.parts = article, parts
        self.spec = parts.spec
        shown = [u for u in parts.updates if u.at <= now]
        self.waiting = [u for u in parts.updates if u.at > now]  # timed after the build's clock
        self.is_live = self.spec.is_live(now)
        self.state = "live" if self.is_live else "ended"
        self.poll_seconds = poll_seconds
        days = {u.at.date() for u in shown} | {article.date.date()}
        several = len(days) > 1
        self.updates = [
            UpdateView(u.id, u.at, time_text(u.at), f"{u.at.day} {u.at:%b}" if several else "", u.headline, u.key, u.byline, u)
            for u in reversed(shown)
        ]  # newest first
        self.key_events = [u for u in self.updates if u.key]
        self.started = article.date
        self.last_updated = self.updates[0].at if self.updates else None
        # When coverage ended: the end time once passed; `Live: ended`, the last update (or the start).
        if self.spec.mode == LIVE_UNTIL:
            self.ends = self.spec.until
        elif not self.is_live:
            self.ends = self.last_updated or article.date
        else:
            self.ends = None
        self.ended_at = None if self.is_live else self.ends
        self.json_url = article.url + JSON_NAME
        self.feed_url = article.url + FEED_NAME
        self._resolved = None

    @property
    def shown_parts(self) -> list[UpdatePart]:
        return [u.part for u in reversed(self.updates)]

    def update_html(self, update: UpdateView) -> str:
        """The update's story with its links resolved, from the article's content (story_html's layout)."""
        if self._resolved is None:
            content = self.article.content or ""
            found = {}
            order = [(u.id, heading_html(u.part)) for u in self.updates]
            positions = [(content.find(marker), uid, marker) for uid, marker in order]
            positions.sort()
            found["#intro"] = (content[:positions[0][0]] if positions else content).strip()
            for i, (start, uid, marker) in enumerate(positions):
                end = positions[i + 1][0] if i + 1 < len(positions) else len(content)
                chunk = content[start + len(marker):end].strip()
                byline = next(u.byline for u in self.updates if u.id == uid)
                if byline:
                    chunk = chunk.removeprefix(f"<p><em>{html.escape(byline, quote=False)}</em></p>").strip()
                found[uid] = chunk
            self._resolved = found
        return self._resolved.get(update.id, "")

    @property
    def intro_html(self) -> str:
        """The introduction (the story so far), links resolved."""
        if self._resolved is None and self.updates:
            self.update_html(self.updates[0])
        elif self._resolved is None:
            self._resolved = {"#intro": (self.article.content or "").strip()}
        return self._resolved.get("#intro", "")

    def clock_state(self) -> str:
        """What of the blog the build's clock decides (not its file): live or ended, and how many updates wait."""
        return f"{self.state}:{len(self.waiting)}"


def iso(when: dt.datetime) -> str:
    return when.isoformat(timespec="seconds")

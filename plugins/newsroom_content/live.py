"""Live coverage: the `Live:` field and the timestamped updates of a live blog, as pure functions.

A live blog is an ordinary article file with `Live:` in its metadata. Its story is an optional introduction
(what the reader needs first: the story so far) followed by updates, oldest first, each starting with a
second-level heading that carries its time:

    ## 21:45 Turnout is 61 per cent
    ## 22:10 Nurses vote to strike | key event | by Tom Reeve
    ## 2026-11-19 00:15 Union names the first strike days

* The time is `HH:MM` (24-hour, in the paper's TIMEZONE) on the day of the update above it (the first
  update: the day of the article's `Date`), or `YYYY-MM-DD HH:MM` to give the day too: past midnight, write
  the date once and the updates after it take that day.
* After the time, an optional headline. After a `|`, optional tags: `key event` (the update is listed in
  the page's "Key events") and `by <Name>` (the update's byline: a name from authors.yml). Write `\\|` for a
  `|` in the headline.
* Every `##` heading of a live blog starts an update; a subheading inside an update is `###`.

`Live: yes` while the blog runs, `Live: ended` once it is over, or `Live: 2026-11-18 22:00` (an end time,
in TIMEZONE unless an offset is given): live until then, ended after it, with no commit needed.

Used by the checks (newsroom_checks.live: every problem, with the file's line) and by the build
(newsroom_live), so both read a file the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

LIVE_YES, LIVE_ENDED, LIVE_UNTIL = "yes", "ended", "until"
KEY_EVENT_TAG = "key event"
# `## ` (no `###`), up to three spaces in, as Markdown reads a heading.
MARKER_RE = re.compile(r"^ {0,3}##(?!#)(?:[ \t]+(?P<rest>.*?))?[ \t]*#*[ \t]*$")
TIME_RE = re.compile(
    r"^(?:(?P<date>\d{4}-\d{2}-\d{2})[ T]+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?![\d:])\s*(?P<headline>.*)$"
)
LOOKS_LIKE_TIME_RE = re.compile(r"^(?:\d{4}-\d{2}-\d{2}\s+)?\d{1,2}[:.h]\d")
SETEXT_RE = re.compile(r"^ {0,3}-+[ \t]*$")  # dashes under a line of text make it a second-level heading
RAW_H2_RE = re.compile(r"^\s*<h2[\s>]", re.I)
FENCE_RE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
PIPE_RE = re.compile(r"(?<!\\)\|")
END_RE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<time>\d{2}:\d{2})\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?$")

UPDATE_SYNTAX = "`## HH:MM Headline`, e.g. `## 21:45 Turnout is 61 per cent`"


@dataclass(frozen=True)
class LiveSpec:
    """What `Live:` says: LIVE_YES, LIVE_ENDED, or LIVE_UNTIL with `until` (aware)."""

    mode: str
    until: dt.datetime | None = None

    def is_live(self, now: dt.datetime) -> bool:
        if self.mode == LIVE_UNTIL:
            return now < self.until
        return self.mode == LIVE_YES


@dataclass(frozen=True)
class UpdateHead:
    """One update's heading line as typed."""

    line: int  # in the file
    at: dt.datetime  # aware, in the site's timezone
    headline: str  # as typed (plain text, `\\|` unescaped); "" when none
    key: bool
    byline: str  # "" when none
    dated: bool  # the heading gave the date


@dataclass(frozen=True)
class LiveIssue:
    """A problem found while reading updates (newsroom_checks.live words it as a Problem)."""

    line: int
    field: str
    message: str
    fix: str


def parse_live_value(value: str, tz: dt.tzinfo) -> LiveSpec | None:
    """`yes`, `ended` or an end time (`YYYY-MM-DD HH:MM`, optional offset); None for anything else."""
    text = (value or "").strip()
    if text.lower() in ("yes", "true", "live"):
        return LiveSpec(LIVE_YES)
    if text.lower() in ("ended", "no", "over"):
        return LiveSpec(LIVE_ENDED)
    m = END_RE.match(text)
    if not m:
        return None
    try:
        when = dt.datetime.fromisoformat(f"{m['date']} {m['time']}")
    except ValueError:
        return None
    if m["tz"]:
        zone = m["tz"]
        if zone == "Z":
            return LiveSpec(LIVE_UNTIL, when.replace(tzinfo=dt.timezone.utc))
        sign = 1 if zone[0] == "+" else -1
        hours, minutes = int(zone[1:3]), int(zone[-2:])
        if hours > 14 or minutes > 59:
            return None
        return LiveSpec(LIVE_UNTIL, when.replace(tzinfo=dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))))
    return LiveSpec(LIVE_UNTIL, when.replace(tzinfo=tz))


def body_start(text: str) -> int:
    """The index (0-based) of the first line after the metadata's blank line (newsroom_checks.frontmatter's rule)."""
    lines = text.split("\n")
    for i, raw in enumerate(lines):
        if not raw.strip():
            return i + 1
    return len(lines)


def update_id(at: dt.datetime, taken: set[str]) -> str:
    """The update's anchor: `update-2026-11-18-2145`, `-2`, `-3` for more updates in the same minute."""
    base = f"update-{at:%Y-%m-%d-%H%M}"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


def _tags(parts: list[str], line: int, issues: list[LiveIssue]) -> tuple[bool, str]:
    key, byline = False, ""
    for raw in parts:
        tag = " ".join(raw.split())
        if not tag:
            continue
        if tag.lower() == KEY_EVENT_TAG:
            key = True
        elif tag.lower().startswith("by "):
            byline = tag[3:].strip()
        else:
            issues.append(LiveIssue(line, "Update", f"the tag {tag!r} after `|` is not one an update can have.",
                                    "use `| key event` to list it in Key events, `| by Name` for its byline, or "
                                    "write `\\|` for a `|` in the headline."))
    return key, byline


def parse_updates(text: str, published: dt.datetime, tz: dt.tzinfo) -> tuple[list[UpdateHead], list[LiveIssue]]:
    """Every update heading in an article file's story, in file order, and what is wrong with them.

    `published`: the article's Date (aware), the day a time-only first update is on. Checks here depend
    only on the file: the order of the updates, each time being a time, none before the Date. (Whether an
    update is after the end time is the caller's, who knows the `Live:` field.)"""
    lines = text.split("\n")
    heads: list[UpdateHead] = []
    issues: list[LiveIssue] = []
    fence = None
    day = published.astimezone(tz).date()
    previous: UpdateHead | None = None
    for index in range(body_start(text), len(lines)):
        raw = lines[index].removesuffix("\r")
        number = index + 1
        f = FENCE_RE.match(raw)
        if f:
            mark = f["fence"]
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        m = MARKER_RE.match(raw)
        above = lines[index - 1].strip() if index > body_start(text) else ""
        if not m and SETEXT_RE.match(raw) and above and not MARKER_RE.match(lines[index - 1]):
            issues.append(LiveIssue(number, "Update", "the dashes under the line above make it a `##` heading, which in a live blog starts an update.",
                                    "for a rule, put a blank line above the dashes; for an update, write its heading as " + UPDATE_SYNTAX + "."))
            continue
        if not m and RAW_H2_RE.match(raw):
            issues.append(LiveIssue(number, "Update", "an <h2> in a live blog would start an update without a time.",
                                    f"write the update's heading as {UPDATE_SYNTAX}, or use <h3> for a subheading."))
            continue
        if not m:
            continue
        parts = PIPE_RE.split(m["rest"] or "")
        first = parts[0].strip()
        t = TIME_RE.match(first)
        if not t:
            what = "has a time that cannot be read" if LOOKS_LIKE_TIME_RE.match(first) else "does not start with a time"
            issues.append(LiveIssue(number, "Update", f"the heading {raw.strip()[:60]!r} {what}: in a live blog every `##` heading starts an update.",
                                    f"write {UPDATE_SYNTAX} (24-hour clock); for a subheading inside an update use `###`."))
            continue
        hour, minute = int(t["hour"]), int(t["minute"])
        if hour > 23 or minute > 59:
            issues.append(LiveIssue(number, "Update", f"{t['hour']}:{t['minute']} is not a time of day.",
                                    f"use the 24-hour clock, 00:00 to 23:59: {UPDATE_SYNTAX}."))
            continue
        dated = bool(t["date"])
        if dated:
            try:
                day = dt.date.fromisoformat(t["date"])
            except ValueError:
                issues.append(LiveIssue(number, "Update", f"{t['date']!r} is not a date.",
                                        "write the date as YYYY-MM-DD, e.g. `## 2026-11-19 00:15 Headline`."))
                continue
        at = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)
        headline = " ".join(t["headline"].replace("\\|", "|").split())
        key, byline = _tags(parts[1:], number, issues)
        head = UpdateHead(number, at, headline, key, byline, dated)
        in_order = True
        if previous is not None and at < previous.at:
            in_order = False
            fix = "updates go oldest first, each new one below the last: check the time, or move the update."
            if not dated and previous.at.date() == day:
                fix = (f"updates go oldest first; if it is past midnight, give the date once: "
                       f"`## {day + dt.timedelta(days=1):%Y-%m-%d} {hour:02d}:{minute:02d}` (the updates after it take that day).")
            issues.append(LiveIssue(number, "Update", f"{at:%H:%M} on {at:%Y-%m-%d} is earlier than the update above it "
                                    f"(line {previous.line}, {previous.at:%Y-%m-%d %H:%M}).", fix))
        elif at < published:
            in_order = False
            issues.append(LiveIssue(number, "Update", f"{at:%Y-%m-%d %H:%M} is before the article's Date ({published.astimezone(tz):%Y-%m-%d %H:%M}).",
                                    "an update cannot come before the live blog starts: check the time, or move the Date earlier."))
        heads.append(head)
        if in_order:  # the next update is compared with the last one in order, not with a slip
            previous = head
    return heads, issues

"""The checks of a live blog (newsroom_content.live reads it): its `Live:` field, how it goes with `Type:`,
and its updates' headings. Pure: file text in, Problems out, with the bylines for the site-wide check
against authors.yml (newsroom_checks.site)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from newsroom_content.article_types import article_type
from newsroom_content.live import LIVE_UNTIL, parse_live_value, parse_updates

from .frontmatter import Header
from .problems import Problem

LIVE_HELP = "write `Live: yes` while the blog runs, `Live: ended` once it is over, or its end time, e.g. `Live: 2026-11-18 22:00`"


def check_live(path: str, header: Header, text: str, published: dt.datetime | None,
               settings: dict) -> tuple[list[Problem], list[tuple[str, int]]]:
    """Every problem with a live blog's fields and updates, and its updates' bylines as (name, line).
    `published`: the article's Date, parsed (naive is in TIMEZONE), or None when it has none that reads."""
    tz = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    value = header.get("live")
    kind = article_type(header.get("type"))
    if value is None:
        if kind == "Live" and header.get("type"):
            return [Problem(path, header.line("type"), "Type", "is Live, but the article has no `Live:` line.",
                            f"{LIVE_HELP}; a live blog's Type is Live without the Type line.")], []
        return [], []
    problems: list[Problem] = []
    if header.get("type") and kind not in (None, "Live"):
        problems.append(Problem(path, header.line("type"), "Type", f"{header.get('type')!r} contradicts `Live:`: a live blog's Type is Live.",
                                "remove the Type line (Live: makes it a live blog), or remove the Live line if it is not one."))
    spec = parse_live_value(value, tz)
    if spec is None:
        problems.append(Problem(path, header.line("live"), "Live", f"{value!r} is not yes, ended or an end time.", LIVE_HELP + "."))
    if published is None:
        return problems, []
    if published.tzinfo is None:
        published = published.replace(tzinfo=tz)
    if spec is not None and spec.mode == LIVE_UNTIL and spec.until < published:
        problems.append(Problem(path, header.line("live"), "Live", f"the end time {value!r} is before the article's Date.",
                                "the blog ends after it starts: check the end time and the Date."))
    heads, issues = parse_updates(text, published, tz)
    problems += [Problem(path, i.line, i.field, i.message, i.fix) for i in issues]
    if spec is not None and spec.mode == LIVE_UNTIL:
        for head in heads:
            if head.at > spec.until:
                problems.append(Problem(path, head.line, "Update", f"{head.at:%Y-%m-%d %H:%M} is after the blog's end time ({value}).",
                                        "check the update's time, or move the end time in the `Live:` line later."))
    return problems, [(head.byline, head.line) for head in heads if head.byline]

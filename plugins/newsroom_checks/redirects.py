"""URLs never break: which old URLs redirect where, worked out from the record and git's history.

An article's URL is fixed by its first publication. When an editor later changes its `Slug:` or its section
on purpose, the old URL must keep working; newsroom_redirects writes a redirect at it for every entry of the
map this module works out (a page at the old path, a `_redirects` line, an nginx map line).

Two sources, because either alone can lose an old URL:

* the record, `content/data/redirects.yml` (REDIRECTS_FILE): `/old/url/: /new/url/` lines, committed with
  the content. `make check` adds a line for every move it finds, and editors may add their own (a deleted
  story sent to its section, a section that was renamed). It survives anything git's history may not: a
  shallow clone, a squashed or rewritten history, a copy of the content without git;
* git's history (history.py): every commit that changed a live article's URL. It finds the moves no local
  tool saw (a commit through a browser editor, a merge on the forge), so the next build anywhere keeps the
  old URL working and says so, even before anyone records it.

The map is flat: every old URL goes straight to the live URL its story has now, so no reader follows a
chain. What stops a build (each a Problem naming the file, the line, the field and the fix): a recorded
redirect whose target does not exist, a chain or loop in the record, an old URL that a live page now uses,
and a URL that moved only because a headline changed in an article without a `Slug:` line (the accident
this guard exists for; the fix keeps the published URL). A warning: a published story that git saw deleted
(or made a draft) with no line in the record, since every link to it now ends on the "page not found" page;
the record's fix is a redirect (to its section, or to the story that replaced it), or `gone` (GONE) when the
story was taken down on purpose and readers should not be sent anywhere.

Pure functions of the records, the history and the record file's entries, but for `load_record` and
`write_record`.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from newsroom_content.data_files import load_yaml

from .history import History, UrlChange
from .problems import Problem
from .validation import ArticleRecord

REDIRECTS_FILE = "redirects.yml"
GONE = "gone"  # a record line's value for a story taken down on purpose: no redirect, and no warning
RECORD_HEADER = """\
# Old URLs that keep working: each line sends readers from an address the paper once published to the page
# that has it now (README.md, "Changing a published article's URL"). The build writes a redirect for each.
#
# `make check` adds a line whenever a published article's Slug or section changes, and keeps every line
# pointing straight at the story's current URL; commit this file with the change. You may add lines of
# your own, as `/old/url/: /new/url/` (a deleted story sent to its section, a renamed section's old page),
# or `/old/url/: gone` for a story taken down on purpose (no redirect; `make check` stops asking).
# The tools rewrite this file in URL order: keep notes in the commit message, not in comments here.
"""


@dataclass(frozen=True)
class RecordEntry:
    old: str  # relative to the site, without the leading slash: "europe/old-slug/"
    new: str  # likewise, or an absolute http(s) URL of another site
    line: int | None


@dataclass(frozen=True)
class Move:
    """An article or page whose URL changed since it was first published."""

    path: str  # its file
    line: int | None  # its Slug (or Title) line
    field: str  # "Slug" or "Category"
    old: str
    new: str
    commit: str | None  # where git saw the change; None when it is not committed yet or came from the record


@dataclass
class RedirectPlan:
    redirects: dict[str, str] = field(default_factory=dict)  # old URL -> new URL, both relative (or new absolute)
    problems: list[Problem] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)  # moves the record does not hold yet
    record: dict[str, str] = field(default_factory=dict)  # what the record file should hold
    record_changed: bool = False


def site_path(url: str) -> str:
    """A relative URL as readers type it: "europe/x/" -> "/europe/x/"."""
    return url if url.startswith(("http://", "https://")) else "/" + url


# --- the record file -------------------------------------------------------------------------------------------

def load_record(path: str) -> tuple[list[RecordEntry], list[Problem]]:
    """The record's entries, and the problems of its form (a missing file is an empty record)."""
    located, problems = load_yaml(path)
    if located is None or located.value is None:
        return [], problems
    if not isinstance(located.value, dict):
        return [], problems + [Problem(path, 1, "file", "must be a list of `/old/url/: /new/url/` lines.",
                                       "write one redirect per line, the old URL first, e.g. `/europe/old-slug/: /europe/new-slug/`.")]
    entries = []
    for old, new in located.value.items():
        line = located.lines.get(old)
        field_name = str(old)
        fix_form = "write it as `/section/slug/: /section/new-slug/`, each URL starting with /."
        if not isinstance(old, str) or not old.startswith("/") or old.startswith("//") or any(c.isspace() for c in old):
            problems.append(Problem(path, line, field_name, "is not an old URL of this site.", fix_form))
            continue
        if not isinstance(new, str) or not new.strip():
            problems.append(Problem(path, line, field_name, "has no new URL.", fix_form))
            continue
        new = new.strip()
        if new.lower() == GONE:
            entries.append(RecordEntry(old[1:], GONE, line))
            continue
        external = new.startswith(("https://", "http://"))
        if not external and (not new.startswith("/") or new.startswith("//") or any(c.isspace() for c in new)):
            problems.append(Problem(path, line, field_name, f"{new!r} is not a URL of this site or another.", fix_form))
            continue
        entries.append(RecordEntry(old[1:], new if external else new[1:], line))
    return entries, problems


def record_text(record: dict[str, str]) -> str:
    lines = [f"{quote(site_path(old))}: {GONE if new == GONE else quote(site_path(new))}" for old, new in sorted(record.items())]
    return RECORD_HEADER + "\n" + "".join(line + "\n" for line in lines)


def quote(url: str) -> str:
    """A URL as a YAML scalar: plain when YAML reads it back as the same text, else in double quotes."""
    plain = url and not any(c in url for c in ":#'\"{}[],&*!|>%@`") and url.strip() == url
    if plain:
        return url
    return '"' + url.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_record(path: str, record: dict[str, str]) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8", newline="\n") as f:
        f.write(record_text(record))
    os.replace(partial, path)


# --- the plan ---------------------------------------------------------------------------------------------------

def live_urls(records: list[ArticleRecord], now: dt.datetime) -> dict[str, ArticleRecord]:
    """URL -> the article or page readers reach there now (published or hidden, and not scheduled later)."""
    live = {}
    for rec in records:
        if rec.public and (rec.date is None or rec.date <= now):
            live.setdefault(rec.url, rec)
    return live


def plan_redirects(records: list[ArticleRecord], history: History, entries: list[RecordEntry], *,
                   record_path: str, content_root: str, listing_urls: dict[str, str], now: dt.datetime) -> RedirectPlan:
    """Every redirect the site needs, and every problem with them.

    `records`: every article and page as it is now; `history`: git's URL changes; `entries`: the record
    file's; `listing_urls`: URL -> what it is, for the section and desk pages and the front page (targets
    a recorded redirect may have, and URLs no redirect may take)."""
    plan = RedirectPlan()
    live = live_urls(records, now)
    targets = {**{url: what for url, what in listing_urls.items()}, **{url: rec.path for url, rec in live.items()}}

    # git's moves, in order: the latest change from each URL says where its story went.
    went: dict[str, UrlChange] = {}
    for change in sorted(history.changes, key=lambda c: c.when):
        went[change.old] = change

    def follow(url: str) -> tuple[str | None, UrlChange | None]:
        """Where a story that left `url` lives now and the change that brought it there; (None, the change
        that took it away) when it was deleted or unpublished; (None, None) when it is nowhere for another
        reason (scheduled again, a loop)."""
        seen, last = {url}, None
        while url not in live:
            change = went.get(url)
            if change is not None and change.new is None:
                return None, change
            if change is None or change.new in seen:
                return None, None
            seen.add(change.new)
            url, last = change.new, change
        return url, last

    recorded = {e.old: e for e in entries}

    derived: dict[str, tuple[str, UrlChange]] = {}
    refused_targets = set()
    for old, change in went.items():
        if old in live or old in listing_urls:
            # Someone lives there now: the story moved back, or another page took its old URL.
            owner = live.get(old)
            left = os.path.normpath(os.path.join(content_root, change.path))
            if owner is not None and os.path.normpath(owner.path) != left and change.new is not None:
                plan.problems.append(Problem(
                    owner.path, owner.slug_line, "Slug",
                    f"gives the URL {site_path(old)}, which {os.path.join(content_root, change.path)} had until "
                    f"{where(change).removeprefix('in ')}: links to that story now lead to this one.",
                    "give this article another `Slug:`, unless it is meant to take the old story's place.",
                    severity="warning",
                ))
            continue
        target, arrival = follow(old)
        if target is None:
            if arrival is not None and old not in recorded:
                plan.problems.append(gone_problem(old, arrival, record_path, content_root, listing_urls))
            continue
        rec = live[target]
        if arrival.by_title and not rec.slug_given and target not in refused_targets:
            refused_targets.add(target)
            old_slug = old.rstrip("/").rsplit("/", 1)[-1]
            new_slug = target.rstrip("/").rsplit("/", 1)[-1]
            plan.problems.append(Problem(
                rec.path, rec.slug_line, "Title",
                f"the new headline moved the published article from {site_path(old)} to {site_path(target)} "
                f"({where(arrival)}), because it has no `Slug:` line and its URL is made from the Title.",
                f"add the line `Slug: {old_slug}` to keep the URL readers and other sites link to; to move it "
                f"on purpose, add `Slug: {new_slug}` instead (the old URL will then redirect).",
            ))
        if target not in refused_targets:
            derived[old] = (target, arrival)

    # The record: each entry checked, and pointed at the story's current URL when git saw the story move on.
    record: dict[str, str] = {}
    for entry in entries:
        problem = check_entry(entry, recorded, targets, derived, record_path, live, listing_urls)
        if problem:
            plan.problems.append(problem)
            record[entry.old] = entry.new
            continue
        new = entry.new
        if new == GONE:
            record[entry.old] = new
            continue
        if new not in targets and new in derived:
            new = derived[new][0]  # its target moved on since: straight to where it is now
        record[entry.old] = new
        plan.redirects[entry.old] = new

    for old, (target, arrival) in sorted(derived.items()):
        if old in recorded:
            continue  # the editor's line wins
        plan.redirects[old] = target
        record[old] = target
        rec = live[target]
        old_section, new_section = old.split("/", 1)[0], target.split("/", 1)[0]
        moved_field = "Category" if rec.kind == "article" and old_section != new_section else "Slug"
        plan.moves.append(Move(rec.path, rec.slug_line, moved_field, old, target, arrival.commit))

    plan.record = record
    plan.record_changed = record != {e.old: e.new for e in entries}
    return plan


def gone_problem(old: str, change: UrlChange, record_path: str, content_root: str, listing_urls: dict[str, str]) -> Problem:
    """The warning for a published story that left the site with nothing in the record at its URL."""
    section = old.split("/", 1)[0] + "/"
    send = f"`{site_path(old)}: {site_path(section)}` (its section)" if section in listing_urls else f"`{site_path(old)}: /`"
    return Problem(
        os.path.join(content_root, change.path), None, "file",
        f"was published at {site_path(old)} until {where(change).removeprefix('in ')}, when it was deleted or made "
        "a draft: links to it from other sites, feeds and social posts now end on the \"page not found\" page.",
        f"add {send} or a line to the story that replaced it to {record_path}; if it was taken down on purpose, add "
        f"`{site_path(old)}: gone` there instead.",
        severity="warning",
    )


def where(change: UrlChange) -> str:
    return f"in commit {change.commit}" if change.commit else "in your copy, not committed yet"


def check_entry(entry: RecordEntry, recorded: dict[str, RecordEntry], targets: dict[str, str],
                derived: dict, path: str, live: dict[str, ArticleRecord], listing_urls: dict[str, str]) -> Problem | None:
    """The problem with one line of the record, if it has one."""
    old, new = site_path(entry.old), site_path(entry.new)
    if entry.old == entry.new:
        return Problem(path, entry.line, old, "redirects to itself.", "remove the line.")
    if entry.old in targets:
        owner = targets[entry.old]
        return Problem(
            path, entry.line, old, f"is the URL of {owner} now, so this redirect would hide it (or never be followed).",
            f"remove the line to let {owner} keep the URL, or give {owner} another URL first.")
    if entry.new == GONE or entry.new.startswith(("http://", "https://")):
        return None
    if entry.new in recorded:
        chain, url = [entry.old], entry.new
        while url in recorded and url not in chain:
            chain.append(url)
            url = recorded[url].new
        if url in chain:
            loop = " -> ".join(site_path(u) for u in chain + [url])
            return Problem(path, entry.line, old, f"is part of a loop of redirects ({loop}): readers would never arrive.",
                           f"point {old} at the page readers should reach, and remove the lines that lead back to it.")
        hops = " -> ".join(site_path(u) for u in chain + [url])
        return Problem(path, entry.line, old, f"starts a chain of redirects ({hops}): each step costs readers a request.",
                       f"point it straight at the end: `{old}: {site_path(url)}`.")
    if entry.new not in targets and entry.new not in derived:
        return Problem(
            path, entry.line, old, f"redirects to {new}, which is not a page of the site (no published article, page, "
            "section or desk has that URL).",
            "check the URL (copy it from the article's page), or point the line at the story's section.")
    return None


def move_problem(move: Move, recorded: bool, record_path: str) -> Problem:
    """The notice `make check` and builds give for a move: the file, the old URL and the new."""
    if recorded:
        fix = f"nothing to do: it is now recorded in {record_path}; commit that file with the change."
    elif move.commit:
        fix = (f"nothing to do for this build (git's history has it); run `make check` to record it in {record_path} "
               "and commit that file, so the redirect does not depend on the history.")
    else:
        fix = f"run `make check` to record it in {record_path}, and commit that file with the change."
    return Problem(
        move.path, move.line, move.field,
        f"moved from {site_path(move.old)} to {site_path(move.new)} "
        f"({'in commit ' + move.commit if move.commit else 'not committed yet'}); the old URL redirects here.",
        fix, severity="notice",
    )

"""Publishing to the minute: when the site next changes by itself, with no commit, only the clock.

A static site changes between commits when its clock passes a time it already knows: a scheduled article's
`Date`, the fighting fund's next day (its days remaining) or its start, end and monthly rollover, and,
through `add_scheduled_change`, whatever other plugins register (a live blog's end, a breaking banner's
expiry). Every build collects those times, keeps the ones after its clock and, once its output is in
place, writes the soonest beside it:

    output.next-change.json   (for OUTPUT_PATH output/; never published)

    {"format": "newsroom-next-change/1", "built_at": "2026-11-25T09:46:40+00:00",
     "next_change": "2026-11-26T00:00:00+00:00",
     "changes": [{"at": "2026-11-26T00:00:00+00:00", "what": "fighting fund: the days remaining change"}, ...]}

`next_change` is null when nothing is scheduled. The CI workflow's check, `python -m newsroom_commands due`
(newsroom_commands/due.py), reads it and builds only when that time has come. A failed build writes
nothing, so the file always describes the last good output.

The API for other plugins (documented in README.md, "Publishing to the minute"):

    from newsroom_content.schedule import add_scheduled_change
    add_scheduled_change(pelican_or_generator_or_settings, when, "breaking banner expires")

`when` must be timezone-aware; naive times are taken to be in the site's TIMEZONE. Call it during the build
(from any receiver from `initialized` to `finalized`); times at or before the build's clock are ignored.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .fund import BEFORE, ENDED, RUNNING, FundState

REGISTRY_KEY = "NEWSROOM_SCHEDULED_CHANGES"
FORMAT = "newsroom-next-change/1"
STATE_SUFFIX = ".next-change.json"
LISTED = 20  # the soonest changes the record lists, for people reading it; only the first decides


@dataclass(frozen=True, order=True)
class ScheduledChange:
    at: dt.datetime  # timezone-aware
    what: str


def _settings(holder) -> dict:
    """The build's settings from a Pelican object, a generator or the settings themselves."""
    if isinstance(holder, dict):
        return holder
    settings = getattr(holder, "settings", None)
    if not isinstance(settings, dict):
        raise TypeError(f"newsroom_content: add_scheduled_change needs the Pelican object, a generator or the settings, not {holder!r}")
    return settings


def start_registry(settings: dict) -> None:
    """A fresh, empty list of changes for this build (NewsroomPelican does this before the build reads anything)."""
    settings[REGISTRY_KEY] = []


def add_scheduled_change(holder, when: dt.datetime, what: str) -> None:
    """Register a time at which the built site goes out of date by itself (the documented API).

    `holder`: the Pelican object, a generator or the settings of the running build. `what`: a few words
    for the record, e.g. "live blog content/articles/x.md ends". A no-op outside a NewsroomPelican build.
    """
    settings = _settings(holder)
    registry = settings.get(REGISTRY_KEY)
    if registry is None:
        return
    if not isinstance(when, dt.datetime):
        raise TypeError(f"newsroom_content: add_scheduled_change: {what}: {when!r} is not a datetime")
    if when.tzinfo is None or when.utcoffset() is None:
        when = when.replace(tzinfo=ZoneInfo(settings.get("TIMEZONE") or "UTC"))
    registry.append(ScheduledChange(when, str(what)))


def scheduled_changes(settings: dict) -> list[ScheduledChange]:
    return list(settings.get(REGISTRY_KEY) or ())


def midnight_after(now: dt.datetime) -> dt.datetime:
    """The start of the next day in `now`'s timezone (a ZoneInfo: the wall clock's midnight, DST and all)."""
    tomorrow = now.date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(0), tzinfo=now.tzinfo)


def start_of(day: dt.date, now: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=now.tzinfo)


def fund_next_change(fund: FundState | None, now: dt.datetime) -> ScheduledChange | None:
    """When the appeal's pages next say something different, `now` being the build's clock in the site's
    timezone (the fund's days are that timezone's days, fund.py).

    Running: at midnight the days remaining go down by one (and after the last day the appeal ends; a
    monthly appeal rolls over into the next month's). Before it starts: the midnight it starts. Ended: the
    midnight the next appeal starts, when one is known; otherwise nothing changes by itself.
    """
    if fund is None:
        return None
    if fund.state == RUNNING:
        what = "fighting fund: the appeal ends" if fund.days_remaining == 0 else "fighting fund: the days remaining change"
        if fund.monthly and fund.days_remaining == 0:
            what = "fighting fund: the monthly appeal rolls over"
        return ScheduledChange(midnight_after(now), what)
    if fund.state == BEFORE:
        return ScheduledChange(start_of(fund.period_start, now), "fighting fund: the appeal starts")
    if fund.state == ENDED and fund.next_period_start and start_of(fund.next_period_start, now) > now:
        return ScheduledChange(start_of(fund.next_period_start, now), "fighting fund: the next appeal starts")
    return None


def next_change_record(changes, now: dt.datetime) -> dict:
    """What the state file holds: the build's clock, the soonest change after it (or None) and the list."""
    upcoming = sorted({c for c in changes if c.at > now}, key=lambda c: (c.at, c.what))
    iso = lambda when: when.isoformat(timespec="seconds")  # noqa: E731
    return {
        "format": FORMAT,
        "built_at": iso(now),
        "next_change": iso(upcoming[0].at) if upcoming else None,
        "changes": [{"at": iso(c.at), "what": c.what} for c in upcoming[:LISTED]],
    }


def state_path(output_path: str) -> str:
    """output/ -> output.next-change.json, beside the output folder, so it is never published."""
    return os.path.abspath(output_path).rstrip(os.sep) + STATE_SUFFIX


def write_state(path: str, record: dict) -> None:
    """In one rename, so the CI's check never reads half a file."""
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(partial, path)

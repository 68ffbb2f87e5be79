"""What the masthead shows, decided once per build: the date line, the header's search and the section row.

The date line is the build's date as a daily prints it ("Sunday 6 December 2026"): the day the build's
clock (newsroom_content's, so SOURCE_DATE_EPOCH gives the same line every time) reads in the site's
timezone. A static page is read for hours or days after it is built, so theme/static/js/main.js moves the
line on to the reader's own date with the same fields in the same order; without scripts the build's date
shows. Every page's render key already includes the build's date (newsroom_engine's site key), so a page
kept from an earlier build never carries an earlier day's line.

The section row groups the sections by desk. A group is named for screen readers by its desk, except when
the desk's one section has the desk's own name (Sport, in Sport): "Sport, list, 1 item, Sport" says nothing
the link does not.

The header links to the search page only when the site has search (newsroom_search's config says it is on).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from newsroom_content.clock import build_now

# Weekday, day, month and year, spaced, in that order: the British daily's date line. main.js assembles the
# reader's date from the same four fields in this order, so the line reads the same before and after.
DATELINE_PATTERN = "EEEE d MMMM y"
CONTEXT_KEY = "NEWSROOM_MASTHEAD"


@dataclass(frozen=True)
class NavGroup:
    """One desk's sections in the section row; `label` names the group for screen readers, or is None."""

    label: str | None
    sections: tuple


@dataclass(frozen=True)
class Masthead:
    date: dt.date  # the build's date in the site's timezone
    dateline: str  # "Wednesday 25 November 2026"
    locale: str  # the BCP 47 tag the reader's clock formats with ("en-GB")
    search_url: str | None  # the search page, relative to SITEURL, when the site has search
    nav: tuple[NavGroup, ...]


def dateline(day: dt.date, locale: str) -> str:
    return format_date(day, DATELINE_PATTERN, locale=locale)


def nav_groups(desks) -> tuple[NavGroup, ...]:
    groups = []
    for desk in desks:
        sections = tuple(desk.sections)
        alone = len(sections) == 1 and sections[0].name.casefold() == desk.name.casefold()
        groups.append(NavGroup(None if alone else desk.name, sections))
    return tuple(groups)


def language_tag(locale: str) -> str:
    """Babel's "en_GB" as the browser's "en-GB" (Intl.DateTimeFormat takes BCP 47 tags)."""
    return str(locale).replace("_", "-")


def masthead(settings: dict, today: dt.date, desks, search_on: bool) -> Masthead:
    locale = settings.get("NEWSROOM_LOCALE") or settings.get("DEFAULT_LANG") or "en"
    try:
        Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        # newsroom_content formats money with the same setting and reports a bad one; the header falls back.
        locale = "en_GB"
    search_url = (settings.get("SEARCH_URL") or "search/") if search_on else None
    return Masthead(today, dateline(today, locale), language_tag(locale), search_url, nav_groups(desks))


def add_masthead(generator) -> None:
    """generator_init: every generator of a run shares one context, so the masthead is made once per run.
    NEWSROOM_BUILD_NOW is the build's clock reading, set by newsroom_content before the generators exist
    (a plain Pelican run without it reads the same clock here)."""
    context = generator.context
    if CONTEXT_KEY in context:
        return
    now = context.get("NEWSROOM_BUILD_NOW") or build_now(context)
    search = context.get("NEWSROOM_SEARCH_CONFIG")
    context[CONTEXT_KEY] = masthead(context, now.date(), context.get("NEWSROOM_DESK_LIST") or [],
                                    bool(search is not None and getattr(search, "enabled", False)))

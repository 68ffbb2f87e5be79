"""Breaking news: the banner editors put at the top of every page from content/data/breaking.yml.

    headline: Dock strike called off after overnight talks
    link: /workplace/dock-strike-called-off/    # a page of this site, or a full https:// address
    expires: 2026-11-25 18:00                   # optional: in the site's TIMEZONE unless an offset is given
    label: Breaking                             # optional: "Breaking" unless the editor says "Live", ...

The file is optional: missing, empty or all comments, there is no banner. `load_breaking` reads and checks
it (a pure function of the file, the build's clock and the site's live URLs); every problem names the file,
the line, the field and the fix, as for the other data files (data_files.py). `banner_on` says whether a
build at a given moment shows it: the decision the templates only lay out (partials/breaking.html).

A banner that links to a page of the site must link to a page readers can reach at the build's clock: a
published article, page, section or desk, or the front page. An expired banner shows nowhere, so its link
is not checked; the build warns that it can be taken out.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from newsroom_checks.problems import Problem
from newsroom_checks.validation import DATE_RE, MARKUP_RE, parse_date

from .data_files import _text, _unknown_keys, load_yaml

BREAKING_FILE = "breaking.yml"
BREAKING_KEYS = ("headline", "link", "expires", "label")
EXPIRES_FIX = ("write the time it comes down as YYYY-MM-DD HH:MM, e.g. `expires: 2026-11-25 18:00` (the paper's "
               "timezone; add an offset such as +01:00 for another), or remove the line to keep it up until you take it out.")
LINK_FIX = ("write the address of a page of this site as readers see it, such as `/europe/rail-fares-freeze/` "
            "(copy it from the page), or a full https:// address.")
LABEL_MAX = 24  # characters: a word or two, set in capitals in a coloured box beside the headline


@dataclass(frozen=True)
class BreakingNews:
    """The banner as the file gives it. `url`: relative to the site ("europe/x/", "" for the front page)
    or an absolute http(s) address (`external`). `label`: None for the theme's own ("Breaking", translated)."""

    headline: str
    url: str
    external: bool
    label: str | None = None
    expires: dt.datetime | None = None  # timezone-aware

    @property
    def expires_at(self) -> str | None:
        """The expiry for main.js, which takes the banner down by the reader's clock (ISO 8601, with offset)."""
        return self.expires.isoformat(timespec="seconds") if self.expires else None

    def shown_at(self, now: dt.datetime) -> bool:
        return self.expires is None or now < self.expires

    def state(self) -> str:
        """What every page's key includes while the banner is up (NewsroomPelican.shown_everywhere)."""
        return repr((self.headline, self.url, self.external, self.label,
                     self.expires.isoformat() if self.expires else None))


def banner_on(banner: BreakingNews | None, now: dt.datetime) -> BreakingNews | None:
    """The banner every page of a build at `now` shows, or None."""
    return banner if banner is not None and banner.shown_at(now) else None


def _expires(path, data, lines, timezone: str) -> tuple[dt.datetime | None, list[Problem]]:
    if "expires" not in data:
        return None, []
    value = data["expires"]
    line = lines.get("expires")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, [Problem(path, line, "expires", "is empty.", EXPIRES_FIX)]
    # YAML reads `2026-11-25 18:00:00` as a datetime and `2026-11-25` as a date; `18:00` without seconds stays text.
    if isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, dt.date):
        return None, [Problem(path, line, "expires", f"{value.isoformat()} has no time of day.", EXPIRES_FIX)]
    elif isinstance(value, str):
        when = parse_date(value)
        if when is None or not DATE_RE.match(value.strip())["time"]:
            what = "has no time of day." if when is not None else "is not a date and time."
            return None, [Problem(path, line, "expires", f"{value.strip()!r} {what}", EXPIRES_FIX)]
    else:
        return None, [Problem(path, line, "expires", f"{value!r} is not a date and time.", EXPIRES_FIX)]
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo(timezone or "UTC"))
    return when, []


def _link(path, data, lines, targets: dict[str, str], unpublished: dict[str, str],
          check_target: bool) -> tuple[tuple[str, bool] | None, list[Problem]]:
    """(url, external) from `link`: an absolute http(s) address, or a site path that readers can reach."""
    line = lines.get("link")
    link, problems = _text(path, data, lines, "link", LINK_FIX)
    if link is None:
        return None, problems
    if link.startswith(("https://", "http://")):
        if any(c.isspace() for c in link) or len(link) <= len("https://"):
            return None, [Problem(path, line, "link", f"{link!r} is not a usable address.", LINK_FIX)]
        return (link, True), []
    if not link.startswith("/") or link.startswith("//") or any(c.isspace() for c in link):
        return None, [Problem(path, line, "link", f"{link!r} is not a usable link.", LINK_FIX)]
    address = link.partition("#")[0]
    page = address.split("?", 1)[0][1:]
    if check_target and page not in targets:
        if page in unpublished:
            return None, [Problem(path, line, "link", f"{address} is {unpublished[page]}, so readers would find nothing there.",
                                  "link to a published page, or put the banner up once the story is live.")]
        slashed = page + "/"
        hint = (f"did you mean `{address}/`? (the paper's addresses end with /)" if slashed in targets
                else LINK_FIX.replace("write", "check the address: write", 1))
        return None, [Problem(path, line, "link", f"{address} is not a page of the site (no published article, page, "
                                                  "section or desk has that address).", hint)]
    return (link[1:], False), []


def load_breaking(data_dir: str, now: dt.datetime, timezone: str, targets: dict[str, str],
                  unpublished: dict[str, str] | None = None) -> tuple[BreakingNews | None, list[Problem]]:
    """The banner in `data_dir`/breaking.yml (None when there is none, or it has an error) and its problems.

    `now`: the build's clock. `targets`: the URLs, relative to the site ("europe/x/", "" for the front
    page), of every page readers can reach now; `unpublished`: URL -> what it is ("a draft", "scheduled for
    ...") for pages they cannot reach yet, for a clearer error."""
    path = os.path.join(data_dir, BREAKING_FILE)
    located, problems = load_yaml(path)
    if located is None or located.value is None:
        return None, problems  # missing, unreadable (its problem), or empty: no banner
    data, lines = located.value, located.lines
    if not isinstance(data, dict):
        return None, [Problem(path, 1, "file", "must be `key: value` lines: headline, link and optionally expires and label.",
                              "see the example in README.md (\"Breaking news\"), or comment every line out for no banner.")]
    problems += _unknown_keys(path, data, lines, BREAKING_KEYS)
    headline, more = _text(path, data, lines, "headline", "write the banner's headline after `headline:`, in a line.")
    problems += more
    expires, more = _expires(path, data, lines, timezone)
    problems += more
    expired = expires is not None and expires <= now
    link, more = _link(path, data, lines, targets, unpublished or {}, check_target=not expired)
    problems += more
    label = None
    if "label" in data:
        label, more = _text(path, data, lines, "label", "write a word or two such as `label: Live`, or remove the line "
                                                        "for the usual \"Breaking\".")
        problems += more
        if label and len(label) > LABEL_MAX:
            problems.append(Problem(path, lines.get("label"), "label", f"{label!r} is longer than {LABEL_MAX} characters.",
                                    "keep it to a word or two, such as `Live` or `Breaking`; the headline says the rest."))
            label = None
    for key, value in (("headline", headline), ("label", label)):
        tags = list(dict.fromkeys(f"<{name.lower()}>" for name in MARKUP_RE.findall(value or "")))
        if tags:
            problems.append(Problem(path, lines.get(key), key, f"contains HTML ({', '.join(tags)}); it is shown as plain "
                                    "text.", "remove the markup.", severity="warning"))
    if any(p.is_error for p in problems):
        return None, problems
    if expired:
        problems.append(Problem(
            path, lines.get("expires"), "expires",
            f"the banner expired at {expires.isoformat(sep=' ', timespec='minutes')}, so no page shows it.",
            "delete the file or comment its lines out (a # at the start of each) when you next edit it.", severity="warning"))
    return BreakingNews(headline, link[0], link[1], label, expires), problems

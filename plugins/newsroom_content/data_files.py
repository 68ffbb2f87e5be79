"""The editor-maintained data files under content/data/: the fighting fund, the co-operative promo, authors.

Each loader returns the data ready for templates together with the Problems found, with the line of the
offending field so an editor can go straight to it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import yaml
from babel.numbers import list_currencies
from newsroom_checks.problems import Problem

from .fund import FundAppeal, month_bounds

FUND_FILE = "fighting-fund.yml"
COOPERATIVE_FILE = "cooperative.yml"
AUTHORS_FILE = "authors.yml"

FUND_KEYS = ("target", "raised", "currency", "period", "month", "period_start", "period_end", "next_period_start", "donate_url")
COOPERATIVE_KEYS = ("heading", "text", "link_text", "link_url")
AUTHOR_KEYS = ("name", "role", "bio", "slug")


@dataclass(frozen=True)
class AuthorInfo:
    name: str
    role: str
    bio: str
    slug: str | None = None


class _Located:
    """A YAML document's values with the line of each mapping key."""

    def __init__(self, value, lines):
        self.value = value
        self.lines = lines


def load_yaml(path: str) -> tuple[_Located | None, list[Problem]]:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return None, []
    except UnicodeDecodeError:
        return None, [Problem(path, None, "file", "is not valid UTF-8 text.", "save the file as UTF-8.")]
    try:
        node, value = parse_yaml(text, FAST_LOADER)
    except yaml.YAMLError:
        node = None
    if node is not None:
        return _Located(value, key_lines(node)), []
    try:
        # Empty, or the fast parser refused it: PyYAML's own parser, whose messages the editors are shown.
        node, value = parse_yaml(text, yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        return None, [Problem(
            path, mark.line + 1 if mark else None, "YAML", f"cannot be read: {e.problem or e}.",
            "check the indentation and that each line is `key: value`; put values containing `: ` or `#` in quotes.",
        )]
    except yaml.YAMLError as e:
        return None, [Problem(path, None, "YAML", f"cannot be read: {e}.", "check the file's YAML syntax.")]
    return _Located(value, key_lines(node)), []


# PyYAML's parser in C (libyaml) where PyYAML was built with it: the same values and lines as the Python
# one, in a fraction of the time (authors.yml is read by the checks and by the editor on every build).
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, loader_class) -> tuple:
    """(the document's node, its value) from one parse, as yaml.compose and yaml.safe_load would give."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def key_lines(node) -> dict:
    """{key: line} for a mapping; [{key: line}, ...] for a list of mappings."""
    if isinstance(node, yaml.MappingNode):
        return {k.value: k.start_mark.line + 1 for k, _ in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [key_lines(item) if isinstance(item, yaml.MappingNode) else {"": item.start_mark.line + 1} for item in node.value]
    return {}


def _unknown_keys(path, mapping, lines, known) -> list[Problem]:
    problems = []
    for key in mapping:
        if key not in known:
            guess = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            fix = f"did you mean `{guess[0]}`?" if guess else "remove it; known keys are " + ", ".join(known) + "."
            problems.append(Problem(path, lines.get(key), str(key), "is not a known key.", fix))
    return problems


def _money(path, data, lines, key, *, allow_zero) -> tuple[Decimal | None, list[Problem]]:
    value = data.get(key)
    fix = f"write a plain number without currency sign or commas, e.g. `{key}: 7798`."
    if value is None:
        return None, [Problem(path, lines.get(key), key, "is missing." if key not in data else "is empty.", fix)]
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None, [Problem(path, lines.get(key), key, f"{value!r} is not an amount of money.", fix)]
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None, [Problem(path, lines.get(key), key, f"{value!r} is not an amount of money.", fix)]
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero):
        what = "must be more than zero" if not allow_zero else "cannot be negative"
        return None, [Problem(path, lines.get(key), key, f"{value!r} {what}.", fix)]
    return amount, []


def _date(path, data, lines, key) -> tuple[dt.date | None, list[Problem]]:
    value = data.get(key)
    fix = f"write the date as YYYY-MM-DD, e.g. `{key}: 2026-11-30`."
    if value is None:
        return None, [Problem(path, lines.get(key), key, "is missing." if key not in data else "is empty.", fix)]
    if isinstance(value, dt.datetime):
        return value.date(), []
    if isinstance(value, dt.date):
        return value, []
    try:
        return dt.date.fromisoformat(str(value).strip()), []
    except ValueError:
        return None, [Problem(path, lines.get(key), key, f"{value!r} is not a date.", fix)]


def _text(path, data, lines, key, fix) -> tuple[str | None, list[Problem]]:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, [Problem(path, lines.get(key), key, "is missing." if key not in data else "is empty.", fix)]
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return None, [Problem(path, lines.get(key), key, "must be text.", fix)]
    return str(value).strip(), []


def _link(path, data, lines, key) -> tuple[str | None, list[Problem]]:
    fix = f"write a link on this site such as `/support-us/` or a full https:// address."
    url, problems = _text(path, data, lines, key, fix)
    if url and not (url.startswith("/") and not url.startswith("//") or url.startswith(("https://", "http://"))):
        return None, [Problem(path, lines.get(key), key, f"{url!r} is not a usable link.", fix)]
    return url, problems


def _load_mapping(data_dir: str, name: str, keys, needed_by: str, fix: str) -> tuple[str, dict | None, dict, list[Problem]]:
    """A data file the site needs that holds `key: value` lines: its path, its data and each key's line (data
    None when it is missing or unreadable), and its problems so far, unknown keys among them."""
    path = os.path.join(data_dir, name)
    located, problems = load_yaml(path)
    if located is None:
        return path, None, {}, problems or [Problem(path, None, "file", f"is missing: {needed_by} needs it.", fix)]
    if not isinstance(located.value, dict):
        return path, None, {}, problems + [
            Problem(path, 1, "file", "must be a list of `key: value` lines.", "see the example in README.md.")]
    return path, located.value, located.lines, problems + _unknown_keys(path, located.value, located.lines, keys)


def _month(path, data, lines) -> tuple[dt.date | None, list[Problem]]:
    """The optional `month: YYYY-MM` as its first day."""
    value = data.get("month")
    if value is None and "month" not in data:
        return None, []
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}", text) and 1 <= int(text[5:]) <= 12:
        return dt.date(int(text[:4]), int(text[5:]), 1), []
    return None, [Problem(path, lines.get("month"), "month", f"{value!r} is not a month.",
                          "write the month the raised figure is for as YYYY-MM, e.g. `month: 2026-12`.")]


def _fund_period(path, data, lines, build_date) -> tuple[dict, list[Problem]]:
    """The appeal's period: `period: monthly` (with an optional `month`) or period_start and period_end
    (with an optional next_period_start)."""
    period = data.get("period")
    if period is not None and period != "monthly":
        return {}, [Problem(
            path, lines.get("period"), "period", f"{period!r} is not a period this site knows.",
            "write `period: monthly` for an appeal that runs each calendar month, or remove it and give "
            "period_start and period_end.",
        )]
    if period == "monthly":
        problems = [
            Problem(path, lines.get(key), key, "cannot be given with `period: monthly`, which sets the dates itself.",
                    f"remove {key}, or remove `period: monthly` to give explicit dates.")
            for key in ("period_start", "period_end", "next_period_start") if key in data
        ]
        month, more = _month(path, data, lines)
        this_month = month_bounds(build_date)[0]
        if month and month < this_month:
            more.append(Problem(
                path, lines.get("month"), "month",
                f"the raised figure is for {month:%Y-%m}, an earlier month than the build's ({this_month:%Y-%m}), "
                f"so the pages show {this_month:%B}'s appeal from nothing raised.",
                f"when you update raised for {this_month:%B}, set `month: {this_month:%Y-%m}`.", severity="warning",
            ))
        return {"monthly": True, "month": month}, problems + more
    problems = []
    if "month" in data:
        problems.append(Problem(path, lines.get("month"), "month", "only applies to `period: monthly`.",
                                "remove month, or replace period_start and period_end with `period: monthly`."))
    start, p1 = _date(path, data, lines, "period_start")
    end, p2 = _date(path, data, lines, "period_end")
    problems += p1 + p2
    following = None
    if "next_period_start" in data:
        following, more = _date(path, data, lines, "next_period_start")
        problems += more
    if start and end and end < start:
        problems.append(Problem(
            path, lines.get("period_end"), "period_end", f"{end.isoformat()} is before period_start ({start.isoformat()}).",
            "the appeal must end on or after the day it starts: check both dates.",
        ))
    elif end and following and following <= end:
        problems.append(Problem(
            path, lines.get("next_period_start"), "next_period_start",
            f"{following.isoformat()} is not after period_end ({end.isoformat()}).",
            "give the day the next appeal starts, after this one ends.",
        ))
    elif end and build_date > end and not following:
        problems.append(Problem(
            path, lines.get("period_end"), "period_end",
            f"the appeal ended on {end.isoformat()}, so the pages thank readers and ask for no donations.",
            "give the next appeal's period_start and period_end, or use `period: monthly`.", severity="warning",
        ))
    elif end and following and build_date >= following:
        problems.append(Problem(
            path, lines.get("next_period_start"), "next_period_start",
            f"the next appeal started on {following.isoformat()}, but the file still describes the last one.",
            "give the new appeal's period_start, period_end and raised.", severity="warning",
        ))
    return {"period_start": start, "period_end": end, "next_period_start": following}, problems


def load_fund(data_dir: str, build_date: dt.date) -> tuple[FundAppeal | None, list[Problem]]:
    path, data, lines, problems = _load_mapping(
        data_dir, FUND_FILE, FUND_KEYS, "the fighting-fund appeal",
        "create it with target, raised, currency, period: monthly and donate_url (see README.md).",
    )
    if data is None:
        return None, problems
    target, p1 = _money(path, data, lines, "target", allow_zero=False)
    raised, p2 = _money(path, data, lines, "raised", allow_zero=True)
    period, p3 = _fund_period(path, data, lines, build_date)
    donate_url, p5 = _link(path, data, lines, "donate_url")
    problems += p1 + p2 + p3 + p5
    currency = data.get("currency")
    if not isinstance(currency, str) or currency.strip().upper() not in list_currencies():
        problems.append(Problem(
            path, lines.get("currency"), "currency", f"{currency!r} is not an ISO 4217 currency code.",
            "write a three-letter code such as GBP, EUR or USD.",
        ))
        currency = None
    elif currency != currency.strip().upper():
        problems.append(Problem(
            path, lines.get("currency"), "currency", f"{currency!r} should be written in capitals.",
            f"write `currency: {currency.strip().upper()}`.", severity="warning",
        ))
    if any(p.is_error for p in problems):
        return None, problems
    return FundAppeal(target, raised, currency.strip().upper(), donate_url, **period), problems


def load_cooperative(data_dir: str) -> tuple[dict | None, list[Problem]]:
    path, data, lines, problems = _load_mapping(
        data_dir, COOPERATIVE_FILE, COOPERATIVE_KEYS, "the co-operative promo",
        "create it with heading, text, link_text and link_url (see README.md).",
    )
    if data is None:
        return None, problems
    promo = {}
    for key in ("heading", "text", "link_text"):
        promo[key], more = _text(path, data, lines, key, f"write the promo's {key.replace('_', ' ')} after `{key}:`.")
        problems += more
    promo["link_url"], more = _link(path, data, lines, "link_url")
    problems += more
    return (None if any(p.is_error for p in problems) else promo), problems


def load_authors(data_dir: str) -> tuple[dict[str, AuthorInfo], list[Problem]]:
    """Authors' roles and bios by name; the file is optional."""
    path = os.path.join(data_dir, AUTHORS_FILE)
    located, problems = load_yaml(path)
    if located is None:
        return {}, problems
    if not isinstance(located.value, list):
        return {}, [Problem(path, 1, "file", "must be a list of authors, each starting with `- name: ...`.", "see the example in README.md.")]
    authors: dict[str, AuthorInfo] = {}
    for i, entry in enumerate(located.value):
        lines = located.lines[i] if i < len(located.lines) else {}
        first_line = min(lines.values()) if lines else None
        if not isinstance(entry, dict):
            problems.append(Problem(path, first_line, "author", "is not a `name:`/`role:`/`bio:` entry.", "start each author with `- name: ...`."))
            continue
        problems += _unknown_keys(path, entry, lines, AUTHOR_KEYS)
        name, more = _text(path, entry, lines, "name", "give the author's name as it appears in articles' Authors lines.")
        problems += more
        if not name:
            continue
        if name in authors:
            problems.append(Problem(path, lines.get("name"), "name", f"{name!r} is listed twice.", "keep one entry per author."))
            continue
        bio = entry.get("bio")
        if not isinstance(bio, str) or not bio.strip():
            problems.append(Problem(path, lines.get("name"), "bio", f"{name!r} has no bio.", "add `bio: ...`: one or two sentences.", severity="warning"))
            bio = ""
        role = entry.get("role") if isinstance(entry.get("role"), str) else ""
        slug = entry.get("slug") if isinstance(entry.get("slug"), str) else None
        authors[name] = AuthorInfo(name, role.strip(), bio.strip(), slug)
    return authors, problems

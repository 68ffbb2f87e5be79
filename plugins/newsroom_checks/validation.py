"""Validation of articles and pages: pure functions from file text to a list of Problems."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from newsroom_content.article_types import ARTICLE_TYPES, article_type
from newsroom_content.policies import POLICY_PROPERTIES, policy_property
from newsroom_content.settings import RESERVED_SLUGS, Desk, make_slug, max_article_bytes

from .frontmatter import Header, parse_header
from .live import check_live
from .pictures import check_story_pictures
from .problems import Problem

# The article metadata contract, with the spelling editors are asked to use.
ARTICLE_KEYS = {
    k.lower(): k
    for k in (
        "Title", "Date", "Category", "Summary", "Authors", "Tags", "Modified", "Slug", "Status",
        "Image", "Image_alt", "Image_caption", "Image_credit", "Lang", "Correction", "Priority", "Type", "Live",
    )
}
PAGE_KEYS = {k.lower(): k for k in ("Title", "Slug", "Summary", "Modified", "Status", "Lang", "Policy")}
REQUIRED_ARTICLE_KEYS = ("title", "date", "category")
STATUSES = ("published", "draft", "hidden")
PRIORITIES = ("lead", "top", "normal")
PAGE_STATUSES = ("published", "draft", "hidden")

DATE_FORMAT_HELP = "write it as YYYY-MM-DD HH:MM, e.g. 2026-11-25 09:30 (add an offset such as +01:00 if needed)"
DATE_RE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[ T](?P<time>\d{2}:\d{2}(?::\d{2})?))?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif")
# Fields the theme shows as plain text: markup in them is shown as typed (or, without escaping, run).
PLAIN_TEXT_KEYS = ("title", "authors", "tags", "image_alt", "image_caption", "image_credit", "correction")
# An HTML tag as a browser would read one: `<b>`, `</b>`, `<img src=x`, even without its closing `>`.
MARKUP_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")


@dataclass
class ArticleRecord:
    """What the cross-file checks need to know about one article or page."""

    path: str
    url: str
    slug_line: int | None
    kind: str  # "article" or "page"
    # For the URL checks (newsroom_checks.redirects): whether readers can reach it at `url` (Status
    # published or hidden), from when (an aware datetime; None for pages), and whether a `Slug:` line fixes
    # the URL (without one it is made from the Title, and a new headline would move it).
    public: bool = True
    date: dt.datetime | None = None
    slug_given: bool = False
    policy: str | None = None  # a page's `Policy:`, as schema.org spells it
    policy_line: int | None = None


def has_letters(slug: str) -> bool:
    """A slug such as "-" (from a title of dashes) would make a URL of nothing but punctuation."""
    return any(c.isalnum() for c in slug or "")


def parse_date(value: str) -> dt.datetime | None:
    """The editor's date as a datetime (naive when no offset is given), or None if it does not parse."""
    m = DATE_RE.match(value.strip())
    if not m:
        return None
    text = m["date"] + " " + (m["time"] or "00:00")
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if m["tz"]:
        tz = m["tz"]
        if tz == "Z":
            return when.replace(tzinfo=dt.timezone.utc)
        sign = 1 if tz[0] == "+" else -1
        hours, minutes = int(tz[1:3]), int(tz[-2:])
        if hours > 14 or minutes > 59:
            return None
        return when.replace(tzinfo=dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes)))
    return when


def read_text(path: str) -> tuple[str | None, Problem | None]:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return None, Problem(path, None, "file", f"cannot be read ({e.strerror}).", "check the file's permissions.")
    if b"\0" in data:
        return None, Problem(
            path, None, "file", "is not text: it contains NUL bytes (a picture or other binary file, or text saved as UTF-16).",
            "save the article as UTF-8 text in your editor; pictures belong in content/images/.",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return None, Problem(
            path, line, "file", "is not valid UTF-8 text.",
            "save the file as UTF-8 in your editor (\"Save with encoding: UTF-8\").",
        )
    return text.removeprefix("\ufeff"), None


def closest_key(key: str, known: dict[str, str]) -> str | None:
    match = difflib.get_close_matches(key.lower(), list(known), n=1, cutoff=0.6)
    return known[match[0]] if match else None


def check_header_shape(path: str, header: Header, known: dict[str, str], kind: str) -> list[Problem]:
    problems = []
    for line, text in header.stray_lines:
        problems.append(Problem(
            path, line, "metadata", f"the line {text.strip()[:60]!r} is not a `Key: value` line, so the "
            "header would end there and every line after it would be lost.",
            "write it as `Key: value`, or put one blank line between the metadata and the story.",
        ))
    for f in header.duplicates:
        problems.append(Problem(
            path, f.line, f.key, f"appears twice (first on line {header.line(f.key.lower())}).",
            "keep one of the two lines.",
        ))
    for lk, f in header.fields.items():
        if lk not in known:
            guess = closest_key(lk, known)
            if lk == "author":
                guess = "Authors"
            fix = f"did you mean `{guess}`?" if guess else "remove the line; known keys are " + ", ".join(known.values()) + "."
            problems.append(Problem(path, f.line, f.key, f"is not a known {kind} metadata key.", fix))
        elif not f.value:
            problems.append(Problem(
                path, f.line, known[lk], "is empty.", "fill it in, or remove the line if the field is optional.",
            ))
        elif f.key != known[lk]:
            problems.append(Problem(
                path, f.line, f.key, f"is spelled differently from the reference (`{known[lk]}`).",
                f"write `{known[lk]}:`.", severity="warning",
            ))
    return problems


# What follows an article's or page's metadata, and the lines it must start with.
FILE_SHAPES = {
    "article": ("story", "`Title: ...`, `Date: ...` and `Category: ...` lines"),
    "page": ("page", "a `Title: ...` line"),
}


def read_header(path: str, text: str, settings: dict, kind: str) -> tuple[Header | None, Problem | None]:
    """The metadata of an article or page file (`kind`), and the problem that leaves nothing else worth
    checking: an empty file, one too big to read, or one with no metadata. Parsed once per file: the
    checks that need it take it from here."""
    body, first_lines = FILE_SHAPES[kind]
    if not text.strip():
        return None, Problem(path, None, "file", "is empty.", f"write the metadata and the {body}, or delete the file.")
    too_big = _check_size(path, text, settings)
    if too_big:
        return None, too_big
    header = parse_header(text)
    if not header.fields:
        return header, Problem(path, 1, "metadata", "the file does not start with metadata lines.",
                               f"start with {first_lines}, then a blank line, then the {body}.")
    return header, None


def _one_of(path, header, key: str, field: str, accepted, choices, what: str = "is not allowed", after: str = "") -> list:
    """The problem, if any, with a field whose value must be one of `choices` (`accepted` says whether it is)."""
    value = header.get(key)
    if value and not accepted(value):
        return [Problem(path, header.line(key), field, f"{value!r} {what}.", "use one of: " + ", ".join(choices) + after + ".")]
    return []


def check_article(path: str, text: str, *, content_root: str, sections: dict, settings: dict,
                  header: Header | None = None, bylines: list | None = None) -> tuple[list[Problem], ArticleRecord | None]:
    """Every problem in one article file, and its URL when it has one. `header`: the file's metadata when
    the caller has read it already (read_header, with no problem found). `bylines`: a list to add a live
    blog's update bylines to, as (name, line), for the site-wide check against authors.yml."""
    if header is None:
        header, stop = read_header(path, text, settings, "article")
        if stop:
            return [stop], None
    problems = check_header_shape(path, header, ARTICLE_KEYS, "article")

    for key in REQUIRED_ARTICLE_KEYS:
        if key not in header.fields:
            problems.append(Problem(
                path, None, ARTICLE_KEYS[key], "is missing; every article needs it.",
                {"title": "add a line `Title: The headline`.",
                 "date": f"add a line `Date: ...`; {DATE_FORMAT_HELP}.",
                 "category": "add a line `Category: <section>` with one of: " + ", ".join(sections) + "."}[key],
            ))

    date = None
    for key in ("date", "modified"):
        value = header.get(key)
        if value:
            when = parse_date(value)
            if when is None:
                problems.append(Problem(
                    path, header.line(key), ARTICLE_KEYS[key], f"{value!r} is not a date.", DATE_FORMAT_HELP + ".",
                ))
            elif key == "date":
                date = when
            elif date is not None and _aware(when, settings) < _aware(date, settings):
                problems.append(Problem(
                    path, header.line(key), "Modified", f"{value!r} is earlier than the Date.",
                    "Modified is when the article was last changed: it cannot come before Date.",
                ))

    category = header.get("category")
    if category and category not in sections:
        guess = difflib.get_close_matches(category, list(sections), n=1, cutoff=0.5)
        hint = f"did you mean `{guess[0]}`? Otherwise " if guess else ""
        problems.append(Problem(
            path, header.line("category"), "Category", f"{category!r} is not one of the paper's sections.",
            f"{hint}use one of: " + ", ".join(sections) + " (sections are set in pelicanconf.py).",
        ))

    for key, allowed in (("status", STATUSES), ("priority", PRIORITIES)):
        problems += _one_of(path, header, key, ARTICLE_KEYS[key], lambda v, allowed=allowed: v.lower() in allowed, allowed)
    problems += _one_of(path, header, "type", "Type", lambda v: article_type(v) is not None, ARTICLE_TYPES,
                        "is not an article type", " (News when the line is left out)")
    live_problems, live_bylines = check_live(path, header, text, date, settings)
    problems += live_problems
    if bylines is not None:
        bylines += live_bylines

    problems += _check_image(path, header, content_root)
    problems += check_story_pictures(path, text, content_root=content_root, settings=settings)
    problems += _check_common(path, header, ARTICLE_KEYS)
    problems += _check_markup(path, header, ARTICLE_KEYS)

    if header.get("correction") and not header.get("modified"):
        problems.append(Problem(
            path, header.line("correction"), "Correction", "has no date: a correction is dated by Modified.",
            "add `Modified: YYYY-MM-DD HH:MM`, the time the correction was made.",
        ))
    authors = header.get("authors")
    if authors is not None and header.fields["authors"].value and not [a for a in authors.split(",") if a.strip()]:
        problems.append(Problem(path, header.line("authors"), "Authors", "lists no names.", "write names separated by commas."))
    for key in ("authors", "tags"):
        for name in (header.get(key) or "").split(","):
            if name.strip() and not has_letters(make_slug(name, settings)):
                # Pelican would write its page to /author/index.html or /tag/index.html, over the others' way in.
                problems.append(Problem(
                    path, header.line(key), ARTICLE_KEYS[key], f"{name.strip()!r} has no letters or digits to make its page's URL from.",
                    "write the name in words.",
                ))

    record = None
    title = header.get("title")
    url = header_url(header, "article", sections, settings)
    if url:
        record = ArticleRecord(path, url, header.line("slug") or header.line("title"), "article",
                               public=is_public(header), date=_aware(date, settings) if date else None,
                               slug_given=bool(header.get("slug")))
    elif title and not has_letters(header.get("slug") or make_slug(title, settings)):
        problems.append(Problem(
            path, header.line("title"), "Slug", "cannot be made from the Title (it has no letters or digits).",
            "add a line `Slug: words-for-the-url`.",
        ))
    return problems, record


def check_page(path: str, text: str, *, content_root: str, settings: dict,
               header: Header | None = None) -> tuple[list[Problem], ArticleRecord | None]:
    """Every problem in one page file, and its URL when it has one. `header`: as for check_article."""
    if header is None:
        header, stop = read_header(path, text, settings, "page")
        if stop:
            return [stop], None
    problems = check_header_shape(path, header, PAGE_KEYS, "page")
    if "title" not in header.fields:
        problems.append(Problem(path, None, "Title", "is missing; every page needs it.", "add a line `Title: The page title`."))
    if header.get("modified") and parse_date(header.get("modified")) is None:
        problems.append(Problem(path, header.line("modified"), "Modified", f"{header.get('modified')!r} is not a date.", DATE_FORMAT_HELP + "."))
    problems += _one_of(path, header, "status", "Status", lambda v: v.lower() in PAGE_STATUSES, PAGE_STATUSES)
    problems += _one_of(path, header, "policy", "Policy", lambda v: policy_property(v) is not None, POLICY_PROPERTIES,
                        "is not a policy the publisher's structured data can name")
    problems += _check_common(path, header, PAGE_KEYS)
    problems += check_story_pictures(path, text, content_root=content_root, settings=settings)
    problems += _check_markup(path, header, PAGE_KEYS)
    url = header_url(header, "page", {}, settings)
    record = ArticleRecord(path, url, header.line("slug") or header.line("title"), "page", public=is_public(header),
                           slug_given=bool(header.get("slug")), policy=policy_property(header.get("policy")),
                           policy_line=header.line("policy")) if url else None
    return problems, record


def header_url(header: Header, kind: str, sections: dict, settings: dict) -> str | None:
    """The URL (relative to the site, "europe/rail-fares/") that an article's or page's metadata gives it,
    or None when it gives none. `sections`: section name -> slug. The same rule for the file as it is and
    for its earlier versions in git (newsroom_checks.history)."""
    title = header.get("title")
    slug = header.get("slug") or (make_slug(title, settings) if title else "")
    if kind == "page":
        return f"{slug}/" if slug else None
    category = header.get("category")
    if category not in sections or not has_letters(slug):
        return None
    return f"{sections[category]}/{slug}/"


def is_public(header: Header) -> bool:
    """Readers can reach it at its URL: `Status` published (the default) or hidden, not draft."""
    return (header.get("status") or "published").lower() in ("published", "hidden")


def check_policies(records: list[ArticleRecord]) -> list[Problem]:
    """One page per policy: the publisher's structured data names one page for each."""
    problems = []
    owners: dict[str, ArticleRecord] = {}
    for rec in records:
        if rec.policy is None:
            continue
        if rec.policy in owners:
            problems.append(Problem(
                rec.path, rec.policy_line, "Policy", f"{rec.policy} is already the Policy of {owners[rec.policy].path}.",
                "give the policy to one page only, and remove the line from the other.",
            ))
        else:
            owners[rec.policy] = rec
    return problems


def check_urls(records: list[ArticleRecord], desks: list[Desk]) -> list[Problem]:
    """Two things with one URL: Pelican would silently write one over the other."""
    problems = []
    owners: dict[str, ArticleRecord] = {}
    taken = {}
    for desk in desks:
        taken[desk.url] = f"the {desk.name} desk page"
        for section in desk.sections:
            taken[section.url] = f"the {section.name} section page"
    for slug in RESERVED_SLUGS:
        taken[f"{slug}/"] = f"the site's /{slug}/ pages"
    for rec in records:
        if rec.url in owners:
            other = owners[rec.url]
            problems.append(Problem(
                rec.path, rec.slug_line, "Slug", f"gives the URL /{rec.url}, which {other.path} already has.",
                "give one of the two a different `Slug:` (or a different Title).",
            ))
        elif rec.kind == "page" and rec.url in taken:
            problems.append(Problem(
                rec.path, rec.slug_line, "Slug", f"gives the URL /{rec.url}, which belongs to {taken[rec.url]}.",
                "give the page a different `Slug:`.",
            ))
        else:
            owners[rec.url] = rec
    return problems


def _check_image(path: str, header: Header, content_root: str) -> list[Problem]:
    problems = []
    image = header.get("image")
    if image:
        if re.match(r"^[a-z][a-z0-9+.-]*:", image, re.I) or image.startswith("//"):
            problems.append(Problem(
                path, header.line("image"), "Image", f"{image!r} is not a file in the content folder.",
                "put the picture under content/images/ and write `Image: images/<file>`.",
            ))
        else:
            target = os.path.normpath(os.path.join(content_root, image.lstrip("/")))
            inside = os.path.commonpath([os.path.abspath(target), os.path.abspath(content_root)]) == os.path.abspath(content_root)
            if not inside or not os.path.isfile(target):
                problems.append(Problem(
                    path, header.line("image"), "Image", f"{image!r} was not found in the content folder.",
                    "check the file name, and write the path from content/, e.g. `Image: images/harbour.jpg`.",
                ))
            elif not image.lower().endswith(IMAGE_EXTENSIONS):
                problems.append(Problem(
                    path, header.line("image"), "Image", f"{image!r} is not a picture format browsers show.",
                    "use a .jpg, .png, .webp, .gif or .avif file.",
                ))
        if not header.get("image_alt") and "image_alt" not in header.fields:
            problems.append(Problem(
                path, header.line("image"), "Image_alt", "is missing: every image needs a text alternative for readers who cannot see it.",
                "add `Image_alt: <what the picture shows>`.",
            ))
    else:
        for key in ("image_alt", "image_caption", "image_credit"):
            if header.get(key):
                problems.append(Problem(
                    path, header.line(key), ARTICLE_KEYS[key], "is set but the article has no Image.",
                    "add `Image: images/<file>`, or remove the line.", severity="warning",
                ))
    return problems


def _check_common(path: str, header: Header, known: dict[str, str]) -> list[Problem]:
    problems = []
    slug = header.get("slug")
    if slug and not SLUG_RE.match(slug):
        problems.append(Problem(
            path, header.line("slug"), "Slug", f"{slug!r} cannot be used in a URL.",
            "use lower-case letters, digits and single hyphens, e.g. `gaza-water-crisis`.",
        ))
    lang = header.get("lang")
    if lang and not LANG_RE.match(lang):
        problems.append(Problem(
            path, header.line("lang"), "Lang", f"{lang!r} is not a language code.", "use a code such as en, ar, cy or pt-BR.",
        ))
    return problems


def _aware(when: dt.datetime, settings: dict) -> dt.datetime:
    """Naive dates are in the site's timezone."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo(settings.get("TIMEZONE") or "UTC"))
    return when


def _check_size(path: str, text: str, settings: dict) -> Problem | None:
    """A file too big to be one story (a pasted archive, a picture encoded as text) would stall the build."""
    limit = max_article_bytes(settings)
    size = len(text.encode("utf-8"))
    if size <= limit:
        return None
    return Problem(
        path, None, "file", f"is {size:,} bytes, over the limit of {limit:,} bytes for one article or page.",
        "split it into shorter articles, and keep pictures and data out of the text "
        "(the limit is NEWSROOM_MAX_ARTICLE_BYTES in pelicanconf.py).",
    )


def _check_markup(path: str, header: Header, known: dict[str, str]) -> list[Problem]:
    """HTML typed into a plain-text field: the theme shows it as text, so it is almost always a mistake."""
    problems = []
    for key in PLAIN_TEXT_KEYS:
        value = header.get(key) if key in known else None
        tags = list(dict.fromkeys(f"<{name.lower()}>" for name in MARKUP_RE.findall(value or "")))
        if tags:
            problems.append(Problem(
                path, header.line(key), known[key], f"contains HTML ({', '.join(tags)}); it is shown as plain text.",
                "remove the markup.", severity="warning",
            ))
    return problems

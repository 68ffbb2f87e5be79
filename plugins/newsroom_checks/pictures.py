"""The pictures inside a story: each must exist where the site publishes pictures and have alt text.

A picture that is not there builds into a broken image on the page, in feeds and in search results, so
it is an error, reported with the file, the line and the path as the editor typed it. The story is read
with the site's own Markdown settings (MARKDOWN, with newsroom_markdown.figures, which resolves
`images/x.jpg`, `/images/x.jpg` and `{static}/images/x.jpg` alike), so what is checked is exactly the
HTML the build publishes, raw HTML <img> tags included, and never a picture shown as code.
"""

from __future__ import annotations

import difflib
import os
import posixpath
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import markdown

from .problems import Problem, display_path

FIELD = "Story picture"
# Formats browsers show: the lead picture's, and SVG drawings.
PICTURE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".svg")
# Only a file that holds one of these can show a picture: most stories are never converted here.
MAY_HOLD_PICTURE_RE = re.compile(r"!\[|<img", re.I)
PLACEHOLDER_RE = re.compile(r"^\{(static|attach|filename)\}")
PAGE_RELATIVE = "is read relative to the article's own address, so the picture shows only if a file is published there."
OTHER_PLACE_RE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")  # https:, data:, //host


class _Pictures(HTMLParser):
    """(src, alt) of every <img>, in document order; alt is None when the attribute is missing."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str | None]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            attributes = dict(attrs)
            self.found.append((attributes.get("src") or "", attributes.get("alt")))

    handle_startendtag = handle_starttag


# The converter of each MARKDOWN setting seen (by its repr: it holds lists, so it is no dictionary key).
_CONVERTERS: dict[str, markdown.Markdown] = {}


def story_html(text: str, settings: dict) -> str:
    """The story's HTML as the site's Markdown reader writes it (before sanitising and Pelican's links)."""
    markdown_settings = settings.get("MARKDOWN") or {}
    key = repr(markdown_settings)
    md = _CONVERTERS.get(key)
    if md is None:
        # Pelican's MarkdownReader adds the extension_configs' names and the meta extension to `extensions`.
        extensions = list(markdown_settings.get("extensions") or [])
        extensions += [name for name in markdown_settings.get("extension_configs") or {} if name not in extensions]
        if "markdown.extensions.meta" not in extensions:
            extensions.append("markdown.extensions.meta")
        md = _CONVERTERS[key] = markdown.Markdown(**{**markdown_settings, "extensions": extensions})
    md.reset()
    return md.convert(text)


def body_offset(text: str) -> int:
    """Where the story starts: after the metadata lines and the blank line that ends them."""
    position = 0
    for line in text.split("\n"):
        position += len(line) + 1
        if not line.strip():
            return min(position, len(text))
    return len(text)


def _located(text: str, needle: str, start: int) -> tuple[int, str] | None:
    """Where from `start` the path `needle` is typed as a picture's (after `](`, `]:` or `src=`, with
    whatever placeholder, slash or ./ went before it; else anywhere): (offset, what was typed)."""
    typed = r"(?P<typed>(?:\{[a-z]+\})?/?(?:\.{1,2}/)*" + re.escape(needle) + ")"
    for context in (r"(?:\]\(\s*<?|\]:[ \t]*<?|\bsrc\s*=\s*[\"']?)", ""):
        match = re.compile(context + typed, re.I).search(text, start)
        if match:
            return match.start("typed"), match.group("typed")
    return None


def in_static_paths(relative: str, settings: dict) -> bool:
    """Whether a file at `relative` (from the content folder) is one Pelican publishes as it is."""
    for static in settings.get("STATIC_PATHS") or ():
        static = posixpath.normpath(static.replace(os.sep, "/")).strip("/")
        if static in ("", ".") or relative == static or relative.startswith(static + "/"):
            return True
    return False


def resolve(src: str, source_path: str, content_root: str, settings: dict) -> tuple[str | None, str | None]:
    """(the file a picture's src names, from the content folder; or None) and why it cannot be published
    (None when it can, or when it is not a file of this site, such as another site's picture)."""
    src = src.strip()
    if not src:
        return None, "has no path."
    if OTHER_PLACE_RE.match(src):
        return None, None
    placeholder = PLACEHOLDER_RE.match(src)
    path = unquote(urlsplit(src[placeholder.end():] if placeholder else src).path)
    if placeholder:
        base = "" if path.startswith("/") else os.path.relpath(os.path.dirname(source_path), content_root)
    elif path.startswith("/"):
        base = ""
        if not in_static_paths(posixpath.normpath(path).lstrip("/"), settings):
            return None, None  # another part of the site (/theme/...), not a content file
    else:
        # Markdown pictures are resolved by newsroom_markdown.figures; a relative src left now is in raw
        # HTML, or climbs out with ../, and a browser reads it relative to the article's URL. It may reach
        # a published file from there (../../images/x.jpg does, from /section/slug/), so it is a warning.
        return None, PAGE_RELATIVE
    relative = posixpath.normpath(posixpath.join(base.replace(os.sep, "/"), path.lstrip("/")))
    if relative.startswith(".."):
        return None, "is outside the content folder."
    return relative, None


# An inline Markdown picture in its plainest form: alt text without brackets, a path without spaces, an
# optional title in quotes. Anything else (a reference, brackets in the alt text, a parenthesis in the
# title, raw HTML) is left to the full reading.
PLAIN_PICTURE_RE = re.compile(r"""!\[([^\[\]\n]*)\]\(\s*([^\s()<>"']+)(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)""")
FIGURES_EXTENSION = "newsroom_markdown.figures"


def all_fine_at_a_glance(path: str, text: str, content_root: str, settings: dict) -> bool:
    """True when every picture the text may hold is a plain inline Markdown picture, with alt text, of
    a file that is there: nothing to report, without reading the story as Markdown, which would make
    every story with a picture cost the check as much as reading it does the build. False means: read it
    to be sure."""
    if "<img" in text.lower():
        return False
    markdown_settings = settings.get("MARKDOWN") or {}
    configs = markdown_settings.get("extension_configs") or {}
    if FIGURES_EXTENSION not in configs and FIGURES_EXTENSION not in (markdown_settings.get("extensions") or ()):
        return False  # the site's Markdown leaves paths as typed: only the full reading can say
    from newsroom_markdown.figures import story_picture_src

    folders = tuple((configs.get(FIGURES_EXTENSION) or {}).get("picture_folders", ("images",)))
    matches = PLAIN_PICTURE_RE.findall(text)
    if len(matches) != text.count("!["):
        return False
    for alt, src in matches:
        relative, why = resolve(story_picture_src(src, folders), path, content_root, settings)
        if not alt.strip() or why or not relative or _check_file(path, None, src, relative, content_root, settings):
            return False
    return True


def check_story_pictures(path: str, text: str, *, content_root: str, settings: dict) -> list[Problem]:
    """An error for each picture in the story that is missing, outside the published folders, not a
    picture format, or without alt text; a warning for one read relative to the article's address."""
    if not MAY_HOLD_PICTURE_RE.search(text) or all_fine_at_a_glance(path, text, content_root, settings):
        return []
    problems = []
    cursor = story_start = body_offset(text)
    for src, alt in _Pictures(story_html(text, settings)).found:
        relative, why = resolve(src, path, content_root, settings)
        found = None
        for needle in dict.fromkeys(filter(None, (relative, PLACEHOLDER_RE.sub("", src.strip()).lstrip("/")))):
            found = _located(text, needle, cursor) or _located(text, needle, story_start)
            if found:
                break
        line = text.count("\n", 0, found[0]) + 1 if found else None
        typed = found[1] if found else src.strip() or "a picture"
        if found:
            cursor = found[0] + len(found[1])
        if why == PAGE_RELATIVE:
            problems.append(Problem(path, line, FIELD, f"{typed} {why}", _fix_for(why), severity="warning"))
        elif why:
            problems.append(Problem(path, line, FIELD, f"{typed} {why}", _fix_for(why)))
        elif relative:
            problems += _check_file(path, line, typed, relative, content_root, settings)
        if alt is None or not alt.strip():
            problems.append(Problem(
                path, line, FIELD, f"{typed} has no alt text, so readers who cannot see it are told nothing.",
                f"describe what the picture shows between the square brackets: ![Dock workers at the gates]({typed if src.strip() else 'images/<file>'}) "
                "(in an HTML <img>, as alt=\"...\").",
            ))
    return problems


def _fix_for(why: str) -> str:
    if why.startswith("has no path"):
        return "write the picture's path from the content folder between the brackets, e.g. ![...](images/harbour.jpg)."
    if why.startswith("is outside"):
        return "write the path from the content folder, e.g. {static}/images/harbour.jpg."
    return ('write the path from the content folder: in Markdown, ![What it shows](images/<file> "Caption"); '
            "in HTML, src=\"/images/<file>\".")


def _check_file(path: str, line: int | None, typed: str, relative: str, content_root: str, settings: dict) -> list[Problem]:
    target = os.path.join(content_root, *relative.split("/"))
    folder = display_path(os.path.dirname(target))
    if not os.path.isfile(target):
        fix = f"check the file name, or add the picture to {folder}/."
        try:
            names = [n for n in os.listdir(os.path.dirname(target)) if not n.startswith(".")]
        except OSError:
            names = []
        guess = difflib.get_close_matches(os.path.basename(target), names, n=1, cutoff=0.8)
        if guess:
            fix = f"did you mean {posixpath.join(posixpath.dirname(relative), guess[0])}? Otherwise {fix}"
        return [Problem(path, line, FIELD, f"{typed} does not exist in {folder}/.", fix)]
    if not in_static_paths(relative, settings):
        return [Problem(
            path, line, FIELD, f"{typed} is in {folder}/, which the site does not publish (STATIC_PATHS in pelicanconf.py).",
            "move the picture into content/images/ and write images/<file>.",
        )]
    if not relative.lower().endswith(PICTURE_EXTENSIONS):
        return [Problem(path, line, FIELD, f"{typed} is not a picture format browsers show.",
                        "use a .jpg, .png, .webp, .gif, .avif or .svg file.")]
    return []

"""Rewriting a story's <img> tags into responsive <picture> elements, and srcset URL helpers.

Pure functions: the caller supplies how to find the picture behind a URL. They return new HTML and never
touch the article, whose `content` feeds and search use as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from bs4.dammit import EntitySubstitution
from bs4.formatter import HTMLFormatter
from newsroom_sanitise import plain_tokens, unescape_plain

from .plan import RASTER_SUFFIXES, ImageInfo

# Links Pelican could not resolve keep their placeholder; the path after it is from the content folder.
PLACEHOLDER_RE = re.compile(r"^\{(?:static|attach|filename)\}/?")
CANDIDATE_SPLIT_RE = re.compile(r",\s+")


class _AsWritten(HTMLFormatter):
    """HTML5 output that keeps attributes in their order (Beautiful Soup sorts them) and escapes only what
    must be, so the rest of the story changes as little as possible."""

    def attributes(self, tag):
        return list(tag.attrs.items()) if tag.attrs else []


AS_WRITTEN = _AsWritten(entity_substitution=EntitySubstitution.substitute_xml, void_element_close_prefix="")


def site_path(src: str, siteurl: str) -> str | None:
    """The path inside the site that `src` points at, or None when it points elsewhere (another host, a
    data: URI) or is relative to a page whose URL we do not know."""
    src = src.strip()
    if PLACEHOLDER_RE.match(src):
        path = PLACEHOLDER_RE.sub("", src)
    elif siteurl and src.startswith(siteurl.rstrip("/") + "/"):
        path = src[len(siteurl.rstrip("/")) + 1:]
    else:
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            return None
        path = parts.path
    path = unquote(urlsplit(path).path).lstrip("/")
    return path if path.lower().endswith(RASTER_SUFFIXES) else None


IMG_SRC_RE = re.compile(r"<img\b[^>]*?\bsrc=(?:\"([^\"]*)\"|'([^']*)')", re.I)


def inline_image_paths(html: str, siteurl: str) -> list[str]:
    """The site paths of the raster pictures a story's <img> tags show (as responsive_html would find)."""
    paths = []
    for double, single in IMG_SRC_RE.findall(html or ""):
        path = site_path(unescape(double or single), siteurl)
        if path:
            paths.append(path)
    return paths


def srcset_url(srcset: str, siteurl: str) -> str:
    """Prefix each URL of a srcset made of site-relative URLs with SITEURL + "/", as templates do with
    `{{ SITEURL }}/{{ article.url }}`."""
    if not srcset:
        return ""
    candidates = []
    for candidate in CANDIDATE_SPLIT_RE.split(srcset.strip()):
        url, _, descriptor = candidate.strip().partition(" ")
        if not re.match(r"^(?:[a-z][a-z0-9+.-]*:|/)", url, re.I):
            url = f"{siteurl}/{url}"
        candidates.append(f"{url} {descriptor}".strip())
    return ", ".join(candidates)


def picture_attrs(info: ImageInfo, original_src: str, siteurl: str, sizes: str) -> tuple[dict, dict | None]:
    """New attributes for the <img>, and for the WebP <source> (None for a picture published as it is)."""
    src = info.src_url()
    img = {"src": f"{siteurl}/{src}" if src else original_src, "width": str(info.width), "height": str(info.height)}
    if not info.fallback:
        return img, None
    img.update(srcset=srcset_url(info.srcset(info.fallback), siteurl), sizes=sizes)
    return img, {"type": "image/webp", "srcset": srcset_url(info.srcset("webp"), siteurl), "sizes": sizes}


def plan_picture(src, attrs, in_picture: bool, find, siteurl: str, sizes: str) -> tuple[dict, dict | None] | None:
    """What one <img> (its src and the names of its attributes in `attrs`) becomes, as picture_attrs'
    pair; None for one left alone: not local, not found, already responsive or inside a <picture>."""
    if not src or "srcset" in attrs or in_picture:
        return None
    path = site_path(src, siteurl)
    info = find(path) if path else None
    if info is None:
        return None
    img_attrs, source_attrs = picture_attrs(info, src, siteurl, sizes)
    if "width" in attrs and "height" in attrs:
        del img_attrs["width"], img_attrs["height"]  # the author's size wins
    return img_attrs, source_attrs


def responsive_html(html: str, find: Callable[[str], ImageInfo | None], siteurl: str, sizes: str) -> str:
    """Every local <img> in `html` as <picture> with WebP and fallback srcsets, width, height and lazy
    loading. Images `find` cannot resolve, and ones the author already made responsive, are left alone."""
    if not html or "<img" not in html.lower():
        return html  # no parse, so a story without pictures comes out byte for byte as it went in
    images = plain_images(html)
    if images is not None:
        return _rewrite_plain(html, images, find, siteurl, sizes)
    soup = BeautifulSoup(html, "html.parser")
    changed = False
    for img in soup.find_all("img"):
        planned = plan_picture(img.get("src"), img.attrs, bool(img.find_parent("picture")), find, siteurl, sizes)
        if planned is None:
            continue
        img_attrs, source_attrs = planned
        img.attrs.update(img_attrs)
        # Stories start below the headline and lead image, so their pictures are off the first screen.
        img.attrs.setdefault("loading", "lazy")
        img.attrs.setdefault("decoding", "async")
        changed = True
        if source_attrs is None:
            continue
        picture = soup.new_tag("picture")
        img.wrap(picture)
        picture.insert(0, soup.new_tag("source", attrs=source_attrs))
    return soup.decode(formatter=AS_WRITTEN) if changed else html


# The fast path. A story in the plain form the sanitiser writes (newsroom_sanitise.plain_html) comes back
# from Beautiful Soup's parse and AS_WRITTEN output as the same characters, so only the rewritten <img>
# tags change, and they can be written in place, without a parse. Anything else goes to Beautiful Soup;
# tests/test_images.py checks both ways agree.
def plain_images(html: str) -> list[tuple[int, int, dict, bool]] | None:
    """Each <img> of a story in the plain form (start, end, attributes as written, inside a <picture>),
    or None when the story is not in that form."""
    tokens = plain_tokens(html)
    if tokens is None:
        return None
    return [(t.start, t.end, dict(t.attributes), "picture" in t.parents) for t in tokens
            if t.name == "img" and not t.closing]


def _attribute(name: str, value: str) -> str:
    """ name="value" as Beautiful Soup writes it (EntitySubstitution.substitute_xml, quoted_attribute_value)."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    quote = '"'
    if '"' in value:
        if "'" in value:
            value = value.replace('"', "&quot;")
        else:
            quote = "'"
    return f" {name}={quote}{value}{quote}"


def _rewrite_plain(html: str, images, find, siteurl: str, sizes: str) -> str:
    """responsive_html's rewrite of a plain story (see plain_images), <img> by <img>."""
    pieces, last = [], 0
    for start, end, written, in_picture in images:
        planned = plan_picture(unescape_plain(written.get("src", "")), written, in_picture, find, siteurl, sizes)
        if planned is None:
            continue
        img_attrs, source_attrs = planned
        attrs = {name: unescape_plain(value) for name, value in written.items()}
        attrs.update(img_attrs)
        attrs.setdefault("loading", "lazy")
        attrs.setdefault("decoding", "async")
        tag = "<img" + "".join(_attribute(n, v) for n, v in attrs.items()) + ">"
        if source_attrs is not None:
            tag = "<picture><source" + "".join(_attribute(n, v) for n, v in source_attrs.items()) + ">" + tag + "</picture>"
        pieces += [html[last:start], tag]
        last = end
    return "".join(pieces) + html[last:] if pieces else html

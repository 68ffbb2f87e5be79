"""From a Pelican article to a feed item: pure functions and one small dataclass per item.

The item id is a tag: URI (RFC 4151), ``tag:<authority>,<YYYY-MM-DD>:<source path without extension>``,
e.g. ``tag:commonledger.example,2026-11-20:articles/middle-east/2026-11-20-water-talks``. Why these parts:

* the title and the slug change when an article is retitled (the slug follows the title unless an editor
  pins it with `Slug:`, and pinning it later would itself change a slug-based id); the source file keeps
  its name through edits, retitles, corrections and a change of section;
* the authority is a setting, not the address the site happens to be served from, so local and
  production builds agree and a move to another domain keeps every id;
* the date is the article's publication date, as RFC 4151 asks (a day the authority owned the name), so
  two files of the same name published on different days can never share an id.

Moving or renaming a published file does change its id: readers would see it once more as new.
It is not a URL, so RSS marks it isPermaLink="false".
"""

from __future__ import annotations

import datetime as dt
import html
import os
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote, urljoin

from bs4 import BeautifulSoup
from bs4.dammit import EntitySubstitution
from newsroom_content.enrich import XML_FORBIDDEN_RE
from bs4.formatter import HTMLFormatter

# Characters XML 1.0 does not allow anywhere, even escaped: lxml refuses them, so they are dropped.

# Attributes that hold one URL; srcset holds a list.
URL_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "link": ("href",), "img": ("src", "longdesc"), "source": ("src",),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "iframe": ("src",), "embed": ("src",),
    "object": ("data",), "blockquote": ("cite",), "q": ("cite",), "ins": ("cite",), "del": ("cite",),
    "form": ("action",),
}
SRCSET_TAGS = ("img", "source")
# Any attribute that may hold a URL, with its value: parsing the HTML is the slowest step of a feed build,
# and most stories have no relative URL at all once Pelican has resolved its own {filename} links.
URL_VALUE_RE = re.compile(
    r"""\s(?:href|src|srcset|poster|cite|data|action|longdesc)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I
)
ABSOLUTE_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)", re.I)
# HTML5 void elements (<img>, not <img/>) and characters as themselves: escaping only &, < and > keeps
# the feed small and readable, and the feed is UTF-8 anyway.
HTML_OUT = HTMLFormatter(entity_substitution=EntitySubstitution.substitute_xml, void_element_close_prefix="")

# Fixed, not the mimetypes module: that reads the machine's /etc/mime.types, and the feeds must not
# depend on which machine built them.
IMAGE_TYPES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
    ".webp": "image/webp", ".avif": "image/avif", ".svg": "image/svg+xml",
}


def xml_safe(text) -> str:
    return XML_FORBIDDEN_RE.sub("", str(text or ""))


def tag_uri(authority: str, published: dt.date, source_path: str) -> str:
    stem = posixpath.splitext(source_path.replace(os.sep, "/"))[0]
    specific = quote(stem, safe="/-._~!$&'()*+,;=:@")  # RFC 4151 allows pchar and "/"
    return f"tag:{authority},{published:%Y-%m-%d}:{specific}"


def absolutize_srcset(value: str, base: str) -> str:
    candidates = []
    for candidate in value.split(","):
        parts = candidate.split()
        if parts:
            candidates.append(" ".join([urljoin(base, parts[0]), *parts[1:]]))
    return ", ".join(candidates)


def absolutize_html(fragment: str, base: str) -> str:
    """The HTML with every relative link and image URL resolved against `base` (the article's URL)."""
    values = ("".join(m.groups(default="")) for m in URL_VALUE_RE.finditer(fragment))
    if all(ABSOLUTE_RE.match(v.strip()) and "," not in v for v in values):
        return fragment
    soup = BeautifulSoup(fragment, "html.parser")
    for tag in soup.find_all(list(URL_ATTRIBUTES)):
        for attr in URL_ATTRIBUTES[tag.name]:
            if tag.has_attr(attr):
                tag[attr] = urljoin(base, tag[attr].strip())
        if tag.name in SRCSET_TAGS and tag.has_attr("srcset"):
            tag["srcset"] = absolutize_srcset(tag["srcset"], base)
    return soup.decode(formatter=HTML_OUT)


def image_type(path: str) -> str:
    return IMAGE_TYPES.get(posixpath.splitext(path)[1].lower(), "application/octet-stream")


# EXIF orientations that turn a picture on its side, so its upright width is its stored height.
SIDEWAYS = {5, 6, 7, 8}


def image_size(info: dict, path: str) -> tuple[int, int] | None:
    """(width, height), upright, for readers that lay out before the picture loads. newsroom_images has
    measured every lead image and put its size on `article.lead_image`; without that plugin the picture's
    header is read here, the same way. None if Pillow cannot tell."""
    if info.get("width") and info.get("height"):
        return info["width"], info["height"]
    try:
        from PIL import Image as PILImage  # only needed for feeds with pictures

        with PILImage.open(path) as im:
            width, height = im.size
            return (height, width) if im.getexif().get(0x0112) in SIDEWAYS else (width, height)
    except Exception:  # an unreadable picture costs the feed two attributes, never the build
        return None


@dataclass(frozen=True)
class Person:
    name: str
    url: str


@dataclass(frozen=True)
class Image:
    url: str
    length: int
    type: str
    alt: str
    caption: str
    credit: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class FeedItem:
    id: str
    url: str
    title: str
    summary: str  # plain text
    content_html: str
    published: dt.datetime
    updated: dt.datetime
    authors: tuple[Person, ...]
    categories: tuple[str, ...]
    lang: str
    image: Image | None


def lead_image(article, cfg) -> Image | None:
    info = getattr(article, "lead_image", None)
    if not info:
        return None
    path = os.path.join(cfg.content_path, info["path"])
    try:
        length = os.path.getsize(path)
    except OSError:
        return None  # validation reports a missing image; the feed just goes without it
    size = image_size(info, path)
    return Image(
        url=cfg.url(info["url"]), length=length, type=image_type(info["path"]),
        alt=xml_safe(info.get("alt")), caption=xml_safe(info.get("caption")), credit=xml_safe(info.get("credit")),
        width=size[0] if size else None, height=size[1] if size else None,
    )


def figure_html(image: Image) -> str:
    caption = " ".join(filter(None, (
        html.escape(image.caption, quote=False), image.credit and f"<small>{html.escape(image.credit, quote=False)}</small>",
    )))
    return (
        f'<figure><img src="{html.escape(image.url)}" alt="{html.escape(image.alt)}"'
        + (f' width="{image.width}" height="{image.height}"' if image.width else "")
        + ">" + (f"<figcaption>{caption}</figcaption>" if caption else "") + "</figure>"
    )


def content_html(article, body: str, url: str, image: Image | None, lang: str, site_lang: str) -> str:
    """What a reader sees: the picture with its caption and credit, the story, and any correction."""
    parts = [figure_html(image)] if image else []
    parts.append(absolutize_html(xml_safe(body), url))
    correction = getattr(article, "correction", None)
    if correction:
        when = getattr(article, "locale_modified", "")
        parts.append(
            f"<aside><p><strong>Correction{', ' + html.escape(xml_safe(when), quote=False) if when else ''}:</strong> "
            f"{html.escape(xml_safe(correction), quote=False)}</p></aside>"
        )
    text = "\n".join(parts)
    direction = getattr(article, "text_direction", "ltr")
    if direction == "rtl" or lang != site_lang:
        text = f'<div lang="{html.escape(lang)}" dir="{html.escape(direction)}">{text}</div>'
    return text


def build_item(article, cfg) -> FeedItem:
    url = cfg.url(article.url)
    published = article.date.replace(microsecond=0)
    modified = getattr(article, "modified", None)
    updated = max(published, modified.replace(microsecond=0)) if modified else published
    live = getattr(article, "live", None)  # a live blog (newsroom_live) changes with its latest update
    if live is not None and live.last_updated is not None:
        updated = max(updated, live.last_updated)
    image = lead_image(article, cfg)
    lang = getattr(article, "lang", None) or cfg.language
    section = article.category.name
    return FeedItem(
        id=tag_uri(cfg.tag_authority, published.date(), article.relative_source_path),
        url=url,
        title=xml_safe(article.title),
        summary=xml_safe(getattr(article, "standfirst", "")),
        content_html=content_html(article, article.get_content(cfg.base_url), url, image, lang, cfg.language),
        published=published,
        updated=updated,
        authors=tuple(Person(xml_safe(a.name), cfg.url(a.url)) for a in getattr(article, "authors", ())),
        categories=tuple(dict.fromkeys(xml_safe(c) for c in (section, *(t.name for t in getattr(article, "tags", ()))))),
        lang=lang,
        image=image,
    )


def correction_item(article, cfg) -> FeedItem:
    """An item of the corrections feed: the correction itself, dated when it was made (the article's
    Modified), linking to the corrected article. Its id is the article's source path with `#correction`
    on the day of the correction, so a later correction of the same story is a new item."""
    url = cfg.url(article.url)
    when = (getattr(article, "modified", None) or article.date).replace(microsecond=0)
    lang = getattr(article, "lang", None) or cfg.language
    title = xml_safe(article.title)
    text = xml_safe(article.correction)
    body = (f"<p>{html.escape(text, quote=False)}</p>"
            f'<p>The corrected article: <a href="{html.escape(url)}">{html.escape(title, quote=False)}</a></p>')
    direction = getattr(article, "text_direction", "ltr")
    if direction == "rtl" or lang != cfg.language:
        body = f'<div lang="{html.escape(lang)}" dir="{html.escape(direction)}">{body}</div>'
    return FeedItem(
        id=tag_uri(cfg.tag_authority, when.date(), article.relative_source_path) + "#correction",
        url=url,
        title=f"Correction: {title}",
        summary=text,
        content_html=body,
        published=when,
        updated=when,
        authors=(),
        categories=("Corrections", xml_safe(article.category.name)),
        lang=lang,
        image=None,
    )

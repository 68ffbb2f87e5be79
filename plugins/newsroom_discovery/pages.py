"""What a page is, from the template context Pelican renders it with: pure functions, no Pelican needed.

A page's kind (article, section, front page ...), its canonical URL, title, description, share image and
language are worked out here once; head.py turns them into <meta> tags and jsonld.py into structured data.
The context is anything with ``.get`` (a Jinja Context or a plain dict in tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsroom_content.enrich import literal_text, plain_text, standfirst
from newsroom_content.urls import site_url

from .settings import Config

DESCRIPTION_MAX = 300  # characters: search engines show about 160, share cards a little more
CANDIDATE_RE = re.compile(r"^\s*(\S+)\s+(\d+)w\s*$")
# Share cards are drawn about 1200 pixels wide; the smallest copy at least that wide is sharp and light.
SHARE_WIDTH = 1200
EXTENSION_MIME = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
                  "webp": "image/webp", "avif": "image/avif"}


@dataclass(frozen=True)
class ShareImage:
    url: str  # absolute
    width: int | None
    height: int | None
    alt: str
    mime: str = ""
    own: bool = False  # the page's own picture or share card (shown large), rather than the paper's logo


@dataclass(frozen=True)
class PageFacts:
    kind: str
    url: str  # absolute canonical URL
    title: str
    description: str
    image: ShareImage
    lang: str  # BCP 47, e.g. "en" or "pt-BR"
    page_number: int


def site_address(ctx) -> str:
    """The absolute site URL without a trailing slash (newsroom_theme's NEWSROOM_SITE_URL)."""
    return (ctx.get("NEWSROOM_SITE_URL") or site_url(ctx)).rstrip("/")


def absolute(site: str, url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return f"{site}/{url.lstrip('/')}"


def url_of_file(output_file: str) -> str:
    """The URL (relative to the site) a file is served at: folders, not their index.html."""
    path = output_file.replace("\\", "/").lstrip("/")
    if path == "index.html":
        return ""
    return path[: -len("index.html")] if path.endswith("/index.html") else path


def page_kind(ctx) -> str:
    # Article pages also get `category` in their context, so the order of these checks matters.
    for key, kind in (("article", "article"), ("page", "page"), ("desk", "desk"), ("tag", "tag"),
                      ("author", "author"), ("category", "section"), ("period", "month")):
        if ctx.get(key):
            return kind
    output = (ctx.get("output_file") or "").replace("\\", "/")
    special = {
        ctx.get("INDEX_SAVE_AS") or "index.html": "front",
        ctx.get("ARCHIVES_SAVE_AS") or "archives.html": "archive",
        ctx.get("SEARCH_SAVE_AS") or "search.html": "search",
        "404.html": "notfound",
    }
    return special.get(output, "other")


def page_number(ctx) -> int:
    paginated = ctx.get("articles_page")
    return getattr(paginated, "number", 1) or 1


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def page_title(kind: str, ctx) -> str:
    site = ctx.get("SITENAME") or ""
    obj = {"article": "article", "page": "page", "desk": "desk", "tag": "tag", "author": "author",
           "section": "category"}.get(kind)
    if obj:
        item = ctx.get(obj)
        return literal_text(getattr(item, "title", None) or getattr(item, "name", ""))
    if kind == "month":
        period = ctx.get("period") or ()
        return " ".join(str(p) for p in reversed(period[:2]))
    fixed = {"front": site, "archive": "Archive", "search": "Search", "notfound": "Page not found"}
    if kind in fixed:
        return fixed[kind]
    # Any other page a plugin writes (the feeds page): its folder's name.
    name = (ctx.get("page_name") or url_of_file(ctx.get("output_file") or "")).strip("/").split("/")[0]
    return name.replace("-", " ").capitalize() or site


def page_description(kind: str, title: str, ctx) -> str:
    site = ctx.get("SITENAME") or ""
    if kind == "article":
        article = ctx.get("article")
        text = getattr(article, "standfirst", "") or standfirst(None, getattr(article, "content", ""))
        return text or title
    if kind == "page":
        page = ctx.get("page")
        summary = (getattr(page, "metadata", None) or {}).get("summary") and getattr(page, "summary", "")
        return standfirst(summary, getattr(page, "content", "")) or f"{title}: {site}."
    if kind == "author":
        info = (ctx.get("NEWSROOM_AUTHOR_INFO") or {}).get(title)
        bio = getattr(info, "bio", None) or (info.get("bio") if isinstance(info, dict) else None)
        return plain_text(bio) if bio else f"Articles by {title} in {site}."
    if kind == "desk":
        sections = [s.name for s in getattr(ctx.get("desk"), "sections", None) or []]
        where = f"{_join(sections)} in {site}" if sections else site
        return f"{title}: the latest from {where}."
    if kind == "front":
        subtitle = (ctx.get("SITESUBTITLE") or "").strip().rstrip(".")
        desks = [d.name for d in ctx.get("NEWSROOM_DESK_LIST") or []]
        text = f"{site}: {subtitle}." if subtitle else f"{site}."
        return text + (f" News and comment from {_join(desks)}." if desks else "")
    return {
        "section": f"{title}: the latest articles from {site}.",
        "tag": f"Articles about {title} in {site}.",
        "month": f"Every article {site} published in {title}.",
        "archive": f"Every article {site} has published, month by month.",
        "search": f"Search every article {site} has published.",
        "notfound": "We could not find that page.",
    }.get(kind, f"{title} from {site}.")


def pick_share_copy(lead_image: dict) -> tuple[str, int | None, int | None]:
    """The copy of a lead picture to put on share cards: (url relative to the site, width, height).

    newsroom_images lists the copies in `srcset`; the smallest at least SHARE_WIDTH wide is taken, else
    the widest. Heights are worked out as newsroom_images makes them. Without copies, the original.
    """
    width, height = lead_image.get("width"), lead_image.get("height")
    candidates = []
    for candidate in (lead_image.get("srcset") or "").split(","):
        m = CANDIDATE_RE.match(candidate)
        if m:
            candidates.append((int(m.group(2)), m.group(1)))
    if not candidates or not width or not height:
        return lead_image.get("url") or lead_image.get("path") or "", width, height
    candidates.sort()
    chosen = next((c for c in candidates if c[0] >= SHARE_WIDTH), candidates[-1])
    return chosen[1], chosen[0], max(1, round(height * chosen[0] / width))


def share_image(kind: str, ctx, config: Config, site: str, title: str) -> ShareImage:
    """The page's lead picture; else its share card (newsroom_cards draws one for an article without a
    picture: the masthead, section and headline); else the paper's logo."""
    item = ctx.get("article") if kind == "article" else ctx.get("page") if kind == "page" else None
    lead = getattr(item, "lead_image", None)
    if lead and (lead.get("url") or lead.get("path")):
        url, width, height = pick_share_copy(lead)
        mime = EXTENSION_MIME.get(url.rsplit(".", 1)[-1].lower(), "")
        return ShareImage(absolute(site, url), width, height, lead.get("alt") or title, mime, own=True)
    card = getattr(item, "share_card", None)
    if card:
        return ShareImage(absolute(site, card["url"]), card["width"], card["height"], card["alt"], card["type"], own=True)
    logo = config.logo
    return ShareImage(absolute(site, logo.url), logo.width, logo.height, logo.alt, logo.mime)


def page_lang(kind: str, ctx) -> str:
    item = ctx.get("article") if kind == "article" else ctx.get("page") if kind == "page" else None
    return getattr(item, "lang", None) or ctx.get("DEFAULT_LANG") or "en"


def page_facts(ctx, config: Config) -> PageFacts:
    site = site_address(ctx)
    kind = page_kind(ctx)
    number = page_number(ctx)
    title = page_title(kind, ctx)
    description = page_description(kind, title, ctx)
    if number > 1:
        title = f"{title}, page {number}"
        description = f"{description} Page {number}."
    article = ctx.get("article")
    relative = url_of_file(ctx.get("output_file") or "") if ctx.get("output_file") else getattr(article, "url", "")
    return PageFacts(
        kind=kind, url=absolute(site, relative), title=title, description=shorten(description),
        image=share_image(kind, ctx, config, site, title), lang=page_lang(kind, ctx), page_number=number,
    )

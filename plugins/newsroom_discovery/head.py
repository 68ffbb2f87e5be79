"""Everything partials/meta.html writes into <head>, computed from the page's template context.

``head_meta(ctx, config)`` returns the canonical URL, the <meta> tags (description, robots, authors, Open
Graph, Twitter card) as attribute lists, with each list also written out as its element's attributes (every
value escaped, as Jinja's `xmlattr` would), and the JSON-LD blocks already serialised for a <script> element.

Article pages also tell Pagefind, from these same tags, what to show and filter search results by: the
standfirst and publication date as result metadata, the section and each author as filters. Pagefind reads
data-pagefind-meta and data-pagefind-filter anywhere in the page, <head> included, so the article template
only needs data-pagefind-body on the story. Site search is newsroom_search's, but these attributes stay
here: they ride on tags this module writes, with values only it works out (the standfirst, the date in the
paper's timezone), and newsroom_search's records take them from here (`HeadMeta.search_elements`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from newsroom_content.enrich import is_public

from .jsonld import iso, script_json, structured_data
from .pages import PageFacts, absolute, page_facts, site_address
from .settings import Config

Attributes = dict[str, str]  # in the order they are written
SEARCH_PREFIX = "data-pagefind-"
# The attributes by which a <meta> tells Pagefind something (a result's metadata, a filter, a sort key).
SEARCH_ATTRIBUTES = frozenset(SEARCH_PREFIX + name for name in ("meta", "filter", "sort"))
_ESCAPED_NAMES: dict[str, str] = {}  # attribute name -> as xmlattr writes it; a handful of names a build


@dataclass(frozen=True)
class HeadMeta:
    canonical: str
    tags: tuple[Attributes, ...]  # one <meta> element each
    json_ld: tuple[str, ...]  # serialised, ready for <script type="application/ld+json">
    facts: PageFacts

    @property
    def elements(self) -> tuple[Markup, ...]:
        """Each of `tags` as the attributes of its <meta>: what `{{ attributes|xmlattr }}` writes, without a
        filter call and two escapes per attribute (a tenth of an article page's rendering time)."""
        return tuple(map(attribute_markup, self.tags))

    @property
    def search_elements(self) -> tuple[Markup, ...]:
        """The attributes of the <meta> elements that tell Pagefind something (data-pagefind-*), in order:
        what a search record (search_record.html) carries of the page's head."""
        return tuple(attribute_markup(tag) for tag in self.tags if not SEARCH_ATTRIBUTES.isdisjoint(tag))


def quote(value) -> str:
    """markupsafe.escape(value) for a plain value, as a str: the same five replacements, without making a
    Markup of every value (about 50 a page)."""
    text = str(value)
    if "&" in text:
        text = text.replace("&", "&amp;")
    return (text.replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;"))


def attribute_markup(attributes: Attributes) -> Markup:
    """` name="value" ...` exactly as Jinja's xmlattr filter writes it: every value escaped, None left out."""
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        written = _ESCAPED_NAMES.get(name)
        if written is None:
            if re.search(r"[\s/>=]", name, flags=re.ASCII):
                raise ValueError(f"Invalid character in attribute name: {name!r}")  # as xmlattr refuses it
            written = _ESCAPED_NAMES[name] = str(escape(name))
        parts.append(f'{written}="{escape(value) if hasattr(value, "__html__") else quote(value)}"')
    return Markup(" " + " ".join(parts)) if parts else Markup("")


def og_locale(lang: str, site_locale: str) -> str:
    """language_TERRITORY as Open Graph wants it, or "" when the page's language names no territory."""
    lang = (lang or "").replace("-", "_")
    if "_" in lang:
        primary, territory = lang.split("_", 1)
        return f"{primary.lower()}_{territory.upper()}"
    site_locale = (site_locale or "").replace("-", "_")
    if site_locale.lower().startswith(lang.lower() + "_"):
        return site_locale
    return ""


def meta(kind: str, key: str, content, **extra: str) -> Attributes:
    """<meta name|property=key content=...>, with data-pagefind-* attributes given as extra=... keywords."""
    attributes = {kind: key, "content": str(content)}
    attributes.update((f"{SEARCH_PREFIX}{name}", value) for name, value in extra.items())
    return attributes


def in_search_index(article) -> bool:
    """Public articles only (the content model's rule), as in the article template's data-pagefind-body:
    not drafts (local preview), nor hidden articles (listed nowhere, search results included)."""
    return article is not None and is_public(article)


def for_search(indexed: bool, **attributes: str) -> dict:
    """data-pagefind-* attributes, only on pages in the search index."""
    return attributes if indexed else {}


def no_index(facts: PageFacts, ctx) -> bool:
    """The 404 page and preview-only drafts must not end up in search engines."""
    item = ctx.get("article") or ctx.get("page")
    return facts.kind == "notfound" or getattr(item, "status", "published") == "draft"


def article_tags(article, facts: PageFacts, ctx) -> list[Attributes]:
    site = site_address(ctx)
    timezone = ctx.get("TIMEZONE") or "UTC"
    indexed = in_search_index(article)
    modified = getattr(article, "modified", None) or article.date
    tags = [
        meta("property", "article:published_time", iso(article.date, timezone),
             **for_search(indexed, meta="date[content]")),
        meta("property", "article:modified_time", iso(modified, timezone)),
        meta("property", "article:section", article.category.name, **for_search(indexed, filter="section[content]")),
    ]
    tags += [meta("property", "article:author", absolute(site, a.url)) for a in article.authors or []]
    tags += [meta("property", "article:tag", t.name) for t in getattr(article, "tags", None) or []]
    return tags


def head_meta(ctx, config: Config) -> HeadMeta:
    facts = page_facts(ctx, config)
    article = ctx.get("article") if facts.kind == "article" else None
    indexed = in_search_index(article)
    image = facts.image

    tags = [meta("name", "description", facts.description, **for_search(indexed, meta="standfirst[content]"))]
    if no_index(facts, ctx):
        tags.append(meta("name", "robots", "noindex"))
    if article is not None:
        tags += [meta("name", "author", a.name, **for_search(indexed, filter="author[content]"))
                 for a in article.authors or []]

    tags += [
        meta("property", "og:type", "article" if article is not None else "website"),
        meta("property", "og:title", facts.title),
        meta("property", "og:description", facts.description),
        meta("property", "og:url", facts.url),
        meta("property", "og:site_name", ctx.get("SITENAME") or ""),
    ]
    locale = og_locale(facts.lang, ctx.get("NEWSROOM_LOCALE") or "")
    if locale:
        tags.append(meta("property", "og:locale", locale))
    tags.append(meta("property", "og:image", image.url))
    if image.mime:
        tags.append(meta("property", "og:image:type", image.mime))
    if image.width and image.height:
        tags += [meta("property", "og:image:width", image.width), meta("property", "og:image:height", image.height)]
    tags.append(meta("property", "og:image:alt", image.alt))
    if article is not None:
        tags += article_tags(article, facts, ctx)

    tags.append(meta("name", "twitter:card", "summary_large_image" if image.own else "summary"))
    if config.twitter_site:
        tags.append(meta("name", "twitter:site", config.twitter_site))
    tags += [
        meta("name", "twitter:title", facts.title),
        meta("name", "twitter:description", facts.description),
        meta("name", "twitter:image", image.url),
        meta("name", "twitter:image:alt", image.alt),
    ]
    blocks = tuple(script_json(block) for block in structured_data(facts, ctx, config))
    return HeadMeta(canonical=facts.url, tags=tuple(tags), json_ld=blocks, facts=facts)

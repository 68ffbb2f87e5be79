"""schema.org structured data (JSON-LD) for article pages and the front page, as pure functions.

Article pages get a NewsArticle and a BreadcrumbList (desk, section, article); the front page gets the
WebSite, with a SearchAction pointing at /search/?q=..., and the NewsMediaOrganization that publishes it.
``script_json`` serialises a block so that nothing in it can end the <script> element early.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from newsroom_content.enrich import literal_text, plain_text

from .pages import PageFacts, absolute, site_address
from .settings import Config, Logo

SCHEMA = "https://schema.org"
# Characters that could close the <script> element or open a comment inside it (<, >), start a character
# reference some parsers honour (&), or end a JavaScript line (U+2028, U+2029). JSON lets every one of
# them be written as a \u escape inside a string, and they can only occur inside strings.
SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data) -> str:
    """The JSON text of `data`, safe to place between <script type="application/ld+json"> and </script>."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # A search and, when found, a replace per character: str.translate looks up every character of the
    # text in the table, which costs more for the two blocks on every article page.
    for character, escaped in SCRIPT_ESCAPES.items():
        if character in text:
            text = text.replace(character, escaped)
    return text


def iso(when: dt.datetime, timezone: str = "UTC") -> str:
    """ISO 8601 with the offset; a naive time is taken to be in the site's timezone."""
    if when.tzinfo is None or when.utcoffset() is None:
        when = when.replace(tzinfo=ZoneInfo(timezone or "UTC"))
    return when.isoformat(timespec="seconds")


def image_object(url: str, width: int | None, height: int | None, caption: str = "") -> dict:
    node = {"@type": "ImageObject", "url": url}
    if width and height:
        node.update(width=width, height=height)
    if caption:
        node["caption"] = caption
    return node


def organization(site: str, name: str, logo: Logo) -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "@id": f"{site}/#organization",
        "name": name,
        "url": f"{site}/",
        "logo": image_object(absolute(site, logo.url), logo.width, logo.height, logo.alt),
    }


def website(site: str, name: str, description: str, lang: str, search_url: str) -> dict:
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "@id": f"{site}/#website",
        "url": f"{site}/",
        "name": name,
        "description": description,
        "inLanguage": lang,
        "publisher": {"@id": f"{site}/#organization"},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": absolute(site, search_url) + "?q={search_term_string}"},
            "query-input": "required name=search_term_string",
        },
    }


def person(name: str, url: str, job_title: str = "") -> dict:
    node = {"@type": "Person", "name": name, "url": url}
    if job_title:
        node["jobTitle"] = job_title
    return node


def breadcrumbs(trail: list[tuple[str, str]]) -> dict:
    """A BreadcrumbList from (name, absolute URL) pairs, outermost first."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": url}
            for i, (name, url) in enumerate(trail, start=1)
        ],
    }


def news_article(facts: PageFacts, article, ctx, config: Config) -> dict:
    site = site_address(ctx)
    timezone = ctx.get("TIMEZONE") or "UTC"
    info = ctx.get("NEWSROOM_AUTHOR_INFO") or {}
    authors = [
        person(a.name, absolute(site, a.url), getattr(info.get(a.name), "role", "") or "")
        for a in getattr(article, "authors", None) or []
    ]
    tags = [t.name for t in getattr(article, "tags", None) or []]
    section = article.category.name
    published = article.date
    modified = getattr(article, "modified", None) or published
    image = facts.image
    return {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "@id": f"{facts.url}#article",
        "url": facts.url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": facts.url},
        "headline": literal_text(article.title),
        "description": facts.description,
        "image": [image_object(image.url, image.width, image.height, image.alt)],
        "datePublished": iso(published, timezone),
        "dateModified": iso(modified, timezone),
        "author": authors,
        "publisher": organization(site, ctx.get("SITENAME") or "", config.logo),
        "articleSection": section,
        # An article without tags still has its section as a topic, so keywords is never empty.
        "keywords": tags or [section],
        "inLanguage": facts.lang,
        # The paper has no paywall: every article is free to read.
        "isAccessibleForFree": True,
    }


def article_trail(facts: PageFacts, article, site: str) -> list[tuple[str, str]]:
    trail = []
    desk = getattr(article, "desk", None)
    if desk is not None:
        trail.append((desk.name, absolute(site, desk.url)))
    trail.append((article.category.name, absolute(site, article.category.url)))
    trail.append((literal_text(article.title), facts.url))
    return trail


def structured_data(facts: PageFacts, ctx, config: Config) -> list[dict]:
    """The JSON-LD blocks of one page, each a complete document with its own @context."""
    site = site_address(ctx)
    if facts.kind == "article":
        article = ctx.get("article")
        return [news_article(facts, article, ctx, config), breadcrumbs(article_trail(facts, article, site))]
    if facts.kind == "front":
        name = ctx.get("SITENAME") or ""
        return [
            website(site, name, facts.description, ctx.get("DEFAULT_LANG") or "en",
                    ctx.get("SEARCH_URL") or "search/"),
            {"@context": SCHEMA, **organization(site, name, config.logo)},
        ]
    return []

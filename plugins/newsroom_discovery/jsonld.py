"""schema.org structured data (JSON-LD) for article, author and front pages, as pure functions.

Article pages get the schema.org type of the article's `Type:` (SCHEMA_TYPES: a NewsArticle, or one of
its kinds, or a LiveBlogPosting) and a BreadcrumbList (desk, section, article); the front page gets the
WebSite, with a SearchAction pointing at /search/?q=..., and the NewsMediaOrganization that publishes it,
naming its policies (publishingPrinciples, correctionsPolicy, ...: the pages whose `Policy:` names one); the first
page of an author's articles gets a ProfilePage about the writer.
``script_json`` serialises a block so that nothing in it can end the <script> element early.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from newsroom_content.enrich import literal_text, plain_text
from newsroom_content.policies import POLICY_PROPERTIES, policy_property

from .collect import changed
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


# An article's Type -> (its schema.org type, the genre to name when the type alone does not say it).
# schema.org's kinds of NewsArticle (from the Trust Project's work) have no editorial or obituary: an
# editorial is the paper's own opinion, so an OpinionNewsArticle; an obituary is reported, so a NewsArticle.
SCHEMA_TYPES = {
    "News": ("NewsArticle", None),
    "Analysis": ("AnalysisNewsArticle", None),
    "Opinion": ("OpinionNewsArticle", None),
    "Editorial": ("OpinionNewsArticle", "Editorial"),
    "Review": ("ReviewNewsArticle", None),
    "Obituary": ("NewsArticle", "Obituary"),
    "Live": ("LiveBlogPosting", None),
}


def policy_pages(ctx) -> dict[str, str]:
    """{schema.org property: page URL} for the published pages that say which of the paper's policies
    they are (`Policy: correctionsPolicy`, checked by newsroom_checks to name each policy once)."""
    pages = ctx.get("pages") or ()
    memo = _POLICIES.get(id(pages))
    if memo is None or memo[0] is not pages:
        found = {}
        for page in pages:
            prop = policy_property((getattr(page, "metadata", None) or {}).get("policy"))
            if prop and prop not in found:
                found[prop] = page.url
        memo = _POLICIES[id(pages)] = (pages, dict(sorted(found.items(), key=lambda kv: POLICY_PROPERTIES.index(kv[0]))))
        if len(_POLICIES) > 4:  # one list a build; older builds' lists go
            del _POLICIES[next(iter(_POLICIES))]
    return memo[1]


# id(pages list) -> (the list, kept so the id stays its; its policies): the organization is on every page.
_POLICIES: dict[int, tuple] = {}


def organization(site: str, name: str, logo: Logo, policies: dict[str, str] | None = None) -> dict:
    node = {
        "@type": "NewsMediaOrganization",
        "@id": f"{site}/#organization",
        "name": name,
        "url": f"{site}/",
        "logo": image_object(absolute(site, logo.url), logo.width, logo.height, logo.alt),
    }
    # The paper's published standards (publishingPrinciples, correctionsPolicy, ethicsPolicy, masthead,
    # ownershipFundingInfo, ...), each the address of one of its pages.
    node.update((prop, absolute(site, url)) for prop, url in (policies or {}).items())
    return node


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
    modified = changed(article)
    image = facts.image
    schema_type, genre = SCHEMA_TYPES.get(getattr(article, "article_type", None) or "News", SCHEMA_TYPES["News"])
    node = {
        "@context": SCHEMA,
        "@type": schema_type,
        "@id": f"{facts.url}#article",
        "url": facts.url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": facts.url},
        "headline": literal_text(article.title),
        "description": facts.description,
        "image": [image_object(image.url, image.width, image.height, image.alt)],
        "datePublished": iso(published, timezone),
        "dateModified": iso(modified, timezone),
        "author": authors,
        # The same node as the front page's NewsMediaOrganization (one @id), which names the policies: they are
        # not repeated on every article, whose weight the theme keeps under 60 KB.
        "publisher": organization(site, ctx.get("SITENAME") or "", config.logo),
        "articleSection": section,
        # An article without tags still has its section as a topic, so keywords is never empty.
        "keywords": tags or [section],
        "inLanguage": facts.lang,
        # The paper has no paywall: every article is free to read.
        "isAccessibleForFree": True,
    }
    if genre:
        node["genre"] = genre
    if schema_type == "LiveBlogPosting":
        # Coverage starts when the live page is published; live coverage (its updates, its end) adds the rest.
        node["coverageStartTime"] = node["datePublished"]
        live = getattr(article, "live", None)
        if live is not None:
            node.update(live_blog(live, facts.url, timezone))
    return node


def live_blog(live, url: str, timezone: str) -> dict:
    """A live blog's coverage (newsroom_live's `article.live`): its end once known or scheduled, its last
    change, and every update shown as a BlogPosting with its own anchor."""
    node = {}
    if live.ends is not None:
        node["coverageEndTime"] = iso(live.ends, timezone)
    node["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": literal_text(u.headline or f"{u.time_text}"),
            "datePublished": iso(u.at, timezone),
            "url": f"{url}#{u.id}",
            "articleBody": plain_text(live.update_html(u)),
            **({"author": {"@type": "Person", "name": literal_text(u.byline)}} if u.byline else {}),
        }
        for u in live.updates
    ]
    return node


def profile_page(facts: PageFacts, author, ctx, config: Config) -> dict:
    """The ProfilePage of a writer's page: the Person, their role and biography, and the paper they write for."""
    site = site_address(ctx)
    info = (ctx.get("NEWSROOM_AUTHOR_INFO") or {}).get(author.name)
    person_node = {"@type": "Person", "@id": f"{facts.url}#person", "name": author.name, "url": facts.url}
    role, bio = getattr(info, "role", "") or "", plain_text(getattr(info, "bio", "") or "")
    if role:
        person_node["jobTitle"] = role
    if bio:
        person_node["description"] = bio
    person_node["worksFor"] = {"@id": f"{site}/#organization"}
    return {
        "@context": SCHEMA,
        "@type": "ProfilePage",
        "@id": facts.url,
        "url": facts.url,
        "name": facts.title,
        "inLanguage": facts.lang,
        "isPartOf": {"@id": f"{site}/#website"},
        "mainEntity": person_node,
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
            {"@context": SCHEMA, **organization(site, name, config.logo, policy_pages(ctx))},
        ]
    if facts.kind == "author" and facts.page_number == 1 and ctx.get("author") is not None:
        return [profile_page(facts, ctx.get("author"), ctx, config)]
    return []

"""Build-time help for the news theme.

Adds the `opening_capitals` template filter (the house style's capitalised opening word, as markup the
CSS styles), `related` (3 to 5 related articles) and `newer_in_section` / `older_in_section` on every
published article, `NEWSROOM_SITE_URL`, the absolute address of the site for share links (SITEURL
when it is absolute, else the local preview's address), `NEWSROOM_FRONT_PAGE`, the stories the front page
shows (front.py), the previous and next month of each monthly archive page (archive.py), and the
`shared_include` and `shared_fragment` globals, which render markup many pages share once per build
(fragments.py).
"""

from __future__ import annotations

from newsroom_content.urls import site_url
from newsroom_engine.api import store
from pelican import signals

from .archive import link_months
from .fragments import add_globals
from .front import front_page
from .markup import mark_opening_word
from .masthead import add_masthead
from .related import choose_related, neighbours


def add_filters(generator) -> None:
    if hasattr(generator, "env"):
        generator.env.filters["opening_capitals"] = mark_opening_word
        # The templates use newsroom_images' filters; without that plugin, images keep their one size.
        generator.env.filters.setdefault("srcset_url", lambda srcset, siteurl: srcset)
        generator.env.filters.setdefault("responsive_images", lambda html: html)


def link_articles(generator) -> None:
    published, unlisted = list(generator.articles), [*generator.hidden_articles, *generator.drafts]
    for article, chosen in zip([*published, *unlisted], choose_related(published, unlisted, store(generator.settings))):
        article.related = chosen
    for article, newer, older in neighbours(published):
        article.newer_in_section, article.older_in_section = newer, older
    for article in unlisted:
        article.newer_in_section = article.older_in_section = None
    generator.context["NEWSROOM_SITE_URL"] = site_url(generator.settings)


def plan_front_page(generator) -> None:
    generator.context["NEWSROOM_FRONT_PAGE"] = front_page(
        generator.articles, generator.context.get("NEWSROOM_DESK_LIST") or [])


def link_archive_months(generator) -> None:
    link_months(generator.period_archives.get("month") or [])


def plan_pages(generator) -> None:
    """article_generator_finalized: the published list is final (scheduled articles held back, the desks'
    and sections' lists filled before Pelican built its taxonomies) and the period archives are grouped
    but not yet written. The three steps read nothing the others set."""
    link_articles(generator)
    plan_front_page(generator)
    link_archive_months(generator)


def register():
    # generator_init: every generator's Jinja environment gets the filter and the shared fragments'
    # globals before templates load.
    signals.generator_init.connect(add_filters)
    signals.generator_init.connect(add_globals)
    # generator_init too: the header's date line, search and section row (masthead.py), once per run.
    signals.generator_init.connect(add_masthead)
    signals.article_generator_finalized.connect(plan_pages)

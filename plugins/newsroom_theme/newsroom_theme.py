"""Build-time help for the news theme.

Adds the `opening_capitals` template filter (the house style's capitalised opening word, as markup the
CSS styles), `related` (3 to 5 related articles) and `newer_in_section` / `older_in_section` on every
published article, `NEWSROOM_SITE_URL`, the absolute address of the site for share links (SITEURL
when it is absolute, else the local preview's address), `NEWSROOM_FRONT_PAGE`, the stories the front page
shows (front.py), the previous and next month of each monthly archive page (archive.py),
`NEWSROOM_AUTHOR_PROFILES`, what each author's page says about the author (listing.py), the
`shared_include` and `shared_fragment` globals, which render markup many pages share once per build
(fragments.py), and the interface text in the language of what it labels: Jinja's i18n extension over the
theme's gettext catalogs, and the `news_date` filter (language.py).
"""

from __future__ import annotations

import logging
import os

from newsroom_content.urls import site_url
from newsroom_engine.api import store
from pelican import signals

from .archive import link_months
from .fragments import add_globals
from .front import front_page
from .language import CatalogError, Interface, catalog_paths, install, load_interface
from .listing import author_profiles
from .markup import mark_opening_word
from .related import choose_related, neighbours

logger = logging.getLogger(__name__)


def add_filters(generator) -> None:
    if hasattr(generator, "env"):
        generator.env.filters["opening_capitals"] = mark_opening_word
        # The templates use newsroom_images' filters; without that plugin, images keep their one size.
        generator.env.filters.setdefault("srcset_url", lambda srcset, siteurl: srcset)
        generator.env.filters.setdefault("responsive_images", lambda html: html)
        install(generator.env, interface_of(generator.settings))


_INTERFACES: dict[tuple, Interface] = {}


def interface_of(settings) -> Interface:
    """The theme's catalogs, read once for all of a build's generators (and again when a file changes)."""
    paths = catalog_paths(settings["THEME"])
    key = (settings["THEME"], settings.get("DEFAULT_LANG", "en"),
           tuple((p, os.stat(p).st_mtime_ns, os.stat(p).st_size) for p in paths.values()))
    if key not in _INTERFACES:
        try:
            _INTERFACES.clear()
            _INTERFACES[key] = load_interface(settings["THEME"], settings.get("DEFAULT_LANG", "en"))
        except CatalogError as e:
            logger.error("%s", e)  # the build fails at its end, leaving the last good output
            return Interface(settings.get("DEFAULT_LANG", "en"))
    return _INTERFACES[key]


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


def describe_authors(generator) -> None:
    generator.context["NEWSROOM_AUTHOR_PROFILES"] = author_profiles(
        [author.name for author, _ in generator.authors], generator.context.get("NEWSROOM_AUTHOR_INFO") or {})


def plan_pages(generator) -> None:
    """article_generator_finalized: the published list is final (scheduled articles held back, the desks'
    and sections' lists filled before Pelican built its taxonomies) and the period archives are grouped
    but not yet written. The steps read nothing the others set."""
    link_articles(generator)
    plan_front_page(generator)
    link_archive_months(generator)
    describe_authors(generator)


def register():
    # generator_init: every generator's Jinja environment gets the filter and the shared fragments'
    # globals before templates load.
    signals.generator_init.connect(add_filters)
    signals.generator_init.connect(add_globals)
    signals.article_generator_finalized.connect(plan_pages)

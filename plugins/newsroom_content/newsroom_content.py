"""The newsroom content model on top of Pelican.

Adds to every article: its section and desk (sections are Pelican categories, grouped into desks in
NEWSROOM_DESKS), a plain-text standfirst, priority, text direction, lead image and correction; the default
author; scheduling (articles dated after the build's clock stay out); drafts only in the local preview;
desk pages and pages for sections with no articles yet; and a `money` template filter. The validation,
the data files and the atomic output live in `site.py` and `build.py` and run before Pelican does.
"""

from __future__ import annotations

import functools
import logging
import os

from babel.numbers import format_currency
from jinja2 import FileSystemBytecodeCache
from pelican import signals
from pelican.generators import Generator
from pelican.urlwrappers import Author, Category

from . import url_memo
from .build import NewsroomPelican, flush_pages
from .caching import stamp_by_identity
from .enrich import lead_image, split_by_section, standfirst, text_direction
from .object_cache import cached_receiver
from .parallel_read import prefill_articles, prefill_pages
from newsroom_markdown import use_newsroom_reader
from .settings import PLUGIN, setting

logger = logging.getLogger(__name__)


def check_pelican_class(pelican) -> None:
    if not isinstance(pelican, NewsroomPelican):
        raise RuntimeError(
            f"{PLUGIN}: set PELICAN_CLASS = \"newsroom_content.NewsroomPelican\" in pelicanconf.py; "
            "without it content is not validated and a failed build can leave a half-written site"
        )


def add_template_filters(generator) -> None:
    locale = setting(generator.settings, "NEWSROOM_LOCALE")
    if hasattr(generator, "env"):
        generator.env.filters["money"] = lambda amount, currency: format_money(amount, currency, locale)
        if generator.settings.get("CACHE_CONTENT"):
            # Every build compiles the theme's templates again in each generator: about 0.15 s of a rebuild
            # that renders almost nothing. Jinja's own bytecode cache keys each entry on the template's
            # name and source, so an edited template is compiled afresh.
            folder = os.path.join(generator.settings["CACHE_PATH"], "templates")
            os.makedirs(folder, exist_ok=True)
            generator.env.bytecode_cache = FileSystemBytecodeCache(folder)


@functools.lru_cache(maxsize=256)  # the fund's figures are on every page: Babel takes 0.1 ms a call
def format_money(amount, currency: str, locale: str) -> str:
    """£7,798: whole amounts without pennies, as appeals print them; others keep the currency's digits."""
    whole = amount == int(amount)
    return format_currency(amount, currency, locale=locale, format="¤#,##0" if whole else None, currency_digits=not whole)


@cached_receiver  # depends only on the file and the settings
def apply_section_and_author(generator, metadata: dict) -> None:
    """Before Pelican builds the Article: the section's slug for URLs, and the default author."""
    sections = generator.settings.get("NEWSROOM_SECTIONS", {})
    category = metadata.get("category")
    if isinstance(category, Category) and category.name in sections:
        category.slug = sections[category.name].slug
    if not metadata.get("authors"):
        metadata["authors"] = [Author(setting(generator.settings, "NEWSROOM_DEFAULT_AUTHOR"), generator.settings)]
    if metadata.get("status"):
        metadata["status"] = metadata["status"].lower()


def enrich(article, settings: dict) -> None:
    sections = settings.get("NEWSROOM_SECTIONS", {})
    article.section = sections.get(article.category.name)
    article.desk = article.section.desk if article.section else None
    # _content, not content: Pelican memoizes `content` with links resolved against what it knows so far,
    # and before the static generator has run, {static} links would stay unresolved for good.
    article.standfirst = standfirst(article.metadata.get("summary"), article._content)
    article.priority = (article.metadata.get("priority") or "normal").lower()
    article.text_direction = text_direction(article.lang, setting(settings, "NEWSROOM_RTL_LANGS"))
    article.lead_image = lead_image(article.metadata)
    article.correction = article.metadata.get("correction")
    article.is_draft = article.status == "draft"
    article.is_scheduled = False


def schedule_and_preview(generator) -> None:
    """Hold back scheduled articles; keep drafts (and scheduled articles) only in the preview."""
    settings = generator.settings
    now = settings["NEWSROOM_BUILD_NOW"]
    preview = setting(settings, "NEWSROOM_PREVIEW")
    for article in (*generator.articles, *generator.hidden_articles, *generator.drafts, *generator.translations):
        enrich(article, settings)
    scheduled = [a for a in (*generator.articles, *generator.hidden_articles) if a.date > now]
    if scheduled:
        held = set(map(id, scheduled))
        generator.articles = [a for a in generator.articles if id(a) not in held]
        generator.hidden_articles = [a for a in generator.hidden_articles if id(a) not in held]
        generator.translations = [a for a in generator.translations if a.date <= now]
    if preview:
        for article in scheduled:
            article.is_scheduled = True
            # Pelican writes drafts under DRAFT_SAVE_AS, so the preview shows them without publishing them.
            article.status = "draft"
            article.is_draft = True
        generator.drafts = sorted([*generator.drafts, *scheduled], key=lambda a: a.date, reverse=True)
    else:
        generator.drafts = []
        generator.drafts_translations = []
    logger.debug("%s: %d scheduled article(s) held back", PLUGIN, len(scheduled))


def fill_sections(generator) -> None:
    split_by_section(generator.articles, generator.settings.get("NEWSROOM_SECTIONS", {}))
    generator.context["drafts"] = generator.drafts


class DeskPagesGenerator(Generator):
    """Writes /<desk>/ pages (paginated like sections) and pages for sections that have no articles yet."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        desks = self.settings.get("NEWSROOM_DESK_LIST", [])
        desk_template = self.get_template("desk")
        category_template = self.get_template("category")
        for desk in desks:
            writer.write_file(
                f"{desk.slug}/index.html", desk_template, self.context,
                paginated={"articles": desk.articles, "dates": desk.articles}, template_name="desk",
                url=desk.url, desk=desk, page_name=f"{desk.slug}/index",
            )
            for section in desk.sections:
                if section.articles:
                    continue  # Pelican's category pages cover it
                category = Category(section.name, self.settings)
                category.slug = section.slug
                writer.write_file(
                    self.settings["CATEGORY_SAVE_AS"].format(slug=section.slug), category_template, self.context,
                    articles=[], dates=[], category=category, template_name="category", url=category.url,
                    page_name=section.slug,
                )


def get_generators(pelican):
    return DeskPagesGenerator


def register():
    # initialized: refuse to run without NewsroomPelican, which validates and writes atomically.
    signals.initialized.connect(check_pelican_class)
    # initialized: articles and pages remember their URLs while pages are written (url_memo.py).
    signals.initialized.connect(url_memo.install)
    # generator_init: every generator's Jinja environment gets the money filter.
    signals.generator_init.connect(add_template_filters)
    # article_generator_context: before the Article exists, so its URL uses the section's slug.
    signals.article_generator_context.connect(apply_section_and_author)
    # pretaxonomy: before categories, tags and archives are built from the article list.
    signals.article_generator_pretaxonomy.connect(schedule_and_preview)
    signals.article_generator_finalized.connect(fill_sections)
    signals.get_generators.connect(get_generators)
    # finalized: connected first of all our plugins' receivers, so the queued pages are rendered before
    # the sitemaps, the search index and precompression read the output.
    signals.finalized.connect(flush_pages)
    # readers_init: Markdown is read with converters kept for the whole build (reader.py).
    signals.readers_init.connect(use_newsroom_reader)
    # article/page_generator_init: the content cache knows a changed file by its stat (caching.py).
    signals.article_generator_init.connect(stamp_by_identity)
    signals.page_generator_init.connect(stamp_by_identity)
    # article/page_generator_init, after the stamps are set, so the workers store stamps of the same kind:
    # the generators' readers exist and nothing is read yet, so the files the content cache lacks can be
    # read on every core first (parallel_read.py).
    signals.article_generator_init.connect(prefill_articles)
    signals.page_generator_init.connect(prefill_pages)

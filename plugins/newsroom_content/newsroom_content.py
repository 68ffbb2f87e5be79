"""The newsroom content model on top of Pelican.

Adds to every article: its section and desk (sections are Pelican categories, grouped into desks in
NEWSROOM_DESKS), a plain-text standfirst, priority, text direction, lead image and correction; the default
author; scheduling (articles dated after the build's clock stay out); drafts only in the local preview;
one total order of articles, the same in every build (order.py); desk pages and pages for sections with
no articles yet; the corrections page (corrections.py); each article's Type (article_types.py); and a
`money` template filter. The checks of the content and the data files
(newsroom_checks) run before Pelican does, in NewsroomPelican's check (`build.py`); how the build itself
runs is the engine's (newsroom_engine).
"""

from __future__ import annotations

import functools
import logging

from babel.numbers import format_currency
from newsroom_engine.api import cached_receiver, story_html
from pelican import signals
from pelican.generators import Generator
from pelican.urlwrappers import Author, Category

from .article_types import DEFAULT_TYPE, article_type
from .build import NewsroomPelican
from .corrections import CorrectionsPageGenerator
from .enrich import is_public, lead_image, split_by_section, standfirst, text_direction
from .order import newest_first, newest_first_key
from .schedule import add_scheduled_change
from .settings import PLUGIN, setting

logger = logging.getLogger(__name__)


def start(pelican) -> None:
    """Refuse to run without NewsroomPelican, which validates and writes atomically; make Pelican's
    default article order, newest first by date, total (order.py): on its own it keeps articles with the
    same Date in the order their files were read, which differs from build to build (an ARTICLE_ORDER_BY
    the site chose for itself is left alone); and give the templates the `money` filter."""
    if not isinstance(pelican, NewsroomPelican):
        raise RuntimeError(
            f"{PLUGIN}: set PELICAN_CLASS = \"newsroom_content.NewsroomPelican\" in pelicanconf.py; "
            "without it content is not validated and a failed build can leave a half-written site"
        )
    if pelican.settings.get("ARTICLE_ORDER_BY") == "reversed-date":
        pelican.settings["ARTICLE_ORDER_BY"] = newest_first_key
    # Templates get the `money` filter through Pelican's own JINJA_FILTERS, in every generator.
    money = functools.partial(format_money, locale=setting(pelican.settings, "NEWSROOM_LOCALE"))
    pelican.settings["JINJA_FILTERS"] = {**pelican.settings.get("JINJA_FILTERS", {}), "money": money}


@functools.lru_cache(maxsize=256)  # the fund's figures are on every page, and Babel parses a pattern a call
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
    # The story as read, not `content`: Pelican memoizes that with links resolved against what it knows
    # so far, and before the static generator has run, {static} links would stay unresolved for good.
    article.standfirst = standfirst(article.metadata.get("summary"), story_html(article))
    article.priority = (article.metadata.get("priority") or "normal").lower()
    article.text_direction = text_direction(article.lang, setting(settings, "NEWSROOM_RTL_LANGS"))
    article.lead_image = lead_image(article.metadata)
    article.correction = article.metadata.get("correction")
    # News, Analysis, Opinion, ...: checked before the build, so never None here (article_types.py).
    article.article_type = article_type(article.metadata.get("type")) or DEFAULT_TYPE
    if article.metadata.get("live"):
        article.article_type = "Live"  # `Live:` makes a live blog (newsroom_content.live; the check refuses another Type)
    article.is_draft = article.status == "draft"
    article.is_scheduled = False


def schedule_and_preview(generator) -> None:
    """Hold back scheduled articles; keep drafts (and scheduled articles) only in the preview."""
    settings = generator.settings
    now = settings["NEWSROOM_BUILD_NOW"]
    preview = setting(settings, "NEWSROOM_PREVIEW")
    everything = (*generator.articles, *generator.hidden_articles, *generator.drafts, *generator.translations)
    for article in everything:
        enrich(article, settings)
    scheduled = [a for a in (*generator.articles, *generator.hidden_articles) if a.date > now]
    for article in (*scheduled, *(a for a in generator.translations if a.date > now)):
        article.is_scheduled = True
        # The build after its Date publishes it: the CI's check (newsroom_commands due) reads this time.
        add_scheduled_change(settings, article.date, f"scheduled article {article.relative_source_path} goes live")
    if scheduled:
        held = set(map(id, scheduled))
        generator.articles = [a for a in generator.articles if id(a) not in held]
        generator.hidden_articles = [a for a in generator.hidden_articles if id(a) not in held]
        generator.translations = [a for a in generator.translations if a.date <= now]
    if preview:
        for article in scheduled:
            # Pelican writes drafts under DRAFT_SAVE_AS, so the preview shows them without publishing them.
            article.status = "draft"
            article.is_draft = True
        generator.drafts = newest_first([*generator.drafts, *scheduled])
    else:
        generator.drafts = []
        generator.drafts_translations = []
    for article in (*everything, *generator.drafts_translations):
        article.is_public = is_public(article)  # what templates read (the search index marks public stories)
    logger.debug("%s: %d scheduled article(s) held back", PLUGIN, len(scheduled))
    # The sections' and desks' lists are filled now, so every plugin's article_generator_finalized receiver
    # finds them whatever its place. Pelican has already put the articles in order (ARTICLE_ORDER_BY, order.py).
    split_by_section(generator.articles, generator.settings.get("NEWSROOM_SECTIONS", {}))


def get_generators(pelican):
    return [DeskPagesGenerator, CorrectionsPageGenerator]


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


def register():
    # initialized: before the settings are fingerprinted for the caches and any article is read.
    signals.initialized.connect(start)
    # article_generator_context: before the Article exists, so its URL uses the section's slug.
    signals.article_generator_context.connect(apply_section_and_author)
    # pretaxonomy: before categories, tags and archives are built from the article list.
    signals.article_generator_pretaxonomy.connect(schedule_and_preview)
    signals.get_generators.connect(get_generators)

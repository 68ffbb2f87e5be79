"""Pelican's article generator, with tag, section, author and period pages that do not scan the archive
per term, articles kept between builds (object_cache.py), and article pages the writer keeps without
write_file (NewsroomWriter.keep_article_page).

Pelican's generate_tags, generate_categories and generate_authors build each term's date-ordered list
with `[a for a in self.dates if a in articles]`: once per term over the whole archive, and `in` on a list,
so quadratic in the size of the archive. Here the same list comes
from sorting the term's articles by their place in `self.dates`, which gives exactly the same order. The
pages are written with the same arguments as Pelican's; NewsroomPelican uses this class in its place.
"""

from __future__ import annotations

import calendar
import gc
import logging
import os
from collections import defaultdict
from itertools import chain, groupby
from operator import attrgetter

from pelican import signals
from pelican.writers import FileOverwriteFailedError

from .object_cache import article_cache_of, made_this_build, static_links, use_article_cache
from .pelican_compat import ArticlesGeneratorSeams, read_files_with, restore_read_file

logger = logging.getLogger(__name__)


GRANULARITIES = (
    ("year", attrgetter("date.year")),
    ("month", attrgetter("date.year", "date.month")),
    ("day", attrgetter("date.year", "date.month", "date.day")),
)


def changed_first(articles: list, made: frozenset[str]) -> tuple[list, int]:
    """`articles` in Pelican's order, but those whose file is among `made` (absolute source paths) first,
    each group in that order; and how many go first. Unchanged when none or all of them are made, and when
    two articles are saved at the same path: then the order decides which one is written (Pelican writes
    the first and skips the other), and that must not depend on which file was edited."""
    first = [a for a in articles if a.source_path in made]
    if not first or len(first) == len(articles) or len({a.save_as for a in articles}) < len(articles):
        return articles, 0
    return first + [a for a in articles if a.source_path not in made], len(first)


class NewsroomArticlesGenerator(ArticlesGeneratorSeams):
    uses_article_cache = True  # parallel_read.py asks object_cache.py which files need reading

    def get_files(self, paths, exclude=None, extensions=None):
        """Pelican's, from one walk per build: parallel_read.py asks for the articles before Pelican does,
        Pelican asks again when it reads them and for the files of its disabled readers (the same walk,
        other extensions)."""
        if extensions is None:  # Pelican's default: the extensions of its enabled readers
            extensions = tuple(self.readers.extensions)
        key = (tuple([paths] if isinstance(paths, str) else paths), tuple(exclude or ()))
        walked = self.__dict__.setdefault("_newsroom_files", {})
        if key not in walked:
            # Every file the walk reaches (extensions=False): Pelican's IGNORE_FILES and excludes applied.
            walked[key] = super().get_files(paths, exclude=exclude, extensions=False)
        if extensions is False:
            return set(walked[key])
        wanted = set(extensions)
        return {path for path in walked[key] if os.path.splitext(path)[1][1:] in wanted}

    def generate_context(self):
        """Pelican's, with unchanged articles taken whole from the last build (object_cache.py)."""
        cache = article_cache_of(self)
        if cache is None:
            super().generate_context()
            return
        read_files_with(self.readers, use_article_cache(self, self.readers.read_file))
        # Taking the archive from the cache makes a million objects that live as long as the build: the
        # collector would go through them again and again, while they are made and at every later
        # collection. So with a warm cache it is off while they are made, and they are then set aside
        # (gc.freeze) until the run ends (EnginePelican.run unfreezes them, for `make serve`'s next run).
        # A cold build makes its Articles afresh, with garbage along the way: the collector stays on.
        warm, collecting = bool(cache.entries), gc.isenabled()
        if warm:
            gc.disable()
        try:
            super().generate_context()
        finally:
            restore_read_file(self.readers)
            if warm:
                if collecting:
                    gc.enable()
                gc.freeze()
        cache.save(self.context.get("generated_content"), self.path)
        logger.debug("newsroom_engine: %d of %d article(s) from the article cache", cache.hits, len(cache.fresh))

    def add_static_links(self, content):
        """Pelican's, with the links an Article from the article cache came with (object_cache.static_links)."""
        self.context["static_links"] |= static_links(content)

    def generate_pages(self, writer):
        """Pelican's, telling the writer (NewsroomWriter.articles_written) once the article pages are done."""
        self.__dict__["_newsroom_writer"] = writer
        try:
            super().generate_pages(writer)
        finally:
            self.__dict__.pop("_newsroom_writer", None)

    def generate_articles(self, write):
        """Pelican's loop over the article pages (its signal, its write arguments), asking the writer first
        whether a page is kept (NewsroomWriter.keep_article_page): most of an archive's are, and a kept
        page then costs no write_file. Then the writer is told the article pages are done.

        The articles made from files new or edited since the last build go first (`changed_first`), and
        the writer is told when they are done (NewsroomWriter.changed_articles_written): their pages are
        the ones an edit changes, so work that waits for the changed pages (search) can start before the
        rest of the archive is visited."""
        writer = self.__dict__.get("_newsroom_writer")
        keep = getattr(writer, "keep_article_page", None)
        relative_urls = bool(self.settings.get("RELATIVE_URLS"))
        ordered = list(chain(self.translations, self.articles, self.hidden_translations, self.hidden_articles))
        told = getattr(writer, "changed_articles_written", None)
        ordered, changed = changed_first(ordered, made_this_build(self)) if told is not None else (ordered, 0)
        for position, article in enumerate(ordered, start=1):
            signals.article_generator_write_article.send(self, content=article)
            template = self.get_template(article.template)
            page = {"article": article, "category": getattr(article, "category", None), "blog": True}
            if keep is None or not keep(template, self.context, relative_urls, **page):
                write(article.save_as, template, self.context, override_output=hasattr(article, "override_save_as"),
                      url=article.url, **page)
            if position == changed:
                told()
        done = getattr(writer, "articles_written", None)
        if done is not None:
            done()

    def group_period_archives(self, sorted_articles, articles, settings):
        """Pelican's yearly, monthly and daily archive groups, each period's `articles` in the order of
        `articles`. Pelican finds those with `[a for a in articles if a in dates]` per period: the whole
        archive times each period's length, which grows with the square of the archive."""
        archives = defaultdict(list)
        place = {id(article): i for i, article in enumerate(articles)}
        for granularity, key in GRANULARITIES:
            save_as = settings[f"{granularity.upper()}_ARCHIVE_SAVE_AS"]
            if not save_as:
                continue  # no pages of this granularity
            url = settings[f"{granularity.upper()}_ARCHIVE_URL"]
            for period, group in groupby(sorted_articles, key=key):
                dates = list(group)
                first = dates[0].date
                if granularity == "year":
                    name = number = (period,)
                else:
                    name = (period[0], calendar.month_name[period[1]], *period[2:])
                    number = tuple(period)
                archives[granularity].append({
                    "dates": dates,
                    "articles": sorted((a for a in dates if id(a) in place), key=lambda a: place[id(a)]),
                    "save_as": save_as.format(date=first),
                    "url": url.format(date=first),
                    "period": name,
                    "period_num": number,
                })
        return archives

    def generate_tags(self, write):
        self._write_terms(write, "tag", self.tags.items())

    def generate_categories(self, write):
        self._write_terms(write, "category", self.categories)

    def generate_authors(self, write):
        self._write_terms(write, "author", self.authors)

    def _write_terms(self, write, kind: str, terms) -> None:
        template = self.get_template(kind)
        place = {id(article): i for i, article in enumerate(self.dates)}
        for term, articles in terms:
            dates = sorted((a for a in articles if id(a) in place), key=lambda a: place[id(a)])
            try:
                write(term.save_as, template, self.context, url=term.url, articles=articles, dates=dates,
                      template_name=kind, blog=True, page_name=term.page_name, all_articles=self.articles,
                      **{kind: term})
            except FileOverwriteFailedError:
                if not term.slug:
                    logger.info('%s "%s" has an invalid slug; skipping writing its page', kind.title(), term)
                    continue
                logger.error('Failed to write %s page for "%s".', kind.title(), term)
                raise

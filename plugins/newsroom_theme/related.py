"""Related articles and neighbours in the section, computed once per build from indexes.

Each article looks only at the articles that share a tag with it and its section's newest few, so the
cost grows with the number of related candidates, not with the size of the archive. A tag with years of
stories behind it contributes only the TAG_WINDOW stories nearest the article in time: scanning every
story of a big tag for every story in it made this quadratic.

Even so, ranking every story's candidates grows with the archive, and an edit to
a story's text (the usual rebuild) changes none of what the ranking reads: the order of the published
stories, each story's section and tags. So the choices are kept between builds (a Store record), as
positions in that order, under a key made of exactly those inputs.
"""

from __future__ import annotations

import hashlib
import heapq
import logging
from collections import defaultdict

logger = logging.getLogger(__name__)

SECTION_CANDIDATES = 12
TAG_WINDOW = 24  # stories on each side of the article in a tag's newest-first list


class RelatedIndex:
    def __init__(self, articles):
        """`articles`: the published articles, newest first."""
        self.articles = list(articles)
        # Lists of positions in `articles` rather than of articles: ranking then adds up and compares plain
        # numbers, which matters at about a hundred candidates per article times every article.
        self.by_tag = defaultdict(list)
        self.by_section = defaultdict(list)
        self.tag_position = {}
        for i, article in enumerate(self.articles):
            for tag in getattr(article, "tags", None) or []:
                self.tag_position[tag.slug, id(article)] = len(self.by_tag[tag.slug])
                self.by_tag[tag.slug].append(i)
            self.by_section[article.category.slug].append(i)

    def related(self, article, limit: int = 5, minimum: int = 3) -> list:
        """Shared tags count most, then the same section, then recency; at least `minimum` if there are."""
        articles = self.articles
        scores: dict[int, int] = {}
        for tag in getattr(article, "tags", None) or []:
            tagged = self.by_tag[tag.slug]
            at = self.tag_position.get((tag.slug, id(article)))
            if at is not None and len(tagged) > 2 * TAG_WINDOW + 1:
                tagged = tagged[max(0, at - TAG_WINDOW): at + TAG_WINDOW + 1]
            elif at is None and len(tagged) > 2 * TAG_WINDOW + 1:
                tagged = tagged[: 2 * TAG_WINDOW + 1]  # a draft or hidden story: the tag's newest
            for other in tagged:
                scores[other] = scores.get(other, 0) + 2
        for other in self.by_section[article.category.slug][: SECTION_CANDIDATES + 1]:
            scores[other] = scores.get(other, 0) + 1
        ranked = heapq.nsmallest(limit + 1, [(-score, other) for other, score in scores.items()])
        chosen = [articles[other] for _, other in ranked if articles[other] is not article][:limit]
        for other in articles:
            if len(chosen) >= minimum:
                break
            if other is not article and other not in chosen:
                chosen.append(other)
        return chosen


def neighbours(published):
    """(article, newer, older) within each section, for every published article (newest first)."""
    by_section = defaultdict(list)
    for article in published:
        by_section[article.category.slug].append(article)
    for section_articles in by_section.values():
        for i, article in enumerate(section_articles):
            newer = section_articles[i - 1] if i > 0 else None
            older = section_articles[i + 1] if i + 1 < len(section_articles) else None
            yield article, newer, older


def _shape(article) -> str:
    tags = "\x1f".join(tag.slug for tag in getattr(article, "tags", None) or [])
    return f"{article.source_path}\x1e{article.category.slug}\x1e{tags}"


def relations_key(published, unlisted) -> str:
    """What `related` reads of the site: the published stories in order and the unlisted ones (hidden and
    drafts), each by its source file, section and tags. Same key, same choices."""
    text = "\x1d".join(map(_shape, published)) + "\x1c" + "\x1d".join(map(_shape, unlisted))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


# The choices are a record of the build's Store (newsroom_engine.api.Store), in the content cache, which
# is named after the settings and the plugins' code, so a change to either starts afresh.
RECORD, RECORD_VERSION = "related-stories", 1


def choose_related(published, unlisted, store=None) -> list[list]:
    """The related stories of each of published + unlisted, in that order: from `store` (the build's
    Store) when the inputs are the ones they were saved for, else ranked by a RelatedIndex (and saved)."""
    everyone = [*published, *unlisted]
    key = relations_key(published, unlisted) if store is not None else None
    choices = store.load(RECORD, RECORD_VERSION, scope=key) if store is not None else None
    if choices is None or len(choices) != len(everyone):
        index = RelatedIndex(published)
        position = {id(article): i for i, article in enumerate(everyone)}
        choices = [tuple(position[id(other)] for other in index.related(article)) for article in everyone]
        if store is not None:
            try:
                store.save(RECORD, RECORD_VERSION, choices, scope=key)
            except OSError as e:  # the next build works them out again; nothing is wrong with this one
                logger.debug("newsroom_theme: related stories not cached (%s)", e)
    return [[everyone[i] for i in chosen] for chosen in choices]

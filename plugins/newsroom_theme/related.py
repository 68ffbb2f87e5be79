"""Related articles and neighbours in the section, computed once per build from indexes.

Each article looks only at the articles that share a tag with it and its section's newest few, so the
cost grows with the number of related candidates, not with the size of the archive. A tag with years of
stories behind it contributes only the TAG_WINDOW stories nearest the article in time: scanning every
story of a big tag for every story in it made this quadratic (1.5 s at 3,000 articles).
"""

from __future__ import annotations

import heapq
from collections import defaultdict

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

    def neighbours(self):
        """(article, newer, older) within each section, for every published article."""
        for positions in self.by_section.values():
            section_articles = [self.articles[i] for i in positions]
            for i, article in enumerate(section_articles):
                newer = section_articles[i - 1] if i > 0 else None
                older = section_articles[i + 1] if i + 1 < len(section_articles) else None
                yield article, newer, older

"""What the front page shows, chosen once per build: the lead story, the top stories, and a block for each
desk with the newest story of each of its sections, laid out in rows. theme/templates/index.html prints it.

A pure function of the published articles (newest first) and the desks, whose sections already hold
their articles (newsroom_content fills them).

A desk block is a list of rows, and a row is a set of stories shown side by side as equals: one card
variant for the whole row, so a row shows every story's picture or none, and a story without a picture
never leaves a gap beside pictured neighbours. `plan_rows` chooses the rows for any number of stories
and any mix of pictures; every row holds 1 to 4 stories, and the stylesheet gives a row of n stories n
columns (or a column count that divides n on narrower screens), so no row ever has an empty cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

TOP_STORIES = 4
# A desk with one or two sections is topped up with its next newest stories, so its block is not a lone card.
DESK_MIN_STORIES = 3
MAX_ROW = 4

# Card variants (theme/templates/partials/macros.html, article_card) a row can use, and which show pictures.
FEATURE, PICTURE, TEXT, OPINION = "feature", "standard", "text", "opinion"
PICTURE_VARIANTS = frozenset({FEATURE, PICTURE})


@dataclass(frozen=True)
class Row:
    """Stories side by side, every one in the same card variant."""

    variant: str
    stories: tuple

    @property
    def columns(self) -> int:
        return len(self.stories)

    @property
    def pictures(self) -> bool:
        return self.variant in PICTURE_VARIANTS

    @property
    def name(self) -> str:
        if self.variant == FEATURE:
            return "1 big"
        if self.variant == OPINION:
            return "1 voice" if self.columns == 1 else f"{self.columns} voices"
        return f"{self.columns} {'across' if self.pictures else 'text'}"


@dataclass(frozen=True)
class DeskBlock:
    desk: object
    # For each of the desk's sections that has articles, in the desk's order: its stories on the front page.
    sections: list[list] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    @property
    def pattern(self) -> str:
        """The rows' shape in words, e.g. "1 big + 2 across + 2 text"."""
        return " + ".join(row.name for row in self.rows)

    @property
    def stories(self) -> list:
        return [story for row in self.rows for story in row.stories]


@dataclass(frozen=True)
class FrontPage:
    lead: object | None
    top: list
    desks: list[DeskBlock]


def stories_per_section(desk) -> int:
    # Comment is read for its range of voices: the opinion desk shows two pieces from each section.
    return 2 if desk.is_opinion else 1


def has_picture(article) -> bool:
    return bool(getattr(article, "lead_image", None))


def row_sizes(count: int) -> list[int]:
    """Split `count` stories into rows of 2 to 4 (a single story is a row of one), fullest rows first:
    5 -> 3 + 2, 6 -> 3 + 3, 7 -> 4 + 3, 9 -> 3 + 3 + 3, 10 -> 4 + 3 + 3."""
    if count <= MAX_ROW:
        return [count] if count else []
    if count == 5:
        return [3, 2]
    # count = 4 * fours + 3 * threes, with as many fours as can be: the remainder mod 4 says how many threes.
    threes = {0: 0, 1: 3, 2: 2, 3: 1}[count % 4]
    fours = (count - 3 * threes) // 4
    return [4] * fours + [3] * threes


def rows_of(variant: str, stories: list) -> list[Row]:
    rows, start = [], 0
    for size in row_sizes(len(stories)):
        rows.append(Row(variant, tuple(stories[start:start + size])))
        start += size
    return rows


def plan_rows(stories: list, opinion: bool = False, pictured=has_picture) -> list[Row]:
    """The rows of a desk block, stories in the order given (most important first) except that pictured
    stories come before those without.

    Comment is set as a comment page sets it, every piece as a voice without a picture. Otherwise the
    pictured stories fill picture rows: an odd number gives the first of them a big row of its own
    (1 -> 1 big; 3 -> 1 big + 2 across; 5 -> 1 big + 4 across), an even number sits in rows of equals
    (2, 4 across; 6 -> 3 + 3). The others follow in text rows. A lone text story after picture rows takes
    the last pictured story with it, shown without its picture, so no text row is a single card when it
    need not be."""
    if opinion:
        return rows_of(OPINION, list(stories))
    with_picture = [s for s in stories if pictured(s)]
    without = [s for s in stories if not pictured(s)]
    if len(without) == 1 and len(with_picture) >= 2:
        without.insert(0, with_picture.pop())
    rows = []
    if len(with_picture) % 2:
        rows.append(Row(FEATURE, (with_picture[0],)))
        with_picture = with_picture[1:]
    return rows + rows_of(PICTURE, with_picture) + rows_of(TEXT, without)


def desk_stories(desk, shown: set) -> tuple[list[list], list]:
    """Per section, the stories not yet shown above (or the newest, when all are); then, while the desk
    has fewer than DESK_MIN_STORIES, its next newest. Returns the per-section lists and every chosen
    story, newest first."""
    count = stories_per_section(desk)
    sections = []
    for section in desk.sections:
        if section.articles:
            fresh = list(islice((a for a in section.articles if a.url not in shown), count))
            sections.append(fresh or section.articles[:count])
    chosen = [a for stories in sections for a in stories]
    taken = shown | {a.url for a in chosen}
    chosen += islice((a for a in desk.articles if a.url not in taken), max(0, DESK_MIN_STORIES - len(chosen)))
    order = {a.url: i for i, a in enumerate(desk.articles)}
    return sections, sorted(chosen, key=lambda a: order.get(a.url, len(order)))


def front_page(articles, desks) -> FrontPage:
    """The lead is the newest article an editor gave Priority: lead, else the newest of all. The top
    stories are those given Priority: top, newest first, then the newest others, never the lead. Each desk
    block prefers stories not already shown above it; a section whose every story is shown repeats them."""
    lead = next((a for a in articles if getattr(a, "priority", None) == "lead"), None)
    if lead is None and articles:
        lead = articles[0]
    shown = {lead.url} if lead is not None else set()
    flagged = [a for a in articles if getattr(a, "priority", None) == "top" and a.url not in shown]
    top = flagged[:TOP_STORIES]
    if len(top) < TOP_STORIES:
        # The rest of the paper is looked through only when too few stories are flagged.
        passed_over = shown | {a.url for a in flagged}
        top += islice((a for a in articles if a.url not in passed_over), TOP_STORIES - len(top))
    shown |= {a.url for a in top}
    blocks = []
    for desk in desks:
        if not desk.articles:
            continue
        sections, chosen = desk_stories(desk, shown)
        blocks.append(DeskBlock(desk, sections, plan_rows(chosen, opinion=desk.is_opinion)))
    return FrontPage(lead, top, blocks)

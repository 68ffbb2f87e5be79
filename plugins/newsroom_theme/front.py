"""What the front page shows, chosen once per build: the lead story, the top stories, and a block for each
desk with the newest story of each of its sections. theme/templates/index.html lays it out.

A pure function of the published articles (newest first) and the desks, whose sections already hold
their articles (newsroom_content fills them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

TOP_STORIES = 4


@dataclass(frozen=True)
class DeskBlock:
    desk: object
    # For each of the desk's sections that has articles, in the desk's order: its stories on the front page.
    sections: list[list] = field(default_factory=list)


@dataclass(frozen=True)
class FrontPage:
    lead: object | None
    top: list
    desks: list[DeskBlock]


def stories_per_section(desk) -> int:
    # Comment is read for its range of voices: the opinion desk shows two pieces from each section.
    return 2 if desk.is_opinion else 1


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
        count = stories_per_section(desk)
        sections = []
        for section in desk.sections:
            if section.articles:
                fresh = list(islice((a for a in section.articles if a.url not in shown), count))
                sections.append(fresh or section.articles[:count])
        blocks.append(DeskBlock(desk, sections))
    return FrontPage(lead, top, blocks)

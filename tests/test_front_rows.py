"""The front page's desk blocks as rows (newsroom_theme/front.py): for any number of stories and any mix
of pictures, every story once, rows of equals that the stylesheet can lay out without an empty cell, and
pictures shown in a whole row or not at all."""

from __future__ import annotations

from itertools import product
from types import SimpleNamespace

import pytest

from newsroom_content.settings import Desk, Section
from newsroom_theme.front import (
    DESK_MIN_STORIES, FEATURE, OPINION, PICTURE, TEXT, desk_stories, front_page, plan_rows, row_sizes,
)

# The column counts main.css gives a row of n stories at each width (phone, from 40em, from 64em): the
# layout tests in tests/browser/test_front_layout.py measure the same thing in Chromium.
COLUMNS = {1: (1, 1, 1), 2: (1, 2, 2), 3: (1, 3, 3), 4: (1, 2, 4)}


def story(name: str, picture: bool):
    return SimpleNamespace(url=f"{name}/", lead_image={"src": f"{name}.jpg"} if picture else None)


def stories_with(mix: str) -> list:
    """'PTP' -> three stories, the first and third with a picture, in that order of importance."""
    return [story(f"s{i}", flag == "P") for i, flag in enumerate(mix)]


def urls(items) -> list[str]:
    return [s.url for s in items]


# Every mix of pictures for 1 to 6 stories, and some longer ones up to 13.
MIXES = [
    "".join(flags) for n in range(1, 7) for flags in product("PT", repeat=n)
] + ["P" * 9, "T" * 9, "PTPTPTPTP", "TTTTTTTTP", "P" * 13, "PTT" * 4, "P" * 7 + "T" * 3]


@pytest.mark.parametrize("mix", MIXES)
def test_rows_are_full_and_pictures_are_kept_to_whole_rows(mix):
    stories = stories_with(mix)
    rows = plan_rows(stories)
    shown = [s for row in rows for s in row.stories]
    assert sorted(urls(shown)) == sorted(urls(stories))  # every story, once
    for row in rows:
        assert 1 <= row.columns <= 4
        # Every width's column count divides the row: its last line is as full as its first.
        assert all(row.columns % c == 0 for c in COLUMNS[row.columns])
        assert row.variant in (FEATURE, PICTURE, TEXT)
        if row.pictures:
            assert all(s.lead_image for s in row.stories), "a picture row holds only pictured stories"
    # A row of one is the big story, or the only text story when there is no other to pair it with.
    singles = [row for row in rows if row.columns == 1]
    assert all(r.variant == FEATURE for r in singles[:-1])
    if singles and singles[-1].variant == TEXT:
        assert mix.count("T") == 1 and mix.count("P") <= 1
    # At most one big story, first; picture rows before text rows.
    assert [r.variant for r in rows].count(FEATURE) <= 1
    assert FEATURE not in [r.variant for r in rows[1:]]
    kinds = [r.pictures for r in rows]
    assert kinds == sorted(kinds, reverse=True)
    # Pictures are given up only to save a lone text story: at most one pictured story shown without.
    unshown = [s for r in rows if not r.pictures for s in r.stories if s.lead_image]
    assert len(unshown) <= 1


@pytest.mark.parametrize("mix,pattern", [
    ("P", "1 big"),
    ("T", "1 text"),
    ("PP", "2 across"),
    ("PT", "1 big + 1 text"),
    ("TP", "1 big + 1 text"),
    ("TT", "2 text"),
    ("PPP", "1 big + 2 across"),
    ("PPT", "1 big + 2 text"),
    ("PTT", "1 big + 2 text"),
    ("TTT", "3 text"),
    ("PPPP", "4 across"),
    ("PPPT", "2 across + 2 text"),
    ("PPTT", "2 across + 2 text"),
    ("PPPPP", "1 big + 4 across"),
    ("PTPTP", "1 big + 2 across + 2 text"),
    ("PPPPPP", "3 across + 3 across"),
    ("P" * 9, "1 big + 4 across + 4 across"),
    ("T" * 9, "3 text + 3 text + 3 text"),
    ("P" * 7 + "T" * 3, "1 big + 3 across + 3 across + 3 text"),
])
def test_patterns(mix, pattern):
    assert " + ".join(r.name for r in plan_rows(stories_with(mix))) == pattern


def test_order_is_kept_within_pictured_and_text_stories():
    rows = plan_rows(stories_with("TPTPP"))  # s1, s3, s4 pictured
    assert [urls(r.stories) for r in rows] == [["s1/"], ["s3/", "s4/"], ["s0/", "s2/"]]
    # The lone text story takes the last pictured one with it, shown without its picture, ahead of it.
    rows = plan_rows(stories_with("PPPT"))
    assert [(r.variant, urls(r.stories)) for r in rows] == [(PICTURE, ["s0/", "s1/"]), (TEXT, ["s2/", "s3/"])]


@pytest.mark.parametrize("count", range(1, 12))
def test_comment_is_voices_without_pictures(count):
    rows = plan_rows(stories_with("P" * count), opinion=True)
    assert {r.variant for r in rows} == {OPINION} and not any(r.pictures for r in rows)
    assert [r.columns for r in rows] == row_sizes(count)


@pytest.mark.parametrize("count,sizes", [
    (0, []), (1, [1]), (2, [2]), (3, [3]), (4, [4]), (5, [3, 2]), (6, [3, 3]), (7, [4, 3]), (8, [4, 4]),
    (9, [3, 3, 3]), (10, [4, 3, 3]), (11, [4, 4, 3]), (12, [4, 4, 4]), (13, [4, 3, 3, 3]),
])
def test_row_sizes(count, sizes):
    assert row_sizes(count) == sizes and sum(sizes) == count


def desk_of(sections: dict[str, int], kind="news"):
    """A desk whose sections hold the given numbers of stories; desk.articles newest first, by date."""
    desk = Desk("Desk", "desk", kind=kind)
    everything = []
    for name, count in sections.items():
        section = Section(name, name.lower(), desk)
        desk.sections.append(section)
        for i in range(count):
            article = SimpleNamespace(url=f"{name.lower()}-{i}/", day=100 - i * 3 - len(desk.sections), section=section,
                                      priority="normal", lead_image=None)
            section.articles.append(article)
            everything.append(article)
    desk.articles = sorted(everything, key=lambda a: -a.day)
    return desk


def test_a_desk_of_one_section_is_topped_up_to_a_block():
    desk = desk_of({"Sport": 6})
    sections, chosen = desk_stories(desk, shown=set())
    assert urls(sections[0]) == ["sport-0/"]
    assert urls(chosen) == ["sport-0/", "sport-1/", "sport-2/"] and len(chosen) == DESK_MIN_STORIES
    # Stories already shown above are not taken to top it up.
    _, chosen = desk_stories(desk, shown={"sport-1/"})
    assert urls(chosen) == ["sport-0/", "sport-2/", "sport-3/"]
    # A desk with fewer stories than that shows what it has.
    assert urls(desk_stories(desk_of({"Sport": 2}), set())[1]) == ["sport-0/", "sport-1/"]


def test_a_desk_block_is_newest_first_with_one_story_a_section():
    desk = desk_of({"Books": 3, "Film": 2, "Music": 1, "Art": 2})
    sections, chosen = desk_stories(desk, shown={"books-0/"})
    assert [urls(s) for s in sections] == [["books-1/"], ["film-0/"], ["music-0/"], ["art-0/"]]
    assert urls(chosen) == urls(sorted(chosen, key=lambda a: -a.day))


def test_front_page_desk_blocks_use_the_rows():
    desk = desk_of({"Books": 2, "Film": 2, "Music": 2, "Art": 2, "Dance": 2})
    for article in desk.articles:
        article.lead_image = {"src": "x.jpg"} if article.url in {"books-0/", "film-0/", "music-0/"} else None
    comment = desk_of({"Opinion": 3}, kind="opinion")
    front = front_page([], [desk, comment, desk_of({})])
    assert [block.desk for block in front.desks] == [desk, comment]  # a desk with no stories has no block
    block = front.desks[0]
    assert sorted(urls(block.stories)) == sorted(a.url for stories in block.sections for a in stories)
    newest_first = sorted((a for s in block.sections for a in s), key=lambda a: -a.day)
    assert block.rows == plan_rows(newest_first) and block.pattern == "1 big + 2 across + 2 text"
    assert front.desks[1].pattern == "3 voices"  # two from its section, topped up to three

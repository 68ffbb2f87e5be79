"""Articles with the same Date come out in the same order in every build (issue 16).

A morning's batch shares its Date to the minute. Pelican sorts by date alone and keeps ties in the order
the files were read, which is a set's: it changes with PYTHONHASHSEED (every `make html` is a new process)
and so differed between a clean build and a rebuild from the caches. newsroom_content/order.py defines one
total order, and these tests check that every page follows it: an incremental history ends byte-identical
to a clean build, and two clean builds in processes with different hash seeds agree.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import feedparser
import pytest
from pelican.utils import order_content

from conftest import BUILD_EPOCH, REPO, write_article
from test_build import tree_digest

from newsroom_engine.caching import stable_repr
from newsroom_content.order import chronological_key, newest_first, newest_first_key, oldest_first

LONDON = ZoneInfo("Europe/London")


def story(when: str, path: str, tz=LONDON):
    return SimpleNamespace(date=dt.datetime.fromisoformat(when).replace(tzinfo=tz), relative_source_path=path)


def paths(items) -> list[str]:
    return [item.relative_source_path for item in items]


@pytest.mark.parametrize("items, expected", [
    pytest.param([story("2026-10-01 09:00", "b.md"), story("2026-10-02 09:00", "a.md")], ["a.md", "b.md"],
                 id="newer-date-first-whatever-the-path"),
    pytest.param([story("2026-10-01 09:00", "a.md"), story("2026-10-01 09:00", "b.md")], ["b.md", "a.md"],
                 id="tie-the-path-that-sorts-last-counts-as-newest"),
    pytest.param([story("2026-10-01 09:00", "europe/z.md"), story("2026-10-01 09:00", "middle-east/a.md")],
                 ["middle-east/a.md", "europe/z.md"], id="tie-whole-relative-path-not-file-name"),
    pytest.param([story("2026-10-01 09:00", "b.md", tz=dt.timezone(dt.timedelta(hours=1))),
                  story("2026-10-01 08:00", "a.md", tz=dt.timezone.utc),
                  story("2026-10-01 08:59", "c.md", tz=dt.timezone.utc)],
                 ["c.md", "b.md", "a.md"], id="same-instant-in-two-zones-is-a-tie"),
    pytest.param([story("2026-10-01 09:00", f"{n}.md") for n in "cadb"] + [story("2026-10-01 09:01", "a0.md")],
                 ["a0.md", "d.md", "c.md", "b.md", "a.md"], id="a-batch"),
])
def test_newest_first(items, expected):
    for seed in range(4):  # whatever order the files were read in
        shuffled = random.Random(seed).sample(items, len(items))
        assert paths(newest_first(shuffled)) == expected
        assert paths(oldest_first(shuffled)) == expected[::-1]
        # Pelican's order_content takes only an ascending key: ARTICLE_ORDER_BY gives the same order.
        assert paths(order_content(list(shuffled), order_by=newest_first_key)) == expected
        assert paths(sorted(shuffled, key=chronological_key)) == expected[::-1]


@pytest.mark.parametrize("items", [
    pytest.param([story("2026-10-01 09:00", n, tz=None) for n in ("b.md", "a.md")] + [story("2026-10-02 07:00", "c.md", tz=None)],
                 id="no-time-zone"),
    # 01:58 on 29 March 2026 does not exist in London (the clocks go from 01:00 to 02:00): as written it
    # is later, in UTC, than 02:24 that morning, but Python compares two London times as they are written.
    pytest.param([story("2026-03-29 01:58", "nurses.md"), story("2026-03-29 02:24", "port.md"),
                  story("2026-03-29 04:41", "rents.md")], id="a-time-the-clocks-skip"),
])
def test_the_order_setting_agrees_with_newest_first(items):
    for seed in range(3):
        shuffled = random.Random(seed).sample(items, len(items))
        assert paths(order_content(list(shuffled), order_by=newest_first_key)) == paths(newest_first(items))


def test_sublists_of_one_list_sort_newest_first_by_their_place_in_it():
    from newsroom_content.order import NewestFirst

    batch = [story("2026-10-01 09:00", f"{n}.md") for n in "cadbfe"] + [story("2026-10-01 09:01", "a0.md"),
                                                                          story("2026-09-30 18:00", "z.md")]
    order = NewestFirst(random.Random(1).sample(batch, len(batch)))
    assert paths(order.everything) == paths(newest_first(batch))
    for seed in range(6):
        sublist = random.Random(seed).sample(batch, 1 + seed)
        assert paths(order(sublist)) == paths(newest_first(sublist))
    stranger = story("2026-10-01 09:00", "g.md")  # not in the whole list: sorted by its date and path
    assert paths(order([batch[0], stranger, batch[6]])) == ["a0.md", "g.md", "c.md"]


def test_the_order_setting_fingerprints_the_same_in_every_process():
    assert stable_repr(newest_first_key) == "<newsroom_content.order.newest_first_key>"


# --- Whole builds ---

SECTIONS = {"Europe": "europe", "Middle East": "middle-east", "Editorial": "editorial", "Politics": "politics"}
AUTHORS = ("Amira Haddad", "Tom Reeve", "Staff reporter", "Amira Haddad, Tom Reeve")
TAGS = ("Transport", "Strikes", "Water", "Diplomacy", "Housing")
# Few distinct times, so most stories share their Date to the minute with several others.
SLOTS = [f"2026-{month}-{day:02d} {time}" for month, days in (("10", (6, 20)), ("11", (3, 17)))
         for day in days for time in ("09:00", "13:00", "18:30")]

BUILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from conftest import load_settings
from newsroom_content import NewsroomPelican
content, output, overrides = json.loads(sys.argv[2])
NewsroomPelican(load_settings(content, output, **overrides)).run()
"""


def add_story(content: Path, rng: random.Random, number: int, when: str | None = None) -> str:
    section = rng.choice(list(SECTIONS))
    name = f"{SECTIONS[section]}/story-{number:03d}.md"
    write_article(content, name, f"""
Title: Story number {number}
Date: {when or rng.choice(SLOTS)}
Category: {section}
Authors: {rng.choice(AUTHORS)}
Tags: {", ".join(rng.sample(TAGS, rng.randint(1, 2)))}

Paragraph one of story {number}.
""")
    return f"articles/{name}"


def archive(content: Path, count: int, seed: int = 16) -> list[str]:
    rng = random.Random(seed)
    return [add_story(content, rng, n) for n in range(count)]


def build(content: Path, output: Path, seed: int, image_cache: Path, **overrides) -> None:
    """Build in a new process, as `make html` does, with its own PYTHONHASHSEED."""
    overrides = {"NEWSROOM_SEARCH": False, "NEWSROOM_IMAGES_CACHE": str(image_cache), **overrides}
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "SOURCE_DATE_EPOCH": str(BUILD_EPOCH)}
    done = subprocess.run([sys.executable, "-c", BUILD, str(REPO / "tests"), json.dumps([str(content), str(output), overrides])],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def cached(cache: Path) -> dict:
    return {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(cache)}


def edit(content: Path, relative: str, old: str, new: str) -> None:
    path = content / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def set_field(content: Path, relative: str, name: str, value: str) -> None:
    path = content / relative
    text, found = re.subn(rf"^{name}: .*$", f"{name}: {value}", path.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert found
    path.write_text(text, encoding="utf-8")


def test_an_incremental_history_ends_byte_identical_to_a_clean_build(site_content, tmp_path, image_cache):
    rng = random.Random(1)
    stories = archive(site_content, 90)
    output, cache = tmp_path / "site", tmp_path / "cache"
    seeds = iter(range(100, 200))
    build(site_content, output, next(seeds), image_cache, **cached(cache))

    # Edits: a body, two headlines, a story moved to another tied slot; additions that tie with existing stories.
    edit(site_content, stories[3], "Paragraph one", "Paragraph one, updated,")
    for relative in stories[10:12]:
        edit(site_content, relative, "Title: Story number", "Title: Revised story number")
    set_field(site_content, stories[20], "Date", SLOTS[0])
    for n in range(100, 106):
        add_story(site_content, rng, n, when=rng.choice(SLOTS))
    build(site_content, output, next(seeds), image_cache, **cached(cache))

    # Deletions, more tied additions, a story moved to another section.
    for relative in stories[30:35]:
        (site_content / relative).unlink()
    for n in range(106, 110):
        add_story(site_content, rng, n, when=SLOTS[-1])
    set_field(site_content, stories[40], "Category", "Europe" if "/politics/" in stories[40] else "Politics")
    build(site_content, output, next(seeds), image_cache, **cached(cache))

    # A rebuild with nothing changed, in yet another process.
    build(site_content, output, next(seeds), image_cache, **cached(cache))

    clean = tmp_path / "clean"
    build(site_content, clean, next(seeds), image_cache, CACHE_PATH=str(tmp_path / "clean-cache"))
    incremental, fresh = tree_digest(output), tree_digest(clean)
    assert incremental.keys() == fresh.keys()
    assert [p for p in fresh if incremental[p] != fresh[p]] == []


def test_clean_builds_in_processes_with_different_hash_seeds_are_identical(site_content, tmp_path, image_cache):
    archive(site_content, 60)
    build(site_content, tmp_path / "one", 1, image_cache, NEWSROOM_BUILD_WORKERS=1)
    build(site_content, tmp_path / "two", 2, image_cache, NEWSROOM_BUILD_WORKERS=1)
    one, two = tree_digest(tmp_path / "one"), tree_digest(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [p for p in one if one[p] != two[p]] == []


def test_a_tied_batch_is_listed_in_the_one_order_everywhere(build_site, site_content):
    """What a reader sees: the section page, the neighbours' links and the feed agree on the tie-break."""
    for letter in "cab":
        write_article(site_content, f"politics/batch-{letter}.md", f"""
Title: Batch story {letter}
Date: 2026-11-24 09:00
Category: Politics
Tags: Housing

Text.
""")
    site = build_site(NEWSROOM_SEARCH=False)
    listed = [a.get_text(strip=True) for a in site.soup("/politics/").select("main .nr-list-item__title a")]
    assert listed == ["Batch story c", "Batch story b", "Batch story a"]
    middle = site.soup("/politics/batch-story-b/")
    assert middle.select_one(".nr-neighbours a[rel=next]")["href"].endswith("/politics/batch-story-c/")
    assert middle.select_one(".nr-neighbours a[rel=prev]")["href"].endswith("/politics/batch-story-a/")
    feed = feedparser.parse(site.path("/feeds/section/politics.atom.xml").read_text(encoding="utf-8"))
    assert [e.title for e in feed.entries][:3] == ["Batch story c", "Batch story b", "Batch story a"]

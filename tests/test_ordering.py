"""The one total order of articles (newsroom_content/order.py): date, then source path."""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from pelican.utils import order_content

from newsroom_content.caching import stable_repr
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


def test_the_order_setting_fingerprints_the_same_in_every_process():
    assert stable_repr(newest_first_key) == "<newsroom_content.order.newest_first_key>"

"""`make bench`'s machinery on a tiny archive: every figure the JSON promises is there and makes sense."""

from __future__ import annotations

import json

import pytest

from bench.report import table
from bench.runner import REBUILDS, run

N = 20


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    result, path = run(N, out=tmp / "out", image_cache=tmp / "image-cache", workdir=tmp, log=lambda *_: None)
    return result, path


def check_build(build: dict, files_at_least: int) -> None:
    assert build["wall_seconds"] > 0
    assert 0 < build["peak_memory_mb"] < 4000
    assert build["files"] >= files_at_least
    assert build["bytes"] > 100 * build["files"]
    assert build["log"]["errors"] == 0
    assert build["phases"]["build"] > 0
    assert len(build["load_average_before"]) == 3


def test_json_is_saved_where_it_says(bench):
    result, path = bench
    assert path.name == f"bench-{N}.json"
    assert json.loads(path.read_text()) == result


def test_archive_has_the_promised_variety(bench):
    archive = bench[0]["archive"]
    assert archive["articles"] == N
    assert archive["sections"] == 15  # every section in pelicanconf.py
    for key in ("with_image", "modified", "corrections", "hidden"):
        assert archive[key] >= 1, key


def test_cold_builds_and_ratio(bench):
    result = bench[0]
    ours, stock = result["ours"]["cold"], result["stock"]["cold"]
    check_build(ours, N)
    check_build(stock, N)
    # Rounded to one decimal by the runner, so half a tenth either way (a slow machine makes it small).
    assert ours["articles_per_second"] == pytest.approx(N / ours["wall_seconds"], abs=0.051)
    assert 0 < ours["search_index_seconds"] < ours["wall_seconds"]
    assert 0 < ours["search_index_share"] < 1
    assert result["ratio_ours_to_stock"]["wall_seconds"] == pytest.approx(ours["wall_seconds"] / stock["wall_seconds"], abs=0.01)
    assert result["machine"]["cpus"] >= 1 and len(result["machine"]["load_average_start"]) == 3


@pytest.mark.parametrize("site", ["ours", "stock"])
def test_rebuilds_count_what_changed(bench, site):
    rebuilds = bench[0][site]["rebuilds"]
    assert list(rebuilds) == list(REBUILDS)
    for case, rebuild in rebuilds.items():
        check_build(rebuild, N)
        assert 0 <= rebuild["files_bytes_changed"] <= rebuild["files"], case
        assert 0 <= rebuild["files_rewritten"] <= rebuild["files"], case
    # An edit changes at least the article's page; an addition adds its page.
    assert rebuilds["one_edit"]["files_bytes_changed"] >= 1
    assert rebuilds["one_added"]["files_added"] >= 1
    assert rebuilds["one_added"]["files"] > rebuilds["one_edit"]["files"]
    if site == "stock":
        # Pelican writes every file every time, and with nothing changed its bytes are the same.
        assert rebuilds["nothing_changed"]["files_rewritten"] == rebuilds["nothing_changed"]["files"]
        assert rebuilds["nothing_changed"]["files_bytes_changed"] == 0
        assert rebuilds["fund_changed"]["files_bytes_changed"] == 0  # stock Pelican does not read data files
        assert rebuilds["banner_added"]["files_bytes_changed"] == 0
    else:
        # The index is made again when a page changed, and left alone when none did.
        assert rebuilds["one_edit"]["search_index_seconds"] > 0
        assert rebuilds["nothing_changed"]["search_index_seconds"] == 0
        # The fund's appeal is on every article page: they all change, and search, which reads none of it,
        # is left alone.
        fund = rebuilds["fund_changed"]
        assert fund["files_bytes_changed"] >= N - 1 and fund["search_index_seconds"] == 0
        # The breaking banner is on every page (and the pages only: feeds and search records do not show it).
        banner = rebuilds["banner_added"]
        assert banner["files_bytes_changed"] >= N + 15 and banner["search_index_seconds"] == 0
        edit = rebuilds["one_edit"]
        # Pagefind starts once the article pages are written; the build waits only for what is left of it.
        assert 0 <= edit["search_index_waited_seconds"] <= edit["search_index_seconds"]
        assert edit["wall_seconds_without_search"] == pytest.approx(edit["wall_seconds"] - edit["search_index_waited_seconds"], abs=0.002)


def test_table_prints_every_row(bench):
    text = table(bench[0])
    for row in ("wall time", "articles per second", "peak memory", "files written", "bytes written",
                "nothing changed", "one edit", "banner added", "one added", "search index"):
        assert row in text

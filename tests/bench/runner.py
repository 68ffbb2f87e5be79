"""The whole benchmark: generate, build ours and stock Pelican cold, then the three rebuilds of each."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import pstats
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from .archive import generate
from .driver import EARLY_SEARCH, WAITED_SEARCH
from .measure import REPO, compare, run_build

REBUILDS = ("nothing_changed", "one_edit", "banner_added", "one_added", "fund_changed")


def build_record(figures: dict, articles: int | None = None) -> dict:
    """Rounded figures of one build; articles per second only for full builds."""
    record = {
        "wall_seconds": round(figures["wall_seconds"], 3),
        "cpu_seconds": round(figures["cpu_seconds"] + figures["children_cpu_seconds"], 3),
        "children_cpu_seconds": round(figures["children_cpu_seconds"], 3),
        "peak_memory_mb": round(figures["peak_memory_mb"], 1),
        "children_peak_memory_mb": round(figures["children_peak_memory_mb"], 1),
        "files": figures["files"],
        "bytes": figures["bytes"],
        "load_average_before": figures["load_average_before"],
        # The interpreter's start and exit, around what the driver could time from inside.
        "process_overhead_seconds": round(figures["wall_seconds"] - figures["in_process_seconds"], 3),
        "phases": {k: round(v, 3) for k, v in figures["phases"].items()},
        "log": figures["log"],
    }
    if articles:
        record["articles_per_second"] = round(articles / figures["wall_seconds"], 1)
    phases = figures["phases"]
    search = next((v for k, v in phases.items() if k.endswith("search index (Pagefind)")), None)
    if search is not None or "newsroom" in str(phases):
        # Ours: an incremental build with no page changed leaves the index alone (0 s). Pagefind runs after
        # the pages, or (an incremental build) beside them from when the article pages are written, and
        # the build then waits only for what is left of it.
        search = search or 0.0
        early, waited = phases.get(EARLY_SEARCH, 0.0), phases.get(f"build > {WAITED_SEARCH}", 0.0)
        record["search_index_seconds"] = round(search + early, 3)
        record["search_index_share"] = round((search + early) / figures["wall_seconds"], 3)
        record["search_index_waited_seconds"] = round(search + waited, 3)
        # The issue lets the index be refreshed separately from the pages: the build's time without waiting for it.
        record["wall_seconds_without_search"] = round(figures["wall_seconds"] - search - waited, 3)
    return record


def rebuild_series(site: str, settings: dict, archive, runs: Path, previous: dict, log) -> dict:
    """Nothing changed, one article edited, a breaking banner put up, one article added, the fund's figure
    changed: each against the build before it."""
    results, added = {}, None
    for case in REBUILDS:
        if case == "one_edit":
            archive.edit_one()
        elif case == "banner_added":
            archive.add_banner()
        elif case == "one_added":
            added = archive.add_one()
        elif case == "fund_changed":
            archive.change_fund()
        figures, files = run_build(site, settings, runs, f"{site}-{case}")
        results[case] = {**build_record(figures), **compare(previous, files)}
        previous = files
        log(f"  {site} rebuild, {case.replace('_', ' ')}: {figures['wall_seconds']:.2f} s, "
            f"{results[case]['files_rewritten']} files rewritten, {results[case]['files_bytes_changed']} with new bytes")
    archive.undo(added)
    return results


def count_files(folder: Path) -> int:
    return sum(len(names) for _root, _dirs, names in os.walk(folder)) if folder.is_dir() else 0


def profile_ours(settings: dict, tmp: Path, out: Path, articles: int, log, top: int = 15) -> dict:
    """A separate cProfile'd cold build of ours (profiling slows it, so it is not one of the timed builds)."""
    prof = out / f"bench-{articles}.prof"
    run_build("ours", {**settings, "OUTPUT_PATH": str(tmp / "profiled" / "output")}, tmp / "runs", "ours-profiled", prof)
    stats = pstats.Stats(str(prof))
    rows = []
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():
        if f"{os.sep}bench{os.sep}" in filename:
            continue  # the driver's timing wrappers
        where = f"{Path(filename).parent.name}/{Path(filename).name}:{line}({name})" if line else name
        rows.append({"function": where, "calls": calls, "tottime": round(tottime, 3), "cumtime": round(cumtime, 3)})
    rows.sort(key=lambda r: -r["cumtime"])
    log(f"  cProfile of our cold build saved to {prof}")
    return {"file": str(prof), "top_cumulative": rows[:top], "top_tottime": sorted(rows, key=lambda r: -r["tottime"])[:top]}


def run(articles: int = 1000, *, seed: int = 7, out: Path = REPO / "bench-output", stock: bool = True,
        image_cache: Path = REPO / "cache" / "images", workdir: Path | None = None, profile: bool = False,
        log=print) -> tuple[dict, Path]:
    """Run every measurement, save bench-<N>.json under `out` and return the figures and its path."""
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    load_start, started = os.getloadavg(), dt.datetime.now(dt.timezone.utc)
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-", dir=workdir) as tmp_name:
        tmp = Path(tmp_name)
        runs, content = tmp / "runs", tmp / "content"
        t0 = time.perf_counter()
        archive = generate(content, articles, seed)
        generate_seconds = time.perf_counter() - t0
        log(f"Generated {articles} articles in {generate_seconds:.1f} s into {content}")

        # The content cache starts empty, so the first build is cold; the rebuilds then use it.
        ours_settings = {"PATH": str(content), "OUTPUT_PATH": str(tmp / "ours" / "output"),
                         "CACHE_PATH": str(tmp / "ours" / "cache"),
                         "NEWSROOM_IMAGES_CACHE": str(Path(image_cache).resolve())}
        cached_before = count_files(Path(image_cache))
        figures, ours_files = run_build("ours", ours_settings, runs, "ours-cold")
        ours = {"settings": {"conf": "pelicanconf.py", **ours_settings}, "cold": build_record(figures, articles),
                "image_cache_new_files": count_files(Path(image_cache)) - cached_before}
        log(f"  ours cold: {figures['wall_seconds']:.2f} s")

        stock_record = None
        if stock:
            stock_settings = {
                "PATH": str(content), "OUTPUT_PATH": str(tmp / "stock" / "output"), "ARTICLE_PATHS": ["articles"],
                "PLUGINS": [], "CACHE_PATH": str(tmp / "stock" / "cache"), "CACHE_CONTENT": False,
                "LOAD_CONTENT_CACHE": False, "TIMEZONE": "Europe/London", "SITENAME": "The Common Ledger",
            }
            figures, stock_files = run_build("stock", stock_settings, runs, "stock-cold")
            stock_record = {"settings": stock_settings, "cold": build_record(figures, articles)}
            log(f"  stock Pelican cold: {figures['wall_seconds']:.2f} s")

        ours["rebuilds"] = rebuild_series("ours", ours_settings, archive, runs, ours_files, log)

        if stock:
            # Stock Pelican's best incremental case: its content cache on. The first cached build fills the cache.
            cached = {**stock_settings, "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
            figures, primed = run_build("stock", cached, runs, "stock-cache-primer")
            stock_record["cache_primer"] = {**build_record(figures, articles), **compare(stock_files, primed)}
            stock_record["cached_settings"] = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
            stock_record["rebuilds"] = rebuild_series("stock", cached, archive, runs, primed, log)

        profiled = profile_ours(ours_settings, tmp, out, articles, log) if profile else None

    result = {
        "command": f"make bench N={articles}",
        "date": started.isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "pelican": version("pelican"),
            "load_average_start": [round(x, 2) for x in load_start],
            "load_average_end": [round(x, 2) for x in os.getloadavg()],
        },
        "archive": {"seed": seed, "generate_seconds": round(generate_seconds, 2),
                    "edited": str(archive.edit_target.relative_to(content)), **archive.stats},
        "ours": ours,
        "stock": stock_record,
        "ratio_ours_to_stock": ratios(ours["cold"], stock_record["cold"]) if stock else None,
        "profile": profiled,
    }
    path = out / f"bench-{articles}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return result, path


def ratios(ours: dict, stock: dict) -> dict:
    return {key: round(ours[key] / stock[key], 2) if stock[key] else None
            for key in ("wall_seconds", "cpu_seconds", "articles_per_second", "peak_memory_mb", "files", "bytes")}

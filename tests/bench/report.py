"""The printout: a table of ours against stock Pelican, then the rebuilds."""

from __future__ import annotations

from .runner import REBUILDS

MB = 1024 * 1024


def ratio(a, b) -> str:
    return f"{a / b:.2f}" if a is not None and b else "-"


def cells(value, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def table(result: dict) -> str:
    ours, stock = result["ours"], result["stock"]
    machine, archive = result["machine"], result["archive"]
    lines = [
        "",
        f"{archive['articles']} articles ({archive['words']:,} words, {archive['with_image']} with a lead image, "
        f"{archive['hidden']} hidden) on {machine['cpus']} CPUs, Pelican {machine['pelican']}, {result['date']}",
        f"load average (1, 5, 15 min): {' '.join(map(str, machine['load_average_start']))} at the start, "
        f"{' '.join(map(str, machine['load_average_end']))} at the end",
        "",
        f"{'cold build':24}{'ours':>12}{'stock':>12}{'ours/stock':>12}",
    ]
    rows = (("wall time (s)", "wall_seconds", ".2f", 1), ("CPU time (s)", "cpu_seconds", ".2f", 1), ("articles per second", "articles_per_second", ".0f", 1),
            ("peak memory (MB)", "peak_memory_mb", ".0f", 1), ("files written", "files", ",d", 1),
            ("bytes written (MB)", "bytes", ".1f", MB))
    for label, key, fmt, scale in rows:
        a = ours["cold"][key] / scale if scale != 1 else ours["cold"][key]
        b = (stock["cold"][key] / scale if scale != 1 else stock["cold"][key]) if stock else None
        lines.append(f"{label:24}{cells(a, fmt):>12}{cells(b, fmt):>12}{ratio(a, b):>12}")
    search = ours["cold"].get("search_index_seconds")
    if search is not None:
        lines.append(f"ours: search index (Pagefind) {search:.2f} s of the cold build ({ours['cold']['search_index_share']:.0%}),"
                     f" the biggest child process (a render worker or a Pagefind run) peaked at"
                     f" {ours['cold']['children_peak_memory_mb']:.0f} MB")
    if ours.get("image_cache_new_files"):
        lines.append(f"ours: the image cache was not warm: {ours['image_cache_new_files']} resized copies were encoded")
    lines += ["", f"{'rebuild into the same output':30}{'ours (s)':>10}{'CPU (s)':>9}{'search (s)':>12}"
                  f"{'pages (s)':>11}{'rewritten':>11}"
                  f"{'new bytes':>11}{'stock+cache (s)':>17}{'rewritten':>11}{'new bytes':>11}"]
    for case in REBUILDS:
        o = ours["rebuilds"][case]
        s = stock["rebuilds"][case] if stock else {}
        lines.append(f"{case.replace('_', ' '):30}{o['wall_seconds']:>10.2f}{o['cpu_seconds']:>9.2f}"
                     f"{cells(o.get('search_index_seconds'), '.2f'):>12}{cells(o.get('wall_seconds_without_search'), '.2f'):>11}"
                     f"{o['files_rewritten']:>11,}{o['files_bytes_changed']:>11,}"
                     f"{cells(s.get('wall_seconds'), '.2f'):>17}{cells(s.get('files_rewritten'), ',d'):>11}"
                     f"{cells(s.get('files_bytes_changed'), ',d'):>11}")
    lines.append("(pages: our rebuild's time without the search index, which the issue lets be refreshed separately)")
    lines.append(f"(ours writes {ours['cold']['files']:,} files per build"
                 + (f"; stock {stock['cold']['files']:,}, its cache primer took {stock['cache_primer']['wall_seconds']:.2f} s)"
                    if stock else ")"))
    phases = ours["cold"]["phases"]
    lines += ["", "where our cold build's time goes (s):"]
    for name, seconds in phases.items():
        *parents, leaf = name.split(" > ")
        lines.append(f"  {'  ' * len(parents)}{leaf:{46 - 2 * len(parents)}}{seconds:>8.2f}")
    if result.get("profile"):
        lines += ["", "cProfile of our cold build, top by cumulative time:"]
        lines += [f"  {r['cumtime']:>8.2f} {r['calls']:>9}  {r['function']}" for r in result["profile"]["top_cumulative"]]
        lines += ["", "... and by own time:"]
        lines += [f"  {r['tottime']:>8.2f} {r['calls']:>9}  {r['function']}" for r in result["profile"]["top_tottime"]]
    return "\n".join(lines)


def readme_row(result: dict) -> str:
    """The line for README.md's Performance table."""
    ours, stock = result["ours"], result["stock"]
    edit = ours["rebuilds"]["one_edit"]
    stock_cold = f"{stock['cold']['wall_seconds']:.1f} s" if stock else "-"
    ratio_cold = f"{result['ratio_ours_to_stock']['wall_seconds']:.2f}" if stock else "-"
    return (f"| {result['archive']['articles']:,} | {ours['cold']['wall_seconds']:.1f} s | {stock_cold} | {ratio_cold} | "
            f"{edit.get('wall_seconds_without_search', edit['wall_seconds']):.1f} s + search index "
            f"{edit.get('search_index_seconds', 0):.1f} s | "
            f"{edit['files_rewritten']:,} of {edit['files']:,} ({edit['files_bytes_changed']:,} with new bytes) | "
            f"{' '.join(map(str, result['machine']['load_average_start']))} |")

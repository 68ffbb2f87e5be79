"""One build, run in a process of its own: `python -m bench.driver SPEC.json RESULT.json`.

A fresh process per build makes peak memory (ru_maxrss) that build's alone and gives every build the same
cold start a `make html` has. SPEC says which site: "ours" (pelicanconf.py, PELICAN_CLASS and all) or
"stock" (Pelican's defaults: notmyidea, its built-in feeds, no plugins), with setting overrides. RESULT
gets the time of each phase, measured by wrapping Pelican's methods from outside (nothing in plugins/ is
changed), peak memory, and the warnings and errors logged.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import cProfile  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

import pelican  # noqa: E402
from pelican import signals  # noqa: E402
from pelican.settings import read_settings  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
PHASES: dict[str, float] = defaultdict(float)  # by path, "build > pelican run > write: FeedsGenerator"
STARTS: dict[str, int] = {}  # the order in which phases first started
RUN = "build > pelican run"
FINALIZED = f"{RUN} > finalized signal (sitemaps, search, ...)"
EARLY_SEARCH = "search index started early (Pagefind, beside the build)"
WAITED_SEARCH = "waiting for the search index started early"


def timed(owner, name: str, label: str) -> None:
    """Replace owner.name by a wrapper adding its run time to PHASES[label]."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        STARTS.setdefault(label, len(STARTS))
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            PHASES[label] += time.perf_counter() - t0

    setattr(owner, name, wrapper)


def instrument_generators(site) -> None:
    """Time generate_context (reading, plus plugins' receivers) and generate_output (rendering, writing)
    of every generator class the run uses, by name. The classes are known only inside run() (plugins hand
    theirs over through a signal with side effects), so the wrapping happens as run() asks for them."""
    # Ours has a hook for it; stock Pelican only its private factory method.
    hook = "generator_classes" if hasattr(site, "generator_classes") else "_get_generator_classes"
    original, done = getattr(site, hook), set()

    def classes(*pelicans):
        found = original(*pelicans)
        for cls in found:
            for method, phase in (("generate_context", "read"), ("generate_output", "write")):
                # The class that defines it: ours subclass Pelican's article generator.
                owner = next((c for c in cls.__mro__ if method in vars(c)), None)
                if owner is not None and (owner, method) not in done:
                    done.add((owner, method))
                    timed(owner, method, f"{RUN} > {phase}: {cls.__name__}")
        return found

    setattr(site, hook, classes)


def instrument_ours() -> None:
    import newsroom_checks
    import newsroom_engine.build as build

    timed(newsroom_checks, "check_site", "build > validate (newsroom_checks)")
    timed(build, "swap_into_place", "build > swap output into place")
    timed(build, "update_in_place", "build > update output in place")
    timed(build, "keep_unchanged_files", "build > keep unchanged files")
    from newsroom_engine.writer import NewsroomWriter

    timed(NewsroomWriter, "flush", f"{FINALIZED} > render queued pages and feeds (all cores)")
    import newsroom_search.search_shards as shards

    # The wall time of each batch of Pagefind runs (they overlap, so their own times would add up to more).
    timed(shards, "index_sections", f"{FINALIZED} > search index (Pagefind)")
    from newsroom_search.early import EarlyIndex

    # An incremental build's Pagefind runs start once the article pages are written and go on beside the
    # build (newsroom_search/early.py): their wall time, and how long the build then waited for them.
    timed(EarlyIndex, "_index", EARLY_SEARCH)
    timed(EarlyIndex, "shards", f"build > {WAITED_SEARCH}")


class Counter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.counts = {"warnings": 0, "errors": 0}
        self.first: list[str] = []

    def emit(self, record):
        self.counts["errors" if record.levelno >= logging.ERROR else "warnings"] += 1
        if len(self.first) < 5:
            self.first.append(f"{record.levelname}: {record.getMessage()}"[:300])


def phase_tree(phases: dict[str, float]) -> dict[str, float]:
    """Phases in tree order (each parent before its children, siblings in the order they started), with an
    "(other)" child wherever a parent's time is not all accounted for by its children."""
    order = {name: i for i, name in enumerate(("start-up and imports", "settings and plugins", "build", EARLY_SEARCH))}
    order.update((name, 10 + i) for name, i in STARTS.items())
    result = {}

    def visit(parent: str | None, depth: int) -> None:
        children = sorted((n for n in phases if n.count(" > ") == depth and (parent is None or n.startswith(parent + " > "))),
                          key=lambda n: order.get(n, 1000))
        for child in children:
            result[child] = phases[child]
            visit(child, depth + 1)
        if parent is not None and children:
            rest = phases[parent] - sum(phases[c] for c in children)
            if rest > 0.0005:
                result[f"{parent} > (other)"] = rest

    visit(None, 0)
    return result


def pelican_class(settings: dict):
    cls = settings["PELICAN_CLASS"]
    if isinstance(cls, str):
        module, name = cls.rsplit(".", 1)
        cls = getattr(importlib.import_module(module), name)
    return cls


def main(spec_path: str, result_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    imported = time.perf_counter()
    counter = Counter()
    logging.getLogger().addHandler(counter)
    conf = str(REPO / "pelicanconf.py") if spec["site"] == "ours" else None
    settings = read_settings(conf, override=spec["settings"])
    if spec["site"] == "ours":
        instrument_ours()
    # finalized: sitemaps, Pagefind and precompression in ours; nothing in stock Pelican.
    timed(signals.finalized, "send", FINALIZED)
    timed(pelican.Pelican, "run", RUN)
    site = pelican_class(settings)(settings)
    instrument_generators(site)
    ready = time.perf_counter()
    profile = cProfile.Profile() if spec.get("profile") else None
    if profile:
        profile.enable()
    site.run()
    if profile:
        profile.disable()
        profile.dump_stats(spec["profile"])
    done = time.perf_counter()
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {
        "phases": phase_tree({"start-up and imports": imported - STARTED, "settings and plugins": ready - imported,
                              "build": done - ready, **PHASES}),
        "in_process_seconds": done - STARTED,
        "peak_memory_mb": me.ru_maxrss / 1024,
        # Pagefind runs as a child process of ours; its peak is reported on its own.
        "children_peak_memory_mb": children.ru_maxrss / 1024,
        # CPU time (user + system) depends less than wall time on what else the machine is running.
        "cpu_seconds": me.ru_utime + me.ru_stime,
        "children_cpu_seconds": children.ru_utime + children.ru_stime,
        "log": {**counter.counts, "first": counter.first},
    }
    Path(result_path).write_text(json.dumps(result, indent=1))
    if spec["site"] == "ours":
        # As `make html` does (python -m newsroom_commands ends with exit_now), so the wall time is what an
        # editor waits for; stock Pelican's command frees everything at exit, and is timed so.
        from newsroom_commands.cli import exit_now

        exit_now(0)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))

"""Running Pagefind over a written site.

Pagefind's binary comes inside the `pagefind[bin]` wheel (its `pagefind_bin` package), so it needs neither
Node nor a download. It reads the HTML the build wrote and adds /pagefind/ (the index and
the search page's scripts) to the same folder. Only pages with `data-pagefind-body` are indexed: the
article template puts it on the story of published articles.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import time


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why, in one line."""


# Pagefind's binary allocates with jemalloc (the `_RJEM_` prefix is tikv-jemallocator's), which by default
# keeps freed pages for about ten seconds before returning them. Building the index frees and allocates
# hundreds of MB well within that, so returning them at once lowers Pagefind's peak noticeably: what a
# whole bundle's runs (every section, two at once) ask of the machine. It only tunes the allocator: the
# index is byte-for-byte the same. A section re-indexed after an edit keeps jemalloc's default
# (`return_memory=False`): returning pages at once costs that run about a tenth of its time (the README has
# the figures) for a few MB less. A value already in the environment wins.
ALLOCATOR_ENV = {"_RJEM_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0"}


# Where Pagefind writes a re-indexed shard (search_shards.index_sections): a folder in memory. A shard is
# hundreds of small files (a fragment per page), which Pagefind makes from many threads at once; on a disk's
# file system that is mostly the kernel's work (new inodes, in one folder, under its lock), in memory it is
# not, and only the files that differ from the published shard's are then copied to disk. Linux has one at
# /dev/shm; elsewhere, or with less room than MEMORY_ROOM (a container's is often 64 MB), Pagefind writes to
# disk as before.
MEMORY_FOLDER = "/dev/shm"
MEMORY_ROOM = 256 * 2**20


def memory_folder(folder: str = MEMORY_FOLDER, room: int = MEMORY_ROOM) -> str | None:
    """`folder` if it can take Pagefind's output (writable, with at least `room` bytes free); else None."""
    try:
        free = os.statvfs(folder)
    except (OSError, AttributeError):  # no such folder; no statvfs (Windows)
        return None
    if not os.access(folder, os.W_OK | os.X_OK) or free.f_bavail * free.f_frsize < room:
        return None
    return folder


def pagefind_env(environ, return_memory: bool = True) -> dict[str, str]:
    return {**ALLOCATOR_ENV, **environ} if return_memory else dict(environ)


@functools.cache
def pagefind_program() -> tuple[str, ...]:
    """The wheel's Pagefind binary (pagefind_bin.get_executable), started directly: `python -m pagefind`
    only looks it up and runs it, after starting an interpreter, which an edit's re-index waits for.
    `python -m pagefind` itself where the binary's package is missing: its error says what to install."""
    try:
        from pagefind_bin import get_executable

        return (str(get_executable()),)
    except Exception:  # noqa: BLE001 - no binary wheel (or no binary in it): the wrapper reports why
        return (sys.executable, "-m", "pagefind")


def pagefind_command(site_dir: str, output_path: str | None = None, glob: str | None = None) -> list[str]:
    # --silent: only errors are printed, so a build's log stays readable; Pagefind's summary (pages and
    # words indexed) is not needed on every build.
    command = [*pagefind_program(), "--site", site_dir, "--silent"]
    if output_path:
        command += ["--output-path", output_path]
    # --glob: the pages to read, relative to --site; a section's shard reads only that section's articles
    # (search_shards.py), while their URLs stay relative to the whole site.
    return command + ["--glob", glob] if glob else command


def last_lines(text: str, count: int = 3) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return " / ".join(lines[-count:]) or "no message"


def index_site(site_dir: str, timeout: int, output_path: str | None = None, glob: str | None = None,
               return_memory: bool = True) -> float:
    """Index `site_dir` (only the pages matching `glob`, if given) into its pagefind/ folder (or
    `output_path`) and return the seconds it took; raises SearchIndexError on any failure. `return_memory`:
    Pagefind's allocator returns freed memory at once (ALLOCATOR_ENV)."""
    if not os.path.isdir(site_dir):
        raise SearchIndexError(f"the folder to index, {site_dir}, does not exist")
    started = time.monotonic()
    try:
        result = subprocess.run(
            pagefind_command(site_dir, output_path, glob), capture_output=True, text=True, timeout=timeout,
            stdin=subprocess.DEVNULL, check=False, env=pagefind_env(os.environ, return_memory),
        )
    except subprocess.TimeoutExpired:
        raise SearchIndexError(
            f"Pagefind took longer than {timeout} s; raise NEWSROOM_SEARCH_TIMEOUT"
        ) from None
    except OSError as e:
        raise SearchIndexError(f"Pagefind could not be started ({e})") from None
    if result.returncode != 0:
        hint = ("install it with `pip install -r requirements.txt` (it needs pagefind[bin])"
                if "No module named" in result.stderr else "see its message")
        raise SearchIndexError(
            f"Pagefind failed (exit status {result.returncode}): {last_lines(result.stderr or result.stdout)}; {hint}"
        )
    bundle = output_path or os.path.join(site_dir, "pagefind")
    if not os.path.isfile(os.path.join(bundle, "pagefind.js")):
        raise SearchIndexError(f"Pagefind ran but wrote no search bundle into {bundle}")
    return time.monotonic() - started

"""Running one build in its own process, and what it left on disk.

Wall time is taken around the whole subprocess (interpreter start-up included: what `make html` costs).
A snapshot records each output file's size, mtime_ns, inode and a hash of its bytes, so two snapshots of
the same folder tell which files were rewritten (new inode or mtime) and which really changed (new bytes).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# 2026-11-25 09:46:40 UTC, the test suite's build clock: every build of the same archive is the same site.
SOURCE_DATE_EPOCH = "1795600000"


class BuildError(Exception):
    pass


@dataclass(frozen=True)
class FileState:
    size: int
    mtime_ns: int
    inode: int
    digest: bytes


def snapshot(folder: Path) -> dict[str, FileState]:
    files = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            st = os.stat(path)
            with open(path, "rb") as f:
                digest = hashlib.file_digest(f, "blake2b").digest()
            files[os.path.relpath(path, folder)] = FileState(st.st_size, st.st_mtime_ns, st.st_ino, digest)
    return files


def compare(before: dict[str, FileState], after: dict[str, FileState]) -> dict:
    """What a rebuild did to the output, file by file, against the build before it."""
    kept = before.keys() & after.keys()
    touched = [p for p in kept if (before[p].inode, before[p].mtime_ns) != (after[p].inode, after[p].mtime_ns)]
    changed = [p for p in kept if before[p].digest != after[p].digest]
    added = sorted(after.keys() - before.keys())
    return {
        "files": len(after),
        "files_added": len(added),
        "files_removed": len(before.keys() - after.keys()),
        # Existing files whose bytes differ, plus new files: what an rsync or CDN upload has to send.
        "files_bytes_changed": len(changed) + len(added),
        # Existing files written again (new inode or mtime), plus new files: what the build wrote.
        "files_rewritten": len(touched) + len(added),
        "files_rewritten_same_bytes": len([p for p in touched if before[p].digest == after[p].digest]),
        "bytes_changed": sum(after[p].size for p in changed) + sum(after[p].size for p in added),
        "examples_bytes_changed": sorted(changed)[:8] + added[:4],
    }


def totals(files: dict[str, FileState]) -> dict:
    return {"files": len(files), "bytes": sum(f.size for f in files.values())}


def run_build(site: str, settings: dict, workdir: Path, label: str, profile: Path | None = None) -> tuple[dict, dict]:
    """Build once in a fresh process; return the figures and a snapshot of the output."""
    workdir.mkdir(parents=True, exist_ok=True)
    spec, result, log = workdir / f"{label}.spec.json", workdir / f"{label}.result.json", workdir / f"{label}.log"
    spec.write_text(json.dumps({"site": site, "settings": settings, "profile": str(profile) if profile else None}))
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
           "PYTHONPATH": os.pathsep.join([str(REPO / "tests"), str(REPO / "plugins")])}
    load = os.getloadavg()
    with open(log, "w") as out:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "bench.driver", str(spec), str(result)],
                              stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=workdir, env=env)
        wall = time.perf_counter() - t0
    if proc.returncode != 0 or not result.exists():
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        raise BuildError(f"the {label} build failed (exit status {proc.returncode}); the end of {log}:\n{tail}")
    figures = json.loads(result.read_text())
    files = snapshot(Path(settings["OUTPUT_PATH"]))
    figures = {"wall_seconds": wall, "load_average_before": [round(x, 2) for x in load], **totals(files), **figures}
    return figures, files

"""`python -m newsroom_commands stamp FOLDER...`: give every file a modification time made from its bytes.

A fresh git checkout (every CI run) gives every file the time of the checkout. The build's caches tell
the content's pictures and other non-Markdown files apart by size and modification time (newsroom_engine's
tree_state), so after a checkout every page's key would change and the incremental build the CI restores
`cache/` and `output/` for would render every page again. Stamped, a file keeps the same time for as long
as its bytes stay the same, and gets another as soon as they change: the build then renders only what
changed. (Times fall between 2001 and 2033; no tool here reads them as anything but a fingerprint.)

Standard library only, like `due`, and run before the build in .github/workflows/publish.yml.
"""

from __future__ import annotations

import argparse
import hashlib
import os

BASE = 1_000_000_000  # 2001-09-09, so every stamp is a plausible past or near-future time
SPAN = 1_000_000_000


def stamp_of(data: bytes) -> int:
    return BASE + int.from_bytes(hashlib.sha256(data).digest()[:8], "big") % SPAN


def stamp_tree(folder: str) -> int:
    """Stamps every file under `folder` (symbolic links are left alone); returns how many."""
    count = 0
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            path = os.path.join(root, name)
            if os.path.islink(path):
                continue
            with open(path, "rb") as f:
                when = stamp_of(f.read())
            os.utime(path, (when, when))
            count += 1
    return count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsroom_commands stamp", description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+")
    args = parser.parse_args(argv)
    for folder in args.folders:
        if not os.path.isdir(folder):
            print(f"newsroom stamp: {folder} is not a folder", flush=True)
            return 2
    total = sum(stamp_tree(folder) for folder in args.folders)
    print(f"newsroom stamp: {total} file(s) under {', '.join(args.folders)} stamped from their bytes")
    return 0

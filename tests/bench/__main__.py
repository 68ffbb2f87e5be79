"""`make bench [N=1000]`: python -m bench --articles N (tests/ and plugins/ on PYTHONPATH)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .measure import REPO, BuildError
from .report import readme_row, table
from .runner import run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Benchmark our full site against stock Pelican on a synthetic archive.")
    parser.add_argument("--articles", "-n", type=int, default=1000, help="articles in the synthetic archive (1000)")
    parser.add_argument("--seed", type=int, default=7, help="the archive's random seed (7)")
    parser.add_argument("--out", type=Path, default=REPO / "bench-output", help="where bench-<N>.json goes")
    parser.add_argument("--no-stock", action="store_true", help="skip the stock Pelican builds")
    parser.add_argument("--image-cache", type=Path, default=REPO / "cache" / "images",
                        help="resized images kept between runs (the repository's cache/images)")
    parser.add_argument("--profile", action="store_true", help="also cProfile one more cold build of ours")
    parser.add_argument("--workdir", type=Path, default=None, help="where the temporary archive and outputs go")
    args = parser.parse_args(argv)
    try:
        result, path = run(args.articles, seed=args.seed, out=args.out, stock=not args.no_stock,
                           image_cache=args.image_cache, workdir=args.workdir, profile=args.profile)
    except BuildError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 1
    print(table(result))
    print(f"\nREADME row: {readme_row(result)}")
    print(f"\nfigures saved to {os.path.relpath(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench`: time a full build of a synthetic archive of N articles with the real settings and theme.

Generates N articles spread over every configured section, a pool of authors and tags, with bodies of a
few hundred words, builds them once with SOURCE_DATE_EPOCH fixed, and prints wall time, articles per
second, peak memory and files written. The figures are saved to bench-output/bench.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "plugins"))

from pelican.settings import read_settings  # noqa: E402

from newsroom_content import NewsroomPelican  # noqa: E402
from newsroom_content.settings import build_desks  # noqa: E402

WORDS = (
    "council housing rent strike workers union port water ceasefire budget minister election vote "
    "community hospital nurses school teachers transport rail bus climate flood river harvest farmers "
    "parliament committee report inquiry evidence residents tenants landlord wages inflation energy "
    "prices coalition talks border aid convoy shelter families market trade festival album novel film"
).split()


def paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 5)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def generate(content: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    settings = read_settings(str(REPO / "pelicanconf.py"))
    sections = [s for d in build_desks(settings) for s in d.sections]
    authors = [f"Reporter {i}" for i in range(1, 41)]
    tags = [f"Topic {i}" for i in range(1, 201)]
    shutil.copytree(REPO / "content" / "data", content / "data")
    shutil.copytree(REPO / "content" / "images", content / "images")
    images = sorted(p.name for p in (content / "images").glob("*.jpg"))
    start = dt.datetime(2026, 11, 24, 18, 0)
    for i in range(n):
        section = sections[i % len(sections)]
        when = start - dt.timedelta(minutes=37 * i)
        folder = content / "articles" / section.slug
        folder.mkdir(parents=True, exist_ok=True)
        meta = [
            f"Title: Synthetic report number {i}",
            f"Date: {when:%Y-%m-%d %H:%M}",
            f"Category: {section.name}",
            f"Summary: {paragraph(rng).split('.')[0]}.",
            f"Authors: {', '.join(rng.sample(authors, rng.choice((1, 1, 2))))}",
            f"Tags: {', '.join(rng.sample(tags, 3))}",
        ]
        if i % 3 == 0:
            meta += [f"Image: images/{images[i % len(images)]}", "Image_alt: An illustration for the report"]
        body = "\n\n".join(paragraph(rng) for _ in range(rng.randint(4, 8)))
        (folder / f"{when:%Y-%m-%d}-report-{i}.md").write_text("\n".join(meta) + "\n\n" + body + "\n", encoding="utf-8")
    (content / "pages").mkdir()


def count_files(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--out", default=str(REPO / "bench-output"))
    args = parser.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = "1795600000"
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        content, output = Path(tmp) / "content", Path(tmp) / "output"
        t0 = time.perf_counter()
        generate(content, args.articles)
        generated = time.perf_counter() - t0
        # The repository's image cache: the bench measures page building, not re-encoding the same pictures.
        settings = read_settings(str(REPO / "pelicanconf.py"), override={
            "PATH": str(content), "OUTPUT_PATH": str(output), "NEWSROOM_IMAGES_CACHE": str(REPO / "cache" / "images"),
        })
        t0 = time.perf_counter()
        NewsroomPelican(settings).run()
        wall = time.perf_counter() - t0
        files, size = count_files(output)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "articles": args.articles, "cold_build_seconds": round(wall, 2), "articles_per_second": round(args.articles / wall, 1),
        "peak_memory_mb": round(peak_mb), "files_written": files, "bytes_written": size, "generate_seconds": round(generated, 2),
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "bench.json"), "w") as f:
        json.dump(figures, f, indent=2)
    print(f"\n{args.articles} articles: cold build {wall:.2f} s ({figures['articles_per_second']} articles/s), "
          f"peak memory {figures['peak_memory_mb']} MB, {files} files ({size / 1e6:.1f} MB) written")
    print(f"figures saved to {os.path.relpath(os.path.join(args.out, 'bench.json'))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Precompressed copies of a finished site's text files: `page.html` gets `page.html.gz` and `page.html.br`.

Servers that know the trick (nginx's gzip_static and brotli_static, Caddy's precompressed) then send the
copy to a browser that accepts the encoding instead of compressing the file on every request, and they can
afford the slowest, smallest settings because the work is done once, at build time.

Both copies depend only on the file's bytes, so two builds of the same site are byte-identical: gzip's
header gets mtime 0 and no file name, and Brotli has no header fields at all. A copy that would not be
smaller than its file is not written (the server then sends the file itself).
"""

from __future__ import annotations

import gzip
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

ENCODINGS = (".gz", ".br")


class PrecompressError(Exception):
    """Precompression cannot run; the message says why and how to fix it."""


def _brotli():
    try:
        import brotli
    except ImportError:
        raise PrecompressError(
            "the Brotli package is not installed; run `make install` (it is pinned in requirements.txt)"
        ) from None
    return brotli


def gzip_bytes(data: bytes) -> bytes:
    # mtime=0 and gzip.compress's lack of a file name keep the header free of anything but the data.
    return gzip.compress(data, compresslevel=9, mtime=0)


def brotli_bytes(data: bytes, quality: int = 11) -> bytes:
    return _brotli().compress(data, quality=quality)


def candidates(folder: str, types, min_size: int) -> list[str]:
    """Every file under `folder` whose name ends with one of `types` and that has at least `min_size`
    bytes, as sorted absolute paths. Symbolic links are left out: they point at files compressed anyway."""
    endings = tuple(t.lower() for t in types)
    found = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(root, name)
            if (name.lower().endswith(endings) and not os.path.islink(path)
                    and os.path.getsize(path) >= min_size):
                found.append(path)
    return found


@dataclass
class Report:
    files: int = 0
    bytes_in: int = 0
    gzip_out: int = 0
    brotli_out: int = 0
    written: int = 0
    seconds: float = 0.0
    threads: int = 1
    skipped: list[str] = field(default_factory=list)  # copies not written because they were not smaller

    def summary(self) -> str:
        mb = lambda n: f"{n / 1_000_000:.2f} MB"  # noqa: E731
        return (f"{self.files} files ({mb(self.bytes_in)}) -> gzip {mb(self.gzip_out)}, brotli {mb(self.brotli_out)}; "
                f"{self.written} copies in {self.seconds:.2f} s on {self.threads} thread(s)")


def compress_file(path: str, brotli_quality: int) -> tuple[int, int, int, list[str]]:
    """Write `path`.gz and `path`.br beside `path`; return (size, gzip size, brotli size, copies written)."""
    with open(path, "rb") as f:
        data = f.read()
    written = []
    sizes = {}
    for ending, compress in ((".gz", gzip_bytes), (".br", lambda d: brotli_bytes(d, brotli_quality))):
        packed = compress(data)
        sizes[ending] = len(packed)
        target = path + ending
        if len(packed) < len(data):
            with open(target, "wb") as f:
                f.write(packed)
            written.append(target)
        elif os.path.exists(target):
            os.remove(target)  # a stale copy would be served instead of the file
    return len(data), sizes[".gz"], sizes[".br"], written


def precompress_site(folder: str, types, min_size: int, brotli_quality: int = 11, threads: int = 0) -> Report:
    """Compress every candidate under `folder` (see `candidates`) with `threads` threads (0: one per
    processor). The result does not depend on the number of threads: each file is its own job."""
    _brotli()  # fail before any work if Brotli is missing
    started = time.perf_counter()
    paths = candidates(folder, types, min_size)
    report = Report(files=len(paths), threads=max(1, threads or os.cpu_count() or 1))
    job = lambda path: compress_file(path, brotli_quality)  # noqa: E731
    if report.threads == 1 or len(paths) < 2:
        results = map(job, paths)
    else:
        with ThreadPoolExecutor(max_workers=report.threads) as pool:
            results = list(pool.map(job, paths))
    for path, (size, gz, br, written) in zip(paths, results):
        report.bytes_in += size
        report.gzip_out += gz
        report.brotli_out += br
        report.written += len(written)
        report.skipped += [path + e for e in ENCODINGS if path + e not in written]
    report.seconds = time.perf_counter() - started
    return report

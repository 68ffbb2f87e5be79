"""Precompressed copies of a finished site's text files: `page.html` gets `page.html.gz` and `page.html.br`.

Servers that know the trick (nginx's gzip_static and brotli_static, Caddy's precompressed) then send the
copy to a browser that accepts the encoding instead of compressing the file on every request, and they can
afford the slowest, smallest settings because the work is done once, at build time.

Both copies depend only on the file's bytes, so two builds of the same site are byte-identical: gzip's
header gets mtime 0 and no file name, and Brotli has no header fields at all. A copy that would not be
smaller than its file is not written (the server then sends the file itself). Because of that, a rebuild
can take the last good output's copies of every file that did not change (reuse.py) and still give the
bytes a fresh compression would.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from . import reuse

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
    return gzip.compress(data, compresslevel=reuse.GZIP_LEVEL, mtime=0)


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
    written: int = 0  # copies now beside their files, compressed or reused
    reused: int = 0  # files whose copies came from the last good output
    seconds: float = 0.0
    threads: int = 1
    skipped: list[str] = field(default_factory=list)  # copies not written because they were not smaller

    def summary(self) -> str:
        mb = lambda n: f"{n / 1_000_000:.2f} MB"  # noqa: E731
        return (f"{self.files} files ({mb(self.bytes_in)}) -> gzip {mb(self.gzip_out)}, brotli {mb(self.brotli_out)}; "
                f"{self.reused} reused from the last output, {self.files - self.reused} compressed; "
                f"{self.written} copies in {self.seconds:.2f} s on {self.threads} thread(s)")


@dataclass
class FileResult:
    size: int
    sizes: dict[str, int]  # ending -> size of the copy, written or not
    written: list[str]
    reused: bool = False
    digest: str | None = None  # the file's SHA-256 when a copy was left out, for the record (reuse.py)


def compress_file(path: str, brotli_quality: int) -> FileResult:
    """Write `path`.gz and `path`.br beside `path`, each only if it is smaller than the file."""
    with open(path, "rb") as f:
        data = f.read()
    result = FileResult(len(data), {}, [])
    for ending, compress in ((".gz", gzip_bytes), (".br", lambda d: brotli_bytes(d, brotli_quality))):
        packed = compress(data)
        result.sizes[ending] = len(packed)
        target = path + ending
        if len(packed) < len(data):
            with open(target, "wb") as f:
                f.write(packed)
            result.written.append(target)
        elif os.path.exists(target):
            os.remove(target)  # a stale copy would be served instead of the file
    if len(result.written) < len(ENCODINGS):
        result.digest = hashlib.sha256(data).hexdigest()
    return result


def precompress_one(path: str, relative: str, brotli_quality: int, previous: reuse.Previous | None) -> FileResult:
    if previous is not None:
        found = reuse.reuse_copies(path, relative, previous, ENCODINGS)
        if found is not None:
            size, sizes, written, digest = found
            return FileResult(size, sizes, written, reused=True, digest=digest)
    return compress_file(path, brotli_quality)


def precompress_site(folder: str, types, min_size: int, brotli_quality: int = 11, threads: int = 0,
                     previous: str | None = None) -> Report:
    """Compress every candidate under `folder` (see `candidates`) with `threads` threads (0: one per
    processor). The result does not depend on the number of threads: each file is its own job.

    `previous` is the last good output that `folder` will replace: a file with the same bytes as its twin
    there gets the twin's copies instead of being compressed again (reuse.py), and a record of how
    `folder` was compressed is written beside `previous` for the next build."""
    recipe = reuse.recipe(_brotli(), brotli_quality)  # and fail before any work if Brotli is missing
    started = time.perf_counter()
    paths = candidates(folder, types, min_size)
    same_folder = previous is not None and os.path.abspath(previous) == os.path.abspath(folder)
    known = reuse.load_previous(previous, recipe) if previous is not None and not same_folder else None
    report = Report(files=len(paths), threads=max(1, threads or os.cpu_count() or 1))
    job = lambda path: precompress_one(path, os.path.relpath(path, folder), brotli_quality, known)  # noqa: E731
    if report.threads == 1 or len(paths) < 2:
        results = map(job, paths)
    else:
        with ThreadPoolExecutor(max_workers=report.threads) as pool:
            results = list(pool.map(job, paths))
    left_out: dict[str, dict[str, int]] = {}
    for path, result in zip(paths, results):
        report.bytes_in += result.size
        report.gzip_out += result.sizes[".gz"]
        report.brotli_out += result.sizes[".br"]
        report.written += len(result.written)
        report.reused += result.reused
        missing = [e for e in ENCODINGS if path + e not in result.written]
        report.skipped += [path + e for e in missing]
        if missing:
            left_out[result.digest] = {e: result.sizes[e] for e in missing}
    if previous is not None and not same_folder:
        reuse.save_record(previous, folder, recipe, left_out)
    report.seconds = time.perf_counter() - started
    return report

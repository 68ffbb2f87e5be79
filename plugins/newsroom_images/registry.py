"""One build's pictures: what each one needs, and publishing its copies from the cache.

A Registry lives for one Pelican run. Lead images are planned before anything is rendered; inline images
are planned when the `responsive_images` filter first meets them. ``publish`` then encodes whatever the
cache lacks and links every copy into the output. A picture first met after that is published at once.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import time

from newsroom_checks import display_path
from newsroom_engine.api import link_or_copy

from .plan import ImageInfo, UnreadableImage, inspect_source
from .resize import FILE_MODE, encode_source
from .settings import PLUGIN, Config

logger = logging.getLogger(__name__)


class Registry:
    def __init__(self, config: Config, content_path: str):
        self.config = config
        self.content_path = content_path
        self.images: dict[str, ImageInfo | None] = {}  # by absolute source path; None: unreadable
        self.used_by: dict[str, str | None] = {}  # the first article or page that showed each picture
        self.output_path: str | None = None  # set once published
        self._by_url: dict[str, str] | None = None
        self.encoded = 0  # sources decoded this run, for the log and the tests

    def image(self, path: str, used_by: str | None = None) -> ImageInfo | None:
        """The plan for the picture at `path`, or None (after logging one error) if it cannot be read."""
        path = os.path.abspath(path)
        if path not in self.images:
            self.used_by[path] = used_by
            try:
                self.images[path] = inspect_source(path, self.config)
            except UnreadableImage as e:
                self.images[path] = None
                log_unreadable(path, str(e), used_by)
            if self.images[path] and self.output_path:
                self._publish([self.images[path]])
        return self.images[path]

    def find(self, site_path: str, static_content: dict, used_by: str | None = None) -> ImageInfo | None:
        """The plan for the picture a URL inside the site points at, if the site publishes one there."""
        if self._by_url is None:
            self._by_url = {static.url: static.source_path for static in static_content.values()}
        source = self._by_url.get(site_path)
        if source is None and site_path in static_content:  # an unresolved {static} link's source path
            source = static_content[site_path].source_path
        return self.image(source, used_by) if source else None

    def publish(self, output_path: str) -> None:
        self.output_path = output_path
        self._publish([info for info in self.images.values() if info])

    def _publish(self, infos: list[ImageInfo]) -> None:
        started = time.perf_counter()
        out_dir = os.path.join(self.output_path, *self.config.output_dir.split("/"))
        os.makedirs(out_dir, exist_ok=True)
        os.makedirs(self.config.cache, exist_ok=True)
        failed = self._encode_missing(infos)
        published = 0
        for info in infos:
            if info.sha256 in failed:
                continue
            for d in info.derivatives:
                link_or_copy(os.path.join(self.config.cache, d.cache_name), os.path.join(out_dir, d.name), FILE_MODE)
                published += 1
        logger.info("%s: %d resized copies of %d pictures published (%d pictures encoded) in %.2f s",
                    PLUGIN, published, len(infos), self.encoded, time.perf_counter() - started)

    def _encode_missing(self, infos: list[ImageInfo]) -> set[str]:
        """Encode every copy the cache lacks; returns the SHA-256 of the sources that turned out unreadable."""
        todo, claimed, by_source = [], set(), {}
        for info in infos:
            jobs = []
            for d in info.derivatives:
                path = os.path.join(self.config.cache, d.cache_name)
                # Two identical files under different names share their cached copies: encode them once.
                if path not in claimed and not os.path.exists(path):
                    claimed.add(path)
                    jobs.append((d.width, d.height, d.format, self.config.quality.get(d.format), path))
            if jobs:
                todo.append((info.source, jobs))
                by_source[info.source] = info
        self.encoded += len(todo)
        failed = set()
        for source, reason in zip((s for s, _ in todo), run_all(todo, self.config.parallel_from)):
            if reason is not None:
                failed.add(by_source[source].sha256)
                log_unreadable(source, reason, self.used_by.get(source))
        return failed


def run_all(todo: list, parallel_from: int) -> list[str | None]:
    """Threads, not processes: Pillow releases the GIL while it decodes, resizes and encodes, so threads
    use every core without a worker start-up cost, and nothing forks the `make serve` process or
    re-imports its __main__ (as "spawn" would)."""
    if not parallel_from or len(todo) < parallel_from or (os.cpu_count() or 1) < 2:
        return [encode_source(source, jobs) for source, jobs in todo]
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(os.cpu_count(), len(todo))) as pool:
        return list(pool.map(encode_source, *zip(*todo)))


def log_unreadable(path: str, reason: str, used_by: str | None) -> None:
    where = f"point {display_path(used_by)} at another picture" if used_by else "replace it"
    logger.error("%s: %s: cannot be read as an image (%s). Fix: open it in an image editor and export it again "
                 "as JPEG, PNG or WebP, or %s.", PLUGIN, display_path(path), reason, where)

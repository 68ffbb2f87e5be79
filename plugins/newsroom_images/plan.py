"""Which resized copies a picture gets, what they are called, and the srcset strings that list them.

Everything here is pure except ``inspect_source``, which reads a file's bytes and its image header
(without decoding the pixels), so planning a build costs a hash and a header read per picture.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from dataclasses import dataclass, field

from PIL import Image, UnidentifiedImageError

from .settings import SRC_MAX_WIDTH, Config

# Bump when the encoding recipe in resize.py changes, so cached and published copies are replaced.
RECIPE = "1"

EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}
MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
# Raster formats a browser shows; anything else in a story (SVG, PDF) is not ours to resize.
RASTER_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")
# EXIF orientations that turn the picture on its side, so width and height swap.
SIDEWAYS = {5, 6, 7, 8}


class UnreadableImage(Exception):
    """Pillow cannot open the file; the message says why."""


def select_widths(source_width: int, widths) -> list[int]:
    """The configured widths the source can fill, plus the source's own width when it is narrower than the
    biggest one, so a small picture still gets its full-size copy and is never enlarged."""
    chosen = sorted({w for w in widths if w <= source_width})
    if source_width < max(widths) and source_width not in chosen:
        chosen.append(source_width)
    return chosen


def fallback_format(pillow_format: str, has_alpha: bool) -> str:
    """The format of the copies in `srcset`, for browsers without WebP.

    JPEG stays JPEG and PNG stays PNG. A GIF becomes PNG (lossless, and it keeps transparency). WebP and
    AVIF sources get JPEG, or PNG when they are transparent: a WebP fallback would duplicate the WebP
    `<source>`, and AVIF encodes too slowly to be worth a third set.
    """
    if pillow_format in ("JPEG", "MPO"):  # phone cameras write MPO: a JPEG with a depth map after it
        return "jpeg"
    if pillow_format in ("PNG", "GIF") or has_alpha:
        return "png"
    return "jpeg"


@dataclass(frozen=True)
class Derivative:
    width: int
    height: int
    format: str  # jpeg, png or webp
    name: str  # file name in the output folder
    cache_name: str  # file name in the cache


@dataclass
class ImageInfo:
    """One source picture and the copies the build publishes for it."""

    source: str  # absolute path
    sha256: str
    width: int  # after EXIF orientation
    height: int
    mime: str  # of the source
    url_dir: str  # where the copies are published, relative to SITEURL
    fallback: str | None  # None: animated, published as it is
    derivatives: list[Derivative] = field(default_factory=list)

    def srcset(self, fmt: str) -> str:
        return ", ".join(f"{self.url(d)} {d.width}w" for d in self.derivatives if d.format == fmt)

    def url(self, derivative: Derivative) -> str:
        return f"{self.url_dir}/{derivative.name}"

    def src_url(self) -> str | None:
        """The largest fallback copy no wider than SRC_MAX_WIDTH, for browsers that ignore srcset."""
        fitting = [d for d in self.derivatives if d.format == self.fallback and d.width <= SRC_MAX_WIDTH]
        return self.url(fitting[-1]) if fitting else None

    def fields(self, original_url: str) -> dict:
        """What a template needs to write <picture> for this image; URLs are relative to SITEURL."""
        return {
            "width": self.width,
            "height": self.height,
            "type": self.mime,
            "src": self.src_url() or original_url,
            "srcset": self.srcset(self.fallback) if self.fallback else f"{original_url} {self.width}w",
            "webp_srcset": self.srcset("webp") if self.fallback else "",
        }


def slug_stem(path: str) -> str:
    """A file-name-safe stem, so an odd source name cannot produce an odd URL."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", os.path.splitext(os.path.basename(path))[0]).strip("-").lower()
    return stem or "image"


def version_tag(sha256: str, config: Config) -> str:
    """Eight hex digits that change whenever the picture or the encoding changes, so the copies' URLs can
    be cached for ever by browsers and CDNs."""
    recipe = f"{sha256}:{RECIPE}:{sorted(config.quality.items())}"
    return hashlib.sha256(recipe.encode()).hexdigest()[:8]


def cache_name(sha256: str, width: int, fmt: str, config: Config) -> str:
    quality = f"q{config.quality[fmt]}" if fmt in config.quality else "lossless"
    return f"{sha256}-{width}-{quality}-r{RECIPE}.{EXTENSIONS[fmt]}"


def plan_derivatives(info: ImageInfo, config: Config) -> None:
    if info.fallback is None:
        return
    stem = f"{slug_stem(info.source)}-{version_tag(info.sha256, config)}"
    for width in select_widths(info.width, config.widths):
        height = max(1, round(info.height * width / info.width))
        for fmt in (info.fallback, "webp"):
            info.derivatives.append(Derivative(
                width, height, fmt, f"{stem}-{width}.{EXTENSIONS[fmt]}", cache_name(info.sha256, width, fmt, config),
            ))


def inspect_source(path: str, config: Config) -> ImageInfo:
    """Hash the file and read its header. Raises UnreadableImage when Pillow cannot open it."""
    try:
        with open(path, "rb") as f:
            data = f.read()
        with Image.open(io.BytesIO(data)) as im:
            fmt = im.format or ""
            width, height = im.size
            if im.getexif().get(0x0112) in SIDEWAYS:
                width, height = height, width
            has_alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
            # MPO's extra frames are depth maps, not animation.
            animated = fmt != "MPO" and getattr(im, "is_animated", False)
            mime = "image/jpeg" if fmt == "MPO" else (Image.MIME.get(fmt) or "application/octet-stream")
    except UnidentifiedImageError as e:
        # Pillow's own message names the in-memory buffer, which says nothing to an editor.
        raise UnreadableImage("not a picture format Pillow knows, or a damaged file") from e
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as e:
        raise UnreadableImage(str(e) or type(e).__name__) from e
    info = ImageInfo(
        source=path, sha256=hashlib.sha256(data).hexdigest(), width=width, height=height, mime=mime,
        url_dir=config.output_dir, fallback=None if animated else fallback_format(fmt, has_alpha),
    )
    plan_derivatives(info, config)
    return info

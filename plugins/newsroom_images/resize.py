"""Encoding the resized copies into the cache, and publishing them from it.

``encode_source`` runs once per source picture that has copies missing from the cache: it decodes the
picture once and writes every missing copy. It takes and returns only plain values so it can run in a
worker. Output is deterministic (no timestamps, no metadata, fixed encoder settings), so two builds of
the same content publish byte-identical files.
"""

from __future__ import annotations

import io
import os

from newsroom_engine.api import write_atomically
from PIL import Image, ImageCms, ImageOps

def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Published files must be readable by the web server, whatever the mode of the cached file a copy is made from.
FILE_MODE = 0o666 & ~_umask()


def prepare(im: Image.Image) -> Image.Image:
    """Upright, in sRGB, RGB or RGBA, with no metadata left to leak into the copies."""
    icc = im.info.get("icc_profile")
    im = ImageOps.exif_transpose(im)
    has_alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
    target = "RGBA" if has_alpha else "RGB"
    if im.mode == "P":
        im = im.convert(target)
    if icc:
        # Dropping a wide-gamut or CMYK profile without converting would shift the colours; browsers
        # assume sRGB for untagged pictures, so convert to it.
        try:
            # A fresh sRGB profile per call (it costs microseconds), so encoding threads share no lcms objects.
            srgb = ImageCms.createProfile("sRGB")
            im = ImageCms.profileToProfile(im, ImageCms.ImageCmsProfile(io.BytesIO(icc)), srgb, outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass
    if im.mode != target:
        im = im.convert(target)
    im.info = {}
    return im


def save(im: Image.Image, fmt: str, quality: int | None, path: str) -> None:
    """Write atomically: an interrupted build never leaves a half-written file in the cache."""
    options = {
        "jpeg": {"format": "JPEG", "quality": quality, "optimize": True, "progressive": True},
        "png": {"format": "PNG", "optimize": True},
        "webp": {"format": "WEBP", "quality": quality, "method": 4},
    }[fmt]
    encoded = io.BytesIO()
    im.save(encoded, **options)
    write_atomically(path, encoded.getvalue())


def encode_source(source: str, jobs: list[tuple[int, int, str, int | None, str]]) -> str | None:
    """Write each (width, height, format, quality, cache path) copy of `source`.

    Returns None, or why the picture could not be read: the caller logs it, workers must not. A failure
    to write the cache is not the picture's fault and raises.
    """
    try:
        with Image.open(source) as im:
            im.load()
            upright = prepare(im)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as e:
        return str(e) or type(e).__name__
    for width, height, fmt, quality, path in jobs:
        sized = upright if (width, height) == upright.size else upright.resize((width, height), Image.Resampling.LANCZOS)
        save(sized, fmt, quality, path)
    return None


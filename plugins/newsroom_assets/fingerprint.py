"""Fingerprinted names for the theme's static files: `css/main.css` -> `theme/css/main.<hash10>.css`.

The hash is the first ten hex digits of the SHA-256 of the file's bytes, so the name changes exactly when
the file does, and a server may tell browsers to keep it for a year.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from dataclasses import dataclass

HASH_LENGTH = 10


class AssetError(Exception):
    """A template asked for an asset the theme does not have; the message says which and where it looked."""


def fingerprinted_name(path: str, data: bytes) -> str:
    """`css/main.css` and its bytes -> `css/main.<hash10>.css` (the hash goes before the last extension)."""
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    folder, name = posixpath.split(path)
    stem, dot, ext = name.rpartition(".")
    fingerprinted = f"{stem}.{digest}.{ext}" if dot and stem else f"{name}.{digest}"
    return posixpath.join(folder, fingerprinted)


def clean_asset_path(path) -> str:
    """The path a template gave, checked: relative to the theme's static folder, forward slashes, no `..`."""
    if not isinstance(path, str) or not path.strip():
        raise AssetError(f"asset path {path!r} is empty; give a path inside the theme's static folder, e.g. \"css/main.css\"")
    parts = path.strip().replace("\\", "/").split("/")
    if path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise AssetError(
            f"asset path {path!r} must be relative to the theme's static folder, e.g. \"css/main.css\" "
            "(no leading slash, no '..')"
        )
    return "/".join(parts)


@dataclass(frozen=True)
class Asset:
    url: str  # relative to SITEURL, e.g. theme/css/main.0123456789.css
    data: bytes  # the bytes that were hashed: the copy written into the output is exactly these


def minified(path: str, data: bytes) -> bytes:
    """A stylesheet or script without its comments and spare whitespace; any other file as it is.

    rcssmin and rjsmin (the minifiers webassets and django-compressor use) keep every token: the copy
    behaves exactly as the source does, which the browser tests check on the minified copies."""
    if path.endswith(".css"):
        import rcssmin

        return rcssmin.cssmin(data.decode("utf-8")).encode("utf-8")
    if path.endswith((".js", ".mjs")):
        import rjsmin

        return rjsmin.jsmin(data.decode("utf-8")).encode("utf-8")
    return data


class AssetRegistry:
    """The fingerprinted assets of one build: each theme file is read and hashed once, when a template
    first asks for it, and every one asked for is written into the output at the end."""

    def __init__(self, theme: str, static_paths, static_dir: str, minify: bool = False):
        self.theme = theme
        # Pelican copies every THEME_STATIC_PATHS folder into THEME_STATIC_DIR in order, so a later
        # folder's file wins over an earlier one's of the same name: look in reverse order.
        self.folders = [os.path.join(theme, p) for p in reversed(list(static_paths or ()))]
        self.static_dir = static_dir.strip("/")
        self.minify = minify
        self.assets: dict[str, Asset] = {}
        self.failed: set[str] = set()  # paths already reported as missing

    def source(self, path: str) -> str:
        for folder in self.folders:
            candidate = os.path.join(folder, *path.split("/"))
            if os.path.isfile(candidate):
                return candidate
        looked = ", ".join(os.path.relpath(f) for f in reversed(self.folders)) or "(THEME_STATIC_PATHS is empty)"
        raise AssetError(f"asset {path!r} is not in the theme's static folder ({looked})")

    def url(self, path) -> str:
        path = clean_asset_path(path)
        if path not in self.assets:
            with open(self.source(path), "rb") as f:
                data = f.read()
            if self.minify:
                data = minified(path, data)
            name = fingerprinted_name(path, data)
            self.assets[path] = Asset(url=posixpath.join(self.static_dir, name) if self.static_dir else name, data=data)
        return self.assets[path].url

    def plain_url(self, path: str) -> str:
        """Where Pelican publishes the file under its own name (used when the asset cannot be found)."""
        return posixpath.join(self.static_dir, path) if self.static_dir else path

    def write(self, output: str) -> list[str]:
        """Write every asset asked for into `output`; return the URLs written, sorted."""
        for asset in self.assets.values():
            target = os.path.join(output, *asset.url.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(asset.data)
        return sorted(a.url for a in self.assets.values())

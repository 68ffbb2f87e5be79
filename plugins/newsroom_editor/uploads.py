"""The limits on pictures: what the browser editor accepts for upload, and what `make check` accepts in the
media folder (content/images/), from the same settings (NEWSROOM_EDITOR_MAX_UPLOAD_BYTES and _UPLOAD_TYPES).

SVG drawings are the one difference: `make check` accepts them in content/images/ (added through git and
reviewed there), the editor does not upload them (an SVG can carry script).
"""

from __future__ import annotations

import os

from newsroom_checks.problems import Problem

HAND_ADDED_TYPES = (".svg",)


def megabytes(size: int) -> str:
    """5000000 -> "5 MB", 6250000 -> "6.3 MB", 60002 -> "60 KB" (as Decap counts: 1000 bytes a kilobyte)."""
    if size < 1_000_000:
        return f"{size / 1000:.0f} KB"
    return f"{size / 1_000_000:.1f} MB".replace(".0 MB", " MB")


def check_media_folder(folder: str, *, max_bytes: int, types: tuple[str, ...]) -> list[Problem]:
    """An error for each file in `folder` (and below) that is larger than `max_bytes`, or whose name does
    not end in one of `types` (or .svg)."""
    problems = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = os.path.join(dirpath, name)
            ending = os.path.splitext(name)[1].lower()
            if ending not in types and ending not in HAND_ADDED_TYPES:
                problems.append(Problem(
                    path, None, "file", f"is not a picture type the site accepts ({ending or 'no ending'}).",
                    "save it as " + ", ".join(types) + " (NEWSROOM_EDITOR_UPLOAD_TYPES in pelicanconf.py), "
                    "or move it out of the pictures folder.",
                ))
                continue
            size = os.path.getsize(path)
            if size > max_bytes:
                problems.append(Problem(
                    path, None, "file", f"is {megabytes(size)}, over the limit of {megabytes(max_bytes)} for one picture.",
                    "save a smaller copy (the build makes every size readers need from it; 3000 pixels wide is plenty); "
                    "the limit is NEWSROOM_EDITOR_MAX_UPLOAD_BYTES in pelicanconf.py.",
                ))
    return problems

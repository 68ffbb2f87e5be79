"""The build's Writer: Pelican's, plus skipping pages whose inputs are unchanged (see render_cache.py)."""

from __future__ import annotations

import os
import shutil

from pelican.writers import Writer

from .render_cache import RenderKeys, _Discard, _KeyedTemplate


class NewsroomWriter(Writer):
    """Writes into the staging folder; a page whose key matches the manifest of `last_output` is
    hard-linked from there instead of rendered. `new_manifest` holds every written page's key."""

    def __init__(self, output_path, settings, last_output: str, old_manifest: dict[str, str], today):
        super().__init__(output_path, settings=settings)
        self.last_output, self.old_manifest, self.today = last_output, old_manifest, today
        self.new_manifest: dict[str, str] = {}
        self.unchanged: dict[str, str] = {}  # staging path -> the last good output's file
        self.keys: RenderKeys | None = None
        self.templates_rendered: set[str] = set()
        self.rendered = self.linked = 0

    def write_file(self, name, template, context, *args, **kwargs):
        if self.keys is None:
            # Every generator's context is complete before the first page is written.
            self.keys = RenderKeys(self.settings, context, self.today)
        return super().write_file(name, _KeyedTemplate(self, template), context, *args, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        handle = super()._open_w(filename, encoding, override=override)
        old = self.unchanged.pop(os.path.normpath(filename), None)
        if old is None:
            return handle
        handle.close()
        link_or_copy(old, filename)
        self.linked += 1
        return _Discard()


def link_or_copy(source: str, target: str) -> None:
    """Replace `target` with a hard link to `source` (a copy where the file system has no hard links)."""
    temporary = target + ".nr-link"
    try:
        os.link(source, temporary)
    except OSError:
        shutil.copy2(source, temporary)
    os.replace(temporary, target)

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

    def reuse_files(self, paths: list[str], kind: str, items, *extra) -> bool:
        """For files a generator writes itself (the feeds): True when `paths` (relative to the output) were
        linked from the last good output because their key, made of `kind`, the full state of each of
        `items` and `extra`, is unchanged. False means the caller writes them; the key is recorded either way."""
        if self.keys is None:
            return False
        key = self.keys.files_key(paths, kind, items, extra)
        old = {p: os.path.join(self.last_output, p) for p in paths}
        fresh = all(self.old_manifest.get(p) == key and os.path.isfile(o) for p, o in old.items())
        for path in paths:
            self.new_manifest[path] = key
        if not fresh:
            return False
        for path, source in old.items():
            target = os.path.join(self.output_path, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            link_or_copy(source, target)
        self.linked += len(paths)
        return True

    def _open_w(self, filename, encoding, override=False):
        old = self.unchanged.pop(os.path.normpath(filename), None)
        if old is None or filename in self._written_files or filename in self._overridden_files:
            return super()._open_w(filename, encoding, override=override)
        # Pelican's bookkeeping of written files (it refuses a second write to one path), without opening
        # a file only to replace it with the link.
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        link_or_copy(old, filename)
        self.linked += 1
        return _Discard()


def link_or_copy(source: str, target: str) -> None:
    """Replace `target` with a hard link to `source` (a copy where the file system has no hard links)."""
    try:
        os.link(source, target)  # the staging folder is fresh, so the target is normally not there yet
        return
    except FileExistsError:
        pass
    except OSError:
        shutil.copy2(source, target)
        return
    temporary = target + ".nr-link"
    try:
        os.link(source, temporary)
    except OSError:
        shutil.copy2(source, temporary)
    os.replace(temporary, target)

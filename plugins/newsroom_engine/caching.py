"""Keys for the build's caches: what the settings and the code that turns content into pages look like.

Pelican's content cache (CACHE_CONTENT) is keyed on each source file alone: change the Markdown
extensions, a slug setting or a plugin and it keeps handing back what the old settings produced. So the
cache lives in a folder named after a fingerprint of the settings and of the code that reads content
(our plugins, Pelican's and Markdown's versions): any change there starts an empty cache, and going back
to earlier settings (the preview and the published build differ) finds the earlier cache again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sys
from contextlib import contextmanager
from importlib import metadata
from pathlib import PurePath

from .pelican_compat import stamp_files_with

# Settings that say where things go, not what they look like. The values a build derives for itself
# (EnginePelican.derived_settings, from the content's check) are left out too: they change what pages
# show, which the page keys cover, not what a source file reads as.
PLACE_SETTINGS = frozenset({"OUTPUT_PATH", "CACHE_PATH", "WRITE_SELECTED", "DEBUG", "LOG_FILTER"})
# Distributions whose code changes what a source file reads as.
READING_PACKAGES = ("pelican", "markdown", "nh3", "PyYAML", "babel")
KEEP_CACHES = 4


def file_identity(path: str) -> str:
    """A file's identity for the caches: size, inode, mtime and ctime. Any write changes the ctime, which
    no tool can set back (unlike the mtime), so this is as good as hashing the bytes and far cheaper:
    Pelican's sha1 stamps read every source file on every rebuild. Raises OSError as os.stat does.

    Inside `identities_remembered()` (a build) each path is looked at once: the check, the article cache,
    Pelican's reader cache and the page keys all asked for it, four stats a story on every rebuild."""
    global _looked_ahead
    if _remembered is not None:
        identity = _remembered.get(path)
        if identity is None and _looked_ahead is not None:
            _remembered.update(_looked_ahead.identities())
            _looked_ahead = None
            identity = _remembered.get(path)
        if identity is None:
            identity = _remembered[path] = _stat_identity(path)
        return identity
    return _stat_identity(path)


# A file's identity from its size, inode, mtime and ctime (nanoseconds), as presence.py's process makes it too.
IDENTITY_FORMAT = "%d:%d:%d:%d"


def identity_of(size: int, inode: int, mtime_ns: int, ctime_ns: int) -> str:
    return IDENTITY_FORMAT % (size, inode, mtime_ns, ctime_ns)


def _stat_identity(path: str) -> str:
    st = os.stat(path)
    return identity_of(st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)


_remembered: dict[str, str] | None = None
_looked_ahead = None  # presence.SourceIdentities: the identities a process is looking up for this build


@contextmanager
def identities_remembered(looked_ahead=None):
    """For the length of one build, file_identity gives each path the identity it first had. That is safe
    because every cache asks before it reads the file: a file written during the build is then recorded
    as older than what was read, and is read again by the next build, never the other way round.
    `looked_ahead` (presence.SourceIdentities) has taken the identities of the source files earlier still,
    which is as safe: nothing has read them yet."""
    global _remembered, _looked_ahead
    outer = _remembered, _looked_ahead
    _remembered, _looked_ahead = {}, looked_ahead
    try:
        yield
    finally:
        _remembered, _looked_ahead = outer


def stamp_by_identity(generator) -> None:
    """At article/page_generator_init: the generator's content cache (its Readers) tells a changed file by
    file_identity instead of CHECK_MODIFIED_METHOD's hash. The stamps are stored in the cache, which is
    named after this code, so a cache holding another kind of stamp is never read."""
    readers = getattr(generator, "readers", None)
    if readers is not None and generator.settings.get("CACHE_CONTENT"):
        stamp_files_with(readers, file_identity)


def stable_repr(value) -> str:
    """A text that is equal for equal settings from one process to the next (repr() of a function is not)."""
    if isinstance(value, dict):
        items = sorted((stable_repr(k), stable_repr(v)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(stable_repr(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(stable_repr(v) for v in value)) + "}"
    if value is None or isinstance(value, (str, bytes, int, float, bool, PurePath, dt.date, dt.time, dt.timedelta)):
        return repr(value)
    module = getattr(value, "__module__", None) or type(value).__module__
    name = getattr(value, "__qualname__", None) or type(value).__qualname__
    return f"<{module}.{name}>"


def code_fingerprint(plugin_paths) -> str:
    digest = hashlib.sha256(sys.version.encode())
    for package in READING_PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    for folder in plugin_paths:
        for root, dirs, files in os.walk(folder):
            # node_modules (the browser editor's npm packages, tens of thousands of files) holds no plugin code.
            dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "node_modules"))
            for name in sorted(files):
                if name.endswith(".py"):
                    path = os.path.join(root, name)
                    digest.update(os.path.relpath(path, folder).encode())
                    with open(path, "rb") as handle:
                        digest.update(handle.read())
    return digest.hexdigest()


def settings_fingerprint(settings: dict, derived=frozenset()) -> str:
    """A digest of the settings but where things go and the `derived` ones (set by the build itself)."""
    wanted = {k: v for k, v in settings.items() if k not in PLACE_SETTINGS and k not in derived and k.isupper()}
    return hashlib.sha256(stable_repr(wanted).encode()).hexdigest()


def content_cache_path(settings: dict, base: str, code: str, derived=frozenset()) -> str:
    """base/content-<key>: the folder for Pelican's content cache under these settings and `code`
    (code_fingerprint of the plugins)."""
    key = hashlib.sha256((settings_fingerprint(settings, derived) + code).encode()).hexdigest()[:20]
    return os.path.join(os.path.abspath(base), f"content-{key}")


def prune_content_caches(current: str, keep: int = KEEP_CACHES) -> None:
    """Delete all but the `keep` most recently used content caches beside `current`."""
    parent = os.path.dirname(current)
    try:
        names = [n for n in os.listdir(parent) if n.startswith("content-")]
    except FileNotFoundError:
        return
    folders = sorted((os.path.join(parent, n) for n in names), key=os.path.getmtime, reverse=True)
    for folder in folders:
        if folder != current and folders.index(folder) >= keep:
            shutil.rmtree(folder, ignore_errors=True)

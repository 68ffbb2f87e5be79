"""What the disk holds, found out in a process of its own while the build does other work.

Two things a rebuild of an archive must look at on disk, once per file, thousands of times:

* the identity of every source file (caching.file_identity), which the check asks for first, to tell
  an edited story from the ones it can reuse (`SourceIdentities`);
* which of the last good output's files are still there: a page is kept only while its file is (someone
  may have deleted a folder there by hand, and the next build must put it back), asked for while the build
  writes its pages, its busiest stretch (`LastOutput`).

Each is handed to a small Python process as soon as the build knows what to ask (the source folder when
the build is made, the last manifest's names once it is loaded). The process looks on the other core while
the build loads its plugins, checks and reads its content, and answers in one reply. Asked before it has
answered, the build waits for it; if the process cannot be started or fails, the build looks at each file
itself, as it would without it.

The answers are what the disk held when the process looked, earlier than the build would have. That is
safe for both: a source file's identity is taken before the file is read (so an edit made meanwhile is
read by the next build), and nothing but the build writes the last good output while it runs (the build
itself writes into a staging folder).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading

from .caching import IDENTITY_FORMAT

logger = logging.getLogger(__name__)

# Below this many files, starting a process costs more than looking at each file in the build's own.
MIN_NAMES_FOR_PROCESS = 1000
# The size of a page manifest (render_cache.py) listing about as many pages.
MIN_MANIFEST_BYTES = 1_000_000

# Each script runs as `python -I -S -c SCRIPT FOLDER`, and speaks in bytes (any file name survives).
# Names relative to FOLDER on stdin, separated by NUL; back the ones that are not files there, the same way.
_MISSING = """\
import os, sys
folder = os.fsencode(sys.argv[1])
names = sys.stdin.buffer.read().split(b"\\0")
missing = [name for name in names if name and not os.path.isfile(os.path.join(folder, name))]
sys.stdout.buffer.write(b"\\0".join(missing))
"""
# Every file under FOLDER (following links to folders, as Pelican does): its path and its identity, made
# with the format in argv[2] (caching.IDENTITY_FORMAT), as NUL-separated fields.
_IDENTITIES = """\
import os, sys
form = os.fsencode(sys.argv[2])
fields = []
for folder, _, names in os.walk(os.fsencode(sys.argv[1]), followlinks=True):
    for name in names:
        path = os.path.join(folder, name)
        try:
            st = os.stat(path)
        except OSError:
            continue
        fields += [path, form % (st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)]
sys.stdout.buffer.write(b"\\0".join(fields))
"""


class _Asked:
    """One question put to a process (`script` about `folder`, `data` on its stdin); `reply()` waits for
    the answer: its stdout, or None when the process could not start or failed."""

    def __init__(self, script: str, folder: str, data: bytes = b"", *args: str):
        self.folder = folder
        self._reply: list[bytes] = []
        self._failure = ""  # why there is no reply, logged by the build's thread
        self._waiter: threading.Thread | None = None
        try:
            process = subprocess.Popen([sys.executable, "-I", "-S", "-c", script, folder, *args],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError as e:
            self._failure = f"could not start: {e}"
            return

        def wait() -> None:
            # In a thread: what is sent can be more than a pipe holds, and the build goes on meanwhile. It
            # logs nothing, since the build may fork render workers meanwhile.
            try:
                out, _ = process.communicate(data)
            except OSError as e:
                self._failure = f"failed: {e}"
                return
            if process.returncode == 0:
                self._reply.append(out)
            else:
                self._failure = f"failed with exit status {process.returncode}"

        self._waiter = threading.Thread(target=wait, name="newsroom-look-ahead", daemon=True)
        self._waiter.start()

    def reply(self) -> bytes | None:
        if self._waiter is not None:
            self._waiter.join()
            self._waiter = None
        if not self._reply:
            logger.debug("newsroom_engine: the process looking at %s %s; each file is looked at by the build",
                         self.folder, self._failure or "gave no answer")
            return None
        return self._reply[0]


class LastOutput:
    """The files of the last good output (`folder`) that a build may keep. `names` (paths relative to
    `folder`, with /) are looked at in a process of its own when there are enough of them to pay for one;
    `has` answers for those from its reply and looks at any other name itself."""

    def __init__(self, folder: str, names=()):
        self.folder = folder
        self.names = names
        self._asked: _Asked | None = None
        self._missing: set[str] | None = None
        if len(names) >= MIN_NAMES_FOR_PROCESS and os.path.isdir(folder):
            self._asked = _Asked(_MISSING, folder, b"\0".join(os.fsencode(name) for name in names))

    def _answer(self) -> set[str] | None:
        """The names missing from the folder, once the process has answered; None without an answer."""
        if self._asked is not None:
            out, self._asked = self._asked.reply(), None
            if out is not None:
                self._missing = {os.fsdecode(name) for name in out.split(b"\0")} if out else set()
        return self._missing

    def has(self, name: str) -> bool:
        """True when `name` (relative to the folder, with /) is a file in the last good output."""
        missing = self._answer()
        if missing is not None and name in self.names:
            return name not in missing
        return os.path.isfile(os.path.join(self.folder, name))

    def close(self) -> None:
        """Wait for the process, so none outlives the build."""
        self._answer()


class SourceIdentities:
    """The identity (caching.file_identity) of every file under `folder`, looked at by a process of its
    own. `identities()` waits for it: path (`folder` joined with the path under it) -> identity, or {}
    when the process failed (each file is then looked at when it is asked for)."""

    def __init__(self, folder: str):
        self._asked: _Asked | None = None
        if os.path.isdir(folder):
            self._asked = _Asked(_IDENTITIES, folder, b"", IDENTITY_FORMAT)

    def identities(self) -> dict[str, str]:
        out, self._asked = (self._asked.reply() if self._asked is not None else None), None
        if not out:
            return {}
        fields = out.split(b"\0")
        if len(fields) % 2:
            return {}
        return dict(zip(map(os.fsdecode, fields[0::2]), (field.decode("ascii") for field in fields[1::2])))


def look_ahead_at_sources(settings: dict, manifest: str) -> SourceIdentities | None:
    """The source identities of the build about to run with `settings`, looked up by a process, when the
    last build of its output left a page manifest (the file `manifest`) big enough to pay for one; None
    otherwise (with the caches off no identity is asked for)."""
    if not (settings.get("CACHE_CONTENT") and settings.get("LOAD_CONTENT_CACHE")):
        return None
    try:
        big = os.path.getsize(manifest) >= MIN_MANIFEST_BYTES
    except OSError:
        return None
    return SourceIdentities(settings["PATH"]) if big else None

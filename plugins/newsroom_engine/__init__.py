"""The build engine under the newsroom's Pelican site: it owns how a build runs, not what it shows.

It owns: the Pelican subclass every build runs (build.py: validate first through a hook, write into a
staging folder, publish only on success), the writer that renders only pages whose inputs changed and
renders them on every core (writer.py, render_cache.py), putting the output in place (output.py), the
caches kept between builds (caching.py, object_cache.py; store.py keeps their records and lists every
store of the site), reading on every core (parallel_read.py),
the taxonomy pages without quadratic scans (taxonomy.py), URL memos (url_memo.py), and every touch on
Pelican's private names (pelican_compat.py, checked against the installed version).

Plugins use it only through api.py.
"""

from .build import EnginePelican

__all__ = ["EnginePelican"]

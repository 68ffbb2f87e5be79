"""The engine's own signal receivers, connected by EnginePelican before any plugin registers.

Being connected first, they run before every plugin's receiver of the same signal, whatever the order
of PLUGINS: the Markdown reader is in place before anything is read, file stamps and the parallel
reading are set up before a generator reads, and URLs are memoized from the first page written.
"""

from __future__ import annotations

import os

from jinja2 import FileSystemBytecodeCache
from newsroom_markdown import use_newsroom_reader
from pelican import signals

from . import url_memo
from .caching import stamp_by_identity
from .parallel_read import prefill_generator


def cache_template_bytecode(generator) -> None:
    """Every build compiles the theme's templates again in each generator; Jinja's own bytecode cache keys
    each entry on the template's name and source, so an edited template is compiled afresh."""
    if hasattr(generator, "env") and generator.settings.get("CACHE_CONTENT"):
        folder = os.path.join(generator.settings["CACHE_PATH"], "templates")
        os.makedirs(folder, exist_ok=True)
        generator.env.bytecode_cache = FileSystemBytecodeCache(folder)


def prepare_reading(generator) -> None:
    """The content cache knows a changed file by its stat (caching.py); then the files it lacks are read
    on every core (parallel_read.py), after the stamps are set so the workers store stamps of that kind."""
    stamp_by_identity(generator)
    prefill_generator(generator)


def connect() -> None:
    """Connect the engine's receivers (blinker keeps one connection per receiver, so once is enough)."""
    # initialized: articles and pages remember their URLs while pages are written (url_memo.py).
    signals.initialized.connect(url_memo.install)
    # readers_init: Markdown is read with converters kept for the whole build (newsroom_markdown).
    signals.readers_init.connect(use_newsroom_reader)
    # generator_init: templates' compiled bytecode is kept with the caches.
    signals.generator_init.connect(cache_template_bytecode)
    # article/page_generator_init: the generators' readers exist and nothing is read yet.
    for generator_init in (signals.article_generator_init, signals.page_generator_init):
        generator_init.connect(prepare_reading)

"""Articles kept whole between builds: an unchanged source file is not made into an Article again.

With Pelican's content cache ("reader" layer) a rebuild still makes every Article afresh from the cached
text: metadata processing, dates, URL checks and every content_object_init receiver, for every story on
every rebuild. Pelican's own "generator" layer keeps whole Articles but pickles them
with the settings and the build's context (everything else on the site) and skips the signals that plugins
hook into, so it is unsafe with plugins. This cache:

* pickles each Article as it comes out of the reader, before any later step changes it, with references
  to the settings and the context stored as names and put back as the current build's on loading;
* keeps, with each Article, the warnings logged while it was made (what the sanitiser removed, an image
  without alt text), and logs them again whenever the Article is taken from the cache;
* is used only while every receiver of the signals sent as an Article is made says that what it does is
  kept in the Article (it depends only on the file, the settings and the code): `receiver.newsroom_cached
  = True`. Another plugin's receiver turns the cache off, so it is never silently skipped;
* knows a changed file by caching.file_identity, and lives in the content cache folder, which is named
  after the settings and the code;
* is split into SHARDS records of that folder's Store (store.py) by path, so one edited story rewrites one
  sixteenth of it.

With it on, the generator's Readers keep Pelican's reader cache in memory only (parallel_read.py fills it
for files this cache lacks) and no longer save it: the Articles hold everything it held.
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import weakref

from pelican import signals
from pelican.contents import Article
from pelican.urlwrappers import URLWrapper

from .caching import file_identity
from .pelican_compat import keep_reader_cache_in_memory, mark_known_valid
from .store import SHARDS, Store, shard_of

logger = logging.getLogger(__name__)

RECORD, VERSION = "articles", 2  # sharded records of the content cache's Store (articles-00 ...)
# Signals Pelican sends while it makes an Article from a file: not sent for an Article from this cache.
MAKING_SIGNALS = ("article_generator_preread", "article_generator_context", "content_object_init")


def cached_receiver(function):
    """Mark a receiver of MAKING_SIGNALS whose effect the cached Article keeps (see the module docstring)."""
    function.newsroom_cached = True
    return function


def unsafe_receivers() -> list[str]:
    """Receivers of MAKING_SIGNALS that do not say their effect is kept in the Article."""
    found = []
    for name in MAKING_SIGNALS:
        for receiver in getattr(signals, name).receivers.values():
            function = receiver() if isinstance(receiver, weakref.ref) else receiver
            if function is not None and not getattr(function, "newsroom_cached", False):
                found.append(f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', function)}")
    return found


def enabled(settings: dict) -> bool:
    return bool(settings.get("CACHE_CONTENT") and settings.get("CONTENT_CACHING_LAYER") == "reader"
                # Pelican makes a future-dated Article a draft by the wall clock unless this is on.
                and settings.get("WITH_FUTURE_DATES", True))


def settle_slugs(article) -> None:
    """Work out the slugs of the Article's section, tags and authors now, so they are kept with it: Pelican
    works each out when first asked (slugify with its regular expressions, 40,000 times a rebuild)."""
    for value in article.metadata.values():
        for item in value if isinstance(value, list) else (value,):
            if isinstance(item, URLWrapper):
                item.slug  # noqa: B018 - the property stores what it works out


STATIC_LINKS = "_newsroom_static_links"  # in an Article's __dict__: kept with it in the cache


def remember_static_links(article) -> None:
    """The {static} and {attach} files the Article's text links to, worked out now and kept with it: Pelican
    asks every article on every build (static_links), searching its whole text each time, and the answer
    depends only on the file and the settings."""
    article.__dict__[STATIC_LINKS] = frozenset(article.get_static_links())


def static_links(content) -> set | frozenset:
    """content.get_static_links(), from what remember_static_links kept when there is that."""
    links = content.__dict__.get(STATIC_LINKS)
    return content.get_static_links() if links is None else links


def _already_valid() -> bool:
    """Stands in for Content.is_valid on an Article from the cache that passed it when it was made: the
    checks (mandatory fields, where it is saved, its status) depend only on the file and the settings."""
    return True


class _Pickler(pickle.Pickler):
    def __init__(self, file, names: dict[int, str]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.names = names

    def persistent_id(self, obj):
        return self.names.get(id(obj))


# The classes the entries name (Article, Category, SafeDatetime...), each looked up once a process: pickle
# looks each up by importing its module, for every one of the archive's Articles on every build.
_CLASSES: dict[tuple[str, str], object] = {}


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, objects: dict[str, object]):
        super().__init__(file)
        self.objects = objects

    def persistent_load(self, name):
        return self.objects[name]

    def find_class(self, module, name):
        found = _CLASSES.get((module, name))
        if found is None:
            found = _CLASSES[module, name] = super().find_class(module, name)
        return found


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record):
        self.records.append((record.name, record.levelno, record.getMessage()))


class ArticleCache:
    def __init__(self, folder: str, settings: dict, context: dict, load: bool = True):
        self.store = Store(folder)
        self.objects = {"settings": settings, "context": context}
        self.names = {id(settings): "settings", id(context): "context"}
        # path -> (identity, pickled Article, [(logger, level, message)], whether Pelican found it valid)
        self.entries: dict[str, tuple] = {}
        self.fresh: dict[str, tuple] = {}  # the entries of this build's files
        self.made: set[str] = set()  # files made into Articles this build (made_this_build)
        self.dirty: set[int] = set()
        self.hits = 0
        if load:
            self.entries = self.store.load_sharded(RECORD, VERSION)

    def valid(self, path: str) -> bool:
        """True when `path` (absolute) has an entry made from the file as it is now."""
        entry = self.entries.get(path)
        try:
            return entry is not None and entry[0] == file_identity(path)
        except OSError:
            return False

    def read(self, path: str, make):
        """The Article for `path` (absolute): from the cache, or `make()` and keep it."""
        try:
            identity = file_identity(path)  # before reading: a file changed meanwhile is read again next time
        except OSError:
            return make()
        entry = self.entries.get(path)
        if entry is not None and entry[0] == identity:
            try:
                article = _Unpickler(io.BytesIO(entry[1]), self.objects).load()
            except Exception:  # noqa: BLE001 - an entry that no longer loads is made again
                article = None
            if article is not None:
                self.fresh[path] = entry
                self.hits += 1
                if entry[3]:
                    mark_known_valid(article, _already_valid)
                for name, level, message in entry[2]:
                    logging.getLogger(name).log(level, "%s", message)
                return article
        capture = _Capture()
        root = logging.getLogger()
        root.addHandler(capture)
        try:
            article = make()
            if type(article) is Article:
                settle_slugs(article)
                remember_static_links(article)
        finally:
            root.removeHandler(capture)
        if type(article) is Article:
            buffer = io.BytesIO()
            _Pickler(buffer, self.names).dump(article)
            self.fresh[path] = (identity, buffer.getvalue(), capture.records, False)
            self.made.add(path)
            self.dirty.add(shard_of(path))
        return article

    def save(self, generated: dict | None = None, base: str = "") -> None:
        """Rewrite the shards that gained, changed or lost an entry; a file not read this build is dropped.
        `generated`: Pelican's generated_content (relative source path -> Content, or None for a file it
        could not use), which says whether each Article made this build passed Pelican's checks."""
        for path in self.made:
            relative = os.path.relpath(path, base).replace(os.sep, "/") if base else None
            valid = bool(generated is not None and relative is not None and generated.get(relative) is not None)
            self.fresh[path] = (*self.fresh[path][:3], valid)
        for path in self.entries.keys() - self.fresh.keys():
            self.dirty.add(shard_of(path))
        self.store.save_sharded(RECORD, VERSION, self.fresh, self.dirty)
        self.dirty.clear()


def article_cache_of(generator) -> ArticleCache | None:
    """The articles generator's ArticleCache, made on first use; None when the cache is off."""
    if "_newsroom_article_cache" not in generator.__dict__:
        cache = None
        settings = generator.settings
        if enabled(settings):
            unsafe = unsafe_receivers()
            if unsafe:
                logger.info("newsroom_engine: Articles are made afresh on every build because %s may need it; "
                            "mark a receiver that only depends on the file with newsroom_engine.api.cached_receiver",
                            ", ".join(unsafe))
            else:
                cache = ArticleCache(settings["CACHE_PATH"], settings, generator.context,
                                     load=bool(settings.get("LOAD_CONTENT_CACHE")))
                # The Articles hold all that Pelican's reader cache would: it stays in memory only.
                keep_reader_cache_in_memory(generator.readers)
        generator.__dict__["_newsroom_article_cache"] = cache
    return generator.__dict__["_newsroom_article_cache"]


def article_cache_report(generator) -> dict:
    """How many of this build's articles the generator took from the article cache and how many it read
    from their files; {} when it used no article cache."""
    cache = generator.__dict__.get("_newsroom_article_cache")
    if cache is None:
        return {}
    return {"articles_from_cache": cache.hits, "articles_read": len(cache.fresh) - cache.hits}


def made_this_build(generator) -> frozenset[str]:
    """The absolute paths of the files the generator made into Articles this build (new or edited since
    the last), rather than took from the article cache; empty when it used no article cache."""
    cache = generator.__dict__.get("_newsroom_article_cache")
    return frozenset(cache.made) if cache is not None else frozenset()


def use_article_cache(generator, read_file):
    """A stand-in for generator.readers.read_file that takes Articles from the cache."""
    cache = article_cache_of(generator)
    if cache is None:
        return read_file

    def cached_read_file(base_path, path, content_class=None, *args, **kwargs):
        full = os.path.abspath(os.path.join(base_path, path))
        if content_class is not Article:
            return read_file(base_path, path, content_class, *args, **kwargs)
        return cache.read(full, lambda: read_file(base_path, path, content_class, *args, **kwargs))

    return cached_read_file

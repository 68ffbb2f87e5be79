"""Pages whose inputs have not changed are not rendered again: they are linked from the last good output.

Pelican renders every page on every build; at tens of thousands of articles that is most of a rebuild.
No Pelican plugin skips rendering (pelican's own content cache only skips reading), so this module keeps
a manifest of each written page's *inputs*: a key per output file, a record saved beside the content
cache (see store.py) once a build has been swapped into place. On the next build a page whose key is unchanged and whose old file is
still in the last good output is hard-linked from there instead of rendered.

A key is made of:

* the site key, which covers everything every page can show: the settings, the data files, the theme's
  files, the plugins' code and the libraries' versions, the build's date (the fighting fund counts days),
  what the build says every page shows by the clock (EnginePelican.shown_everywhere: a breaking banner's
  expiry takes it off every page at its minute),
  every non-Markdown file under PATH (images), and the static pages (the footer lists them);
* what this page shows from the content, by template: an article page its article, related stories and
  neighbours; a listing page the articles on it, its page number and the number of pages; any other page
  (the front page, the archive, the feeds page) every article, so it is rendered whenever anything changed.

A content item is identified by its source file's bytes, its status (scheduling changes it), its URL and
where it is saved: everything else on it derives from those and the site key. tests/test_incremental.py
proves that an incremental build equals a clean one after each kind of change.
"""

from __future__ import annotations

import hashlib
import os

from jinja2 import TemplateNotFound, meta

from .caching import file_identity, settings_fingerprint
from .store import Store

MANIFEST_VERSION = 4
# A pickle: the manifest of a large archive is megabytes, read at the start of every build and written at
# its end, and pickle does both faster than JSON (the README's performance section has the figures).
MANIFEST_KIND = "pickle"
ARTICLE_TEMPLATES = {"article"}
PAGE_TEMPLATES = {"page"}
LISTING_TEMPLATES = {"category", "tag", "author", "desk", "period_archives"}
TAXONOMY_KEYS = ("category", "tag", "author", "desk", "period")
CONTENT_LISTS = ("articles", "hidden_articles", "drafts", "pages", "hidden_pages", "draft_pages")


def _digest(*parts) -> str:
    # One join and one update: a key is made for every page of the site on every build.
    return hashlib.sha256("\x00".join(map(str, parts)).encode("utf-8", "surrogatepass")).hexdigest()


def tree_state(folder: str, skip_suffixes=(), by_content: bool = True) -> str:
    """A digest of every file under `folder`: by content, or (for large binary trees) by size and mtime."""
    h = hashlib.sha256()
    if not folder or not os.path.isdir(folder):
        return "none"
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(tuple(skip_suffixes)):
                continue
            path = os.path.join(root, name)
            h.update(os.path.relpath(path, folder).encode("utf-8", "surrogateescape"))
            if by_content:
                with open(path, "rb") as handle:
                    h.update(hashlib.sha256(handle.read()).digest())
            else:
                st = os.stat(path)
                h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


class RenderKeys:
    """Computes the key of each page a build writes (see the module's docstring)."""

    def __init__(self, settings: dict, context: dict, today, inputs: str, memo: dict | None = None,
                 derived=frozenset()):
        """`inputs`: the build's fingerprint of the plugins' code and of every non-Markdown file under PATH.
        `memo`: what the last build's keys worked out that depends only on the site key (`self.memo()`)."""
        self.settings = settings
        self.context = context
        self._sources: dict[str, str] = {}
        self._states: dict = {}
        self._cards: dict[int, str] = {}  # id(item) -> card; every item lives as long as the build
        self._everything: str | None = None
        data = os.path.join(settings["PATH"], settings.get("NEWSROOM_DATA_PATH", "data"))
        # The site key without the static pages' cards, which use the memo this key validates.
        self.base = _digest(MANIFEST_VERSION, settings_fingerprint(settings, derived), today.isoformat(), inputs,
                            tree_state(settings["THEME"]), tree_state(data))
        memo = memo if memo and memo.get("site") == self.base else {}
        # Worked out again on every rebuild, these would cost time in proportion to the archive: an item's
        # card and state make its URL and hash all of its metadata, and classifying the templates parses
        # the whole theme. They depend only on the site key and the story's source file and status, so
        # they are carried over (_facts).
        self._old_items: dict[str, list] = memo.get("items", {})  # path -> [identity, status, card, state, save_as]
        self._items: dict[str, list] = {}
        self._whole_site: dict[str, bool] = dict(memo.get("whole_site", {}))
        self.site = _digest(self.base, *(self.card(p) for p in context.get("pages", [])))

    def memo(self) -> dict:
        """What the next build's RenderKeys can reuse if its site key is the same."""
        return {"site": self.base, "items": self._items, "whole_site": self._whole_site}

    def source(self, path: str) -> str:
        """The source file's identity (caching.file_identity), or "missing"."""
        if path not in self._sources:
            try:
                self._sources[path] = file_identity(path)
            except OSError:
                self._sources[path] = "missing"
        return self._sources[path]

    def state(self, item) -> str:
        """Everything an item's own page shows of it: its source file, status, URL and place."""
        if item is None:
            return "-"
        key = id(item)
        state = self._states.get(key)
        if state is None:
            self._cards[key], state = self._facts(item)
            self._states[key] = state
        return state

    def card(self, item) -> str:
        """What a list, a related story or a neighbour link can show of an item: everything but its body.

        An edit to a story's text changes its own page (and the feeds); a page that only lists the story
        changes only if the header fields, the URL, the status or the standfirst (which may come from the
        first paragraph) changed."""
        # Asked for about twenty times a page (every story a list or an article page shows): one lookup.
        card = self._cards.get(id(item))
        if card is None:
            if item is None:
                return "-"
            card, self._states[id(item)] = self._facts(item)
            self._cards[id(item)] = card
        return card

    def cards(self, items) -> list[str]:
        """card() of each of `items` (most are known already: one lookup each)."""
        known = self._cards
        return [known.get(id(item)) or self.card(item) for item in items]

    def saved_as(self, item) -> str:
        """item.save_as: the last build's while the item's file and status are unchanged (see _facts)."""
        self.state(item)
        entry = self._items.get(getattr(item, "source_path", None))
        return entry[4] if entry is not None else item.save_as

    def _facts(self, item) -> tuple[str, str]:
        """(card, state) of an item. Under one site key both follow from the source file, its status and its
        path (the URL and where it is saved are made from the file's metadata, the settings and the status,
        which the clock can change), so an item whose file and status are as they were in the last build
        gets the last build's: working them out means making its URL and hashing all of its metadata, for
        every story of the archive on every rebuild."""
        path = getattr(item, "source_path", None)
        status = getattr(item, "status", "")
        identity = self.source(path) if path else ""
        if path:
            old = self._old_items.get(path)
            if old is not None and old[0] == identity and old[1] == status:
                self._items[path] = old
                return old[2], old[3]
        url, save_as = getattr(item, "url", ""), getattr(item, "save_as", "")
        metadata = sorted(
            (name, [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value))
            for name, value in (getattr(item, "metadata", None) or {}).items()
        )
        card = _digest(path, status, url, save_as, _digest(metadata, getattr(item, "standfirst", ""),
                                                            getattr(item, "text_direction", ""),
                                                            getattr(item, "lead_image", "")))
        state = _digest(path, identity, status, url, save_as)
        if path:
            self._items[path] = [identity, status, card, state, save_as]
        return card, state

    def everything(self) -> str:
        if self._everything is None:
            self._everything = _digest(*(card for name in CONTENT_LISTS
                                         for card in self.cards(self.context.get(name) or ())))
        return self._everything

    def key(self, template_name: str, ctx: dict, template=None) -> str:
        whole_site = template is not None and self.shows_whole_site(template_name, template)
        if not whole_site and template_name in ARTICLE_TEMPLATES and ctx.get("article") is not None:
            return self.article_key(template_name, ctx.get("output_file"), ctx.get("SITEURL"), ctx["article"])
        parts = [self.site, template_name, ctx.get("output_file"), ctx.get("SITEURL")]
        if whole_site:
            parts.append(self.everything())
        elif template_name in PAGE_TEMPLATES and ctx.get("page") is not None:
            parts.append(self.state(ctx["page"]))
        elif template_name in LISTING_TEMPLATES:
            for name in TAXONOMY_KEYS:
                value = ctx.get(name)
                parts.append(getattr(value, "name", value) if value is not None else "-")
            for name in ("articles", "dates"):
                page = ctx.get(f"{name}_page")
                if page is not None:
                    parts += [page.number, page.paginator.num_pages, page.paginator.count,
                              *self.cards(page.object_list)]
                else:
                    parts += self.cards(ctx.get(name) or ())
        else:
            parts.append(self.everything())
        return _digest(*parts)

    def article_key(self, template_name: str, output_file: str, siteurl, article) -> str:
        """key() of an article's page (for a template that does not show the whole site): the article
        itself, its related stories and its neighbours. NewsroomWriter.keep_article_page asks for it
        without making the page's context."""
        return _digest(self.site, template_name, output_file, siteurl, self.state(article),
                       *self.cards(getattr(article, "related", None) or ()),
                       self.card(getattr(article, "newer_in_section", None)),
                       self.card(getattr(article, "older_in_section", None)))


    def shows_whole_site(self, template_name: str, template) -> bool:
        """True when the template (with everything it extends, includes and imports) uses a list of the
        whole site beyond what its kind's key covers: a theme that puts "latest news" on article pages
        then gets them rendered whenever any story changes, instead of going stale."""
        if template_name not in self._whole_site:
            names = referenced_names(template.environment, template.name)
            covered = {"articles", "dates"} if template_name in LISTING_TEMPLATES else set()
            self._whole_site[template_name] = bool((names & WHOLE_SITE_NAMES) - covered) or DYNAMIC in names
        return self._whole_site[template_name]

    def files_key(self, paths, kind: str, items, extra) -> str:
        return _digest(self.site, kind, *paths, *(self.state(item) for item in items), *extra)


# Template variables that hold the whole site's content (Pelican's context and the kwargs it adds).
WHOLE_SITE_NAMES = frozenset({
    "articles", "dates", "drafts", "hidden_articles", "tags", "categories", "authors", "all_articles",
    "period_archives", "related_posts", "hidden_pages", "draft_pages", "articles_paginator", "dates_paginator",
})
DYNAMIC = "<a template chosen at run time>"


def referenced_names(env, name: str, seen: set | None = None) -> set[str]:
    """Every variable a template and the templates it extends, includes or imports read from the context;
    DYNAMIC among them when one of those templates is chosen at run time. A template the loader does not
    have (an `include ... ignore missing`) reads nothing."""
    seen = set() if seen is None else seen
    if name in seen:
        return set()
    seen.add(name)
    try:
        source, _, _ = env.loader.get_source(env, name)
    except TemplateNotFound:
        return set()
    read, included = TEMPLATE_FACTS.of(env, source)
    names = set(read)
    for other in included:
        names |= {DYNAMIC} if other is None else referenced_names(env, other, seen)
    return names


class TemplateFacts:
    """What a template's text reads from its context and which templates it extends, includes or imports,
    kept between builds: a rebuild that renders one page would otherwise parse every template that page's
    shared fragments and key look into. A template's facts depend only on its text and the environment's
    syntax, which together are the key, so a changed theme simply finds no facts for its new text."""

    RECORD, VERSION = "template-facts", 1  # in the build's Store

    def __init__(self):
        self.known: dict[str, tuple[frozenset, tuple]] = {}
        self.used: set[str] = set()  # this build's
        self.loaded: set[str] = set()  # what the record held when this build started

    @staticmethod
    def key(env, source: str) -> str:
        syntax = (env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
                  env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
                  env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, sorted(env.extensions))
        return hashlib.sha256(repr((syntax, source)).encode("utf-8", "surrogatepass")).hexdigest()

    def of(self, env, source: str) -> tuple[frozenset, tuple]:
        """(the names the text reads, the templates it names: None for one chosen at run time)."""
        key = self.key(env, source)
        facts = self.known.get(key)
        if facts is None:
            ast = env.parse(source)
            facts = self.known[key] = (frozenset(meta.find_undeclared_variables(ast)),
                                       tuple(meta.find_referenced_templates(ast)))
        self.used.add(key)
        return facts

    def load(self, store: Store) -> None:
        """At the start of a build: the facts the last build used (kept in memory between `make serve`'s builds)."""
        saved = store.load(self.RECORD, self.VERSION)
        saved = saved if isinstance(saved, dict) else {}
        self.known.update(saved)
        self.used, self.loaded = set(), set(saved)

    def save(self, store: Store) -> None:
        """After a build: the facts it used, when they are not what the record holds already."""
        if self.used != self.loaded:
            store.save(self.RECORD, self.VERSION, {key: self.known[key] for key in self.used})


TEMPLATE_FACTS = TemplateFacts()


def manifest_name(output: str) -> str:
    """The output's manifest: a record of the Store directly under CACHE_PATH (store.py), so that it
    outlives a change of settings (the page keys cover them) and each output folder has its own."""
    return "pages-" + hashlib.sha256(os.path.abspath(output).encode()).hexdigest()[:16]


def manifest_file(store: Store, output: str) -> str:
    """The file `output`'s manifest is kept in (its size says how big the last build was)."""
    return store.path(manifest_name(output), MANIFEST_KIND)


def load_manifest(store: Store, output: str) -> tuple[dict[str, str], set[str] | None, dict]:
    """The keys of the pages in `output`, the list of its files and the keys' memo (RenderKeys.memo);
    ({}, None, {}) when there is no manifest, it belongs to another output, or the output is gone."""
    if not os.path.isdir(output):
        return {}, None, {}
    data = store.load(manifest_name(output), MANIFEST_VERSION, kind=MANIFEST_KIND, scope=os.path.abspath(output))
    if not isinstance(data, dict):
        return {}, None, {}
    return (data.get("pages", {}), set(data.get("files", [])) if "files" in data else None,
            data.get("memo") or {})


def forget_manifest(store: Store, output: str) -> None:
    """Called before the output is changed: a build that stops half-way must not leave a manifest that
    describes files it has already replaced."""
    store.forget(manifest_name(output))


def save_manifest(store: Store, output: str, pages: dict[str, str], files: set[str], memo: dict | None = None) -> None:
    prepare_manifest(store, output, pages, files, memo)()


def prepare_manifest(store: Store, output: str, pages: dict[str, str], files: set[str], memo: dict | None = None):
    """save_manifest's record serialised now; the returned function writes it (Store.prepare)."""
    return store.prepare(manifest_name(output), MANIFEST_VERSION, {"pages": pages, "files": sorted(files), "memo": memo or {}},
                         kind=MANIFEST_KIND, scope=os.path.abspath(output))

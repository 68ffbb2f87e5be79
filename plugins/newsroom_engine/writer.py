"""The build's Writer: renders only the pages whose inputs changed, and renders them on every core.

Pelican's Writer renders and writes each page the moment a generator asks for it. This one:

* keeps a page whose key (render_cache.py) matches the last good output's manifest and whose file is
  still there: nothing is rendered or written, and the page is listed in `kept` for output.py; the
  articles generator asks `keep_article_page` before write_file, so an archive's unchanged article pages
  cost a key and a lookup each;
* renders the first page of each template that has to be rendered at once, in this process, because
  templates have side effects that a forked worker's copy would lose (the `asset` filter registers the
  stylesheets to publish; for the templates of kept pages, newsroom_assets remembers them itself);
* queues the other pages and renders them when every generator is done (`flush`, at `finalized`),
  split between NEWSROOM_BUILD_WORKERS processes forked from the build, which by then holds every
  article, list and template. A worker's warnings and errors are logged by the build's process, and a
  worker that fails fails the build.

A plugin can ask for a *companion* of some pages (`Companion`): a second file rendered from the same
context whenever the page is, kept whenever the page is kept, and written into a folder of the plugin's
own rather than the site. newsroom_search's search records are one: what Pagefind reads of an article.

`write_file` keeps Pelican's contract (its arguments, pagination, template context and the
content_written signal sent for every page, kept or not). It is written out here rather than wrapped
because Pelican's creates each page's folder and opens its file before it renders, which for a kept page
is exactly the work to avoid (a folder per article, for every article of the archive).
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import traceback
from dataclasses import dataclass, field
from inspect import iscoroutinefunction
from typing import Callable

from pelican import signals
from pelican.paginator import Paginator
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from .parallel_read import WorkerLog
from .pelican_compat import WriterSeams
from .presence import LastOutput
from .render_cache import ARTICLE_TEMPLATES, RenderKeys

logger = logging.getLogger(__name__)

# Below this many pages to render, forking costs more than it saves.
MIN_PARALLEL_PAGES = 64


class RenderProcessError(Exception):
    """A worker process could not render its pages; the message says why."""


@dataclass
class Companion:
    """A file made beside some pages, from the same template context, in a folder outside the site.

    `wants(kind, ctx, rel)` names the companion of the page at `rel` (a path relative to `staging` and
    `published`), or None; `render(template, ctx, page)` makes its text from the page's template, context and
    rendered text. A page is kept only if its companion is in `published` too; else both are rendered, the
    companion into `staging`. `expected` collects every companion the site now has, rendered or kept, so
    the plugin can publish `staging` into `published` and delete the rest once the build has succeeded.

    `ready()`, if given, is called once in a build, as soon as every article page has been written or kept
    with its companion (Pelican writes them before any list): work that reads only the companions can
    start then, in a process of its own, while the rest of the site is written. A companion made after
    that (a draft's, say) is the plugin's to notice.
    """
    wants: Callable[[str, dict, str], str | None]
    render: Callable[[object, dict, str], str]
    staging: str
    published: str
    expected: set[str] = field(default_factory=set)
    ready: Callable[[], None] | None = None
    # `likely_ready()`, if given, is called once in a build, before `ready`, as soon as the article pages
    # of the files new or edited since the last build have been written or kept (they go first): after an
    # edit, those are usually every companion that changed, so the work can start then, and `ready` later
    # says whether it was all (the plugin compares what it started from with what is there by then).
    likely_ready: Callable[[], None] | None = None
    # The names `published` holds as the plugin last recorded them, or None when it has no record: then
    # each companion a kept page needs is looked for there. Asked for every kept page: the plugin reads its
    # record once and remembers it.
    listed: Callable[[], set[str] | None] | None = None


class ManyTimesSignal:
    """A signal the writer sends for every page, kept or rendered, thousands of times a build (content_written).

    blinker's `send` looks the receivers up, copies its set of them and checks each for a coroutine on
    every call, which costs more than the receivers we connect. Here they are looked up once (for any
    sender) and called as `send` calls them, with the sender and the keyword arguments; the lookup is
    made again whenever a receiver connects or disconnects (blinker's own receiver_connected and
    receiver_disconnected signals). With a coroutine among them, `send` is used, and raises as it does.
    A receiver connected for one sender only is not called this way: Pelican sends these signals with a
    page's path as the sender, which no plugin can know before the build."""

    _NOBODY = object()

    def __init__(self, signal):
        self.signal = signal
        self.receivers: list | None = None
        signal.receiver_connected.connect(self.forget, weak=False)
        signal.receiver_disconnected.connect(self.forget, weak=False)

    def forget(self, *args, **kwargs) -> None:
        self.receivers = None

    def send(self, sender, **kwargs) -> None:
        receivers = self.receivers
        if receivers is None:
            receivers = list(self.signal.receivers_for(self._NOBODY))
            self.receivers = receivers = None if any(map(iscoroutinefunction, receivers)) else receivers
            if receivers is None:
                self.signal.send(sender, **kwargs)
                return
        for receiver in receivers:
            receiver(sender, **kwargs)


CONTENT_WRITTEN = ManyTimesSignal(signals.content_written)


class NewsroomWriter(WriterSeams):
    def __init__(self, output_path, settings, *, last_output: str, old_manifest: dict[str, str], today,
                 inputs: str = "", workers: int = 1, keyed: bool = True, memo: dict | None = None,
                 companions: list[Companion] = (), derived=frozenset(), present: LastOutput | None = None):
        super().__init__(output_path, settings=settings)
        self.companions = list(companions)
        self.last_output, self.old_manifest, self.today, self.inputs = last_output, old_manifest, today, inputs
        # Which of the last output's files are still there (presence.py); the build starts it early.
        self.present = present if present is not None else LastOutput(last_output)
        self.memo, self.derived = memo, derived
        self.workers, self.keyed = workers, keyed
        self.new_manifest: dict[str, str] = {}
        self.kept: set[str] = set()  # relative paths of pages kept from the last good output
        self.pending: list[tuple] = []  # (what, job): pages still to render, other queued work
        self.keys: RenderKeys | None = None
        self.templates_rendered: set[str] = set()
        self.rendered = 0
        self.queued_companions = False  # a queued page has a companion to render
        self._output_prefix = os.path.join(os.path.abspath(output_path), "")
        self._kinds: dict[str, str] = {}  # template name -> kind (its file name without the extension)

    # --- Pelican's interface ---

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, **kwargs):
        if not name:
            return
        self._make_keys(context)
        kind = self._kind_of(template)
        if paginated is None:
            paginated = {key: value for key, value in kwargs.items() if key in ("articles", "dates")}
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            self._page(kind, template, context, name, kwargs, relative_urls, override_output)
            return
        per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
        paginators = {key: Paginator(name, url, items, self.settings, per_page) for key, items in paginated.items()}
        count = next(iter(paginators.values())).num_pages
        # Each page object made once, then also the previous and the next of its neighbours (Pelican's
        # makes three a page, all alike).
        pages = {key: [paginator.page(number) for number in range(1, count + 1)] for key, paginator in paginators.items()}
        for number in range(1, count + 1):
            page_kwargs = dict(kwargs)
            for key, paginator in paginators.items():
                page = pages[key][number - 1]
                page_kwargs.update({
                    f"{key}_paginator": paginator,
                    f"{key}_page": page,
                    f"{key}_previous_page": pages[key][number - 2] if number > 1 else None,
                    f"{key}_next_page": pages[key][number] if number < count else None,
                })
            self._page(kind, template, context, page.save_as, page_kwargs, relative_urls, override_output)

    def _make_keys(self, context) -> RenderKeys | None:
        if self.keyed and self.keys is None:
            # Every generator's context is complete before the first page is written.
            self.keys = RenderKeys(self.settings, context, self.today, self.inputs, self.memo, self.derived)
        return self.keys

    def reuse_files(self, paths: list[str], kind: str, items, *extra) -> bool:
        """For files a generator writes itself (the feeds): True when `paths` (relative to the output) are
        kept from the last good output because their key, made of `kind`, the full state of each of
        `items` and `extra`, is unchanged. False means the caller writes them; the key is recorded either way."""
        if self.keys is None:
            return False
        key = self.keys.files_key(paths, kind, items, extra)
        fresh = all(self.old_manifest.get(p) == key and self.present.has(p) for p in paths)
        for path in paths:
            self.new_manifest[path] = key
        if fresh:
            self.kept.update(paths)
        return fresh

    def keep_article_page(self, template, context, relative_urls: bool, **kwargs) -> bool:
        """For the articles generator, before it asks write_file for an article's page (with the same
        `kwargs`, `article` among them): True when the page is kept from the last good output, with
        everything write_file does for a kept page done; False means the caller writes it with write_file.

        An edit changes a handful of an archive's article pages; this answers for the rest with the page's
        key alone, without the rest of write_file's work for each page."""
        keys = self._make_keys(context)
        article = kwargs["article"]
        if keys is None or hasattr(article, "override_save_as"):
            return False
        kind = self._kind_of(template)
        if kind not in ARTICLE_TEMPLATES or keys.shows_whole_site(kind, template):
            return False
        name = keys.saved_as(article)
        if not name:
            return False
        path = self._output_file(name)
        rel = self._relative(path)
        old = self.old_manifest.get(rel)
        if old is None:
            return False
        ctx = self._page_context(context, name, kwargs, relative_urls)
        key = keys.article_key(kind, name, ctx.get("SITEURL"), article)
        extras = self._companions(kind, ctx, rel)
        if key != old or not self._still_published(rel, extras):
            return False
        if self._claim(path, False) is not None:
            self._keep(path, rel, key, extras, ctx)
        return True

    # --- one page ---

    def _page(self, kind, template, context, name, kwargs, relative_urls, override):
        ctx = self._page_context(context, name, kwargs, relative_urls)
        path = self._claim(self._output_file(name), override)
        if path is None:
            return
        rel = self._relative(path)
        extras = self._companions(kind, ctx, rel)
        if self.keys is not None:
            key = self.keys.key(kind, ctx, template)
            self.new_manifest[rel] = key
            if self.old_manifest.get(rel) == key and self._still_published(rel, extras):
                self._keep(path, rel, key, extras, ctx)
                return
        self.kept.discard(rel)
        for companion, extra in extras:
            companion.expected.add(extra)
        self.rendered += 1
        if self.workers < 2 or kind not in self.templates_rendered:
            self.templates_rendered.add(kind)
            render_to(template, ctx, path, extras)
        else:
            self.pending.append((rel, lambda: render_to(template, ctx, path, extras)))
            self.queued_companions = self.queued_companions or bool(extras)
        CONTENT_WRITTEN.send(path, context=ctx)

    def _page_context(self, context, name: str, kwargs: dict, relative_urls: bool) -> dict:
        """The context a page is rendered with, as Pelican's write_file makes it."""
        ctx = context.copy()
        ctx["localsiteurl"] = ctx.get("localsiteurl", None)
        if relative_urls:
            relative = path_to_url(get_relative_path(name))
            ctx["SITEURL"] = ctx["localsiteurl"] = relative
        ctx["output_file"] = name
        ctx.update(kwargs)
        if ctx["localsiteurl"]:
            context["localsiteurl"] = ctx["localsiteurl"]  # as Pelican does, so content links adjust
        return ctx

    def _kind_of(self, template) -> str:
        """The template's kind: its file name without the extension ("article", "tag", ...)."""
        name = getattr(template, "name", None)
        kind = self._kinds.get(name)
        if kind is None:
            kind = self._kinds[name] = os.path.splitext(os.path.basename(name or ""))[0]
        return kind

    def _relative(self, path: str) -> str:
        # The path is under the output folder: its tail is the relative path (relpath costs more than the
        # rest of a kept page's bookkeeping).
        prefix = self._output_prefix
        return (path[len(prefix):] if path.startswith(prefix) else os.path.relpath(path, self.output_path)).replace(os.sep, "/")

    def _companions(self, kind: str, ctx, rel: str) -> list[tuple]:
        """(companion, its file's name) for each companion that wants one beside the page at `rel`."""
        extras = []
        for companion in self.companions:
            extra = companion.wants(kind, ctx, rel)
            if extra:
                extras.append((companion, extra))
        return extras

    def _still_published(self, rel: str, extras) -> bool:
        """The page's file is in the last good output, and each of its companions' files is published."""
        return self.present.has(rel) and all(self._companion_published(companion, extra) for companion, extra in extras)

    @staticmethod
    def _companion_published(companion: Companion, name: str) -> bool:
        listed = companion.listed() if companion.listed is not None else None
        return name in listed if listed is not None else os.path.isfile(os.path.join(companion.published, name))

    def _keep(self, path: str, rel: str, key: str, extras, ctx) -> None:
        """What a kept page still needs: its key in the new manifest, its companions expected, and the
        content_written signal Pelican sends for every page."""
        self.new_manifest[rel] = key
        self.kept.add(rel)
        for companion, extra in extras:
            companion.expected.add(extra)
        CONTENT_WRITTEN.send(path, context=ctx)

    def _output_file(self, name: str) -> str:
        """sanitised_join(output_path, name), which normalises and checks every path (a fifth of a kept
        page's bookkeeping): a plain relative name is already normal and inside the folder, so only the
        others go through it."""
        if os.sep == "/" and not (name.startswith(("/", "./")) or ".." in name or "//" in name or "/./" in name
                                  or name.endswith(("/.", "/")) or name in ("", ".")):
            return self._output_prefix + name
        return sanitised_join(self.output_path, name)

    def queue(self, what: str, job) -> None:
        """Run `job()` (which writes its own files) with the queued pages, on any of the workers."""
        if self.workers < 2:
            job()
        else:
            self.pending.append((what, job))

    def _claim(self, filename: str, override: bool) -> str | None:
        """The path to write, or None to skip this write (Pelican's rule for writing one path twice)."""
        if self.claim(filename, override):
            return filename
        logger.info('Skipping "%s", not overwriting', filename)
        return None

    def articles_written(self) -> None:
        """Every article page has been through write_file: render the queued pages now if a companion
        waits among them (on every core, as at the end), then tell the companions that are waiting."""
        self._tell("ready")

    def changed_articles_written(self) -> None:
        """The article pages of the files new or edited since the last build have been through write_file
        (the articles generator visits them first): tell the companions that want to know (likely_ready)."""
        self._tell("likely_ready")

    def _tell(self, hook: str) -> None:
        waiting = [c for c in self.companions if getattr(c, hook) is not None]
        if not waiting:
            return
        if self.queued_companions:
            self.flush()
        for companion in waiting:
            call = getattr(companion, hook)
            setattr(companion, hook, None)  # once a build
            call()

    # --- the queued pages, on every core ---

    def flush(self) -> None:
        self.queued_companions = False
        pending, self.pending = self.pending, []
        if not pending:
            return
        workers = min(self.workers, max(1, len(pending) // (MIN_PARALLEL_PAGES // 2)))
        if workers < 2:
            for _what, job in pending:
                job()
            return
        shares = [pending[i::workers] for i in range(workers)]
        children = []
        for share in shares[1:]:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the worker process; its report is checked by the parent
                os.close(read_end)
                os._exit(_render_in_worker(share, write_end))
            os.close(write_end)
            children.append((pid, read_end))
        failures, own_error = [], None
        try:
            for _what, job in shares[0]:
                job()
        except BaseException as e:  # noqa: BLE001 - re-raised once the workers have stopped writing
            own_error = e
            for pid, _ in children:
                os.kill(pid, signal.SIGKILL)
        for pid, read_end in children:
            with os.fdopen(read_end, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
            if own_error is not None:
                continue  # stopped on purpose
            records, error = pickle.loads(data) if data else ([], "it stopped without a report")
            for record in records:
                logging.getLogger(record.name).handle(record)
            if error or status:
                failures.append(error or f"exit status {status}")
        if own_error is not None:
            raise own_error
        if failures:
            raise RenderProcessError("newsroom_engine: a render process failed: " + "; ".join(failures))


def write_text(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def render_to(template, ctx, path: str, extras=()) -> None:
    """Render one page into `path`, then its companions (`extras`: (Companion, name) pairs)."""
    output = template.render(ctx)
    write_text(path, output)
    logger.info('Writing "%s"', path)
    for companion, name in extras:
        write_text(os.path.join(companion.staging, name), companion.render(template, ctx, output))


def _render_in_worker(share, write_end: int) -> int:
    """Render `share` in a forked worker; send (log records, error or None) to the parent. Exit status."""
    records = WorkerLog()
    root = logging.getLogger()
    for handler in list(root.handlers):  # the parent shows what the worker logs, once
        root.removeHandler(handler)
    root.addHandler(records)
    error = None
    try:
        for what, job in share:
            try:
                job()
            except Exception as e:  # noqa: BLE001 - reported to the parent, which fails the build
                error = f"{what}: {type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}"
                break
        payload = pickle.dumps((records.records, error))
    except Exception as e:  # noqa: BLE001
        payload = pickle.dumps(([], f"{type(e).__name__}: {e}"))
    with os.fdopen(write_end, "wb") as pipe:
        pipe.write(payload)
    return 1 if error else 0

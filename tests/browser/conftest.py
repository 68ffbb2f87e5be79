"""Session fixtures for the browser and validator tests.

The sample paper (the repository's content/ folder) is built once per run, served over HTTP on 127.0.0.1
from a background thread, and read by the system Chromium driven through Playwright. Nothing here downloads
a browser: `make install-test` puts Chromium, Java, axe-core and the Nu checker in place.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPO, Site, build_paper, built_once_per_run  # noqa: F401 - the browser tests import build_paper from here
from newsroom_commands.serve import PreviewServer

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
NODE_MODULES = REPO / ".venv" / "node" / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = REPO / "test-output" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
INSTALL_HINT = "run `make install-test` (it installs Chromium, Java, axe-core and the Nu checker)"

# Every page type a reader can land on, and the URL that stands for it in the sample paper. None: found in
# the build (see `page_urls`). The optional ones are skipped while the build does not write them.
FIXED_URLS = {
    "front": "/", "article": None, "section": "/middle-east/", "desk": "/world/", "author": None,
    "tag": None, "archive": "/archive/", "month": None, "page": "/about/", "feeds": "/feeds/",
    "search": "/search/", "404": "/404.html",
}
PAGE_TYPES = list(FIXED_URLS)
OPTIONAL_PAGE_TYPES = {"feeds", "search", "404"}
# First path segments that are never a section, so /<segment>/<slug>/ under them is not an article.
NOT_SECTIONS = {"author", "tag", "archive", "drafts", "feeds", "search", "images", "theme", "page"}


# Before a full-page screenshot: lazy images below the fold would be blank, so load them all, and the fonts.
LOAD_EVERYTHING = """async () => {
  for (const img of document.images) img.loading = "eager";
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  await document.fonts.ready;
}"""


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: a test in tests/browser/, run on the built sample paper with the tools "
                            "`make install-test` installs (deselect them all with -m 'not browser')")
    config.addinivalue_line("markers", "vnu: runs the Nu HTML Checker with Java (select it alone with -m vnu)")


def _is_article_path(path: str) -> bool:
    parts = path.strip("/").split("/")
    return path.endswith("/") and len(parts) == 2 and parts[0] not in NOT_SECTIONS and parts[1] != "page"


@pytest.fixture(scope="session")
def page_urls(sample_paper) -> dict[str, str | None]:
    """Page type -> URL path in the built sample paper, or None when the build has no such page."""
    site = sample_paper
    urls = {kind: url if url and site.exists(url) else None for kind, url in FIXED_URLS.items()}

    def first(pattern: str, keep) -> str | None:
        found = sorted("/" + p.parent.relative_to(site.output).as_posix() + "/" for p in site.output.glob(pattern))
        return next((url for url in found if keep(url)), None)

    def matching(url_re: str):
        return lambda url: re.fullmatch(url_re, url) is not None

    # The first story the front page links to, else any /<section>/<slug>/ written.
    linked = [urlsplit(href).path for href in site.main_links("/")]
    urls["article"] = next((p for p in linked if _is_article_path(p) and site.exists(p)), None) \
        or first("*/*/index.html", _is_article_path)
    urls["author"] = first("author/*/index.html", matching(r"/author/[^/]+/"))
    urls["tag"] = first("tag/*/index.html", matching(r"/tag/[^/]+/"))
    urls["month"] = first("archive/*/*/index.html", matching(r"/archive/\d{4}/\d{2}/"))
    return urls


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass


@pytest.fixture(scope="session")
def base_url(sample_paper):
    """http://127.0.0.1:<free port> serving the built sample paper from a background thread."""
    server, thread = _serve(sample_paper.output, "sample-paper-server")
    yield f"http://127.0.0.1:{server.server_address[1]}"
    _stop(server, thread)


def _serve(directory: Path, name: str):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = PreviewServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    return server, thread


def _stop(server, thread):
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def archive_300(tmp_path_factory, image_cache) -> Site:
    """A synthetic archive of 300 articles (the benchmark's generator, fixed seed) built once per run:
    the layout tests measure on it as well as on the sample paper, so a desk with 1 or 9 stories, a
    section with no picture and long headlines are all laid out."""
    from bench.archive import generate

    def build(root: Path) -> None:
        generate(root / "content", 300, seed=11)
        build_paper(root / "content", root / "output", image_cache, "the 300-article archive")

    return Site(built_once_per_run(tmp_path_factory, "archive-300", build) / "output")


@pytest.fixture(scope="session")
def archive_300_url(archive_300):
    """http://127.0.0.1:<free port> serving the built 300-article archive."""
    server, thread = _serve(archive_300.output, "archive-300-server")
    yield f"http://127.0.0.1:{server.server_address[1]}"
    _stop(server, thread)


@pytest.fixture(scope="session")
def chromium():
    """The system Chromium, launched once per run (never a browser that Playwright downloads)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: {INSTALL_HINT}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield WithPaperFonts(browser)
        browser.close()


def wait_for_paper_fonts(route):
    """Serve the fonts' stylesheet with `font-display: block` instead of `optional`.

    A reader's first page may be set in the system faces when the web fonts take more than a tenth of a
    second to arrive (font-display: optional, README "Type"); every later page, from the cache, has them.
    The layout tests measure that usual page, with the paper's own faces, on a machine whose load makes the
    tenth of a second a matter of chance. test_fonts.py checks the stylesheet as published."""
    response = route.fetch()
    route.fulfill(response=response, body=response.text().replace("font-display:optional", "font-display:block")
                  .replace("font-display: optional", "font-display: block"))


# After `load`: main.js has switched the fonts' stylesheet on, but the faces are only asked for at the next
# layout, so `document.fonts.ready` read at once may be an empty promise. A forced layout asks for them
# (not a frame: some tests fake the page's clock, and with it requestAnimationFrame).
FONTS_SETTLED = """async () => {
  const link = document.querySelector("link[data-nr-fonts]");
  if (!link || link.media !== "all") return;
  void document.body.getBoundingClientRect();
  await document.fonts.ready;
}"""


def settle_fonts_after_goto(page) -> None:
    """Make this page's goto() return only once the paper's faces are in use, so that what a test measures
    next is the page as readers see it, not a first layout in the fallback faces (which a loaded machine
    makes a matter of chance)."""
    from playwright.sync_api import Error as PlaywrightError

    navigate = page.goto

    def goto(url, **options):
        response = navigate(url, **options)
        if options.get("wait_until", "load") in ("load", "networkidle"):
            try:
                page.evaluate(FONTS_SETTLED)
            except PlaywrightError as error:  # the page went on to another (a redirect page's meta refresh)
                if "navigation" not in str(error):
                    raise
        return response

    page.goto = goto


class WithPaperFonts:
    """The browser, whose every new context waits for the paper's fonts (see wait_for_paper_fonts and
    settle_fonts_after_goto)."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.route(re.compile(r"/theme/css/fonts\.[0-9a-f]{10}\.css$"), wait_for_paper_fonts)
        make_page = context.new_page

        def new_page(*args, **kwargs):
            page = make_page(*args, **kwargs)
            settle_fonts_after_goto(page)
            return page

        context.new_page = new_page
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@dataclass
class Visit:
    """One browser tab on the served sample paper, recording what a test may assert on afterwards."""

    page: object
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None and response.ok, f"GET {path} answered {response and response.status}"
        return response


def open_visit(chromium, base_url) -> tuple[Visit, object]:
    """A new browser context and tab on the served sample paper, 1280 px wide, light colour scheme: the
    Visit, and the context to close when done.

    Requests to any host but the local server are recorded and aborted (the machine has no network, and a
    news page must not load third-party resources), as are console errors and uncaught exceptions.
    """
    context = chromium.new_context(viewport=DESKTOP, color_scheme="light", bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    v = Visit(page, base_url)

    def local(url: str) -> bool:
        return url.startswith(base_url + "/") or url == base_url or url.startswith(("data:", "blob:", "about:"))

    def record_request(request):
        if not local(request.url):
            v.outside_requests.append(request.url)

    page.on("request", record_request)
    page.on("console", lambda msg: msg.type == "error" and v.console_errors.append(
        f"{msg.text} ({msg.location.get('url', '')}:{msg.location.get('lineNumber', '')})"))
    page.on("pageerror", lambda error: v.console_errors.append(f"uncaught: {error}"))
    context.route(lambda url: not local(url), lambda route: route.abort())
    return v, context


@pytest.fixture
def visit(chromium, base_url):
    """A fresh browser context and tab per test (see open_visit)."""
    v, context = open_visit(chromium, base_url)
    yield v
    context.close()

"""Shared fixtures: build a real site with the real settings into a temp folder and parse what it wrote."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import sys
from html import unescape
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
FIXTURE_SITE = Path(__file__).resolve().parent / "fixtures" / "site"
sys.path.insert(0, str(REPO / "plugins"))

from pelican.settings import read_settings  # noqa: E402

from newsroom_content import NewsroomPelican  # noqa: E402
from newsroom_engine.api import build_report  # noqa: E402

# 2026-11-25 09:46:40 UTC: the fixture's scheduled article (2027-01-12) is in the future, the fund has
# 9 days to run (period_end 2026-12-04).
BUILD_EPOCH = 1795600000


def epoch(when: str) -> int:
    return int(dt.datetime.fromisoformat(when).timestamp())


def load_settings(content: Path, output: Path, conf: str = "pelicanconf.py", **overrides) -> dict:
    return read_settings(str(REPO / conf), override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False,
        # The browser editor's /admin/ only where a test asks for it (tests/test_editor_*.py, tests/browser/test_admin.py).
        "NEWSROOM_EDITOR": False,
        **overrides,
    })


class Site:
    """A built site: its folder and helpers to read pages the way a reader's browser gets them."""

    def __init__(self, output: Path, report: dict | None = None):
        self.output = output
        self.report = report or {}  # what the build did (newsroom_engine.api.build_report)

    def path(self, url: str) -> Path:
        url = url.lstrip("/")
        return self.output / url / "index.html" if url == "" or url.endswith("/") else self.output / url

    def exists(self, url: str) -> bool:
        return self.path(url).is_file()

    def soup(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(url).read_text(encoding="utf-8"), "html.parser")

    def main_links(self, url: str) -> list[str]:
        return [a["href"] for a in self.soup(url).select("main a[href]")]


@pytest.fixture(autouse=True)
def fresh_log_deduplication():
    """Pelican's LimitFilter drops any message already logged once in the process (its sets are class-level),
    so a test building after another would miss messages both builds log: each test starts as a fresh
    `make html` process does."""
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


@pytest.fixture
def site_content(tmp_path) -> Path:
    """A private copy of the small fixture site, for a test to change."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    return content


@pytest.fixture(scope="session")
def image_cache(tmp_path_factory) -> Path:
    """One cache of resized images for the whole run, so each test does not re-encode the same pictures."""
    return tmp_path_factory.mktemp("image-cache")


def built_once_per_run(tmp_path_factory, name: str, build) -> Path:
    """A new folder that `build(folder)` fills, made once for the whole run.

    `make test` runs the suite on several pytest-xdist workers, and each has its own session, so a session
    fixture would build once per worker. Under xdist the first worker to ask builds into the run's shared
    temporary folder while holding a lock; the others wait on the lock and then read what it built. A build
    that failed leaves no mark, so the next worker tries again (and fails its own tests the same way)."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    run_root = tmp_path_factory.getbasetemp().parent  # the controller's basetemp, shared by the workers
    folder, done = run_root / name, run_root / f"{name}.built"
    with open(run_root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


def build_paper(content: Path, out: Path, image_cache: Path, what: str, **overrides) -> Site:
    """`content` built into `out` with the suite's fixed clock; fails the session's tests if it wrote no front page."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(BUILD_EPOCH))
        NewsroomPelican(load_settings(content, out, NEWSROOM_IMAGES_CACHE=str(image_cache), **overrides)).run()
    if not (out / "index.html").is_file():
        pytest.fail(f"building {what} wrote no front page into {out}")
    return Site(out)


@pytest.fixture(scope="session")
def sample_paper(tmp_path_factory, image_cache) -> Site:
    """The sample paper (content/) built once per run with the suite's fixed clock and the default settings,
    shared by every test that reads it: read only (a test that changes it builds its own, or copies it)."""
    folder = built_once_per_run(tmp_path_factory, "sample-paper",
                                lambda folder: build_paper(REPO / "content", folder / "output", image_cache, "the sample paper"))
    return Site(folder / "output")


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory, image_cache) -> Site:
    """The small fixture site, unchanged, built once per run with the suite's clock and the default settings:
    what `build_site()` with no arguments writes, for the tests that only read its pages and feeds. Read
    only: a test that changes the content or the settings, reads the build's log or report, or compares
    two builds uses build_site. (Its `report` is empty: it is built in whichever worker asks first.)"""
    def build(folder: Path) -> None:
        shutil.copytree(FIXTURE_SITE, folder / "content")
        build_paper(folder / "content", folder / "output", image_cache, "the fixture site")

    return Site(built_once_per_run(tmp_path_factory, "fixture-site", build) / "output")


@pytest.fixture
def build_site(tmp_path, site_content, monkeypatch, image_cache):
    """build_site(content=None, epoch=BUILD_EPOCH, conf="pelicanconf.py", **settings) -> Site."""
    counter = iter(range(1000))

    def build(content: Path | None = None, epoch: int = BUILD_EPOCH, conf: str = "pelicanconf.py", output: Path | None = None, **overrides) -> Site:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
        out = output or tmp_path / f"output{next(counter)}"
        overrides.setdefault("NEWSROOM_IMAGES_CACHE", str(image_cache))
        settings = load_settings(content or site_content, out, conf, **overrides)
        pelican = NewsroomPelican(settings)
        pelican.run()
        return Site(out, build_report(pelican))

    return build


def write_article(content: Path, name: str, text: str) -> Path:
    path = content / "articles" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.lstrip(), encoding="utf-8")
    return path


def as_headline(typed: str) -> str:
    """A plain headline (no markup) as readers see it: with the punctuation the library's own smarty
    (not the build's one-pass form) gives the same words in a story, as characters."""
    html = markdown.markdown(typed, extensions=["markdown.extensions.smarty"])
    return unescape(html.removeprefix("<p>").removesuffix("</p>"))

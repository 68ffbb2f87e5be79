"""The browser editor end to end, as an editor uses it: `make edit` on a fresh clone, /admin/ in Chromium.

One clone and one `make edit` serve the whole module (it shares this checkout's .venv and the editor's
node_modules, so nothing is installed). The tests then do what a newsroom does: write a story with a lead
picture and a picture with a caption in the story and publish it; change the fighting fund's figure; try to
publish a picture without a text alternative. Each publication must be a commit in the clone, pass
`make check` there, and show in the preview once it has rebuilt. The last test stops `make edit` as Ctrl-C
does and checks that nothing is left running.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browser.conftest import DESKTOP, SCREENSHOTS
from conftest import REPO

pytestmark = pytest.mark.browser

EDITOR_MODULES = Path("plugins") / "newsroom_editor" / "node_modules"
STARTUP = 240  # seconds: `make edit` builds the whole sample paper before it says where the editor is
REBUILD = 90  # seconds for a publication to be committed, and to reach the preview
IDENTITY = {"GIT_AUTHOR_NAME": "Test Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
            "GIT_COMMITTER_NAME": "Test Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_until(predicate, seconds: float, what: str, page=None):
    """Poll `predicate` until it returns something true; fail with `what` when `seconds` pass first (with a
    screenshot of `page`, if given, in test-output/screenshots/editor-gave-up.png)."""
    deadline = time.monotonic() + seconds
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            if page is not None:
                page.screenshot(path=SCREENSHOTS / "editor-gave-up.png", full_page=True)
            pytest.fail(f"gave up waiting: {what}")
        if page is not None:
            page.wait_for_timeout(200)  # lets Playwright pass on the page's events meanwhile
        else:
            time.sleep(0.2)


@dataclass
class Editing:
    """A clone of the repository with `make edit` running in it."""

    repo: Path
    port: int
    editor_port: int
    process: subprocess.Popen
    lines: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return "".join(self.lines)

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=self.repo, capture_output=True, text=True, check=True,
                              env={**os.environ, **IDENTITY}).stdout

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def fetch(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, OSError):
            return None

    def make(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["make", "--no-print-directory", *args, f"VENV={REPO / '.venv'}"], cwd=self.repo,
                              capture_output=True, text=True, timeout=300)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def clone(tmp: Path) -> Path:
    """A clone of this repository on a branch of its own, sharing the installed .venv and node_modules."""
    repo = tmp / "paper"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(repo)], check=True)
    for args in (["checkout", "--quiet", "-B", "newsroom"], ["config", "user.name", IDENTITY["GIT_AUTHOR_NAME"]],
                 ["config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"]]):
        subprocess.run(["git", *args], cwd=repo, check=True)
    modules = REPO / EDITOR_MODULES
    if not (modules / "decap-server").is_dir():
        pytest.fail(f"the editor's npm packages are not installed in {modules}: run `make install`", pytrace=False)
    # Hard links (a real folder, so git ignores it as it ignores node_modules/): the clone's npm ci is not run.
    shutil.copytree(modules, repo / EDITOR_MODULES, symlinks=True, copy_function=os.link)
    # make compares times: files the clone wrote just now would look newer than what .venv and
    # node_modules were installed from, and install everything again.
    for name in ("requirements.txt", "requirements-test.txt", "plugins/newsroom_editor/package-lock.json"):
        stat = (REPO / name).stat()
        os.utime(repo / name, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return repo


@pytest.fixture(scope="module")
def editing(tmp_path_factory):
    repo = clone(tmp_path_factory.mktemp("editor-e2e"))
    port, editor_port = free_port(), free_port()
    # No SOURCE_DATE_EPOCH: the editor dates a new story "now" by the wall clock, and so does the preview.
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    process = subprocess.Popen(
        ["make", "--no-print-directory", "edit", f"PORT={port}", f"EDITOR_PORT={editor_port}", f"VENV={REPO / '.venv'}"],
        cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True, env=env,
    )
    session = Editing(repo, port, editor_port, process)
    announced = threading.Event()

    def read():
        for line in iter(process.stdout.readline, ""):
            session.lines.append(line)
            if line.startswith("newsroom: the editor is at "):
                announced.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not announced.wait(STARTUP):
            pytest.fail(f"make edit never said where the editor is:\n{session.output()}")
        yield session
    finally:
        session.stop()
        reader.join(timeout=5)


@dataclass
class Admin:
    """A browser tab on the editor, and what it did that a test asserts on."""

    page: object
    timezone: str
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)


@pytest.fixture
def admin(chromium, editing):
    """A tab on /admin/, logged in to the local backend, in the paper's timezone (the editor dates stories
    by the browser's clock). Console errors and requests to other hosts are recorded."""
    timezone = re.search(r'^TIMEZONE = "([^"]+)"', (editing.repo / "pelicanconf.py").read_text(), re.M).group(1)
    context = chromium.new_context(viewport=DESKTOP, timezone_id=timezone)
    context.set_default_timeout(30_000)
    page = context.new_page()
    tab = Admin(page, timezone)
    local = ("http://127.0.0.1:", "data:", "blob:", "about:")
    page.on("console", lambda m: m.type == "error" and tab.console_errors.append(m.text))
    page.on("pageerror", lambda error: tab.console_errors.append(f"uncaught: {error}"))
    page.on("request", lambda r: r.url.startswith(local) or tab.outside_requests.append(r.url))
    # A pattern the browser's side matches by itself: a Python function would hold every request until the
    # test next calls Playwright, and the test spends its waits polling git.
    context.route(re.compile(r"^(?!http://127\.0\.0\.1:|data:|blob:|about:)"), lambda route: route.abort())
    page.goto(editing.url + "/admin/")
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="Middle East story").wait_for()
    yield tab
    context.close()


def picture_file(tmp_path: Path, source: str, name: str) -> Path:
    """A picture from the sample paper under a new name, as a photographer's file would arrive."""
    path = tmp_path / name
    shutil.copyfile(REPO / "content" / "images" / source, path)
    return path


def upload(page, chooser, path: Path) -> None:
    """Through the media library: "Choose an image", "Upload", then "Choose selected"."""
    chooser.click()
    page.locator("input[type=file]").set_input_files(path)
    page.get_by_role("button", name="Choose selected").click()


def publish(page) -> None:
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_role("menuitem", name="Publish now").click()


def new_commit(editing: Editing, before: str, path_prefix: str, admin: Admin) -> dict[str, str]:
    """Wait for a commit after `before` and return {path: status} of what it changed."""
    wait_until(lambda: editing.head() != before, REBUILD,
               f"a commit after Publish\n{admin.console_errors}\n{editing.output()}", admin.page)
    commits = editing.git("log", "--format=%H %s", f"{before}..HEAD").splitlines()
    assert len(commits) == 1, f"one Publish, one commit: {commits}"
    changed = editing.git("show", "--name-status", "--format=", "HEAD").splitlines()
    files = {line.split("\t")[-1]: line.split("\t")[0] for line in changed}
    assert any(p.startswith(path_prefix) for p in files), files
    return files


def srcset_widths(img) -> list[str]:
    return [candidate.split()[-1] for candidate in img["srcset"].split(",")]


def reference_page(editing: Editing, selector: str, exclude: str) -> BeautifulSoup:
    """A sample article of the preview with `selector` (a lead picture, a story figure), to compare with."""
    for page in sorted((editing.repo / "output").glob("*/*/index.html")):
        if exclude in str(page):
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if soup.select_one(selector):
            return soup
    pytest.fail(f"no sample article in the preview has {selector}")


def test_a_story_written_in_the_browser_is_committed_passes_make_check_and_is_built(editing, admin, tmp_path):
    page = admin.page
    assert admin.console_errors == [], "the editor loaded with errors"
    assert admin.outside_requests == [], "the editor asked another host for something"
    lead = picture_file(tmp_path, "flooded-street.jpg", "camp-mains-lead.jpg")
    inline = picture_file(tmp_path, "classroom.jpg", "camp-school-tent.jpg")
    before = editing.head()

    page.get_by_role("link", name="Middle East story").click()
    page.get_by_label("Headline").fill("Water returns to the northern camps")
    page.get_by_label("Standfirst (optional)").fill("Engineers restored the mains a week before the winter rains.")
    page.get_by_label("Byline (optional)").fill("Amira Haddad")
    page.keyboard.press("Enter")
    page.get_by_label("Remove Staff reporter").click()
    page.get_by_label("Topics (optional)").fill("Gaza, Water")
    page.get_by_label("Status (optional)").fill("published")
    page.keyboard.press("Enter")
    upload(page, page.get_by_role("button", name="Choose an image"), lead)
    page.get_by_label("Lead picture: text alternative (optional)").fill("A terraced street under flood water")
    story = page.locator("[contenteditable=true]")
    story.click()
    page.keyboard.type('Water came back to the camp on Tuesday. "We waited three weeks for this," said one engineer.')
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Add Component").click()
    page.get_by_role("menuitem", name="Picture").click()
    upload(page, page.get_by_role("button", name="Choose an image"), inline)
    page.get_by_label("Text alternative", exact=True).fill("Children at desks in a tent school")
    page.get_by_label("Caption (optional)", exact=True).fill("The camp school reopened on Monday")
    page.get_by_label("Credit (optional)", exact=True).fill("Photograph: Dana Okafor")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "editor-new-story-1280.png")
    publish(page)

    # A new commit holding the story and both pictures, in the format the site reads.
    files = new_commit(editing, before, "content/articles/middle-east/", admin)
    [article] = [p for p in files if p.startswith("content/articles/middle-east/")]
    assert re.fullmatch(r"content/articles/middle-east/\d{4}-\d\d-\d\d-water-returns-to-the-northern-camps\.md", article)
    assert files == {article: "A", "content/images/camp-mains-lead.jpg": "A", "content/images/camp-school-tent.jpg": "A"}
    text = (editing.repo / article).read_text(encoding="utf-8")
    head, body = text.split("\n\n", 1)
    meta = dict(line.split(": ", 1) for line in head.splitlines())
    assert meta["Title"] == "Water returns to the northern camps"
    assert meta["Slug"] == "water-returns-to-the-northern-camps"
    assert meta["Category"] == "Middle East" and meta["Authors"] == "Amira Haddad" and meta["Tags"] == "Gaza, Water"
    assert meta["Summary"] == "Engineers restored the mains a week before the winter rains."
    assert meta["Status"] == "published"
    assert meta["Image"].endswith("images/camp-mains-lead.jpg") and meta["Image_alt"] == "A terraced street under flood water"
    assert '"We waited three weeks for this,"' in body
    assert (editing.repo / "content/images/camp-school-tent.jpg").read_bytes() == inline.read_bytes()
    assert editing.git("status", "--porcelain") == "", "Publish committed everything it wrote"

    check = editing.make("check")
    assert check.returncode == 0, check.stderr
    assert "newsroom: content OK" in check.stderr

    # The preview rebuilds by itself; then the story is there as readers will see it.
    url = "/middle-east/water-returns-to-the-northern-camps/"
    wait_until(lambda: editing.fetch(url), REBUILD, f"the story in the preview\n{editing.output()}")
    reader = page.context.new_page()
    reader.goto(editing.url + url)
    opening = reader.locator(".nr-article__body .nr-article__opening").first
    assert opening.text_content() == "Water"
    assert opening.inner_text() == "WATER", "the opening word is set in capitals"
    paragraph = reader.locator(".nr-article__body p").first.inner_text()
    assert "\u201cWe waited three weeks for this,\u201d said one engineer." in paragraph
    soup = BeautifulSoup(reader.content(), "html.parser")

    lead_img = soup.select_one(".nr-article__figure img")
    assert lead_img["alt"] == "A terraced street under flood water"
    other_lead = reference_page(editing, ".nr-article__figure img", url).select_one(".nr-article__figure img")
    assert lead_img["sizes"] == other_lead["sizes"] and srcset_widths(lead_img) == srcset_widths(other_lead)
    assert all("camp-mains-lead" in c for c in lead_img["srcset"].split(","))
    assert soup.select_one(".nr-article__figure source[type='image/webp']")["srcset"].count("camp-mains-lead") == len(srcset_widths(lead_img))

    figure = soup.select_one(".nr-article__body figure.nr-story-figure")
    assert figure is not None, "the picture in the story is a figure"
    img = figure.select_one("img")
    assert img["alt"] == "Children at desks in a tent school" and img["loading"] == "lazy"
    other_figure = reference_page(editing, ".nr-article__body figure.nr-story-figure img", url).select_one(".nr-story-figure img")
    assert img["sizes"] == other_figure["sizes"] and srcset_widths(img) == srcset_widths(other_figure)
    assert figure.select_one("source[type='image/webp']") is not None
    caption = figure.select_one("figcaption")
    assert caption.get_text(" ", strip=True) == "The camp school reopened on Monday Photograph: Dana Okafor"
    assert caption.select_one(".nr-story-figure__credit").get_text(strip=True) == "Photograph: Dana Okafor"
    # Both pictures load in the browser, in one of their sizes.
    reader.evaluate("() => { for (const img of document.images) img.loading = 'eager'; }")
    for selector in (".nr-article__figure img", ".nr-story-figure img"):
        reader.locator(selector).scroll_into_view_if_needed()
        reader.wait_for_function("s => document.querySelector(s).complete && document.querySelector(s).naturalWidth > 0",
                                 arg=selector)
        assert "/images/sized/" in reader.locator(selector).evaluate("img => img.currentSrc")
    reader.screenshot(path=SCREENSHOTS / "editor-published-story-1280.png", full_page=True)


def test_the_fund_form_changes_the_figure_on_article_pages(editing, admin):
    page = admin.page
    before = editing.head()
    month = dt.datetime.now(zoneinfo.ZoneInfo(admin.timezone)).strftime("%Y-%m")
    page.goto(editing.url + "/admin/#/collections/data/entries/fighting-fund")
    raised = page.get_by_label("Raised so far")
    raised.wait_for()
    assert raised.input_value() != "12345"
    raised.fill("12345")
    page.get_by_label("Month the raised figure is for (optional)").fill(month)
    page.screenshot(path=SCREENSHOTS / "editor-fund-1280.png")
    publish(page)

    files = new_commit(editing, before, "content/data/fighting-fund.yml", admin)
    assert files == {"content/data/fighting-fund.yml": "M"}
    data = (editing.repo / "content/data/fighting-fund.yml").read_text(encoding="utf-8")
    assert "raised: 12345\n" in data and f"month: {month}\n" in data
    assert data.startswith("# "), "the file's comments are kept"
    check = editing.make("check")
    assert check.returncode == 0, check.stderr

    article = sorted((editing.repo / "content/articles/middle-east").glob("*.md"))[0]
    slug = re.search(r"^Slug: (.+)$", article.read_text(encoding="utf-8"), re.M).group(1)
    url = f"/middle-east/{slug}/"

    def new_figure():
        html = editing.fetch(url)
        return html and BeautifulSoup(html, "html.parser").select_one(".nr-fund__amount").get_text(strip=True) == "£12,345"

    wait_until(new_figure, REBUILD, f"the new figure on {url}\n{editing.output()}")
    reader = page.context.new_page()
    reader.goto(editing.url + url)
    assert reader.locator(".nr-fund .nr-fund__amount").first.inner_text() == "£12,345"


def test_a_lead_picture_without_alt_text_is_stopped_in_the_editor_and_nothing_is_committed(editing, admin, tmp_path):
    page = admin.page
    before = editing.head()
    picture = picture_file(tmp_path, "flooded-street.jpg", "no-words.jpg")
    page.get_by_role("link", name="Middle East story").click()
    page.get_by_label("Headline").fill("A picture without words")
    upload(page, page.get_by_role("button", name="Choose an image"), picture)
    publish(page)
    page.get_by_text("Not saved. The lead picture needs a text alternative").wait_for()
    assert page.get_by_text("Unsaved changes").is_visible()
    page.screenshot(path=SCREENSHOTS / "editor-alt-refused-1280.png")
    assert editing.head() == before, "nothing may be committed"
    assert editing.git("status", "--porcelain", "--untracked-files=all") == "", "nothing may be written"
    assert not (editing.repo / "content/images/no-words.jpg").exists()


def test_ctrl_c_stops_the_preview_and_decap_server(editing):
    assert listening(editing.editor_port) and listening(editing.port)
    editing.stop()
    assert editing.process.returncode is not None
    assert not listening(editing.editor_port), "decap-server outlived make edit"
    assert not listening(editing.port), "the preview outlived make edit"
    assert "Traceback" not in editing.output()

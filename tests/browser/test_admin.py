"""The browser editor at /admin/, in the system Chromium, on the sample paper.

A temporary git repository holds a copy of the sample paper's content on branch `main`; decap-server (from
plugins/newsroom_editor/node_modules, in git mode) serves it as the local backend; the site is built with
NEWSROOM_EDITOR_LOCAL_BACKEND pointing there and served over HTTP. The editor runs under its own
Content-Security-Policy (the <meta> the build writes, not bypassed here): any violation is a console
error and fails the test, and so does any request to another host.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import BUILD_EPOCH, REPO, NewsroomPelican, load_settings

pytestmark = pytest.mark.browser

DECAP_SERVER = REPO / "plugins" / "newsroom_editor" / "node_modules" / ".bin" / "decap-server"
SHOTS = REPO / "test-output" / "screenshots"
ARTICLE = "2026-08-27-iraqs-southern-marshes-shrink-again-in-summer-heat"
ARTICLE_FILE = f"content/articles/middle-east/{ARTICLE}.md"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass


@pytest.fixture(scope="module")
def editor(tmp_path_factory, image_cache):
    """(base URL of the built site, the repository decap-server commits to)."""
    if not DECAP_SERVER.exists():
        pytest.fail("decap-server is missing: run `make install` (npm ci in plugins/newsroom_editor)", pytrace=False)
    root = tmp_path_factory.mktemp("editor")
    repo = root / "repo"
    shutil.copytree(REPO / "content", repo / "content")
    git(repo.parent, "init", "-q", "-b", "main", str(repo))
    git(repo, "-c", "user.name=Test", "-c", "user.email=test@localhost", "add", "content")
    git(repo, "-c", "user.name=Test", "-c", "user.email=test@localhost", "commit", "-q", "-m", "The sample paper")
    port = free_port()
    env = {**os.environ, "MODE": "git", "GIT_REPO_DIRECTORY": str(repo), "PORT": str(port),
           "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@localhost",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@localhost"}
    server = subprocess.Popen([str(DECAP_SERVER)], env=env, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    api = f"http://127.0.0.1:{port}/api/v1"
    for _ in range(100):
        try:
            request = urllib.request.Request(api, data=json.dumps({"action": "info"}).encode(),
                                             headers={"Content-Type": "application/json"})
            if json.load(urllib.request.urlopen(request, timeout=1)).get("type") == "local_git":
                break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail(f"decap-server did not start: {server.stdout.read().decode()}", pytrace=False)
    output = root / "output"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(BUILD_EPOCH))
        NewsroomPelican(load_settings(repo / "content", output, NEWSROOM_EDITOR=True, NEWSROOM_EDITOR_LOCAL_BACKEND=api,
                                      NEWSROOM_SEARCH=False, NEWSROOM_IMAGES_CACHE=str(image_cache))).run()
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(output)))
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{site.server_address[1]}", repo, port
    site.shutdown()
    site.server_close()
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def admin(chromium, editor):
    """A tab on /admin/, logged in to the local backend, recording console errors and outside requests."""
    base, _repo, port = editor
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    allowed = (base + "/", f"http://127.0.0.1:{port}/", "blob:", "data:", "about:")
    page.on("request", lambda r: None if r.url.startswith(allowed) else outside.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    context.route(lambda url: not url.startswith(allowed), lambda route: route.abort())
    page.goto(base + "/admin/")
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="Middle East").first.wait_for()
    yield page, errors, outside, base
    context.close()


def test_the_editor_lists_every_section_and_the_data_files_with_nothing_from_elsewhere(admin):
    page, errors, outside, _ = admin
    # The first collection's stories, newest first (sortable_fields: Date, descending).
    page.get_by_text("Gaza engineers race to restore water before the winter rains").wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-collections-1280.png"))
    links = [name.strip() for name in page.locator("a[href^='#/collections/']").all_inner_texts()]
    assert links[:3] == ["Middle East", "Europe", "Americas"]  # the desks' order, from NEWSROOM_DESKS
    for label in ("Politics", "Sport", "Pages", "Appeals and banner", "Authors"):
        assert label in links, label
    assert errors == [] and outside == []


def test_an_article_opens_with_its_fields_and_the_preview_in_the_house_style(admin, editor):
    page, errors, outside, base = admin
    page.goto(f"{base}/admin/#/collections/section-middle-east/entries/{ARTICLE}")
    headline = page.get_by_label("Headline")
    headline.wait_for()
    assert headline.input_value() == "Iraq's southern marshes shrink again in summer heat"
    assert page.get_by_label("Address (slug)").input_value() == "iraqs-southern-marshes-shrink-again-in-summer-heat"
    assert page.get_by_label("Standfirst").input_value().startswith("Buffalo herders in the Mesopotamian marshes")
    assert page.get_by_label("Lead picture: text alternative").input_value().startswith("Illustration of a traditional")
    preview = page.frame_locator("iframe").first
    opening = preview.locator(".nr-article__opening")
    opening.wait_for()
    assert opening.inner_text() in ("The", "THE")
    # Set in capitals by the site's own stylesheet, loaded into the preview by its fingerprinted name.
    assert opening.evaluate("e => getComputedStyle(e).textTransform") == "uppercase"
    assert preview.locator(".nr-article__headline").inner_text() == "Iraq\u2019s southern marshes shrink again in summer heat"
    assert preview.locator(".nr-article__section").inner_text() == "Middle East"
    assert preview.locator(".nr-byline").inner_text().startswith("By Amira Haddad and Yusuf Darwish")
    assert "\u201cLast year I sold twelve animals." in preview.locator(".nr-article__body").inner_text()
    page.screenshot(path=str(SHOTS / "admin-article-1280.png"))
    assert errors == [] and outside == []


def test_a_save_the_validator_would_refuse_is_stopped_with_nothing_committed(admin, editor):
    page, errors, _outside, base = admin
    _base, repo, _port = editor
    before = git(repo, "rev-parse", "HEAD")
    page.goto(f"{base}/admin/#/collections/section-middle-east/entries/{ARTICLE}")
    page.get_by_label("Headline").wait_for()
    page.get_by_label("Correction").fill("An earlier version gave the wrong figure.")
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()
    message = page.get_by_text("A correction is dated by")
    message.wait_for()
    assert git(repo, "rev-parse", "HEAD") == before
    # Decap logs the refusal it shows, and rejects its save promise with the error's object.
    assert errors and [e for e in errors if "Not saved." not in e and e != "uncaught: Object"] == []


def test_a_changed_standfirst_is_committed_as_that_one_line(admin, editor):
    page, errors, _outside, base = admin
    _base, repo, _port = editor
    page.goto(f"{base}/admin/#/collections/section-middle-east/entries/{ARTICLE}")
    page.get_by_label("Standfirst").wait_for()
    page.get_by_label("Standfirst").fill("Herders say the water has retreated further than at any time since the 1990s.")
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()
    page.get_by_text("Changes saved").first.wait_for()
    diff = git(repo, "show", "--format=", "--unified=0", "HEAD", "--", ARTICLE_FILE)
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [
        "-Summary: Buffalo herders in the Mesopotamian marshes say the water has retreated further this year than at "
        "any time since the drainage of the 1990s.",
        "+Summary: Herders say the water has retreated further than at any time since the 1990s.",
    ]
    assert errors == []


def test_a_new_story_gets_its_slug_and_file_name_from_the_headline(admin, editor):
    page, errors, _outside, base = admin
    _base, repo, _port = editor
    page.goto(f"{base}/admin/#/collections/section-europe/new")
    page.get_by_label("Headline").wait_for()
    page.get_by_label("Headline").fill("Rail unions win a four-day week")
    page.get_by_label("Standfirst").fill('Drivers said "it took ten years".')
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()
    page.get_by_text("Changes saved").first.wait_for()
    [added] = [line for line in git(repo, "show", "--name-only", "--format=", "HEAD").splitlines() if line]
    assert added.startswith("content/articles/europe/") and added.endswith("-rail-unions-win-a-four-day-week.md")
    text = (repo / added).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[:2] == ["Title: Rail unions win a four-day week", "Slug: rail-unions-win-a-four-day-week"]
    assert lines[2].startswith("Date: ") and lines[3:] == [
        "Category: Europe", 'Summary: Drivers said "it took ten years".', "Authors: Staff reporter", "Status: draft"]
    assert added[len("content/articles/europe/"):][:10] == lines[2][6:16]  # named by its date, as `make new` does
    assert errors == []
    # The validator stays the judge, and it accepts what the editor wrote.
    from newsroom_checks.site import check_site
    import datetime as dt

    settings = load_settings(repo / "content", repo / "output", NEWSROOM_EDITOR=True)
    problems = [p for p in check_site(settings, dt.date(2026, 12, 6)).problems if p.is_error or added in p.path]
    assert problems == []


def test_the_fund_form_changes_the_raised_figure_and_keeps_the_files_comments(admin, editor):
    page, errors, _outside, base = admin
    _base, repo, _port = editor
    before = (repo / "content" / "data" / "fighting-fund.yml").read_text(encoding="utf-8")
    page.goto(f"{base}/admin/#/collections/data/entries/fighting-fund")
    raised = page.get_by_label("Raised so far")
    raised.wait_for()
    assert raised.input_value() == "7798" and page.get_by_label("Currency").input_value() == "GBP"
    page.screenshot(path=str(SHOTS / "admin-fund-1280.png"))
    raised.fill("8123.50")
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()
    page.get_by_text("Changes saved").first.wait_for()
    after = (repo / "content" / "data" / "fighting-fund.yml").read_text(encoding="utf-8")
    assert after == before.replace("raised: 7798\n", "raised: 8123.5\n")
    assert "fighting-fund.yml" in git(repo, "show", "--name-only", "--format=", "HEAD")
    assert errors == []


def test_a_story_picture_opens_in_the_picture_button_and_previews_as_a_figure(admin):
    page, errors, _outside, base = admin
    page.goto(f"{base}/admin/#/collections/section-environment/entries/"
              "2026-11-01-the-village-at-the-edge-living-with-a-retreating-coast")
    alt = page.get_by_label("Text alternative", exact=True)
    alt.wait_for()
    assert alt.input_value().startswith("Illustration of four small fishing boats")
    assert page.get_by_label(re.compile(r"^Caption")).input_value().endswith("one still does.")
    assert page.get_by_label(re.compile(r"^Credit")).input_value() == "Illustration: The Common Ledger"
    figure = page.frame_locator("iframe").first.locator(".nr-article__body figure.nr-story-figure")
    figure.wait_for()
    assert figure.locator(".nr-story-figure__credit").inner_text() == "Illustration: The Common Ledger"
    assert "Holmwick\u2019s beach" in figure.locator("figcaption").inner_text()
    alt.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "admin-picture-1280.png"))
    assert errors == []


def test_the_authors_file_opens_as_a_list_of_bylines(admin):
    page, errors, _outside, base = admin
    page.goto(f"{base}/admin/#/collections/people/entries/authors")
    page.get_by_text("Amira Haddad").first.wait_for()
    body = page.inner_text("body")
    for name in ("Amira Haddad", "Dana Okafor", "Editorial board"):
        assert name in body, name
    assert errors == []


def test_an_arabic_story_is_previewed_right_to_left(admin):
    page, errors, _outside, base = admin
    page.goto(f"{base}/admin/#/collections/section-middle-east/entries/2026-11-18-gaza-fishermen-arabic")
    article = page.frame_locator("iframe").first.locator("article.nr-article")
    article.wait_for()
    assert (article.get_attribute("lang"), article.get_attribute("dir")) == ("ar", "rtl")
    assert errors == []


def test_the_breaking_banner_goes_up_from_its_form_after_the_files_comments(admin, editor):
    page, errors, _outside, base = admin
    _base, repo, _port = editor
    path = repo / "content" / "data" / "breaking.yml"
    before = path.read_text(encoding="utf-8")
    page.goto(f"{base}/admin/#/collections/data/entries/breaking")
    page.get_by_label(re.compile(r"^Headline")).wait_for()
    page.get_by_label(re.compile(r"^Headline")).fill("Severn floods: river peaks in Shrewsbury")
    page.get_by_label(re.compile(r"^Link")).fill("/environment/severn-floods-live/")
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()
    page.get_by_text("Changes saved").first.wait_for()
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)  # the file's explanations stay, the banner's lines follow them
    assert yaml.safe_load(after) == {"headline": "Severn floods: river peaks in Shrewsbury", "link": "/environment/severn-floods-live/"}
    assert errors == []

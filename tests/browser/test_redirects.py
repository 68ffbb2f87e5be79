"""A moved article's old URL, followed in Chromium: the reader lands on the story at its new URL.

The sample paper is copied into a git repository of its own and committed; a sub-editor then changes one
published story's Slug and another's section in a commit of their own (as a browser editor's commit would
arrive: no local tool ran), and the site is built from that repository, as CI builds it.
"""

from __future__ import annotations

import pytest

from conftest import BUILD_EPOCH, REPO, NewsroomPelican, Site, load_settings
from moved_sites import commit, paper_repo, set_meta

from .conftest import DESKTOP, SCREENSHOTS, _serve, _stop

pytestmark = pytest.mark.browser

DAY = 86400
MOVES = {
    # file -> (metadata change, old URL, new URL)
    "articles/politics/2026-11-23-ministers-concede-on-council-housing-borrowing-after-backbench-revolt.md": (
        ("Slug", "council-housing-borrowing-concession"),
        "/politics/ministers-concede-on-council-housing-borrowing-after-backbench-revolt/",
        "/politics/council-housing-borrowing-concession/"),
    "articles/middle-east/2026-11-18-gaza-fishermen-arabic.md": (
        ("Category", "Asia"), "/middle-east/gaza-fishermen-arabic/", "/asia/gaza-fishermen-arabic/"),
}


@pytest.fixture(scope="module")
def moved_paper(tmp_path_factory, image_cache):
    root = tmp_path_factory.mktemp("moved-paper")
    repo = paper_repo(root / "paper", REPO / "content", BUILD_EPOCH - 2 * DAY)
    for name, ((key, value), _, _) in MOVES.items():
        set_meta(repo / "content" / name, key, value)
    commit(repo, "New URLs for two stories", BUILD_EPOCH - DAY)
    out = root / "output"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(BUILD_EPOCH))
        NewsroomPelican(load_settings(repo / "content", out, NEWSROOM_IMAGES_CACHE=str(image_cache),
                                      NEWSROOM_SEARCH=False)).run()
    server, thread = _serve(out, "moved-paper-server")
    yield Site(out), f"http://127.0.0.1:{server.server_address[1]}"
    _stop(server, thread)


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
@pytest.mark.parametrize("name", list(MOVES), ids=["slug", "section"])
def test_following_an_old_url_lands_on_the_story_at_its_new_url(chromium, moved_paper, name, javascript):
    site, base = moved_paper
    _, old, new = MOVES[name]
    headline = site.soup(new).select_one("h1").get_text(strip=True)
    context = chromium.new_context(viewport=DESKTOP, java_script_enabled=javascript)
    page = context.new_page()
    errors, outside, statuses = [], [], []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("request", lambda request: request.url.startswith(base) or request.url.startswith("data:")
            or outside.append(request.url))
    page.on("response", lambda response: statuses.append((response.url, response.status)))
    try:
        page.goto(base + old, wait_until="load")
        page.wait_for_url(base + new, timeout=10_000)
        page.wait_for_load_state("load")
        assert page.locator("h1").first.inner_text().strip() == headline
        assert page.evaluate("document.querySelector('link[rel=canonical]').href").endswith(new)
        # The old URL was answered by its redirect page, the new one by the story; nothing else failed.
        assert (base + old, 200) in statuses and (base + new, 200) in statuses
        assert [s for s in statuses if s[1] >= 400] == [] and errors == [] and outside == []
        # Back goes to where the reader came from, not to the redirect page again and again.
        assert page.evaluate("history.length") <= 3
    finally:
        context.close()


def test_the_redirect_page_offers_a_link_for_readers_whose_browser_does_not_refresh(chromium, moved_paper):
    """What a reader sees on the old URL when the refresh is not followed (some browsers let readers turn
    it off): the story's headline as a link, on a phone's screen, that leads to the story."""
    site, base = moved_paper
    _, old, new = MOVES[next(iter(MOVES))]
    context = chromium.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    page = context.new_page()

    def without_refresh(route):
        response = route.fetch()
        body = response.text()
        assert 'http-equiv="refresh"' in body
        route.fulfill(response=response, body="\n".join(line for line in body.splitlines() if "http-equiv" not in line))

    page.route(base + old, without_refresh)
    try:
        page.goto(base + old, wait_until="load")
        link = page.locator("main a")
        assert link.get_attribute("href") == new
        assert link.inner_text() == site.soup(new).select_one("h1").get_text(strip=True)
        box = link.bounding_box()
        assert box and box["width"] > 0 and box["x"] + box["width"] <= 375  # visible, within a phone's width
        link.click()
        page.wait_for_url(base + new)
        page.screenshot(path=str(SCREENSHOTS / "redirect-followed-375.png"))
    finally:
        context.close()

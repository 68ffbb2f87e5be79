"""A live blog in the reader's browser: new updates arrive while the page is open, without a reload and
without moving what the reader is reading; the page is complete without JavaScript; axe finds nothing.

The sample paper is copied and built once for this module (with the suite's clock, at which the Severn
floods blog is live and the nurses' ballot blog has ended), served, and rebuilt into the same folder after
the test writes two updates into the live blog's Markdown. The page's timer is Playwright's clock, so the
test moves time on instead of waiting for the poll.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import BUILD_EPOCH, REPO, load_settings, NewsroomPelican, Site

from .conftest import AXE_JS, CHROMIUM_ARGS, DESKTOP, LOAD_EVERYTHING, SCREENSHOTS, _serve, _stop
from .test_pages import RUN_AXE, WCAG_AA_TAGS, format_violations

pytestmark = pytest.mark.browser

LIVE = "/environment/severn-floods-live/"
ENDED = "/workplace/nurses-strike-ballot-results-live/"
LIVE_FILE = "articles/environment/2026-11-25-severn-floods-live.md"
NEW_UPDATES = """
## 09:40 Bewdley bridge closed to traffic | by Rhiannon Price

Police have closed the bridge in Bewdley to cars while engineers check the barriers.

## 09:45 Peak expected within the hour | key event | by Callum Reid

The Environment Agency now expects the river at Bewdley to peak before eleven.
"""


def build(content, out, image_cache):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(BUILD_EPOCH))
        NewsroomPelican(load_settings(content, out, NEWSROOM_IMAGES_CACHE=str(image_cache), NEWSROOM_SEARCH=False)).run()
    return Site(out)


@pytest.fixture(scope="module")
def paper(tmp_path_factory, image_cache):
    root = tmp_path_factory.mktemp("live-paper")
    content = root / "content"
    shutil.copytree(REPO / "content", content)
    site = build(content, root / "output", image_cache)
    server, thread = _serve(site.output, "live-paper-server")
    yield content, site, f"http://127.0.0.1:{server.server_address[1]}", image_cache
    _stop(server, thread)


@pytest.fixture
def browser_page(chromium):
    contexts = []

    def open_page(java_script=True, scheme="light", viewport=DESKTOP):
        context = chromium.new_context(viewport=viewport, color_scheme=scheme, bypass_csp=True, java_script_enabled=java_script)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.errors = errors
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_a_live_page_receives_new_updates_without_a_reload_or_a_jump(paper, browser_page):
    content, site, base, image_cache = paper
    page = browser_page()
    page.clock.install()
    page.goto(base + LIVE, wait_until="load")
    page.evaluate("window.nrSameDocument = true")
    before_ids = page.eval_on_selector_all("[data-nr-live-update]", "els => els.map(e => e.id)")
    assert len(before_ids) == 7
    # The reader is down the page, reading the third update.
    reading = page.locator(f"#{before_ids[2]}")
    reading.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 40)")
    top_before = reading.evaluate("el => el.getBoundingClientRect().top")
    assert top_before < 400

    with open(content / LIVE_FILE, "a", encoding="utf-8") as f:
        f.write(NEW_UPDATES)
    build(content, site.output, image_cache)  # the same folder the page came from

    page.clock.run_for(60_000)  # past the page's poll interval (45 s)
    button = page.get_by_role("button", name="2 new updates")
    button.wait_for(state="visible")
    assert page.evaluate("window.nrSameDocument") is True  # no reload
    assert reading.evaluate("el => el.getBoundingClientRect().top") == top_before  # nothing moved
    region = page.locator("[aria-live=polite]")
    assert region.inner_text() == "2 new updates"
    assert page.locator("#update-2026-11-25-0945").count() == 0  # waiting behind the button

    button.click()
    ids = page.eval_on_selector_all("[data-nr-live-update]", "els => els.map(e => e.id)")
    assert ids[:2] == ["update-2026-11-25-0945", "update-2026-11-25-0940"] and ids[2:] == before_ids
    assert "Peak expected within the hour" in page.locator("#update-2026-11-25-0945 h3").inner_text()
    assert "New update: 09:45 Peak expected within the hour" in region.inner_text()
    keys = page.eval_on_selector_all(".nr-live__key-link", "els => els.map(e => e.getAttribute('href'))")
    assert keys[0] == "#update-2026-11-25-0945"
    assert button.is_hidden()
    assert page.locator("[data-nr-live-status] time").inner_text() == "09:45"  # the last update's time
    assert page.evaluate("window.nrSameDocument") is True
    assert not page.errors


def without_newest_update(site):
    """The live page as built before its newest update (which updates.json has), and that update's id."""
    built = site.soup(LIVE)
    newest = built.select_one("[data-nr-live-update]")
    newest_id = newest["id"]
    newest.decompose()
    return built, newest_id


def serve_instead(page, url, built):
    """The tab gets `built` at `url` instead of the file on disk."""
    page.route(url, lambda route: route.fulfill(response=route.fetch(), body=str(built)))


def test_a_reader_at_the_top_gets_new_updates_in_place(paper, browser_page):
    _, site, base, _ = paper
    page = browser_page()
    built, newest_id = without_newest_update(site)
    serve_instead(page, base + LIVE, built)
    page.clock.install()
    page.goto(base + LIVE, wait_until="load")
    assert page.locator(f"#{newest_id}").count() == 0
    page.clock.run_for(60_000)
    page.wait_for_selector(f"#{newest_id}")
    assert page.eval_on_selector("[data-nr-live-update]", "el => el.id") == newest_id
    assert page.locator(".nr-live__new").is_hidden()
    assert page.locator("[aria-live=polite]").inner_text().startswith("1 new update. New update:")
    assert not page.errors


def test_the_first_key_event_opens_the_key_events_box(paper, browser_page):
    _, site, base, _ = paper
    page = browser_page()
    built, newest_id = without_newest_update(site)
    box = built.select_one(".nr-live__key-events")
    for item in box.select(".nr-live__key-item"):
        item.decompose()
    box["hidden"] = ""  # the page as built while the blog had no key event yet

    def newest_is_key(route):
        response = route.fetch()
        data = response.json()
        assert data["updates"][0]["id"] == newest_id
        data["updates"][0]["key"] = True
        route.fulfill(response=response, json=data)

    serve_instead(page, base + LIVE, built)
    page.route("**/updates.json*", newest_is_key)
    page.clock.install()
    page.goto(base + LIVE, wait_until="load")
    assert page.locator(".nr-live__key-events").is_hidden()
    page.clock.run_for(60_000)
    page.wait_for_selector(f"#{newest_id}")
    assert page.locator(".nr-live__key-events").is_visible()
    links = page.eval_on_selector_all(".nr-live__key-link", "els => els.map(e => e.getAttribute('href'))")
    assert links == [f"#{newest_id}"]
    assert not page.errors


@pytest.mark.parametrize("url", [LIVE, ENDED])
def test_without_javascript_the_page_is_complete(paper, browser_page, url):
    _, site, base, _ = paper
    page = browser_page(java_script=False)
    page.goto(base + url, wait_until="load")
    built = site.soup(url)
    ids = [a["id"] for a in built.select("[data-nr-live-update]")]
    assert page.eval_on_selector_all("[data-nr-live-update]", "els => els.map(e => e.id)") == ids
    assert len(ids) >= 7
    for link in page.locator(".nr-live__key-link").all():
        target = link.get_attribute("href")
        assert page.locator(target).count() == 1
    assert page.locator(".nr-live__new").count() == 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", [LIVE, ENDED])
def test_axe_finds_nothing_on_live_pages(paper, browser_page, url, scheme):
    _, _, base, _ = paper
    page = browser_page(scheme=scheme)
    page.goto(base + url, wait_until="load")
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(RUN_AXE, WCAG_AA_TAGS)
    if violations:
        pytest.fail(f"axe-core on {url} ({scheme}):\n{format_violations(violations)}", pytrace=False)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("url", [LIVE, ENDED])
def test_screenshots(paper, browser_page, url, width, scheme):
    _, _, base, _ = paper
    page = browser_page(scheme=scheme, viewport={"width": width, "height": 900})
    page.goto(base + url, wait_until="load")
    page.evaluate(LOAD_EVERYTHING)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = "live" if url == LIVE else "live-ended"
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-{scheme}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

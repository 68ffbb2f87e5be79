"""The breaking-news banner as a reader's browser gets it: the sample paper with its example banner put up
(content/data/breaking.yml, uncommented), at 375 and 1280 px in light and dark mode. The bar sits right
under the masthead, fits the screen without sideways scrolling, passes axe, is a labelled region, and its
headline leads to the story. A page built before the expiry and read after it takes the banner down by the
reader's clock (main.js); with JavaScript off it is an ordinary part of the page. Screenshots of the front page and an article in test-output/screenshots/."""

from __future__ import annotations

import datetime as dt
import shutil
from urllib.parse import urlsplit

import pytest

from conftest import BUILD_EPOCH, REPO
from test_breaking import EXAMPLE_LINK, put_up_example

from .conftest import AXE_JS, INSTALL_HINT, SCREENSHOTS, _serve, _stop, build_paper
from .test_pages import RUN_AXE, TRANSITIONS_DONE, WCAG_AA_TAGS, format_violations
from .test_vnu import run_vnu, summarise

pytestmark = pytest.mark.browser

ARTICLE = "/europe/eu-states-scramble-to-meet-platform-work-deadline/"


@pytest.fixture(scope="module")
def banner_paper(tmp_path_factory, image_cache):
    """The sample paper with its example banner up, built with the suite's clock."""
    root = tmp_path_factory.mktemp("breaking-paper")
    shutil.copytree(REPO / "content", root / "content")
    put_up_example(root / "content", expires="2026-11-25 18:00")
    site = build_paper(root / "content", root / "output", image_cache, "the sample paper with a breaking banner")
    assert site.exists(ARTICLE) and site.exists(EXAMPLE_LINK)
    return site


@pytest.fixture(scope="module")
def banner_url(banner_paper):
    """The paper with the banner, served."""
    server, thread = _serve(banner_paper.output, "breaking-paper-server")
    yield f"http://127.0.0.1:{server.server_address[1]}"
    _stop(server, thread)


BUILT = dt.datetime.fromtimestamp(BUILD_EPOCH, dt.timezone.utc)  # the paper's clock, before the banner's expiry
EXPIRY = dt.datetime(2026, 11, 25, 18, 0, tzinfo=dt.timezone.utc)  # the banner_url paper's, in London time


def open_tab(chromium):
    """A tab whose clock reads the build's time, as a reader's would when the page was published (main.js
    takes the banner down by the reader's clock, and this machine's may be past the banner's expiry), and
    the list its console errors go to: the context, the page, the list."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, color_scheme="light", bypass_csp=True)
    context.set_default_timeout(15_000)
    errors: list[str] = []
    page = context.new_page()
    page.clock.set_fixed_time(BUILT)
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    return context, page, errors


@pytest.fixture
def tab(chromium, banner_url):
    """A tab of the test's own (see open_tab)."""
    context, page, errors = open_tab(chromium)
    yield page, banner_url, errors
    context.close()


@pytest.fixture(scope="module")
def shared_tabs(chromium, banner_url):
    """name -> a tab (see open_tab) kept for the module: the tests given one go to their page, set its size
    and scheme first, and only read it (boxes, pixels, axe), so one leaves nothing another reads. Its console
    errors are those of every test that used it so far."""
    tabs, contexts = {}, []

    def get(name):
        if name not in tabs:
            context, page, errors = open_tab(chromium)
            contexts.append(context)
            tabs[name] = page, banner_url, errors
        return tabs[name]

    yield get
    for context in contexts:
        context.close()


@pytest.mark.parametrize("path", ["/", ARTICLE], ids=["front", "article"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_banner_is_under_the_masthead_fits_and_passes_axe(shared_tabs, path, scheme, width):
    # One tab per page and width: loaded once at that width, then switched to this test's scheme (the
    # theme's colours are prefers-color-scheme media queries, which no script reads).
    page, base, errors = shared_tabs((path, width))
    page.emulate_media(color_scheme=scheme)
    if page.url != base + path:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(base + path, wait_until="load")
    page.evaluate(TRANSITIONS_DONE)
    banner = page.locator(".nr-breaking")
    assert banner.is_visible()
    assert page.get_by_role("region", name="Breaking news").count() == 1
    header, bar = page.locator(".nr-header").bounding_box(), banner.bounding_box()
    # Directly under the masthead, across the whole width, and in the first screen.
    assert abs(bar["y"] - (header["y"] + header["height"])) <= 1
    assert bar["x"] == 0 and abs(bar["width"] - width) <= 1 and bar["y"] + bar["height"] < 400
    for part in (".nr-breaking__label", ".nr-breaking__link"):
        box = page.locator(part).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{part} runs off the screen at {width} px"
    assert page.locator(".nr-breaking__link").bounding_box()["height"] >= 24  # WCAG 2.2 target size
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{path} is {scroll} px wide at {width} px with the banner"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = "front" if path == "/" else "article"
    page.screenshot(path=str(SCREENSHOTS / f"breaking-{name}-{width}-{scheme}.png"))

    assert AXE_JS.is_file(), f"axe-core is missing at {AXE_JS}: {INSTALL_HINT}"
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(RUN_AXE, WCAG_AA_TAGS)
    if violations:
        pytest.fail(f"axe-core on {path} with the banner ({scheme}, {width} px):\n{format_violations(violations)}",
                    pytrace=False)
    assert errors == []


# Every other page type of the sample paper (front and article are above).
OTHER_PAGES = {
    "section": "/middle-east/", "desk": "/world/", "author": "/author/amira-haddad/", "tag": "/tag/aid/",
    "archive": "/archive/", "month": "/archive/2026/11/", "page": "/about/", "feeds": "/feeds/", "search": "/search/",
    "corrections": "/corrections/", "404": "/404.html",
}


@pytest.mark.parametrize("kind", list(OTHER_PAGES))
def test_every_page_type_has_the_banner_fitting_at_375_px_and_passing_axe(shared_tabs, kind):
    page, base, all_errors = shared_tabs("every page type")  # one tab, each test going to its own page
    seen_before = len(all_errors)
    page.set_viewport_size({"width": 375, "height": 800})
    page.emulate_media(color_scheme="dark")
    response = page.goto(base + OTHER_PAGES[kind], wait_until="load")
    assert response.ok or kind == "404"
    assert page.locator(".nr-breaking__link").is_visible()
    header, bar = page.locator(".nr-header").bounding_box(), page.locator(".nr-breaking").bounding_box()
    assert abs(bar["y"] - (header["y"] + header["height"])) <= 1
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 375, f"the {kind} page is {scroll} px wide at 375 px with the banner"
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(RUN_AXE, WCAG_AA_TAGS)
    if violations:
        pytest.fail(f"axe-core on the {kind} page with the banner (dark, 375 px):\n{format_violations(violations)}",
                    pytrace=False)
    errors = all_errors[seen_before:]  # this page's
    assert [e for e in errors if "404" not in e] == []


def test_the_banner_leads_to_the_story_by_mouse_and_keyboard(tab):
    page, base, _ = tab
    page.goto(base + ARTICLE, wait_until="load")
    page.locator(".nr-breaking__link").click()
    page.wait_for_url(base + EXAMPLE_LINK)
    assert page.locator("h1").inner_text().startswith("Nurses at five hospital trusts")
    # From the top of a page: the skip link, the masthead's links, the sections, then the banner's headline.
    page.goto(base + "/", wait_until="load")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('nr-breaking__link')"):
            break
    else:
        pytest.fail("Tab never reached the banner's headline")
    visited_before = page.evaluate("[...document.querySelectorAll('a')].indexOf(document.activeElement)")
    main_links = page.evaluate("[...document.querySelectorAll('a')].findIndex(a => a.closest('main'))")
    assert visited_before < main_links  # it comes before the page's own content
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "breaking-focus-1280-light.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 200})
    page.keyboard.press("Enter")
    page.wait_for_url(base + EXAMPLE_LINK)
    assert urlsplit(page.url).path == EXAMPLE_LINK



def test_the_readers_clock_takes_the_banner_down_at_its_expiry(tab):
    page, base, errors = tab
    page.clock.install(time=EXPIRY - dt.timedelta(minutes=2))
    page.goto(base + ARTICLE, wait_until="load")
    assert page.locator(".nr-breaking").is_visible()
    page.clock.run_for(3 * 60 * 1000)  # a tab left open past the minute
    assert page.locator(".nr-breaking").is_hidden()
    page.clock.set_fixed_time(EXPIRY + dt.timedelta(hours=1))  # a page from a cache, read after it
    page.reload(wait_until="load")
    assert page.locator(".nr-breaking").is_hidden()
    assert errors == []


def test_without_javascript_the_banner_is_part_of_the_page(chromium, banner_url):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(banner_url + "/", wait_until="load")
    assert page.locator(".nr-breaking__link").is_visible()
    assert page.locator(".nr-breaking__link").get_attribute("href") == EXAMPLE_LINK
    context.close()


@pytest.mark.vnu
def test_every_page_with_the_banner_is_valid_html(banner_paper):
    folder = banner_paper.output
    pages = list(folder.rglob("*.html"))
    assert all('class="nr-breaking"' in p.read_text(encoding="utf-8") for p in pages)
    errors = [m for m in run_vnu(folder) if m.get("type") in ("error", "non-document-error")]
    assert errors == [], summarise(errors, folder, len(pages))

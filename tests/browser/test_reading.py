"""What only a browser shows: the capitals as read, the fund with and without JavaScript, right-to-left
layout and the print stylesheet."""

from __future__ import annotations

import pytest

from browser.conftest import DESKTOP

pytestmark = pytest.mark.browser

LEAD = "/middle-east/gaza-engineers-race-to-restore-water-before-the-winter-rains/"
ARABIC = "/middle-east/gaza-fishermen-arabic/"


@pytest.fixture
def open_page(chromium, base_url):
    contexts = []

    def open_page(path, *, javascript=True, clock=None, media=None):
        context = chromium.new_context(viewport=DESKTOP, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        if clock:
            page.clock.set_fixed_time(clock)
        if media:
            page.emulate_media(media=media)
        page.goto(base_url + path, wait_until="load")
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_opening_word_reads_in_capitals_but_the_text_keeps_its_case(open_page):
    page = open_page(LEAD)
    opening = page.locator(".nr-article__body .nr-article__opening")
    assert opening.count() == 1
    assert opening.inner_text() == "KHALED"  # what the reader sees
    assert opening.text_content() == "Khaled"  # what is copied, read aloud and indexed
    assert page.locator(".nr-article__body p").first.inner_text().startswith("KHALED Abu Samra has not slept")


def fund_shown(page) -> str:
    """The appeal's words as the reader sees them (inner_text leaves out the parts marked hidden)."""
    return " ".join(page.locator(".nr-fund").inner_text().split())


# The sample paper's fund is monthly with December's figures, and the suite builds it on 25 November: the
# page announces December's appeal, and the reader's clock moves it on.
def test_fund_without_javascript_shows_the_build_time_state(open_page):
    page = open_page(LEAD, javascript=False, clock="2026-12-02T10:00:00")
    text = fund_shown(page)
    assert text == "Our monthly fighting fund Our next appeal starts on 1 December"
    assert page.get_by_role("link", name="Donate today").count() == 0


@pytest.mark.parametrize("today,expected,absent", [
    ("2026-11-25T10:00:00", ["Our next appeal starts on 1 December"], ["raised", "We need", "Donate today"]),
    ("2026-12-01T00:30:00", ["You've raised £7,798", "We need £10,201", "30 days remaining", "Donate today"], ["ended"]),
    ("2026-12-30T23:30:00", ["1 day remaining"], ["ended"]),
    ("2026-12-31T08:00:00", ["Last day of the appeal", "We need £10,201"], ["ended", "0 days"]),
    ("2027-01-02T08:00:00", ["December's appeal has ended. Thank you. You raised £7,798"],
     ["We need", "Donate today", "remaining", "next appeal"]),
])
def test_fund_follows_the_readers_clock(open_page, today, expected, absent):
    page = open_page(LEAD, clock=today)
    text = fund_shown(page)
    for phrase in expected:
        assert phrase in text, text
    for phrase in absent:
        assert phrase not in text, text


def test_fund_read_on_the_first_of_the_next_month_announces_it(open_page):
    page = open_page(LEAD, clock="2027-01-01T08:00:00")
    assert fund_shown(page).endswith("December's appeal has ended. Thank you. You raised £7,798 Our next appeal starts on 1 January.")


def test_fund_on_a_clock_behind_the_build_keeps_the_built_state(open_page):
    page = open_page(LEAD, clock="2026-11-20T10:00:00")
    assert fund_shown(page) == "Our monthly fighting fund Our next appeal starts on 1 December"


def test_progress_bar_is_labelled(open_page):
    page = open_page("/support-us/", clock="2026-12-06T10:00:00")
    bar = page.get_by_role("progressbar", name="43% of the £17,999 target raised")
    assert bar.count() == 1


def test_reading_and_navigation_work_without_javascript(open_page):
    page = open_page("/", javascript=False)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Middle East").click()
    page.wait_for_url("**/middle-east/")
    page.locator(".nr-list .nr-list-item__link").first.click()
    page.wait_for_load_state("load")
    assert page.locator(".nr-article__body p").first.is_visible()
    assert page.locator("h1").count() == 1


def test_right_to_left_article_is_laid_out_right_to_left(open_page):
    page = open_page(ARABIC)
    article = page.locator("article.nr-article")
    assert article.evaluate("el => getComputedStyle(el).direction") == "rtl"
    # Where the first character of the story sits: at the right edge of its paragraph, as Arabic reads.
    where = page.evaluate("""() => {
        const p = document.querySelector('.nr-article__body p');
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {acceptNode: n => n.textContent.trim() ? 1 : 3});
        const text = walker.nextNode();
        const range = document.createRange();
        const start = text.textContent.search(/\\S/);
        range.setStart(text, start); range.setEnd(text, start + 1);
        const c = range.getBoundingClientRect(), box = p.getBoundingClientRect();
        return {fromRight: box.right - c.right, fromLeft: c.left - box.left};
    }""")
    assert where["fromRight"] < 12 and where["fromLeft"] > 100, where


def test_print_shows_the_article_without_navigation_or_appeals(open_page):
    page = open_page(LEAD, media="print")
    for selector in (".nr-nav", ".nr-footer", ".nr-fund", ".nr-promo", ".nr-share", ".nr-related"):
        assert page.locator(selector).first.is_hidden(), selector
    assert page.locator(".nr-article__body").is_visible()
    assert page.locator("h1").is_visible()


# Where the footer starts and ends and the window's height, in CSS pixels, with the page scrolled to `y`.
FOOTER_EDGES = """(y) => {
  scrollTo(0, y === "end" ? document.documentElement.scrollHeight : y);
  const box = document.querySelector("footer").getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, window: document.documentElement.clientHeight,
          page: document.documentElement.scrollHeight};
}"""


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 800}, {"width": 1280, "height": 900}], ids=["375", "1280"])
@pytest.mark.parametrize("path", ["/404.html", "/archive/"])
def test_a_short_page_keeps_its_footer_at_the_bottom_of_the_window(chromium, base_url, path, viewport):
    """No band of background under the footer. At 1280 px the page fits the window, so the footer ends at the
    window's bottom edge; at 375 px the header and the one-column footer alone are taller than 800 px, so the
    page scrolls and must end with the footer."""
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(base_url + path, wait_until="load")
    top, end = page.evaluate(FOOTER_EDGES, 0), page.evaluate(FOOTER_EDGES, "end")
    context.close()
    if viewport["width"] >= 1280:
        assert top["page"] <= top["window"], f"{path} no longer fits a {viewport} window: {top}"
        assert abs(top["bottom"] - top["window"]) <= 1, f"{path} at {viewport}: {top}"
    assert abs(end["bottom"] - end["window"]) <= 1, f"{path} at {viewport}, scrolled to the end: {end}"


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 800}, {"width": 1280, "height": 900}], ids=["375", "1280"])
def test_a_long_article_keeps_its_footer_below_the_fold(chromium, base_url, viewport):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(base_url + LEAD, wait_until="load")
    edges = page.evaluate(FOOTER_EDGES, 0)
    context.close()
    assert edges["top"] > edges["window"], f"{LEAD} at {viewport}: {edges}"


def test_dark_mode_changes_the_colours(chromium, base_url):
    colours = {}
    for scheme in ("light", "dark"):
        context = chromium.new_context(viewport=DESKTOP, color_scheme=scheme)
        page = context.new_page()
        page.goto(base_url + LEAD)
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        context.close()
    assert colours == {"light": "rgb(255, 255, 255)", "dark": "rgb(20, 20, 20)"}


@pytest.mark.parametrize("path", ["/", LEAD, ARABIC, "/middle-east/", "/world/", "/archive/", "/about/", "/support-us/", "/feeds/", "/404.html"])
def test_pages_run_under_the_content_security_policy(chromium, base_url, path):
    """The browser tests that inject axe bypass the CSP; here it is enforced, and nothing may break it."""
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    messages = []
    page.on("console", lambda msg: messages.append(msg.text))
    page.goto(base_url + path, wait_until="load")
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "script-src 'self' 'wasm-unsafe-eval';" in policy and "'unsafe-inline'" not in policy
    assert page.evaluate("document.documentElement.classList.contains('nr-js')"), "main.js did not run"
    violations = [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m]
    context.close()
    assert violations == []


def test_search_works_under_the_content_security_policy(chromium, base_url):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    messages = []
    page.on("console", lambda msg: messages.append(msg.text))
    page.goto(base_url + "/search/?q=desalination", wait_until="load")
    page.locator("main a[href*='/middle-east/gaza-engineers-race-to-restore-water-before-the-winter-rains/']").first.wait_for(timeout=15_000)
    violations = [m for m in messages if "Content Security Policy" in m]
    context.close()
    assert violations == []

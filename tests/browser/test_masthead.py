"""The masthead as a reader's browser lays it out, at 375x800 and 1280x900, on the sample paper and on the
300-article synthetic archive: the section row (one row on a desktop, one scrolling row with a visible
fade on a phone, never a desk divider at the start of a line), the date line (the build's date without
scripts, the reader's with them), search without scripts, the keyboard, and the header's height on a phone.
Screenshots of the header go to test-output/screenshots/masthead-*.png."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from browser.conftest import SCREENSHOTS, _is_article_path
from conftest import BUILD_EPOCH
from newsroom_theme.masthead import dateline

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
WIDTHS = {"375": PHONE, "1280": DESKTOP}
LONDON = ZoneInfo("Europe/London")  # the sample paper's TIMEZONE
BUILD_DAY = dt.datetime.fromtimestamp(BUILD_EPOCH, LONDON).date()
PHONE_HEADER_MAX = 170  # px, with the section row: the front page's lead picture must start above y=500


@pytest.fixture(params=["sample", "archive_300"])
def paper(request):
    """(base URL, an article's path) for the sample paper or the 300-article archive."""
    if request.param == "sample":
        base, site = request.getfixturevalue("base_url"), request.getfixturevalue("sample_paper")
    else:
        base, site = request.getfixturevalue("archive_300_url"), request.getfixturevalue("archive_300")
    article = next(path for path in (urlsplit(href).path for href in site.main_links("/"))
                   if _is_article_path(path) and site.exists(path))
    return request.param, base, article


@pytest.fixture
def open_page(chromium):
    contexts = []

    def open_page(url, viewport, *, javascript=True, clock=None, timezone="Europe/London", scheme="light"):
        context = chromium.new_context(viewport=viewport, java_script_enabled=javascript, timezone_id=timezone,
                                       color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        if clock:
            page.clock.set_fixed_time(clock)
        page.goto(url, wait_until="load")
        page.evaluate("document.fonts.ready")
        return page

    yield open_page
    for context in contexts:
        context.close()


# Where each section link and desk divider sits, relative to the row's content (so a scrolled-away item
# counts in the row it would be on), and whether the row scrolls and shows its fades.
MEASURE_ROW = """() => {
  const list = document.querySelector('nav[aria-label="Sections"] .nr-nav__list');
  const box = list.getBoundingClientRect();
  const at = (el) => { const r = el.getBoundingClientRect();
    return {top: Math.round(r.top - box.top), left: r.left - box.left + list.scrollLeft, right: r.right - box.left + list.scrollLeft}; };
  const links = [...list.querySelectorAll('a.nr-nav__link')].map((a) => ({...at(a), text: a.textContent,
    hidden: getComputedStyle(a).visibility === 'hidden' || a.getClientRects().length === 0}));
  const dividers = [...list.querySelectorAll('.nr-nav__desk + .nr-nav__desk')].map((d) => {
    const r = d.getBoundingClientRect(); const first = d.querySelector('a.nr-nav__link');
    return {left: r.left - box.left + list.scrollLeft, top: at(first).top, border: getComputedStyle(d).borderInlineStartWidth}; });
  const nav = list.closest('nav');
  return {links, dividers, scrollWidth: list.scrollWidth, clientWidth: list.clientWidth,
    endFade: Number(getComputedStyle(nav, '::after').opacity), startFade: Number(getComputedStyle(nav, '::before').opacity),
    header: document.querySelector('header.nr-header').getBoundingClientRect().height};
}"""


def rows_of(row) -> list[list[dict]]:
    tops = sorted({link["top"] for link in row["links"]})
    return [[link for link in row["links"] if link["top"] == top] for top in tops]


def stranded_dividers(row) -> list[dict]:
    """Desk dividers with no section link before them on their own line."""
    return [d for d in row["dividers"]
            if not any(link["top"] == d["top"] and link["right"] <= d["left"] + 1 for link in row["links"])]


@pytest.mark.parametrize("where", ["front", "article"])
@pytest.mark.parametrize("width", WIDTHS)
def test_section_row_is_one_row_on_a_desktop_and_one_scrolling_row_with_a_fade_on_a_phone(open_page, paper, width, where):
    name, base, article = paper
    page = open_page(base + ("/" if where == "front" else article), WIDTHS[width])
    row = page.evaluate(MEASURE_ROW)
    rows = rows_of(row)
    label = f"{name} {where} at {width}px"
    assert len(row["links"]) >= 15 and not any(link["hidden"] for link in row["links"]), label
    assert row["dividers"] and all(d["border"] != "0px" for d in row["dividers"]), label
    assert not stranded_dividers(row), f"{label}: a desk divider starts a line: {stranded_dividers(row)}"
    if width == "1280":
        assert len(rows) == 1, f"{label}: {len(rows)} rows: {[[l['text'] for l in r] for r in rows]}"
        # Every section in view: nothing scrolled off the end, and so no fade either.
        assert row["scrollWidth"] <= row["clientWidth"], f"{label}: the row overflows ({row['scrollWidth']} > {row['clientWidth']})"
        assert row["endFade"] == 0 and row["startFade"] == 0, label
    else:
        assert len(rows) <= 2, label
        if len(rows) == 1 and row["scrollWidth"] > row["clientWidth"]:
            assert row["endFade"] > 0.9 and row["startFade"] == 0, f"{label}: no visible sign the row scrolls"
            # Scrolled to its end, the end fade goes and the start's shows what is behind.
            page.eval_on_selector(".nr-nav__list", "l => { l.scrollLeft = l.scrollWidth; }")
            page.wait_for_timeout(100)
            scrolled = page.evaluate(MEASURE_ROW)
            assert scrolled["endFade"] == 0 and scrolled["startFade"] > 0.9, label
        assert row["header"] <= PHONE_HEADER_MAX, f"{label}: the header is {row['header']:.0f} px tall"


def test_every_section_in_the_scrolling_row_is_reachable_by_keyboard_with_focus_shown(open_page, base_url):
    page = open_page(base_url + "/", PHONE)
    nav = page.locator('nav[aria-label="Sections"]')
    box = nav.bounding_box()
    links = nav.get_by_role("link")
    page.locator("header .nr-header__support").focus()
    names = []
    for _ in range(links.count()):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const a = document.activeElement; const r = a.getBoundingClientRect();
          const s = getComputedStyle(a); return {text: a.textContent, left: r.left, right: r.right,
          inNav: !!a.closest('nav.nr-nav'), outline: s.outlineStyle, outlineWidth: s.outlineWidth}; }""")
        assert focused["inNav"], focused
        assert box["x"] - 1 <= focused["left"] and focused["right"] <= box["x"] + box["width"] + 1, \
            f"{focused['text']} has focus but is scrolled out of view"
        assert focused["outline"] != "none" and focused["outlineWidth"] != "0px", focused
        names.append(focused["text"])
    assert names == links.all_inner_texts()


@pytest.mark.parametrize("width", WIDTHS)
def test_current_section_is_marked_and_in_view(open_page, paper, width):
    name, base, article = paper
    section = "/" + article.strip("/").split("/")[0] + "/"
    # The last section of the row too, which a phone's screen does not reach before scrolling.
    for path, current, expected in ((section, "page", section), (article, "true", section), ("/sport/", "page", "/sport/")):
        page = open_page(base + path, WIDTHS[width])
        nav = page.get_by_role("navigation", name="Sections", exact=True)
        marked = nav.locator("a[aria-current]")
        assert marked.count() == 1 and marked.get_attribute("aria-current") == current, f"{name} {path}"
        assert urlsplit(marked.get_attribute("href")).path == expected
        # On a phone the row is scrolled so that the current section shows.
        link, row = marked.bounding_box(), nav.bounding_box()
        assert row["x"] <= link["x"] and link["x"] + link["width"] <= row["x"] + row["width"], f"{name} {path} at {width}"


@pytest.mark.parametrize("width", WIDTHS)
def test_date_line_without_javascript_is_the_build_date(open_page, paper, width):
    name, base, article = paper
    page = open_page(base + article, WIDTHS[width], javascript=False, clock="2026-12-06T10:00:00")
    date = page.locator("header time.nr-header__date")
    assert date.is_visible()
    assert date.inner_text() == dateline(BUILD_DAY, "en_GB") == "Wednesday 25 November 2026"


@pytest.mark.parametrize("clock,timezone,expected", [
    # A reader days after the build sees their own date, in the paper's format.
    ("2026-12-06T10:00:00+00:00", "Europe/London", dt.date(2026, 12, 6)),
    # Past midnight in Auckland while it is still the build's day in London: the reader's date.
    ("2026-11-25T12:30:00+00:00", "Pacific/Auckland", dt.date(2026, 11, 26)),
    # A reader whose clock is behind the build (New York just before its midnight, a wrong clock) keeps the
    # build's date: the line never goes back before stories dated the 25th.
    ("2026-11-25T03:00:00+00:00", "America/New_York", dt.date(2026, 11, 25)),
    ("2025-01-01T12:00:00+00:00", "Europe/London", dt.date(2026, 11, 25)),
])
def test_date_line_with_javascript_is_the_readers_date(open_page, paper, clock, timezone, expected):
    name, base, article = paper
    page = open_page(base + "/", PHONE, clock=dt.datetime.fromisoformat(clock), timezone=timezone)
    date = page.locator("header time.nr-header__date")
    assert (date.inner_text(), date.get_attribute("datetime")) == (dateline(expected, "en_GB"), expected.isoformat())


def test_header_search_works_without_javascript(open_page, base_url, page_urls):
    page = open_page(base_url + page_urls["article"], DESKTOP, javascript=False)
    search = page.get_by_role("search")
    assert search.count() == 1
    field = search.get_by_role("searchbox", name="Search the paper")
    field.fill("water rates")
    field.press("Enter")
    page.wait_for_load_state("load")
    address = urlsplit(page.url)
    assert address.path == "/search/" and parse_qs(address.query) == {"q": ["water rates"]}
    assert page.get_by_role("heading", level=1).inner_text() == "Search"
    # The button does the same.
    page.go_back()
    page.get_by_role("search").get_by_role("searchbox").fill("rail")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    page.wait_for_load_state("load")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["rail"]}


def test_phone_header_links_to_search_without_javascript(open_page, base_url):
    page = open_page(base_url + "/", PHONE, javascript=False)
    assert page.get_by_role("search").count() == 0  # the field is for wider screens
    link = page.get_by_role("banner").get_by_role("link", name="Search", exact=True)
    assert link.is_visible()
    box = link.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44  # a thumb's target
    link.click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == "/search/"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_the_header(open_page, base_url, page_urls, width, scheme):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for kind in ("front", "article"):
        page = open_page(base_url + page_urls[kind], WIDTHS[width], scheme=scheme,
                         clock=dt.datetime(2026, 11, 25, 10, tzinfo=LONDON))
        height = page.evaluate("document.querySelector('header.nr-header').getBoundingClientRect().bottom")
        page.screenshot(path=SCREENSHOTS / f"masthead-{kind}-{width}-{scheme}.png",
                        clip={"x": 0, "y": 0, "width": WIDTHS[width]["width"], "height": min(height + 160, 800)})

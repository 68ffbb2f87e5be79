"""A picture inside a story, as a reader's browser shows it: the picture loads (from the resized copies,
WebP where the browser takes it), fills the story's width, and its caption and credit sit under it in the
lead picture's caption style, at 375 and 1280 px, light and dark, with and without JavaScript."""

from __future__ import annotations

import pytest

from browser.conftest import AXE_JS, INSTALL_HINT, SCREENSHOTS
from browser.test_pages import RUN_AXE, WCAG_AA_TAGS, format_violations

pytestmark = pytest.mark.browser

FEATURE = "/environment/the-village-at-the-edge-living-with-a-retreating-coast/"
WIDTHS = {375: {"width": 375, "height": 800}, 1280: {"width": 1280, "height": 900}}

MEASURE = """figure => {
  const box = el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
  const img = figure.querySelector('img'), caption = figure.querySelector('figcaption');
  const body = figure.closest('.nr-article__body'), lead = document.querySelector('.nr-article__caption');
  const style = el => { const s = getComputedStyle(el); return {font: s.fontFamily, size: s.fontSize, colour: s.color, italic: s.fontStyle}; };
  return {
    natural: img.naturalWidth, complete: img.complete, current: img.currentSrc,
    img: box(img), caption: box(caption), body: box(body), figure: box(figure),
    captionStyle: style(caption), leadStyle: style(lead),
    creditStyle: style(caption.querySelector('.nr-story-figure__credit')),
    leadCreditStyle: style(lead.querySelector('.nr-article__credit')),
    captionText: caption.innerText, bodyFont: getComputedStyle(body).fontFamily,
  };
}"""


@pytest.fixture
def open_feature(chromium, base_url):
    contexts = []

    def open_feature(width: int, scheme: str = "light", javascript: bool = True):
        context = chromium.new_context(viewport=WIDTHS[width], color_scheme=scheme, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        failed = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.goto(base_url + FEATURE, wait_until="load")
        figure = page.locator(".nr-article__body figure.nr-story-figure")
        assert figure.count() == 1
        # The picture is lazy: it loads as the reader scrolls to it.
        figure.scroll_into_view_if_needed()
        page.wait_for_function("() => { const i = document.querySelector('.nr-story-figure img'); "
                               "return i.complete && i.naturalWidth > 0; }", timeout=10_000)
        return page, figure, failed

    yield open_feature
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_inline_picture_loads_fills_the_story_and_has_its_caption_under_it(open_feature, width, scheme):
    page, figure, failed = open_feature(width, scheme)
    m = figure.evaluate(MEASURE)
    assert m["natural"] > 0 and m["complete"] and failed == []
    # A resized copy, in WebP (Chromium takes the <source>), not the 1600 px original.
    assert "/images/sized/harbour-boats-" in m["current"] and m["current"].endswith(".webp")
    # The story's full width, and the picture's own shape (16:9) with no distortion.
    assert abs(m["img"]["left"] - m["body"]["left"]) < 1 and abs(m["img"]["width"] - m["body"]["width"]) < 1
    assert abs(m["img"]["width"] * 9 / 16 - (m["img"]["bottom"] - m["img"]["top"])) < 2
    # The caption starts under the picture, close to it, aligned with it, and inside the story column.
    assert 0 <= m["caption"]["top"] - m["img"]["bottom"] <= 16
    assert abs(m["caption"]["left"] - m["img"]["left"]) < 1 and m["caption"]["right"] <= m["img"]["right"] + 1
    assert m["captionText"] == ("Crab boats at anchor off the east coast at first light. Eleven once worked from "
                                "Holmwick\u2019s beach; one still does. Illustration: The Common Ledger")
    # Set as the lead picture's caption is: the UI face, not the story's, the same size and colour; the credit in italics.
    assert m["captionStyle"] == m["leadStyle"] and m["captionStyle"]["font"] != m["bodyFont"]
    assert m["creditStyle"] == m["leadCreditStyle"] and m["creditStyle"]["italic"] == "italic"
    figure.scroll_into_view_if_needed()
    page.evaluate("() => window.scrollBy(0, -120)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"story-figure-{width}-{scheme}.png"))


def test_the_picture_and_caption_show_with_javascript_off(open_feature):
    page, figure, failed = open_feature(375, javascript=False)
    m = figure.evaluate(MEASURE)
    assert m["natural"] > 0 and failed == []
    assert m["caption"]["top"] >= m["img"]["bottom"] and "Illustration: The Common Ledger" in m["captionText"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violations_on_the_page_with_the_figure(visit, scheme):
    assert AXE_JS.is_file(), f"axe-core is missing at {AXE_JS}: {INSTALL_HINT}"
    visit.page.emulate_media(color_scheme=scheme)
    visit.goto(FEATURE)
    visit.page.add_script_tag(path=str(AXE_JS))
    violations = visit.page.evaluate(RUN_AXE, WCAG_AA_TAGS)
    assert not violations, format_violations(violations)
    assert visit.console_errors == [] and visit.outside_requests == []

"""The corrections page and the paper's policy pages, as a reader's browser gets them: no WCAG A/AA
violation (axe) in light and dark mode, reached from every page's footer, no horizontal scrolling at
375 px, and screenshots at 375 and 1280 px in test-output/screenshots/. Their HTML is checked by the Nu
checker with every other page (test_vnu.py)."""

from __future__ import annotations

import pytest

from .conftest import AXE_JS, INSTALL_HINT, SCREENSHOTS
from .test_pages import RUN_AXE, WCAG_AA_TAGS, format_violations

pytestmark = pytest.mark.browser

TRUST_PAGES = ["/corrections/", "/publishing-principles/", "/corrections-policy/", "/ethics-policy/",
               "/ownership-and-funding/", "/masthead/"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", TRUST_PAGES)
def test_axe_finds_no_wcag_violations(visit, path, scheme):
    assert AXE_JS.is_file(), f"axe-core is missing at {AXE_JS}: {INSTALL_HINT}"
    visit.page.emulate_media(color_scheme=scheme)
    visit.goto(path)
    visit.page.add_script_tag(path=str(AXE_JS))
    violations = visit.page.evaluate(RUN_AXE, WCAG_AA_TAGS)
    if violations:
        pytest.fail(f"axe-core on {path} ({scheme} scheme):\n{format_violations(violations)}", pytrace=False)
    assert visit.console_errors == [] and visit.outside_requests == []


def test_every_trust_page_is_at_most_two_links_from_the_footer(visit):
    """The footer links the publishing principles and the corrections; the principles link every policy."""
    visit.goto("/")
    footer = visit.page.eval_on_selector_all("footer a[href]", "links => links.map(a => new URL(a.href).pathname)")
    assert {"/publishing-principles/", "/corrections/"} <= set(footer)
    visit.goto("/publishing-principles/")
    body = visit.page.eval_on_selector_all("main a[href]", "links => links.map(a => new URL(a.href).pathname)")
    assert set(TRUST_PAGES) - {"/publishing-principles/"} <= set(body)


@pytest.mark.parametrize("width, height", [(375, 800), (1280, 900)])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_corrections_page_fits_and_is_screenshotted(visit, width, height, scheme):
    visit.page.set_viewport_size({"width": width, "height": height})
    visit.page.emulate_media(color_scheme=scheme)
    visit.goto("/corrections/")
    scroll = visit.page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the corrections page is {scroll} px wide at {width} px"
    item = visit.page.query_selector(".nr-corrections__item")
    box = item.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    # The correction's title is a link target of at least 24 px (WCAG 2.2 target size).
    link = visit.page.query_selector(".nr-corrections__title a").bounding_box()
    assert link["height"] >= 24
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(path=str(SCREENSHOTS / f"corrections-{width}-{scheme}.png"), full_page=True)

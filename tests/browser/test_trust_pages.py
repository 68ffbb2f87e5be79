"""The corrections page and the paper's policy pages, as a reader's browser gets them: no WCAG A/AA
violation (axe) in light and dark mode, reached from every page's footer, no horizontal scrolling at
375 px, and screenshots at 375 and 1280 px in test-output/screenshots/. Their HTML is checked by the Nu
checker with every other page (test_vnu.py)."""

from __future__ import annotations

import pytest

from .conftest import SCREENSHOTS, open_visit
from .test_pages import axe_in_both_schemes, format_violations

pytestmark = pytest.mark.browser

TRUST_PAGES = ["/corrections/", "/publishing-principles/", "/corrections-policy/", "/ethics-policy/",
               "/ownership-and-funding/", "/masthead/"]


@pytest.fixture(scope="module", params=TRUST_PAGES)
def path(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def axed(chromium, base_url, path):
    """The page loaded once in a tab of its own, and axe's results on it in the light and the dark scheme
    (the scheme switched on the loaded page, as test_pages.axe_results does: the theme's colours are
    prefers-color-scheme media queries, which no script reads). The tab's console errors and outside
    requests are those of the load and both runs."""
    v, context = open_visit(chromium, base_url)
    try:
        v.goto(path)
        yield v, axe_in_both_schemes(v.page)
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violations(axed, path, scheme):
    visit, results = axed
    violations = results[scheme]
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

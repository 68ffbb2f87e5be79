"""The front page's layout as Chromium draws it, on the sample paper and on the 300-article archive, at a
phone's 375x800 and a desktop's 1280x900.

Measured from getBoundingClientRect, not read from the stylesheet: every grid on the front page that
holds story cards fills each of its lines from its left content edge to its right one, last line included
(an empty cell leaves the line short); every row of stories shows a picture for all its stories or for
none; the lead story's picture starts above y=500 on the phone. Screenshots of the front page in light and
dark mode at both widths go to test-output/screenshots/ (front-375-light.png, ...; archive-300-front-...).
"""

from __future__ import annotations

import pytest

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

VIEWPORTS = {375: {"width": 375, "height": 800}, 1280: {"width": 1280, "height": 900}}
SITES = {"sample": "base_url", "archive-300": "archive_300_url"}
FOLD = 500  # the lead picture's top must be above this on a 375x800 screen
TOLERANCE = 1.5  # px: sub-pixel rounding of fractional column widths

# Every element in <main> that lays out its children in a grid and holds story cards (a card is one too:
# its picture and text), with each line of its visible children: where the line starts and ends against
# the container's content box.
MEASURE_GRIDS = """() => {
  const main = document.querySelector("main");
  const grids = [...main.querySelectorAll("*")].filter(el =>
    getComputedStyle(el).display.endsWith("grid") && (el.matches(".nr-card") || el.querySelector(".nr-card")));
  return grids.map(el => {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    const left = box.left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth);
    const right = box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
    const items = [...el.children].map(c => c.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0);
    const lines = [];
    for (const r of items) {
      const line = lines.find(l => Math.abs(l.top - r.top) < 2);
      if (line) { line.left = Math.min(line.left, r.left); line.right = Math.max(line.right, r.right); line.count += 1; }
      else lines.push({top: r.top, left: r.left, right: r.right, count: 1});
    }
    const name = el.tagName.toLowerCase() + "." + [...el.classList].join(".") +
      (el.closest("section[aria-labelledby]") ? " in #" + el.closest("section[aria-labelledby]").getAttribute("aria-labelledby") : "");
    return {name, left, right, lines};
  });
}"""

# The rows of stories (a desk block's rows, the top stories' list) as lines of cards side by side, and
# for each card whether a picture of it is drawn.
MEASURE_ROWS = """() => [...document.querySelectorAll("main .nr-front__row, main .nr-stack")].map(row => {
  const lines = [];
  for (const slot of row.children) {
    const r = slot.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const picture = [...slot.querySelectorAll("img")].some(img => img.getBoundingClientRect().width > 0);
    const title = (slot.querySelector(".nr-card__title") || slot).textContent.trim().slice(0, 50);
    const line = lines.find(l => Math.abs(l.top - r.top) < 2);
    if (line) line.cards.push({title, picture}); else lines.push({top: r.top, cards: [{title, picture}]});
  }
  return {name: row.className + " in #" + (row.closest("section[aria-labelledby]") || {getAttribute: () => "?"}).getAttribute("aria-labelledby"), lines};
})"""

LEAD = """() => {
  const header = document.querySelector("body > header, .nr-header");
  const lead = document.querySelector(".nr-front__lead");
  const img = lead && lead.querySelector("img");
  const title = lead && lead.querySelector(".nr-card__title");
  return {header: header ? header.getBoundingClientRect().height : null,
          picture: img ? img.getBoundingClientRect().top : null,
          title: title ? title.getBoundingClientRect().top : null, scrollY: window.scrollY};
}"""


@pytest.fixture(params=list(SITES))
def site_url(request) -> tuple[str, str]:
    return request.param, request.getfixturevalue(SITES[request.param])


def open_tab(chromium, contexts: list, base: str, width: int, scheme: str):
    context = chromium.new_context(viewport=VIEWPORTS[width], color_scheme=scheme)
    contexts.append(context)
    page = context.new_page()
    response = page.goto(base + "/", wait_until="load")
    assert response is not None and response.ok
    page.evaluate("() => document.fonts.ready.then(() => true)")
    return page


@pytest.fixture(scope="module")
def light_fronts(chromium):
    """(base URL, width) -> one light tab on that front page, every picture loaded, shared by the tests that
    only measure it (grids, rows, the desks' rows, the lead) and its light screenshot. Safe to share: they
    read boxes and pixels and change nothing but the pictures' loading, which the tab has done once already
    (a full-page screenshot leaves the page unscrolled)."""
    tabs, contexts = {}, []

    def get(base: str, width: int):
        if (base, width) not in tabs:
            page = open_tab(chromium, contexts, base, width, "light")
            load_every_picture(page)
            tabs[base, width] = page
        return tabs[base, width]

    yield get
    for context in contexts:
        context.close()


@pytest.fixture
def front(chromium, site_url, light_fronts):
    """A function (width, scheme) -> the front page open at that size and colour scheme: the shared light tab
    (`light_fronts`), or for the dark scheme a fresh tab of the test's own."""
    contexts = []

    def open_front(width: int, scheme: str = "light"):
        if scheme == "light":
            return light_fronts(site_url[1], width)
        return open_tab(chromium, contexts, site_url[1], width, scheme)

    yield open_front
    for context in contexts:
        context.close()


def load_every_picture(page) -> None:
    page.evaluate("""() => Promise.all([...document.images].map(img => {
      img.loading = "eager"; return img.decode().catch(() => null); }))""")


@pytest.mark.parametrize("width", VIEWPORTS)
def test_no_card_grid_has_an_empty_cell(front, site_url, width):
    page = front(width)
    grids = page.evaluate(MEASURE_GRIDS)
    assert len(grids) > 5, "the front page's card grids were not found"
    holes = [
        f"{g['name']}: line at y={line['top']:.0f} ({line['count']} item(s)) spans {line['left']:.1f}-{line['right']:.1f}, "
        f"content box {g['left']:.1f}-{g['right']:.1f}"
        for g in grids for line in g["lines"]
        if line["left"] > g["left"] + TOLERANCE or line["right"] < g["right"] - TOLERANCE
    ]
    assert not holes, f"{site_url[0]} at {width}px:\n" + "\n".join(holes)


@pytest.mark.parametrize("width", VIEWPORTS)
def test_a_row_shows_every_picture_or_none(front, site_url, width):
    page = front(width)
    load_every_picture(page)
    rows = page.evaluate(MEASURE_ROWS)
    assert any(len(line["cards"]) > 1 for row in rows for line in row["lines"]) or width == 375
    mixed = [
        f"{row['name']}, line at y={line['top']:.0f}: " + "; ".join(f"{c['title']!r} {'with' if c['picture'] else 'without'} picture" for c in line["cards"])
        for row in rows for line in row["lines"]
        if len({c["picture"] for c in line["cards"]}) > 1
    ]
    assert not mixed, f"{site_url[0]} at {width}px:\n" + "\n".join(mixed)


def test_every_desk_story_is_in_a_row(front, site_url):
    page = front(1280)
    loose = page.evaluate("""() => [...document.querySelectorAll("main .nr-desk-block .nr-card")]
      .filter(card => !card.closest(".nr-front__row > .nr-front__slot")).length""")
    assert loose == 0
    assert page.locator("main .nr-front__row").count() >= 5


def test_lead_picture_is_above_the_fold_on_a_phone(front, site_url):
    page = front(375)
    lead = page.evaluate(LEAD)
    print(f"\n{site_url[0]} at 375x800: header {lead['header']:.0f}px tall, lead picture top "
          f"{lead['picture']}, lead headline top {lead['title']:.0f}")
    assert lead["scrollY"] == 0
    if lead["picture"] is None:
        # The editor's lead has no picture: its headline is what must be in view.
        assert lead["title"] < FOLD, lead
    else:
        assert lead["picture"] < FOLD, f"lead picture starts at y={lead['picture']:.0f} (header {lead['header']:.0f}px)"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", VIEWPORTS)
def test_screenshots(front, site_url, width, scheme):
    page = front(width, scheme)
    load_every_picture(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = "" if site_url[0] == "sample" else f"{site_url[0]}-"
    path = SCREENSHOTS / f"{prefix}front-{width}-{scheme}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000

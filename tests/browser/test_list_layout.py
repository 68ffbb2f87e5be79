"""List pages as a reader sees them: one text column whatever a story's picture, thumbnails on phones.

Measured in Chromium at 375x800 and 1280x900, on the sample paper and on the 300-article synthetic archive,
for a page of each list type (section, desk, tag, author, month). For each type the page chosen is the one
whose list mixes stories with and without a picture the most, since that is where a column that moves
with the picture would show. Before list_item, the headline's left edge moved by 216 px at 1280 px with
the picture, and at 375 px every picture was 343 px wide (2,362 to 2,735 px for six stories).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import LOAD_EVERYTHING, SCREENSHOTS

pytestmark = pytest.mark.browser

VIEWPORTS = {"375": {"width": 375, "height": 800}, "1280": {"width": 1280, "height": 900}}
LIST_TYPES = {
    "section": lambda path: len(path.parts) == 2 and path.parts[0] not in {"author", "tag", "archive", "feeds", "search", "drafts"},
    "desk": None,  # found from the desks in the build's settings (see list_pages)
    "tag": lambda path: path.parts[0] == "tag" and len(path.parts) == 3,
    "author": lambda path: path.parts[0] == "author" and len(path.parts) == 3,
    "month": lambda path: path.parts[0] == "archive" and len(path.parts) == 4,
}
# A phone's list: a thumbnail beside the headline, not a picture across the screen.
MAX_THUMBNAIL_SHARE = 0.4
# Six stories on a phone: kicker, headline, standfirst and byline with a thumbnail beside the headline come
# to about 250 px a story (1,483 to 1,515 px for six on the sample paper, with the site's fonts).
MAX_SIX_STORIES_AT_375 = 1800

MEASURE = """() => {
  const box = el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, width: r.width}; };
  const items = [...document.querySelectorAll(".nr-list .nr-list-item")];
  const list = document.querySelector(".nr-list");
  const six = items.slice(0, 6);
  return {
    items: items.map(item => ({
      href: item.querySelector(".nr-list-item__link").getAttribute("href"),
      title: box(item.querySelector(".nr-list-item__title")),
      standfirst: item.querySelector(".nr-list-item__standfirst") && box(item.querySelector(".nr-list-item__standfirst")),
      image: item.querySelector(".nr-list-item__image img") && box(item.querySelector(".nr-list-item__image img")),
    })),
    six: six.length === 6 ? six[5].closest("li").getBoundingClientRect().bottom - list.getBoundingClientRect().top : null,
  };
}"""


def list_pages(site) -> dict[str, str]:
    """List type -> the URL of the page of that type whose list mixes pictures and no pictures the most."""
    desks = {p.parent.name for p in site.output.glob("*/index.html")
             if site.soup("/" + p.parent.name + "/").select_one(".nr-subnav") and not
             site.soup("/" + p.parent.name + "/").select_one(".nr-subnav [aria-current]")}
    chosen = {}
    for kind, keep in LIST_TYPES.items():
        best, best_score = None, None
        for html in sorted(site.output.glob("**/index.html")):
            path = html.relative_to(site.output)
            if "page" in path.parts:
                continue
            if kind == "desk":
                if not (len(path.parts) == 2 and path.parts[0] in desks):
                    continue
            elif not keep(path) or (kind == "section" and path.parts[0] in desks):
                continue
            url = "/" + path.parent.as_posix() + "/"
            items = site.soup(url).select(".nr-list .nr-list-item")
            if len(items) < 2:
                continue
            pictures = sum("nr-list-item--picture" in item["class"] for item in items)
            score = (min(pictures, len(items) - pictures), len(items) >= 6, len(items))
            if best_score is None or score > best_score:
                best, best_score = url, score
        chosen[kind] = best
    return chosen


@pytest.fixture(scope="module")
def sample_lists(sample_paper):
    return list_pages(sample_paper)


@pytest.fixture(scope="module")
def archive_lists(archive_300):
    return list_pages(archive_300)


@pytest.fixture(params=["sample", "archive_300"])
def paper(request, chromium):
    """(base URL, list type -> URL) of one built site, and a browser context factory for it."""
    if request.param == "sample":
        base, lists = request.getfixturevalue("base_url"), request.getfixturevalue("sample_lists")
    else:
        base, lists = request.getfixturevalue("archive_300_url"), request.getfixturevalue("archive_lists")
    return request.param, base, lists


@pytest.fixture(scope="module")
def measured(chromium):
    """measured(base, url, viewport) -> MEASURE on that page in a fresh tab, taken once per module: the two
    tests at 375 px read the same page at the same size, and MEASURE only reads the page's boxes, so the
    second gets the first's figures instead of loading the page again."""
    taken = {}

    def get(base: str, url: str, viewport: dict):
        key = (base, url, viewport["width"], viewport["height"])
        if key not in taken:
            taken[key] = measure(chromium, base, url, viewport)
        return taken[key]

    return get


def measure(chromium, base: str, url: str, viewport: dict, scheme: str = "light"):
    context = chromium.new_context(viewport=viewport, color_scheme=scheme)
    try:
        page = context.new_page()
        response = page.goto(base + url, wait_until="load")
        assert response is not None and response.ok, f"GET {url} answered {response and response.status}"
        page.evaluate("document.fonts.ready")
        return page.evaluate(MEASURE)
    finally:
        context.close()


@pytest.mark.parametrize("kind", list(LIST_TYPES))
@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_every_headline_in_a_list_starts_at_the_same_place(measured, paper, kind, width):
    name, base, lists = paper
    url = lists[kind]
    assert url, f"{name} has no {kind} page with two stories or more"
    found = measured(base, url, VIEWPORTS[width])
    items = found["items"]
    assert len(items) >= 2
    lefts = {item["href"]: round(item["title"]["left"], 1) for item in items}
    first = items[0]["title"]["left"]
    moved = {href: left for href, left in lefts.items() if abs(left - first) > 1}
    assert not moved, f"{name} {url} at {width} px: headlines start at {first:.1f} px but these do not: {moved}"
    # The standfirst is in the same column as the headline.
    for item in items:
        if item["standfirst"]:
            assert abs(item["standfirst"]["left"] - first) <= 1, f"{name} {url} at {width} px: {item['href']}'s standfirst"
    # A picture never sits over the headline's column.
    for item in items:
        if item["image"] and width == "1280":
            assert item["image"]["left"] >= item["title"]["right"] - 1, f"{name} {url}: {item['href']}'s picture overlaps its headline"


@pytest.mark.parametrize("kind", list(LIST_TYPES))
def test_on_a_phone_a_list_has_thumbnails_and_six_stories_take_little_more_than_two_screens(measured, paper, kind):
    name, base, lists = paper
    url = lists[kind]
    found = measured(base, url, VIEWPORTS["375"])
    widths = [item["image"]["width"] for item in found["items"] if item["image"]]
    too_wide = [w for w in widths if w > MAX_THUMBNAIL_SHARE * 375]
    assert not too_wide, f"{name} {url}: pictures {too_wide} px wide on a 375 px screen"
    if found["six"] is not None:
        assert found["six"] <= MAX_SIX_STORIES_AT_375, f"{name} {url}: six stories take {found['six']:.0f} px at 375 px"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_a_section_and_an_author_page(chromium, base_url, sample_lists, scheme):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for kind in ("section", "author"):
        for width, viewport in VIEWPORTS.items():
            context = chromium.new_context(viewport=viewport, color_scheme=scheme)
            try:
                page = context.new_page()
                page.goto(base_url + sample_lists[kind], wait_until="load")
                page.evaluate(LOAD_EVERYTHING)
                path = SCREENSHOTS / f"list-{kind}-{width}-{scheme}.png"
                png = page.screenshot(path=str(path), full_page=True, animations="disabled")
            finally:
                context.close()
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == viewport["width"]


def test_the_pages_measured_are_the_ones_a_reader_reaches(sample_lists, archive_lists):
    """Every list type was found in both sites, so none of the measurements above is skipped quietly."""
    for lists in (sample_lists, archive_lists):
        assert all(lists.values()), lists
        assert urlsplit(lists["month"]).path.startswith("/archive/")

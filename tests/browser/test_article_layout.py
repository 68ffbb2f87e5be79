"""The article page as a reader's browser lays it out, on the sample paper and on the 300-article archive:
at 1280 px the story and a rail beside it use the page's width; at 375 px the lead picture is on the first
screen and the story comes before the appeals; and no line of any byline, on any page, starts with a
separator. Each measure is also shown to fail on a page that has the fault it looks for.

Screenshots (article with and without a lead picture, the Arabic article; 375 and 1280 px; light and dark)
go to test-output/screenshots/article-layout-*.png.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from .conftest import LOAD_EVERYTHING, SCREENSHOTS, _is_article_path

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
WIDE = {"width": 1280, "height": 900}
# The article pages a layout test looks at, by what makes them differ.
ARTICLE_KINDS = ("picture", "no-picture", "right-to-left", "updated", "several-authors")
MAX_EMPTY_BESIDE_STORY = 300  # px of nothing, in one row across the page's content box, at the top of an article


@dataclass(frozen=True)
class Paper:
    name: str
    output: Path
    base_url: str

    @property
    def articles(self) -> dict[str, str]:
        return _articles(self.output)

    @property
    def section(self) -> str:
        """The section list of the first article found: /<section>/."""
        first = next(iter(self.articles.values()), None)
        assert first, f"no article in {self.output}"
        return "/" + first.strip("/").split("/")[0] + "/"


@cache
def _articles(output: Path) -> dict[str, str]:
    """Kind -> the URL of the first article of that kind (by path), read from the built HTML."""
    found: dict[str, str] = {}
    for file in sorted(output.glob("*/*/index.html")):
        url = "/" + file.parent.relative_to(output).as_posix() + "/"
        if not _is_article_path(url):
            continue
        html = file.read_text(encoding="utf-8")
        header = html[html.find('<header class="nr-article__header">'):]
        header = header[:header.find("</header>")]
        story = html[:html.find('class="nr-article__body"')]
        kinds = {
            "picture": "nr-article__figure" in story,
            "no-picture": "nr-article__figure" not in story,
            "right-to-left": re.search(r'<article class="nr-article"[^>]*dir="rtl"', html) is not None,
            "updated": "nr-byline__updated" in header,
            "several-authors": header.count('class="nr-byline__author"') >= 2,
        }
        for kind, matches in kinds.items():
            if matches:
                found.setdefault(kind, url)
    return found


@pytest.fixture(params=["sample", "archive_300"])
def paper(request) -> Paper:
    """The sample paper or the synthetic archive, built and served once per run."""
    if request.param == "sample":
        site, base = request.getfixturevalue("sample_paper"), request.getfixturevalue("base_url")
    else:
        site, base = request.getfixturevalue("archive_300"), request.getfixturevalue("archive_300_url")
    return Paper(request.param, site.output, base)


@contextmanager
def tab(chromium, viewport, *, scheme="light"):
    # bypass_csp: the tests that show a measure failing add a stylesheet to the page.
    context = chromium.new_context(viewport=viewport, color_scheme=scheme, bypass_csp=True)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def goto(page, url):
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"GET {url} answered {response and response.status}"
    page.evaluate("document.fonts.ready")


def article_url(paper: Paper, kind: str) -> str:
    url = paper.articles.get(kind)
    if url is None:
        pytest.skip(f"the {paper.name} has no article of the kind {kind!r}")
    return paper.base_url + url


# --- At 1280 px: the story and a rail beside it -----------------------------------------------------------

# Boxes (viewport CSS px) of the story, the appeals, the related stories and main's content box.
BOXES = """() => {
  const box = el => { if (!el) return null; const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const main = document.querySelector("main"), style = getComputedStyle(main), m = main.getBoundingClientRect();
  return {
    story: box(document.querySelector("main article")), promo: box(document.querySelector(".nr-promo")),
    fund: box(document.querySelector(".nr-fund")), related: box(document.querySelector(".nr-related")),
    content: {left: m.left + parseFloat(style.paddingLeft), right: m.right - parseFloat(style.paddingRight)},
    direction: getComputedStyle(document.querySelector("main article")).direction,
    scrollWidth: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
  };
}"""

# How wide a band of main's content box shows nothing from the headline down to the bottom of the first
# screen: the px of every x (sampled every 4 px) where nothing is drawn at any height (sampled every 8 px),
# summed over the width. Nothing is drawn at a point when what is there is the page itself or a box that
# only holds the story or the appeals (a column, the page's grid). A gap between two blocks of the rail, or
# the ragged end of a line, is not a band: something else is drawn in that strip above or below it.
EMPTY_BAND = """() => {
  const main = document.querySelector("main"), article = main.querySelector("article");
  const fund = document.querySelector(".nr-fund");
  const style = getComputedStyle(main), m = main.getBoundingClientRect();
  const left = m.left + parseFloat(style.paddingLeft), right = m.right - parseFloat(style.paddingRight);
  const empty = el => !el || !main.contains(el) || el === main || el.contains(article) || (fund && el.contains(fund));
  const top = article.querySelector("h1").getBoundingClientRect().top;
  let nothing = 0;
  for (let x = left + 2; x < right; x += 4) {
    let drawn = false;
    for (let y = top; y < innerHeight && !drawn; y += 8) drawn = !empty(document.elementFromPoint(x, y));
    if (!drawn) nothing += 4;
  }
  return {nothing, from: Math.round(top), to: innerHeight};
}"""


@pytest.mark.parametrize("kind", ["picture", "no-picture", "right-to-left"])
def test_at_1280px_the_rail_stands_beside_the_story_inside_the_page(chromium, paper, kind):
    url = article_url(paper, kind)
    with tab(chromium, WIDE) as page:
        goto(page, url)
        boxes = page.evaluate(BOXES)
        band = page.evaluate(EMPTY_BAND)
    story, content = boxes["story"], boxes["content"]
    beside = [name for name in ("related", "promo", "fund") if boxes[name]]
    assert "fund" in beside or "promo" in beside, f"{url}: no appeal on the page"
    for name in beside:
        box = boxes[name]
        if boxes["direction"] == "rtl":  # the rail stands on the side an Arabic story's lines end on: the left
            assert box["right"] <= story["left"] and box["left"] >= content["left"] - 0.5, (url, name, box, story)
        else:
            assert box["left"] >= story["right"] and box["right"] <= content["right"] + 0.5, (url, name, box, story)
    assert boxes[beside[0]]["top"] < WIDE["height"] / 2, f"{url}: the rail starts at y={boxes[beside[0]]['top']:.0f}"
    assert boxes["scrollWidth"] <= boxes["width"], f"{url} scrolls sideways at 1280 px"
    assert band["nothing"] <= MAX_EMPTY_BESIDE_STORY, f"{url}: {band['nothing']} px of the width show nothing from y={band['from']} to {band['to']}"


def test_the_empty_band_measure_finds_a_single_centred_column(chromium, base_url, sample_paper):
    """The page before the rail: one column of 46rem in the middle of the page, the appeals below it."""
    url = base_url + _articles(sample_paper.output)["picture"]
    with tab(chromium, WIDE) as page:
        goto(page, url)
        page.add_style_tag(content=".nr-article-page { display: block; } .nr-article-page > * { max-width: 46rem; "
                                   "margin-inline: auto; border: 0; padding: 0; }")
        band = page.evaluate(EMPTY_BAND)
    assert band["nothing"] > MAX_EMPTY_BESIDE_STORY, band


def test_at_1280px_the_appeals_stay_in_view_while_the_story_scrolls(chromium, base_url, sample_paper):
    url = base_url + _articles(sample_paper.output)["picture"]
    with tab(chromium, WIDE) as page:
        goto(page, url)
        page.evaluate("""() => { const body = document.querySelector('main article').getBoundingClientRect();
                               scrollTo(0, scrollY + body.top + body.height * 0.6); }""")
        fund = page.evaluate("() => { const r = document.querySelector('.nr-fund').getBoundingClientRect(); "
                             "return {top: r.top, bottom: r.bottom}; }")
    assert 0 <= fund["top"] and fund["bottom"] <= WIDE["height"], f"the fund scrolled out of view: {fund}"


# --- At 375 px: the picture high, the story before the appeals ---------------------------------------------

@pytest.mark.parametrize("kind", ARTICLE_KINDS)
def test_at_375px_the_story_comes_before_the_appeals(chromium, paper, kind):
    url = article_url(paper, kind)
    with tab(chromium, PHONE) as page:
        goto(page, url)
        boxes = page.evaluate(BOXES)
        in_source_order = page.evaluate("""() => {
            const article = document.querySelector('main article');
            return [...document.querySelectorAll('.nr-promo, .nr-fund, .nr-related')].every(
                el => article.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
        }""")
    assert in_source_order, f"{url}: an appeal or the related stories come before the story in the source"
    for name in ("related", "promo", "fund"):
        if boxes[name]:
            assert boxes[name]["top"] >= boxes["story"]["bottom"], (url, name, boxes[name], boxes["story"])
    assert boxes["scrollWidth"] <= boxes["width"], f"{url} is {boxes['scrollWidth']} px wide at 375 px"


def test_at_375px_the_lead_picture_and_the_headline_are_on_the_first_screen(chromium, paper):
    url = article_url(paper, "picture")
    with tab(chromium, PHONE) as page:
        goto(page, url)
        found = page.evaluate("""() => ({
            picture: document.querySelector('main article figure img').getBoundingClientRect().top,
            headline: document.querySelector('main article h1').getBoundingClientRect().top })""")
    assert found["picture"] < 500, f"{url}: the lead picture starts at y={found['picture']:.0f}"
    assert found["headline"] < PHONE["height"] - 100, f"{url}: the headline starts at y={found['headline']:.0f}"


# --- Bylines ------------------------------------------------------------------------------------------------

# For each byline on the page (each scrolled into view, so what is drawn can be hit-tested): its lines, made
# from the glyphs actually drawn (a glyph clipped away or covered does not count), and the problems: a line
# whose first glyph (leftmost, or rightmost right to left) is a separator; a separator drawn as generated
# content (::before) at the start of a line; a date or an author's name split across two lines.
BYLINE_LINES = r"""(selector) => {
  const SEPARATOR = /[·•‧⋅∙|\/–—\-,;:]/;
  const out = [];
  for (const root of document.querySelectorAll(selector)) {
    if (!root.getClientRects().length) continue;
    root.scrollIntoView({block: "center", inline: "nearest"});
    const rtl = getComputedStyle(root).direction === "rtl";
    const glyphs = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        if (/\s/.test(node.data[i])) continue;
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const box = range.getBoundingClientRect();
        if (!box.width || !box.height) continue;
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        if (!hit || !root.contains(hit)) continue;
        glyphs.push({ch: node.data[i], left: box.left, right: box.right, top: box.top, bottom: box.bottom,
                     el: node.parentElement});
      }
    }
    glyphs.sort((a, b) => a.top - b.top);
    const lines = [];
    const lineOf = box => lines.findIndex(l => (box.top + box.bottom) / 2 > l.top && (box.top + box.bottom) / 2 < l.bottom);
    for (const g of glyphs) {
      let at = lineOf(g);
      if (at < 0) { lines.push({top: g.top, bottom: g.bottom, glyphs: []}); at = lines.length - 1; }
      g.line = at;
      lines[at].glyphs.push(g);
    }
    const problems = [];
    const text = line => line.glyphs.slice().sort((a, b) => rtl ? b.right - a.right : a.left - b.left).map(g => g.ch).join("");
    lines.forEach((line, n) => {
      const first = line.glyphs.reduce((a, b) => (rtl ? b.right > a.right : b.left < a.left) ? b : a);
      if (SEPARATOR.test(first.ch)) problems.push(`line ${n + 1} starts with "${first.ch}": ${text(line)}`);
    });
    for (const el of [root, ...root.querySelectorAll("*")]) {
      const content = getComputedStyle(el, "::before").content;
      if (!content || content === "none" || content === "normal" || !SEPARATOR.test(content)) continue;
      const box = el.getClientRects()[0];
      if (!box) continue;
      const at = lineOf(box);
      const before = at >= 0 && lines[at].glyphs.some(g => !el.contains(g.el) && (rtl ? g.left >= box.right - 1 : g.right <= box.left + 1));
      if (!before) problems.push(`the separator ${content} before "${el.textContent.trim()}" starts a line`);
    }
    for (const unit of root.querySelectorAll("time, a, .nr-byline__author")) {
      const on = new Set(glyphs.filter(g => unit.contains(g.el)).map(g => g.line));
      if (on.size > 1) problems.push(`"${unit.textContent.trim()}" is split over ${on.size} lines`);
    }
    out.push({text: root.textContent.replace(/\s+/g, " ").trim(), lines: lines.length, problems});
  }
  return out;
}"""


def byline_problems(page, selector=".nr-byline") -> tuple[list[str], int, int]:
    """Every problem of every byline on the page, how many bylines there are and how many wrap."""
    found = page.evaluate(BYLINE_LINES, selector)
    problems = [f"{b['text']!r}: {p}" for b in found for p in b["problems"]]
    return problems, len(found), sum(b["lines"] > 1 for b in found)


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["375", "1280"])
def test_no_line_of_a_byline_starts_with_a_separator(chromium, paper, viewport):
    """The front page, a section's list and each kind of article: every byline on them."""
    paths = ["/", paper.section, *(paper.articles[k] for k in ARTICLE_KINDS if k in paper.articles)]
    seen = wrapped = 0
    problems = []
    with tab(chromium, viewport) as page:
        for path in paths:
            goto(page, paper.base_url + path)
            found, count, wraps = byline_problems(page)
            problems += [f"{path}: {p}" for p in found]
            seen += count
            wrapped += wraps
    assert seen >= len(paths), f"only {seen} bylines on {paths}"
    assert not problems, "\n".join(problems)
    if viewport is PHONE and paper.name == "sample":
        assert wrapped, "no byline wraps at 375 px, so nothing here tried the separators at a line's start"


# Bylines laid out the way the theme used to: the date glued to its separator, which then starts a line.
OLD_BYLINES = """<!doctype html><html lang="en"><head><style>
  body { font: 15px/1.4 sans-serif; width: 16em; margin: 2em; }
  .date::before { content: "· "; } .names, .date, .date-text { white-space: nowrap; }
</style></head><body>
  <p class="nr-byline"><span class="names">By <a href="#a">Amira Haddad</a></span> <span class="date">24 November 2026</span></p>
  <p class="nr-byline"><span class="names">By Amira Haddad</span> <span class="date-text">· 24 November 2026</span></p>
  <p class="nr-byline" dir="rtl"><span class="names">بقلم أميرة حداد</span> <span class="date">24 November 2026</span></p>
</body></html>"""


def test_the_byline_measure_finds_a_separator_that_starts_a_line(chromium, base_url, sample_paper):
    with tab(chromium, PHONE) as page:
        page.set_content(OLD_BYLINES)
        problems, count, wrapped = byline_problems(page)
    assert count == wrapped == 3
    assert len(problems) == 3 and all("starts" in p for p in problems), problems

    # The theme's own bylines, narrowed so the date goes to a second line: clean as they are, and a
    # separator that is not clipped away is found.
    url = base_url + _articles(sample_paper.output)["several-authors"]
    narrow = "main article .nr-byline { width: 11em; }"
    with tab(chromium, PHONE) as page:
        goto(page, url)
        page.add_style_tag(content=narrow)
        problems, count, wrapped = byline_problems(page, "main article .nr-byline")
        assert (count, wrapped, problems) == (1, 1, [])
        page.add_style_tag(content="main article .nr-byline { clip-path: none; }")
        problems, _, _ = byline_problems(page, "main article .nr-byline")
    assert problems and "starts with" in problems[0], problems


# --- Screenshots --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["375", "1280"])
def test_article_screenshots(chromium, base_url, sample_paper, viewport, scheme):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    articles = _articles(sample_paper.output)
    with tab(chromium, viewport, scheme=scheme) as page:
        for kind in ("picture", "no-picture", "right-to-left"):
            goto(page, base_url + articles[kind])
            page.evaluate(LOAD_EVERYTHING)
            path = SCREENSHOTS / f"article-layout-{kind}-{viewport['width']}-{scheme}.png"
            png = page.screenshot(path=str(path), full_page=True, animations="disabled")
            assert int.from_bytes(png[16:20], "big") == viewport["width"]

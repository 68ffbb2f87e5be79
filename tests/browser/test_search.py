"""Site search on the served sample paper, as a reader uses it: type a word from one article's story, see the
result with its headline, standfirst and date, open it. Also: ?q= links, axe with results showing, and the
page without JavaScript.

The index is split by section (newsroom_search/search_shards.py) and merged in the browser: a word from
one story must still find that story alone (sections without the word must not answer with near misses),
a word many sections use finds stories from all of them, and the filters count across sections.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from .conftest import AXE_JS, INSTALL_HINT
from .test_pages import RUN_AXE, WCAG_AA_TAGS, format_violations

pytestmark = pytest.mark.browser

WORD_RE = re.compile(r"[a-z]{9,}")
RESULT = ".nr-search-result"


@pytest.fixture(scope="session")
def target(sample_paper):
    """One published article and a word from its story that no other article uses, nor any word sharing its
    first seven letters (so Pagefind's stemming cannot match another article either)."""
    stories = {}
    for path in sorted(sample_paper.output.glob("*/*/index.html")):
        soup = sample_paper.soup("/" + path.parent.relative_to(sample_paper.output).as_posix() + "/")
        body = soup.select_one("[data-pagefind-body]")
        if body is not None:
            url = "/" + path.parent.relative_to(sample_paper.output).as_posix() + "/"
            stories[url] = (soup, set(WORD_RE.findall(soup.select_one("article").get_text(" ").lower())))
    stems = Counter(w[:7] for _, words in stories.values() for w in {w[:7] for w in words})
    for url, (soup, words) in stories.items():
        body_words = set(WORD_RE.findall(soup.select_one("[data-pagefind-body]").get_text(" ").lower()))
        unique = sorted(w for w in body_words if stems[w[:7]] == 1)
        if unique:
            return {
                "url": url, "word": unique[0], "headline": soup.h1.get_text(" ", strip=True),
                "standfirst": soup.select_one(".nr-article__standfirst").get_text(" ", strip=True),
                "date": soup.select_one(".nr-byline__date time").get_text(strip=True),
            }
    pytest.fail("no article of the sample paper has a word of its own to search for")


def search(visit, word: str):
    visit.goto("/search/")
    field = visit.page.get_by_role("searchbox", name="Search this site")
    field.fill(word)
    visit.page.locator(RESULT).first.wait_for(state="visible")
    return field


def test_search_finds_an_article_by_a_word_of_its_story_and_opens_it(visit, target):
    search(visit, target["word"])
    results = visit.page.locator(RESULT)
    assert results.count() == 1
    first = results.first
    link = first.get_by_role("link")
    assert link.inner_text() == target["headline"]
    assert first.locator(".nr-search-result__standfirst").inner_text() == target["standfirst"]
    assert first.locator("time").inner_text() == target["date"]
    assert target["word"] in first.locator("mark").first.inner_text().lower()
    assert visit.page.url.endswith("/search/?q=" + target["word"])  # the address can be shared
    link.click()
    visit.page.wait_for_url(visit.base_url + target["url"])
    assert visit.page.locator("h1").inner_text() == target["headline"]
    assert visit.console_errors == [] and visit.outside_requests == []


def test_a_search_can_be_linked_to(visit, target):
    visit.goto("/search/?q=" + target["word"])
    visit.page.locator(RESULT).first.wait_for(state="visible")
    assert visit.page.get_by_role("searchbox", name="Search this site").input_value() == target["word"]
    assert visit.page.locator(RESULT).first.get_by_role("link").get_attribute("href") == target["url"]


def result_sections(visit) -> set[str]:
    return {href.strip("/").split("/")[0] for href in
            visit.page.locator(f"{RESULT} a").evaluate_all("links => links.map(a => a.getAttribute('href'))")}


def shards(sample_paper) -> list[str]:
    return [s["section"] for s in json.loads((sample_paper.output / "pagefind/shards.json").read_text())["shards"]]


def test_one_search_finds_articles_from_every_section_that_has_the_word(visit, sample_paper):
    assert len(shards(sample_paper)) > 5  # one index per section, merged by the page
    expected = set()
    for path in sample_paper.output.glob("*/*/index.html"):
        body = sample_paper.soup("/" + path.parent.relative_to(sample_paper.output).as_posix() + "/").select_one("[data-pagefind-body]")
        if body is not None and re.search(r"\bdesalination\b", body.get_text(" "), re.I):
            expected.add(path.parent.parent.name)
    assert len(expected) >= 2, expected  # the sample paper uses the word in two sections
    visit.goto("/search/?q=desalination")
    visit.page.wait_for_function("n => document.querySelectorAll('.nr-search-result').length === n",
                                 arg=len(expected))
    assert result_sections(visit) == expected
    assert visit.console_errors == [] and visit.outside_requests == []


def test_results_can_be_filtered_by_section(visit):
    visit.goto("/search/")
    visit.page.get_by_role("searchbox", name="Search this site").fill("water")
    visit.page.wait_for_function("() => /^\\d+ results? for/.test(document.querySelector('pagefind-summary').innerText)")
    before = int(visit.page.locator("pagefind-summary").inner_text().split()[0])
    assert before > 1
    visit.page.locator("summary", has_text="Section").click()
    # Each section's count comes from its own index; together they are the whole result. The filter that
    # tells the shards apart (search/pagefind.js) is not offered to readers.
    counts = [int(n) for n in visit.page.locator(
        "pagefind-filter-pane [data-filter-name='section'] .pf-filter-checkbox-count").all_inner_texts()]
    assert len([n for n in counts if n]) >= 2 and sum(counts) == before, counts
    assert visit.page.locator("pagefind-filter-pane [data-filter-name]").evaluate_all(
        "groups => groups.map(g => g.dataset.filterName)") == ["author", "section"]
    visit.page.get_by_role("checkbox", name=re.compile(r"^Middle East")).check()
    # The summary and the list update separately, and results below the fold load lazily: wait until the
    # count has dropped and every result drawn so far is from the section.
    visit.page.wait_for_function("""before => {
      const count = parseInt(document.querySelector("pagefind-summary").innerText);
      const links = [...document.querySelectorAll(".nr-search-result a")];
      return count < before && links.length > 0
        && links.every(a => a.getAttribute("href").startsWith("/middle-east/"));
    }""", arg=before)
    visit.page.locator("summary", has_text="Author").click()
    assert visit.page.get_by_role("checkbox", name=re.compile(r"^Amira Haddad")).is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_with_results_showing(visit, target, scheme):
    assert AXE_JS.is_file(), f"axe-core is missing at {AXE_JS}: {INSTALL_HINT}"
    visit.page.emulate_media(color_scheme=scheme)
    search(visit, target["word"])
    visit.page.add_script_tag(path=str(AXE_JS))
    violations = visit.page.evaluate(RUN_AXE, WCAG_AA_TAGS)
    if violations:
        report = format_violations(violations)
        pytest.fail(f"axe-core on /search/ with results ({scheme} scheme):\n{report}", pytrace=False)



LOOK = """a => {
  const style = getComputedStyle(a), probe = document.createElement("span");
  probe.style.color = "var(--nr-link-colour)";
  document.body.appendChild(probe);
  const link = getComputedStyle(probe).color;
  probe.remove();
  return {font: style.fontFamily, colour: style.color, underline: style.textDecorationLine, link};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_result_headline_looks_like_a_story_card_headline(visit, target, scheme):
    """In the headline face and the text colour, not underlined, as in a section's list, not the link blue."""
    visit.page.emulate_media(color_scheme=scheme)
    search(visit, target["word"])
    result = visit.page.locator(RESULT).first.get_by_role("link").evaluate(LOOK)
    section = "/" + target["url"].strip("/").split("/")[0] + "/"
    visit.goto(section)
    card = visit.page.locator(".nr-list .nr-list-item__link").first.evaluate(LOOK)
    headline_font = visit.page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--nr-font-headline')")
    assert result == card
    # The custom property keeps the stylesheet's spelling (minified: no space after a comma).
    assert result["font"].replace(", ", ",") == headline_font.strip().replace(", ", ",")
    assert result["colour"] != result["link"] and result["underline"] == "none"

def test_without_javascript_the_page_points_to_the_archive(chromium, base_url):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "/search/")
        message = page.locator(".nr-search__no-js")
        assert message.is_visible() and "needs JavaScript" in message.inner_text()
        assert not page.get_by_role("main").get_by_role("searchbox").count()  # the header's plain form is not in main
        page.get_by_role("link", name="the archive").click()
        page.wait_for_url(base_url + "/archive/")
    finally:
        context.close()


def test_the_page_says_so_when_the_list_of_indexes_cannot_be_read(visit):
    visit.page.route("**/pagefind/shards.json", lambda route: route.fulfill(status=404, body="gone"))
    visit.goto("/search/")
    message = visit.page.locator("[data-nr-search-failed]")
    message.wait_for(state="visible")
    assert "not available" in message.inner_text()
    assert message.get_by_role("link", name="the archive").get_attribute("href") == "/archive/"
    # The component UI was never started (the header's plain search form is outside main).
    assert not visit.page.get_by_role("main").get_by_role("searchbox").count()

"""The web fonts a reader gets: loaded, and from the site's own origin (document.fonts in Chromium)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

LOADED_FACES = """async () => {
  await document.fonts.ready;
  return [...document.fonts].filter(f => f.status === "loaded").map(f => `${f.family} ${f.weight} ${f.style}`);
}"""
FONT_FILES = """() => performance.getEntriesByType("resource").map(e => e.name).filter(n => /\\.(woff2?|ttf|otf)(\\?|$)/.test(n))"""


def faces_and_files(visit, path):
    visit.goto(path)
    return set(visit.page.evaluate(LOADED_FACES)), visit.page.evaluate(FONT_FILES)


@pytest.mark.parametrize("kind", ["front", "article", "section"])
def test_the_papers_faces_load_from_its_own_origin(visit, page_urls, kind):
    faces, files = faces_and_files(visit, page_urls[kind])
    for face in ("Source Serif 4 700 normal", "Source Serif 4 400 normal", "Source Sans 3 700 normal"):
        assert face in faces, (kind, sorted(faces))
    assert files and all(f.startswith(visit.base_url + "/theme/fonts/") for f in files), files
    # The headline and the story are set in the web font, not a system fallback.
    family = visit.page.evaluate("() => getComputedStyle(document.querySelector('h1, h2')).fontFamily")
    assert family.startswith('"Source Serif 4"'), family
    assert not visit.outside_requests and not visit.console_errors


def test_an_arabic_story_is_set_in_naskh_and_english_pages_never_fetch_it(visit, page_urls):
    faces, files = faces_and_files(visit, "/middle-east/gaza-fishermen-arabic/")
    assert {"Noto Naskh Arabic 400 normal", "Noto Naskh Arabic 700 normal"} <= faces, sorted(faces)
    _, english = faces_and_files(visit, page_urls["page"])
    assert not [f for f in english if "arabic" in f], english


def test_with_scripts_off_the_paper_is_set_in_system_faces_and_fetches_no_font(chromium, base_url, page_urls):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto(base_url + page_urls["article"], wait_until="load")
        files = page.evaluate(FONT_FILES)
        assert files == [], files
        headline = page.locator("h1").bounding_box()
        assert headline and headline["height"] > 20  # the page still reads, in the fallback serif
    finally:
        context.close()

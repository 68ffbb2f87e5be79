"""List pages (section, desk, tag, author, month) as built: each story a list_item, the header's facts.

The layout itself (one text column, thumbnails on phones) is measured in a browser in
tests/browser/test_list_layout.py; here is the markup it relies on and what Python decides to show.
"""

from __future__ import annotations

import pytest

from conftest import write_article
from newsroom_content.data_files import AuthorInfo
from newsroom_theme.listing import AuthorProfile, author_profile, author_profiles


@pytest.fixture
def site(fixture_site):
    """The fixture site built once per run: the tests given it only read its pages (see conftest)."""
    return fixture_site


@pytest.mark.parametrize(("info", "profile"), [
    (AuthorInfo("Amira Haddad", "Middle East correspondent", "Amira reports from Amman."),
     AuthorProfile("Middle East correspondent", "Amira reports from Amman.")),
    (AuthorInfo("Tom Reeve", "", "Tom covers the EU."), AuthorProfile("", "Tom covers the EU.")),
    (AuthorInfo("Tom Reeve", "  Europe editor ", ""), AuthorProfile("Europe editor", "")),
    (None, AuthorProfile("", "")),
])
def test_author_profile_shows_what_authors_yml_gives_and_nothing_in_its_place(info, profile):
    assert author_profile(info) == profile


def test_author_profiles_cover_every_listed_author():
    info = {"Amira Haddad": AuthorInfo("Amira Haddad", "Correspondent", "Bio.")}
    assert author_profiles(["Amira Haddad", "Nobody Listed"], info) == {
        "Amira Haddad": AuthorProfile("Correspondent", "Bio."), "Nobody Listed": AuthorProfile()}


def test_every_story_in_a_list_is_a_list_item_with_its_picture_last(site):
    for url in ("/middle-east/", "/world/", "/tag/diplomacy/", "/author/amira-haddad/", "/archive/2026/11/"):
        items = site.soup(url).select("ol.nr-list > li.nr-list__item")
        assert items, url
        for li in items:
            item = li.find("article", class_="nr-list-item")
            assert item is not None and li.find(class_="nr-card") is None, url
            parts = [child["class"][0] for child in item.find_all(recursive=False)]
            assert parts[-1] == "nr-list-item__image" if item.find("picture") else "nr-list-item__image" not in parts
            assert ("nr-list-item--picture" in item["class"]) == bool(item.find("picture")), url
            assert parts.index("nr-list-item__title") < parts.index("nr-list-item__meta")


def test_a_list_thumbnail_asks_for_a_thumbnail_sized_picture(site):
    item = site.soup("/middle-east/").select_one(".nr-list-item--picture")
    img = item.select_one(".nr-list-item__image img")
    assert img["loading"] == "lazy" and img["alt"]
    # The widths it is shown at (main.css, Listings): never the full width of a phone.
    assert img["sizes"] == "(min-width: 64em) 12rem, (min-width: 40em) 10rem, 6.5rem"
    assert item.select_one(".nr-list-item__image source")["sizes"] == img["sizes"]


def test_a_right_to_left_story_keeps_the_lists_layout_and_sets_only_its_words_right_to_left(site):
    listing = site.soup("/middle-east/")
    title = listing.find("a", href="/middle-east/gaza-fishermen-arabic/").find_parent(class_="nr-list-item__title")
    item = title.find_parent("article")
    assert not item.has_attr("dir") and not item.has_attr("lang")
    assert (title["lang"], title["dir"]) == ("ar", "rtl")
    assert (item.select_one(".nr-list-item__standfirst")["dir"]) == "rtl"
    english = listing.find("a", href="/middle-east/water-talks-resume-in-the-jordan-valley/").find_parent(class_="nr-list-item__title")
    assert (english["lang"], english["dir"]) == ("en", "ltr")


def test_section_lists_leave_out_the_kicker_that_would_repeat_the_section(site):
    assert site.soup("/middle-east/").select(".nr-list-item__kicker") == []
    kickers = [a.get_text() for a in site.soup("/world/").select(".nr-list-item__kicker a")]
    assert set(kickers) == {"Middle East", "Europe"}


def test_a_section_page_lists_its_desks_sections_with_itself_marked(site):
    subnav = site.soup("/middle-east/").find("nav", attrs={"aria-label": "Sections of World"})
    links = {a.get_text(): a.get("aria-current") for a in subnav.select(".nr-subnav__link")}
    assert links["Middle East"] == "page" and links["Europe"] is None
    desk = site.soup("/world/").find("nav", attrs={"aria-label": "Sections of World"})
    assert desk.select("[aria-current]") == []


def test_an_author_without_an_entry_has_no_invented_role_or_bio(build_site, site_content):
    write_article(site_content, "europe/2026-11-23-guest.md",
                  "Title: A guest writes\nDate: 2026-11-23 10:00\nCategory: Europe\nAuthors: Nadia Guest\n\nText.\n")
    site = build_site()
    page = site.soup("/author/nadia-guest/")
    assert page.h1.get_text() == "Nadia Guest"
    assert page.select(".nr-listing__kicker") == [] and page.select(".nr-author__bio") == []
    known = site.soup("/author/tom-reeve/")
    assert known.select_one(".nr-listing__kicker").get_text() == "Europe editor"
    assert known.select_one(".nr-author__bio").get_text() == "Tom covers the EU."


def test_a_long_month_is_paginated_and_each_page_keeps_the_other_months(build_site, site_content):
    for day in range(1, 8):
        write_article(site_content, f"europe/2026-11-0{day}-day-{day}.md",
                      f"Title: Day {day} report\nDate: 2026-11-0{day} 10:00\nCategory: Europe\n\nText.\n")
    site = build_site(DEFAULT_PAGINATION=5)
    first, second = site.soup("/archive/2026/11/"), site.soup("/archive/2026/11/page/2/")
    assert len(first.select(".nr-list-item")) == 5
    assert first.select_one(".nr-pagination a[rel=next]")["href"] == "/archive/2026/11/page/2/"
    assert second.select_one(".nr-pagination a[rel=prev]")["href"] == "/archive/2026/11/"
    assert second.title.get_text().startswith("November 2026, page 2 |")
    for page in (first, second):
        nav = page.find("nav", attrs={"aria-label": "Other months"})
        assert nav.find("a", rel="prev")["href"] == "/archive/2026/10/"

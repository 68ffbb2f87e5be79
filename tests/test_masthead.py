"""The masthead: the date line from the build's clock, the header's search and the section row grouped by desk
(newsroom_theme/masthead.py, theme/templates/partials/header.html). What a browser makes of them is in
tests/browser/test_masthead.py."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from conftest import REPO, epoch, load_settings
from newsroom_content.settings import build_desks
from newsroom_theme.masthead import dateline, language_tag, masthead, nav_groups

DESKS = [
    {"name": "World", "sections": ["Middle East", "Europe"]},
    {"name": "Comment", "kind": "opinion", "sections": ["Editorial", "Opinion"]},
    {"name": "Sport", "slug": "sport-desk", "sections": ["Sport"]},
]


@pytest.mark.parametrize("day,locale,expected", [
    (dt.date(2026, 12, 6), "en_GB", "Sunday 6 December 2026"),
    (dt.date(2026, 11, 25), "en_GB", "Wednesday 25 November 2026"),
    (dt.date(2027, 1, 1), "en_GB", "Friday 1 January 2027"),
    # The same four fields in the same order in every locale: no comma after the weekday.
    (dt.date(2026, 12, 6), "en_US", "Sunday 6 December 2026"),
    (dt.date(2026, 12, 6), "cy", "Dydd Sul 6 Rhagfyr 2026"),
])
def test_dateline_is_weekday_day_month_year(day, locale, expected):
    assert dateline(day, locale) == expected


def test_language_tag_is_what_the_browser_formats_with():
    assert language_tag("en_GB") == "en-GB"
    assert language_tag("cy") == "cy"


def test_each_desk_is_a_group_named_by_the_desk_unless_its_one_section_has_its_name():
    groups = nav_groups(build_desks({"NEWSROOM_DESKS": DESKS}))
    assert [(g.label, [s.name for s in g.sections]) for g in groups] == [
        ("World", ["Middle East", "Europe"]), ("Comment", ["Editorial", "Opinion"]), (None, ["Sport"])]


def test_masthead_links_search_only_when_the_site_has_it_and_falls_back_from_an_unknown_locale():
    desks = build_desks({"NEWSROOM_DESKS": DESKS})
    day = dt.date(2026, 12, 6)
    on = masthead({"NEWSROOM_LOCALE": "en_GB", "SEARCH_URL": "find/"}, day, desks, search_on=True)
    assert (on.search_url, on.dateline, on.locale, on.date) == ("find/", "Sunday 6 December 2026", "en-GB", day)
    assert masthead({"NEWSROOM_LOCALE": "en_GB"}, day, desks, search_on=False).search_url is None
    odd = masthead({"NEWSROOM_LOCALE": "xx_NOPE"}, day, desks, search_on=True)
    assert (odd.dateline, odd.locale, odd.search_url) == ("Sunday 6 December 2026", "en-GB", "search/")


def header(site, url="/"):
    return site.soup(url).find("header", class_="nr-header")


def test_built_header_prints_the_build_date_and_a_search_form_that_works_without_scripts(fixture_site):
    site = fixture_site  # SOURCE_DATE_EPOCH: 25 November 2026, 09:46 in London
    top = header(site)
    time = top.select_one("time.nr-header__date")
    assert (time.get_text(), time["datetime"], time["data-nr-dateline"]) == (
        "Wednesday 25 November 2026", "2026-11-25", "en-GB")
    form = top.find("form", attrs={"role": "search"})
    assert (form["action"], form.get("method")) == ("/search/", "get")
    field = form.find("input", attrs={"type": "search"})
    # The search page reads ?q= (theme/static/search/search.js); the field's name is the label's business.
    assert field["name"] == "q" and field.find_parent("label").get_text(" ", strip=True) == "Search the paper"
    assert form.find("button", attrs={"type": "submit"}).get_text(strip=True) == "Search"
    link = top.select_one("a.nr-header__search-link")
    assert (link["href"], link.get_text(strip=True)) == ("/search/", "Search")
    # The same header on another page type.
    assert header(site, "/middle-east/").select_one("time.nr-header__date").get_text() == "Wednesday 25 November 2026"


def test_built_section_row_groups_the_sections_by_desk_in_the_configured_order(build_site):
    site = build_site(NEWSROOM_SEARCH=False)
    nav = header(site).find("nav", attrs={"aria-label": "Sections"})
    groups = nav.select(".nr-nav__list > .nr-nav__desk > ul.nr-nav__group")
    desks = [{"name": d["name"], "sections": [s if isinstance(s, str) else s["name"] for s in d["sections"]]}
             for d in site_desks(site)]
    assert [g.get("aria-label") for g in groups] == [
        None if len(d["sections"]) == 1 and d["sections"][0] == d["name"] else d["name"] for d in desks]
    assert [[a.get_text() for a in g.select("a.nr-nav__link")] for g in groups] == [d["sections"] for d in desks]
    # Without search, the header offers none.
    assert not header(site).find("form") and not header(site).select(".nr-header__search-link")


def site_desks(site):
    return load_settings(REPO / "content", site.output)["NEWSROOM_DESKS"]


def test_date_line_is_the_day_in_the_sites_timezone(build_site):
    # 16:00 in London on the 25th is already 01:00 on the 26th in Tokyo.
    site = build_site(epoch=epoch("2026-11-25T16:00:00+00:00"), TIMEZONE="Asia/Tokyo", NEWSROOM_SEARCH=False)
    time = header(site).select_one("time.nr-header__date")
    assert (time.get_text(), time["datetime"]) == ("Thursday 26 November 2026", "2026-11-26")


def test_shared_header_is_rendered_per_section_not_reused_across_sections(build_site):
    # The header is a shared fragment keyed on what it reads: the current section must still differ.
    site = build_site(NEWSROOM_SEARCH=False)
    assert [a.get_text() for a in header(site, "/middle-east/").select("[aria-current]")] == ["Middle East"]
    assert [a.get_text() for a in header(site, "/europe/").select("[aria-current]")] == ["Europe"]
    assert not header(site).select("[aria-current]")


def test_masthead_is_made_once_per_run():
    from newsroom_theme.masthead import CONTEXT_KEY, add_masthead

    context = {"TIMEZONE": "Europe/London", "NEWSROOM_BUILD_NOW": dt.datetime(2026, 12, 6, 9, tzinfo=dt.timezone.utc),
               "NEWSROOM_DESK_LIST": build_desks({"NEWSROOM_DESKS": DESKS}), "NEWSROOM_LOCALE": "en_GB",
               "NEWSROOM_SEARCH_CONFIG": SimpleNamespace(enabled=True)}
    add_masthead(SimpleNamespace(context=context))
    first = context[CONTEXT_KEY]
    add_masthead(SimpleNamespace(context=context))
    assert context[CONTEXT_KEY] is first and first.dateline == "Sunday 6 December 2026" and first.search_url == "search/"

"""The article page's parts and the byline, as the HTML a reader receives (parsed with BeautifulSoup).

The byline macro is rendered alone in a bare Jinja environment with example data; the page's layout is read
from one build of the fixture site. What a browser makes of them (the rail beside the story, bylines that
never start a line with a separator) is measured in tests/browser/test_article_layout.py.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from jinja2 import Environment, FileSystemLoader

from conftest import BUILD_EPOCH, FIXTURE_SITE, REPO, NewsroomPelican, Site, load_settings

UTC = dt.timezone.utc
LEAD = "/middle-east/water-talks-resume-in-the-jordan-valley/"
ARABIC = "/middle-east/gaza-fishermen-arabic/"


# --- The byline macro, alone ---------------------------------------------------------------------------------

def render_byline(authors: list[str], modified: bool, linked: bool = True) -> BeautifulSoup:
    env = Environment(loader=FileSystemLoader(str(REPO / "theme" / "templates")))
    macros = env.get_template("partials/macros.html").make_module({"SITEURL": "https://news.example"})
    article = SimpleNamespace(
        authors=[SimpleNamespace(name=name, url=f"author/{name.lower().replace(' ', '-')}/") for name in authors],
        date=dt.datetime(2026, 11, 24, 9, 30, tzinfo=UTC), locale_date="24 November 2026",
        modified=dt.datetime(2026, 11, 25, 18, 0, tzinfo=UTC) if modified else None,
        locale_modified="25 November 2026" if modified else None,
    )
    return BeautifulSoup(str(macros.byline(article, linked=linked)), "html.parser").find("p", class_="nr-byline")


def reads(element) -> str:
    return " ".join(element.get_text().split())


@pytest.mark.parametrize(("authors", "modified", "text"), [
    (["Amira Haddad"], False, "By Amira Haddad · 24 November 2026"),
    (["Amira Haddad", "Tom Reeve"], False, "By Amira Haddad and Tom Reeve · 24 November 2026"),
    (["Amira Haddad", "Tom Reeve", "Callum Reid"], True,
     "By Amira Haddad, Tom Reeve and Callum Reid · 24 November 2026 · Updated 25 November 2026"),
    ([], True, "24 November 2026 · Updated 25 November 2026"),
    ([], False, "24 November 2026"),
])
def test_byline_parts_are_units_with_a_separator_only_between_them(authors, modified, text):
    byline = render_byline(authors, modified)
    assert reads(byline) == text
    parts = byline.find_all(recursive=False)
    names = ["authors"] * bool(authors) + ["date"] + ["updated"] * modified
    assert [p["class"] for p in parts] == [["nr-byline__part", f"nr-byline__{n}"] for n in names]
    # Every part but the first opens with its separator, hidden from screen readers; nothing else in the
    # byline is a separator (the old one was drawn by CSS in front of the date, wherever the date fell).
    for n, part in enumerate(parts):
        separators = part.select(".nr-byline__separator")
        assert len(separators) == (n > 0), (n, part)
        if separators:
            assert part.contents[0] is separators[0] and separators[0]["aria-hidden"] == "true"
    assert len(byline.select(".nr-byline__separator")) == len(parts) - 1


def test_byline_names_are_whole_links_or_whole_names():
    linked = render_byline(["Amira Haddad", "Tom Reeve"], False)
    assert [(a.get_text(), a["href"]) for a in linked.select("a.nr-byline__author")] == [
        ("Amira Haddad", "https://news.example/author/amira-haddad/"), ("Tom Reeve", "https://news.example/author/tom-reeve/")]
    plain = render_byline(["Amira Haddad", "Tom Reeve"], False, linked=False)
    assert not plain.find("a") and [s.get_text() for s in plain.select("span.nr-byline__author")] == ["Amira Haddad", "Tom Reeve"]


def test_byline_dates_are_machine_readable_and_keep_their_own_direction():
    times = render_byline(["Amira Haddad"], True).find_all("time")
    assert [(t["datetime"], t.get_text(), t["dir"]) for t in times] == [
        ("2026-11-24T09:30:00+00:00", "24 November 2026", "auto"), ("2026-11-25T18:00:00+00:00", "25 November 2026", "auto")]


# --- The page, built --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory, image_cache) -> Site:
    out = tmp_path_factory.mktemp("article-page") / "output"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(BUILD_EPOCH))
        NewsroomPelican(load_settings(FIXTURE_SITE, out, NEWSROOM_IMAGES_CACHE=str(image_cache))).run()
    return Site(out)


def test_the_story_column_comes_first_and_the_rail_holds_related_stories_then_the_appeals(site):
    main = site.soup(LEAD).find("main")
    page = main.select_one(".nr-article-page")
    story, rail = page.find_all(recursive=False)
    assert story["class"] == ["nr-article-page__story"] and rail["class"] == ["nr-article-page__rail"]
    assert [(c.name, c["class"][0]) for c in story.find_all(recursive=False)] == [("article", "nr-article"), ("nav", "nr-neighbours")]
    assert [el["class"][0] for el in rail.find_all(["section", "aside"])] == ["nr-related", "nr-promo", "nr-fund"]
    assert len(rail.select(".nr-related__item .nr-card")) == len(rail.select(".nr-related__item")) >= 3
    assert not story.select(".nr-promo, .nr-fund, .nr-related")  # the appeals never interrupt the story


def test_the_page_says_which_side_the_rail_stands_on(site):
    assert site.soup(LEAD).select_one(".nr-article-page")["class"] == ["nr-article-page", "nr-article-page--ltr"]
    arabic = site.soup(ARABIC)
    assert arabic.select_one(".nr-article-page")["class"] == ["nr-article-page", "nr-article-page--rtl"]
    assert arabic.select_one("article.nr-article")["dir"] == "rtl"


def test_the_correction_date_is_a_time_tag(site):
    corrected = site.soup("/middle-east/port-workers-walk-out-over-safety/")
    when = corrected.select_one(".nr-article__correction-date time")
    assert when["datetime"] and when["dir"] == "auto" and when.get_text().strip()

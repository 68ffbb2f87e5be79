"""Every field of the article content model reaches the built pages, with its default when left out."""

from __future__ import annotations

import re

import pytest

from conftest import write_article

ARTICLE = "/middle-east/water-talks-resume-in-the-jordan-valley/"


def test_title_section_and_standfirst(fixture_site):
    site = fixture_site
    page = site.soup(ARTICLE)
    assert [h.get_text(strip=True) for h in page.find_all("h1")] == ["Water talks resume in the Jordan valley"]
    section = page.select_one(".nr-article__section a")
    assert (section.get_text(), section["href"]) == ("Middle East", "/middle-east/")
    assert page.select_one(".nr-article__standfirst").get_text() == "Negotiators return to the table after a summer of shortages."


def test_standfirst_falls_back_to_first_paragraph(fixture_site):
    page = fixture_site.soup("/middle-east/port-workers-walk-out-over-safety/")
    assert page.select_one(".nr-article__standfirst").get_text() == "Dock workers stopped work on Tuesday after a crane collapse."


def test_dates_are_in_site_timezone_unless_offset_given(build_site, site_content):
    write_article(site_content, "europe/summer.md", """
Title: A summer story
Date: 2026-07-01 09:15
Category: Europe

Summer time in London is an hour ahead of UTC.
""")
    write_article(site_content, "europe/offset.md", """
Title: An offset story
Date: 2026-07-02 09:15+03:00
Category: Europe

Written in Amman time.
""")
    site = build_site()
    summer = site.soup("/europe/a-summer-story/").select_one(".nr-byline time")
    assert summer["datetime"] == "2026-07-01T09:15:00+01:00"
    assert summer.get_text() == "1 July 2026"
    offset = site.soup("/europe/an-offset-story/").select_one(".nr-byline time")
    assert offset["datetime"] == "2026-07-02T09:15:00+03:00"


def test_authors_link_to_author_pages_and_default_to_staff_reporter(fixture_site):
    site = fixture_site
    byline = site.soup(ARTICLE).select(".nr-byline a")
    assert [(a.get_text(), a["href"]) for a in byline] == [
        ("Amira Haddad", "/author/amira-haddad/"), ("Tom Reeve", "/author/tom-reeve/"),
    ]
    default = site.soup("/middle-east/port-workers-walk-out-over-safety/").select(".nr-byline a")
    assert [a.get_text() for a in default] == ["Staff reporter"]
    author_page = site.soup("/author/staff-reporter/")
    assert "Port workers walk out over safety" in author_page.get_text()
    assert author_page.select_one(".nr-author__bio").get_text() == "Reporting by the newsroom."


def test_default_author_is_a_setting(build_site):
    site = build_site(NEWSROOM_DEFAULT_AUTHOR="Ledger staff")
    byline = site.soup("/middle-east/port-workers-walk-out-over-safety/").select(".nr-byline a")
    assert [(a.get_text(), a["href"]) for a in byline] == [("Ledger staff", "/author/ledger-staff/")]


def test_tags(fixture_site):
    site = fixture_site
    tags = site.soup(ARTICLE).select(".nr-article__tags a")
    assert [(a.get_text(), a["href"]) for a in tags] == [("Water", "/tag/water/"), ("Diplomacy", "/tag/diplomacy/")]
    listed = [a.get_text() for a in site.soup("/tag/diplomacy/").select(".nr-list-item__title a")]
    assert listed == ["Water talks resume in the Jordan valley", "Port workers walk out over safety"]


def test_modified_shows_as_updated_and_correction_is_dated(fixture_site):
    page = fixture_site.soup("/middle-east/port-workers-walk-out-over-safety/")
    times = page.select(".nr-byline time")
    assert [t["datetime"] for t in times] == ["2026-11-18T17:05:00+00:00", "2026-11-19T10:00:00+00:00"]
    assert "Updated" in page.select_one(".nr-byline").get_text()
    correction = page.select_one(".nr-article__correction")
    assert "wrong number of workers on strike; it is 1,200" in correction.get_text()
    assert correction.find("time")["datetime"] == "2026-11-19T10:00:00+00:00"


def test_article_without_modified_or_correction(fixture_site):
    page = fixture_site.soup("/europe/rail-fares-frozen-for-a-year/")
    assert "Updated" not in page.select_one(".nr-byline").get_text()
    assert page.select_one(".nr-article__correction") is None
    assert page.select_one(".nr-article__figure") is None


def test_slug_from_title_or_explicit(fixture_site):
    site = fixture_site
    assert site.exists("/europe/rail-fares-frozen-for-a-year/")
    assert site.exists("/middle-east/gaza-fishermen-arabic/")


def test_lead_image_with_alt_caption_and_credit(fixture_site):
    site = fixture_site
    figure = site.soup(ARTICLE).select_one("figure.nr-article__figure")
    img = figure.find("img")
    # The source is 320 px wide: one resized copy, never upscaled.
    assert re.fullmatch(r"/images/sized/valley-[0-9a-f]{8}-320\.png", img["src"]), img["src"]
    assert img["alt"] == "A river valley drawn in blue and ochre bands"
    assert "The valley's farms depend on the river." in figure.figcaption.get_text()
    assert figure.select_one(".nr-article__credit").get_text() == "Illustration: Test Desk"
    assert (site.output / "images" / "valley.png").is_file()


def test_language_defaults_to_site_and_rtl_languages_get_dir(fixture_site):
    site = fixture_site
    english = site.soup(ARTICLE)
    assert (english.html["lang"], english.article["lang"], english.article["dir"]) == ("en", "en", "ltr")
    arabic = site.soup("/middle-east/gaza-fishermen-arabic/")
    # The page's chrome stays in the site's language; the article is Arabic, laid out right to left.
    assert (arabic.html["lang"], arabic.html["dir"]) == ("en", "ltr")
    assert (arabic.article["lang"], arabic.article["dir"]) == ("ar", "rtl")
    assert arabic.article.h1.get_text() == "صيادو غزة يعودون إلى البحر"


def test_status_hidden_is_published_but_not_listed(fixture_site):
    site = fixture_site
    assert site.exists("/europe/a-hidden-note-for-partners/")
    listed = site.soup("/europe/").get_text() + site.soup("/").get_text() + site.soup("/archive/2026/11/").get_text()
    assert "A hidden note for partners" not in listed
    # Nor searched: only a public story's body is marked for the search index.
    assert not site.soup("/europe/a-hidden-note-for-partners/").select_one(".nr-article__body").has_attr("data-pagefind-body")
    assert site.soup(ARTICLE).select_one(".nr-article__body").has_attr("data-pagefind-body")


@pytest.mark.parametrize("fields, public", [
    ({"status": "published"}, True),
    ({}, True),  # a page without a Status
    ({"status": "hidden"}, False),
    ({"status": "draft"}, False),
    ({"status": "published", "is_scheduled": True}, False),
    ({"status": "draft", "is_scheduled": True}, False),  # a scheduled article in the preview
])
def test_one_rule_says_what_is_public(fields, public):
    from types import SimpleNamespace

    from newsroom_content.enrich import is_public

    assert is_public(SimpleNamespace(**fields)) is public


def test_priority_lead_leads_the_front_page(fixture_site):
    site = fixture_site
    front = site.soup("/")
    lead = front.select_one(".nr-front__lead .nr-card__title a")
    assert lead.get_text() == "Water talks resume in the Jordan valley"
    # Priority top comes first among the top stories, before newer articles without it.
    top = [a.get_text() for a in front.select(".nr-front__stories .nr-card__title a")]
    assert top[0] == "Why we publish"
    assert top[1:] == ["Port workers walk out over safety", "صيادو غزة يعودون إلى البحر", "Rail fares frozen for a year"]


def test_without_a_lead_the_newest_article_leads(build_site, site_content):
    path = site_content / "articles/middle-east/2026-11-20-water-talks.md"
    path.write_text(path.read_text().replace("Priority: lead\n", ""))
    lead = build_site().soup("/").select_one(".nr-front__lead .nr-card__title a")
    assert lead.get_text() == "Water talks resume in the Jordan valley"  # 20 Nov is the newest published


def test_curly_quotes_in_body(fixture_site):
    body = fixture_site.soup(ARTICLE).select_one(".nr-article__body").get_text()
    assert "\u201cwe cannot wait another season\u201d" in body


def test_sections_are_grouped_into_desks(fixture_site):
    site = fixture_site
    desk = site.soup("/world/")
    assert desk.h1.get_text() == "World"
    assert [a.get_text() for a in desk.select(".nr-subnav__link")] == ["Middle East", "Europe", "Americas", "Africa", "Asia"]
    titles = [a.get_text() for a in desk.select(".nr-list-item__title a")]
    assert titles[0] == "Water talks resume in the Jordan valley"
    assert "Rail fares frozen for a year" in titles and "Why we publish" not in titles
    kicker = site.soup("/middle-east/").select_one(".nr-listing__kicker a")
    assert (kicker.get_text(), kicker["href"]) == ("World", "/world/")


def test_fund_and_cooperative_data_reach_the_page(build_site, site_content):
    (site_content / "data/fighting-fund.yml").write_text(
        "target: 20000\nraised: 12500.50\ncurrency: EUR\nperiod_start: 2026-11-01\nperiod_end: 2026-11-26\n"
        "donate_url: https://pay.example.org/give\n"
    )
    (site_content / "data/cooperative.yml").write_text(
        "heading: Owned by you\ntext: Buy a share for £1.\nlink_text: Become a supporter\nlink_url: /join/\n"
    )
    page = build_site().soup(ARTICLE)
    fund = page.select_one(".nr-fund").get_text(" ", strip=True)
    assert "You've raised €12,500.50" in fund and "We need €7,499.50" in fund and "1 day remaining" in fund
    assert page.select_one(".nr-fund progress")["value"] == "62"
    assert "62% of the €20,000 target raised" in fund
    donate = page.select_one(".nr-fund a")
    assert (donate.get_text(), donate["href"]) == ("Donate today", "https://pay.example.org/give")
    promo = page.select_one(".nr-promo")
    assert promo.h2.get_text() == "Owned by you"
    assert promo.select_one(".nr-promo__text").get_text() == "Buy a share for £1."
    assert (promo.a.get_text(), promo.a["href"]) == ("Become a supporter", "/join/")


def test_fund_after_the_period_says_it_has_ended(build_site):
    from conftest import epoch

    page = build_site(epoch=epoch("2026-12-05T12:00:00+00:00")).soup(ARTICLE)
    fund = page.select_one(".nr-fund").get_text(" ", strip=True)
    assert "appeal has ended" in fund and "remaining" not in fund


@pytest.mark.parametrize("settings, expected", [
    ({"SITEURL": "https://news.example/paper/"}, "https://news.example/paper"),
    ({"SITEURL": "https://news.example"}, "https://news.example"),
    ({"SITEURL": ""}, "http://127.0.0.1:8000"),
    ({"SITEURL": "/paper", "BIND": "0.0.0.0", "PORT": 9000}, "http://0.0.0.0:9000"),
    # Not an address links can be appended to: the preview's, as for a relative SITEURL.
    ({"SITEURL": "https://"}, "http://127.0.0.1:8000"),
    ({"SITEURL": "https://news.example/?x=1"}, "http://127.0.0.1:8000"),
])
def test_one_site_address_for_every_plugin(settings, expected):
    from newsroom_content.urls import site_url

    assert site_url(settings) == expected

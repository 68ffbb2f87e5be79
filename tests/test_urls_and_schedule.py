"""The URL scheme, pagination, scheduling by the build's clock, and drafts."""

from __future__ import annotations

import os

import pytest

from conftest import epoch, write_article


def test_url_scheme(fixture_site):
    site = fixture_site
    for url in (
        "/", "/middle-east/water-talks-resume-in-the-jordan-valley/", "/middle-east/", "/world/",
        "/author/amira-haddad/", "/tag/trade-unions/", "/archive/", "/archive/2026/11/", "/archive/2026/10/",
        "/about/", "/support-us/",
    ):
        assert site.exists(url), url
    # Sections with no articles yet still have a page, so the navigation never leads to a 404.
    assert "No articles here yet" in site.soup("/asia/").get_text()
    assert [a["href"] for a in site.soup("/archive/").select("main a")] == ["/archive/2026/11/", "/archive/2026/10/"]


def test_every_page_is_a_folder_with_an_index(fixture_site):
    site = fixture_site
    html = [os.path.relpath(os.path.join(d, f), site.output) for d, _, fs in os.walk(site.output) for f in fs if f.endswith(".html")]
    # 404.html is the one exception: servers look for it by that name.
    assert html and all(os.path.basename(p) == "index.html" for p in html if p != "404.html"), html
    assert "404.html" in html


def test_listing_links_point_at_pages_that_exist(fixture_site):
    site = fixture_site
    for url in ("/", "/world/", "/middle-east/", "/tag/diplomacy/", "/archive/2026/11/", "/author/tom-reeve/"):
        for href in site.main_links(url):
            if href.startswith("/"):
                assert site.exists(href.split("#")[0]), f"{url} links to missing {href}"


@pytest.mark.parametrize("listing,count", [("/middle-east/", 15), ("/world/", 16), ("/author/amira-haddad/", 14), ("/tag/diplomacy/", 14)])
def test_later_pages_live_under_page_n(build_site, site_content, listing, count):
    for i in range(12):
        write_article(site_content, f"middle-east/extra-{i}.md", f"""
Title: Extra report {i}
Date: 2026-09-{i + 1:02d} 10:00
Category: Middle East
Authors: Amira Haddad
Tags: Diplomacy

Body {i}.
""")
    site = build_site(DEFAULT_PAGINATION=5)
    pages = [listing] + [f"{listing}page/{n}/" for n in range(2, 10) if site.exists(f"{listing}page/{n}/")]
    seen = [a.get_text() for url in pages for a in site.soup(url).select(".nr-list-item__title a")]
    assert len(seen) == count and len(set(seen)) == count
    assert len(pages) == -(-count // 5)
    older = site.soup(listing).select_one(".nr-pagination a[rel=next]")
    assert older["href"] == f"{listing}page/2/"


def test_page_two_cannot_collide_with_a_slug(build_site, site_content):
    # Pelican's default names page 2 of /middle-east/ `middle-east2`; ours is /middle-east/page/2/.
    for i in range(3):
        write_article(site_content, f"middle-east/x{i}.md", f"Title: Report {i}\nDate: 2026-09-0{i + 1} 10:00\nCategory: Middle East\n\nText.\n")
    write_article(site_content, "middle-east/page.md", "Title: Page\nDate: 2026-09-09 10:00\nCategory: Middle East\n\nAbout pages.\n")
    site = build_site(DEFAULT_PAGINATION=2)
    assert site.soup("/middle-east/page/").h1.get_text() == "Page"
    assert site.exists("/middle-east/page/2/")


def test_scheduled_article_appears_when_its_date_arrives(build_site):
    before = build_site(epoch=epoch("2027-01-12T08:59:00+00:00"))
    assert not before.exists("/europe/new-year-budget-preview/")
    assert "New year budget preview" not in before.soup("/europe/").get_text()
    assert "New year budget preview" not in before.soup("/").get_text()
    after = build_site(epoch=epoch("2027-01-12T09:00:00+00:00"))
    assert after.exists("/europe/new-year-budget-preview/")
    assert "New year budget preview" in after.soup("/europe/").get_text()
    assert after.exists("/archive/2027/01/")


def test_drafts_never_in_a_normal_build(fixture_site):
    site = fixture_site
    assert not (site.output / "drafts").exists()
    text = "".join(p.read_text() for p in site.output.rglob("*.html"))
    assert "Unfinished draft about ferries" not in text
    assert "New year budget preview" not in text


def test_publish_settings_leave_drafts_out_and_use_absolute_urls(build_site):
    site = build_site(conf="publishconf.py")
    assert not (site.output / "drafts").exists()
    link = site.soup("/").select_one(".nr-card__title a")["href"]
    assert link.startswith("https://") and link.endswith("/middle-east/water-talks-resume-in-the-jordan-valley/")


def test_preview_shows_drafts_and_scheduled_articles_marked(build_site):
    site = build_site(NEWSROOM_PREVIEW=True)
    draft = site.soup("/drafts/unfinished-draft-about-ferries/")
    assert "Draft: not published." in draft.select_one(".nr-notice--draft").get_text()
    scheduled = site.soup("/drafts/new-year-budget-preview/")
    assert "Scheduled for 12 January 2027" in scheduled.select_one(".nr-notice--draft").get_text()
    box = site.soup("/").select_one(".nr-preview").get_text(" ", strip=True)
    assert "Unfinished draft about ferries" in box and "New year budget preview" in box
    # Still not among the published articles.
    assert "Unfinished draft about ferries" not in site.soup("/europe/").get_text()
    assert not site.exists("/europe/new-year-budget-preview/")

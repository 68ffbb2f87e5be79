"""The sample paper is complete: the content a newcomer sees on `make serve` covers the whole model."""

from __future__ import annotations

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def paper(sample_paper):
    """The run's shared build of the sample paper (read only here), and the settings with what the build
    derives from the content: NewsroomPelican.check_content puts check_site's desks, sections and authors
    there, and the same check is run here on the same content and day (the suite's clock)."""
    import datetime as dt

    from conftest import BUILD_EPOCH, load_settings
    from newsroom_checks import check_site

    settings = load_settings(REPO / "content", sample_paper.output)
    check = check_site(settings, dt.datetime.fromtimestamp(BUILD_EPOCH, dt.timezone.utc).date())
    settings.update(NEWSROOM_DESK_LIST=check.desks, NEWSROOM_SECTIONS=check.sections, NEWSROOM_AUTHOR_INFO=check.authors)
    return sample_paper, settings


def articles(site):
    return [p for p in site.output.glob("*/*/index.html") if p.parent.parent.name not in ("author", "tag", "archive", "drafts", "page")]


def test_the_sample_paper_has_no_problems():
    from newsroom_checks import check_site
    from conftest import load_settings
    import datetime as dt

    check = check_site(load_settings(REPO / "content", REPO / "unused"), dt.date(2026, 11, 25))
    assert [p.format() for p in check.problems] == []


def test_size_of_the_sample_paper(paper):
    site, settings = paper
    pages = articles(site)
    assert len(pages) >= 30
    sections = {p.parent.parent.name for p in pages}
    assert len(sections) >= 8
    assert len(settings["NEWSROOM_DESK_LIST"]) >= 3
    assert any(s.name == "Middle East" and s.desk.name == "World" for s in settings["NEWSROOM_SECTIONS"].values())
    bios = [a for a in settings["NEWSROOM_AUTHOR_INFO"].values() if a.bio]
    assert len(bios) >= 8
    for url in ("/about/", "/support-us/", "/become-a-supporter/", "/contact/", "/privacy/"):
        assert site.exists(url), url


def test_the_special_articles_are_there(paper):
    site, _ = paper
    texts = {p: p.read_text() for p in articles(site)}
    assert any("nr-article__correction" in t for t in texts.values()), "an article with a correction"
    assert sum("Updated" in site.soup("/" + str(p.relative_to(site.output).parent) + "/").select_one(".nr-byline").get_text() for p in texts) >= 2
    assert any('dir="rtl"' in t for t in texts.values()), "a right-to-left article"
    assert site.exists("/editorial/"), "an editorial"
    assert len(site.soup("/editorial/").select("main article")) >= 2
    assert site.soup("/tag/feature/").select("main article"), "a feature"
    scheduled = REPO / "content/articles/housing/2027-01-12-damp-and-mould-rules-for-private-renters-come-into-force.md"
    draft = REPO / "content/articles/music/2026-11-21-tidewater-choirs-new-album-is-a-gentle-triumph.md"
    assert scheduled.is_file() and "Status: draft" in draft.read_text()
    assert not site.exists("/housing/damp-and-mould-rules-for-private-renters-come-into-force/"), "the scheduled article stays out"
    assert not site.exists("/music/tidewater-choirs-new-album-is-a-gentle-triumph/") and not (site.output / "drafts").exists()


def test_every_lead_image_has_alt_text(paper):
    site, _ = paper
    images = [img for p in articles(site) for img in site.soup("/" + str(p.relative_to(site.output).parent) + "/").select(".nr-article__figure img")]
    assert len(images) >= 18
    assert all(img.get("alt", "").strip() for img in images)

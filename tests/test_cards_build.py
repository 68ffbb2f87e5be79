"""Share cards in real builds: what crawlers read from an article page's head (Open Graph, Twitter, JSON-LD),
the card files the build publishes, and that a rebuild does not draw an unchanged card again."""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import BUILD_EPOCH, FIXTURE_SITE, Site, as_headline, load_settings, write_article
from newsroom_cards import newsroom_cards
from newsroom_content import NewsroomPelican

WITHOUT_PICTURE = "/middle-east/port-workers-walk-out-over-safety/"
WITH_PICTURE = "/middle-east/water-talks-resume-in-the-jordan-valley/"
ARABIC = "/middle-east/gaza-fishermen-arabic/"
RAIL = "articles/europe/2026-10-02-rail-fares.md"
RAIL_URL = "/europe/rail-fares-frozen-for-a-year/"
COUNTS_RE = re.compile(r"newsroom_cards: (\d+) share cards: (\d+) drawn, (\d+) from the cache, (\d+) kept")


# Published articles of the fixture site without a picture: why-we-publish, rail-fares, the hidden note (its
# page is shared like any other), the Arabic fishermen and the port strike. The draft and the scheduled
# article are not built; the water talks have a picture.
CARDS = 5


def build_once(content: Path, out: Path, **settings) -> Site:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(BUILD_EPOCH))
        NewsroomPelican(load_settings(content, out, NEWSROOM_SEARCH=False, **settings)).run()
    return Site(out)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory, image_cache) -> Site:
    """The fixture site, built once for the tests that only read it."""
    return build_once(FIXTURE_SITE, tmp_path_factory.mktemp("cards") / "output", NEWSROOM_IMAGES_CACHE=str(image_cache))


def share(site, url: str) -> dict:
    """What a crawler reads of the page's share image: og:*, twitter:* and the NewsArticle's image."""
    soup = site.soup(url)
    metas = {m.get("property") or m.get("name"): m.get("content") for m in soup.head.find_all("meta")}
    blocks = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    (article,) = [b for b in blocks if b.get("@type") == "NewsArticle"]
    return {"meta": metas, "image": article["image"], "headline": soup.h1.get_text(" ", strip=True)}


def published_file(site, url: str) -> Path:
    path = re.sub(r"^https?://[^/]+/", "", url)
    return site.output / path


def card_counts(caplog) -> tuple[int, int, int, int]:
    found = [COUNTS_RE.search(r.getMessage()) for r in caplog.records]
    (match,) = [m for m in found if m]
    caplog.clear()
    return tuple(int(n) for n in match.groups())


@pytest.fixture
def cached_build(build_site, tmp_path, caplog):
    """build() -> Site: the fixture site built into one output with the caches on, as `make html` builds it."""
    caplog.set_level(logging.INFO, logger="newsroom_cards")

    def build(**settings):
        return build_site(output=tmp_path / "output", CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True,
                          CACHE_PATH=str(tmp_path / "cache"), NEWSROOM_SEARCH=False, **settings)

    return build


def test_an_article_without_a_picture_is_shared_with_its_card(fixture_site):
    site = fixture_site
    found = share(site, WITHOUT_PICTURE)
    meta = found["meta"]
    url = meta["og:image"]
    assert re.fullmatch(r"http://[^/]+/images/cards/port-workers-walk-out-over-safety-[0-9a-f]{10}\.png", url)
    assert (meta["og:image:type"], meta["og:image:width"], meta["og:image:height"]) == ("image/png", "1200", "630")
    assert meta["og:image:alt"] == "The Common Ledger: Middle East. Port workers walk out over safety"
    assert (meta["twitter:card"], meta["twitter:image"], meta["twitter:image:alt"]) == (
        "summary_large_image", url, meta["og:image:alt"])
    (image,) = found["image"]
    assert (image["url"], image["width"], image["height"], image["caption"]) == (url, 1200, 630, meta["og:image:alt"])
    with Image.open(published_file(site, url)) as card:
        assert (card.format, card.size) == ("PNG", (1200, 630))


def test_an_article_with_a_picture_keeps_it(fixture_site):
    site = fixture_site
    meta = share(site, WITH_PICTURE)["meta"]
    assert "/images/sized/" in meta["og:image"] and "/images/cards/" not in meta["og:image"]
    assert meta["twitter:card"] == "summary_large_image"
    cards = sorted(p.name for p in (site.output / "images" / "cards").iterdir())
    # One card per published article without a picture (the hidden one too: its page is shared like any).
    assert len(cards) == CARDS and not any(name.startswith("water-talks") for name in cards)


def test_the_card_shows_the_headline_as_the_site_does(build_site, site_content):
    typed = """Dockers' "last offer" -- and what's next"""
    write_article(site_content, "europe/2026-11-25-dockers.md", f"Title: {typed}\nDate: 2026-11-25 09:00\nCategory: Europe\n\nText.\n")
    site = build_site(NEWSROOM_SEARCH=False)
    url = [u for u in ("/europe/dockers-last-offer-and-whats-next/",) if site.exists(u)][0]
    found = share(site, url)
    assert found["headline"] == as_headline(typed)
    assert found["meta"]["og:image:alt"] == f"The Common Ledger: Europe. {as_headline(typed)}"


def test_the_arabic_article_gets_a_right_to_left_card(fixture_site):
    site = fixture_site
    meta = share(site, ARABIC)["meta"]
    assert meta["og:image:alt"].endswith("صيادو غزة يعودون إلى البحر")
    path = published_file(site, meta["og:image"])
    with Image.open(path) as card:
        rgb = card.convert("RGB")
    # Set from the right margin (72 px): the section (in the brand colour) and the headline (in the text
    # colour) end there, and the section, far shorter than the line, starts well right of the middle.
    background, text, brand = rgb.getpixel((2, 2)), rgb.getpixel((600, 137)), rgb.getpixel((600, 625))
    body = [(x, y, rgb.getpixel((x, y))) for x in range(0, 1200, 2) for y in range(150, 600, 3)]
    section = [x for x, _, colour in body if colour == brand]
    headline = [x for x, _, colour in body if colour == text]
    assert 1120 <= max(section) <= 1128 and min(section) > 900
    assert 1120 <= max(headline) <= 1128
    # The logo (its red: the name's edges are greys) is right of the paper's name.
    logo = [x for x in range(0, 1200, 2) for y in range(40, 112, 3) if rgb.getpixel((x, y))[0] - rgb.getpixel((x, y))[2] > 60]
    assert min(logo) > 1000


def test_cards_off_shares_the_logo(build_site):
    site = build_site(NEWSROOM_SEARCH=False, NEWSROOM_CARDS=False)
    meta = share(site, WITHOUT_PICTURE)["meta"]
    assert meta["og:image"].endswith("/images/logo.png") and meta["twitter:card"] == "summary"
    assert not (site.output / "images" / "cards").exists()


def test_a_headline_the_fonts_cannot_set_is_shared_with_the_logo(build_site, site_content, caplog):
    write_article(site_content, "europe/2026-11-25-moscow.md",
                  "Title: Переговоры в Москве\nDate: 2026-11-25 09:00\nCategory: Europe\nSlug: moscow-talks\n\nText.\n")
    site = build_site(NEWSROOM_SEARCH=False)
    assert share(site, "/europe/moscow-talks/")["meta"]["og:image"].endswith("/images/logo.png")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "newsroom_cards" in r.getMessage()]
    assert len(warnings) == 1 and "2026-11-25-moscow.md" in warnings[0] and "П" in warnings[0]


def test_a_rebuild_draws_no_card_and_leaves_the_files_alone(cached_build, caplog, monkeypatch):
    site = cached_build()
    assert card_counts(caplog) == (CARDS, CARDS, 0, 0)
    cards = sorted((site.output / "images" / "cards").iterdir())
    stamps = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cards}

    drawn = []
    monkeypatch.setattr(newsroom_cards, "card_png", lambda *a: drawn.append(a) or b"")
    site = cached_build()
    assert card_counts(caplog) == (CARDS, 0, 0, CARDS) and drawn == []
    after = sorted((site.output / "images" / "cards").iterdir())
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in after} == stamps


def test_a_changed_headline_draws_that_card_alone(cached_build, caplog, site_content):
    site = cached_build()
    caplog.clear()
    old = share(site, RAIL_URL)["meta"]["og:image"]
    story = site_content / RAIL
    story.write_text(story.read_text().replace("Title: Rail fares frozen for a year", "Title: Rail fares frozen again"))
    site = cached_build()
    assert card_counts(caplog) == (CARDS, 1, 0, CARDS - 1)
    new = share(site, "/europe/rail-fares-frozen-again/")["meta"]["og:image"]
    assert new != old and published_file(site, new).is_file()
    assert not published_file(site, old).exists()


def test_a_rebuild_takes_each_unchanged_card_s_plan_from_the_last_build(cached_build, caplog, site_content, monkeypatch):
    """Only the edited headline's card is worked out again (its text, fonts and key); the others come from
    the last build's plans, and every page names the same cards as before."""
    first = cached_build()
    named = {url: share(first, url)["meta"].get("og:image") for url in (RAIL_URL,)}
    worked_out = []
    real = newsroom_cards.card_key
    monkeypatch.setattr(newsroom_cards, "card_key", lambda text, style: worked_out.append(text.headline) or real(text, style))
    second = cached_build()
    assert worked_out == []
    assert {url: share(second, url)["meta"].get("og:image") for url in named} == named
    story = site_content / RAIL
    story.write_text(story.read_text().replace("Title: Rail fares frozen for a year", "Title: Rail fares frozen again"))
    cached_build()
    assert worked_out == ["Rail fares frozen again"]


def test_a_headline_the_fonts_cannot_set_keeps_the_logo_with_the_last_build_s_plans(build_site, site_content, tmp_path):
    write_article(site_content, "europe/2026-11-25-moscow.md",
                  "Title: Переговоры в Москве\nDate: 2026-11-25 09:00\nCategory: Europe\nSlug: moscow-talks\n\nText.\n")
    for _ in range(2):
        site = build_site(output=tmp_path / "output", CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True,
                          CACHE_PATH=str(tmp_path / "cache"), NEWSROOM_SEARCH=False)
        assert share(site, "/europe/moscow-talks/")["meta"]["og:image"].endswith("/images/logo.png")
        assert not list((site.output / "images/cards").glob("moscow-talks*"))


def test_a_lost_output_is_filled_from_the_cache(cached_build, caplog, tmp_path):
    cached_build()
    caplog.clear()
    shutil.rmtree(tmp_path / "output")
    cached_build()
    assert card_counts(caplog) == (CARDS, 0, CARDS, 0)


def test_a_changed_setting_links_the_cards_from_their_cache_instead_of_drawing_them(cached_build, caplog, tmp_path):
    # A setting no card shows renames the engine's own cache folder; the cards' folder outlasts it.
    cached_build()
    caplog.clear()
    shutil.rmtree(tmp_path / "output")
    cached_build(SITESUBTITLE="The reader-owned daily, since 2026")
    assert card_counts(caplog) == (CARDS, 0, CARDS, 0)
    assert len(list((tmp_path / "cache" / "cards").glob("*.png"))) == CARDS


def test_the_sample_paper_shares_every_article_without_a_picture_with_a_card(sample_paper):
    out = sample_paper.output
    cards = pictures = 0
    for page in out.glob("*/*/index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        og = soup.head.find("meta", property="og:type")
        if og is None or og["content"] != "article":
            continue
        image = soup.head.find("meta", property="og:image")["content"]
        assert "/images/logo.png" not in image, page
        if "/images/cards/" in image:
            cards += 1
            with Image.open(out / re.sub(r"^https?://[^/]+/", "", image)) as card:
                assert card.size == (1200, 630)
        else:
            pictures += 1
    assert (cards, pictures) == (16, 24)  # the two live blogs have no picture

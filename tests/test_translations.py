"""The interface catalogs (theme/translations/) and an Arabic story's labels on the built page."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from conftest import REPO, Site
from newsroom_commands.translations import folder_of, render, template_catalog
from newsroom_commands.cli import load_settings as read_pelicanconf

ARABIC = "/middle-east/gaza-fishermen-arabic/"
# What an English label inside the Arabic story would read as; each has an Arabic translation.
ENGLISH_LABELS = ["By", "Updated", "Share this article", "Topics", "Correction", "Email", "Middle East",
                  "Draft", "Scheduled", "November", "December"]


@pytest.fixture(scope="module")
def settings():
    return read_pelicanconf(str(REPO / "pelicanconf.py"), THEME=str(REPO / "theme"))


def messages(catalog) -> set:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


def test_the_template_catalog_is_up_to_date_with_the_templates_and_the_desks(settings):
    with open(folder_of(settings) + "/messages.pot", "rb") as f:
        committed = read_po(f)
    assert messages(committed) == messages(template_catalog(settings)), "run `make translations`"


@pytest.mark.parametrize("lang", ["ar"])
def test_every_catalog_translates_every_message(settings, lang):
    with open(f"{folder_of(settings)}/{lang}/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    assert messages(catalog) == messages(template_catalog(settings)), "run `make translations`"
    todo = [m.id for m in catalog if m.id and (m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    assert not todo, f"{lang}: untranslated or fuzzy: {todo}"


def test_a_catalog_written_again_is_the_same_bytes(settings):
    # make translations leaves a catalog alone when nothing changed; when it does write, it writes the
    # messages sorted and without line numbers, so a template edit changes only its own entries.
    pot = folder_of(settings) + "/messages.pot"
    with open(pot, "rb") as f:
        text = f.read()
    assert b"#: templates/" in text and b".html:" not in text.replace(b".html\n", b"")
    assert render(template_catalog(settings)).split(b"\n\n", 1)[1] == text.split(b"\n\n", 1)[1]


@pytest.fixture(scope="module")
def paper(sample_paper) -> Site:
    """The sample paper as `make html` builds it, built once per run and shared (tests/conftest.py): these
    tests only read its pages."""
    return sample_paper


def test_the_arabic_story_has_no_english_interface_text(paper):
    story = paper.soup(ARABIC).find("article", class_="nr-article")
    assert story["lang"] == "ar" and story["dir"] == "rtl"
    # Every text of the story's own markup but the names of people and the links' brand names.
    for element in story.select(".nr-byline__author, .nr-share__link"):
        if element.get_text(strip=True) != "البريد الإلكتروني":
            element.decompose()
    text = " ".join(story.get_text(" ").split())
    found = [word for word in ENGLISH_LABELS if word in text]
    assert not found, f"English interface text in the Arabic story: {found}"
    for label in ("بقلم", "شارك هذا المقال", "الشرق الأوسط", "نوفمبر"):
        assert label in text, label


def test_an_english_page_keeps_english_labels(paper):
    story = paper.soup("/europe/eu-states-scramble-to-meet-platform-work-deadline/").find("article", class_="nr-article")
    text = " ".join(story.get_text(" ").split())
    assert "By " in text and "Share this article" in text and "بقلم" not in text


def test_an_unchanged_catalog_is_recognised_and_left_alone(settings, tmp_path):
    from newsroom_commands.translations import same_messages, write_if_changed

    template = template_catalog(settings)  # it holds a plural message (the archive's "%(num)d article")
    assert any(not isinstance(m.id, str) for m in template)
    assert same_messages(folder_of(settings) + "/messages.pot", template)
    copy = tmp_path / "messages.pot"
    write_if_changed(str(copy), template)
    written = copy.stat().st_mtime_ns
    write_if_changed(str(copy), template_catalog(settings))
    assert copy.stat().st_mtime_ns == written

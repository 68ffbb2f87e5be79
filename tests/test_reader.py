"""Our Markdown reader keeps its converters between files; it must read every file as Pelican's does."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import slugify

from conftest import FIXTURE_SITE, REPO, as_headline, load_settings
from newsroom_markdown import NewsroomMarkdownReader
from newsroom_markdown.smart_punctuation import smarten_text

CORPUS = sorted(
    [*(REPO / "content").rglob("*.md"), *FIXTURE_SITE.rglob("*.md"), *(REPO / "tests/hostile").rglob("*.md")]
)


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reader")
    return load_settings(REPO / "content", tmp / "out")


def readable(path: Path) -> bool:
    try:
        path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return False
    return True


def test_the_corpus_is_big_enough():
    assert len(CORPUS) > 60


def test_every_file_reads_as_with_pelicans_reader_when_read_one_after_another(settings):
    ours = NewsroomMarkdownReader(settings)
    compared = 0
    # Twice through: state left by any file must not leak into the next one, nor into a second reading.
    for path in [*CORPUS, *reversed(CORPUS)]:
        if not readable(path):
            continue
        try:
            expected = MarkdownReader(settings).read(str(path))
        except Exception as e:  # noqa: BLE001 - then ours must fail the same way
            with pytest.raises(type(e)):
                ours.read(str(path))
            continue
        assert ours.read(str(path)) == as_we_read_it(expected, settings), path
        compared += 1
    assert compared > 100


# Smarty's characters, back to what is typed for them: a headline smartened is the headline typed.
TYPED_FOR = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "--", "—": "---", "…": "..."})
MARKDOWN_SYNTAX = set("*_`[]<>&\\!#")


def as_we_read_it(pelicans: tuple[str, dict], settings) -> tuple[str, dict]:
    """What our reader gives for a file Pelican's reader reads as `pelicans`: the same, except that the
    headline has smarty's punctuation, and the slug of the headline as typed is kept when it changed."""
    content, fields = pelicans
    typed = fields.get("title")
    if not isinstance(typed, str):
        return pelicans
    fields = dict(fields)
    if not MARKDOWN_SYNTAX.intersection(typed):
        fields["title"] = as_headline(typed)
    else:  # a document would read the syntax in it: the library's smarty alone, and only punctuation changes
        smart = smarten_text(Markdown(extensions=["markdown.extensions.smarty"]), typed)
        assert smart.translate(TYPED_FOR) == typed.replace("\x02", "").replace("\x03", "")
        fields["title"] = smart
    if fields["title"] != typed and "slug" not in fields:
        fields["slug"] = slugify(typed, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"],
                                 preserve_case=settings["SLUGIFY_PRESERVE_CASE"],
                                 use_unicode=settings["SLUGIFY_USE_UNICODE"])
    return content, fields


def test_the_build_reads_markdown_with_our_reader(build_site, monkeypatch):
    seen = []
    original = NewsroomMarkdownReader.read

    def spy(self, source_path):
        seen.append(source_path)
        return original(self, source_path)

    monkeypatch.setattr(NewsroomMarkdownReader, "read", spy)
    build_site()
    assert any(p.endswith("rail-fares.md") for p in seen)


STATEFUL = {
    "a-footnotes.md": "Title: A\nSummary: With a note[^s].\n\n# Intro\n\nText[^1] about HTML.\n\n# Intro\n\n"
                      "[^1]: The note.\n[^s]: Summary note.\n\n*[HTML]: Hypertext Markup Language\n\n[ref]: https://example.org\n",
    "b-plain.md": "Title: B\n\n# Intro\n\nMore about HTML, a [ref] and [ref][] link, and a note[^1].\n",
    "c-meta-like.md": "Title: C\nSummary: Second summary\n\nKey: value in the body, not metadata.\n",
}


def test_no_state_leaks_from_one_document_to_the_next(settings, tmp_path):
    paths = []
    for name, text in STATEFUL.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    ours = NewsroomMarkdownReader(settings)
    for path in paths + paths:
        assert ours.read(path) == MarkdownReader(settings).read(path), path
    content, _ = ours.read(paths[1])
    assert "<abbr" not in content and 'href="https://example.org"' not in content


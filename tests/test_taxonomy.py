"""The engine's articles generator (newsroom_engine.taxonomy) against Pelican's own, where it replaces a
method for speed: the same answers."""

from __future__ import annotations

import os

import pytest
from pelican.generators import ArticlesGenerator

from conftest import REPO, load_settings
from newsroom_engine.taxonomy import NewsroomArticlesGenerator


def generators(content, tmp_path):
    settings = load_settings(content, tmp_path / "out", IGNORE_FILES=["*.draft.md", ".#*"])
    made = []
    for cls in (ArticlesGenerator, NewsroomArticlesGenerator):
        made.append(cls(context={}, settings=settings, path=str(content), theme=settings["THEME"],
                        output_path=str(tmp_path / "out")))
    return made


@pytest.mark.parametrize("extensions", [None, ["md"], ["md", "markdown"], ["html", "htm", "rst"], [], False, ["yml"]])
def test_get_files_from_one_walk_is_pelicans(tmp_path, extensions):
    content = tmp_path / "content"
    content.mkdir()
    for name in ("europe/a.md", "europe/b.markdown", "europe/c.rst", "europe/skip.draft.md", "pages/about.html",
                 "data/fund.yml", "extra/.#lock.md", "images/x.jpg", "drafts/d.md", "top.md"):
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text("x", encoding="utf-8")
    pelican, ours = generators(content, tmp_path)
    for paths, exclude in ((["."], ["pages", "drafts"]), ("", None), (["europe", "pages"], [])):
        expected = pelican.get_files(paths, exclude=exclude, extensions=extensions)
        # Asked twice with other extensions in between: the second answer comes from the first walk.
        assert ours.get_files(paths, exclude=exclude, extensions=extensions) == expected
        ours.get_files(paths, exclude=exclude, extensions=["jpg"])
        assert ours.get_files(paths, exclude=exclude, extensions=extensions) == expected


def test_get_files_of_the_sample_paper_is_pelicans(tmp_path):
    pelican, ours = generators(REPO / "content", tmp_path)
    settings = pelican.settings
    for extensions in (None, pelican.readers.extensions, ["html"], pelican.readers.disabled_extensions):
        assert (ours.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"], extensions=extensions)
                == pelican.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"], extensions=extensions))


def test_get_files_walks_once_whatever_the_extensions(tmp_path, monkeypatch):
    """Pelican asks for the articles with its default extensions (None) and again for those of its disabled
    readers; parallel_read.py asks first. One walk answers all of them."""
    content = tmp_path / "content"
    for name in ("europe/a.md", "europe/b.rst", "pages/about.md"):
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text("x", encoding="utf-8")
    _, ours = generators(content, tmp_path)
    walks = []
    real_walk = os.walk
    monkeypatch.setattr(os, "walk", lambda *a, **k: walks.append(a[0]) or real_walk(*a, **k))
    for extensions in (None, None, ours.readers.disabled_extensions, ["md"], False):
        ours.get_files(["europe"], exclude=["pages"], extensions=extensions)
    assert len(walks) == 1
    assert ours.get_files(["europe"], exclude=["pages"]) == {"europe/a.md"}


class Story:
    def __init__(self, name, save_as=None):
        self.source_path, self.save_as = f"/content/{name}.md", save_as or f"{name}/index.html"

    def __repr__(self):
        return self.source_path


STORIES = [Story("a"), Story("b"), Story("c"), Story("d")]


@pytest.mark.parametrize("made, order, first", [
    ({"b", "d"}, "bdac", 2),  # the edited go first, each group in Pelican's order
    ({"c"}, "cabd", 1),
    (set(), "abcd", 0),  # nothing edited
    ({"a", "b", "c", "d"}, "abcd", 0),  # a first build: all made afresh
    ({"x"}, "abcd", 0),  # a file that is not an article (a page)
])
def test_changed_articles_go_first(made, order, first):
    from newsroom_engine.taxonomy import changed_first

    ordered, count = changed_first(STORIES, frozenset(f"/content/{name}.md" for name in made))
    assert "".join(s.source_path[9] for s in ordered) == order and count == first


def test_changed_articles_keep_their_place_when_two_articles_are_saved_at_one_path():
    """Pelican writes the first of two articles with one save_as and skips the second: which is first must
    not depend on which file was edited."""
    from newsroom_engine.taxonomy import changed_first

    clash = [Story("a", "same/index.html"), Story("b"), Story("c", "same/index.html")]
    assert changed_first(clash, frozenset({"/content/c.md"})) == (clash, 0)

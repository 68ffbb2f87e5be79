"""newsroom_engine/url_memo.py: URLs worked out once per build while pages are written, and formatted from
only the fields a URL setting names, with the same result as Pelican's own formatting."""

from __future__ import annotations

import datetime as dt

import pytest
from pelican.contents import Article, Page, Static
from pelican.urlwrappers import Author, Category, Tag

from conftest import REPO, load_settings
from newsroom_engine import url_memo
from newsroom_engine.pelican_compat import (
    ORIGINAL_EXPAND_SETTINGS, ORIGINAL_RELATIVE_SOURCE_PATH, ORIGINAL_URL_SETTING, format_urls_with, url_formatting,
)


@pytest.fixture(autouse=True)
def pelicans_url_formatting():
    """install() changes Pelican's Content class for the whole process: each test starts with Pelican's own
    formatting and leaves the class as it found it (a build installs the memo again when it starts)."""
    found = url_formatting()
    format_urls_with(ORIGINAL_URL_SETTING, ORIGINAL_RELATIVE_SOURCE_PATH, ORIGINAL_EXPAND_SETTINGS)
    yield
    url_memo.thaw()
    format_urls_with(*found)


@pytest.fixture
def settings(tmp_path):
    (tmp_path / "content").mkdir()
    return load_settings(tmp_path / "content", tmp_path / "output")


def story(settings, tmp_path, cls=Article, name="articles/europe/rail-fares.md", **metadata):
    path = tmp_path / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Title: x\n\ntext\n")
    if cls is not Static:
        metadata = {"title": "Rail fares frozen for a year", "date": dt.datetime(2026, 10, 2, 8, 0),
                    "category": Category("Europe", settings), "author": Author("Tom Reeve", settings),
                    "authors": [Author("Tom Reeve", settings)], "tags": [Tag("Transport", settings)], **metadata}
        metadata = {key: value for key, value in metadata.items() if value is not None}
    return cls("<p>text</p>", metadata, settings=settings, source_path=str(path), context={})


@pytest.fixture
def calls(monkeypatch):
    """The keys the memo asks Pelican's own get_url_setting for."""
    seen = []
    original = url_memo._original
    monkeypatch.setattr(url_memo, "_original", lambda self, key: seen.append(key) or original(self, key))
    return seen


def test_frozen_urls_are_worked_out_once_per_key(settings, tmp_path, calls):
    article = story(settings, tmp_path)
    url_memo.install()
    url_memo.freeze()
    urls = {(article.url, article.save_as) for _ in range(5)}
    assert urls == {("europe/rail-fares-frozen-for-a-year/", "europe/rail-fares-frozen-for-a-year/index.html")}
    assert sorted(calls) == ["save_as", "url"]


def test_before_freeze_and_after_thaw_urls_are_live(settings, tmp_path, calls):
    article = story(settings, tmp_path)
    url_memo.install()
    article.url, article.url
    assert calls == ["url", "url"]
    url_memo.freeze()
    assert article.url == "europe/rail-fares-frozen-for-a-year/"
    article.slug = "rail-fares-frozen"  # (metadata is final once frozen: the memo does not see this)
    assert article.url == "europe/rail-fares-frozen-for-a-year/"
    url_memo.thaw()
    assert article.url == "europe/rail-fares-frozen/"
    calls.clear()
    article.url, article.url
    assert calls == ["url", "url"]


def test_a_new_freeze_works_urls_out_again(settings, tmp_path, calls):
    """make serve builds again with the same objects in memory: a later build's freeze starts afresh."""
    article = story(settings, tmp_path)
    url_memo.install()
    url_memo.freeze()
    article.url
    url_memo.thaw()
    article.slug = "rail-fares-frozen"
    url_memo.freeze()
    calls.clear()
    assert article.url == article.url == "europe/rail-fares-frozen/"
    assert calls == ["url"]


def test_static_files_are_never_memoized(settings, tmp_path, calls):
    picture = story(settings, tmp_path, Static, "images/valley.png")
    url_memo.install()
    url_memo.freeze()
    assert picture.url == "images/valley.png"
    picture.override_url = "media/valley.png"  # Pelican moves a static file while it links it
    assert picture.url == "media/valley.png"
    picture.url, picture.save_as
    assert calls == ["url", "url", "url", "save_as"]


def test_the_relative_source_path_is_remembered_while_the_path_is_the_same(settings, tmp_path, monkeypatch):
    seen = []
    original = url_memo._original_relative
    monkeypatch.setattr(url_memo, "_original_relative",
                        lambda self, source_path=None: seen.append(source_path) or original(self, source_path))
    article = story(settings, tmp_path)
    url_memo.install()
    assert article.get_relative_source_path() == article.get_relative_source_path() == "articles/europe/rail-fares.md"
    assert seen == [None]
    article.source_path = str(tmp_path / "content/articles/europe/renamed.md")
    assert article.get_relative_source_path() == "articles/europe/renamed.md"
    settings["PATH"] = str(tmp_path / "content/articles")
    assert article.get_relative_source_path() == "europe/renamed.md"
    assert article.get_relative_source_path("other.md") == "other.md"  # another path: asked every time
    assert article.get_relative_source_path("other.md") == "other.md"
    assert seen == [None, None, None, "other.md", "other.md"]


# --- expand_settings: Pelican's url_format, field by field ---

@pytest.mark.parametrize("pattern", [
    "{slug}/",
    "{category}/{slug}/",
    "{date:%Y}/{date:%m}/{slug}.html",
    "{lang}/{slug}/",
    "{author}/{slug}/",
    "{path}",
    "{desk}/{slug}/",  # a metadata field
    "{title}",
    "{date:%Y}/{category}/{author}/{slug}-{lang}",
    "plain/",
])
@pytest.mark.parametrize("kind", ["article", "draft", "page"])
def test_expand_settings_formats_as_pelican_does(settings, tmp_path, pattern, kind):
    cls = Page if kind == "page" else Article
    content = story(settings, tmp_path, cls, f"{kind}s/one.md", desk="World",
                    **({"status": "draft"} if kind == "draft" else {}))
    settings[f"{kind.upper()}_URL"] = pattern
    ours = url_memo.expand_settings(content, "url", kind)
    assert ours == ORIGINAL_EXPAND_SETTINGS(content, "url", kind)
    assert ours != "" and "{" not in ours


def test_the_same_urls_with_the_memo_installed_as_without(settings, tmp_path):
    settings.update(ARTICLE_LANG_URL="{lang}/{slug}/", ARTICLE_LANG_SAVE_AS="{lang}/{slug}/index.html")
    items = [story(settings, tmp_path), story(settings, tmp_path, Page, "pages/about.md", title="About us"),
             story(settings, tmp_path, Article, "articles/ar.md", lang="ar", slug="fishermen",
                   translation="true"),
             story(settings, tmp_path, Static, "images/valley.png")]
    pelicans = [(item.url, item.save_as) for item in items]
    url_memo.install()
    url_memo.freeze()
    assert [(item.url, item.save_as) for item in items] == pelicans
    assert pelicans[2][0].startswith("ar/")  # the other language's URL setting was the one used


def test_a_field_the_content_lacks_is_a_key_error_as_with_pelican(settings, tmp_path):
    article = story(settings, tmp_path)
    settings["ARTICLE_URL"] = "{section_slug}/{slug}/"
    with pytest.raises(KeyError) as pelicans:
        ORIGINAL_EXPAND_SETTINGS(article, "url", "article")
    with pytest.raises(KeyError) as ours:
        url_memo.expand_settings(article, "url", "article")
    assert ours.value.args == pelicans.value.args == ("section_slug",)


def test_a_page_without_a_category_or_author(settings, tmp_path):
    page = story(settings, tmp_path, Page, "pages/about.md", title="About us", category=None, author=None,
                 authors=None)
    settings["PAGE_URL"] = "{category}/{author}/{slug}/"
    assert url_memo.expand_settings(page, "url", "page") == ORIGINAL_EXPAND_SETTINGS(page, "url", "page") == "//about-us/"


# Over the real stories (moved here from test_reader.py).
CORPUS_PATTERNS = [
    "{category}/{slug}/", "{date:%Y}/{date:%m}/{slug}.html", "{lang}/{path}", "{author}/{slug}-{lang}/",
    "archive/{date:%Y-%m-%d}/{title}/", "{summary}", "{nonexistent}",
]


@pytest.mark.parametrize("pattern", CORPUS_PATTERNS)
def test_url_settings_of_real_stories_format_as_pelicans_url_format_does(tmp_path, pattern):
    from pelican.readers import Readers

    from newsroom_engine.api import story_html
    from test_reader import CORPUS, readable

    settings = load_settings(REPO / "content", tmp_path / "out")
    readers = Readers(settings)
    stories = [p for p in CORPUS if "articles" in p.parts and readable(p)][:25]
    assert len(stories) == 25
    compared = 0
    local = {**settings, "ARTICLE_URL": pattern, "PAGE_URL": pattern, "DRAFT_URL": pattern}
    for path in stories:
        article = readers.read_file(str(path.parent), path.name, content_class=Article)
        page = Page(story_html(article), {"title": article.title}, settings, source_path=str(path))  # no date, author
        for content in (article, page):
            content.settings = local
            try:
                expected = pattern.format(**content.url_format)
            except KeyError as e:
                with pytest.raises(KeyError, match=str(e)):
                    url_memo.expand_settings(content, "url")
                continue
            assert url_memo.expand_settings(content, "url") == expected
            compared += 1
    if pattern == "{nonexistent}":
        assert compared == 0
    elif pattern == "{summary}":  # the stories with a Summary; the pages made here have none
        assert 20 <= compared < 25
    else:
        assert compared == 50

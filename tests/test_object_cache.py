"""newsroom_content's article cache (object_cache.py): unchanged stories are not made into Articles again.

tests/test_incremental.py proves that a build using the cache equals a clean one after each kind of change;
these tests show that the cache is used, what it stores, and when it steps aside.
"""

from __future__ import annotations

import logging

import pytest
from pelican import signals
from pelican.log import LimitFilter
from pelican.contents import Article
from pelican.urlwrappers import Category, Tag

from conftest import load_settings
from newsroom_engine.object_cache import SHARDS, ArticleCache, shard_of, static_links, unsafe_receivers
from test_incremental import STORY, cached, edit, many_articles
from test_build import tree_digest


def from_cache(site) -> tuple[int, int]:
    """(articles taken from the article cache, all articles) in the build that made `site`."""
    hits = site.report["articles_from_cache"]
    return hits, hits + site.report["articles_read"]


def test_a_rebuild_makes_only_the_edited_article_again(build_site, tmp_path, site_content):
    settings = cached(tmp_path / "cache", NEWSROOM_SEARCH=False)
    hits, total = from_cache(build_site(output=tmp_path / "site", **settings))
    assert hits == 0 and total >= 6
    assert from_cache(build_site(output=tmp_path / "site", **settings)) == (total, total)
    shards = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").glob("content-*/articles-*.pickle")}
    edit(site_content / STORY, "will not rise next year.", "will not rise next year, the minister said.")
    site = build_site(output=tmp_path / "site", **settings)
    assert from_cache(site) == (total - 1, total)
    assert "the minister said" in site.soup("europe/rail-fares-frozen-for-a-year/").get_text()
    # Only the edited story's shard of the cache is written again.
    after = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").glob("content-*/articles-*.pickle")}
    assert [name for name in after if after[name] != shards.get(name)] == [f"articles-{shard_of(str(site_content / STORY)):02d}.pickle"]


def test_a_deleted_story_leaves_the_cache(build_site, tmp_path, site_content):
    settings = cached(tmp_path / "cache", NEWSROOM_SEARCH=False)
    build_site(output=tmp_path / "site", **settings)
    (site_content / STORY).unlink()
    hits, total = from_cache(build_site(output=tmp_path / "site", **settings))
    assert hits == total
    [folder] = (tmp_path / "cache").glob("content-*")
    settings_for_cache = load_settings(site_content, tmp_path / "out")
    entries = ArticleCache(str(folder), settings_for_cache, {}).entries
    assert len(entries) == total and not any(path.endswith(STORY.split("/")[-1]) for path in entries)


def test_a_receiver_the_cache_does_not_know_turns_it_off(build_site, tmp_path, site_content, caplog):
    """Another plugin's content_object_init receiver must see every Article of every build."""
    seen = []

    def count_articles(content):
        if isinstance(content, Article):
            seen.append(content.source_path)

    signals.content_object_init.connect(count_articles)
    try:
        assert any(name.endswith("count_articles") for name in unsafe_receivers())
        settings = cached(tmp_path / "cache", NEWSROOM_SEARCH=False)
        build_site(output=tmp_path / "site", **settings)
        first = len(seen)
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="newsroom_engine"):
            site = build_site(output=tmp_path / "site", **settings)
        assert len(seen) == 2 * first and first >= 6
        assert "articles_from_cache" not in site.report, site.report
        assert any("count_articles" in r.getMessage() and "made afresh" in r.getMessage() for r in caplog.records)
        assert not list((tmp_path / "cache").glob("content-*/articles-*.pickle"))
    finally:
        signals.content_object_init.disconnect(count_articles)
    assert not unsafe_receivers()


def test_the_settings_and_context_are_not_stored_with_an_article(tmp_path):
    path = tmp_path / "story.md"
    path.write_text("Title: x\n\ntext\n")
    settings = load_settings(tmp_path, tmp_path / "out", NEWSROOM_UNIQUE_MARK="settings-marker-7f3a")
    context = {"articles": ["context-marker-91c2"]}
    category, tag = Category("Europe", settings), Tag("Rail strikes", settings)
    article = Article("<p>text</p>", {"title": "x", "category": category, "tags": [tag]}, settings,
                      source_path=str(path), context=context)
    cache = ArticleCache(str(tmp_path / "cache"), settings, context)
    assert cache.read(str(path), lambda: article) is article
    cache.save()
    [(identity, data, records, valid)] = cache.fresh.values()
    assert b"settings-marker-7f3a" not in data and b"context-marker-91c2" not in data
    assert len(data) < 4000
    # A later build gets the Article back, tied to its own settings and context, with slugs worked out.
    later_settings, later_context = dict(settings), {"articles": []}
    again = ArticleCache(str(tmp_path / "cache"), later_settings, later_context)
    assert again.valid(str(path))
    restored = again.read(str(path), lambda: pytest.fail("the cached Article should be used"))
    assert restored.settings is later_settings and restored._context is later_context
    assert restored.category.settings is later_settings and restored.tags[0].settings is later_settings
    assert restored.tags[0]._slug == "rail-strikes" and restored.content == article.content
    # A changed file is made again.
    path.write_text("Title: y\n\nother text\n")
    assert not again.valid(str(path))
    assert again.read(str(path), lambda: "made again") == "made again"


def test_the_classes_the_cached_articles_name_are_looked_up_once(tmp_path, monkeypatch):
    """Unpickling finds each class an entry names (Article, Category, the dates) from a table filled on
    first use, rather than by importing its module for every Article of the archive."""
    from newsroom_engine import object_cache

    monkeypatch.setattr(object_cache, "_CLASSES", {})
    settings = load_settings(tmp_path, tmp_path / "out")
    paths = []
    for number in range(3):
        path = tmp_path / f"story-{number}.md"
        path.write_text("Title: x\n\ntext\n")
        paths.append(str(path))
    cache = ArticleCache(str(tmp_path / "cache"), settings, {})
    for path in paths:
        cache.read(path, lambda path=path: Article("<p>text</p>", {"title": "x", "category": Category("Europe", settings)},
                                                   settings, source_path=path, context={}))
    cache.save()
    again = ArticleCache(str(tmp_path / "cache"), settings, {})
    restored = [again.read(path, lambda: pytest.fail("the cached Article should be used")) for path in paths]
    assert all(type(a) is Article and a.category.name == "Europe" for a in restored)
    assert object_cache._CLASSES[("pelican.contents", "Article")] is Article
    assert object_cache._CLASSES[("pelican.urlwrappers", "Category")] is Category


def test_an_article_from_the_cache_brings_the_files_its_text_links_to(tmp_path):
    """Pelican asks every article for the {static} and {attach} files it links to on every build; an
    Article from the cache brings the answer it gave when it was made."""
    path = tmp_path / "europe" / "story.md"
    path.parent.mkdir()
    path.write_text("Title: x\n\ntext\n")
    settings = load_settings(tmp_path, tmp_path / "out")
    html = ('<p><img src="{static}../images/port.jpg" alt=""> <a href="{attach}/files/report.pdf">report</a> '
            '<a href="{filename}other.md">other</a></p>')

    def make():
        return Article(html, {"title": "x", "category": Category("Europe", settings)}, settings,
                       source_path=str(path), context={})

    expected = make().get_static_links()
    assert expected == {"images/port.jpg", "files/report.pdf"}
    cache = ArticleCache(str(tmp_path / "cache"), settings, {})
    cache.read(str(path), make)
    cache.save()
    restored = ArticleCache(str(tmp_path / "cache"), dict(settings), {}).read(
        str(path), lambda: pytest.fail("the cached Article should be used"))
    restored.get_static_links = lambda: pytest.fail("the text should not be searched again")
    assert static_links(restored) == expected
    assert static_links(make()) == expected  # an Article the cache never saw: Pelican's own answer


def test_warnings_made_with_an_article_are_logged_again_from_the_cache(tmp_path, caplog):
    path = tmp_path / "story.md"
    path.write_text("Title: x\n\ntext\n")
    settings = load_settings(tmp_path, tmp_path / "out")

    def make():
        logging.getLogger("pelican.readers").warning("Empty alt attribute for image %s in %s", "a.jpg", path)
        return Article("<p>text</p>", {"title": "x"}, settings, source_path=str(path), context={})

    with caplog.at_level(logging.WARNING):
        cache = ArticleCache(str(tmp_path / "cache"), settings, {})
        cache.read(str(path), make)
        cache.save()
        caplog.clear()
        LimitFilter._raised_messages.clear()  # Pelican logs a warning once per process; a build is one
        ArticleCache(str(tmp_path / "cache"), settings, {}).read(str(path), lambda: pytest.fail("not cached"))
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("pelican.readers", logging.WARNING, f"Empty alt attribute for image a.jpg in {path}")]


@pytest.mark.parametrize("found_valid", [True, False])
def test_only_an_article_pelican_found_valid_skips_the_check_when_it_comes_from_the_cache(tmp_path, found_valid):
    path = tmp_path / "story.md"
    path.write_text("Title: x\n\ntext\n")
    settings = load_settings(tmp_path, tmp_path / "out")
    cache = ArticleCache(str(tmp_path / "cache"), settings, {})
    article = cache.read(str(path), lambda: Article("<p>text</p>", {"title": "x"}, settings, source_path=str(path),
                                                    context={}))
    # What Pelican's generate_context records: the Article, or None for a file it refused.
    cache.save({"story.md": article if found_valid else None}, str(tmp_path))
    restored = ArticleCache(str(tmp_path / "cache"), settings, {}).read(str(path), lambda: pytest.fail("not cached"))
    # A refused one is checked again, so its error is logged again and fails that build too.
    assert ("is_valid" in vars(restored)) is found_valid
    assert restored.is_valid() is found_valid  # (the test Article lacks the date and section Pelican needs)


def test_shards_spread_the_paths():
    counts = [0] * SHARDS
    for i in range(1600):
        counts[shard_of(f"/content/articles/europe/story-{i}.md")] += 1
    assert min(counts) > 50


def test_parallel_reading_fills_the_article_cache(build_site, tmp_path, site_content):
    """The first build reads on two processes; the second finds every story in the article cache and
    reads none, and both give the site a one-process clean build gives."""
    many_articles(site_content, 90)
    settings = cached(tmp_path / "cache", NEWSROOM_BUILD_WORKERS=2, NEWSROOM_SEARCH=False)
    first = build_site(output=tmp_path / "site", **settings)
    assert first.report["files_read_in_parallel"] >= 96 and from_cache(first)[0] == 0, first.report
    site = build_site(output=tmp_path / "site", **settings)
    hits, total = from_cache(site)
    assert hits == total >= 96
    assert "files_read_in_parallel" not in site.report, site.report
    single = build_site(output=tmp_path / "single", NEWSROOM_BUILD_WORKERS=1, NEWSROOM_SEARCH=False)
    assert tree_digest(site.output) == tree_digest(single.output)



def test_a_warm_build_sets_its_articles_aside_from_the_collector_until_the_run_ends(build_site, tmp_path):
    """With the archive taken from the article cache, the Articles are frozen (gc.freeze) once made, so
    the collector does not go through them at every collection; a cold build leaves the collector as it is;
    either way nothing stays frozen after the run, so `make serve`'s next run can collect them."""
    import gc

    frozen = []

    def note(generators):
        frozen.append(gc.get_freeze_count())

    signals.all_generators_finalized.connect(note)
    try:
        settings = cached(tmp_path / "cache")
        gc.unfreeze()
        build_site(output=tmp_path / "site", **settings)
        assert gc.get_freeze_count() == 0
        build_site(output=tmp_path / "site", **settings)
        assert gc.get_freeze_count() == 0
    finally:
        signals.all_generators_finalized.disconnect(note)
    assert frozen[0] == 0 and frozen[1] > 1000

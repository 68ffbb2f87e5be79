"""newsroom_engine/parallel_read.py: the content cache filled by worker processes before a generator reads.

The generators here are the build's own (NewsroomArticlesGenerator, with real readers over real files in
tmp_path), made as Pelican makes them. tests/test_incremental.py proves a whole build read in parallel
equals a one-process build; these tests show what the workers leave in the cache, and what they do not.
"""

from __future__ import annotations

import logging
import pickle

import pytest
from pelican.contents import Article
from pelican.urlwrappers import Author, Category, Tag

from conftest import load_settings, write_article
from newsroom_engine import receivers
from newsroom_engine.caching import stamp_by_identity
from newsroom_engine.object_cache import article_cache_of
from newsroom_engine.parallel_read import MIN_FILES, own_settings, parallel_report, prefill, uncached
from newsroom_engine.pelican_compat import file_stamp, reader_cache_has, reader_cache_put
from newsroom_engine.taxonomy import NewsroomArticlesGenerator


def test_wrappers_a_worker_sent_back_use_the_builds_settings():
    settings = {"SLUGIFY_SOURCE": "title"}
    sent = pickle.loads(pickle.dumps({"category": Category("Europe", settings), "tags": [Tag("Rail", settings)],
                                      "authors": [Author("Tom Reeve", settings)], "title": "x", "count": [1, 2]}))
    assert sent["category"].settings is not settings
    own_settings(sent, settings)
    assert sent["category"].settings is settings
    assert all(item.settings is settings for item in (*sent["tags"], *sent["authors"]))
    assert sent["title"] == "x" and sent["count"] == [1, 2]


def story_text(i: int) -> str:
    return f"Title: Story {i}\nDate: 2026-10-{1 + i % 28:02d} 08:00\nCategory: Europe\nTags: Rail\n\nText of story {i}.\n"


def write_stories(content, count: int) -> list[str]:
    return [str(write_article(content, f"europe/story-{i:03d}.md", story_text(i))) for i in range(count)]


def make_generator(tmp_path, content, workers: int = 2, **overrides) -> NewsroomArticlesGenerator:
    """The articles generator as a build with the caches on makes it, once the engine's receivers set its
    file stamps. It is made with one worker so that nothing is read in parallel before the test asks."""
    receivers.connect()
    settings = load_settings(content, tmp_path / "output", **{
        "CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path / "cache"), **overrides, "NEWSROOM_BUILD_WORKERS": 1})
    context = {**settings, "generated_content": {}, "static_links": set(), "static_content": {},
               "localsiteurl": settings["SITEURL"]}
    generator = NewsroomArticlesGenerator(context=context, settings=settings, path=settings["PATH"],
                                          theme=settings["THEME"], output_path=str(tmp_path / "output"))
    stamp_by_identity(generator)
    settings["NEWSROOM_BUILD_WORKERS"] = workers
    return generator


def fill(generator) -> int:
    return prefill(generator, generator.settings["ARTICLE_PATHS"], generator.settings["ARTICLE_EXCLUDES"])


def files_to_read(generator) -> list[str]:
    return uncached(generator, generator.settings["ARTICLE_PATHS"], generator.settings["ARTICLE_EXCLUDES"])


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    return folder


# --- uncached ---

def test_the_files_neither_cache_has_in_order(tmp_path, content):
    paths = write_stories(content, 3)
    (content / "articles/europe/notes.txt").write_text("no reader reads this")
    generator = make_generator(tmp_path, content)
    assert files_to_read(generator) == sorted(paths)
    readers = generator.readers
    reader_cache_put(readers, paths[1], file_stamp(readers, paths[1]), "<p>x</p>", {"title": "Story 1"})
    assert files_to_read(generator) == [paths[0], paths[2]]


def test_a_file_the_article_cache_holds_is_not_read_again(tmp_path, content):
    paths = write_stories(content, 3)
    first = make_generator(tmp_path, content)
    cache = article_cache_of(first)
    cache.read(paths[0], lambda: Article("<p>x</p>", {"title": "Story 0"}, first.settings, source_path=paths[0],
                                         context={}))
    cache.save()
    # The next build loads the article cache.
    assert files_to_read(make_generator(tmp_path, content, LOAD_CONTENT_CACHE=True)) == paths[1:]
    write_article(content, "europe/story-000.md", story_text(0) + "\nEdited.\n")
    assert files_to_read(make_generator(tmp_path, content, LOAD_CONTENT_CACHE=True)) == paths


# --- prefill ---

def test_workers_fill_the_reader_cache_with_what_the_reader_returns(tmp_path, content):
    paths = write_stories(content, MIN_FILES + 6)
    generator = make_generator(tmp_path, content)
    assert fill(generator) == len(paths)
    assert parallel_report(generator) == {"files_read_in_parallel": len(paths)}
    readers = generator.readers
    assert all(reader_cache_has(readers, path) for path in paths)
    assert files_to_read(generator) == []
    # What the generator will find for a file is what its own reader gives in this process.
    cached_body, cached_metadata = readers.get_cached_data(paths[7])
    body, metadata = readers.readers["md"].read(paths[7])
    assert cached_body == body and "Text of story 7." in body
    assert cached_metadata["title"] == metadata["title"] == "Story 7"
    assert cached_metadata["date"] == metadata["date"]
    assert cached_metadata["category"] == metadata["category"]
    assert cached_metadata["category"].settings is generator.settings  # not a worker's copy


@pytest.mark.parametrize("count, workers, overrides", [
    (MIN_FILES - 1, 2, {}),  # too few files to be worth forking
    (MIN_FILES + 6, 1, {}),  # one process asked for
    (MIN_FILES + 6, 2, {"CACHE_CONTENT": False}),  # no content cache to fill
    (MIN_FILES + 6, 2, {"CONTENT_CACHING_LAYER": "generator"}),  # Pelican's other cache stores Articles, not text
], ids=["few-files", "one-worker", "caches-off", "generator-layer"])
def test_no_worker_reads_when_it_would_not_help(tmp_path, content, count, workers, overrides):
    paths = write_stories(content, count)
    generator = make_generator(tmp_path, content, workers=workers, **overrides)
    assert fill(generator) == 0
    assert parallel_report(generator) == {}
    assert not any(reader_cache_has(generator.readers, path) for path in paths)


def test_only_uncached_files_are_read(tmp_path, content):
    paths = write_stories(content, MIN_FILES + 10)
    generator = make_generator(tmp_path, content)
    readers = generator.readers
    for path in paths[:10]:
        reader_cache_put(readers, path, file_stamp(readers, path), "<p>kept</p>", {"title": "kept"})
    assert fill(generator) == MIN_FILES
    assert readers.get_cached_data(paths[0]) == ("<p>kept</p>", {"title": "kept"})


def test_a_workers_warning_is_logged_by_the_build(tmp_path, content, caplog):
    paths = write_stories(content, MIN_FILES + 2)
    twice = write_article(content, "europe/twice.md", "Slug: first-slug\nSlug: second-slug\n" + story_text(99))
    generator = make_generator(tmp_path, content)
    with caplog.at_level(logging.WARNING):
        assert fill(generator) == len(paths) + 1
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("pelican.readers", logging.WARNING, f"Duplicate definition of `slug` for {twice}. Using first one.")]
    assert generator.readers.get_cached_data(str(twice))[1]["slug"] == "first-slug"


def test_a_file_a_worker_cannot_read_is_left_for_the_build(tmp_path, content, caplog):
    paths = write_stories(content, MIN_FILES + 2)
    broken = content / "articles/europe/broken.md"
    broken.write_bytes(b"Title: Broken\n\nNot UTF-8: \xff\xfe\n")
    generator = make_generator(tmp_path, content)
    with caplog.at_level(logging.WARNING):
        assert fill(generator) == len(paths)
    assert caplog.records == []  # the worker says nothing: the build reads it again and reports it
    assert not reader_cache_has(generator.readers, str(broken))
    assert files_to_read(generator) == [str(broken)]
    with pytest.raises(UnicodeDecodeError):
        generator.readers.readers["md"].read(str(broken))

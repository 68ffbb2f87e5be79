"""An incremental build gives exactly what a clean build gives.

Every test builds the fixture site once with the caches on (Pelican's content cache and our page manifest,
both under CACHE_PATH), changes one thing, builds again into the same output with the same caches, and
compares that byte for byte with a clean build of the changed site (fresh output, fresh cache). A cache
that misses an input shows up here as a stale page.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

from conftest import REPO, epoch, write_article
from test_build import tree_digest

STORY = "articles/europe/2026-10-02-rail-fares.md"


def cached(cache, **settings) -> dict:
    """Settings for a build with the caches on, kept in `cache`."""
    return {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(cache), **settings}


def incremental_and_clean(build_site, tmp_path, change, **settings):
    """Build, apply change(), rebuild incrementally; return (incremental digest, clean digest, rebuilt site)."""
    cache = tmp_path / "cache"
    output = tmp_path / "site"
    settings = cached(cache, **{"NEWSROOM_SEARCH": False, **settings})
    build_site(output=output, **settings)
    overrides = change() or {}
    site = build_site(output=output, **{**settings, **overrides})
    clean = build_site(output=tmp_path / "clean", **{**settings, **overrides, "CACHE_PATH": str(tmp_path / "fresh-cache")})
    return tree_digest(output), tree_digest(clean.output), site


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_nothing_changed(build_site, tmp_path):
    incremental, clean, _ = incremental_and_clean(build_site, tmp_path, lambda: None)
    assert incremental == clean


def test_edited_story_body(build_site, tmp_path, site_content):
    story = site_content / STORY
    incremental, clean, site = incremental_and_clean(
        build_site, tmp_path, lambda: edit(story, "will not rise next year.", "will not rise next year, the minister said."))
    assert incremental == clean
    assert "the minister said" in site.path("europe/rail-fares-frozen-for-a-year/").read_text()


def test_edited_headline_reaches_listings_feeds_and_neighbours(build_site, tmp_path, site_content):
    story = site_content / STORY
    incremental, clean, site = incremental_and_clean(
        build_site, tmp_path, lambda: edit(story, "Title: Rail fares frozen for a year", "Title: Rail fares frozen until 2028"))
    assert incremental == clean
    assert "Rail fares frozen until 2028" in site.path("europe/").read_text()
    assert "Rail fares frozen until 2028" in site.path("feeds/section/europe.atom.xml").read_text()


def test_added_story(build_site, tmp_path, site_content):
    def add():
        write_article(site_content, "europe/2026-11-24-ferry.md", """
Title: Ferry crews vote to strike
Date: 2026-11-24 08:00
Category: Europe
Summary: A first walkout in twenty years.
Authors: Tom Reeve
Tags: Transport, Strikes

Crews on the northern routes voted by a large majority.
""")
    incremental, clean, site = incremental_and_clean(build_site, tmp_path, add)
    assert incremental == clean
    assert site.exists("europe/ferry-crews-vote-to-strike/")



def test_a_story_in_a_new_month_links_the_month_before_to_it(build_site, tmp_path, site_content):
    """January's page is kept only while its neighbours are the same: February's first story adds its
    "next month" link (newsroom_theme/archive.py)."""
    def add():
        write_article(site_content, "europe/2027-02-03-ferry.md",
                      "Title: Ferry timetable cut\nDate: 2027-02-03 08:00\nCategory: Europe\n\nFewer sailings.\n")
    incremental, clean, site = incremental_and_clean(build_site, tmp_path, add, epoch=epoch("2027-02-10T12:00:00+00:00"))
    assert incremental == clean
    january = {a["rel"][0]: a.get_text() for a in site.soup("/archive/2027/01/").select(".nr-month-nav a")}
    assert january == {"prev": "November 2026", "next": "February 2027"}

def test_deleted_story(build_site, tmp_path, site_content):
    incremental, clean, site = incremental_and_clean(build_site, tmp_path, lambda: (site_content / STORY).unlink())
    assert incremental == clean
    assert not site.exists("europe/rail-fares-frozen-for-a-year/")


def test_story_moved_to_another_section(build_site, tmp_path, site_content):
    story = site_content / STORY
    incremental, clean, site = incremental_and_clean(
        build_site, tmp_path, lambda: edit(story, "Category: Europe", "Category: Middle East"))
    assert incremental == clean
    assert "Rail fares frozen for a year" in site.path("middle-east/").read_text()
    assert "Rail fares frozen for a year" not in site.path("europe/").read_text()


def test_changed_data_file(build_site, tmp_path, site_content):
    fund = site_content / "data/fighting-fund.yml"
    raised = next(line for line in fund.read_text(encoding="utf-8").splitlines() if line.startswith("raised:"))
    incremental, clean, site = incremental_and_clean(
        build_site, tmp_path, lambda: edit(fund, raised, "raised: 1234"))
    assert incremental == clean
    assert "£1,234" in site.path("europe/rail-fares-frozen-for-a-year/").read_text()


def test_changed_template(build_site, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)

    def change():
        edit(theme / "templates/partials/footer.html", "</footer>", "<p>Printed on recycled electrons.</p></footer>")

    incremental, clean, site = incremental_and_clean(build_site, tmp_path, change, THEME=str(theme))
    assert incremental == clean
    assert "recycled electrons" in site.path("europe/rail-fares-frozen-for-a-year/").read_text()


def test_a_changed_stylesheet_is_linked_under_its_new_fingerprint(build_site, tmp_path):
    # The templates' compiled bytecode is cached between builds; a fingerprint must not be baked into it.
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    incremental, clean, site = incremental_and_clean(
        build_site, tmp_path, lambda: edit(theme / "static/css/main.css", "*, *::before", ".nr-new { color: inherit; }\n*, *::before"),
        THEME=str(theme))
    assert incremental == clean
    linked = re.findall(r"theme/css/main\.[0-9a-f]{10}\.css", site.path("europe/rail-fares-frozen-for-a-year/").read_text())
    assert linked and all((site.output / name).is_file() for name in linked), linked
    assert ".nr-new" in (site.output / linked[0]).read_text()


def test_a_stylesheet_the_changed_theme_no_longer_links_leaves_the_site(build_site, tmp_path):
    # Kept pages do not ask for their stylesheets again; newsroom_assets remembers what the templates
    # asked for, but only for the theme it was asked of.
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    (theme / "static/css/extra.css").write_text(".nr-extra { color: inherit; }\n", encoding="utf-8")
    link = '<link rel="stylesheet" href="{{ SITEURL }}/{{ "css/extra.css"|asset }}">'
    edit(theme / "templates/search.html", "{% block head %}", "{% block head %}" + link)

    incremental, clean, site = incremental_and_clean(
        build_site, tmp_path, lambda: edit(theme / "templates/search.html", link, ""), THEME=str(theme))
    assert incremental == clean
    assert not list(site.output.glob("theme/css/extra.*.css"))


@pytest.mark.parametrize("overrides", [
    {"SITENAME": "The Common Ledger Weekly"},
    # A desk's slug changes the URL of the desk page and the links on every page's navigation.
    {"NEWSROOM_DESKS": [
        {"name": "World", "slug": "world-news", "sections": ["Middle East", "Europe", "Americas", "Africa", "Asia"]},
        {"name": "Britain", "sections": ["Politics", "Workplace", "Housing", "Environment"]},
        {"name": "Comment", "kind": "opinion", "sections": ["Editorial", "Opinion"]},
        {"name": "Culture", "sections": ["Books", "Film", "Music"]},
        {"name": "Sport", "slug": "sport-desk", "sections": ["Sport"]},
    ]},
    # A reading setting: Pelican's content cache alone would keep the old Markdown output.
    {"MARKDOWN": {"extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.meta": {},
                                        "markdown.extensions.toc": {}}, "output_format": "html5"}},
], ids=["sitename", "desk-slug", "markdown"])
def test_changed_setting(build_site, tmp_path, overrides):
    incremental, clean, site = incremental_and_clean(build_site, tmp_path, lambda: overrides)
    assert incremental == clean


def test_scheduled_story_goes_live_when_its_time_comes(build_site, tmp_path):
    """The cache must not freeze the build clock: the same files built later publish the scheduled story."""
    cache, output = tmp_path / "cache", tmp_path / "site"
    settings = cached(cache, NEWSROOM_SEARCH=False)
    build_site(output=output, **settings)
    later = epoch("2027-01-13T09:00:00+00:00")
    site = build_site(output=output, epoch=later, **settings)
    clean = build_site(output=tmp_path / "clean", epoch=later, **{**settings, "CACHE_PATH": str(tmp_path / "fresh")})
    assert tree_digest(site.output) == tree_digest(clean.output)
    assert site.exists("europe/new-year-budget-preview/")


def test_an_edit_renders_only_the_pages_that_show_the_story(build_site, tmp_path, site_content, caplog):
    story = site_content / STORY
    settings = cached(tmp_path / "cache", NEWSROOM_SEARCH=False)
    output = tmp_path / "site"
    build_site(output=output, **settings)
    edit(story, "will not rise next year.", "will not rise next year, the minister said.")
    report = build_site(output=output, **settings).report
    rendered, kept, replaced, deleted = (report[k] for k in ("rendered", "kept", "replaced", "deleted"))
    message = str(report)
    # The story itself and the front page, archive and feeds pages (which show every story) are
    # rendered; everything else, feeds included, is kept as it is.
    assert rendered <= 8, message
    assert kept >= 60, message
    # Of what was rendered, only the pages and feeds whose bytes changed replace the old files.
    assert 3 <= replaced <= 12 and deleted == 0, message


def test_an_edit_asks_write_file_only_for_the_pages_of_stories_it_changed(build_site, tmp_path, site_content,
                                                                         monkeypatch):
    """The articles generator asks the writer first (keep_article_page): an unchanged story's page is kept
    without write_file, yet announced (content_written) like every page, so the sitemaps still list it."""
    from pelican import signals

    from newsroom_engine.writer import NewsroomWriter

    story = site_content / STORY
    settings = cached(tmp_path / "cache", NEWSROOM_SEARCH=False)
    output = tmp_path / "site"
    build_site(output=output, **settings)
    edit(story, "will not rise next year.", "will not rise next year, the minister said.")
    through_write_file, announced = [], []
    original = NewsroomWriter.write_file

    def spy(self, name, template, context, *args, **kwargs):
        if kwargs.get("article") is not None:
            through_write_file.append(name)
        return original(self, name, template, context, *args, **kwargs)

    def announce(path, context):
        if context.get("article") is not None:
            announced.append(context["output_file"])

    monkeypatch.setattr(NewsroomWriter, "write_file", spy)
    signals.content_written.connect(announce)
    try:
        site = build_site(output=output, **settings)
    finally:
        signals.content_written.disconnect(announce)
    assert through_write_file == ["europe/rail-fares-frozen-for-a-year/index.html"]
    article_pages = {p.relative_to(site.output).as_posix() for p in site.output.glob("*/*/index.html")
                     if p.parent.parent.name not in ("tag", "author", "drafts", "pages")}
    assert len(announced) == len(set(announced)) and article_pages <= set(announced)
    assert "europe/rail-fares-frozen-for-a-year/" in site.path("sitemap.xml").read_text()


def test_a_rebuild_with_nothing_changed_renders_nothing(build_site, tmp_path, caplog):
    settings = cached(tmp_path / "cache", NEWSROOM_SEARCH=False)
    build_site(output=tmp_path / "site", **settings)
    site = build_site(output=tmp_path / "site", **settings)
    assert site.report["rendered"] == 0 and not site.report["swapped"], site.report
    # The stylesheets and script of the pages kept are still published under their fingerprinted names.
    assert len(list(site.output.glob("theme/css/main.*.css"))) == 1
    assert len(list(site.output.glob("theme/js/main.*.js"))) == 1


@pytest.mark.parametrize("process_from", [1, 10**9], ids=["looked at by a process", "looked at in the build"])
def test_pages_deleted_from_the_output_by_hand_are_made_again(build_site, tmp_path, monkeypatch, process_from):
    from newsroom_engine import presence

    monkeypatch.setattr(presence, "MIN_NAMES_FOR_PROCESS", process_from)
    settings = cached(tmp_path / "cache", NEWSROOM_SEARCH=False)
    build_site(output=tmp_path / "site", **settings)
    clean = tree_digest(tmp_path / "site")
    shutil.rmtree(tmp_path / "site/europe/rail-fares-frozen-for-a-year")  # an article page
    (tmp_path / "site/europe/index.html").unlink()  # a listing
    (tmp_path / "site/feeds/all.atom.xml").unlink()  # a feed
    site = build_site(output=tmp_path / "site", **settings)
    assert site.report["rendered"] >= 2, site.report
    assert tree_digest(tmp_path / "site") == clean


def many_articles(content, count: int) -> None:
    for i in range(count):
        write_article(content, f"europe/bulk-{i:03d}.md", f"""
Title: Bulk story number {i}
Date: 2026-10-{1 + i % 28:02d} {8 + i % 10:02d}:00
Category: {"Europe" if i % 3 else "Middle East"}
Authors: Tom Reeve
Tags: Transport{", Strikes" if i % 4 == 0 else ""}

"Quoted" text for story {i}, with *emphasis* and a [link](https://example.org/{i}).

A second paragraph -- with dashes.
""")


def test_reading_on_several_processes_gives_the_same_site(build_site, tmp_path, site_content):
    many_articles(site_content, 90)
    parallel = build_site(output=tmp_path / "parallel", **cached(tmp_path / "cache", NEWSROOM_BUILD_WORKERS=2,
                                                                 NEWSROOM_SEARCH=False))
    assert 90 < parallel.report["files_read_in_parallel"] < 100, parallel.report
    single = build_site(output=tmp_path / "single", NEWSROOM_BUILD_WORKERS=1, NEWSROOM_SEARCH=False)
    assert tree_digest(parallel.output) == tree_digest(single.output)


@pytest.mark.parametrize("value", [-1, "two", 1.5, True])
def test_a_bad_worker_count_is_refused(build_site, value):
    from newsroom_engine.api import EngineSettingsError

    with pytest.raises(EngineSettingsError, match="NEWSROOM_BUILD_WORKERS"):
        build_site(NEWSROOM_BUILD_WORKERS=value)


def test_an_incremental_build_indexes_the_whole_site_for_search(build_site, tmp_path, site_content):
    """The staging folder of an incremental build holds only what changed; search must still cover every
    story, and see the edit. The index is split by section (newsroom_search/search_shards.py): the
    edited story's section is indexed again, the others keep their shards."""
    import json

    settings = cached(tmp_path / "cache")
    output = tmp_path / "site"

    def indexed():
        shards = json.loads((output / "pagefind/shards.json").read_text())["shards"]
        entries = [json.loads((output / "pagefind" / s["bundle"] / "pagefind-entry.json").read_text()) for s in shards]
        return sum(language["page_count"] for entry in entries for language in entry["languages"].values())

    build_site(output=output, **settings)
    before = indexed()
    edit(site_content / STORY, "will not rise next year.", "will not rise next year, said Xylophonist.")
    build_site(output=output, **settings)
    assert indexed() == before >= 4
    assert not (output / "pagefind.next").exists() and not (output / "pagefind.old").exists()
    assert not list((output / "pagefind/sections").glob("*.next"))
    # The new word is in the index: Pagefind names its index chunks by their content, so they changed.
    clean = build_site(output=tmp_path / "clean", **{**settings, "CACHE_PATH": str(tmp_path / "fresh")})
    for shard in ("editorial", "europe", "middle-east"):
        assert sorted(os.listdir(output / "pagefind/sections" / shard / "index")) == \
            sorted(os.listdir(clean.output / "pagefind/sections" / shard / "index"))


def test_the_check_of_an_unchanged_story_is_redone_when_its_picture_goes(build_site, tmp_path, site_content, capsys):
    from newsroom_checks import ContentProblemsError

    settings = cached(tmp_path / "cache", NEWSROOM_SEARCH=False)
    build_site(output=tmp_path / "site", **settings)
    assert list((tmp_path / "cache").glob("content-*/checks-*.pickle"))
    (site_content / "images/valley.png").unlink()
    with pytest.raises(ContentProblemsError):
        build_site(output=tmp_path / "site", **settings)
    assert "2026-11-20-water-talks.md:8: error: Image:" in capsys.readouterr().err


def test_an_incremental_publish_build_has_every_precompressed_copy(build_site, tmp_path, site_content):
    settings = cached(tmp_path / "cache", NEWSROOM_ASSETS_PRECOMPRESS=True)
    output = tmp_path / "site"
    build_site(output=output, **settings)
    edit(site_content / STORY, "will not rise next year.", "will not rise next year, the minister said.")
    build_site(output=output, **settings)
    clean = build_site(output=tmp_path / "clean", **{**settings, "CACHE_PATH": str(tmp_path / "fresh")})
    assert tree_digest(output) == tree_digest(clean.output)

    def names(folder):
        # Pagefind names its filter and meta files after their (unstably ordered) bytes: compare the rest.
        return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                      if p.is_file() and (".css" in p.name or ".js" in p.name))

    # Pagefind's bundle is made after the output is updated: its copies must be there too.
    assert names(output / "pagefind") == names(clean.output / "pagefind")
    assert (output / "pagefind/pagefind-ui.js.br").exists()


@pytest.mark.parametrize("story", [76, 77])  # one of them is rendered by the forked worker
def test_a_page_that_fails_to_render_in_either_process_fails_the_build(build_site, tmp_path, site_content, story):
    many_articles(site_content, 90)
    output = tmp_path / "site"
    build_site(output=output, NEWSROOM_BUILD_WORKERS=2, NEWSROOM_SEARCH=False)
    before = tree_digest(output)
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    edit(theme / "templates/article.html", "{% block content %}",
         f'{{% block content %}}{{% if article.title == "Bulk story number {story}" %}}{{{{ article.nope() }}}}{{% endif %}}')
    with pytest.raises(Exception, match="nope|render process failed"):
        build_site(output=output, NEWSROOM_BUILD_WORKERS=2, NEWSROOM_SEARCH=False, THEME=str(theme))
    assert tree_digest(output) == before
    assert not (tmp_path / "site.partial").exists()


def test_urls_are_worked_out_once_per_article_while_pages_are_written(build_site, site_content, monkeypatch):
    from newsroom_engine import url_memo

    many_articles(site_content, 30)
    calls = []
    original = url_memo._original
    monkeypatch.setattr(url_memo, "_original", lambda self, key: calls.append((id(self), key)) or original(self, key))
    site = build_site(NEWSROOM_BUILD_WORKERS=1, NEWSROOM_SEARCH=False)
    assert site.exists("europe/bulk-story-number-7/")
    # Before the writer starts every call goes through (Pelican and the plugins set things up); after it,
    # each article and page asks once per key: 122 calls here, 860 without the memo.
    assert len(calls) < 300, len(calls)
    assert url_memo._current == 0  # thawed after the build


def test_tag_section_and_author_pages_are_the_same_as_with_pelicans_generator(build_site, tmp_path, site_content,
                                                                              monkeypatch):
    from pelican.generators import ArticlesGenerator

    from newsroom_content.build import NewsroomPelican

    many_articles(site_content, 40)
    for i in range(3):  # ties: the same date and time
        write_article(site_content, f"europe/tie-{i}.md",
                      f"Title: Tied story {i}\nDate: 2026-10-05 10:00\nCategory: Europe\nTags: Transport\n\nText.\n")
    ours = build_site(output=tmp_path / "ours", NEWSROOM_SEARCH=False)
    engine_classes = NewsroomPelican.generator_classes

    def with_pelicans(self, classes):
        return [ArticlesGenerator if cls.__name__ == "NewsroomArticlesGenerator" else cls
                for cls in engine_classes(self, classes)]

    monkeypatch.setattr(NewsroomPelican, "generator_classes", with_pelicans)
    pelicans = build_site(output=tmp_path / "pelican", NEWSROOM_SEARCH=False)
    assert tree_digest(ours.output) == tree_digest(pelicans.output)


def test_a_theme_that_shows_latest_news_on_article_pages_keeps_them_fresh(build_site, tmp_path, site_content):
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    edit(theme / "templates/article.html", "{% block content %}",
         '{% block content %}<ul class="latest">{% for other in articles[:2] %}<li>{{ other.title }}</li>{% endfor %}</ul>')

    many_articles(site_content, 40)  # enough stories that an old one's related and neighbours stay put

    def add():
        write_article(site_content, "editorial/2026-11-24-newest.md",
                      "Title: The newest story of all\nDate: 2026-11-24 23:00\nCategory: Editorial\nTags: Unique\n\nText.\n")

    incremental, clean, site = incremental_and_clean(build_site, tmp_path, add, THEME=str(theme),
                                                     NEWSROOM_BUILD_WORKERS=1)
    assert incremental == clean
    assert "The newest story of all" in site.path("middle-east/bulk-story-number-3/").read_text()


def test_the_search_index_is_left_alone_when_no_page_changed(build_site, tmp_path, caplog):
    settings = cached(tmp_path / "cache")
    output = tmp_path / "site"
    build_site(output=output, **settings)
    inodes = {p: p.stat().st_ino for p in (output / "pagefind").rglob("*") if p.is_file()}
    with caplog.at_level("INFO", logger="newsroom_search.newsroom_search"):
        build_site(output=output, **settings)
    assert any("no search record changed" in r.getMessage() for r in caplog.records)
    assert {p: p.stat().st_ino for p in (output / "pagefind").rglob("*") if p.is_file()} == inodes


def test_retagged_story_gets_new_related_stories(build_site, tmp_path, site_content):
    story = site_content / STORY
    page = "europe/rail-fares-frozen-for-a-year/"

    def related(site) -> list[str]:
        return [a["href"] for a in site.soup(page).select(".nr-related .nr-card__title a")]

    before = related(build_site(output=tmp_path / "before"))
    incremental, clean, site = incremental_and_clean(
        build_site, tmp_path, lambda: edit(story, "Tags: Transport", "Tags: Transport, Water, Diplomacy"))
    assert incremental == clean
    # The stories sharing the new tags now come first: the choices kept from the first build were not reused.
    assert related(site) != before
    assert set(related(site)[:2]) == {"/middle-east/water-talks-resume-in-the-jordan-valley/",
                                      "/middle-east/port-workers-walk-out-over-safety/"}

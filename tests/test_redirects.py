"""URLs never break: the first publication fixes an article's URL, and a deliberate move leaves a redirect.

Unit tests of the pure parts (git's output, the URL changes, the record, the plan, the files written), then
real builds of papers kept in git repositories of their own, edited as editors edit them: a changed line,
then a commit that no local tool saw (as a browser editor's would arrive), then a build on a fresh clone.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from conftest import BUILD_EPOCH, FIXTURE_SITE, REPO, load_settings
from moved_sites import commit, git, paper_repo, set_meta
from test_build import tree_digest

from newsroom_checks import ContentProblemsError, check_site
from newsroom_checks.history import History, UrlChange, Version, changes_between, parse_log, parse_raw
from newsroom_checks.redirects import GONE, RECORD_HEADER, RecordEntry, load_record, plan_redirects, record_text
from newsroom_checks.validation import ArticleRecord
from newsroom_redirects.files import Target, netlify_redirects, nginx_map, redirect_page
from newsroom_redirects.settings import RedirectsSettingsError, load_config

UTC = dt.timezone.utc
NOW = dt.datetime.fromtimestamp(BUILD_EPOCH, UTC)
DAY = 86400
PUBLISHED = BUILD_EPOCH - 3 * DAY  # when the test papers are first committed: every fixture story is live
RAIL = "articles/europe/2026-10-02-rail-fares.md"
RAIL_URL = "europe/rail-fares-frozen-for-a-year/"
A, B, C = "europe/a/", "europe/b/", "europe/c/"


# --- git's output ------------------------------------------------------------------------------------------------

BLOB1, BLOB2 = "1" * 40, "2" * 40
ZERO = "0" * 40


@pytest.mark.parametrize("raw, expected", [
    (f":100644 100644 {BLOB1} {BLOB2} M\0content/a.md\0", [(BLOB1, BLOB2, "content/a.md", "content/a.md")]),
    (f":100644 100644 {BLOB1} {BLOB2} R087\0content/x/a.md\0content/y/a.md\0",
     [(BLOB1, BLOB2, "content/x/a.md", "content/y/a.md")]),
    (f":000000 100644 {ZERO} {BLOB2} A\0new.md\0:100644 000000 {BLOB1} {ZERO} D\0old.md\0",
     [(ZERO, BLOB2, "new.md", "new.md"), (BLOB1, ZERO, "old.md", "old.md")]),
    ("", []),
])
def test_raw_diff_is_read_into_file_pairs(raw, expected):
    assert [(p.old_blob, p.new_blob, p.old_path, p.new_path) for p in parse_raw(raw)] == expected


def test_log_gives_each_pair_its_commit_and_time():
    log = (f"\x01{'a' * 40} 100\0\n:100644 100644 {BLOB1} {BLOB2} M\0x.md\0"
           f"\x01{'b' * 40} 200\0\n:100644 100644 {BLOB2} {BLOB1} M\0y.md\0")
    assert [(p.commit[0], p.when, p.new_path) for p in parse_log(log)] == [("a", 100, "x.md"), ("b", 200, "y.md")]


def version(url, public=True, date=None, slug=True):
    return Version(url, public, dt.datetime.fromtimestamp(date, UTC) if date is not None else None, slug)


@pytest.mark.parametrize("before, after, expected", [
    (version(A, date=50), version(B, date=50), (A, B, False)),  # a deliberate move: a new Slug
    (version(A, date=50, slug=False), version(B, date=50, slug=False), (A, B, True)),  # a new headline moved it
    (version(A, date=50, slug=False), version("politics/a/", date=50, slug=False), (A, "politics/a/", False)),  # section
    (version(A, date=50, slug=False), version(B, date=50, slug=True), (A, B, False)),  # the Slug written out
    (version(A, date=50), None, (A, None, False)),  # deleted
    (version(A, date=50), version(A, public=False, date=50), (A, None, False)),  # made a draft
    (version(A, date=50), version(A, date=60), None),  # same URL
    (version(A, date=150), version(B, date=150), None),  # still scheduled when it moved: never live at A
    (version(A, public=False, date=50), version(B, date=50), None),  # a draft moved: nothing was published
    (version(None, date=50), version(B, date=50), None),
    (None, version(B, date=50), None),  # added
])
def test_a_url_change_counts_only_if_the_old_url_was_live(before, after, expected):
    change = changes_between(before, after, 100, "x.md", "abc")
    assert (change and (change.old, change.new, change.by_title)) == expected


# --- the record file ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, line, field, message", [
    ("europe/a/: /europe/b/\n", 1, "europe/a/", "is not an old URL of this site."),
    ("/europe/a/:\n", 1, "/europe/a/", "has no new URL."),
    ("/europe/a/: europe/b/\n", 1, "/europe/a/", "'europe/b/' is not a URL of this site or another."),
    ("/europe/a/: /europe/b/\n/x y/: /z/\n", 2, "/x y/", "is not an old URL of this site."),
    ("- /europe/a/\n", 1, "file", "must be a list of `/old/url/: /new/url/` lines."),
    ("/europe/a/: [/b/\n", 2, "YAML", "cannot be read"),
])
def test_a_malformed_record_line_is_named_with_its_line(tmp_path, text, line, field, message):
    path = tmp_path / "redirects.yml"
    path.write_text(text, encoding="utf-8")
    entries, problems = load_record(str(path))
    assert [(p.line, p.field) for p in problems] == [(line, field)]
    assert message in problems[0].message and problems[0].fix


def test_record_round_trips_and_reads_back_the_same(tmp_path):
    record = {"europe/a/": "europe/b/", "x/": "https://elsewhere.example/story", "with:colon/": "y/"}
    path = tmp_path / "redirects.yml"
    path.write_text(record_text(record), encoding="utf-8")
    entries, problems = load_record(str(path))
    assert problems == [] and {e.old: e.new for e in entries} == record


# --- the plan -------------------------------------------------------------------------------------------------------

def rec(url, path=None, slug=True, date=0, public=True, kind="article"):
    return ArticleRecord(path or f"/c/{url.strip('/').replace('/', '-')}.md", url, 2, kind, public=public,
                         date=dt.datetime.fromtimestamp(date, UTC) if kind == "article" else None, slug_given=slug)


def change(old, new, when=10, by_title=False, path="articles/x.md"):
    return UrlChange(path, old, new, when, f"c{when}", by_title)


LISTINGS = {"": "the front page", "europe/": "the Europe section page"}


def plan(records, changes=(), entries=()):
    return plan_redirects(records, History(list(changes), available=True), list(entries), record_path="redirects.yml",
                          content_root="/c", listing_urls=LISTINGS, now=NOW)


@pytest.mark.parametrize("changes, redirects", [
    ([change(A, B, 10), change(B, C, 20)], {A: C, B: C}),  # moved twice: both old URLs straight to the last
    ([change(A, B, 10), change(B, C, 20), change(C, A, 30)], {B: A, C: A}),  # and back: A is live again
    ([change(A, None, 10)], {}),  # deleted: nothing to send readers to
    ([change(A, "europe/scheduled/", 10)], {}),  # the story is scheduled now: not live, so no redirect yet
    ([change(A, C, 20), change(A, B, 10)], {A: C}),  # the latest change wins (by time, not list order)
])
def test_git_moves_give_flat_redirects_to_where_the_story_lives_now(changes, redirects):
    records = [rec(A, path="/c/x.md") if A in redirects.values() else rec(C, path="/c/x.md"),
               rec("europe/scheduled/", date=BUILD_EPOCH + DAY)]
    result = plan(records, changes)
    assert result.redirects == redirects and [p for p in result.problems if p.is_error] == []
    assert {(m.old, m.new) for m in result.moves} == set(redirects.items())


def test_a_move_by_headline_alone_is_an_error_that_says_which_slug_keeps_the_url():
    result = plan([rec(B, slug=False)], [change(A, B, by_title=True)])
    assert result.redirects == {}
    [problem] = result.problems
    assert (problem.field, problem.line, problem.severity) == ("Title", 2, "error")
    assert "from /europe/a/ to /europe/b/" in problem.message and "in commit c10" in problem.message
    assert "`Slug: a`" in problem.fix and "`Slug: b`" in problem.fix


@pytest.mark.parametrize("entries, field, message, fix", [
    ([RecordEntry(A, "europe/nowhere/", 3)], "/europe/a/", "which is not a page of the site", "check the URL"),
    ([RecordEntry(A, B, 3), RecordEntry(B, C, 4)], "/europe/a/", "chain of redirects (/europe/a/ -> /europe/b/ -> /europe/c/)",
     "`/europe/a/: /europe/c/`"),
    ([RecordEntry(A, B, 3), RecordEntry(B, A, 4)], "/europe/a/", "loop of redirects", "point /europe/a/ at the page"),
    ([RecordEntry(C, B, 3)], "/europe/c/", "is the URL of /c/europe-c.md now", "remove the line"),
    ([RecordEntry("europe/", C, 3)], "/europe/", "is the URL of the Europe section page now", "remove the line"),
    ([RecordEntry(A, A, 3)], "/europe/a/", "redirects to itself.", "remove the line."),
])
def test_record_problems_name_the_line_the_url_and_the_fix(entries, field, message, fix):
    result = plan([rec(C)], entries=entries)
    problem = next(p for p in result.problems if p.is_error)
    assert (problem.path, problem.line, problem.field) == ("redirects.yml", 3, field)
    assert message in problem.message and fix in problem.fix


def test_recorded_redirect_follows_its_story_when_it_moves_again():
    result = plan([rec(C, path="/c/x.md")], [change(B, C, 20)], [RecordEntry(A, B, 9)])
    assert result.redirects == {A: C, B: C}
    assert result.record == {A: C, B: C} and result.record_changed
    assert [p for p in result.problems if p.is_error] == []


def test_a_recorded_move_is_not_news_again():
    result = plan([rec(B)], [change(A, B)], [RecordEntry(A, B, 9)])
    assert result.redirects == {A: B} and result.moves == [] and not result.record_changed


def test_another_story_taking_an_old_url_is_a_warning():
    result = plan([rec(A, path="/c/newcomer.md"), rec(B, path="/c/articles/x.md")], [change(A, B)])
    assert result.redirects == {}
    [warning] = result.problems
    assert warning.severity == "warning" and warning.path == "/c/newcomer.md" and "links to that story" in warning.message


def test_a_deleted_story_without_a_record_line_is_a_warning_that_offers_its_section_or_gone():
    result = plan([rec(C)], [change(A, None, 10, path="articles/europe/a.md")])
    assert result.redirects == {} and not result.record_changed
    [warning] = result.problems
    assert (warning.severity, warning.path, warning.field) == ("warning", "/c/articles/europe/a.md", "file")
    assert "was published at /europe/a/ until commit c10, when it was deleted or made a draft" in warning.message
    assert "`/europe/a/: /europe/` (its section)" in warning.fix and "`/europe/a/: gone`" in warning.fix


@pytest.mark.parametrize("entry", [RecordEntry(A, GONE, 3), RecordEntry(A, "europe/", 3)], ids=["gone", "to its section"])
def test_a_record_line_for_a_deleted_story_answers_the_warning(entry):
    result = plan([rec(C)], [change(A, None, 10)], [entry])
    assert result.problems == [] and not result.record_changed
    assert result.redirects == ({} if entry.new == GONE else {A: "europe/"})


def test_gone_on_a_url_a_live_story_has_is_an_error():
    [problem] = plan([rec(A)], entries=[RecordEntry(A, GONE, 3)]).problems
    assert (problem.line, problem.field, problem.severity) == (3, "/europe/a/", "error") and "remove the line" in problem.fix


def test_gone_is_read_and_written_back_as_gone(tmp_path):
    path = tmp_path / "redirects.yml"
    path.write_text("/europe/taken-down/: Gone\n/europe/old/: /europe/new/\n", encoding="utf-8")
    entries, problems = load_record(str(path))
    assert problems == [] and {e.old: e.new for e in entries} == {"europe/taken-down/": GONE, "europe/old/": "europe/new/"}
    text = record_text({e.old: e.new for e in entries})
    assert "/europe/taken-down/: gone\n" in text and "/europe/old/: /europe/new/\n" in text


# --- the files written --------------------------------------------------------------------------------------------

def test_redirect_page_sends_readers_and_search_engines_to_the_new_url():
    html = redirect_page("europe/new/", Target("Rail fares “frozen”"), siteurl="https://paper.example",
                         site="https://paper.example", sitename="The Common Ledger", lang="en")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("link", rel="canonical")["href"] == "https://paper.example/europe/new/"
    assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=https://paper.example/europe/new/"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    link = soup.select_one("main a")
    assert link["href"] == "https://paper.example/europe/new/" and link.get_text() == "Rail fares “frozen”"
    assert not soup.find("script") and not soup.find(attrs={"data-pagefind-body": True})


def test_redirect_page_marks_a_headline_in_another_language():
    html = redirect_page("middle-east/x/", Target("صيادو غزة", "ar", "rtl"), siteurl="", site="http://127.0.0.1:8000",
                         sitename="The Common Ledger", lang="en")
    link = BeautifulSoup(html, "html.parser").select_one("main a")
    assert (link["href"], link["lang"], link["dir"]) == ("/middle-east/x/", "ar", "rtl")


@pytest.mark.parametrize("site, expected_redirects, expected_map", [
    ("https://paper.example", "/europe/a/ /europe/b/ 301\n", '"/europe/a/" "/europe/b/";\n'),
    ("https://owner.github.io/paper", "/paper/europe/a/ /paper/europe/b/ 301\n", '"/paper/europe/a/" "/paper/europe/b/";\n'),
])
def test_server_files_hold_one_line_per_redirect_under_the_site_path(site, expected_redirects, expected_map):
    netlify = netlify_redirects({A: B}, site=site, status=301)
    nginx = nginx_map({A: B}, site=site)
    assert [line + "\n" for line in netlify.splitlines() if not line.startswith("#")] == [expected_redirects]
    assert [line + "\n" for line in nginx.splitlines() if not line.startswith("#")] == [expected_map]


def test_an_external_target_is_written_as_it_is():
    assert "/europe/a/ https://elsewhere.example/story 308" in netlify_redirects(
        {A: "https://elsewhere.example/story"}, site="https://paper.example", status=308)


@pytest.mark.parametrize("name, value, message", [
    ("NEWSROOM_REDIRECTS_STATUS", 302, "write 301 or 308"),
    ("NEWSROOM_REDIRECTS_STATUS", True, "write 301 or 308"),
    ("NEWSROOM_REDIRECTS_PAGES", "yes", "write True or False"),
    ("NEWSROOM_REDIRECTS_NETLIFY_FILE", "deploy/_redirects", "plain file name"),
    ("NEWSROOM_REDIRECTS_NGINX_FILE", "_redirects", "different names"),
    ("NEWSROOM_REDIRECTS_NGNIX_FILE", "x", "did you mean NEWSROOM_REDIRECTS_NGINX_FILE?"),
])
def test_unusable_settings_are_refused_with_their_name(name, value, message):
    with pytest.raises(RedirectsSettingsError) as refused:
        load_config({name: value})
    assert str(refused.value).startswith(f"newsroom_redirects: {name} in pelicanconf.py") and message in str(refused.value)


# --- real builds of papers in git ------------------------------------------------------------------------------------

@pytest.fixture
def paper(tmp_path) -> Path:
    """The fixture paper in a git repository of its own, committed when every story was live."""
    return paper_repo(tmp_path / "paper", FIXTURE_SITE, PUBLISHED)


def clone(repo: Path, target: Path, *flags: str) -> Path:
    git(repo.parent, "clone", "-q", *flags, f"file://{repo}", str(target))
    return target


def check(content: Path, **kwargs):
    settings = load_settings(content, content.parent / "unused-output")
    return check_site(settings, NOW.date(), now=NOW, **kwargs)


def lines(site, name: str) -> list[str]:
    return [line for line in (site.output / name).read_text(encoding="utf-8").splitlines() if not line.startswith("#")]


def test_a_slug_changed_in_a_commit_no_tool_saw_redirects_on_a_fresh_clone(paper, tmp_path, build_site, capsys):
    set_meta(paper / "content" / RAIL, "Slug", "rail-fares-freeze")
    commit(paper, "Shorter URL for the rail fares story", PUBLISHED + DAY)
    fresh = clone(paper, tmp_path / "fresh")  # CI: a new checkout with the history, no cache, no record
    site = build_site(content=fresh / "content", NEWSROOM_SEARCH=False)
    new = "europe/rail-fares-freeze/"
    assert site.soup(new).select_one("h1").get_text(strip=True) == "Rail fares frozen for a year"

    old = site.soup(RAIL_URL)
    assert old.find("link", rel="canonical")["href"] == f"http://127.0.0.1:8000/{new}"
    assert old.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url=/{new}"
    assert old.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert old.select_one("main a")["href"] == f"/{new}"
    assert [p.name for p in site.path(RAIL_URL).parent.iterdir()] == ["index.html"]  # no search record
    assert lines(site, "_redirects") == [f"/{RAIL_URL} /{new} 301"]
    assert lines(site, "_redirects.map") == [f'"/{RAIL_URL}" "/{new}";']

    # Readers, feeds and search engines are given the new URL only.
    sitemap = (site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert f"/{new}<" in sitemap and RAIL_URL not in sitemap
    feeds = "".join(p.read_text(encoding="utf-8") for p in (site.output / "feeds").rglob("*.*"))
    assert new in feeds and RAIL_URL not in feeds
    assert RAIL_URL not in site.path("europe/").read_text(encoding="utf-8")

    notice = [line for line in capsys.readouterr().err.splitlines() if ": notice: " in line]
    assert len(notice) == 1 and notice[0].startswith(
        f"{fresh / 'content' / RAIL}:2: notice: Slug: moved from /{RAIL_URL} to /{new} (in commit ")
    assert "run `make check` to record it in" in notice[0]


def test_a_section_change_is_reported_as_the_category_that_moved(paper):
    set_meta(paper / "content" / RAIL, "Category", "Politics")
    result = check(paper / "content")  # not committed yet: the editor's own copy
    assert result.redirects == {RAIL_URL: "politics/rail-fares-frozen-for-a-year/"}
    [notice] = [p for p in result.problems if p.severity == "notice"]
    assert notice.field == "Category" and "(not committed yet)" in notice.message
    assert notice.fix.startswith("run `make check` to record it in")


def test_a_new_headline_without_a_slug_line_stops_the_build_and_the_url_stays(paper, build_site):
    story = paper / "content" / RAIL
    set_meta(story, "Title", "Rail fares frozen until 2028")
    commit(paper, "Better headline", PUBLISHED + DAY)
    with pytest.raises(ContentProblemsError) as stopped:
        build_site(content=paper / "content", NEWSROOM_SEARCH=False)
    [problem] = [p for p in stopped.value.problems if p.is_error]
    assert problem.format(root=str(paper)) == (
        f"content/{RAIL}:1: error: Title: the new headline moved the published article from /{RAIL_URL} to "
        "/europe/rail-fares-frozen-until-2028/ (in commit " + git(paper, "rev-parse", "--short=10", "HEAD").strip()
        + "), because it has no `Slug:` line and its URL is made from the Title. Fix: add the line "
        "`Slug: rail-fares-frozen-for-a-year` to keep the URL readers and other sites link to; to move it on purpose, "
        "add `Slug: rail-fares-frozen-until-2028` instead (the old URL will then redirect).")
    # The fix the message gives: the headline changes, the URL does not, and nothing is redirected.
    set_meta(story, "Slug", "rail-fares-frozen-for-a-year")
    commit(paper, "Keep the URL", PUBLISHED + DAY + 60)
    site = build_site(content=paper / "content", NEWSROOM_SEARCH=False)
    assert site.soup(RAIL_URL).select_one("h1").get_text(strip=True) == "Rail fares frozen until 2028"
    # The headline's URL was committed, so git cannot tell it never went live: it redirects to the kept one.
    assert lines(site, "_redirects") == [f"/europe/rail-fares-frozen-until-2028/ /{RAIL_URL} 301"]


def test_retitling_a_published_sample_article_keeps_its_url(tmp_path, build_site):
    """The sample paper's articles carry their Slug (the normal form): a new headline leaves the URL alone."""
    repo = paper_repo(tmp_path / "sample", REPO / "content", BUILD_EPOCH - DAY)
    story = repo / "content/articles/middle-east/2026-11-24-gaza-engineers-race-to-restore-water-before-the-winter-rains.md"
    url = "middle-east/gaza-engineers-race-to-restore-water-before-the-winter-rains/"
    set_meta(story, "Title", "Gaza's engineers restore water before the rains")
    commit(repo, "Sharper headline", BUILD_EPOCH - 60)
    assert check(repo / "content").problems == []
    site = build_site(content=repo / "content", NEWSROOM_SEARCH=False)
    assert site.soup(url).select_one("h1").get_text(strip=True) == "Gaza’s engineers restore water before the rains"
    assert lines(site, "_redirects") == [] and lines(site, "_redirects.map") == []


def test_make_check_records_the_move_once_and_the_record_outlives_the_history(paper, tmp_path, build_site):
    set_meta(paper / "content" / RAIL, "Slug", "rail-fares-freeze")
    first = check(paper / "content", record_moves=True)
    record = paper / "content/data/redirects.yml"
    [notice] = [p for p in first.problems if p.severity == "notice"]
    assert notice.fix == f"nothing to do: it is now recorded in {record}; commit that file with the change."
    assert load_record(str(record)) == ([RecordEntry(RAIL_URL, "europe/rail-fares-freeze/", len(RECORD_HEADER.splitlines()) + 2)], [])
    assert [p for p in check(paper / "content", record_moves=True).problems if p.severity == "notice"] == []
    commit(paper, "Shorter URL, recorded", PUBLISHED + DAY)

    # A shallow clone (CI's default checkout) has no earlier commit to compare with: the record still holds it.
    shallow = clone(paper, tmp_path / "shallow", "--depth", "1")
    result = check(shallow / "content")
    assert result.redirects == {RAIL_URL: "europe/rail-fares-freeze/"}
    [warning] = [p for p in result.problems if p.severity == "warning"]
    assert warning.field == "git" and "fetch-depth: 0" in warning.fix
    site = build_site(content=shallow / "content", NEWSROOM_SEARCH=False)
    assert site.soup(RAIL_URL).find("link", rel="canonical")["href"].endswith("/europe/rail-fares-freeze/")


def test_without_the_record_a_shallow_clone_loses_the_move_and_says_why(paper, tmp_path):
    set_meta(paper / "content" / RAIL, "Slug", "rail-fares-freeze")
    commit(paper, "Shorter URL", PUBLISHED + DAY)
    result = check(clone(paper, tmp_path / "shallow", "--depth", "1") / "content")
    assert result.redirects == {}
    assert [p.field for p in result.problems if p.severity == "warning"] == ["git"]


def test_record_problems_stop_the_build_naming_the_file_and_line(paper, build_site):
    record = paper / "content/data/redirects.yml"
    record.write_text("# notes\n/europe/gone/: /europe/nowhere/\n/europe/old/: /europe/gone/\n"
                      f"/{RAIL_URL}: /middle-east/\n", encoding="utf-8")
    with pytest.raises(ContentProblemsError) as stopped:
        build_site(content=paper / "content", NEWSROOM_SEARCH=False)
    found = [p.format(root=str(paper)) for p in stopped.value.problems if p.is_error]
    assert [line.split(": error: ")[0] for line in found] == ["content/data/redirects.yml:2", "content/data/redirects.yml:3",
                                                               "content/data/redirects.yml:4"]
    assert "/europe/nowhere/, which is not a page of the site" in found[0]
    assert "chain of redirects (/europe/old/ -> /europe/gone/ -> /europe/nowhere/)" in found[1]
    assert f"is the URL of {paper / 'content' / RAIL} now" in found[2]


def test_an_editors_own_redirect_to_a_section_is_built(paper, build_site):
    (paper / "content/data/redirects.yml").write_text("/europe/ferry-strike/: /europe/\n", encoding="utf-8")
    site = build_site(content=paper / "content", NEWSROOM_SEARCH=False)
    assert site.soup("europe/ferry-strike/").select_one("main a")["href"] == "/europe/"
    assert site.soup("europe/ferry-strike/").select_one("main a").get_text() == "http://127.0.0.1:8000/europe/"
    assert lines(site, "_redirects") == ["/europe/ferry-strike/ /europe/ 301"]


def test_deleting_a_published_story_is_a_warning_until_the_record_says_where_readers_go(paper):
    os.remove(paper / "content" / RAIL)
    commit(paper, "Take down the rail fares story", PUBLISHED + DAY)
    [warning] = [p for p in check(paper / "content").problems if p.severity == "warning"]
    assert warning.path.endswith(RAIL) and f"/{RAIL_URL}" in warning.message and "in commit" not in warning.message
    (paper / "content/data/redirects.yml").write_text(f"/{RAIL_URL}: gone\n", encoding="utf-8")
    result = check(paper / "content")
    assert [p for p in result.problems if p.severity != "notice"] == [] and result.redirects == {}


def test_the_pre_commit_hook_sees_a_staged_slug_change(paper, monkeypatch, capsys):
    from newsroom_commands.cli import main

    for name in ("pelicanconf.py",):
        shutil.copy2(REPO / name, paper / name)
    for name in ("plugins", "theme"):
        os.symlink(REPO / name, paper / name)
    monkeypatch.chdir(paper)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(BUILD_EPOCH))
    set_meta(paper / "content" / RAIL, "Slug", "rail-fares-freeze")
    git(paper, "add", "content", "pelicanconf.py")
    assert main(["check", "--staged"]) == 0
    err = capsys.readouterr().err
    assert f"content/{RAIL}:2: notice: Slug: moved from /{RAIL_URL} to /europe/rail-fares-freeze/ (not committed yet)" in err
    assert "content OK, no problems found. 1 URL moved" in err


@pytest.mark.parametrize("second", ["moved again", "moved back"])
def test_incremental_build_after_a_slug_change_equals_a_clean_one(paper, tmp_path, build_site, second):
    story = paper / "content" / RAIL
    settings = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache"),
                "NEWSROOM_SEARCH": False}
    output = tmp_path / "site"
    build_site(content=paper / "content", output=output, **settings)
    set_meta(story, "Slug", "rail-fares-freeze")
    commit(paper, "Shorter URL", PUBLISHED + DAY)
    site = build_site(content=paper / "content", output=output, **settings)
    assert site.exists(RAIL_URL) and lines(site, "_redirects") == [f"/{RAIL_URL} /europe/rail-fares-freeze/ 301"]
    set_meta(story, "Slug", "rail-fares-frozen-for-a-year" if second == "moved back" else "rail-fares")
    commit(paper, second, PUBLISHED + 2 * DAY)
    site = build_site(content=paper / "content", output=output, **settings)
    clean = build_site(content=paper / "content", output=tmp_path / "clean", **{**settings, "CACHE_PATH": str(tmp_path / "c2")})
    assert tree_digest(output) == tree_digest(clean.output)
    if second == "moved back":
        assert lines(site, "_redirects") == [f"/europe/rail-fares-freeze/ /{RAIL_URL} 301"]
        assert site.soup(RAIL_URL).select_one("h1")  # the story itself again, not a redirect page
    else:
        assert sorted(lines(site, "_redirects")) == [f"/europe/rail-fares-freeze/ /europe/rail-fares/ 301",
                                                     f"/{RAIL_URL} /europe/rail-fares/ 301"]


def test_a_repository_git_cannot_read_is_warned_about(paper, monkeypatch):
    from newsroom_checks import history

    def broken(cwd, *args, data=None):
        if args[:1] == ("log",):
            raise history.GitError("fatal: detected dubious ownership in repository")
        return real(cwd, *args, data=data)

    real = history._git
    monkeypatch.setattr(history, "_git", broken)
    [warning] = [p for p in check(paper / "content").problems if p.severity == "warning"]
    assert warning.field == "git" and "dubious ownership" in warning.message and "safe.directory" in warning.fix


# --- which stories the redirect pages' links are looked up among ---------------------------------------

SLUG_URLS = {"ARTICLE_URL": "{category}/{slug}/", "ARTICLE_LANG_URL": "{lang}/{category}/{slug}/",
             "PAGE_URL": "{slug}/", "PAGE_LANG_URL": "{slug}-{lang}/"}


def story(slug, url, **more):
    return SimpleNamespace(slug=slug, url=url, title=slug.title(), **more)


@pytest.mark.parametrize("settings, narrowed", [
    ({**SLUG_URLS, "PAGE_LANG_URL": "{slug}/{lang}/"}, True),
    (SLUG_URLS, False),  # "{slug}-{lang}" is not a whole segment: every story is asked
    ({**SLUG_URLS, "ARTICLE_URL": "{date:%Y}/{path}/"}, False),
])
def test_the_stories_an_old_url_may_lead_to(settings, narrowed):
    from newsroom_redirects.newsroom_redirects import may_be_at

    items = [story("rail-fares", "europe/rail-fares/"), story("ferry", "europe/ferry/"),
             story("about", "about/"), story("odd", "somewhere/else/", override_url="somewhere/else/")]
    urls = {"europe/rail-fares/", "somewhere/else/", "europe/"}
    found = may_be_at(items, urls, settings)
    assert {item.url for item in found} >= {item.url for item in items if item.url in urls}
    assert len(found) == (2 if narrowed else 4)


def test_shallow_and_head_from_one_git_process(tmp_path):
    import subprocess

    from newsroom_checks.history import shallow_and_head

    def git(*args, cwd):
        return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()

    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    assert shallow_and_head(str(repo)) == (False, "")  # no commit yet
    (repo / "a.md").write_text("Title: a\n")
    git("add", "a.md", cwd=repo)
    git("-c", "user.name=Desk", "-c", "user.email=desk@example.org", "commit", "-qm", "first", cwd=repo)
    git("-c", "user.name=Desk", "-c", "user.email=desk@example.org", "commit", "-qm", "second", "--allow-empty", cwd=repo)
    head = git("rev-parse", "HEAD", cwd=repo)
    assert shallow_and_head(str(repo)) == (False, head)
    git("clone", "-q", "--depth", "1", repo.as_uri(), str(tmp_path / "shallow"), cwd=tmp_path)
    assert shallow_and_head(str(tmp_path / "shallow")) == (True, head)
    elsewhere = tmp_path / "not-a-repository"
    elsewhere.mkdir()
    assert shallow_and_head(str(elsewhere))[1] == ""


def test_a_build_asks_git_ahead_and_finds_what_make_check_finds(paper, tmp_path):
    """With the build's check cache, git is asked at the start of the checks (GitAhead) and answered after
    every file's check; the moves found, committed or not, are the ones `make check` finds asking in turn."""
    from newsroom_checks import CheckCache, history
    from newsroom_engine.api import Store

    set_meta(paper / "content" / RAIL, "Slug", "rail-fares-freeze")
    commit(paper, "Shorter URL", PUBLISHED + DAY)
    set_meta(paper / "content" / RAIL, "Category", "Politics")  # not committed yet
    asked = []
    real = history.GitAhead.answer
    history_answer = lambda self, name: asked.append(name) or real(self, name)  # noqa: E731
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(history.GitAhead, "answer", history_answer)
        built = check(paper / "content", cache=CheckCache(Store(str(tmp_path / "cache")), "other-files"))
    assert sorted(asked) == ["diff", "head", "top"]
    by_hand = check(paper / "content")
    assert built.redirects == by_hand.redirects == {
        RAIL_URL: "politics/rail-fares-freeze/", "europe/rail-fares-freeze/": "politics/rail-fares-freeze/"}
    assert [(p.field, p.message) for p in built.problems] == [(p.field, p.message) for p in by_hand.problems]


def test_git_ahead_answers_as_git_asked_in_turn(paper):
    from newsroom_checks.history import GitAhead, find_repository, shallow_and_head

    set_meta(paper / "content" / RAIL, "Slug", "rail-fares-freeze")
    settings = load_settings(paper / "content", paper / "unused-output")
    ahead = GitAhead(str(paper / "content"), settings)
    repo = find_repository(str(paper / "content"))
    assert ahead.top() == repo.top
    assert ahead.shallow_and_head() == shallow_and_head(repo.top)
    diff = ahead.diff()
    assert "content/articles/europe/2026-10-02-rail-fares.md" in diff
    assert ahead.answer("diff") is None  # each answer is given once
    ahead.close()

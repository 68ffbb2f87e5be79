"""Live blogs: the updates' syntax and its checks (pure), and what a build makes of a live blog: the page,
updates.json, the JSON-LD, the feeds, the scheduled end, the one-article rebuild."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import epoch, write_article
from feed_checks import check_atom
from newsroom_checks.frontmatter import parse_header
from newsroom_checks.live import check_live
from newsroom_content.live import LIVE_ENDED, LIVE_UNTIL, LIVE_YES, parse_live_value, parse_updates

LONDON = ZoneInfo("Europe/London")
SETTINGS = {"TIMEZONE": "Europe/London"}
START = dt.datetime(2026, 11, 18, 18, 0, tzinfo=LONDON)


def doc(body: str, live: str = "yes", extra: str = "") -> str:
    return f"Title: Count\nDate: 2026-11-18 18:00\nCategory: Politics\nLive: {live}\n{extra}\n{body.strip()}\n"


@pytest.mark.parametrize("value, mode, until", [
    ("yes", LIVE_YES, None), ("Yes", LIVE_YES, None), ("ended", LIVE_ENDED, None),
    ("2026-11-18 22:00", LIVE_UNTIL, dt.datetime(2026, 11, 18, 22, 0, tzinfo=LONDON)),
    ("2026-11-18 22:00+01:00", LIVE_UNTIL, dt.datetime(2026, 11, 18, 21, 0, tzinfo=dt.timezone.utc)),
])
def test_live_values(value, mode, until):
    spec = parse_live_value(value, LONDON)
    assert spec.mode == mode and spec.until == until


@pytest.mark.parametrize("value", ["maybe", "2026-11-18", "22:00", "2026-13-01 10:00", ""])
def test_live_values_refused(value):
    assert parse_live_value(value, LONDON) is None


@pytest.mark.parametrize("heading, at, headline, key, byline", [
    ("## 18:05 Count begins", (2026, 11, 18, 18, 5), "Count begins", False, ""),
    ("## 18:05", (2026, 11, 18, 18, 5), "", False, ""),
    ("## 9:05 Early", None, None, None, None),  # before the Date: refused (below)
    ("## 2026-11-19 00:15 After midnight | key event", (2026, 11, 19, 0, 15), "After midnight", True, ""),
    ("## 18:30 Result | by Priya Raman | key event", (2026, 11, 18, 18, 30), "Result", True, "Priya Raman"),
    ("## 18:30 Yes \\| no vote | by Priya Raman", (2026, 11, 18, 18, 30), "Yes | no vote", False, "Priya Raman"),
    ("  ## 18:40 Indented heading ##", (2026, 11, 18, 18, 40), "Indented heading", False, ""),
])
def test_update_headings(heading, at, headline, key, byline):
    heads, issues = parse_updates(doc(heading + "\n\nText."), START, LONDON)
    if at is None:
        assert issues and "before the article's Date" in issues[0].message and issues[0].line == 6
        return
    assert not issues
    (head,) = heads
    assert (head.at, head.headline, head.key, head.byline, head.line) == (
        dt.datetime(*at, tzinfo=LONDON), headline, key, byline, 6)


@pytest.mark.parametrize("body, line, says", [
    ("## Result at last", 6, "does not start with a time"),
    ("## 25:10 Late", 6, "not a time of day"),
    ("## 18.30 Dotted", 6, "cannot be read"),
    ("## 18:30 One\n\n## 18:10 Earlier", 8, "earlier than the update above it"),
    ("## 23:50 Late\n\n## 00:10 Past midnight", 8, "give the date once"),
    ("## 18:30 One | pinned", 6, "not one an update can have"),
    ("## 18:30 One\n\nA setext heading\n---", 9, "dashes under the line above"),
    ("## 18:30 One\n\n<h2>Raw</h2>", 8, "an <h2> in a live blog"),
])
def test_update_problems(body, line, says):
    _, issues = parse_updates(doc(body), START, LONDON)
    assert [i.line for i in issues] == [line] and says in issues[0].message + issues[0].fix


def test_updates_after_a_slip_are_compared_with_the_last_in_order():
    body = "## 23:35 Late\n\n## 00:05 Past midnight\n\n## 00:25 Later"
    _, issues = parse_updates(doc(body), START, LONDON)
    assert [i.line for i in issues] == [8, 10] and all("give the date once" in i.fix for i in issues)


def test_headings_in_code_and_subheadings_are_not_updates():
    body = "## 18:10 One\n\n### A subheading\n\n```\n## not an update\n```\n\nText.\n\n---\n\n## 18:20 Two"
    heads, issues = parse_updates(doc(body), START, LONDON)
    assert not issues and [h.headline for h in heads] == ["One", "Two"]


def live_problems(text: str):
    header = parse_header(text)
    from newsroom_checks.validation import parse_date
    return check_live("a.md", header, text, parse_date(header.get("date")), SETTINGS)


@pytest.mark.parametrize("live, extra, body, field, line", [
    ("soon", "", "", "Live", 4),
    ("2026-11-18 17:00", "", "", "Live", 4),
    ("2026-11-18 20:00", "", "## 21:00 Too late", "Update", 6),
    ("yes", "Type: Opinion\n", "", "Type", 5),
])
def test_live_field_problems(live, extra, body, field, line):
    problems, _ = live_problems(doc(body or "Intro.", live, extra))
    assert [(p.field, p.line) for p in problems] == [(field, line)]
    assert problems[0].format().startswith(f"a.md:{line}: error: {field}: ")


def test_type_live_needs_a_live_line_and_bylines_are_returned():
    text = "Title: T\nDate: 2026-11-18 18:00\nCategory: Politics\nType: Live\n\nText.\n"
    problems, _ = live_problems(text)
    assert [(p.field, p.line) for p in problems] == [("Type", 4)]
    problems, bylines = live_problems(doc("## 18:10 One | by Priya Raman\n\nText."))
    assert not problems and bylines == [("Priya Raman", 6)]


# --- the build -------------------------------------------------------------------------------------------------

LIVE_BLOG = """
Title: Count night
Slug: count-night
Date: 2026-11-25 06:00
Live: {live}
Category: Politics
Summary: The count, as it happens.
Authors: Amira Haddad

The story so far.

## 06:10 Polls close | by Amira Haddad

First.

## 06:40 Turnout is 61 per cent | key event

Second, with a [link](/politics/).

## 09:00 Result declared | key event

Third.
"""


def live_site(build_site, site_content, live="yes", **kwargs):
    write_article(site_content, "politics/count-night.md", LIVE_BLOG.format(live=live))
    return build_site(**kwargs)


def ld_blocks(soup):
    return [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]


def test_the_page_the_json_and_the_structured_data(build_site, site_content):
    site = live_site(build_site, site_content)  # the clock: 2026-11-25 09:46:40 UTC
    page = site.soup("/politics/count-night/")
    updates = page.select("article[data-nr-live-update]")
    assert [u["id"] for u in updates] == ["update-2026-11-25-0900", "update-2026-11-25-0640", "update-2026-11-25-0610"]
    assert [u.select_one("time")["datetime"] for u in updates][0] == "2026-11-25T09:00:00+00:00"
    assert updates[2].select_one(".nr-live-update__byline").get_text(strip=True) == "By Amira Haddad"
    assert updates[1].select_one("a[href='/politics/']") is not None
    assert [a["href"] for a in page.select(".nr-live__key-link")] == ["#update-2026-11-25-0900", "#update-2026-11-25-0640"]
    assert page.select_one(".nr-live__intro").get_text(strip=True) == "The story so far."
    assert page.select_one(".nr-article__header .nr-live-badge").get_text() == "Live"
    assert page.select_one('script[src*="/theme/js/live."]') is not None
    feed_link = page.select_one('link[rel=alternate][href$="updates.atom.xml"]')
    assert feed_link["href"] == "/politics/count-night/updates.atom.xml"
    assert page.select_one("[data-nr-live]")["data-nr-live"] == "/politics/count-night/updates.json"

    data = json.loads(site.path("/politics/count-night/updates.json").read_text(encoding="utf-8"))
    assert data["live"] is True and data["ends"] is None and data["updated"] == "2026-11-25T09:00:00+00:00"
    assert [u["id"] for u in data["updates"]] == [u["id"] for u in updates]
    sent = BeautifulSoup(data["updates"][0]["html"], "html.parser").article
    assert sent["id"] == updates[0]["id"] and sent["class"] == updates[0]["class"]
    assert sent.get_text(" ", strip=True) == updates[0].get_text(" ", strip=True) == "09:00 Key event Result declared Third."

    (blog,) = [b for b in ld_blocks(page) if b["@type"] == "LiveBlogPosting"]
    assert blog["coverageStartTime"] == "2026-11-25T06:00:00+00:00" and "coverageEndTime" not in blog
    assert blog["dateModified"] == "2026-11-25T09:00:00+00:00"
    first = blog["liveBlogUpdate"][0]
    assert first["@type"] == "BlogPosting" and first["headline"] == "Result declared"
    assert first["datePublished"] == "2026-11-25T09:00:00+00:00" and first["articleBody"] == "Third."
    assert first["url"].endswith("/politics/count-night/#update-2026-11-25-0900")
    assert len(blog["liveBlogUpdate"]) == 3

    # Cards: the Live badge wherever the story is listed.
    assert site.soup("/politics/").select_one(".nr-live-badge") is not None
    assert any(".nr-live-badge" and c.select_one(".nr-live-badge") for c in site.soup("/").select(".nr-card"))


def test_feeds_carry_the_blog_as_one_item_updated_by_its_latest_update(build_site, site_content):
    site = live_site(build_site, site_content)
    paper = feedparser.parse(site.path("/feeds/all.atom.xml").read_bytes())
    (item,) = [e for e in paper.entries if e.link.endswith("/politics/count-night/")]
    assert item.updated.startswith("2026-11-25T09:00:00")
    data = site.path("/politics/count-night/updates.atom.xml").read_bytes()
    self_url = feedparser.parse(data).feed.links[0].href
    assert check_atom(data, self_url) == []
    updates = feedparser.parse(data)
    assert [e.link.rsplit("#", 1)[1] for e in updates.entries] == [
        "update-2026-11-25-0900", "update-2026-11-25-0640", "update-2026-11-25-0610"]
    assert updates.entries[0].title == "09:00 Result declared"


def test_an_update_timed_after_the_clock_waits_and_is_the_next_change(build_site, site_content):
    site = live_site(build_site, site_content, epoch=epoch("2026-11-25T08:00:00+00:00"))
    page = site.soup("/politics/count-night/")
    assert [u["id"] for u in page.select("[data-nr-live-update]")] == ["update-2026-11-25-0640", "update-2026-11-25-0610"]
    assert "Third." not in site.path("/feeds/all.atom.xml").read_text(encoding="utf-8")
    record = json.loads((site.output.parent / (site.output.name + ".next-change.json")).read_text())
    assert record["next_change"] == "2026-11-25T09:00:00+00:00"


def test_an_end_time_is_the_next_change_and_ends_the_blog_after_it(build_site, site_content):
    site = live_site(build_site, site_content, live="2026-11-25 12:00")
    record = json.loads((site.output.parent / (site.output.name + ".next-change.json")).read_text())
    assert record["next_change"] == "2026-11-25T12:00:00+00:00"
    assert any(c["what"].endswith("count-night.md ends") for c in record["changes"])
    assert json.loads(site.path("/politics/count-night/updates.json").read_text())["ends"] == "2026-11-25T12:00:00+00:00"

    later = build_site(epoch=epoch("2026-11-25T12:00:01+00:00"))
    page = later.soup("/politics/count-night/")
    assert page.select_one(".nr-live-badge") is None and page.select_one("[data-nr-live]") is None  # live.js stays idle
    assert page.select_one("[data-nr-live-status]").get_text(strip=True).startswith("This live coverage has ended.")
    assert json.loads(later.path("/politics/count-night/updates.json").read_text())["live"] is False
    (blog,) = [b for b in ld_blocks(page) if b["@type"] == "LiveBlogPosting"]
    assert blog["coverageEndTime"] == "2026-11-25T12:00:00+00:00"
    assert later.soup("/politics/").select_one(".nr-live-badge") is None


def test_a_new_update_rebuilds_the_blog_not_other_article_pages(build_site, site_content, tmp_path):
    out = tmp_path / "incremental"
    cache = tmp_path / "cache"
    live_site(build_site, site_content, output=out, CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, CACHE_PATH=str(cache))
    others = {p: p.stat().st_ino for p in out.glob("*/*/index.html") if "count-night" not in str(p)}
    assert others
    with open(site_content / "articles" / "politics" / "count-night.md", "a", encoding="utf-8") as f:
        f.write("\n## 09:30 Winner speaks\n\nFourth.\n")
    site = build_site(output=out, CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, CACHE_PATH=str(cache))
    assert site.report["swapped"] is False
    assert site.soup("/politics/count-night/").select_one("[data-nr-live-update]")["id"] == "update-2026-11-25-0930"
    data = json.loads(site.path("/politics/count-night/updates.json").read_text())
    assert data["updates"][0]["headline"] == "Winner speaks"
    unchanged = [p for p, ino in others.items() if p.stat().st_ino == ino]
    rewritten = sorted(str(p.relative_to(out)) for p in others if p not in unchanged)
    # Article pages that show the blog (its section neighbours, related stories) may change; no other does.
    assert len(rewritten) <= 3, rewritten


def test_type_labels_on_cards_list_items_and_the_article(build_site, site_content):
    write_article(site_content, "politics/analysis.md", """
Title: What the count tells us
Slug: what-the-count-tells-us
Date: 2026-11-24 10:00
Category: Politics
Type: Analysis

Reading the figures.
""")
    site = build_site()
    page = site.soup("/politics/what-the-count-tells-us/")
    assert page.select_one(".nr-article__section .nr-type-label").get_text() == "Analysis"
    listed = [i for i in site.soup("/politics/").select(".nr-list-item") if "What the count" in i.get_text()]
    assert listed[0].select_one(".nr-type-label").get_text() == "Analysis"
    news = [i for i in site.soup("/politics/").select(".nr-list-item") if "What the count" not in i.get_text()]
    assert all(i.select_one(".nr-type-label") is None for i in news)


def test_an_unknown_byline_stops_the_build_with_one_line(build_site, site_content, capsys):
    from newsroom_checks import ContentProblemsError

    write_article(site_content, "politics/count-night.md",
                  LIVE_BLOG.format(live="yes").replace("| by Amira Haddad", "| by Amira Hadad"))
    with pytest.raises(ContentProblemsError):
        build_site()
    err = capsys.readouterr().err
    assert ("articles/politics/count-night.md:11: error: Update: the byline 'Amira Hadad' is not in "
            in err) and "Fix: did you mean `by Amira Haddad`?" in err


def test_the_clock_ending_a_blog_renders_the_kept_pages_again(build_site, site_content, tmp_path):
    """With the caches on, a page showing the blog's card is kept while nothing it shows changed: the end
    time passing must still take the Live badge off it, though no file changed."""
    out, cache = tmp_path / "kept", tmp_path / "cache"
    caches = dict(output=out, CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, CACHE_PATH=str(cache))
    live_site(build_site, site_content, live="2026-11-25 12:00", epoch=epoch("2026-11-25T11:00:00+00:00"), **caches)
    assert build_site(epoch=epoch("2026-11-25T11:30:00+00:00"), **caches).soup("/politics/").select_one(".nr-live-badge")
    ended = build_site(epoch=epoch("2026-11-25T12:30:00+00:00"), **caches)
    assert ended.soup("/politics/").select_one(".nr-live-badge") is None
    assert ended.soup("/").select_one(".nr-live-badge") is None
    assert json.loads(ended.path("/politics/count-night/updates.json").read_text())["live"] is False


# --- an incremental build equals a clean one (tests/test_incremental.py's way) ------------------------------------

def test_incremental_builds_of_a_live_blog_equal_clean_ones(build_site, site_content, tmp_path):
    from test_build import tree_digest
    from test_incremental import cached

    out = tmp_path / "site"
    settings = cached(tmp_path / "cache", NEWSROOM_SEARCH=False)
    blog = write_article(site_content, "politics/count-night.md", LIVE_BLOG.format(live="2026-11-26 12:00"))
    at = epoch("2026-11-25T09:46:40+00:00")
    build_site(output=out, epoch=at, **settings)
    steps = [
        # An update on the next day: the page, its JSON and feed, the feeds and the sitemap move; cards do not.
        ("an update past midnight", lambda: blog.write_text(blog.read_text() + "\n## 2026-11-26 00:10 Recount | key event\n\nFourth.\n"),
         epoch("2026-11-26T09:00:00+00:00")),
        ("the clock passes the end time", lambda: None, epoch("2026-11-26T12:00:01+00:00")),
        ("closed by hand", lambda: blog.write_text(blog.read_text().replace("Live: 2026-11-26 12:00", "Live: ended")),
         epoch("2026-11-26T12:30:00+00:00")),
    ]
    for n, (what, change, when) in enumerate(steps):
        change()
        site = build_site(output=out, epoch=when, **settings)
        clean = build_site(output=tmp_path / f"clean{n}", epoch=when, **{**settings, "CACHE_PATH": str(tmp_path / f"fresh{n}")})
        assert tree_digest(site.output) == tree_digest(clean.output), what

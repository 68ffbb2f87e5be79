"""The breaking-news banner (content/data/breaking.yml, newsroom_content/breaking.py).

* Loading and checking the file: every bad input gives one problem naming the file, the line, the field
  and the fix; an absent, empty or all-comment file is no banner.
* Built sites: the banner on every page type, under the masthead, as a labelled region; gone from every
  page in the first build after its expiry (SOURCE_DATE_EPOCH), which output.next-change.json names.
* Incremental builds: putting a banner up reaches every page, and so does its expiry on the clock alone,
  the same bytes as a clean build.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import REPO, epoch, load_settings
from newsroom_checks import ContentProblemsError, check_site
from newsroom_content.breaking import BREAKING_FILE, BreakingNews, banner_on, load_breaking
from newsroom_content.clock import build_now
from newsroom_content.schedule import state_path
from test_build import tree_digest
from test_incremental import cached

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 25, 9, 46, 40, tzinfo=LONDON)  # the suite's clock, BUILD_EPOCH
TARGETS = {"": "the front page", "middle-east/port-workers-walk-out-over-safety/": "an article",
           "europe/": "the Europe section page", "about/": "a page"}
UNPUBLISHED = {"europe/new-year-budget-preview/": "scheduled for 2027-01-12 09:00",
               "europe/unfinished-draft-about-ferries/": "not published (a draft)"}
STORY = "/middle-east/port-workers-walk-out-over-safety/"
GOOD = f"headline: Port strike spreads to three more harbours\nlink: {STORY}\nexpires: 2026-11-25 18:00\n"

# The sample paper's example, at the end of content/data/breaking.yml, commented out.
EXAMPLE_LINK = "/workplace/nurses-at-five-hospital-trusts-vote-to-strike-over-staffing/"


def put_up_example(content: Path, expires: str) -> None:
    """Uncomment the sample paper's example banner, with another expiry time (for the browser tests)."""
    path = content / "data" / BREAKING_FILE
    text = re.sub(r"^# (headline|link|expires|label): ", r"\1: ", path.read_text(encoding="utf-8"), flags=re.M)
    path.write_text(re.sub(r"^expires: .*$", f"expires: {expires}", text, flags=re.M), encoding="utf-8")


def load(tmp_path: Path, text: str | None, now: dt.datetime = NOW):
    if text is not None:
        (tmp_path / BREAKING_FILE).write_text(text, encoding="utf-8")
    return load_breaking(str(tmp_path), now, "Europe/London", TARGETS, UNPUBLISHED)


def lines_of(problems, tmp_path: Path) -> list[str]:
    return [p.format().replace(str(tmp_path / BREAKING_FILE), "breaking.yml") for p in problems]


# --- loading and checking -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [None, "", "\n\n", "# headline: Nothing yet\n# link: /\n"],
                         ids=["missing", "empty", "blank", "all-comments"])
def test_no_file_or_nothing_in_it_is_no_banner(tmp_path, text):
    assert load(tmp_path, text) == (None, [])


def test_a_banner_with_every_field(tmp_path):
    banner, problems = load(tmp_path, GOOD + "label: Live\n")
    assert problems == []
    assert banner == BreakingNews("Port strike spreads to three more harbours", STORY[1:], False, "Live",
                                  dt.datetime(2026, 11, 25, 18, 0, tzinfo=LONDON))
    assert banner_on(banner, NOW) is banner
    assert banner_on(banner, dt.datetime(2026, 11, 25, 18, 0, tzinfo=LONDON)) is None  # down at its minute


@pytest.mark.parametrize("link, url, external", [
    ("/", "", False),
    ("/europe/", "europe/", False),
    ("/about/#contact", "about/#contact", False),
    ("https://www.example.org/live", "https://www.example.org/live", True),
])
def test_links_to_the_site_or_elsewhere(tmp_path, link, url, external):
    banner, problems = load(tmp_path, f"headline: Polls close\nlink: {link}\n")
    assert problems == [] and (banner.url, banner.external, banner.expires, banner.label) == (url, external, None, None)


@pytest.mark.parametrize("expires, when", [
    ("2026-11-25 18:00", dt.datetime(2026, 11, 25, 18, 0, tzinfo=LONDON)),
    ("2026-11-25 18:00:00", dt.datetime(2026, 11, 25, 18, 0, tzinfo=LONDON)),  # YAML reads this one as a datetime
    ('"2026-11-25T18:00+01:00"', dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.timezone.utc)),
    ("2026-07-01 09:00", dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.timezone.utc)),  # summer time in London
])
def test_expiry_times_are_in_the_papers_timezone_unless_they_say_otherwise(tmp_path, expires, when):
    banner, _ = load(tmp_path, f"headline: Polls close\nlink: /\nexpires: {expires}\n", now=NOW.replace(year=2025))
    assert banner.expires == when


FIX_TIME = ("Fix: write the time it comes down as YYYY-MM-DD HH:MM, e.g. `expires: 2026-11-25 18:00` (the paper's "
            "timezone; add an offset such as +01:00 for another), or remove the line to keep it up until you take it out.")
FIX_LINK = ("write the address of a page of this site as readers see it, such as `/europe/rail-fares-freeze/` "
            "(copy it from the page), or a full https:// address.")


@pytest.mark.parametrize("text, expected", [
    (GOOD.replace("headline:", "headlne:"),
     ["breaking.yml:1: error: headlne: is not a known key. Fix: did you mean `headline`?",
      "breaking.yml: error: headline: is missing. Fix: write the banner's headline after `headline:`, in a line."]),
    (GOOD + "colour: red\n",
     "breaking.yml:4: error: colour: is not a known key. Fix: remove it; known keys are headline, link, expires, label."),
    (GOOD.replace("headline: Port strike spreads to three more harbours", "headline:"),
     "breaking.yml:1: error: headline: is empty. Fix: write the banner's headline after `headline:`, in a line."),
    (f"link: {STORY}\n",
     "breaking.yml: error: headline: is missing. Fix: write the banner's headline after `headline:`, in a line."),
    ("headline: Polls close\n", f"breaking.yml: error: link: is missing. Fix: {FIX_LINK}"),
    (GOOD.replace(STORY, "javascript:alert(1)"),
     f"breaking.yml:2: error: link: 'javascript:alert(1)' is not a usable link. Fix: {FIX_LINK}"),
    (GOOD.replace(STORY, "middle-east/port-workers-walk-out-over-safety/"),
     f"breaking.yml:2: error: link: 'middle-east/port-workers-walk-out-over-safety/' is not a usable link. Fix: {FIX_LINK}"),
    (GOOD.replace(STORY, "//evil.example/"), f"breaking.yml:2: error: link: '//evil.example/' is not a usable link. Fix: {FIX_LINK}"),
    (GOOD.replace(STORY, "/middle-east/port-workers-walk-out/"),
     "breaking.yml:2: error: link: /middle-east/port-workers-walk-out/ is not a page of the site (no published article, "
     f"page, section or desk has that address). Fix: check the address: {FIX_LINK}"),
    (GOOD.replace(STORY, STORY.rstrip("/")),
     f"breaking.yml:2: error: link: {STORY.rstrip('/')} is not a page of the site (no published article, page, section or "
     f"desk has that address). Fix: did you mean `{STORY}`? (the paper's addresses end with /)"),
    (GOOD.replace(STORY, "/europe/new-year-budget-preview/"),
     "breaking.yml:2: error: link: /europe/new-year-budget-preview/ is scheduled for 2027-01-12 09:00, so readers would "
     "find nothing there. Fix: link to a published page, or put the banner up once the story is live."),
    (GOOD.replace(STORY, "/europe/unfinished-draft-about-ferries/"),
     "breaking.yml:2: error: link: /europe/unfinished-draft-about-ferries/ is not published (a draft), so readers would "
     "find nothing there. Fix: link to a published page, or put the banner up once the story is live."),
    (GOOD.replace("2026-11-25 18:00", "tonight at six"),
     f"breaking.yml:3: error: expires: 'tonight at six' is not a date and time. {FIX_TIME}"),
    (GOOD.replace("2026-11-25 18:00", "2026-11-25"), f"breaking.yml:3: error: expires: 2026-11-25 has no time of day. {FIX_TIME}"),
    (GOOD.replace("2026-11-25 18:00", '"2026-11-25"'), f"breaking.yml:3: error: expires: '2026-11-25' has no time of day. {FIX_TIME}"),
    (GOOD.replace("2026-11-25 18:00", "2026-13-01 10:00"),
     f"breaking.yml:3: error: expires: '2026-13-01 10:00' is not a date and time. {FIX_TIME}"),
    (GOOD.replace("2026-11-25 18:00", ""), f"breaking.yml:3: error: expires: is empty. {FIX_TIME}"),
    (GOOD.replace("2026-11-25 18:00", "18"), f"breaking.yml:3: error: expires: 18 is not a date and time. {FIX_TIME}"),
    (GOOD + "label: Breaking news from the election count\n",
     "breaking.yml:4: error: label: 'Breaking news from the election count' is longer than 24 characters. Fix: keep it to "
     "a word or two, such as `Live` or `Breaking`; the headline says the rest."),
    ("- headline: Polls close\n  link: /\n",
     "breaking.yml:1: error: file: must be `key: value` lines: headline, link and optionally expires and label. Fix: see "
     "the example in README.md (\"Breaking news\"), or comment every line out for no banner."),
    ("headline: Polls close: count begins\nlink: /\n",
     "breaking.yml:1: error: YAML: cannot be read: mapping values are not allowed here. Fix: check the indentation and "
     "that each line is `key: value`; put values containing `: ` or `#` in quotes."),
], ids=["typo-key", "unknown-key", "empty-headline", "no-headline", "no-link", "javascript-link", "relative-link",
        "protocol-relative-link", "no-such-page", "no-trailing-slash", "scheduled-story", "draft", "time-in-words",
        "date-only", "quoted-date-only", "impossible-month", "empty-expires", "a-number", "long-label", "a-list",
        "unquoted-colon"])
def test_each_mistake_is_an_error_naming_the_line_field_and_fix(tmp_path, text, expected):
    banner, problems = load(tmp_path, text)
    assert banner is None
    assert lines_of(problems, tmp_path) == (expected if isinstance(expected, list) else [expected])


def test_an_expired_banner_is_a_warning_and_its_link_is_not_checked(tmp_path):
    """Nothing shows it, so a story taken down since must not stop the build."""
    text = GOOD.replace("2026-11-25 18:00", "2026-11-25 08:00").replace(STORY, "/europe/deleted-story/")
    banner, problems = load(tmp_path, text)
    assert banner is not None and banner_on(banner, NOW) is None
    assert lines_of(problems, tmp_path) == [
        "breaking.yml:3: warning: expires: the banner expired at 2026-11-25 08:00+00:00, so no page shows it. Fix: delete "
        "the file or comment its lines out (a # at the start of each) when you next edit it."]


def test_markup_in_the_headline_is_a_warning_and_kept_as_text(tmp_path):
    banner, problems = load(tmp_path, GOOD.replace("Port strike", "Port <b>strike</b>"))
    assert banner.headline == "Port <b>strike</b> spreads to three more harbours"
    assert lines_of(problems, tmp_path) == [
        "breaking.yml:1: warning: headline: contains HTML (<b>); it is shown as plain text. Fix: remove the markup."]


def test_the_sample_paper_ships_its_example_commented_out_and_the_example_checks_clean(tmp_path):
    settings = load_settings(REPO / "content", tmp_path / "out")
    check = check_site(settings, NOW.date(), now=NOW)
    assert check.breaking is None and not [p for p in check.problems if p.path.endswith(BREAKING_FILE)]
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns("images"))
    (content / "images").mkdir()
    put_up_example(content, expires="2026-11-25 18:00")
    check = check_site({**settings, "PATH": str(content)}, NOW.date(), now=NOW)
    assert [p for p in check.problems if p.path.endswith(BREAKING_FILE)] == []
    assert check.breaking == BreakingNews("Nurses at five hospital trusts vote to strike over staffing", EXAMPLE_LINK[1:],
                                          False, "Breaking", dt.datetime(2026, 11, 25, 18, 0, tzinfo=LONDON))


# --- built sites ----------------------------------------------------------------------------------------

def write_banner(content: Path, text: str) -> None:
    (content / "data" / BREAKING_FILE).write_text(text, encoding="utf-8")


def every_page(site) -> list[Path]:
    return sorted(p for p in site.output.rglob("*.html") if not p.name.startswith("google"))


# One URL of every page type the fixture site has (the search page needs the search index on).
PAGE_TYPES = {
    "front": "/", "article": STORY, "section": "/europe/", "empty section": "/africa/", "desk": "/world/",
    "author": "/author/tom-reeve/", "tag": "/tag/transport/", "archives": "/archive/", "month": "/archive/2026/11/",
    "search": "/search/", "page": "/about/", "404": "/404.html", "corrections": "/corrections/", "feeds": "/feeds/",
}


def banner_of(site, url: str):
    soup = site.soup(url)
    return soup, soup.select(".nr-breaking")


def test_the_banner_is_on_every_page_type_under_the_masthead(build_site, site_content):
    write_banner(site_content, GOOD.replace("2026-11-25 18:00", "2026-11-25 18:00+00:00") + "label: Live\n")
    site = build_site()
    for kind, url in PAGE_TYPES.items():
        assert site.exists(url), f"the fixture site has no {kind} page at {url}"
        soup, found = banner_of(site, url)
        assert len(found) == 1, f"{kind} page {url}: {len(found)} banners"
        bar = found[0]
        assert bar.name == "section" and bar["aria-label"] == "Breaking news" and not bar.get("role")
        assert bar.find_previous_sibling() is soup.select_one("header.nr-header"), kind
        assert bar.find_next_sibling().name == "main", kind
        assert bar.select_one(".nr-breaking__label").get_text() == "Live"
        assert bar["data-nr-expires"] == "2026-11-25T18:00:00+00:00"  # for main.js, by the reader's clock
        link = bar.select_one("a.nr-breaking__link")
        assert (link["href"], link.get_text()) == (STORY, "Port strike spreads to three more harbours")
    # ... and on every other page the build wrote.
    pages = every_page(site)
    assert len(pages) > 30
    assert [p for p in pages if len(banner_of(site, "/" + p.relative_to(site.output).as_posix())[1]) != 1] == []


def test_the_default_label_is_translated_and_an_outside_link_is_kept_whole(build_site, site_content):
    write_banner(site_content, "headline: Results as they come in\nlink: https://results.example.org/count?seat=1&x=2\n")
    site = build_site(NEWSROOM_SEARCH=False)
    _, [bar] = banner_of(site, "/")
    assert bar.select_one(".nr-breaking__label").get_text() == "Breaking"
    assert bar.select_one("a")["href"] == "https://results.example.org/count?seat=1&x=2"
    assert not bar.has_attr("data-nr-expires")  # no expiry: up until an editor takes it down
    # An Arabic story keeps the site's chrome in English, the banner with it.
    _, [bar] = banner_of(site, "/middle-east/gaza-fishermen-arabic/")
    assert bar.select_one(".nr-breaking__label").get_text() == "Breaking"


def test_markup_in_the_headline_is_shown_as_typed(build_site, site_content):
    write_banner(site_content, 'headline: "Port <script>alert(1)</script> strike"\nlink: /\n')
    site = build_site(NEWSROOM_SEARCH=False)
    _, [bar] = banner_of(site, "/europe/")
    assert bar.select_one("a").get_text() == "Port <script>alert(1)</script> strike"
    assert bar.select("script") == []


def test_with_a_site_url_the_link_is_absolute(build_site, site_content):
    write_banner(site_content, GOOD)
    site = build_site(conf="publishconf.py", SITEURL="https://paper.example", NEWSROOM_SEARCH=False,
                      NEWSROOM_ASSETS_PRECOMPRESS=False)
    _, [bar] = banner_of(site, "/about/")
    assert bar.select_one("a")["href"] == "https://paper.example" + STORY


def test_a_broken_banner_stops_the_build_and_make_check_reports_it(build_site, site_content, capsys):
    write_banner(site_content, GOOD.replace(STORY, "/europe/new-year-budget-preview/"))
    with pytest.raises(ContentProblemsError):
        build_site(NEWSROOM_SEARCH=False)
    err = capsys.readouterr().err
    assert re.search(r"data/breaking\.yml:2: error: link: /europe/new-year-budget-preview/ is scheduled for "
                     r"2027-01-12 09:00", err)


def test_the_banner_is_gone_from_every_page_after_its_expiry_and_the_schedule_names_it(build_site, site_content):
    write_banner(site_content, GOOD.replace("2026-11-25 18:00", "2026-11-25 12:00"))
    before = build_site(NEWSROOM_SEARCH=False)
    record = json.loads(Path(state_path(str(before.output))).read_text())
    assert {"at": "2026-11-25T12:00:00+00:00", "what": "breaking banner expires"} in record["changes"]
    assert record["next_change"] == "2026-11-25T12:00:00+00:00"  # before the fund's next midnight
    assert all(len(banner_of(before, "/" + p.relative_to(before.output).as_posix())[1]) == 1 for p in every_page(before))

    at_expiry = build_site(epoch=epoch("2026-11-25T12:00:00+00:00"), NEWSROOM_SEARCH=False)
    assert [p for p in every_page(at_expiry) if "nr-breaking" in p.read_text(encoding="utf-8")] == []
    record = json.loads(Path(state_path(str(at_expiry.output))).read_text())
    assert "breaking banner expires" not in {c["what"] for c in record["changes"]}


def test_the_clock_comes_from_source_date_epoch(monkeypatch):
    """What the expiry is compared with: the build's clock, SOURCE_DATE_EPOCH when set."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch("2026-11-25T12:00:00+00:00")))
    now = build_now({"TIMEZONE": "Europe/London"})
    banner = BreakingNews("x", "", False, expires=dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON))
    assert banner_on(banner, now) is None and banner_on(banner, now - dt.timedelta(seconds=1)) is banner


# --- incremental builds ------------------------------------------------------------------------------------

def test_putting_up_a_banner_and_its_expiry_reach_every_page_of_an_incremental_build(build_site, site_content, tmp_path):
    """Build; put a banner up; rebuild: every page has it. Move the clock past its expiry, the same day and
    nothing else changed: every page loses it. Each rebuild equals a clean build of the same content."""
    settings = cached(tmp_path / "cache", NEWSROOM_SEARCH=False)
    output = tmp_path / "site"

    def clean(when: int) -> str:
        fresh = {**settings, "CACHE_PATH": str(tmp_path / f"fresh-{when}")}
        return tree_digest(build_site(output=tmp_path / f"clean-{when}", epoch=when, **fresh).output)

    first = build_site(output=output, **settings)
    assert [p for p in every_page(first) if "nr-breaking" in p.read_text(encoding="utf-8")] == []

    write_banner(site_content, GOOD.replace("2026-11-25 18:00", "2026-11-25 12:00"))
    up = build_site(output=output, **settings)
    assert up.report["kept"] == 0  # every page changed, so every page was rendered again
    assert all(len(banner_of(up, "/" + p.relative_to(output).as_posix())[1]) == 1 for p in every_page(up))
    assert tree_digest(output) == clean(epoch("2026-11-25T09:46:40+00:00"))

    after = epoch("2026-11-25T12:30:00+00:00")
    down = build_site(output=output, epoch=after, **settings)
    assert down.report["kept"] == 0
    assert [p for p in every_page(down) if "nr-breaking" in p.read_text(encoding="utf-8")] == []
    assert tree_digest(output) == clean(after)

    again = build_site(output=output, epoch=after + 60, **settings)  # nothing changed since: every page kept
    assert again.report["rendered"] == 0

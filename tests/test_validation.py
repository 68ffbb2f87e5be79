"""Each validation problem, with the message an editor gets: file, line, field, what is wrong, the fix."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import yaml

from conftest import REPO
from newsroom_checks import check_article, check_site, parse_date, parse_header
from newsroom_content.data_files import FAST_LOADER, key_lines, load_authors, load_cooperative, load_fund, parse_yaml
from newsroom_content.fund import fund_state
from newsroom_content.settings import NewsroomSettingsError, build_desks

SECTIONS = {"Middle East": "middle-east", "Europe": "europe"}
SETTINGS = {"TIMEZONE": "Europe/London", "SLUG_REGEX_SUBSTITUTIONS": [
    (r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-"),
]}
GOOD = "Title: Talks resume\nDate: 2026-11-20 08:30\nCategory: Middle East\n"


def problems_in(text: str, tmp_path, **files) -> list[str]:
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    problems, _ = check_article(str(tmp_path / "a.md"), text, content_root=str(tmp_path), sections=SECTIONS, settings=SETTINGS)
    return [p.format(root=str(tmp_path)) for p in problems if p.is_error]


def test_a_good_article_has_no_problems(tmp_path):
    assert problems_in(GOOD + "\nBody.\n", tmp_path) == []


@pytest.mark.parametrize("text,expected", [
    ("Date: 2026-11-20 08:30\nCategory: Middle East\n\nBody", "a.md: error: Title: is missing; every article needs it. Fix: add a line `Title: The headline`."),
    ("Title: T\nCategory: Middle East\n\nBody", "a.md: error: Date: is missing; every article needs it. Fix: add a line `Date: ...`; write it as YYYY-MM-DD HH:MM"),
    ("Title: T\nDate: 2026-11-20 08:30\n\nBody", "a.md: error: Category: is missing; every article needs it. Fix: add a line `Category: <section>` with one of: Middle East, Europe."),
    ("Title:\nDate: 2026-11-20 08:30\nCategory: Europe\n\nBody", "a.md:1: error: Title: is empty. Fix: fill it in"),
    ("Title: T\nDate: 20/11/2026\nCategory: Europe\n\nBody", "a.md:2: error: Date: '20/11/2026' is not a date. Fix: write it as YYYY-MM-DD HH:MM, e.g. 2026-11-25 09:30"),
    ("Title: T\nDate: 2026-02-30 10:00\nCategory: Europe\n\nBody", "a.md:2: error: Date: '2026-02-30 10:00' is not a date."),
    ("Title: T\nDate: 2026-11-20 08:30\nCategory: Europe\nModified: yesterday\n\nBody", "a.md:4: error: Modified: 'yesterday' is not a date."),
    ("Title: T\nDate: 2026-11-20 08:30\nCategory: Europe\nModified: 2026-11-19 08:30\n\nBody", "a.md:4: error: Modified: '2026-11-19 08:30' is earlier than the Date."),
    ("Title: T\nDate: 2026-11-20 08:30\nCategory: Middle Eest\n\nBody", "a.md:3: error: Category: 'Middle Eest' is not one of the paper's sections. Fix: did you mean `Middle East`? Otherwise use one of: Middle East, Europe"),
    ("Title: T\nDate: 2026-11-20 08:30\nCategory: Sport\n\nBody", "a.md:3: error: Category: 'Sport' is not one of the paper's sections. Fix: use one of: Middle East, Europe (sections are set in pelicanconf.py)."),
    (GOOD + "Sumary: Standfirst\n\nBody", "a.md:4: error: Sumary: is not a known article metadata key. Fix: did you mean `Summary`?"),
    (GOOD + "Author: Jo Bloggs\n\nBody", "a.md:4: error: Author: is not a known article metadata key. Fix: did you mean `Authors`?"),
    (GOOD + "Imgae_alt: x\n\nBody", "a.md:4: error: Imgae_alt: is not a known article metadata key. Fix: did you mean `Image_alt`?"),
    (GOOD + "Flavour: strawberry\n\nBody", "a.md:4: error: Flavour: is not a known article metadata key. Fix: remove the line; known keys are Title, Date"),
    (GOOD + "Title: Again\n\nBody", "a.md:4: error: Title: appears twice (first on line 1). Fix: keep one of the two lines."),
    (GOOD + "Status: live\n\nBody", "a.md:4: error: Status: 'live' is not allowed. Fix: use one of: published, draft, hidden."),
    (GOOD + "Priority: urgent\n\nBody", "a.md:4: error: Priority: 'urgent' is not allowed. Fix: use one of: lead, top, normal."),
    (GOOD + "Image: images/pic.jpg\n\nBody", "a.md:4: error: Image_alt: is missing: every image needs a text alternative"),
    (GOOD + "Image: images/none.jpg\nImage_alt: A harbour\n\nBody", "a.md:4: error: Image: 'images/none.jpg' was not found in the content folder."),
    (GOOD + "Image: https://example.org/x.jpg\nImage_alt: A harbour\n\nBody", "a.md:4: error: Image: 'https://example.org/x.jpg' is not a file in the content folder."),
    (GOOD + "Correction: The name was wrong.\n\nBody", "a.md:4: error: Correction: has no date: a correction is dated by Modified."),
    (GOOD + "Slug: Not A Slug!\n\nBody", "a.md:4: error: Slug: 'Not A Slug!' cannot be used in a URL."),
    (GOOD + "Lang: english\n\nBody", "a.md:4: error: Lang: 'english' is not a language code."),
    (GOOD + "Tags: Water, <b></b>\n\nBody", "a.md:4: error: Tags: '<b></b>' has no letters or digits to make its page's URL from."),
    ("Title: ---\nDate: 2026-11-20 08:30\nCategory: Europe\n\nBody", "a.md:1: error: Slug: cannot be made from the Title (it has no letters or digits)."),
    (GOOD + "Authors: Ann Lee, ---\n\nBody", "a.md:4: error: Authors: '---' has no letters or digits to make its page's URL from."),
    (GOOD + "this line is not metadata\n\nBody", "a.md:4: error: metadata: the line 'this line is not metadata' is not a `Key: value` line"),
    ("Just a story with no metadata.\n", "a.md:1: error: metadata: the file does not start with metadata lines."),
    ("", "a.md: error: file: is empty."),
])
def test_article_problem_messages(tmp_path, text, expected):
    found = problems_in(text, tmp_path, **{"images/pic.jpg": b"\xff\xd8"})
    assert len(found) == 1, found
    assert found[0].startswith(expected), found[0]


def test_all_problems_are_reported_not_only_the_first(tmp_path):
    found = problems_in("Title:\nDate: soon\nCategory: Nowhere\nSumary: x\n\nBody", tmp_path)
    fields = [line.split(": error: ")[1].split(":")[0] for line in found]
    assert fields == ["Title", "Sumary", "Date", "Category"]


@pytest.mark.parametrize("value,expected", [
    ("2026-11-20 08:30", dt.datetime(2026, 11, 20, 8, 30)),
    ("2026-11-20", dt.datetime(2026, 11, 20, 0, 0)),
    ("2026-11-20 08:30:15", dt.datetime(2026, 11, 20, 8, 30, 15)),
    ("2026-11-20 08:30+03:00", dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))),
    ("2026-11-20T08:30Z", dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.timezone.utc)),
    ("2026-11-20 25:00", None), ("20 November 2026", None), ("2026-11-20 08:30+15:00", None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_header_parsing_keeps_line_numbers_and_continuations():
    header = parse_header("Title: A long\n    headline\nDate: 2026-11-20 08:30\n\nBody starts: here\n")
    assert header.get("title") == "A long headline"
    assert header.line("date") == 3
    assert header.body == "Body starts: here\n"  # the rest of the file, as it is


def test_only_newlines_end_a_header_line():
    header = parse_header("Title: Bell\x0bchar\u2028here\r\nDate: 2026-11-20 08:30\r\nCategory: Europe\r\n\r\nBody")
    assert header.get("title") == "Bell\x0bchar\u2028here"
    assert (header.line("date"), header.get("category"), header.body) == (2, "Europe", "Body")


def test_non_utf8_file_is_one_clear_problem(tmp_path, build_site, site_content):
    (site_content / "articles/latin1.md").write_bytes("Title: Caf\xe9 society\nDate: 2026-11-20 08:30\nCategory: Europe\n\nBody".encode("latin-1"))
    check = check_site(_settings(site_content), dt.date(2026, 11, 25))
    messages = [p.format() for p in check.errors]
    assert len(messages) == 1 and "latin1.md:1: error: file: is not valid UTF-8 text. Fix: save the file as UTF-8" in messages[0]


def test_duplicate_urls_name_both_files(site_content):
    (site_content / "articles/europe/copy.md").write_text(
        "Title: Rail fares frozen for a year\nDate: 2026-11-01 10:00\nCategory: Europe\n\nAgain.\n")
    (site_content / "pages/world.md").write_text("Title: World\n\nA page that would hide the World desk.\n")
    check = check_site(_settings(site_content), dt.date(2026, 11, 25))
    messages = [p.format() for p in check.errors]
    assert any("Slug: gives the URL /europe/rail-fares-frozen-for-a-year/, which" in m and "copy.md" in m for m in messages), messages
    assert any("pages/world.md:1: error: Slug: gives the URL /world/, which belongs to the World desk page." in m for m in messages), messages
    assert len(messages) == 2


def test_unknown_author_is_a_warning_not_an_error(site_content):
    (site_content / "articles/europe/new.md").write_text("Title: New\nDate: 2026-11-01 10:00\nCategory: Europe\nAuthors: Jo Newcomer\n\nText.\n")
    check = check_site(_settings(site_content), dt.date(2026, 11, 25))
    assert not check.errors
    assert any("'Jo Newcomer' has no entry in" in p.format() and p.severity == "warning" for p in check.problems)


def test_the_checks_parse_each_files_header_once(site_content, monkeypatch):
    from newsroom_checks import frontmatter, site, validation

    parsed, parse = [], frontmatter.parse_header
    for module in (frontmatter, site, validation):  # wherever the checks may call it from
        monkeypatch.setattr(module, "parse_header", lambda text: parsed.append(text) or parse(text), raising=False)
    check = check_site(_settings(site_content), dt.date(2026, 11, 25))
    files = [p for folder in ("articles", "pages") for p in (site_content / folder).rglob("*.md")]
    assert not check.errors and len(parsed) == len(files) == len(set(parsed))


def _settings(content):
    from conftest import load_settings

    return load_settings(content, content.parent / "out")


# --- data files ---------------------------------------------------------------------------------

FUND = "target: 17999\nraised: 7798\ncurrency: GBP\nperiod_start: 2026-11-05\nperiod_end: 2026-12-04\ndonate_url: /support-us/\n"


def fund_problems(tmp_path, text, today=dt.date(2026, 11, 25)):
    (tmp_path / "fighting-fund.yml").write_text(text)
    fund, problems = load_fund(str(tmp_path), today)
    return fund, [p.format(root=str(tmp_path)) for p in problems if p.is_error]


def test_fund_figures(tmp_path):
    fund, problems = fund_problems(tmp_path, FUND)
    assert problems == []
    state = fund_state(fund, dt.date(2026, 11, 25))
    assert (state.raised, state.needed, state.target) == (7798, 10201, 17999)
    assert state.days_remaining == 9 and state.state == "running" and state.percent_raised == 43


MONTHLY = "period: monthly\nmonth: 2026-12\ntarget: 17999\nraised: 7798\ncurrency: GBP\ndonate_url: /support-us/\n"


def fund_warnings(tmp_path, text, today):
    (tmp_path / "fighting-fund.yml").write_text(text)
    _, problems = load_fund(str(tmp_path), today)
    return [p.format(root=str(tmp_path)) for p in problems if not p.is_error]


@pytest.mark.parametrize("text,today,expected", [
    (FUND, dt.date(2026, 12, 4), []),
    (FUND, dt.date(2026, 12, 5), ["fighting-fund.yml:5: warning: period_end: the appeal ended on 2026-12-04, so the "
                                  "pages thank readers and ask for no donations. Fix: give the next appeal's "
                                  "period_start and period_end, or use `period: monthly`."]),
    (FUND + "next_period_start: 2027-01-01\n", dt.date(2026, 12, 6), []),
    (FUND + "next_period_start: 2027-01-01\n", dt.date(2027, 1, 1), [
        "fighting-fund.yml:7: warning: next_period_start: the next appeal started on 2027-01-01, but the file still "
        "describes the last one. Fix: give the new appeal's period_start, period_end and raised."]),
    (MONTHLY, dt.date(2026, 12, 31), []),
    (MONTHLY, dt.date(2026, 11, 30), []),
    (MONTHLY, dt.date(2027, 1, 1), [
        "fighting-fund.yml:2: warning: month: the raised figure is for 2026-12, an earlier month than the build's "
        "(2027-01), so the pages show January's appeal from nothing raised. Fix: when you update raised for January, "
        "set `month: 2027-01`."]),
])
def test_fund_warnings(tmp_path, text, today, expected):
    """`make check` warns, and the build goes on, when the appeal in the file is over."""
    assert fund_warnings(tmp_path, text, today) == expected


@pytest.mark.parametrize("change,expected", [
    (("period: monthly", "period: weekly"), "fighting-fund.yml:1: error: period: 'weekly' is not a period this site "
     "knows. Fix: write `period: monthly` for an appeal that runs each calendar month, or remove it and give "
     "period_start and period_end."),
    (("month: 2026-12", "month: December"), "fighting-fund.yml:2: error: month: 'December' is not a month. Fix: write "
     "the month the raised figure is for as YYYY-MM, e.g. `month: 2026-12`."),
    (("month: 2026-12", "month: 2026-13"), "fighting-fund.yml:2: error: month: '2026-13' is not a month."),
    (("month: 2026-12", "month:"), "fighting-fund.yml:2: error: month: None is not a month."),
    (("month: 2026-12", "period_end: 2026-12-04"), "fighting-fund.yml:2: error: period_end: cannot be given with "
     "`period: monthly`, which sets the dates itself. Fix: remove period_end, or remove `period: monthly` to give "
     "explicit dates."),
])
def test_monthly_fund_problems(tmp_path, change, expected):
    fund, problems = fund_problems(tmp_path, MONTHLY.replace(*change))
    assert fund is None
    assert len(problems) == 1 and problems[0].startswith(expected), problems


@pytest.mark.parametrize("extra,expected", [
    ("month: 2026-11\n", "fighting-fund.yml:7: error: month: only applies to `period: monthly`. Fix: remove month, "
     "or replace period_start and period_end with `period: monthly`."),
    ("next_period_start: 2026-12-04\n", "fighting-fund.yml:7: error: next_period_start: 2026-12-04 is not after "
     "period_end (2026-12-04). Fix: give the day the next appeal starts, after this one ends."),
    ("next_period_start: soon\n", "fighting-fund.yml:7: error: next_period_start: 'soon' is not a date."),
])
def test_explicit_fund_problems(tmp_path, extra, expected):
    fund, problems = fund_problems(tmp_path, FUND + extra)
    assert fund is None
    assert len(problems) == 1 and problems[0].startswith(expected), problems


@pytest.mark.parametrize("change,expected", [
    (("raised: 7798", "raised: -5"), "fighting-fund.yml:2: error: raised: -5 cannot be negative. Fix: write a plain number"),
    (("raised: 7798", "raised: £7,798"), "fighting-fund.yml:2: error: raised: '£7,798' is not an amount of money."),
    (("target: 17999", "target: 0"), "fighting-fund.yml:1: error: target: 0 must be more than zero."),
    (("target: 17999\n", ""), "fighting-fund.yml: error: target: is missing."),
    (("currency: GBP", "currency: POUNDS"), "fighting-fund.yml:3: error: currency: 'POUNDS' is not an ISO 4217 currency code."),
    (("period_end: 2026-12-04", "period_end: 4 December"), "fighting-fund.yml:5: error: period_end: '4 December' is not a date."),
    (("period_end: 2026-12-04", "period_end: 2026-11-01"), "fighting-fund.yml:5: error: period_end: 2026-11-01 is before period_start (2026-11-05)."),
    (("donate_url: /support-us/", "donate_url: javascript:alert(1)"), "fighting-fund.yml:6: error: donate_url: 'javascript:alert(1)' is not a usable link."),
    (("raised: 7798", "raised: [7798"), "fighting-fund.yml:"),
    (("raised: 7798", "raisd: 7798"), "fighting-fund.yml:2: error: raisd: is not a known key. Fix: did you mean `raised`?"),
])
def test_fund_problems(tmp_path, change, expected):
    fund, problems = fund_problems(tmp_path, FUND.replace(*change))
    assert fund is None
    assert any(p.startswith(expected) for p in problems), problems


def test_malformed_yaml_names_the_line(tmp_path):
    _, problems = fund_problems(tmp_path, "target: 17999\nraised: [7798\ncurrency: GBP\n")
    assert len(problems) == 1 and problems[0].startswith("fighting-fund.yml:") and "YAML: cannot be read" in problems[0]


def test_missing_fund_file(tmp_path):
    fund, problems = load_fund(str(tmp_path), dt.date(2026, 11, 25))
    assert fund is None and "is missing: the fighting-fund appeal needs it" in problems[0].format()


def test_cooperative_promo(tmp_path):
    (tmp_path / "cooperative.yml").write_text("heading: Owned by readers\ntext: Buy shares.\nlink_text: Become a supporter\nlink_url: /join/\n")
    promo, problems = load_cooperative(str(tmp_path))
    assert problems == [] and promo == {"heading": "Owned by readers", "text": "Buy shares.", "link_text": "Become a supporter", "link_url": "/join/"}
    (tmp_path / "cooperative.yml").write_text("heading: Owned by readers\ntext: Buy shares.\nlink_url: /join/\n")
    promo, problems = load_cooperative(str(tmp_path))
    assert promo is None and problems[0].format(root=str(tmp_path)).startswith("cooperative.yml: error: link_text: is missing.")


def test_authors_file(tmp_path):
    (tmp_path / "authors.yml").write_text("- name: Ann\n  role: Reporter\n  bio: Ann writes.\n- name: Ann\n  bio: Again.\n- name: Bo\n")
    authors, problems = load_authors(str(tmp_path))
    assert list(authors) == ["Ann", "Bo"] and authors["Ann"].bio == "Ann writes."
    formatted = [p.format(root=str(tmp_path)) for p in problems]
    assert formatted[0] == "authors.yml:4: error: name: 'Ann' is listed twice. Fix: keep one entry per author."
    assert formatted[1].startswith("authors.yml:6: warning: bio: 'Bo' has no bio.")


# --- settings -----------------------------------------------------------------------------------

@pytest.mark.parametrize("desks,message", [
    ([{"name": "Sport", "sections": ["Sport"]}], "section 'Sport' and desk 'Sport' would share the URL /sport/"),
    ([{"name": "World", "sections": ["Europe"]}, {"name": "Home", "sections": ["Europe"]}], "section 'Europe' and section 'Europe' would share the URL /europe/"),
    ([{"name": "World", "sections": ["Tag"]}], "section 'Tag' would take the URL /tag/, which is reserved"),
    ([{"name": "World", "sections": []}], "desk 'World' needs a non-empty \"sections\" list"),
    ([], "must be a non-empty list of desks"),
    ([{"name": "Comment", "kind": "opinions", "sections": ["Opinion"]}], "desk 'Comment' has the \"kind\" 'opinions'; use one of: 'news', 'opinion'"),
])
def test_colliding_or_broken_desk_settings_are_refused(desks, message):
    with pytest.raises(NewsroomSettingsError) as e:
        build_desks({**SETTINGS, "NEWSROOM_DESKS": desks})
    assert str(e.value).startswith("newsroom_content: NEWSROOM_DESKS in pelicanconf.py: ") and message in str(e.value)


def test_a_desk_is_news_unless_its_kind_says_opinion():
    desks = build_desks({**SETTINGS, "NEWSROOM_DESKS": [{"name": "World", "sections": ["Europe"]},
                                                        {"name": "Comment", "kind": "opinion", "sections": ["Opinion"]}]})
    assert [(d.kind, d.is_opinion) for d in desks] == [("news", False), ("opinion", True)]


def test_desk_slug_override_resolves_a_collision():
    desks = build_desks({**SETTINGS, "NEWSROOM_DESKS": [{"name": "Sport", "slug": "sport-desk", "sections": ["Sport"]}]})
    assert (desks[0].url, desks[0].sections[0].url) == ("sport-desk/", "sport/")


# --- the data files' YAML parser ---------------------------------------------------------------------------

YAML_FILES = sorted(p.relative_to(REPO).as_posix() for folder in ("content", "tests")
                    for p in (REPO / folder).rglob("*.y*ml") if "node_modules" not in p.parts)


@pytest.mark.parametrize("path", YAML_FILES)
def test_the_fast_yaml_parser_reads_every_data_file_as_pyyaml_does(path):
    """data_files parses with libyaml when PyYAML has it: every YAML file of the repo (the sample paper's
    and the hostile ones) gives the same value and key lines as with PyYAML's own parser, or is refused by both."""
    text = (REPO / path).read_text(encoding="utf-8")

    def parsed(loader):
        try:
            node, value = parse_yaml(text, loader)
        except yaml.YAMLError:
            return "refused"
        return value, key_lines(node)

    assert parsed(FAST_LOADER) == parsed(yaml.SafeLoader)


def test_the_build_parses_yaml_with_libyaml_here():
    # PyYAML's wheels for these machines bring libyaml; without it the build is slower, not different.
    assert FAST_LOADER is yaml.CSafeLoader


def test_the_check_cache_rewrites_only_the_shards_whose_files_changed(tmp_path):
    """Each file's check is kept in one of the Store's sharded records: an edit rewrites one of them, a
    deleted file's record loses it, and a build that changed nothing writes none."""
    from newsroom_checks import CheckCache
    from newsroom_engine.api import Store, shard_of

    files = []
    for number in range(40):
        path = tmp_path / "content" / f"story-{number}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"Title: Story {number}\n")
        files.append(str(path))
    store = Store(str(tmp_path / "cache"))
    first = CheckCache(store, "other-files")
    for path in files:
        assert first.get(path) is None
        first.put(path, ("checked", path))
    first.save()
    records = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert len(records) == len({shard_of(path) for path in files}) > 1

    def stamps():
        return {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()}

    before = stamps()
    second = CheckCache(store, "other-files")
    assert all(second.get(path) == ("checked", path) for path in files)
    second.save()
    assert stamps() == before  # nothing changed, nothing written

    edited, deleted = files[3], files[7]
    with open(edited, "a") as f:
        f.write("Summary: new\n")
    os.remove(deleted)
    third = CheckCache(store, "other-files")
    for path in files:
        if path != deleted and third.get(path) is None:
            third.put(path, ("checked again", path))
    third.save()
    rewritten = {name for name, stamp in stamps().items() if before.get(name) != stamp}
    assert rewritten == {f"checks-{shard_of(edited):02d}.pickle", f"checks-{shard_of(deleted):02d}.pickle"}
    last = CheckCache(store, "other-files")
    assert last.get(edited) == ("checked again", edited) and last.get(deleted) is None
    assert len(last.entries) == len(files) - 1

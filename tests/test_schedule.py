"""Publishing to the minute: the build works out when the site next changes by itself and writes it beside
the output (newsroom_content/schedule.py); the CI's check reads it (newsroom_commands/due.py); and the CI's
incremental build, after a fresh checkout stamped by newsroom_commands/stamp.py, renders nothing that did
not change. Every clock here is SOURCE_DATE_EPOCH."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import BUILD_EPOCH, FIXTURE_SITE, REPO, epoch, write_article

from newsroom_checks import ContentProblemsError
from newsroom_commands.due import Decision, decide
from newsroom_commands.stamp import stamp_tree
from newsroom_content.fund import FundAppeal, fund_state
from newsroom_content.schedule import (ScheduledChange, add_scheduled_change, fund_next_change, next_change_record,
                                       start_registry, state_path)

LONDON = ZoneInfo("Europe/London")
UTC = dt.timezone.utc


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def state_of(site) -> dict:
    return json.loads(Path(state_path(str(site.output))).read_text(encoding="utf-8"))


def monthly(month: dt.date | None = None) -> FundAppeal:
    return FundAppeal(target=1000, raised=10, currency="GBP", donate_url="/d/", monthly=True, month=month)


def explicit(start, end, next_start=None) -> FundAppeal:
    return FundAppeal(target=1000, raised=10, currency="GBP", donate_url="/d/", period_start=start, period_end=end,
                      next_period_start=next_start)


# --- the fund's boundaries -------------------------------------------------------------------------------

@pytest.mark.parametrize("appeal, now, expected, what", [
    # Running: the days remaining change at the next midnight, the paper's midnight.
    (monthly(), "2026-11-25T09:46:40+00:00", "2026-11-26T00:00:00+00:00", "the days remaining change"),
    # A London midnight in summer time is 23:00 UTC.
    (monthly(), "2026-07-10T23:30:00+01:00", "2026-07-11T00:00:00+01:00", "the days remaining change"),
    # The night the clocks go back: still the wall clock's midnight.
    (monthly(), "2026-10-24T18:00:00+01:00", "2026-10-25T00:00:00+01:00", "the days remaining change"),
    # The last day of a monthly appeal: it rolls over into next month's at midnight.
    (monthly(), "2026-11-30T22:00:00+00:00", "2026-12-01T00:00:00+00:00", "the monthly appeal rolls over"),
    (monthly(), "2026-12-31T12:00:00+00:00", "2027-01-01T00:00:00+00:00", "the monthly appeal rolls over"),
    # A monthly appeal set up for a later month: nothing changes until that month starts.
    (monthly(dt.date(2026, 12, 1)), "2026-11-25T09:00:00+00:00", "2026-12-01T00:00:00+00:00", "the appeal starts"),
    # Explicit dates: before, on the last day, ended with and without a next appeal.
    (explicit(dt.date(2026, 11, 5), dt.date(2026, 12, 4)), "2026-11-01T10:00:00+00:00", "2026-11-05T00:00:00+00:00",
     "the appeal starts"),
    (explicit(dt.date(2026, 11, 5), dt.date(2026, 12, 4)), "2026-12-04T10:00:00+00:00", "2026-12-05T00:00:00+00:00",
     "the appeal ends"),
    (explicit(dt.date(2026, 11, 5), dt.date(2026, 12, 4), dt.date(2027, 1, 6)), "2026-12-10T10:00:00+00:00",
     "2027-01-06T00:00:00+00:00", "the next appeal starts"),
    (explicit(dt.date(2026, 11, 5), dt.date(2026, 12, 4)), "2026-12-10T10:00:00+00:00", None, None),
])
def test_the_funds_next_change(appeal, now, expected, what):
    now = at(now).astimezone(LONDON)
    change = fund_next_change(fund_state(appeal, now.date()), now)
    if expected is None:
        assert change is None
    else:
        assert change.at == at(expected) and change.at.tzinfo is not None and change.what.endswith(what)
        assert change.at > now


def test_no_fund_no_change():
    assert fund_next_change(None, at("2026-11-25T09:00:00+00:00")) is None


# --- the registry and the record ---------------------------------------------------------------------------

def test_the_record_keeps_the_soonest_change_after_the_clock():
    now = at("2026-11-25T09:46:40+00:00")
    changes = [ScheduledChange(at("2026-12-01T00:00:00+00:00"), "fund"),
               ScheduledChange(now, "exactly now: already in this build"),
               ScheduledChange(at("2026-11-25T09:00:00+00:00"), "already past"),
               ScheduledChange(at("2026-11-25T09:50:00+00:00"), "banner expires"),
               ScheduledChange(at("2026-11-25T09:50:00+00:00"), "banner expires")]
    record = next_change_record(changes, now)
    assert record["format"] == "newsroom-next-change/1" and record["built_at"] == "2026-11-25T09:46:40+00:00"
    assert record["next_change"] == "2026-11-25T09:50:00+00:00"
    assert record["changes"] == [{"at": "2026-11-25T09:50:00+00:00", "what": "banner expires"},
                                 {"at": "2026-12-01T00:00:00+00:00", "what": "fund"}]
    assert next_change_record([], now) == {**record, "next_change": None, "changes": []}


def test_add_scheduled_change_takes_naive_times_in_the_sites_timezone_and_needs_a_build():
    settings = {"TIMEZONE": "Europe/London"}
    add_scheduled_change(settings, dt.datetime(2026, 7, 1, 9, 30), "outside a build: ignored")
    start_registry(settings)
    add_scheduled_change(settings, dt.datetime(2026, 7, 1, 9, 30), "live blog ends")
    [change] = settings["NEWSROOM_SCHEDULED_CHANGES"]
    assert change.at == at("2026-07-01T09:30:00+01:00") and change.what == "live blog ends"
    with pytest.raises(TypeError, match="is not a datetime"):
        add_scheduled_change(settings, "2026-07-01 09:30", "a string")


# --- real builds ---------------------------------------------------------------------------------------------

# A plugin such as live coverage or a breaking banner registers its own times through the API.
HOOK_PLUGIN = '''
import datetime as dt
from pelican import signals
from newsroom_content.schedule import add_scheduled_change

def register_times(generator):
    tz = dt.timezone.utc
    add_scheduled_change(generator, dt.datetime(2026, 11, 25, 10, 15, tzinfo=tz), "live blog content/articles/x.md ends")
    add_scheduled_change(generator.settings, dt.datetime(2026, 11, 25, 9, 50, tzinfo=tz), "breaking banner expires")
    add_scheduled_change(generator, dt.datetime(2026, 11, 25, 9, 0, tzinfo=tz), "a banner that expired already")

def register():
    signals.article_generator_finalized.connect(register_times)
'''


def test_a_build_writes_the_next_change_beside_its_output(fixture_site):
    """The fixture: its fund runs to 2026-12-04 (London), its scheduled story is dated 2027-01-12 09:00."""
    site = fixture_site  # 2026-11-25 09:46:40 UTC
    record = state_of(site)
    assert record["built_at"] == "2026-11-25T09:46:40+00:00"
    assert record["next_change"] == "2026-11-26T00:00:00+00:00"
    assert [c["what"] for c in record["changes"]] == [
        "fighting fund: the days remaining change",
        "scheduled article articles/europe/2027-01-12-scheduled.md goes live"]
    assert record["changes"][1]["at"] == "2027-01-12T09:00:00+00:00"
    # Beside the output, never in it.
    assert not list(site.output.rglob("*next-change*"))


def test_plugins_add_their_own_times(build_site, tmp_path):
    plugins = tmp_path / "hook-plugins"
    plugins.mkdir()
    (plugins / "newsroom_test_schedule_hook.py").write_text(HOOK_PLUGIN, encoding="utf-8")
    from pelican.settings import read_settings
    base = read_settings(str(REPO / "pelicanconf.py"))
    site = build_site(PLUGIN_PATHS=[*base["PLUGIN_PATHS"], str(plugins)],
                      PLUGINS=[*base["PLUGINS"], "newsroom_test_schedule_hook"])
    record = state_of(site)
    assert record["next_change"] == "2026-11-25T09:50:00+00:00"
    assert [c["what"] for c in record["changes"][:3]] == [
        "breaking banner expires", "live blog content/articles/x.md ends", "fighting fund: the days remaining change"]
    assert "a banner that expired already" not in json.dumps(record)


def test_scheduled_story_goes_live_on_the_build_after_its_time_and_the_check_agrees(build_site, tmp_path):
    """After the fund has ended (no next appeal), the scheduled story is the only change to come."""
    output = tmp_path / "site"
    site = build_site(output=output, epoch=epoch("2026-12-10T12:00:00+00:00"))
    record = state_of(site)
    assert record["next_change"] == "2027-01-12T09:00:00+00:00"
    assert not site.exists("/europe/new-year-budget-preview/")
    assert decide(record, at("2027-01-12T08:59:59+00:00")) == Decision(
        False, "next change 2027-01-12T09:00:00+00:00 (scheduled article articles/europe/2027-01-12-scheduled.md "
               "goes live), in 0 min")
    assert decide(record, at("2027-01-12T09:04:00+00:00")).due
    site = build_site(output=output, epoch=epoch("2027-01-12T09:04:00+00:00"))
    assert state_of(site)["next_change"] is None
    assert not decide(state_of(site), at("2027-06-01T00:00:00+00:00")).due
    assert site.exists("/europe/new-year-budget-preview/")


def test_a_failed_build_keeps_the_last_record(build_site, site_content, tmp_path):
    output = tmp_path / "site"
    site = build_site(output=output)
    before = Path(state_path(str(output))).read_bytes()
    write_article(site_content, "europe/bad-type.md", "Title: Bad\nDate: 2026-11-01 10:00\nCategory: Europe\nType: Blog\n\nText.\n")
    with pytest.raises(ContentProblemsError):
        build_site(output=output, epoch=epoch("2026-11-28T12:00:00+00:00"))
    assert Path(state_path(str(output))).read_bytes() == before


# --- the CI's check, without GitHub ------------------------------------------------------------------------------

RECORD = {"format": "newsroom-next-change/1", "built_at": "2026-11-25T09:46:40+00:00",
          "next_change": "2026-11-25T10:00:00+00:00",
          "changes": [{"at": "2026-11-25T10:00:00+00:00", "what": "breaking banner expires"}]}


@pytest.mark.parametrize("record, now, force, due, reason", [
    (RECORD, "2026-11-25T09:55:00+00:00", False, False, "next change 2026-11-25T10:00:00+00:00 (breaking banner expires), in 5 min"),
    (RECORD, "2026-11-25T10:00:00+00:00", False, True, "2026-11-25T10:00:00+00:00 (breaking banner expires) is due, 0 min ago"),
    (RECORD, "2026-11-25T10:07:00+01:00", False, False, "next change 2026-11-25T10:00:00+00:00 (breaking banner expires), in 53 min"),
    (RECORD, "2026-11-25T09:55:00+00:00", True, True, "a build was asked for"),
    ({**RECORD, "next_change": None, "changes": []}, "2030-01-01T00:00:00+00:00", False, False, "nothing is scheduled"),
    ({**RECORD, "next_change": "2026-11-25 10:00"}, "2026-11-25T09:00:00+00:00", False, True,
     "the next change '2026-11-25 10:00' is not a time with an offset"),
    (None, "2026-11-25T09:00:00+00:00", False, True, "no build is on record"),
])
def test_decide(record, now, force, due, reason):
    assert decide(record, at(now), force=force) == Decision(due, reason)


def run_due(cwd: Path, when: str, *args: str) -> tuple[subprocess.CompletedProcess, dict, float]:
    """The check as the workflow runs it: the system's Python without site packages (no virtualenv, no
    Pelican), PYTHONPATH=plugins, with GITHUB_OUTPUT."""
    output = cwd / "github-output"
    output.write_text("")
    python = shutil.which("python3", path="/usr/bin:/bin:/usr/local/bin") or sys.executable
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(REPO / "plugins"), "GITHUB_OUTPUT": str(output),
           "SOURCE_DATE_EPOCH": str(epoch(when))}
    start = time.perf_counter()
    result = subprocess.run([python, "-S", "-m", "newsroom_commands", "due", *args], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=60)
    elapsed = time.perf_counter() - start
    values = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return result, values, elapsed


def test_the_due_command_as_the_workflow_runs_it(tmp_path):
    result, values, _ = run_due(tmp_path, "2026-11-25T09:55:00+00:00")
    assert result.returncode == 0 and values["due"] == "true"
    assert result.stdout == "newsroom due: yes: no output.next-change.json: no build is on record\n"
    (tmp_path / "output.next-change.json").write_text(json.dumps(RECORD))
    result, values, elapsed = run_due(tmp_path, "2026-11-25T09:55:00+00:00")
    assert (result.returncode, values["due"], result.stderr) == (0, "false", "")
    assert values["reason"] == "next change 2026-11-25T10:00:00+00:00 (breaking banner expires), in 5 min"
    assert elapsed < 10  # about 0.1 s of CPU; the machine's load decides the rest
    result, values, _ = run_due(tmp_path, "2026-11-25T10:02:00+00:00")
    assert values["due"] == "true"
    result, values, _ = run_due(tmp_path, "2026-11-25T09:55:00+00:00", "--force")
    assert values["due"] == "true"
    (tmp_path / "output.next-change.json").write_text("{not json")
    result, values, _ = run_due(tmp_path, "2026-11-25T09:55:00+00:00")
    assert result.returncode == 0 and values["due"] == "true" and "cannot be read" in values["reason"]
    assert "Traceback" not in result.stderr


# --- the CI's incremental build after a fresh checkout ---------------------------------------------------------

def test_a_fresh_checkout_stamped_from_its_bytes_renders_only_what_changed(build_site, tmp_path):
    """The CI restores output/ and cache/ into a new checkout each run: new files, new times. Stamped, the
    build keeps every listing, the front page and the other pages keyed by the stories' contents; unstamped,
    it renders every page again. The engine keys a story's own page by its file's identity (inode and
    ctime, which no checkout keeps), so those pages are rendered again, to the same bytes: none is replaced."""
    content = tmp_path / "checkout" / "content"
    settings = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache"),
                "NEWSROOM_SEARCH": False}
    output = tmp_path / "output"

    def checkout():
        shutil.rmtree(content, ignore_errors=True)
        shutil.copytree(FIXTURE_SITE, content, copy_function=shutil.copy)  # new files, new times, as git gives
        time.sleep(0.01)

    checkout()
    stamp_tree(str(content))
    first = build_site(content, output=output, **settings)
    assert first.report["rendered"] > 20

    checkout()
    stamp_tree(str(content))
    stamp_tree(str(content))  # the same bytes give the same times, however often
    again = build_site(content, output=output, **settings)
    stories = 8  # the fixture's 5 articles, 1 hidden article and 2 pages: one page each
    assert again.report["rendered"] == stories and again.report["replaced"] == 0

    checkout()
    story = content / "articles" / "middle-east" / "2026-11-20-water-talks.md"
    story.write_text(story.read_text(encoding="utf-8").replace("Jordan valley", "Jordan Valley", 1), encoding="utf-8")
    stamp_tree(str(content))
    edited = build_site(content, output=output, **settings)
    assert stories < edited.report["rendered"] <= first.report["rendered"] // 2
    assert "Jordan Valley" in (output / "middle-east" / "water-talks-resume-in-the-jordan-valley" / "index.html").read_text()

    checkout()  # not stamped: every picture's time is new, and with it every page's key
    story.write_text(story.read_text(encoding="utf-8").replace("Jordan valley", "Jordan Valley", 1), encoding="utf-8")
    unstamped = build_site(content, output=output, **settings)
    assert unstamped.report["rendered"] >= first.report["rendered"] - 2

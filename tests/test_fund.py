"""The fighting-fund appeal's states: the pure function that decides them, and what a built page shows in each."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from conftest import epoch
from newsroom_content.clock import build_now
from newsroom_content.fund import FundAppeal, fund_state

ARTICLE = "/europe/rail-fares-frozen-for-a-year/"  # published before every date these tests build on

EXPLICIT = FundAppeal(Decimal(17999), Decimal(7798), "GBP", "/support-us/",
                      period_start=dt.date(2026, 11, 5), period_end=dt.date(2026, 12, 4))
MONTHLY = FundAppeal(Decimal(17999), Decimal(7798), "GBP", "/support-us/", monthly=True, month=dt.date(2026, 12, 1))


def with_(appeal, **changes):
    return FundAppeal(**{**appeal.__dict__, **changes})


@pytest.mark.parametrize("appeal,today,state,days,last_day", [
    (EXPLICIT, dt.date(2026, 11, 4), "before", 0, False),
    (EXPLICIT, dt.date(2026, 11, 5), "running", 29, False),  # first day
    (EXPLICIT, dt.date(2026, 11, 25), "running", 9, False),
    (EXPLICIT, dt.date(2026, 12, 3), "running", 1, False),
    (EXPLICIT, dt.date(2026, 12, 4), "running", 0, True),  # last day: "Last day", never "0 days"
    (EXPLICIT, dt.date(2026, 12, 5), "ended", 0, False),
    (EXPLICIT, dt.date(2027, 3, 1), "ended", 0, False),
])
def test_explicit_period_states(appeal, today, state, days, last_day):
    fund = fund_state(appeal, today)
    assert (fund.state, fund.days_remaining, fund.last_day) == (state, days, last_day)
    assert fund.raised + fund.needed == fund.target


def test_ended_with_a_next_period_announces_it():
    fund = fund_state(with_(EXPLICIT, next_period_start=dt.date(2027, 1, 1)), dt.date(2026, 12, 6))
    assert (fund.state, fund.next_period_start) == ("ended", dt.date(2027, 1, 1))


@pytest.mark.parametrize("raised,needed,percent", [(17999, 0, 100), (20000, 0, 100), (17998, 1, 99)])
def test_target_reached_never_needs_a_negative_amount(raised, needed, percent):
    fund = fund_state(with_(EXPLICIT, raised=Decimal(raised)), dt.date(2026, 11, 25))
    assert (fund.needed, fund.percent_raised, fund.target_reached) == (needed, percent, raised >= 17999)


@pytest.mark.parametrize("today,start,end,days", [
    (dt.date(2027, 1, 1), dt.date(2027, 1, 1), dt.date(2027, 1, 31), 30),  # 31-day month, first day
    (dt.date(2026, 11, 30), dt.date(2026, 11, 1), dt.date(2026, 11, 30), 0),  # 30-day month, last day
    (dt.date(2027, 2, 10), dt.date(2027, 2, 1), dt.date(2027, 2, 28), 18),  # 28 days
    (dt.date(2028, 2, 28), dt.date(2028, 2, 1), dt.date(2028, 2, 29), 1),  # leap year: 29 days
    (dt.date(2028, 2, 29), dt.date(2028, 2, 1), dt.date(2028, 2, 29), 0),
])
def test_monthly_period_is_the_build_month(today, start, end, days):
    fund = fund_state(with_(MONTHLY, month=None), today)
    assert (fund.state, fund.period_start, fund.period_end, fund.days_remaining) == ("running", start, end, days)
    assert fund.next_period_start == end + dt.timedelta(days=1)


@pytest.mark.parametrize("today,state,raised,start", [
    (dt.date(2026, 11, 30), "before", 7798, dt.date(2026, 12, 1)),  # next month's figures, set up early
    (dt.date(2026, 12, 1), "running", 7798, dt.date(2026, 12, 1)),
    (dt.date(2026, 12, 31), "running", 7798, dt.date(2026, 12, 1)),
    (dt.date(2027, 1, 1), "running", 0, dt.date(2027, 1, 1)),  # rolled over: a new month starts from nothing
])
def test_monthly_rollover_across_a_month_boundary(today, state, raised, start):
    fund = fund_state(MONTHLY, today)
    assert (fund.state, fund.raised, fund.period_start) == (state, raised, start)
    assert fund.needed == fund.target - fund.raised


@pytest.mark.parametrize("moment,month", [
    ("2026-06-30T22:59:59+00:00", 6),  # 23:59:59 BST
    ("2026-06-30T23:00:00+00:00", 7),  # midnight in London, still 30 June in UTC
    ("2026-12-31T23:59:59+00:00", 12),  # GMT: London and UTC agree
    ("2027-01-01T00:00:00+00:00", 1),
])
def test_the_month_is_the_sites_timezone(moment, month):
    today = build_now({"TIMEZONE": "Europe/London"}, {"SOURCE_DATE_EPOCH": str(epoch(moment))}).date()
    fund = fund_state(with_(MONTHLY, month=None), today)
    assert fund.period_start.month == month and fund.state == "running"


# --- the built page -----------------------------------------------------------------------------------

def shown_text(fund) -> str:
    """The appeal's words a reader gets without JavaScript: the parts marked hidden left out."""
    fund = fund.__copy__()
    for part in fund.select("[hidden]"):
        part.decompose()
    return " ".join(fund.get_text(" ", strip=True).split())


def assert_not_contradictory(text: str) -> None:
    assert not ("We need" in text and "ended" in text), text
    assert not ("Donate today" in text and "ended" in text), text
    assert not re.search(r"\b0 days?\b", text), text
    assert not re.search(r"(?<![\w-])-\s?[£€$]?\d", text), text


EXPLICIT_YML = "target: 17999\nraised: {raised}\ncurrency: GBP\nperiod_start: 2026-11-05\nperiod_end: 2026-12-04\n" \
               "donate_url: /support-us/#donate\n{extra}"
MONTHLY_YML = "period: monthly\nmonth: 2026-12\ntarget: 17999\nraised: {raised}\ncurrency: GBP\n" \
              "donate_url: /support-us/#donate\n{extra}"


@pytest.mark.parametrize("data,when,expected,absent", [
    (EXPLICIT_YML, "2026-11-01T12:00:00+00:00", ["Our next appeal starts on 5 November"],
     ["raised", "We need", "Donate today"]),
    (EXPLICIT_YML, "2026-11-05T12:00:00+00:00", ["You've raised £7,798", "We need £10,201", "29 days remaining",
                                                  "Donate today"], ["ended"]),
    (EXPLICIT_YML, "2026-12-04T12:00:00+00:00", ["Last day of the appeal", "We need £10,201", "Donate today"], ["ended"]),
    (EXPLICIT_YML, "2026-12-06T12:00:00+00:00", ["This appeal has ended. Thank you. You raised £7,798"],
     ["We need", "Donate today", "next appeal"]),
    (EXPLICIT_YML.replace("{extra}", "next_period_start: 2027-01-01\n"), "2026-12-06T12:00:00+00:00",
     ["This appeal has ended", "Our next appeal starts on 1 January."], ["We need", "Donate today"]),
    (EXPLICIT_YML.replace("{raised}", "18500"), "2026-11-25T12:00:00+00:00",
     ["You've raised £18,500", "Thank you: you've met our £17,999 target"], ["We need", "Donate today", "remaining"]),
    (MONTHLY_YML, "2026-12-06T12:00:00+00:00", ["You've raised £7,798", "We need £10,201", "25 days remaining"], ["ended"]),
    (MONTHLY_YML, "2026-12-31T23:30:00+00:00", ["Last day of the appeal"], ["ended"]),
    (MONTHLY_YML, "2027-01-02T12:00:00+00:00", ["You've raised £0", "We need £17,999", "29 days remaining"], ["ended"]),
])
def test_each_state_on_the_article_page(build_site, site_content, data, when, expected, absent):
    (site_content / "data/fighting-fund.yml").write_text(data.replace("{raised}", "7798").replace("{extra}", ""))
    page = build_site(epoch=epoch(when)).soup(ARTICLE)
    fund = page.select_one(".nr-fund")
    text = shown_text(fund)
    for phrase in expected:
        assert phrase in text, text
    for phrase in absent:
        assert phrase not in text, text
    assert_not_contradictory(text)
    # Every wording the page carries for a later state is itself free of contradictions.
    for part in fund.select("[data-nr-fund-when]"):
        assert_not_contradictory(" ".join(part.get_text(" ", strip=True).split()))

"""The fighting-fund appeal: what the data file says (FundAppeal) and what a page shows on a given day
(FundState, from the pure function `fund_state`).

The appeal is in one of three states on any day, and a page never mixes their wording:
  before  - only the day it starts; no figures, no donate button;
  running - raised, still needed, days remaining ("Last day" on the last), donate button; once the target is
            reached, a thank-you and the total instead of "We need" and the button;
  ended   - the final total and a thank-you, and the next appeal's start when one is known.

A monthly appeal (`period: monthly`) runs for the calendar month of the build's clock in the site's
timezone, so it rolls over by itself. Its `raised` figure is for the month named by `month` (YYYY-MM): in a
later month the new appeal starts from nothing raised (a monthly fund resets), and in an earlier month the
figure belongs to an appeal that has not started yet. Without `month` the figure counts for whatever month
the build is in.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

BEFORE, RUNNING, ENDED = "before", "running", "ended"


@dataclass(frozen=True)
class FundAppeal:
    """The data file's values. Either `monthly` or both explicit dates; `month` only with monthly."""

    target: Decimal
    raised: Decimal
    currency: str
    donate_url: str
    monthly: bool = False
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    month: dt.date | None = None  # first day of the month `raised` is for
    next_period_start: dt.date | None = None


@dataclass(frozen=True)
class FundState:
    """What the appeal shows on one day; the templates lay it out and main.js moves it on by the reader's
    clock from `period_start`/`period_end` (a page built before the end may be read after it)."""

    state: str
    target: Decimal
    raised: Decimal
    currency: str
    donate_url: str
    period_start: dt.date
    period_end: dt.date
    monthly: bool
    days_remaining: int  # whole days after today to the end: 0 on the last day, and before and after the appeal
    next_period_start: dt.date | None

    @property
    def running_days(self) -> int:
        """The days remaining the running wording shows: as of today, or of the first day before it starts."""
        return self.days_remaining if self.state == RUNNING else (self.period_end - self.period_start).days

    @property
    def needed(self) -> Decimal:
        return max(self.target - self.raised, Decimal(0))

    @property
    def percent_raised(self) -> int:
        return int(min(self.raised / self.target * 100, Decimal(100)))

    @property
    def target_reached(self) -> bool:
        return self.raised >= self.target

    @property
    def last_day(self) -> bool:
        return self.state == RUNNING and self.days_remaining == 0

    @property
    def name(self) -> str:
        """The appeal as the ended wording names it: "December's appeal", or "This appeal"."""
        return f"{self.period_start:%B}'s appeal" if self.monthly else "This appeal"

    @property
    def later_states(self) -> tuple[str, ...]:
        """The states a reader's clock can still move this page into (the page carries their wording)."""
        return (BEFORE, RUNNING, ENDED)[(BEFORE, RUNNING, ENDED).index(self.state):]


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of `day`'s calendar month."""
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def fund_state(appeal: FundAppeal, today: dt.date) -> FundState:
    """The appeal as it stands on `today` (the build's date in the site's timezone)."""
    raised, next_start = appeal.raised, appeal.next_period_start
    if appeal.monthly:
        start, end = month_bounds(today)
        if appeal.month and appeal.month > start:
            start, end = month_bounds(appeal.month)  # the editor has set up a later month's appeal already
        elif appeal.month and appeal.month < start:
            raised = Decimal(0)  # a new month's fund starts from nothing
        next_start = end + dt.timedelta(days=1)
    else:
        start, end = appeal.period_start, appeal.period_end
    state = BEFORE if today < start else ENDED if today > end else RUNNING
    days = (end - today).days if state == RUNNING else 0
    return FundState(state, appeal.target, raised, appeal.currency, appeal.donate_url, start, end, appeal.monthly,
                     days, next_start)

"""The build's clock: SOURCE_DATE_EPOCH when set (reproducible builds), else the wall clock."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo


class ClockError(Exception):
    pass


def build_now(settings: dict, environ=os.environ) -> dt.datetime:
    """The moment the build happens, in the site's timezone."""
    tz = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz)
        except (ValueError, OverflowError, OSError):
            raise ClockError(
                f"newsroom_content: SOURCE_DATE_EPOCH={epoch!r} is not a Unix time in seconds; "
                "unset it or set it to e.g. `date +%s`"
            ) from None
    return dt.datetime.now(tz)

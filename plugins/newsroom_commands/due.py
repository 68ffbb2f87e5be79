"""`python -m newsroom_commands due`: is a scheduled change due, so the site must be built now?

The CI workflow's scheduled run calls this every five minutes and builds only when it says so; most runs
end here, in well under a second, without installing, building or deploying anything. It reads the state
the last good build wrote beside its output (`output.next-change.json`, newsroom_content/schedule.py) and
compares its `next_change` with the clock: SOURCE_DATE_EPOCH when set, as in the build, else the wall clock.

    due     no state (no build yet, or the cache was lost), a state this code cannot read, or a next
            change at or before now
    not due a next change still to come, or none scheduled

It prints one line saying which and why, and, when $GITHUB_OUTPUT names a file (as in GitHub Actions),
appends `due=true` or `due=false` and `reason=...` to it. Exit status 0 either way (2 for bad arguments),
so a workflow step never fails on the answer. `--force` always answers "due" (pushes and runs by hand).

Standard library only, and imported before the rest of newsroom_commands (see __main__.py), so the check
runs with the runner's own Python, without the project's virtualenv.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from dataclasses import dataclass

FORMAT = "newsroom-next-change/1"  # newsroom_content.schedule.FORMAT (not imported: that needs Pelican)
DEFAULT_STATE = "output.next-change.json"


@dataclass(frozen=True)
class Decision:
    due: bool
    reason: str


def clock(environ=os.environ) -> dt.datetime:
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise SystemExit(f"newsroom due: SOURCE_DATE_EPOCH={epoch!r} is not a Unix time in seconds") from None
    return dt.datetime.now(dt.timezone.utc)


def read_state(path: str) -> tuple[dict | None, str]:
    """The state, or None and why it cannot be used."""
    try:
        with open(path, encoding="utf-8") as f:
            record = json.load(f)
    except FileNotFoundError:
        return None, f"no {path}: no build is on record"
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        return None, f"{path} cannot be read ({e})"
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return None, f"{path} is not a {FORMAT} record"
    return record, ""


def parse_time(value) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.utcoffset() is not None else None


def decide(record: dict | None, now: dt.datetime, problem: str = "", force: bool = False) -> Decision:
    """The pure decision: build now, or not."""
    if force:
        return Decision(True, "a build was asked for")
    if record is None:
        return Decision(True, problem or "no build is on record")
    nxt = record.get("next_change")
    if nxt is None:
        return Decision(False, "nothing is scheduled")
    when = parse_time(nxt)
    if when is None:
        return Decision(True, f"the next change {nxt!r} is not a time with an offset")
    what = next((c.get("what") for c in record.get("changes") or () if isinstance(c, dict) and c.get("at") == nxt), "")
    about = f" ({what})" if what else ""
    if when <= now:
        late = int((now - when).total_seconds() // 60)
        return Decision(True, f"{nxt}{about} is due, {late} min ago")
    wait = int((when - now).total_seconds() // 60)
    return Decision(False, f"next change {nxt}{about}, in {wait} min")


def report(decision: Decision, environ=os.environ, stream=None) -> None:
    stream = stream or sys.stdout
    print(f"newsroom due: {'yes' if decision.due else 'no'}: {decision.reason}", file=stream)
    output = environ.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a", encoding="utf-8") as f:
            f.write(f"due={'true' if decision.due else 'false'}\n")
            f.write("reason=" + decision.reason.replace("\n", " ") + "\n")


def main(argv=None, environ=os.environ) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsroom_commands due", description=__doc__.splitlines()[0])
    parser.add_argument("--state", default=DEFAULT_STATE, help=f"the last build's state (default {DEFAULT_STATE})")
    parser.add_argument("--force", action="store_true", help="answer 'due' whatever the state says")
    args = parser.parse_args(argv)
    record, problem = read_state(args.state)
    decision = decide(record, clock(environ), problem, args.force)
    report(decision, environ)
    return 0

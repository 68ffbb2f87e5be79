"""Python-Markdown's own test suite passes the same with the fast paths in every Markdown() as without.

The suite (about 1,100 tests) comes from the library's source distribution: `make install-test` puts it
in .venv/markdown-tests/. tests/tools/markdown_suite.py runs it in a subprocess, once as it is and once
with every converter made through with_fast_inline(with_fast_smarty(...)).
"""

from __future__ import annotations

import json
import subprocess
import sys

import markdown
import pytest

from conftest import REPO

SUITE = REPO / ".venv" / "markdown-tests"
RUNNER = REPO / "tests" / "tools" / "markdown_suite.py"


def run_suite(*options: str) -> dict:
    process = subprocess.run([sys.executable, str(RUNNER), str(SUITE), *options], cwd=SUITE,
                             capture_output=True, text=True, timeout=600)
    assert process.returncode == 0, process.stderr[-3000:]
    return json.loads(process.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def runs() -> tuple[dict, dict]:
    if not (SUITE / "tests").is_dir():
        pytest.fail(f"Python-Markdown's test suite is not in {SUITE}: run `make install-test` (it downloads "
                    "the library's source distribution once and extracts its tests/ there)")
    if not (SUITE / f".version-{markdown.__version__}").is_file():
        pytest.fail(f"{SUITE} does not hold the suite of the installed Python-Markdown "
                    f"{markdown.__version__}: run `make install-test` again")
    return run_suite(), run_suite("--fast")


def test_the_whole_suite_ran_both_times(runs):
    stock, fast = runs
    assert stock["run"] > 1000
    assert fast["run"] == stock["run"]
    assert fast["skipped"] == stock["skipped"]


def test_the_fast_paths_were_in_place(runs):
    _, fast = runs
    # Every converter the suite made had the fast inline processor, and smarty's tests ran in one pass.
    assert fast["converters"] > 500
    assert fast["fast_inline"] == fast["converters"]
    assert fast["fast_smarty"] > 10


def test_the_same_tests_fail_with_the_fast_paths_as_without(runs):
    stock, fast = runs
    for outcome in ("failures", "errors", "unexpected_successes"):
        assert fast[outcome] == stock[outcome], outcome
    # And none does: the library's suite passes on the version the site pins.
    assert stock["failures"] == stock["errors"] == stock["unexpected_successes"] == []

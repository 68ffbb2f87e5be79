"""Valid HTML: the Nu HTML Checker finds no error on any page of the sample paper.

The checker is started once over the whole built site (a JVM start costs seconds; one file takes ~25 ms).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import INSTALL_HINT, VNU_JAR

pytestmark = [pytest.mark.browser, pytest.mark.vnu]


def run_vnu(folder) -> list[dict]:
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        pytest.fail(f"the Nu checker needs Java and {VNU_JAR}: {INSTALL_HINT}", pytrace=False)
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "json", str(folder)],
        capture_output=True, text=True, timeout=300,
    )
    # The JSON report goes to stderr; the exit status is 1 when there are errors, so read the report.
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError:
        pytest.fail(f"the Nu checker exited {result.returncode} without a JSON report:\n{result.stderr[-2000:]}")
    return report.get("messages", [])


def format_message(message: dict, folder) -> str:
    path = unquote(urlsplit(message.get("url", "")).path)
    root = str(folder.resolve())
    where = path[len(root):].lstrip("/") if path.startswith(root) else path
    line = message.get("lastLine", "?")
    extract = " ".join(message.get("extract", "").split())[:100]
    return f"{where}:{line}: {message.get('message', '')}" + (f"\n        {extract}" if extract else "")


def summarise(errors: list[dict], folder, pages: int, shown: int = 60) -> str:
    """Each distinct message with how often it occurs, then each error as file:line, sorted by file."""
    counts = Counter(m.get("message", "") for m in errors)
    lines = [f"the Nu checker found {len(errors)} errors on {len({m.get('url') for m in errors})} of {pages} pages:"]
    lines += [f"  {n:4d} x {message}" for message, n in counts.most_common()]
    detail = [format_message(m, folder) for m in sorted(errors, key=lambda m: (m.get("url", ""), m.get("lastLine", 0)))]
    lines += ["in detail:"] + [f"  {line}" for line in detail[:shown]]
    if len(detail) > shown:
        lines.append(f"  ... and {len(detail) - shown} more")
    return "\n".join(lines)


def test_every_page_of_the_sample_paper_is_valid_html(sample_paper):
    folder = sample_paper.output
    pages = len(list(folder.rglob("*.html")))
    assert pages >= 30, f"only {pages} HTML files in the built sample paper"
    errors = [m for m in run_vnu(folder) if m.get("type") in ("error", "non-document-error")]
    if errors:
        pytest.fail(summarise(errors, folder, pages), pytrace=False)

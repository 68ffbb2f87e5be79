"""newsroom_commands.lazy: Soup Sieve is not loaded by the commands unless something selects by CSS, and
then selectors work as they do without the stand-in."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

SCRIPT = """
import sys
sys.path.insert(0, {plugins!r})
from newsroom_commands.lazy import import_when_used
assert import_when_used("soupsieve")
assert not import_when_used("soupsieve")  # already in place
assert not import_when_used("newsroom_no_such_module")
from bs4 import BeautifulSoup
soup = BeautifulSoup('<p class="a">x</p><p>y</p>', "html.parser")
print("parsed without soupsieve:", "soupsieve.css_parser" not in sys.modules)
print("select:", [p.get_text() for p in soup.select("p.a")], soup.select_one("p:nth-of-type(2)").get_text())
import soupsieve
print("real module:", "soupsieve.css_parser" in sys.modules and type(soupsieve).__name__ == "module")
"""


def test_soup_sieve_is_loaded_only_when_a_selector_is_used():
    result = subprocess.run([sys.executable, "-c", SCRIPT.format(plugins=str(REPO / "plugins"))],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["parsed without soupsieve: True", "select: ['x'] y", "real module: True"]

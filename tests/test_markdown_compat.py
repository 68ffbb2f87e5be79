"""The fast paths run only on the Python-Markdown they were written for (newsroom_markdown/compat.py); on
any other, the library's own code runs and one warning says so."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import markdown
import pytest
from markdown import Markdown
from markdown.treeprocessors import InlineProcessor

import newsroom_markdown
from conftest import REPO
from newsroom_markdown import compat, with_fast_inline, with_fast_smarty
from newsroom_markdown.fast_inline import FastInlineProcessor
from newsroom_markdown.smart_punctuation import SmartPunctuationProcessor

SETTING = {"extensions": ["extra", "smarty", "toc"],
           "extension_configs": {"smarty": {"smart_angled_quotes": True}}, "output_format": "html5"}
TEXT = '"Quoted" <<angled>> -- *em*, `code`, [a link](/l/) and a note[^1]...\n\n[^1]: The \'note\'.'


@pytest.fixture(autouse=True)
def decided_afresh():
    compat.fast_paths_usable.cache_clear()
    yield
    compat.fast_paths_usable.cache_clear()


@pytest.fixture
def warnings(caplog):
    caplog.set_level(logging.WARNING, logger="newsroom_markdown")
    return lambda: [r.getMessage() for r in caplog.records if r.name.startswith("newsroom_markdown")]


def converter() -> Markdown:
    return Markdown(**with_fast_inline(with_fast_smarty(SETTING)))


def test_written_for_the_version_the_site_pins():
    pinned = re.search(r"^markdown==(\S+)$", (REPO / "requirements.txt").read_text(), re.MULTILINE).group(1)
    assert compat.WRITTEN_FOR == pinned == markdown.__version__
    assert compat.problems(pinned) == []


def test_the_fast_paths_are_used_with_the_version_they_were_written_for(warnings):
    md = converter()
    assert compat.fast_paths_usable()
    assert type(md.treeprocessors["inline"]) is FastInlineProcessor
    assert type(md.treeprocessors["smarty"]) is SmartPunctuationProcessor
    assert md.convert(TEXT) == Markdown(**SETTING).convert(TEXT)
    assert warnings() == []


def test_another_version_gets_the_librarys_own_code_and_one_warning(monkeypatch, warnings):
    monkeypatch.setattr(markdown, "__version__", "3.12.0")
    assert with_fast_smarty(SETTING) is SETTING
    assert with_fast_inline(SETTING) is SETTING
    md = converter()
    assert type(md.treeprocessors["inline"]) is InlineProcessor
    assert type(md.treeprocessors["smarty"]) is InlineProcessor
    assert md.convert(TEXT) == Markdown(**SETTING).convert(TEXT)
    for _ in range(3):
        converter()
    [warning] = warnings()
    assert warning.startswith("newsroom_markdown:")
    assert "3.12.0" in warning and compat.WRITTEN_FOR in warning


def test_a_missing_private_name_turns_the_fast_paths_off(monkeypatch, warnings):
    gone = ("InlineProcessor", InlineProcessor, "_gone")
    monkeypatch.setattr(compat, "PRIVATE_NAMES", [*compat.PRIVATE_NAMES, gone])
    assert compat.problems(compat.WRITTEN_FOR) == ["it lacks InlineProcessor._gone"]
    assert with_fast_smarty(SETTING) is SETTING and with_fast_inline(SETTING) is SETTING
    [warning] = warnings()
    assert warning.startswith("newsroom_markdown:") and "InlineProcessor._gone" in warning
    assert markdown.__version__ in warning and compat.WRITTEN_FOR in warning


@pytest.mark.parametrize("version", ["3.11.2", "3.11.4", "3.12", "4.0.0", "3.11.3.post1", ""])
def test_any_other_version_is_a_problem(version):
    assert compat.problems(version) == [f"they were written for {compat.WRITTEN_FOR}"]


def test_smarty_still_keeps_its_patterns_where_the_one_pass_form_takes_them():
    assert compat.smarty_keeps_its_patterns()


def test_nothing_else_in_the_package_names_a_private_detail_of_python_markdown():
    package = Path(newsroom_markdown.__file__).parent
    # What compat.py holds: mangled and private names, the placeholder format, smarty's registration
    # names, the library's expressions.
    details = re.compile(r"_InlineProcessor|\._priority|PLACEHOLDER|STX|ETX|smarty-|[A-Z]_RE\b")
    for module in sorted(package.glob("*.py")):
        if module.name != "compat.py":
            assert details.findall(module.read_text(encoding="utf-8")) == [], module.name

"""Smarty in one pass (newsroom_markdown/smart_punctuation.py) gives exactly what Python-Markdown's gives,
however the converter is configured."""

from __future__ import annotations

from types import MappingProxyType

import pytest
from markdown import Markdown
from markdown.extensions.smarty import SmartyExtension
from markdown.treeprocessors import InlineProcessor

from newsroom_markdown.fast_inline import with_fast_inline
from newsroom_markdown.smart_punctuation import (FastSmartyExtension, SmartPunctuationProcessor,
                                                 with_fast_smarty)

AWKWARD = [
    'He said, "\'Quoted\' words in a larger quote."',
    "The '80s and the '90s, rock 'n' roll, the workers' union and Jones's case.",
    '"Hello," she said -- and left --- quietly... Then.... nothing.',
    "'Tis the season; 'twas a quote ending in a 'word'.",
    '"Quoted [a link](/x/) inside" and "*emphasis* at the start" and "a `code \' span` here".',
    "A quote after a link: [the report](/r/)'s findings, and \"a closing one\"[^1].\n\n[^1]: A footnote \"quoted\".",
    "Dashes--with no spaces, en -- and em --- and four ---- and a range 10--12.",
    "    indented code with \"quotes\" -- untouched",
    "```\nfenced \"code\" -- untouched...\n```",
    "An escaped \\\"quote\\\" and an escaped \\'apostrophe\\'.",
    "<p>Raw \"HTML\" -- block</p>\n\nThen a paragraph with <span title=\"x\">inline \"HTML\"</span>.",
    "\"'\"'\"' quotes all the way down '\"'\"'\"",
    "\"\n\n'\n\n--\n\n...",
    "Headline: \"The 'real' story\" -- part 2\n===\n\n## A \"heading\" too",
    "| \"Table\" | 'cells' |\n|---|---|\n| don't | \"stop\" -- ever... |",
    "&nbsp;\"after a non-breaking space\" and &mdash;\"after an entity\" and —\"after a dash\"",
    "Right-to-left: «قال» \"النص\" -- كذلك...",
    "*'emphasised'* **\"strong\"** _'under'_ and 'a [link](/y/ \"with a 'title'\")'.",
]

CONFIGS = [
    {},
    {"smart_angled_quotes": True},
    {"smart_dashes": False, "smart_ellipses": False},
    {"smart_quotes": False},
    {"substitutions": {"left-double-quote": "&bdquo;", "right-double-quote": "&ldquo;", "ndash": "&#8211;"}},
]


def converters(config: dict) -> tuple[Markdown, Markdown]:
    extensions = ["markdown.extensions.extra", "markdown.extensions.toc"]
    stock = Markdown(extensions=[*extensions, "markdown.extensions.smarty"],
                     extension_configs={"markdown.extensions.smarty": config}, output_format="html5")
    fast = Markdown(extensions=[*extensions, FastSmartyExtension(**config)], output_format="html5")
    return stock, fast


@pytest.mark.parametrize("config", CONFIGS, ids=["default", "angled", "no-dashes-or-ellipses", "no-quotes",
                                                 "substitutions"])
@pytest.mark.parametrize("text", AWKWARD)
def test_same_output_as_smarty(config, text):
    stock, fast = converters(config)
    assert fast.convert(text) == stock.convert(text)


def test_the_same_converter_gives_the_same_output_document_after_document():
    stock, fast = converters({})
    for text in [*AWKWARD, *reversed(AWKWARD)]:
        stock.reset()
        fast.reset()
        assert fast.convert(text) == stock.convert(text)


def test_quotes_are_curly_in_the_output():
    _, fast = converters({})
    assert fast.convert('"Strike," she said.') == "<p>&ldquo;Strike,&rdquo; she said.</p>"


def test_the_markdown_setting_gets_the_fast_extension_with_smartys_options():
    setting = {"extensions": ["markdown.extensions.extra", "markdown.extensions.smarty"],
               "extension_configs": {"markdown.extensions.extra": {},
                                     "markdown.extensions.smarty": {"smart_angled_quotes": True}},
               "output_format": "html5"}
    arguments = with_fast_smarty(setting)
    [extra, smarty] = arguments["extensions"]
    assert extra == "markdown.extensions.extra"
    assert isinstance(smarty, FastSmartyExtension) and smarty.getConfig("smart_angled_quotes") is True
    assert "markdown.extensions.smarty" not in arguments["extension_configs"]
    assert setting["extensions"][1] == "markdown.extensions.smarty"  # the setting itself is left as it was


# --- Every form of configuration Python-Markdown accepts ------------------------------------------------
# Markdown(extensions=..., extension_configs=...): `extensions` is any iterable of names (an entry point
# such as "smarty", a module, or "module:Class"), Extension instances and Nones (skipped); an extension's
# options are looked up in `extension_configs` by the very string in `extensions` (`.get`), and may be a
# mapping or (option, value) pairs (Markdown.build_extension takes dict() of them). Each form is a
# function, so that each converter gets its own instances (and its own generator).

SMARTY = "markdown.extensions.smarty"
OPTIONS = {"smart_angled_quotes": True,
           "substitutions": {"left-double-quote": "&bdquo;", "ellipsis": "[...]"}}


class OwnSmarty(SmartyExtension):
    """A subclass may change what smarty does: it is left as it is."""


FORMS = {
    "entry-point-name": lambda: {"extensions": ["smarty"]},
    "module-name": lambda: {"extensions": [SMARTY]},
    "module-and-class": lambda: {"extensions": [f"{SMARTY}:SmartyExtension"]},
    "module-and-factory": lambda: {"extensions": [f"{SMARTY}:makeExtension"]},
    "instance": lambda: {"extensions": [SmartyExtension()]},
    "instance-with-options": lambda: {"extensions": ["extra", SmartyExtension(**OPTIONS)]},
    "subclass-instance": lambda: {"extensions": [OwnSmarty(smart_angled_quotes=True)]},
    "options-by-entry-point-name": lambda: {"extensions": ["extra", "smarty", "toc"],
                                            "extension_configs": {"smarty": OPTIONS,
                                                                  "toc": {"anchorlink": True}}},
    "options-by-module-name": lambda: {"extensions": [SMARTY], "extension_configs": {SMARTY: OPTIONS}},
    "options-as-pairs": lambda: {"extensions": [f"{SMARTY}:SmartyExtension"],
                                 "extension_configs": {f"{SMARTY}:SmartyExtension": list(OPTIONS.items())}},
    "options-as-strings": lambda: {"extensions": ["smarty"],
                                   "extension_configs": {"smarty": {"smart_angled_quotes": "yes",
                                                                    "smart_dashes": "off"}}},
    "options-under-another-name": lambda: {"extensions": [SMARTY], "extension_configs": {"smarty": OPTIONS}},
    "options-read-only-mapping": lambda: {"extensions": ["smarty"],
                                          "extension_configs": MappingProxyType({"smarty": OPTIONS})},
    "options-only": lambda: {"extension_configs": {"smarty": OPTIONS}},  # no `extensions`: nothing loaded
    "no-quotes": lambda: {"extensions": ["smarty"], "extension_configs": {"smarty": {"smart_quotes": False}}},
    "tuple-with-none": lambda: {"extensions": (None, "smarty", None, "abbr")},
    "generator": lambda: {"extensions": (name for name in ["footnotes", "smarty"])},
    "dict-of-names": lambda: {"extensions": {"smarty": None, "tables": None}},
    "twice": lambda: {"extensions": ["smarty", SmartyExtension(smart_angled_quotes=True)]},
    "no-smarty": lambda: {"extensions": ["extra", "toc"]},
    "nothing": lambda: {},
    "pelican-like": lambda: {"extensions": ["markdown.extensions.extra", "markdown.extensions.meta",
                                            SMARTY, "markdown.extensions.toc"],
                             "extension_configs": {"markdown.extensions.extra": {}, SMARTY: {},
                                                   "markdown.extensions.toc": {}},
                             "output_format": "html5"},
}

TEXTS = [*AWKWARD, "<<Angled>> quotes, <b>bold</b> and <<b>> and >> alone...",
         '*a* _b_ `c "d"` [e](/f/ "g\'h") <i@j.k> &amp; l  \nm [^1] "n"\n\n[^1]: "o" -- p...',
         "> A quoted 'block' -- with \"quotes\"...\n\n- a 'list'\n- \"item\" ---"]


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_every_form_of_configuration_gives_the_librarys_output(form):
    stock = Markdown(**form())
    fast = Markdown(**with_fast_inline(with_fast_smarty(form())))
    for text in [*TEXTS, *reversed(TEXTS)]:
        stock.reset()
        fast.reset()
        assert fast.convert(text) == stock.convert(text), repr(text)


@pytest.mark.parametrize("form", ["entry-point-name", "module-name", "module-and-class", "module-and-factory",
                                  "instance", "instance-with-options", "options-as-pairs", "tuple-with-none",
                                  "generator", "dict-of-names", "pelican-like"])
def test_smarty_runs_in_one_pass_in_every_form_that_has_it(form):
    fast = Markdown(**with_fast_smarty(FORMS[form]()))
    assert type(fast.treeprocessors["smarty"]) is SmartPunctuationProcessor


def test_a_subclass_of_smarty_is_left_alone():
    fast = Markdown(**with_fast_smarty(FORMS["subclass-instance"]()))
    assert type(fast.treeprocessors["smarty"]) is InlineProcessor


def test_options_go_where_python_markdown_would_put_them():
    [smarty] = with_fast_smarty(FORMS["options-as-pairs"]())["extensions"]
    assert smarty.getConfig("smart_angled_quotes") is True
    assert smarty.substitutions["ellipsis"] == "[...]"
    [smarty] = with_fast_smarty(FORMS["options-under-another-name"]())["extensions"]
    assert smarty.getConfig("smart_angled_quotes") is False  # as in the library: not this name's options


REFUSED = {
    # extension_configs must have .get: a list of (name, options) pairs is refused (AttributeError).
    "configs-as-pairs": lambda: {"extensions": ["smarty"], "extension_configs": [("smarty", OPTIONS)]},
    "unknown-option": lambda: {"extensions": ["smarty"], "extension_configs": {"smarty": {"no_such": 1}}},
    "options-not-pairs": lambda: {"extensions": ["smarty"], "extension_configs": {"smarty": ["x"]}},
    "no-such-module": lambda: {"extensions": ["smarty", "markdown.extensions.no_such"]},
    "no-such-class": lambda: {"extensions": [f"{SMARTY}:NoSuch"]},
    "a-class-not-an-instance": lambda: {"extensions": [SmartyExtension]},
    "extensions-none": lambda: {"extensions": None},
}


@pytest.mark.parametrize("form", REFUSED.values(), ids=REFUSED.keys())
def test_what_python_markdown_refuses_fails_the_same_way(form):
    with pytest.raises(Exception) as stock:
        Markdown(**form())
    with pytest.raises(type(stock.value)) as fast:
        Markdown(**with_fast_inline(with_fast_smarty(form())))
    assert str(fast.value) == str(stock.value)

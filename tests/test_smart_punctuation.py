"""Smarty in one pass (newsroom_markdown/smart_punctuation.py) gives exactly what Python-Markdown's gives."""

from __future__ import annotations

import pytest
from markdown import Markdown

from newsroom_markdown.smart_punctuation import FastSmartyExtension, with_fast_smarty

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

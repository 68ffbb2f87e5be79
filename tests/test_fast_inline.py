"""Inline syntax looked for only where it can be (newsroom_markdown/fast_inline.py) gives exactly what
Python-Markdown's InlineProcessor gives."""

from __future__ import annotations

import random

import pytest
from markdown import Markdown
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.toc import TocExtension
from markdown.treeprocessors import InlineProcessor

from newsroom_markdown.fast_inline import FastInlineExtension, FastInlineProcessor, needs, with_fast_inline

EXTENSIONS = ["markdown.extensions.extra", "markdown.extensions.toc", "markdown.extensions.smarty"]

INLINE = [
    "Plain news copy with no syntax at all, just words and a full stop.",
    "`code` and ``double `tick` code`` and an unclosed ` tick, \\`escaped\\` ticks and \\\\`after a backslash`",
    "[a link](/x/ \"title\") and ![a picture](/p.png) and [ref][r] and [short] and ![short pic]\n\n[r]: /r/\n[short]: /s/",
    "A footnote[^1] and a bracket [^ that is not one and [^2].\n\n[^1]: The note, with *emphasis*.\n[^2]: Another.",
    "<http://example.org/a?b=1&c=2> and <reader@example.org> and <not a link> and a < b > c",
    "Line one  \nline two with a hard break  \nand a third.",
    "<span class=\"x\">inline HTML</span>, <!-- a comment -->, <?pi?>, <![CDATA[ data ]]> and <br/>",
    "&amp; &copy; &#169; &#xA9; &notanentity and a lone & ampersand",
    "*em* **strong** ***both*** _em_ __strong__ ___both___ snake_case_word 2*3*4 * spaced * and **unclosed",
    "**strong with *em* inside** and *em with **strong** inside* and *[a link](/l/) in em*",
    "Nested: [link with `code` and *em*](/n/) and `[not a link](/x/)` and \\[escaped\\](/e/)",
    "An image in a link: [![alt](/i.png)](/target/) and a link title with \"quotes\" -- and dashes...",
    "Mixed: \\*not em\\*, \\_not em\\_, \\<not html\\>, \\&amp; and a backslash at the end \\",
    "*a* _b_ `c` [d](/d/) <e@f.g> &h; i  \nj [^k] ![l](/l.png)\n\n[^k]: k.",
    "Right-to-left «قال» with *تأكيد* and [رابط](/ar/) and `رمز`.",
    "| a *table* | with `code` |\n|---|---|\n| [link](/t/) | &amp; |",
    "Term\n:   A *definition* with [a link](/def/).\n\n*[HTML]: Hyper Text Markup Language\n\nHTML in text.",
    "# A *heading* with `code` {#custom-id}\n\nA paragraph {: .klass }\n\n## Another & more",
]

# One kind of syntax each, so that a wrong "needs" for any pattern shows.
SINGLE = [
    "Only a [reference][r].\n\n[r]: /r/", "Only a [short] one.\n\n[short]: /s/", "Only ![a picture][p].\n\n[p]: /p.png",
    "Only ![short pic].\n\n[short pic]: /q.png", "Only [a link](/l/).", "Only ![an image](/i.png).",
    "Only a footnote[^n].\n\n[^n]: The note.", "Only `code`.", "Only *em*.", "Only _em_.", "Only **strong**.",
    "Only &copy; here.", "Only <span>HTML</span>.", "Only <reader@example.org>.", "Only <http://example.org/>.",
    "Only a break  \nhere.", "Only an \\*escape\\*.",
]

ALPHABET = ["*", "**", "_", "__", "`", "``", "[", "]", "(", ")", "![", "[^", "<", ">", "&", ";", "\\", "  \n",
            "\n", "\n\n", " ", "word", "x@y.z", "http://h/", "#", "amp", '"', "'", "--", "...", "1.", "- "]


def converters(extensions=EXTENSIONS) -> tuple[Markdown, Markdown]:
    stock = Markdown(extensions=list(extensions), output_format="html5")
    fast = Markdown(**with_fast_inline({"extensions": list(extensions), "output_format": "html5"}))
    return stock, fast


def test_the_fast_processor_is_in_place():
    _, fast = converters()
    assert type(fast.treeprocessors["inline"]) is FastInlineProcessor
    # Every one of the library's inline patterns the site uses is recognised, so none is searched for needlessly.
    assert {name: needs(fast.inlinePatterns[name]) is not None for name in fast.inlinePatterns._data} == \
        {name: True for name in fast.inlinePatterns._data}


@pytest.mark.parametrize("text", INLINE + SINGLE)
def test_same_output_as_python_markdown(text):
    stock, fast = converters()
    assert fast.convert(text) == stock.convert(text)


@pytest.mark.parametrize("seed", range(8))
def test_same_output_on_random_syntax(seed):
    stock, fast = converters()
    rng = random.Random(seed)
    for _ in range(250):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 40)))
        stock.reset()
        fast.reset()
        assert fast.convert(text) == stock.convert(text), repr(text)


def test_a_pattern_it_does_not_know_is_always_tried():
    from markdown.extensions import Extension
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    class Strike(Extension):
        def extendMarkdown(self, md):
            md.inlinePatterns.register(SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"), "strike", 65)

    stock = Markdown(extensions=[Strike()], output_format="html5")
    fast = Markdown(extensions=[Strike(), FastInlineExtension()], output_format="html5")
    assert needs(fast.inlinePatterns["strike"]) is None
    text = "Some ~~struck~~ text with *em*."
    assert fast.convert(text) == stock.convert(text) == "<p>Some <del>struck</del> text with <em>em</em>.</p>"


def test_an_extension_with_its_own_inline_processor_keeps_it():
    from markdown.extensions import Extension

    class Own(InlineProcessor):
        pass

    class Brings(Extension):
        def extendMarkdown(self, md):
            md.treeprocessors.register(Own(md), "inline", 20)

    fast = Markdown(**with_fast_inline({"extensions": [Brings()]}))
    assert type(fast.treeprocessors["inline"]) is Own


# Every form of `extensions` Python-Markdown reads: any iterable of names, instances and Nones, or none at
# all (tests/test_smart_punctuation.py compares the output over every form, smarty's options included).
FORMS = {
    "list": lambda: {"extensions": list(EXTENSIONS)},
    "tuple-with-none": lambda: {"extensions": (None, *EXTENSIONS, None)},
    "generator": lambda: {"extensions": (name for name in EXTENSIONS)},
    "dict-of-names": lambda: {"extensions": dict.fromkeys(EXTENSIONS)},
    "instances": lambda: {"extensions": [FootnoteExtension(), TocExtension(permalink=True)]},
    "none-given": lambda: {},
}


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_every_form_of_extensions_gets_the_fast_processor_and_the_same_output(form):
    stock, fast = Markdown(**form()), Markdown(**with_fast_inline(form()))
    assert type(fast.treeprocessors["inline"]) is FastInlineProcessor
    for text in INLINE + SINGLE:
        stock.reset()
        fast.reset()
        assert fast.convert(text) == stock.convert(text), repr(text)


def test_extensions_python_markdown_cannot_read_are_left_for_it_to_refuse():
    setting = {"extensions": None}
    assert with_fast_inline(setting) is setting
    with pytest.raises(TypeError):
        Markdown(**setting)

"""How the site turns Markdown into HTML: Python-Markdown, with faster paths to exactly the same output.

This package owns everything between a story's Markdown and its HTML: the reader that keeps its converters
for the whole build (reader.py), smarty applied in one pass (smart_punctuation.py), and inline syntax
looked for only where it can be (fast_inline.py). Every use of a private or undocumented detail of
Python-Markdown is in compat.py, which turns the fast paths off (the library's own code runs) when the
installed version is not the one they were written for.

A library used by the build, not a Pelican plugin: the build engine connects `use_newsroom_reader` to
Pelican's readers_init signal.
"""

from .fast_inline import FastInlineExtension, with_fast_inline
from .reader import NewsroomMarkdownReader, use_newsroom_reader
from .smart_punctuation import FastSmartyExtension, with_fast_smarty

__all__ = [
    "FastInlineExtension",
    "FastSmartyExtension",
    "NewsroomMarkdownReader",
    "use_newsroom_reader",
    "with_fast_inline",
    "with_fast_smarty",
]

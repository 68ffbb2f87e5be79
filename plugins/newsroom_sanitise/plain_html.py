"""The plain form of HTML the sanitiser writes, and one tokenizer for it.

Stories come out of the sanitiser (nh3, html5ever's serialiser) in a regular form: lower-case tags,
attributes in double quotes, only &amp; &lt; &gt; escaped in text and values. Within the narrower form
``plain_tokens`` accepts, Beautiful Soup's html.parser reads exactly what is written, and its output with
the attributes in the order read gives back the same characters (class lists joined with single spaces,
& < > escaped in text and values, a run of nothing but spaces written as one space or newline). So code
that changes one tag or one piece of text of such HTML can splice its change into the string instead of
parsing it with Beautiful Soup, which costs milliseconds a story: newsroom_images' <picture> rewrite and
newsroom_theme's opening word do. Anything outside the form is refused (None); the caller then parses.

Callers add rules of their own where their Beautiful Soup output differs: one written with the default
formatter (void elements as <br/>, attributes sorted) refuses void elements and unsorted attributes.
tests/test_plain_html.py, and the fast paths' agreement tests in tests/test_images.py and
tests/test_theme.py, check the form against Beautiful Soup.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# A start or end tag in the form (lower-case name, attributes each in double quotes after one space), or
# a run of text.
TOKEN_RE = re.compile(r'<(/?)([a-z][a-z0-9]*)((?: [a-z][a-z0-9-]*="[^"<>]*")*)>|[^<>]+')
ATTRIBUTE_RE = re.compile(r' ([a-z][a-z0-9-]*)="([^"<>]*)"')
# Any escape but the three the form uses, and characters the parser changes (\r) or drops (NUL).
OTHER_ENTITY_RE = re.compile(r"&(?!(?:amp|lt|gt);)|[\r\x00]")
ASCII_SPACES = " \n\t\f\r"
# Beautiful Soup's lists of space-separated values (HTMLTreeBuilder.DEFAULT_CDATA_LIST_ATTRIBUTES, for any
# tag): it joins their values with single spaces, so only values already written that way are plain.
LIST_ATTRIBUTES = frozenset({"class", "rel", "rev", "accept-charset", "headers", "accesskey", "dropzone"})
LIST_VALUE_RE = re.compile(r"(?:\S+(?: \S+)*)?")
VOID_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "menuitem", "meta", "param",
    "source", "track", "wbr", "basefont", "bgsound", "command", "frame", "image", "isindex", "nextid", "spacer",
})
# Their content is raw text to a browser, not markup: parsed differently.
RAW_TEXT_TAGS = frozenset({"script", "style", "textarea", "title", "template", "noscript", "iframe", "xmp",
                           "plaintext", "noembed", "noframes"})


class Token(NamedTuple):
    start: int  # where the token is in the HTML: html[start:end]
    end: int
    name: str | None  # the element's name; None for text
    closing: bool  # an end tag
    attributes: tuple[tuple[str, str], ...]  # (name, value) in the order written, values still escaped
    parents: tuple[str, ...]  # the elements the token is inside, outermost first


def plain_tokens(html: str) -> list[Token] | None:
    """Every tag and run of text of `html`, or None when it is not all in the plain form: well nested, no
    raw-text elements, no duplicate attributes, no other escapes, and no run of only spaces that Beautiful
    Soup would write differently."""
    tokens: list[Token] = []
    parents: tuple[str, ...] = ()
    pos = 0
    for token in TOKEN_RE.finditer(html):
        if token.start() != pos:
            return None
        pos = token.end()
        closing, name, written = token.group(1, 2, 3)
        if name is None:
            text = token.group(0)
            if OTHER_ENTITY_RE.search(text) or (text not in (" ", "\n") and not text.strip(ASCII_SPACES)):
                return None
            tokens.append(Token(token.start(), pos, None, False, (), parents))
            continue
        if name in RAW_TEXT_TAGS:
            return None
        if closing:
            if name in VOID_TAGS or not parents or parents[-1] != name:
                return None
            parents = parents[:-1]
            tokens.append(Token(token.start(), pos, name, True, (), parents))
            continue
        attributes = tuple(ATTRIBUTE_RE.findall(written)) if written else ()
        if len(attributes) > 1 and len({key for key, _ in attributes}) < len(attributes):
            return None  # an attribute written twice: the parser keeps one of them
        for key, value in attributes:
            if OTHER_ENTITY_RE.search(value) or (key in LIST_ATTRIBUTES and not LIST_VALUE_RE.fullmatch(value)):
                return None
        tokens.append(Token(token.start(), pos, name, False, attributes, parents))
        if name not in VOID_TAGS:
            parents = (*parents, name)
    return tokens if pos == len(html) and not parents else None


def unescape_plain(value: str) -> str:
    """A text or attribute value of the plain form as it reads: only &amp; &lt; &gt; are escaped in it."""
    return value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") if "&" in value else value

"""Build-time markup for the article body, as pure functions of HTML strings."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString
from newsroom_sanitise.plain_html import VOID_TAGS, plain_tokens

OPENING_CLASS = "nr-article__opening"
# The opening "word" runs to the first space, so leading quotes and trailing punctuation stay with it,
# as the paper's house style sets them: “WATER is ...
FIRST_WORD = re.compile(r"^(\s*)(\S+)(.*)$", re.S)


FIRST_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>.*?</p>", re.S)


def mark_opening_word(html: str) -> str:
    """Wrap the first word of the first paragraph in a span the CSS sets in capitals.

    The text itself keeps its case, so copy-and-paste, screen readers, feeds and the search index
    all get what the editor typed. Only the first paragraph is parsed: parsing the whole story was
    most of a page's own rendering time.
    """
    if not html or OPENING_CLASS in html:
        return html
    found = FIRST_PARAGRAPH.search(html)
    if found is None:
        return html
    fragment = found.group(0)
    marked = _mark_plain_paragraph(fragment)
    if marked is NOT_PLAIN:
        marked = _mark_paragraph(fragment)
    return html if marked is None else html[: found.start()] + marked + html[found.end() :]


# The fast path. A paragraph in the plain form the sanitiser writes (newsroom_sanitise.plain_html), with
# no void elements and its attributes in order (Beautiful Soup's default output writes <br/> and sorts
# attributes), comes back from Beautiful Soup's parse and output as the same characters, so wrapping the
# word in the text is all it would change. Anything else goes to Beautiful Soup. Parsing cost a tenth of
# an article page's rendering; tests/test_theme.py checks both paths agree.
NOT_PLAIN = object()
NO_CAPITALS_IN = frozenset({"code", "script", "style"})


def _mark_plain_paragraph(fragment: str):
    """The paragraph with its opening word marked, None to leave it as it is (the word is code), or
    NOT_PLAIN when the paragraph is not in the form this path is sure of."""
    tokens = plain_tokens(fragment)
    if tokens is None:
        return NOT_PLAIN
    marked = None
    for token in tokens:
        if token.name is None:  # text
            text = fragment[token.start:token.end]
            if marked is None and text.strip() and token.parents:
                if NO_CAPITALS_IN.intersection(token.parents):
                    marked = False
                else:
                    m = FIRST_WORD.match(text)
                    marked = (token.start, token.end,
                              f'{m.group(1)}<span class="{OPENING_CLASS}">{m.group(2)}</span>{m.group(3)}')
            continue
        if token.name in VOID_TAGS:
            return NOT_PLAIN
        if token.closing:
            continue
        if not token.parents and (token.name != "p" or token.start != 0):
            return NOT_PLAIN
        names = [name for name, _ in token.attributes]
        if names != sorted(names):
            return NOT_PLAIN
    if not marked:
        return None
    start, end, text = marked
    return fragment[:start] + text + fragment[end:]


def _mark_paragraph(fragment: str) -> str | None:
    soup = BeautifulSoup(fragment, "html.parser")
    paragraph = soup.find("p")
    for node in paragraph.descendants:
        if isinstance(node, NavigableString) and node.strip():
            if node.find_parent(["code", "script", "style"]):
                return None
            m = FIRST_WORD.match(str(node))
            span = soup.new_tag("span", attrs={"class": OPENING_CLASS})
            span.string = m.group(2)
            parts = [NavigableString(m.group(1))] if m.group(1) else []
            parts += [span] + ([NavigableString(m.group(3))] if m.group(3) else [])
            node.replace_with(*parts)
            return str(soup)
    return None

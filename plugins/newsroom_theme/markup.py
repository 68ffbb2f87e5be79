"""Build-time markup for the article body, as pure functions of HTML strings."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString

OPENING_CLASS = "nr-article__opening"
# The opening "word" runs to the first space, so leading quotes and trailing punctuation stay with it,
# as the paper's house style sets them: “WATER is ...
FIRST_WORD = re.compile(r"^(\s*)(\S+)(.*)$", re.S)


FIRST_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>.*?</p>", re.S)


def mark_opening_word(html: str) -> str:
    """Wrap the first word of the first paragraph in a span the CSS sets in capitals.

    The text itself keeps its case, so copy-and-paste, screen readers, feeds and the search index
    all get what the editor typed. Only the first paragraph is parsed: parsing the whole story cost
    about 1.75 ms an article, most of a page's own rendering time.
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


# The fast path. Stories come out of the sanitiser (newsroom_sanitise, html5ever's serialiser) in a regular
# form: lower-case tags, attributes in double quotes, only &amp; &lt; &gt; escaped in text. For a paragraph
# in the narrower form below, Beautiful Soup's parse and output (attributes sorted, class lists joined
# with single spaces, & < > escaped in text and values, void elements as <br/>, a run of nothing but
# spaces as one space or newline) give back the same
# characters, so wrapping the word in the text is all it would change. Anything else goes to Beautiful
# Soup. Parsing cost a tenth of an article page's rendering; tests/test_theme.py checks both paths agree.
NOT_PLAIN = object()
TOKEN_RE = re.compile(r'<(/?)([a-z][a-z0-9]*)((?: [a-z][a-z0-9-]*="[^"<>]*")*)>|[^<>]+')
ATTRIBUTE_RE = re.compile(r' ([a-z][a-z0-9-]*)="([^"<>]*)"')
OTHER_ENTITY_RE = re.compile(r"&(?!(?:amp|lt|gt);)|[\r\x00]")
# Beautiful Soup's lists of space-separated values (HTMLTreeBuilder.DEFAULT_CDATA_LIST_ATTRIBUTES, for any tag).
LIST_ATTRIBUTES = frozenset({"class", "rel", "rev", "accept-charset", "headers", "accesskey", "dropzone"})
LIST_VALUE_RE = re.compile(r"(?:\S+(?: \S+)*)?")
# Written differently by Beautiful Soup (void elements) or parsed differently (raw text).
NOT_PLAIN_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "menuitem", "meta", "param",
    "source", "track", "wbr", "basefont", "bgsound", "command", "frame", "image", "isindex", "nextid", "spacer",
    "script", "style", "textarea", "title", "template", "noscript", "iframe", "xmp", "plaintext", "noembed",
    "noframes",
})
ASCII_SPACES = " \n\t\f\r"
NO_CAPITALS_IN = frozenset({"code", "script", "style"})


def _mark_plain_paragraph(fragment: str):
    """The paragraph with its opening word marked, None to leave it as it is (the word is code), or
    NOT_PLAIN when the paragraph is not in the form this path is sure of."""
    open_tags: list[str] = []
    marked = None
    pos = 0
    for token in TOKEN_RE.finditer(fragment):
        if token.start() != pos:
            return NOT_PLAIN
        pos = token.end()
        closing, name, attributes = token.group(1, 2, 3)
        if name is None:  # text
            text = token.group(0)
            if OTHER_ENTITY_RE.search(text) or (text not in (" ", "\n") and not text.strip(ASCII_SPACES)):
                return NOT_PLAIN  # Beautiful Soup writes a run of nothing but spaces as one space or newline
            if marked is None and text.strip() and open_tags:
                if NO_CAPITALS_IN.intersection(open_tags):
                    marked = False
                else:
                    m = FIRST_WORD.match(text)
                    marked = (token.start(), token.end(),
                              f'{m.group(1)}<span class="{OPENING_CLASS}">{m.group(2)}</span>{m.group(3)}')
            continue
        if name in NOT_PLAIN_TAGS:
            return NOT_PLAIN
        if closing:
            if not open_tags or open_tags.pop() != name:
                return NOT_PLAIN
            continue
        if not open_tags and (name != "p" or token.start() != 0):
            return NOT_PLAIN
        names = []
        for attribute in ATTRIBUTE_RE.finditer(attributes):
            key, value = attribute.groups()
            if OTHER_ENTITY_RE.search(value) or (key in LIST_ATTRIBUTES and not LIST_VALUE_RE.fullmatch(value)):
                return NOT_PLAIN
            names.append(key)
        if names != sorted(set(names)):
            return NOT_PLAIN
        open_tags.append(name)
    if pos != len(fragment) or open_tags:
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

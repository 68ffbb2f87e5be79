"""Build-time markup for the article body, as pure functions of HTML strings."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString

OPENING_CLASS = "nr-article__opening"
# The opening "word" runs to the first space, so leading quotes and trailing punctuation stay with it,
# as the paper's house style sets them: “WATER is ...
FIRST_WORD = re.compile(r"^(\s*)(\S+)(.*)$", re.S)


def mark_opening_word(html: str) -> str:
    """Wrap the first word of the first paragraph in a span the CSS sets in capitals.

    The text itself keeps its case, so copy-and-paste, screen readers, feeds and the search index
    all get what the editor typed.
    """
    if not html or OPENING_CLASS in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    paragraph = soup.find("p")
    if paragraph is None:
        return html
    for node in paragraph.descendants:
        if isinstance(node, NavigableString) and node.strip():
            if node.find_parent(["code", "script", "style"]):
                return html
            m = FIRST_WORD.match(str(node))
            span = soup.new_tag("span", attrs={"class": OPENING_CLASS})
            span.string = m.group(2)
            parts = [NavigableString(m.group(1))] if m.group(1) else []
            parts += [span] + ([NavigableString(m.group(3))] if m.group(3) else [])
            node.replace_with(*parts)
            return str(soup)
    return html

"""Python-Markdown's inline syntax (links, emphasis, code, footnotes, HTML...) without searching text for
syntax it cannot hold.

Python-Markdown's `InlineProcessor` tries each of its fifteen or so inline patterns on every piece of text
in the story, in priority order: a regular-expression search and a method call each, nearly all finding
nothing (a paragraph of news copy has no backtick, backslash, `<`, `&`, `*` or `_`). That is about 40 %
of converting a typical story, three seconds of CPU in a cold build at 10,000 articles.

Nothing here parses Markdown. `FastInlineProcessor` *is* the library's InlineProcessor (a subclass that
keeps its `run`, its placeholders and its `__applyPattern`, which does all the matching and building);
only the loop that walks the patterns is ours, and it differs in one way: a pattern whose regular
expression needs a character the text does not hold is passed over, exactly as the library's loop passes
over a pattern that found no match (it moves to the next pattern, from the start of the text). What
each expression needs is written below for the library's own expressions only, recognised by their exact
text; any other pattern (another extension's, or one the library changes in a later version) is always
tried. A match only ever replaces syntax by a placeholder (STX, letters, digits, ETX), so text never
gains a character it did not hold: what it holds when first seen is enough for every later step.

tests/test_fast_inline.py compares the output with the library's on awkward inline syntax, and
tests/test_reader.py reads the whole corpus with this and with Pelican's reader and compares them.
"""

from __future__ import annotations

import re

from markdown import inlinepatterns, util
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor

# The library's inline expressions (markdown.inlinepatterns, the footnotes extension) -> what a match
# must contain, any one of. Each is a literal every match of the expression consumes or starts with.
NEEDS_BY_EXPRESSION = {
    inlinepatterns.BACKTICK_RE: ("`",),  # both alternatives need a backtick (one in a look-ahead)
    inlinepatterns.ESCAPE_RE: ("\\",),
    inlinepatterns.LINK_RE: ("[",),  # also REFERENCE_RE, the same expression
    inlinepatterns.IMAGE_LINK_RE: ("![",),  # also IMAGE_REFERENCE_RE
    inlinepatterns.AUTOLINK_RE: ("<",),
    inlinepatterns.AUTOMAIL_RE: ("<",),
    inlinepatterns.LINE_BREAK_RE: ("  \n",),
    inlinepatterns.HTML_RE: ("<",),
    inlinepatterns.ENTITY_RE: ("&",),
    r"\[\^([^\]]*)\]": ("[^",),  # footnotes' FOOTNOTE_RE, defined inside its extendMarkdown
}


def needs(pattern) -> tuple[str, ...] | None:
    """What `pattern` needs in a text to match at all (any one of), or None: always try it."""
    if not isinstance(pattern, inlinepatterns.InlineProcessor):
        return None  # an old-style Pattern matches against a rewritten expression
    if isinstance(pattern, inlinepatterns.DelimiterProcessor):
        # Its expression is its tokens ("*", "_"), escaped and joined by "|".
        return tuple(pattern.tokens) if pattern.pattern == "|".join(map(re.escape, pattern.tokens)) else None
    compiled = getattr(pattern, "compiled_re", None)
    return NEEDS_BY_EXPRESSION.get(getattr(compiled, "pattern", None))


class FastInlineProcessor(InlineProcessor):
    def run(self, tree, ancestors=None):
        # The patterns as they are now, in the order the library tries them (a Registry indexes by
        # priority; iterating it gives the same order).
        self._patterns = list(self.inlinePatterns)
        self._needs = [needs(p) for p in self._patterns]
        self._triggers = tuple(sorted({n for needed in self._needs if needed for n in needed}))
        self._plans: dict[frozenset, tuple[bool, ...]] = {}
        return super().run(tree, ancestors)

    def _plan(self, data: str) -> tuple[bool, ...]:
        """For each pattern, whether `data` may hold what it needs."""
        present = frozenset(t for t in self._triggers if t in data)
        plan = self._plans.get(present)
        if plan is None:
            plan = self._plans[present] = tuple(needed is None or not present.isdisjoint(needed)
                                                for needed in self._needs)
        return plan

    # The library's __handleInline (name-mangled, so this replaces it for its own callers: run() and
    # __applyPattern, which recurses into the elements a match builds).
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        plan = self._plan(data)
        patterns, apply = self._patterns, self._InlineProcessor__applyPattern
        count, startIndex = len(patterns), 0
        while patternIndex < count:
            if not plan[patternIndex]:
                # What __applyPattern returns when nothing matches: the same text, from the start.
                patternIndex, startIndex = patternIndex + 1, 0
                continue
            data, matched, startIndex = apply(patterns[patternIndex], data, patternIndex, startIndex)
            if not matched:
                patternIndex += 1
        return data


class FastInlineExtension(Extension):
    def extendMarkdown(self, md):
        # Only in place of the library's own processor: an extension that brought its own keeps it.
        if "inline" in md.treeprocessors and type(md.treeprocessors["inline"]) is InlineProcessor:
            priority = next(item.priority for item in md.treeprocessors._priority if item.name == "inline")
            md.treeprocessors.register(FastInlineProcessor(md), "inline", priority)


def with_fast_inline(markdown_settings: dict) -> dict:
    """The arguments for Markdown() with FastInlineExtension added last, after every extension that
    registers inline patterns or its own inline processor."""
    return {**markdown_settings, "extensions": [*markdown_settings.get("extensions", []), FastInlineExtension()]}

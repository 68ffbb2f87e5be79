"""Python-Markdown's inline syntax (links, emphasis, code, footnotes, HTML...) without searching text for
syntax it cannot hold.

Python-Markdown's `InlineProcessor` tries each of its fifteen or so inline patterns on every piece of text
in the story, in priority order: a regular-expression search and a method call each, nearly all finding
nothing (a paragraph of news copy has no backtick, backslash, `<`, `&`, `*` or `_`). That is a large share
of converting a typical story.

Nothing here parses Markdown. `FastInlineProcessor` *is* the library's InlineProcessor (a subclass that
keeps its `run`, its placeholders and its `__applyPattern`, which does all the matching and building);
only the loop that walks the patterns is ours, and it differs in one way: a pattern whose regular
expression needs a character the text does not hold is passed over, exactly as the library's loop passes
over a pattern that found no match (it moves to the next pattern, from the start of the text). What each
expression needs is known for the library's own expressions only, recognised by their exact text
(compat.py); any other pattern (another extension's, or one the library changes) is always tried. A match
only ever replaces syntax by the InlineProcessor's placeholder, which holds none of the characters a
pattern needs (compat.py), so text never gains such a character: what it holds when first seen is enough
for every later step.

tests/test_fast_inline.py compares the output with the library's on awkward inline syntax,
tests/test_reader.py reads the whole corpus with this and with Pelican's reader and compares them, and
tests/test_markdown_suite.py runs Python-Markdown's own test suite with it.
"""

from __future__ import annotations

from markdown import util
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor

from . import compat

needs = compat.inline_needs  # what a pattern needs in a text to match at all (None: always try it)


@compat.replaces_pattern_loop
class FastInlineProcessor(InlineProcessor):
    def run(self, tree, ancestors=None):
        # The patterns as they are now, in the order the library tries them (a Registry indexes by
        # priority; iterating it gives the same order).
        self.fast_patterns = list(self.inlinePatterns)
        self.fast_needs = [needs(p) for p in self.fast_patterns]
        self.fast_triggers = tuple(sorted({n for needed in self.fast_needs if needed for n in needed}))
        self.fast_plans: dict[frozenset, tuple[bool, ...]] = {}
        self.fast_apply = compat.pattern_applier(self)
        return super().run(tree, ancestors)

    def plan(self, data: str) -> tuple[bool, ...]:
        """For each pattern, whether `data` may hold what it needs."""
        present = frozenset(t for t in self.fast_triggers if t in data)
        plan = self.fast_plans.get(present)
        if plan is None:
            plan = self.fast_plans[present] = tuple(needed is None or not present.isdisjoint(needed)
                                                    for needed in self.fast_needs)
        return plan

    def walk_patterns(self, data: str, patternIndex: int = 0) -> str:
        """The library's loop over the patterns (compat.replaces_pattern_loop puts this in its place),
        passing over the patterns `data` cannot match."""
        if isinstance(data, util.AtomicString):
            return data
        plan = self.plan(data)
        patterns, apply = self.fast_patterns, self.fast_apply
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
            priority = compat.priority_of(md.treeprocessors, "inline")
            md.treeprocessors.register(FastInlineProcessor(md), "inline", priority)


def with_fast_inline(markdown_settings: dict) -> dict:
    """The arguments for Markdown() with FastInlineExtension added last, after every extension that
    registers inline patterns or its own inline processor. Unchanged when the installed Python-Markdown
    is not the one the fast paths were written for (compat.py), or when `extensions` is not a sequence
    Python-Markdown could read (it then raises its own error)."""
    if not compat.fast_paths_usable():
        return markdown_settings
    extensions = markdown_settings.get("extensions", [])
    if isinstance(extensions, (str, bytes)) or not hasattr(extensions, "__iter__"):
        return markdown_settings
    return {**markdown_settings, "extensions": [*extensions, FastInlineExtension()]}

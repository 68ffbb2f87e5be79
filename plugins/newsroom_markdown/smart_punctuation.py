"""Python-Markdown's smarty extension (curly quotes, dashes, ellipses), applied in one cheap pass.

Smarty registers its fifteen quote patterns, two dash patterns and the ellipsis pattern on a second
`InlineProcessor`, Python-Markdown's general machinery for inline syntax. That machinery tries every
pattern on every piece of text in the story, re-scans the text after each replacement and then rebuilds
the text from placeholders: 1.2 ms of the 2.4 ms it takes to read a typical 600-word story, more than
everything else Markdown does (five seconds of a cold build at 10,000 articles, on two cores).

This extension *is* smarty: it subclasses SmartyExtension, so the patterns, their order, their
replacements and every option (`substitutions`, `smart_angled_quotes`, ...) are the library's own, and
each replacement is made by the library's own `handleMatch`. Only the loop that applies them is ours:

* each pattern is searched for only in text that holds a character it needs (most paragraphs have no
  dash, no ellipsis and only some of the quote characters);
* a match is replaced by a placeholder of the same form the InlineProcessor uses, so later patterns'
  look-behinds and look-aheads see exactly what they see there, and the same pattern goes on searching
  just after it, as there;
* at the end the placeholders are swapped for their replacements in one pass.

The InlineProcessor does nothing else with smarty's patterns (they only ever produce text, never
elements), so the result is the same tree. tests/test_reader.py reads the whole corpus with this and
with Pelican's reader (stock smarty) and compares them, and tests/test_smart_punctuation.py compares the
two on the awkward cases (nested quotes, decades, quotes against links, emphasis and code).
NewsroomMarkdownReader puts this in place of smarty wherever a site's MARKDOWN setting names smarty.
"""

from __future__ import annotations

import re

from markdown import util
from markdown.extensions.smarty import SmartyExtension
from markdown.treeprocessors import Treeprocessor

SMARTY_NAMES = frozenset({"smarty", "markdown.extensions.smarty", "markdown.extensions.smarty:SmartyExtension"})
# What each of smarty's patterns needs in the text to match at all, by the name smarty registers it under.
# Any character a match consumes is a literal of the pattern's expression, so for quotes the quote
# characters in the expression are enough (some also appear in a character class: searched for needlessly,
# never missed). A pattern not named here is always searched for.
NEEDS_BY_NAME = {
    "smarty-em-dashes": ("--",),
    "smarty-en-dashes": ("--",),
    "smarty-ellipses": ("...",),
    "smarty-left-angle-quotes": ("<<",),
    "smarty-right-angle-quotes": (">>",),
}
PLACEHOLDER_RE = re.compile(re.escape(util.INLINE_PLACEHOLDER_PREFIX) + r"([0-9]+)" + re.escape(util.ETX))


def needs(name: str, pattern) -> tuple[str, ...]:
    if name in NEEDS_BY_NAME:
        return NEEDS_BY_NAME[name]
    if name.startswith("smarty-quotes-"):
        return tuple(q for q in ("'", '"') if q in pattern.compiled_re.pattern)
    return ()


class SmartPunctuationProcessor(Treeprocessor):
    def __init__(self, md, patterns):
        super().__init__(md)
        # In the registry's order (by priority), as the InlineProcessor tries them. Iterating a Registry
        # sorts it; its names are then in the same order.
        ordered = list(patterns)
        names = [item.name for item in patterns._priority]
        self.patterns = [(pattern, needs(name, pattern)) for name, pattern in zip(names, ordered)]
        self.triggers = tuple(sorted({n for _, needed in self.patterns for n in needed}))
        self._plans: dict[frozenset, list] = {}  # the triggers a text holds -> the patterns to search it for
        self.stash: list[str] = []

    def run(self, root):
        self.stash = []
        for parent in root.iter():
            for child in parent:
                text = child.text
                if text and not isinstance(text, util.AtomicString):
                    child.text = self.educate(text)
                tail = child.tail
                if tail and not isinstance(tail, util.AtomicString):
                    child.tail = self.educate(tail)
        return None

    def plan(self, data: str) -> list:
        """The patterns worth searching `data` for. Replacing only ever removes trigger characters (they
        go into placeholders), so what the text holds at first is enough for every later step."""
        present = frozenset(n for n in self.triggers if n in data)
        plan = self._plans.get(present)
        if plan is None:
            plan = self._plans[present] = [pattern for pattern, needed in self.patterns
                                           if not needed or not present.isdisjoint(needed)]
        return plan

    def educate(self, data: str) -> str:
        stashed = False
        for pattern in self.plan(data):
            regex, start = pattern.compiled_re, 0
            while True:
                match = regex.search(data, start)
                if match is None:
                    break
                replacement, begin, end = pattern.handleMatch(match, data)
                if begin is None or end is None:  # never for smarty's patterns; as the InlineProcessor does
                    start = match.end(0)
                    continue
                placeholder = util.INLINE_PLACEHOLDER % f"{len(self.stash):04d}"
                self.stash.append(replacement)
                data = data[:begin] + placeholder + data[end:]
                start = begin + len(placeholder)
                stashed = True
        if not stashed:
            return data
        return PLACEHOLDER_RE.sub(lambda m: self.stash[int(m.group(1))], data)


class FastSmartyExtension(SmartyExtension):
    def extendMarkdown(self, md):
        super().extendMarkdown(md)
        # SmartyExtension registered its InlineProcessor as "smarty" with the patterns in
        # self.inlinePatterns; the same patterns, in the same place, applied by our processor.
        md.treeprocessors.register(SmartPunctuationProcessor(md, self.inlinePatterns), "smarty", 6)


def with_fast_smarty(markdown_settings: dict) -> dict:
    """The MARKDOWN setting's arguments for Markdown(), with smarty (named in `extensions`) replaced by
    FastSmartyExtension configured from `extension_configs` as smarty would have been."""
    extensions = list(markdown_settings.get("extensions", []))
    configs = dict(markdown_settings.get("extension_configs", {}))
    replaced = []
    for extension in extensions:
        if isinstance(extension, str) and extension in SMARTY_NAMES:
            replaced.append(FastSmartyExtension(**(configs.pop(extension, None) or {})))
        else:
            replaced.append(extension)
    return {**markdown_settings, "extensions": replaced, "extension_configs": configs}

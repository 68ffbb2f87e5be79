"""Python-Markdown's smarty extension (curly quotes, dashes, ellipses), applied in one cheap pass.

Smarty registers its fifteen quote patterns, two dash patterns and the ellipsis pattern on a second
`InlineProcessor`, Python-Markdown's general machinery for inline syntax. That machinery tries every
pattern on every piece of text in the story, re-scans the text after each replacement and then rebuilds
the text from placeholders: more work than everything else Markdown does to a typical story.

This *is* smarty: the patterns, their order, their replacements and every option (`substitutions`,
`smart_angled_quotes`, ...) are the library's own, registered by SmartyExtension itself, and each
replacement is made by the library's own `handleMatch`. Only the loop that applies them is ours:

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
NewsroomMarkdownReader puts this in place of smarty wherever a site's MARKDOWN setting uses smarty.
"""

from __future__ import annotations

from markdown import util
from markdown.extensions.smarty import SmartyExtension
from markdown.treeprocessors import Treeprocessor

from . import compat


class SmartPunctuationProcessor(Treeprocessor):
    def __init__(self, md, patterns):
        super().__init__(md)
        # In the registry's order (by priority), as the InlineProcessor tries them.
        self.patterns = [(pattern, compat.smarty_needs(name, pattern))
                         for name, pattern in compat.by_priority(patterns)]
        self.triggers = tuple(sorted({n for _, needed in self.patterns for n in needed}))
        self.plans: dict[frozenset, list] = {}  # the triggers a text holds -> the patterns to search it for
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
        plan = self.plans.get(present)
        if plan is None:
            plan = self.plans[present] = [pattern for pattern, needed in self.patterns
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
                placeholder = compat.placeholder(len(self.stash))
                self.stash.append(replacement)
                data = data[:begin] + placeholder + data[end:]
                start = begin + len(placeholder)
                stashed = True
        return compat.restore_placeholders(data, self.stash) if stashed else data


def apply_in_one_pass(md, extension: SmartyExtension) -> None:
    """After `extension` (a SmartyExtension) has extended `md`: its patterns, in the same place, applied
    by SmartPunctuationProcessor instead of its InlineProcessor."""
    compat.replace_smarty_processor(md, SmartPunctuationProcessor(md, compat.smarty_patterns(extension)))


class FastSmartyExtension(SmartyExtension):
    """SmartyExtension, with the same options, applied in one pass."""

    def extendMarkdown(self, md):
        super().extendMarkdown(md)
        apply_in_one_pass(md, self)


SMARTY_NAMES = frozenset({"smarty", "markdown.extensions.smarty", "markdown.extensions.smarty:SmartyExtension"})


def with_fast_smarty(markdown_settings: dict) -> dict:
    """The MARKDOWN setting's arguments for Markdown(), with smarty (named in `extensions`) replaced by
    FastSmartyExtension configured from `extension_configs` as smarty would have been. Unchanged when the
    installed Python-Markdown is not the one the fast paths were written for (compat.py)."""
    if not compat.fast_paths_usable():
        return markdown_settings
    extensions = list(markdown_settings.get("extensions", []))
    configs = dict(markdown_settings.get("extension_configs", {}))
    replaced = []
    for extension in extensions:
        if isinstance(extension, str) and extension in SMARTY_NAMES:
            replaced.append(FastSmartyExtension(**(configs.pop(extension, None) or {})))
        else:
            replaced.append(extension)
    return {**markdown_settings, "extensions": replaced, "extension_configs": configs}

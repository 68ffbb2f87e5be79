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
with Pelican's reader (stock smarty) and compares them, tests/test_smart_punctuation.py compares the two
on the awkward cases (nested quotes, decades, quotes against links, emphasis and code) and every form of
configuration, and tests/test_markdown_suite.py runs Python-Markdown's own tests with it.
NewsroomMarkdownReader puts this in place of smarty wherever a site's MARKDOWN setting uses smarty.
"""

from __future__ import annotations

import functools
import html
import importlib
import xml.etree.ElementTree as etree
from collections.abc import Mapping

from markdown import util
from markdown.extensions import Extension, smarty
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


class OnePassSmarty(Extension):
    """A SmartyExtension made by the caller (an instance in `extensions`), used as is, applied in one pass."""

    def __init__(self, extension: SmartyExtension):
        super().__init__()
        self.smarty = extension

    def extendMarkdown(self, md):
        self.smarty.extendMarkdown(md)
        apply_in_one_pass(md, self.smarty)


@functools.cache
def names_smarty(name: str) -> bool:
    """Whether Python-Markdown builds the library's SmartyExtension for the extension name `name`, as
    Markdown.build_extension resolves names: an entry point of that name first ("smarty"), then
    `module:Class`, then the module's makeExtension ("markdown.extensions.smarty")."""
    try:
        entry_points = [ep for ep in util.get_installed_extensions() if ep.name == name]
        if entry_points:
            factory = entry_points[0].load()
        else:
            module_name, _, class_name = name.partition(":")
            module = importlib.import_module(module_name)
            factory = getattr(module, class_name) if class_name else module.makeExtension
    except Exception:  # noqa: BLE001 - then Python-Markdown fails on it too, with its own message
        return False
    return factory is SmartyExtension or factory is smarty.makeExtension


def one_pass_form(extension, configs):
    """What to put in `extensions` in place of `extension` (an item of it) for the same result: smarty,
    named or made, in its one-pass form; anything else (or smarty whose options Python-Markdown would
    refuse) as it is, so that the library builds it, or fails, exactly as it would have."""
    if type(extension) is SmartyExtension:  # a subclass may change what smarty does: left alone
        return OnePassSmarty(extension)
    if isinstance(extension, str) and names_smarty(extension):
        try:
            # As Markdown.registerExtensions and build_extension read an extension's options: looked up
            # by the very string in `extensions`, a mapping or (name, value) pairs.
            return FastSmartyExtension(**dict(configs.get(extension, {})))
        except Exception:  # noqa: BLE001 - Python-Markdown raises its own error for these options
            return extension
    return extension


def with_fast_smarty(markdown_settings: dict) -> dict:
    """The arguments for Markdown() (a site's MARKDOWN setting), with smarty in its one-pass form wherever
    `extensions` has it: by any name Python-Markdown resolves to smarty, configured from
    `extension_configs` as the library would configure it, or as a SmartyExtension instance. Unchanged
    when the installed Python-Markdown is not the one the fast paths were written for (compat.py), or
    when `extensions` is not a sequence Python-Markdown could read (it then raises its own error)."""
    if not compat.fast_paths_usable():
        return markdown_settings
    extensions = markdown_settings.get("extensions", [])
    configs = markdown_settings.get("extension_configs", {})
    if isinstance(extensions, (str, bytes)) or not hasattr(extensions, "__iter__"):
        return markdown_settings
    extensions = list(extensions)
    replaced = [one_pass_form(extension, configs) for extension in extensions]
    arguments = {**markdown_settings, "extensions": replaced}
    if "extension_configs" in markdown_settings and isinstance(configs, Mapping):
        # The options of the names replaced went into their one-pass forms: nothing else reads them.
        gone = {old for old, new in zip(extensions, replaced) if isinstance(old, str) and new is not old}
        arguments["extension_configs"] = {name: value for name, value in configs.items() if name not in gone}
    return arguments


def smarten_text(md, text: str) -> str:
    """Plain text (a headline) with the punctuation `md`'s smarty gives the same words in a story's
    paragraph, as Unicode characters (’ “ ” – — …) instead of the entities smarty writes; unchanged when `md`
    has no smarty. Only smarty's patterns are applied, never other Markdown syntax, so `*`, `<` and `&`
    stay exactly as typed: the text stays text, for templates to escape."""
    processor = compat.smarty_processor(md)
    if processor is None or not text:
        return text
    md.reset()  # smarty's replacements go to the converter's stash, which must start empty
    root = etree.Element("div")
    paragraph = etree.SubElement(root, "p")
    paragraph.text = compat.without_placeholder_characters(text)
    processor.run(root)
    return compat.restore_html_stash(md, paragraph.text, html.unescape)

"""Every place the fast paths rely on a private or undocumented detail of Python-Markdown, and the check
that turns them off when those details may have changed.

The fast paths (fast_inline.py, smart_punctuation.py) give exactly the library's output only because they
reuse the library's own machinery from the inside: the InlineProcessor's name-mangled pattern loop, the
priorities a Registry keeps, the exact text of the library's regular expressions, the names smarty
registers its patterns under and the placeholders the InlineProcessor puts in text. None of that is a
promised interface, so it is named here and nowhere else, and it was read from one version of the
library: WRITTEN_FOR. With any other version installed, or with any of these names missing, the fast
paths stand aside (`with_fast_inline` and `with_fast_smarty` return the configuration unchanged, so the
library's own code runs) and one warning says so. Upgrading Python-Markdown means reading its changes
against this module, running tests/test_markdown_suite.py and then changing WRITTEN_FOR.
"""

from __future__ import annotations

import functools
import logging
import re

import markdown
from markdown import inlinepatterns, util
from markdown.extensions import smarty
from markdown.treeprocessors import InlineProcessor

logger = logging.getLogger(__name__)

WRITTEN_FOR = "3.11.3"

# InlineProcessor's pattern loop and the step it calls for each pattern. Both are name-mangled (double
# underscore), so a subclass replaces the loop for the library's own callers (run() and __applyPattern,
# which recurses into what a match builds) only by defining the mangled name.
HANDLE_INLINE = "_InlineProcessor__handleInline"
APPLY_PATTERN = "_InlineProcessor__applyPattern"
# (what, where, name): each private name used below, looked for once before the fast paths are used.
PRIVATE_NAMES = [
    ("InlineProcessor", InlineProcessor, HANDLE_INLINE),
    ("InlineProcessor", InlineProcessor, APPLY_PATTERN),
    ("Registry", util.Registry(), "_priority"),
    ("markdown.util", util, "INLINE_PLACEHOLDER"),
    ("markdown.util", util, "INLINE_PLACEHOLDER_RE"),
]


# --- The check ---------------------------------------------------------------------------------------

def problems(version: str) -> list[str]:
    """Why the fast paths must not be used with Python-Markdown `version` as installed (empty: they may)."""
    found = []
    if version != WRITTEN_FOR:
        found.append(f"they were written for {WRITTEN_FOR}")
    missing = [f"{what}.{name}" for what, where, name in PRIVATE_NAMES if not hasattr(where, name)]
    if missing:
        found.append("it lacks " + ", ".join(missing))
    elif not smarty_keeps_its_patterns():
        found.append("its smarty extension no longer keeps its patterns where they were")
    elif any(not PLACEHOLDER_CHARACTERS.isdisjoint("".join(n)) for n in NEEDS_BY_EXPRESSION.values()):
        found.append("its placeholders hold characters that inline syntax is made of")
    return found


def smarty_keeps_its_patterns() -> bool:
    """SmartyExtension still fills `inlinePatterns` and hands that Registry to an InlineProcessor it
    registers as "smarty" (what smart_punctuation.py takes over)."""
    try:
        extension = smarty.SmartyExtension()
        md = markdown.Markdown(extensions=[extension])
        registered = md.treeprocessors["smarty"]
    except Exception:  # noqa: BLE001 - any change there means: do not take it over
        return False
    patterns = getattr(extension, "inlinePatterns", None)
    return isinstance(patterns, util.Registry) and getattr(registered, "inlinePatterns", None) is patterns


@functools.cache
def fast_paths_usable() -> bool:
    """Whether the installed Python-Markdown is the one the fast paths were written for; decided once a
    process, with one warning when it is not."""
    found = problems(markdown.__version__)
    if found:
        logger.warning(
            "newsroom_markdown: Python-Markdown %s is installed, the fast paths were written for %s (%s): "
            "Markdown is converted by the library's own code alone, more slowly",
            markdown.__version__, WRITTEN_FOR, "; ".join(found),
        )
    return not found


# --- The InlineProcessor's pattern loop (fast_inline.py) -----------------------------------------------

def replaces_pattern_loop(cls):
    """Class decorator: `cls.walk_patterns(data, patternIndex=0)` becomes the InlineProcessor's own pattern
    loop, the one run() and __applyPattern call."""
    setattr(cls, HANDLE_INLINE, cls.walk_patterns)
    return cls


def pattern_applier(processor: InlineProcessor):
    """The processor's __applyPattern(pattern, data, patternIndex, startIndex) -> (data, matched, start)."""
    return getattr(processor, APPLY_PATTERN)


# The library's inline expressions (markdown.inlinepatterns, smarty's stricter HTML, the footnotes
# extension) -> what a match must contain, any one of: a literal every match consumes or starts with. The
# keys are the library's exact expressions; a pattern whose expression is not here is always tried.
NEEDS_BY_EXPRESSION = {
    inlinepatterns.BACKTICK_RE: ("`",),  # both alternatives need a backtick (one in a look-ahead)
    inlinepatterns.ESCAPE_RE: ("\\",),
    inlinepatterns.LINK_RE: ("[",),  # also REFERENCE_RE, the same expression
    inlinepatterns.IMAGE_LINK_RE: ("![",),  # also IMAGE_REFERENCE_RE
    inlinepatterns.AUTOLINK_RE: ("<",),
    inlinepatterns.AUTOMAIL_RE: ("<",),
    inlinepatterns.LINE_BREAK_RE: ("  \n",),
    inlinepatterns.HTML_RE: ("<",),
    smarty.HTML_STRICT_RE: ("<",),  # HTML_RE and a look-ahead, with smart_angled_quotes
    inlinepatterns.ENTITY_RE: ("&",),
    r"\[\^([^\]]*)\]": ("[^",),  # footnotes' FOOTNOTE_RE, defined inside its extendMarkdown
}


def inline_needs(pattern) -> tuple[str, ...] | None:
    """What `pattern` needs in a text to match at all (any one of), or None: always try it."""
    if not isinstance(pattern, inlinepatterns.InlineProcessor):
        return None  # an old-style Pattern matches against a rewritten expression
    if isinstance(pattern, inlinepatterns.DelimiterProcessor):
        # Its expression is its tokens ("*", "_"), escaped and joined by "|"; another extension's tokens
        # might share a character with a placeholder (see below), and then they are always tried.
        tokens = getattr(pattern, "tokens", None)
        if tokens and getattr(pattern, "pattern", None) == "|".join(map(re.escape, tokens)) and \
                PLACEHOLDER_CHARACTERS.isdisjoint("".join(tokens)):
            return tuple(tokens)
        return None
    compiled = getattr(pattern, "compiled_re", None)
    return NEEDS_BY_EXPRESSION.get(getattr(compiled, "pattern", None))


# --- Registries ------------------------------------------------------------------------------------------

def priority_of(registry: util.Registry, name: str) -> float:
    """The priority `name` was registered with (a Registry keeps it only privately)."""
    return next(item.priority for item in registry._priority if item.name == name)


def by_priority(registry: util.Registry) -> list[tuple[str, object]]:
    """(name, item) in the order the library uses them: iterating a Registry sorts it by priority, and
    its private list of names is then in the same order."""
    items = list(registry)
    return [(entry.name, item) for entry, item in zip(registry._priority, items)]


# --- Smarty (smart_punctuation.py) ---------------------------------------------------------------------

def smarty_patterns(extension: smarty.SmartyExtension) -> util.Registry:
    """The patterns a SmartyExtension registered on its own InlineProcessor during extendMarkdown."""
    return extension.inlinePatterns


SMARTY_PROCESSOR = "smarty"  # the name smarty registers its InlineProcessor under in md.treeprocessors


def smarty_processor(md):
    """The processor that applies smarty's patterns in `md` (the library's or ours), or None without smarty."""
    return md.treeprocessors[SMARTY_PROCESSOR] if SMARTY_PROCESSOR in md.treeprocessors else None


def replace_smarty_processor(md, processor) -> None:
    """Put `processor` where smarty registered its InlineProcessor, at the same priority."""
    md.treeprocessors.register(processor, SMARTY_PROCESSOR, priority_of(md.treeprocessors, SMARTY_PROCESSOR))


# What each of smarty's patterns needs in the text to match at all, by the name smarty registers it under.
# Any character a match consumes is a literal of the pattern's expression, so for quotes the quote
# characters in the expression are enough (some also appear in a character class: searched for needlessly,
# never missed). A pattern not named here is always searched for.
SMARTY_NEEDS_BY_NAME = {
    "smarty-em-dashes": ("--",),
    "smarty-en-dashes": ("--",),
    "smarty-ellipses": ("...",),
    "smarty-left-angle-quotes": ("<<",),
    "smarty-right-angle-quotes": (">>",),
}
SMARTY_QUOTES_PREFIX = "smarty-quotes-"


def smarty_needs(name: str, pattern) -> tuple[str, ...]:
    """What smarty's pattern registered as `name` needs in a text (any one of); empty: always search."""
    if name in SMARTY_NEEDS_BY_NAME:
        return SMARTY_NEEDS_BY_NAME[name]
    if name.startswith(SMARTY_QUOTES_PREFIX):
        return tuple(q for q in ("'", '"') if q in pattern.compiled_re.pattern)
    return ()


# --- The InlineProcessor's placeholders ----------------------------------------------------------------
# fast_inline.py relies on their form too: a placeholder holds none of the characters a pattern is known
# to need (problems() checks NEEDS_BY_EXPRESSION; inline_needs checks a DelimiterProcessor's tokens), so
# replacing syntax by one never gives a text what it lacked.
PLACEHOLDER_CHARACTERS = frozenset(util.INLINE_PLACEHOLDER % "0123456789")

def placeholder(index: int) -> str:
    """A placeholder of the form the InlineProcessor puts in text for what it has stashed (STX, letters,
    four digits, ETX): smarty's look-behinds and look-aheads see exactly what they see there."""
    return util.INLINE_PLACEHOLDER % f"{index:04d}"


def restore_placeholders(data: str, stash: list[str]) -> str:
    """`data` with each placeholder made by `placeholder(i)` replaced by stash[i]."""
    return util.INLINE_PLACEHOLDER_RE.sub(lambda m: stash[int(m.group(1))], data)


def without_placeholder_characters(text: str) -> str:
    """`text` without the characters the library's placeholders are made of, as Markdown.convert takes
    them out of a document first, so that nothing typed passes for a placeholder."""
    return text.replace(util.STX, "").replace(util.ETX, "")


def restore_html_stash(md, text: str, as_text) -> str:
    """`text` with each of md's raw-HTML placeholders (where smarty's replacements wait until the
    library's RawHtmlPostprocessor puts them in the HTML) replaced by `as_text(what it stands for)`."""
    stash = md.htmlStash.rawHtmlBlocks
    return util.HTML_PLACEHOLDER_RE.sub(lambda m: as_text(str(stash[int(m.group(1))])), text)


# --- Backslash escapes (figures.py) ----------------------------------------------------------------------

UNESCAPE_PROCESSOR = "unescape"  # the name the library registers its UnescapeTreeprocessor under


def unescape_backslashes(md, text: str) -> str:
    """`text` with the backslash escapes the library keeps as placeholders until its last treeprocessor
    (`\\"` in a picture's title) as the characters typed, so smarty, which runs before that, sees them.
    Unchanged when the library no longer unescapes that way."""
    processor = md.treeprocessors[UNESCAPE_PROCESSOR] if UNESCAPE_PROCESSOR in md.treeprocessors else None
    unescape = getattr(processor, "unescape", None)
    return unescape(text) if callable(unescape) else text

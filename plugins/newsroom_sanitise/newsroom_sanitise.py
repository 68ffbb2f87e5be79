"""Every article's and page's HTML, sanitised with nh3 against the site's allowlist as soon as it is read.

The story and the Summary (and any other field in FORMATTED_FIELDS, which Pelican renders from Markdown)
are cleaned as each file is read, inside the reader: every reader class is given a subclass whose read()
returns clean HTML. So the clean HTML is what Pelican's content cache stores and what the engine's
parallel reading produces, and a rebuild does not clean the unchanged stories again.
Nothing can read the HTML before it is clean: newsroom_content's standfirst, the feeds, the search index
and the theme all get the clean HTML. What is kept and what is removed is in sanitiser.py; the embed hosts
and URL schemes are settings (settings.py).

Removing something is a warning, not an error: the story is still published, without the markup. The
warning names the file and what went, once per file and on every build (what was removed travels in the
read metadata, under READ_MARK, and is logged when the Article or Page is made), e.g.

    newsroom_sanitise: content/articles/x.md: removed <script>, onclick= from the story (not allowed on the site)

Content made without a reader (a test, another plugin) is cleaned when it is made, as a fallback.
"""

from __future__ import annotations

import functools
import logging

from pelican import signals
from pelican.contents import Article, Page

from newsroom_checks import display_path
from newsroom_engine.api import cached_receiver, replace_story_html, replace_summary_html, story_html

from .sanitiser import sanitise
from .settings import CONFIG_KEY, PLUGIN, Config, load_config

logger = logging.getLogger(__name__)


def check_settings(pelican) -> None:
    pelican.settings[CONFIG_KEY] = load_config(pelican.settings)


def _config(settings: dict) -> Config:
    config = settings.get(CONFIG_KEY)
    if config is None:  # content made outside a Pelican run (a test, another tool): check them now
        config = settings[CONFIG_KEY] = load_config(settings)
    return config


def describe(parts: list[tuple[str, tuple[str, ...]]]) -> str:
    """[("the story", ("<script>",)), ("the Summary", ("onclick=",))] -> "<script> from the story; onclick= from the Summary"."""
    return "; ".join(f"{', '.join(removed)} from {where}" for where, removed in parts)


# The read metadata's record of what was removed: [(where, (what, ...)), ...], possibly empty. It is taken
# out again when the Article or Page is made, so templates and the page keys never see it.
READ_MARK = "_newsroom_sanitised"


def sanitise_read(content, metadata: dict, config: Config, formatted_fields) -> tuple:
    """A reader's (content, metadata), cleaned, with READ_MARK added to the metadata."""
    parts = []
    if isinstance(content, str):
        story = sanitise(content, config.embed_hosts, config.url_schemes)
        content = story.html
        if story.removed:
            parts.append(("the story", story.removed))
    metadata = dict(metadata)
    for key in formatted_fields:
        value = metadata.get(key)
        if isinstance(value, str):
            field = sanitise(value, config.embed_hosts, config.url_schemes)
            metadata[key] = field.html
            if field.removed:
                parts.append((f"the {key.capitalize()}", field.removed))
    metadata[READ_MARK] = parts
    return content, metadata


@functools.cache
def sanitising(reader_class):
    """`reader_class` with a read() that returns clean HTML."""
    def read(self, source_path):
        content, metadata = super(cls, self).read(source_path)
        return sanitise_read(content, metadata, _config(self.settings), self.settings.get("FORMATTED_FIELDS", ()))

    # The same name: Pelican records it in each article's metadata ("reader").
    cls = type(reader_class.__name__, (reader_class,), {"read": read, "newsroom_sanitising": True})
    return cls


def sanitise_on_read(readers) -> None:
    """readers_init: every reader class Pelican will use becomes its sanitising subclass."""
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class and not getattr(reader_class, "newsroom_sanitising", False):
            readers.reader_classes[extension] = sanitising(reader_class)


@cached_receiver  # an Article from the engine's article cache is clean; its warning is logged again
def sanitise_content(content) -> None:
    """content_object_init: log what the reader removed; clean content that no reader made."""
    if not isinstance(content, (Article, Page)):
        return  # static files have no HTML of ours
    parts = content.metadata.pop(READ_MARK, None)
    if parts is not None:
        content.__dict__.pop(READ_MARK, None)  # Pelican made an attribute of every metadata field
    else:
        parts = _sanitise_made_content(content)
    if parts:
        logger.warning("%s: %s: removed %s (not allowed on the site)", PLUGIN, display_path(content.source_path), describe(parts))


def _sanitise_made_content(content) -> list:
    config = _config(content.settings)
    parts = []
    if isinstance(story_html(content), str):
        story = sanitise(story_html(content), config.embed_hosts, config.url_schemes)
        replace_story_html(content, story.html)
        if story.removed:
            parts.append(("the story", story.removed))
    for key in content.settings.get("FORMATTED_FIELDS", ()):
        value = content.metadata.get(key)
        if not isinstance(value, str):
            continue
        field = sanitise(value, config.embed_hosts, config.url_schemes)
        content.metadata[key] = field.html
        if key == "summary":
            replace_summary_html(content, field.html)
        else:
            setattr(content, key.lower(), field.html)
        if field.removed:
            parts.append((f"the {key.capitalize()}", field.removed))
    return parts


def register():
    # initialized: check the settings once, before anything is read, so a bad value stops the build early.
    signals.initialized.connect(check_settings)
    # readers_init: before any reader exists, and after newsroom_content has chosen its Markdown reader
    # (PLUGINS lists it first), so its reader is the one made sanitising.
    signals.readers_init.connect(sanitise_on_read)
    # content_object_init: sent as each Article and Page is made, before any generator, plugin or
    # template can read its content or summary.
    signals.content_object_init.connect(sanitise_content)

"""Every article's and page's HTML, sanitised with nh3 against the site's allowlist as soon as it is read.

The story (`_content`) and the Summary (and any other field in FORMATTED_FIELDS, which Pelican renders
from Markdown) are cleaned when Pelican creates the Article or Page, before any plugin, feed or template
can read them: newsroom_content's standfirst, the feeds, the search index and the theme all get the clean
HTML. What is kept and what is removed is in sanitiser.py; the embed hosts and URL schemes are settings
(settings.py).

Removing something is a warning, not an error: the story is still published, without the markup. The
warning names the file and what went, once per file, e.g.

    newsroom_sanitise: content/articles/x.md: removed <script>, onclick= from the story (not allowed on the site)
"""

from __future__ import annotations

import logging

from pelican import signals
from pelican.contents import Article, Page

from newsroom_content.problems import display_path

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


def sanitise_content(content) -> None:
    if not isinstance(content, (Article, Page)):
        return  # static files have no HTML of ours
    config = _config(content.settings)
    parts = []
    if isinstance(content._content, str):
        story = sanitise(content._content, config.embed_hosts, config.url_schemes)
        content._content = story.html
        if story.removed:
            parts.append(("the story", story.removed))
    for key in content.settings.get("FORMATTED_FIELDS", ()):
        value = content.metadata.get(key)
        if not isinstance(value, str):
            continue
        field = sanitise(value, config.embed_hosts, config.url_schemes)
        content.metadata[key] = field.html
        if key == "summary":
            content._summary = field.html  # what Pelican writes back into metadata when it resolves links
        else:
            setattr(content, key.lower(), field.html)
        if field.removed:
            parts.append((f"the {key.capitalize()}", field.removed))
    if parts:
        logger.warning("%s: %s: removed %s (not allowed on the site)", PLUGIN, display_path(content.source_path), describe(parts))


def register():
    # initialized: check the settings once, before anything is read, so a bad value stops the build early.
    signals.initialized.connect(check_settings)
    # content_object_init: sent as each Article and Page is made from what the reader read, before any
    # generator, plugin or template can read its content or summary.
    signals.content_object_init.connect(sanitise_content)

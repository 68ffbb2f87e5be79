"""Sanitises every article's and page's HTML with nh3 against the site's allowlist: no scripts, no event
handlers, no javascript: links, iframes only from the configured embed hosts. ``plain_tokens`` reads the
plain form of HTML the sanitiser writes, for other plugins' fast paths (plain_html.py)."""

from .newsroom_sanitise import register
from .plain_html import Token, plain_tokens, unescape_plain

__all__ = ["Token", "plain_tokens", "register", "unescape_plain"]

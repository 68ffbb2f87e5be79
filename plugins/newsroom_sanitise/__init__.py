"""Sanitises every article's and page's HTML with nh3 against the site's allowlist: no scripts, no event
handlers, no javascript: links, iframes only from the configured embed hosts."""

from .newsroom_sanitise import register

__all__ = ["register"]

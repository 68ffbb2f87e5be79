"""The browser editor at /admin/ (Decap CMS), configured from the site's content model."""

from .newsroom_editor import register

__all__ = ["register"]

"""What the news theme needs computed at build time: opening capitals, related stories, section neighbours."""

from .newsroom_theme import register

__all__ = ["register"]

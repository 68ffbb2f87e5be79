"""The newsroom feed plugin: RSS, Atom and JSON Feed for the paper, desks, sections, authors and tags."""

from .newsroom_feeds import register

__all__ = ["register"]

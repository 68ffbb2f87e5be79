"""Metadata for sharing and search engines, sitemaps and robots.txt (site search is newsroom_search)."""

from .newsroom_discovery import register

__all__ = ["register"]

"""Metadata for sharing and search engines, sitemaps, robots.txt and Pagefind site search."""

from .newsroom_discovery import register

__all__ = ["register"]

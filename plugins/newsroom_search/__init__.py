"""Site search with Pagefind: each published article's search record, one index per section, refreshed only
where records changed, for the search page (/search/)."""

from .newsroom_search import register

__all__ = ["register"]

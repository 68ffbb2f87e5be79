"""Old URLs that keep working: a redirect page at each, and the same redirects for Netlify, Cloudflare and nginx."""

from .newsroom_redirects import register

__all__ = ["register"]

"""Fingerprinted theme assets (the `asset` filter) and precompressed .gz/.br copies of the finished site."""

from .newsroom_assets import register

__all__ = ["register"]

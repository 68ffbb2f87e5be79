"""Build-time responsive images for the newsroom: resized copies, WebP, srcset and lazy inline images."""

from .newsroom_images import register

__all__ = ["register"]

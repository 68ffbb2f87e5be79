"""Share cards: a 1200x630 picture (masthead, section, headline) for every article that has no picture of its
own, drawn with Pillow in the theme's fonts and colours, for Open Graph, Twitter and JSON-LD."""

from .newsroom_cards import register

__all__ = ["register"]

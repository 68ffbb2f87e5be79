"""The newsroom's content model for Pelican: sections and desks, validation, scheduling, data files."""

from .build import NewsroomPelican
from .newsroom_content import register

__all__ = ["NewsroomPelican", "register"]

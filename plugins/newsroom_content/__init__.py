"""The newsroom's content model for Pelican: sections and desks, scheduling, data files, and the build that checks
the content first (the checks themselves are newsroom_checks)."""

from .build import NewsroomPelican
from .newsroom_content import register

__all__ = ["NewsroomPelican", "register"]

from .newsroom_live import register  # noqa: F401

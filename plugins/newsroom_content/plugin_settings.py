"""What every newsroom plugin's settings module shares: prefixed defaults, the check for misspelt names, the
common validators and one error type whose messages start with the plugin's name.

A plugin's settings.py keeps its own DEFAULTS and rules in a PluginSettings subclass::

    class AssetsSettings(PluginSettings):
        plugin, defaults, error = "newsroom_assets", DEFAULTS, AssetsSettingsError

        def check(self) -> Config:
            return Config(precompress=self.true_or_false("NEWSROOM_ASSETS_PRECOMPRESS"), ...)

    load_config = AssetsSettings.load

``load`` checks a site's settings once and returns the plugin's frozen config; the plugin keeps that under
``config_key`` in Pelican's settings, and ``cached`` hands it back instead of checking again.
"""

from __future__ import annotations

import difflib
import os
from typing import NoReturn


class NewsroomSettingsError(Exception):
    """The site's NEWSROOM_* settings are unusable; the message says which and how to fix it. `make html`
    prints it as one line instead of a traceback."""


def unknown_settings(settings: dict, prefix: str, known) -> list[tuple[str, str]]:
    """(name, fix) for every setting with the plugin's prefix that the plugin does not know: a misspelt
    setting would otherwise be ignored without a word."""
    known = sorted(known)
    found = []
    for name in sorted(k for k in settings if k.startswith(prefix) and k not in known):
        close = difflib.get_close_matches(name, known, n=1)
        found.append((name, f"did you mean {close[0]}?" if close else "use one of " + ", ".join(known) + "."))
    return found


def is_whole_number(value, low: int | None = None, high: int | None = None) -> bool:
    """An int within [low, high]; True and False are ints to Python but never a count to an editor."""
    return (isinstance(value, int) and not isinstance(value, bool)
            and (low is None or value >= low) and (high is None or value <= high))


class PluginSettings:
    """One site's settings as one plugin sees them. Subclasses set ``plugin``, ``defaults`` and ``error``
    and write ``check``, which returns the plugin's config or raises through ``fail``."""

    plugin: str = ""
    defaults: dict = {}
    error: type[NewsroomSettingsError] = NewsroomSettingsError
    # Whether the plugin keeps its checked config in Pelican's settings, under config_key.
    keeps_config = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The prefix is the plugin's name in capitals, so a setting says which plugin reads it.
        if "prefix" not in cls.__dict__:
            cls.prefix = cls.plugin.upper() + "_"
        cls.config_key = cls.prefix + "CONFIG" if cls.keeps_config else None

    def __init__(self, settings: dict):
        self.settings = settings

    def __getitem__(self, name: str):
        """The site's value of one of the plugin's settings, or its default."""
        return self.settings.get(name, self.defaults[name])

    # --- checking ------------------------------------------------------------------------------------------

    @classmethod
    def load(cls, settings: dict):
        """Check the settings and return the plugin's config, or raise ``error``."""
        checker = cls(settings)
        checker.check_unknown()
        return checker.check()

    @classmethod
    def cached(cls, settings: dict):
        """The config a plugin that ``keeps_config`` has in ``settings``, checked now and kept there if it is
        not there yet: content made outside a Pelican run (a test, another tool) has not been through the
        plugin's start-up check."""
        config = settings.get(cls.config_key)
        if config is None:
            config = settings[cls.config_key] = cls.load(settings)
        return config

    def check(self):
        raise NotImplementedError

    def unknown(self) -> list[tuple[str, str]]:
        known = set(self.defaults) | ({self.config_key} if self.config_key else set())
        return unknown_settings(self.settings, self.prefix, known)

    def check_unknown(self) -> None:
        for name, fix in self.unknown():
            self.fail(name, "is not a setting of this plugin", fix)

    def refusal(self, *lines: str) -> NewsroomSettingsError:
        """The error to raise, every line starting with the plugin's name so a log or terminal shows whose it is."""
        return self.error("\n".join(f"{self.plugin}: {line}" for line in lines))

    def fail(self, name: str, problem: str, fix: str) -> NoReturn:
        raise self.refusal(f"{name} in pelicanconf.py {problem}. Fix: {fix}")

    # --- validators: each returns the value, or fails saying what it is and the fix ---------------------------

    def true_or_false(self, name: str) -> bool:
        value = self[name]
        if not isinstance(value, bool):
            self.fail(name, f"is {value!r}", "write True or False.")
        return value

    def whole_number(self, name: str, fix: str, low: int | None = 0, high: int | None = None) -> int:
        value = self[name]
        if not is_whole_number(value, low, high):
            self.fail(name, f"is {value!r}", fix)
        return value

    def folder_in_output(self, name: str, example: str) -> str:
        """A folder inside the site's output, given relative to it: returned with forward slashes and no
        slash at either end; an absolute path, an empty one or one with "." or ".." parts fails."""
        value = self[name]
        parts = value.replace("\\", "/").strip("/").split("/") if isinstance(value, str) else []
        if (not isinstance(value, str) or os.path.isabs(value) or not value.strip("/")
                or any(p in ("", ".", "..") for p in parts)):
            self.fail(name, f"is {value!r}", f'give a folder inside the output, e.g. "{example}".')
        return "/".join(parts)

    def text(self, name: str, fix: str, required: bool = False) -> str:
        """A str; with ``required``, one that is more than white space."""
        value = self[name]
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(name, f"is {value!r}", fix)
        return value

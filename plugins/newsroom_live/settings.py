"""The NEWSROOM_LIVE_* settings: their defaults, and the rules ``load_config`` checks when Pelican starts."""

from __future__ import annotations

from dataclasses import dataclass

from newsroom_content.plugin_settings import NewsroomSettingsError, PluginSettings

PLUGIN = "newsroom_live"

DEFAULTS = {
    # How often an open live page asks for new updates (its updates.json), in seconds, while the tab is
    # visible; hidden, it waits until the reader comes back. 30 to 300.
    "NEWSROOM_LIVE_POLL_SECONDS": 45,
}


class LiveSettingsError(NewsroomSettingsError):
    """The NEWSROOM_LIVE_* settings are unusable (one line naming the setting and the fix)."""


@dataclass(frozen=True)
class Config:
    poll_seconds: int


class LiveSettings(PluginSettings):
    plugin, defaults, error = PLUGIN, DEFAULTS, LiveSettingsError

    def check(self) -> Config:
        return Config(self.whole_number("NEWSROOM_LIVE_POLL_SECONDS", "write a whole number of seconds from 30 to 300.", 30, 300))


load_config = LiveSettings.load
CONFIG_KEY = LiveSettings.config_key

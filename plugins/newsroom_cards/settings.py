"""The NEWSROOM_CARDS settings: their defaults, and the rules ``load_config`` checks when Pelican starts.

An unusable value raises CardsSettingsError, which names the setting and the fix (see plugin_settings.py).
What a card looks like is not a setting: its colours, faces and line height are the theme's
(theme/static/css/tokens.css, read by style.py), its layout is draw.py's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from newsroom_content.plugin_settings import NewsroomSettingsError, PluginSettings
from PIL import features

PLUGIN = "newsroom_cards"

DEFAULTS = {
    # Draw a share card for every article without a picture of its own. False shares such articles with
    # the paper's logo (NEWSROOM_DISCOVERY_LOGO), as before cards, and needs no fonts.
    "NEWSROOM_CARDS": True,
    # Folder inside the site's output that gets the cards, each named <slug>-<hash>.png.
    "NEWSROOM_CARDS_OUTPUT_DIR": "images/cards",
    # The picture beside the paper's name in the card's masthead, a path under PATH (content/); "" for none.
    "NEWSROOM_CARDS_LOGO": "images/logo.png",
    # Folder that keeps every card drawn, by the name that covers all it shows (so it never goes stale):
    # a rebuild after any settings or code change links cards from here instead of drawing them again.
    # None: "cards" under CACHE_PATH while the caches are on (CACHE_CONTENT), else no folder.
    "NEWSROOM_CARDS_CACHE": None,
}


class CardsSettingsError(NewsroomSettingsError):
    """The NEWSROOM_CARDS settings (or the theme files cards are drawn from) are unusable. A
    NewsroomSettingsError, so `make html` prints the message as one line instead of a traceback."""


@dataclass(frozen=True)
class Config:
    enabled: bool
    output_dir: str  # relative to the output folder, with forward slashes
    logo: str  # absolute path, or "" for none
    theme: str  # the theme folder, whose tokens.css and fonts the cards use
    cache: str | None = None  # absolute folder of drawn cards kept between builds, or None


class CardsSettings(PluginSettings):
    plugin, defaults, error = PLUGIN, DEFAULTS, CardsSettingsError

    def check(self) -> Config:
        enabled = self.true_or_false("NEWSROOM_CARDS")

        output_dir = self.folder_in_output("NEWSROOM_CARDS_OUTPUT_DIR", "images/cards")

        name = "NEWSROOM_CARDS_LOGO"
        logo = self.text(name, 'give a picture\'s path under the content folder, e.g. "images/logo.png", or "".').strip()
        if logo:
            if os.path.isabs(logo) or ".." in logo.replace("\\", "/").split("/"):
                self.fail(name, f"is {logo!r}", 'give a path under the content folder, e.g. "images/logo.png".')
            logo = os.path.abspath(os.path.join(self.settings.get("PATH") or "content", logo))
            if enabled and not os.path.isfile(logo):
                self.fail(name, f"names {logo}, which does not exist", 'put the logo there, or give "" for none.')

        if enabled and not features.check("raqm"):
            # Without libraqm, Pillow lays Arabic out letter by letter, unjoined and left to right.
            raise self.refusal("Pillow was built without libraqm, which share cards need to set Arabic right to "
                               "left. Fix: install Pillow's own wheel (pip install --force-reinstall Pillow), "
                               "or set NEWSROOM_CARDS = False in pelicanconf.py.")

        name = "NEWSROOM_CARDS_CACHE"
        cache = self[name]
        if cache is None:
            # Read at start-up, before the engine points CACHE_PATH at its per-settings folder.
            cache = os.path.join(self.settings["CACHE_PATH"], "cards") if self.settings.get("CACHE_CONTENT") else None
        elif not isinstance(cache, str) or not cache.strip():
            self.fail(name, f"is {cache!r}", 'give a folder, e.g. "cache/cards", or None for one under CACHE_PATH.')
        return Config(enabled=enabled, output_dir=output_dir, logo=logo,
                      theme=os.path.abspath(self.settings.get("THEME") or "theme"),
                      cache=os.path.abspath(cache) if cache else None)


# Where the plugin keeps the checked Config in Pelican's settings; not something to set by hand.
CONFIG_KEY = CardsSettings.config_key
load_config = CardsSettings.load

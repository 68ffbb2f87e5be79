"""The NEWSROOM_SEARCH settings: their defaults, and the rules ``load_config`` checks when Pelican starts,
which include Pelican's ARTICLE_SAVE_AS (search is split by section) and SITEURL (where results link to).

An unusable value raises SearchSettingsError, which names the setting and the fix (see plugin_settings.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from newsroom_content.plugin_settings import NewsroomSettingsError, PluginSettings

PLUGIN = "newsroom_search"

DEFAULTS = {
    # Index the site with Pagefind at the end of every build, so /search/ works. Builds that do not need
    # search (most tests) may turn it off; the search page then only points readers to the archive.
    "NEWSROOM_SEARCH": True,
    # Seconds Pagefind may take before the build gives up on it (it takes well under a second for the
    # sample paper; an archive of 10,000 articles takes seconds, not minutes).
    "NEWSROOM_SEARCH_TIMEOUT": 300,
    # Pagefind runs (one per section) going at once. Each run's memory grows with its section's words,
    # so two at once use both cores of a small machine and keep the peak well within its memory (the
    # README has the figures); 1 runs them in turn.
    "NEWSROOM_SEARCH_WORKERS": 2,
}


@dataclass(frozen=True)
class Config:
    enabled: bool
    timeout: int
    # The path part of SITEURL with a trailing slash ("/" for a site at the root of its host): where the
    # search page's results link to.
    base_path: str
    # Pelican's ARTICLE_SAVE_AS: each section's articles are the pages it names with that section's slug
    # in {category}, indexed into the section's own search shard (search_shards.py).
    article_save_as: str = "{category}/{slug}/index.html"
    workers: int = 1


def base_path(siteurl: str) -> str:
    path = urlsplit(siteurl or "").path.strip("/")
    return f"/{path}/" if path else "/"


class SearchSettingsError(NewsroomSettingsError):
    """The NEWSROOM_SEARCH settings are unusable. A NewsroomSettingsError, so `make html` prints the
    message as one line instead of a traceback."""


class SearchSettings(PluginSettings):
    plugin, defaults, error = PLUGIN, DEFAULTS, SearchSettingsError

    def check(self) -> Config:
        enabled = self.true_or_false("NEWSROOM_SEARCH")
        timeout = self.whole_number("NEWSROOM_SEARCH_TIMEOUT", "give a whole number of seconds, e.g. 300.", low=1)
        workers = self.whole_number(
            "NEWSROOM_SEARCH_WORKERS", "give how many Pagefind runs may go at once: 1 or more, e.g. 2.", low=1)
        save_as = self.settings.get("ARTICLE_SAVE_AS", "{category}/{slug}/index.html")
        if enabled:
            self.check_article_save_as(save_as)
        return Config(enabled=enabled, timeout=timeout, base_path=base_path(self.settings.get("SITEURL") or ""),
                      article_save_as=save_as, workers=workers)

    def check_article_save_as(self, save_as) -> str:
        """Search is split by section (search_shards.py), so every article must be written under a path that
        names its section as a whole folder, which is what {category} gives."""
        if not isinstance(save_as, str) or "{category}" not in save_as.split("/") or ".." in save_as.split("/"):
            self.fail("ARTICLE_SAVE_AS", f"is {save_as!r}, which has no folder named by {{category}}",
                      'keep the section as a folder of its own, e.g. "{category}/{slug}/index.html", or turn '
                      "NEWSROOM_SEARCH off (search indexes each section's articles on its own).")
        return save_as


# Where the plugin keeps the checked Config in Pelican's settings (and so in every template's context).
CONFIG_KEY = SearchSettings.config_key
load_config = SearchSettings.load

"""The NEWSROOM_SANITISE_* settings: their defaults, and the rules ``load_config`` checks when Pelican
starts, which refuse any URL scheme that could run code in a reader's browser.

An unusable value raises SanitiseSettingsError, which names the setting and the fix (see plugin_settings.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsroom_content.plugin_settings import NewsroomSettingsError, PluginSettings

PLUGIN = "newsroom_sanitise"

DEFAULTS = {
    # Hosts whose <iframe> embeds a story may carry, exactly as in the embed's https:// address (no
    # subdomains implied). Every other iframe is removed. The defaults send no tracking cookies (YouTube's
    # nocookie domain) or none at all.
    "NEWSROOM_SANITISE_EMBED_HOSTS": ("www.youtube-nocookie.com", "player.vimeo.com", "www.openstreetmap.org"),
    # URL schemes links and pictures may use; relative URLs (/support-us/, {static}/images/x.png) are
    # always allowed. Schemes that run code in the reader's browser are refused (see NEVER_SCHEMES).
    "NEWSROOM_SANITISE_URL_SCHEMES": ("http", "https", "mailto"),
}

NEVER_SCHEMES = frozenset({"javascript", "vbscript", "data", "file", "blob", "filesystem"})
HOST_RE = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")
SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*$")


class SanitiseSettingsError(NewsroomSettingsError):
    """The NEWSROOM_SANITISE_* settings are unusable. A NewsroomSettingsError, so `make html` prints the
    message as one line instead of a traceback."""


@dataclass(frozen=True)
class Config:
    embed_hosts: frozenset[str]
    url_schemes: frozenset[str]


def _strings(value) -> list[str] | None:
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
        return None
    if not all(isinstance(v, str) for v in value):
        return None
    return [v.strip().lower() for v in value]


class SanitiseSettings(PluginSettings):
    plugin, defaults, error = PLUGIN, DEFAULTS, SanitiseSettingsError

    def check(self) -> Config:
        name = "NEWSROOM_SANITISE_EMBED_HOSTS"
        hosts = _strings(self[name])
        example = '("www.youtube-nocookie.com", "player.vimeo.com")'
        if hosts is None:
            self.fail(name, f"is {self[name]!r}", f"give a list of host names, e.g. {example}, or () for no embeds.")
        for host in hosts:
            if not HOST_RE.match(host):
                self.fail(name, f"has {host!r}, which is not a host name",
                          f"write the host alone, without https:// or a path, e.g. {example}.")

        name = "NEWSROOM_SANITISE_URL_SCHEMES"
        schemes = _strings(self[name])
        if not schemes:
            self.fail(name, f"is {self[name]!r}", 'give a list of URL schemes, e.g. ("http", "https", "mailto").')
        for scheme in schemes:
            scheme = scheme.rstrip(":")
            if not SCHEME_RE.match(scheme):
                self.fail(name, f"has {scheme!r}, which is not a URL scheme", 'write schemes without "://", e.g. "https".')
            if scheme in NEVER_SCHEMES:
                self.fail(name, f"has {scheme!r}, which can run code or smuggle files into a reader's browser",
                          f"remove {scheme!r}.")

        return Config(embed_hosts=frozenset(hosts), url_schemes=frozenset(s.rstrip(":") for s in schemes))


# Where the plugin keeps the checked Config in Pelican's settings; not something to set by hand.
CONFIG_KEY = SanitiseSettings.config_key
load_config = SanitiseSettings.load

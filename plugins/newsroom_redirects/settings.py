"""The NEWSROOM_REDIRECTS_* settings: their defaults, and the rules ``load_config`` checks when Pelican starts.

An unusable value raises RedirectsSettingsError, which names the setting and the fix (see plugin_settings.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsroom_content.plugin_settings import NewsroomSettingsError, PluginSettings

PLUGIN = "newsroom_redirects"

DEFAULTS = {
    # Write an HTML page at every old URL (a canonical link and an immediate refresh to the new URL, kept
    # out of search engines, with a link for readers whose browser does not follow the refresh). Every host
    # can serve it, GitHub Pages and a plain bucket included.
    "NEWSROOM_REDIRECTS_PAGES": True,
    # The file Netlify and Cloudflare Pages read their redirects from, at the site's root; "" leaves it out.
    "NEWSROOM_REDIRECTS_NETLIFY_FILE": "_redirects",
    # A file of nginx `map` lines, at the site's root, that content/extra/nginx.conf includes (so nginx
    # answers an old URL with a real redirect); "" leaves it out (then remove the include from nginx.conf).
    "NEWSROOM_REDIRECTS_NGINX_FILE": "_redirects.map",
    # The HTTP status of the servers' redirects: 301 (moved permanently) or 308 (the same, keeping the method).
    "NEWSROOM_REDIRECTS_STATUS": 301,
}

STATUSES = (301, 308)
# A file at the site's root: a plain name, no folder, nothing a shell or server would read differently.
FILE_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


class RedirectsSettingsError(NewsroomSettingsError):
    """The NEWSROOM_REDIRECTS_* settings are unusable. A NewsroomSettingsError, so `make html` prints the
    message as one line instead of a traceback."""


@dataclass(frozen=True)
class Config:
    pages: bool
    netlify_file: str  # "" when left out
    nginx_file: str  # "" when left out
    status: int


class RedirectsSettings(PluginSettings):
    plugin, defaults, error = PLUGIN, DEFAULTS, RedirectsSettingsError

    def check(self) -> Config:
        files = {}
        for name in ("NEWSROOM_REDIRECTS_NETLIFY_FILE", "NEWSROOM_REDIRECTS_NGINX_FILE"):
            value = self.text(name, 'give a file name for the site\'s root, e.g. "_redirects", or "" to leave it out.')
            if value and not FILE_NAME_RE.match(value):
                self.fail(name, f"is {value!r}", 'give a plain file name for the site\'s root (no folder), or "".')
            files[name] = value
        if files["NEWSROOM_REDIRECTS_NETLIFY_FILE"] and files["NEWSROOM_REDIRECTS_NETLIFY_FILE"] == files["NEWSROOM_REDIRECTS_NGINX_FILE"]:
            self.fail("NEWSROOM_REDIRECTS_NGINX_FILE", "names the same file as NEWSROOM_REDIRECTS_NETLIFY_FILE",
                      "give the two files different names.")
        status = self["NEWSROOM_REDIRECTS_STATUS"]
        if status not in STATUSES or isinstance(status, bool):
            self.fail("NEWSROOM_REDIRECTS_STATUS", f"is {status!r}", "write 301 or 308 (both say the move is permanent).")
        return Config(pages=self.true_or_false("NEWSROOM_REDIRECTS_PAGES"),
                      netlify_file=files["NEWSROOM_REDIRECTS_NETLIFY_FILE"],
                      nginx_file=files["NEWSROOM_REDIRECTS_NGINX_FILE"], status=status)


# Where the plugin keeps the checked Config in Pelican's settings; not something to set by hand.
CONFIG_KEY = RedirectsSettings.config_key
load_config = RedirectsSettings.load

"""The NEWSROOM_EDITOR_* settings: their defaults, and the rules ``load_config`` checks when Pelican starts.

An unusable value raises EditorSettingsError, which names the setting and the fix (see plugin_settings.py).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsroom_content.plugin_settings import NewsroomSettingsError, PluginSettings

PLUGIN = "newsroom_editor"

DEFAULTS = {
    # Publish the browser editor at /admin/ (Decap CMS, from plugins/newsroom_editor/node_modules).
    "NEWSROOM_EDITOR": True,
    # Where the editor reads and commits in production: Decap's `backend` (https://decapcms.org/docs/backends-overview/).
    # name: github, gitlab, gitea or forgejo (with repo "owner/name" and branch; gitea and forgejo also
    # need api_root, "https://git.example.org/api/v1"), or git-gateway, or test-repo (a
    # demonstration backend that keeps everything in the browser's memory). Other Decap backend keys
    # (base_url, api_root, auth_endpoint, app_id, auth_type...) are passed on as they are.
    "NEWSROOM_EDITOR_BACKEND": {"name": "github", "repo": "commonledger/paper", "branch": "main"},
    # The editorial workflow (draft -> in review -> ready, each story a pull or merge request) where the
    # backend has one (github, gitlab, forgejo); False saves straight to the branch.
    "NEWSROOM_EDITOR_EDITORIAL_WORKFLOW": True,
    # The address of decap-server, the local git backend ("http://127.0.0.1:8081/api/v1"), for a build
    # edited on this machine (`make edit`); None in production. When set, the editor saves into the local
    # checkout through it (and commits there), and /admin/'s Content-Security-Policy lets it connect there.
    "NEWSROOM_EDITOR_LOCAL_BACKEND": None,
    # Uploads: the largest picture in bytes, and the file name endings accepted. `make check` refuses a
    # picture in content/images/ over the size, or of another type, with the same numbers.
    "NEWSROOM_EDITOR_MAX_UPLOAD_BYTES": 5_000_000,
    "NEWSROOM_EDITOR_UPLOAD_TYPES": (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"),
    # The theme's stylesheets the preview pane uses, as the templates name them for the `asset` filter.
    "NEWSROOM_EDITOR_PREVIEW_STYLES": ("css/fonts.css", "css/tokens.css", "css/main.css"),
    # The node_modules folder holding decap-cms: `make install` runs npm ci beside this plugin's package.json.
    "NEWSROOM_EDITOR_NODE_MODULES": os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_modules"),
}

BACKENDS = ("github", "gitlab", "gitea", "forgejo", "git-gateway", "test-repo")
REPO_BACKENDS = ("github", "gitlab", "gitea", "forgejo")
# Decap's editorial workflow: GitHub, GitLab, Forgejo (decap-cms-backend-forgejo keeps unpublished entries
# as pull requests; Gitea's backend has none).
WORKFLOW_BACKENDS = ("github", "gitlab", "forgejo")
SELF_HOSTED_BACKENDS = ("gitea", "forgejo")  # no public instance to default to: api_root is required
REPO_RE = re.compile(r"^[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+$")


class EditorSettingsError(NewsroomSettingsError):
    """The NEWSROOM_EDITOR_* settings are unusable. A NewsroomSettingsError, so `make html` prints the
    message as one line instead of a traceback."""


@dataclass(frozen=True)
class Config:
    enabled: bool
    backend: dict
    editorial_workflow: bool  # the backend has it and it is asked for, and no local backend is set
    local_backend: str | None
    max_upload_bytes: int
    upload_types: tuple[str, ...]
    preview_styles: tuple[str, ...]
    node_modules: str


class EditorSettings(PluginSettings):
    plugin, defaults, error = PLUGIN, DEFAULTS, EditorSettingsError

    def check(self) -> Config:
        enabled = self.true_or_false("NEWSROOM_EDITOR")
        backend = self["NEWSROOM_EDITOR_BACKEND"]
        name = "NEWSROOM_EDITOR_BACKEND"
        example = '{"name": "github", "repo": "owner/paper", "branch": "main"}'
        if not isinstance(backend, dict) or not all(isinstance(k, str) for k in backend):
            self.fail(name, f"is {backend!r}", f"give a dict such as {example}.")
        if backend.get("name") not in BACKENDS:
            self.fail(name, f"has the name {backend.get('name')!r}", "use one of: " + ", ".join(BACKENDS) + ".")
        if backend["name"] in REPO_BACKENDS:
            repo = backend.get("repo")
            if not isinstance(repo, str) or not REPO_RE.match(repo):
                self.fail(name, f"has the repo {repo!r}", f'give the repository as "owner/name", e.g. {example}.')
        if backend["name"] in SELF_HOSTED_BACKENDS and not backend.get("api_root"):
            self.fail(name, f"has no api_root for {backend['name']}",
                      'give the instance\'s API address, e.g. "api_root": "https://git.example.org/api/v1" (and its '
                      '"base_url" for the login).')
        for key, value in backend.items():
            if not isinstance(value, (str, int, bool)) or isinstance(value, str) and ("\n" in value or not value.strip()):
                self.fail(name, f"has {key}: {value!r}", "give each value as one line of text (or a number, True or False).")
            if key in ("base_url", "api_root") and urlsplit(str(value)).scheme not in ("https", "http"):
                self.fail(name, f"has {key}: {value!r}", "give the address in full, e.g. https://gitea.example.org.")
        local = self["NEWSROOM_EDITOR_LOCAL_BACKEND"]
        if local is not None:
            parts = urlsplit(local) if isinstance(local, str) else None
            if not parts or parts.scheme not in ("http", "https") or not parts.hostname:
                self.fail("NEWSROOM_EDITOR_LOCAL_BACKEND", f"is {local!r}",
                          'give decap-server\'s address, e.g. "http://127.0.0.1:8081/api/v1", or None.')
        workflow = self.true_or_false("NEWSROOM_EDITOR_EDITORIAL_WORKFLOW")
        size = self.whole_number("NEWSROOM_EDITOR_MAX_UPLOAD_BYTES", "give the largest picture in bytes, e.g. 5_000_000.", low=1)
        types = self._endings("NEWSROOM_EDITOR_UPLOAD_TYPES", '(".jpg", ".png", ".webp")')
        styles = self["NEWSROOM_EDITOR_PREVIEW_STYLES"]
        if isinstance(styles, str) or not isinstance(styles, (list, tuple)) or not all(
                isinstance(s, str) and s.endswith(".css") and not s.startswith(("/", "http")) for s in styles):
            self.fail("NEWSROOM_EDITOR_PREVIEW_STYLES", f"is {styles!r}",
                      'list the theme\'s stylesheets as templates name them, e.g. ("css/tokens.css", "css/main.css").')
        folder = self.text("NEWSROOM_EDITOR_NODE_MODULES", "give the node_modules folder that holds decap-cms.", required=True)
        return Config(enabled, dict(backend), workflow and backend["name"] in WORKFLOW_BACKENDS and local is None,
                      local, size, types, tuple(styles), folder)

    def _endings(self, name: str, example: str) -> tuple[str, ...]:
        value = self[name]
        if isinstance(value, str) or not isinstance(value, (list, tuple)) or not value or not all(
                isinstance(t, str) and re.fullmatch(r"\.[a-z0-9]+", t) for t in value):
            self.fail(name, f"is {value!r}", f"list lower-case file name endings, e.g. {example}.")
        return tuple(value)


# Where the plugin keeps the checked Config in Pelican's settings; not something to set by hand.
CONFIG_KEY = EditorSettings.config_key
load_config = EditorSettings.load
cached_config = EditorSettings.cached

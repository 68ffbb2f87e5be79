"""The browser editor at /admin/: Decap CMS, configured from the site's own content model.

Every build writes into admin/ of the output:

* index.html: our page (its own Content-Security-Policy), loading the scripts below;
* config.yml: Decap's configuration, made by model.editor_config from the validator's key tables, the
  desks and sections and authors.yml (never written by hand);
* newsroom-model.js: what our scripts need from the build (the metadata keys, upload limits, the theme's
  fingerprinted stylesheets for the preview, asked of the `asset` filter);
* newsroom-formats.js, newsroom-admin.js, newsroom-preview.css (static/): the file formats, the checks
  before a save, the Picture button and the preview;
* decap-cms.js and its chunks, hard-linked from node_modules (installed by `make install` with npm ci),
  so a rebuild costs no copying. Without node_modules the site builds without /admin/ and says so once.

Settings and their defaults are in settings.py.
"""

from __future__ import annotations

import dataclasses
import glob
import json
import logging
import os
import subprocess

import jinja2
import yaml
from newsroom_content.data_files import load_authors
from newsroom_content.settings import build_desks, setting
from newsroom_content.urls import site_url
from newsroom_engine.api import link_or_copy
from pelican import signals

from .model import SectionInfo, editor_config, editor_model
from .settings import CONFIG_KEY, PLUGIN, load_config

logger = logging.getLogger(__name__)

HERE = os.path.dirname(os.path.abspath(__file__))
STATIC = os.path.join(HERE, "static")
ADMIN = "admin"
OUR_FILES = ("newsroom-formats.js", "newsroom-admin.js", "newsroom-preview.css")
DECAP_FILES = ("*decap-cms.js", "decap-cms.js.LICENSE.txt")

# Where each CSP source of a production backend is: the API the editor talks to from the browser.
BACKEND_HOSTS = {"github": "https://api.github.com", "gitlab": "https://gitlab.com"}

_said_missing: set[str] = set()
_styles: dict[str, list[str]] = {}  # the preview's stylesheets, by output folder


def repository_root(settings: dict) -> str:
    """The folder holding the content folder (PATH): where the editor's paths start."""
    return os.path.dirname(os.path.abspath(settings["PATH"]))


def decap_dist(settings: dict, config) -> str | None:
    folder = os.path.join(config.node_modules, "decap-cms", "dist")
    return folder if os.path.isfile(os.path.join(folder, "decap-cms.js")) else None


def connect_sources(config) -> list[str]:
    """connect-src beyond 'self': the production backend's API, and the local backend when it is set."""
    sources = []
    backend = config.backend
    api_root = backend.get("api_root") or BACKEND_HOSTS.get(backend["name"])
    if api_root:
        sources.append(_origin(str(api_root)))
    if config.local_backend:
        sources.append(_origin(config.local_backend))
    return list(dict.fromkeys(sources))


def _origin(url: str) -> str:
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def admin_csp(config) -> str:
    """The Content-Security-Policy of /admin/, as measured in Chromium (tests/browser/test_admin.py loads the
    editor under it and fails on any violation): Decap validates its configuration with ajv, which compiles
    schemas with `new Function` ('unsafe-eval'); it styles itself with styles injected at run time (emotion:
    'unsafe-inline' for styles only); it shows pictures and keeps local draft backups as blob: URLs. No other
    host than the backend's API (and the local backend when it is set) is reachable."""
    connect = " ".join(["'self'", "blob:"] + connect_sources(config))
    return ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' blob:; font-src 'self'; connect-src {connect}; object-src 'none'; base-uri 'self'; "
            "form-action 'self'")


def content_paths(settings: dict) -> dict:
    root = repository_root(settings)
    content = os.path.relpath(os.path.abspath(settings["PATH"]), root).replace(os.sep, "/")
    return {
        "content_folder": content,
        "article_folder": (settings.get("ARTICLE_PATHS") or ["articles"])[0],
        "page_folder": (settings.get("PAGE_PATHS") or ["pages"])[0],
        "data_folder": setting(settings, "NEWSROOM_DATA_PATH"),
    }


def site_sections(settings: dict) -> list[SectionInfo]:
    return [SectionInfo(s.name, s.slug, d.name) for d in build_desks(settings) for s in d.sections]


def checked_out_branch(folder: str) -> str | None:
    """The branch checked out in the git repository holding `folder`, or None (not a repository, no git,
    a detached HEAD)."""
    try:
        done = subprocess.run(["git", "-C", folder, "symbolic-ref", "--quiet", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def build_config(settings: dict, config) -> dict:
    data_dir = os.path.join(settings["PATH"], setting(settings, "NEWSROOM_DATA_PATH"))
    authors, _problems = load_authors(data_dir)  # the content check reports the file's problems
    if config.local_backend:
        # decap-server reads and commits on the branch config.yml names: the one checked out here.
        branch = checked_out_branch(repository_root(settings))
        if branch:
            config = dataclasses.replace(config, backend={**config.backend, "branch": branch})
    return editor_config(
        config=config, sections=site_sections(settings), authors=list(authors),
        default_author=setting(settings, "NEWSROOM_DEFAULT_AUTHOR"), site_url=site_url(settings),
        locale=(settings.get("DEFAULT_LANG") or "en").split("-")[0], **content_paths(settings))


def render_index(settings: dict, config) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(HERE, "templates")), autoescape=True)
    siteurl = settings.get("SITEURL") or ""
    return env.get_template("admin.html").render(
        lang=settings.get("DEFAULT_LANG") or "en", sitename=settings.get("SITENAME") or "", csp=admin_csp(config),
        icon=f"{siteurl}/{settings.get('NEWSROOM_DISCOVERY_LOGO') or 'images/logo.png'}")


def model_script(settings: dict, config, decap_config: dict, styles: list[str]) -> str:
    model = editor_model(config=config)
    model["articleCollections"] = [c["name"] for c in decap_config["collections"] if c["name"].startswith("section-")]
    model["previewStyles"] = styles
    model["previewCss"] = "newsroom-preview.css"
    model["rtlLangs"] = list(setting(settings, "NEWSROOM_RTL_LANGS"))
    return "/* Written by the build (plugins/newsroom_editor): what the editor's scripts need to know. */\n" \
           f"window.NEWSROOM_EDITOR = {json.dumps(model, indent=1, sort_keys=True)};\n"


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """YAML without anchors and aliases: each field's options written out where they apply. PyYAML's
    emitter in C (libyaml) where it was built with it, which writes the same text as the Python one in a
    fraction of the time: the config lists every field of every section and is written on every build."""

    def ignore_aliases(self, data):
        return True


def config_yaml(decap_config: dict) -> str:
    header = "# Written by the build from the site's content model (plugins/newsroom_editor/model.py): do not edit.\n"
    return header + yaml.dump(decap_config, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)


def write_text(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_admin(folder: str, settings: dict, config, styles: list[str]) -> bool:
    """Write /admin/ into the output `folder`; False (and nothing written) when Decap is not installed."""
    dist = decap_dist(settings, config)
    if dist is None:
        return False
    target = os.path.join(folder, ADMIN)
    decap_config = build_config(settings, config)
    write_text(os.path.join(target, "config.yml"), config_yaml(decap_config))
    write_text(os.path.join(target, "index.html"), render_index(settings, config))
    write_text(os.path.join(target, "newsroom-model.js"), model_script(settings, config, decap_config, styles))
    for name in OUR_FILES:
        link_or_copy(os.path.join(STATIC, name), os.path.join(target, name), 0o644)
    for pattern in DECAP_FILES:
        for source in sorted(glob.glob(os.path.join(dist, pattern))):
            link_or_copy(source, os.path.join(target, os.path.basename(source)), 0o644)
    return True


# --- receivers ---------------------------------------------------------------------------------------

def check_settings(pelican) -> None:
    pelican.settings[CONFIG_KEY] = load_config(pelican.settings)


def find_styles(generator) -> None:
    """The preview's stylesheets as the theme's pages link them: asked of the `asset` filter (newsroom_assets),
    which gives the fingerprinted name and publishes the file; the plain theme path without it."""
    config = generator.settings.get(CONFIG_KEY)
    env = getattr(generator, "env", None)
    if config is None or env is None or not config.enabled:
        return
    siteurl = generator.settings.get("SITEURL") or ""
    static_dir = generator.settings.get("THEME_STATIC_DIR", "theme")
    urls = []
    for path in config.preview_styles:
        if "asset" in env.filters:
            name = env.from_string("{{ path|asset }}").render(path=path)
        else:
            name = f"{static_dir}/{path}"
        urls.append(f"{siteurl}/{name}")
    _styles[os.path.abspath(generator.output_path)] = urls


def finish_run(pelican) -> None:
    config = pelican.settings.get(CONFIG_KEY)
    folder = os.path.abspath(pelican.output_path)
    styles = _styles.pop(folder, [])
    if config is None or not config.enabled:
        return
    if not write_admin(folder, pelican.settings, config, styles):
        where = config.node_modules
        if where not in _said_missing:
            _said_missing.add(where)
            logger.warning("%s: the site was built without the editor at /admin/: Decap CMS is not installed in %s. "
                           "Fix: run `make install` (it runs npm ci there; needs npm), or set NEWSROOM_EDITOR = False.",
                           PLUGIN, where)


def register():
    # initialized: check the settings once, before anything is read, so a bad value stops the build early.
    signals.initialized.connect(check_settings)
    # page_generator_finalized: the page generator's Jinja environment has the theme's `asset` filter.
    signals.page_generator_finalized.connect(find_styles)
    # finalized: the site is written into pelican.output_path (the staging folder); /admin/ goes beside it
    # before precompression (the engine's when_written) runs.
    signals.finalized.connect(finish_run)

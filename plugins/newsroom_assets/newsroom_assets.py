"""Assets a server can cache for a year, and precompressed copies of the finished site.

* Templates get the `asset` filter: `{{ SITEURL }}/{{ "css/main.css"|asset }}` gives
  `.../theme/css/main.<hash10>.css`, where the hash is taken from the bytes of `css/main.css` in the theme's
  static folder, minified (comments and spare whitespace out, NEWSROOM_ASSETS_MINIFY) when it is a
  stylesheet or a script. The build writes that copy beside the plain `theme/css/main.css`, which Pelican still
  publishes for anything that links it by name (the feeds' XSLT, old cached pages). A name that changes
  whenever the file changes can be served with `Cache-Control: public, max-age=31536000, immutable`.
  An asset the theme does not have is one logged error starting "newsroom_assets:", which fails the build.
* With NEWSROOM_ASSETS_PRECOMPRESS on (publishconf.py), once everything is written every text file of at
  least NEWSROOM_ASSETS_PRECOMPRESS_MIN_SIZE bytes gets a `.gz` and a `.br` copy beside it
  (precompress.py), byte-identical from one build to the next. A file whose bytes equal the last good
  output's gets that output's copies, hard-linked, instead of being compressed again (reuse.py).

Why not pelican-webassets: it brings in the webassets library to bundle and minify through filters, and
we have a few stylesheets and scripts to name and minify, not to bundle. Why not pelican-precompress: it
compresses the files under OUTPUT_PATH, and our build writes into a staging folder that only becomes
OUTPUT_PATH after the build (newsroom_engine), so it would compress the previous build; it also needs the
pelican-granular-signals plugin to run last, which the engine's `when_written` gives us.

Settings and their defaults are in settings.py.
"""

from __future__ import annotations

import logging
import os

from jinja2 import pass_context
from newsroom_engine import api
from pelican import signals

from .fingerprint import AssetError, AssetRegistry
from .precompress import PrecompressError, precompress_site
from .settings import CONFIG_KEY, PLUGIN, load_config

logger = logging.getLogger(__name__)

# The registry of each build under way, by the folder it writes into: the finalized signal only gives the
# Pelican object, whose output_path is that folder (the staging folder, with NewsroomPelican).
_RUNS: dict[str, AssetRegistry] = {}


def check_settings(pelican) -> None:
    pelican.settings[CONFIG_KEY] = load_config(pelican.settings)


def new_registry(settings: dict) -> AssetRegistry:
    config = settings.get(CONFIG_KEY) or load_config(settings)
    return AssetRegistry(settings["THEME"], settings.get("THEME_STATIC_PATHS", ["static"]),
                         settings.get("THEME_STATIC_DIR", "theme"), minify=config.minify)


# An incremental build does not render the pages whose inputs are unchanged (the engine's page keys), so
# their templates never ask for their assets. What the last build's templates asked for is a record of the
# build's Store (newsroom_engine.api.store), scoped by the state of the theme it was asked of: while the
# theme is the same, the same templates ask for the same files, so each is registered (and hashed afresh)
# at the start of the build. A changed theme changes every page's key, so every page is rendered and asks
# again.
USED_ASSETS, USED_ASSETS_VERSION = "assets-used", 1


def remember_used(registry: AssetRegistry, settings: dict) -> None:
    store = api.store(settings)
    if store is not None:
        store.save(USED_ASSETS, USED_ASSETS_VERSION, sorted(registry.assets), kind="json",
                   scope=api.tree_state(settings["THEME"]))


def register_remembered(registry: AssetRegistry, settings: dict) -> None:
    store = api.store(settings)
    if store is None:
        return
    used = store.load(USED_ASSETS, USED_ASSETS_VERSION, kind="json", scope=api.tree_state(settings["THEME"]))
    for asset in used or []:
        try:
            registry.url(asset)
        except (AssetError, OSError):
            continue  # a page that still asks for it is rendered (the theme changed) and reports it


def start_run(pelican):
    registry = new_registry(pelican.settings)
    register_remembered(registry, pelican.settings)
    _RUNS[os.path.abspath(pelican.output_path)] = registry
    # Precompression must see every file of the site, including the ones other plugins write when they
    # get `finalized` (the sitemaps, Pagefind's index): the engine runs this after all of them.
    if not api.when_written(pelican, lambda _staging: finish_run(pelican)):
        _RUNS.pop(os.path.abspath(pelican.output_path), None)
        logger.error("%s: needs the build engine: set PELICAN_CLASS to newsroom_content.NewsroomPelican", PLUGIN)
    return None  # no generator of our own: get_generators is only the start-of-run hook


def add_asset_filter(generator) -> None:
    if not hasattr(generator, "env"):
        return
    registry = _RUNS.setdefault(os.path.abspath(generator.output_path), new_registry(generator.settings))

    # pass_context: Jinja's compiler otherwise runs a filter on a constant argument ("css/main.css"|asset)
    # once, at compile time, and bakes the answer into the compiled template, which the engine keeps in
    # its bytecode cache between builds: a changed stylesheet would keep its old fingerprinted name.
    @pass_context
    def asset(_context, path):
        try:
            return registry.url(path)
        except (AssetError, OSError) as e:
            # base.html is rendered for every page: report each missing asset once, not once a page.
            if str(path) not in registry.failed:
                registry.failed.add(str(path))
                logger.error("%s: %s. Fix: put the file in the theme's static folder or correct the path in the "
                             "template", PLUGIN, e)
            return registry.plain_url(str(path).lstrip("/"))

    generator.env.filters["asset"] = asset


def finish_run(pelican) -> None:
    folder = os.path.abspath(pelican.output_path)
    registry = _RUNS.pop(folder, None)
    if registry is not None and registry.assets:
        written = registry.write(folder)
        logger.info("%s: wrote %d fingerprinted asset(s): %s", PLUGIN, len(written), ", ".join(written))
    if registry is not None:
        remember_used(registry, pelican.settings)
    config = pelican.settings.get(CONFIG_KEY)
    if config is None or not config.precompress:
        return
    # OUTPUT_PATH still names the last good output: NewsroomPelican only points pelican.output_path at the
    # staging folder beside it. Its copies of unchanged files are reused instead of compressed again.
    previous = os.path.abspath(pelican.settings["OUTPUT_PATH"])
    try:
        report = precompress_site(folder, config.types, config.min_size, config.brotli_quality, config.threads,
                                  previous=previous)
    except (PrecompressError, OSError) as e:
        logger.error("%s: the precompressed copies were not written: %s", PLUGIN, e)
        return
    logger.info("%s: precompressed %s", PLUGIN, report.summary())
    # Folders other plugins fill once the output is in place (the search index, newsroom_search) get
    # their copies then. This runs after every `finalized` receiver, so those tasks are queued after theirs.
    for prefix in api.preserved_output(pelican):
        api.after_publish(pelican, lambda final, prefix=prefix: precompress_published(final, prefix, config))


def precompress_published(final: str, prefix: str, config) -> None:
    folder = os.path.join(final, prefix.rstrip("/"))
    if os.path.isdir(folder):
        report = precompress_site(folder, config.types, config.min_size, config.brotli_quality, config.threads)
        logger.info("%s: precompressed %s/: %s", PLUGIN, prefix.rstrip("/"), report.summary())


def register():
    # initialized: check the settings once, before anything is read, so a bad value stops the build early.
    signals.initialized.connect(check_settings)
    # get_generators: sent at the start of every run (make serve reuses one Pelican for many), so each
    # build hashes the theme's files afresh; the registry's files are written and the site compressed
    # by the engine's when_written, once every plugin's `finalized` receiver has written its files.
    signals.get_generators.connect(start_run)
    # generator_init: every generator's Jinja environment gets the `asset` filter.
    signals.generator_init.connect(add_asset_filter)

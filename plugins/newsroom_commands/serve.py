"""`make serve` (and `make edit`'s preview): build with drafts shown, serve the output, rebuild on every change.

Apart from cli.py so that a build does not import the HTTP server it never starts.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading

from newsroom_commands.cli import EXPECTED_ERRORS, load_settings
from newsroom_content.build import NewsroomPelican


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that closes a connection mid-response is normal; a traceback for it is noise to an editor.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Logs only failed requests, so build messages are not buried under page views."""

    # The browser editor reads /admin/config.yml and says so in the console when it is not served as YAML.
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml", ".yaml": "text/yaml"}

    def log_request(self, code="-", size="-"):
        if str(code).isdigit() and int(code) >= 400:
            super().log_request(code, size)


def watch_changes(settings_path: str, settings: dict):
    """Batches of changed paths, from one watcher that lives as long as the preview.

    Pelican's own wait_for_changes starts a new watcher for every wait, so a file saved while a build
    is running is never noticed; one long-lived watcher keeps those changes for the next batch.
    """
    import watchfiles
    from pelican.utils import FileChangeFilter

    roots = [settings_path, settings["THEME"], settings["PATH"]]
    watched = [os.path.abspath(p) for p in roots if p and os.path.exists(p)]
    changes = watchfiles.watch(*watched, watch_filter=FileChangeFilter(ignore_file_patterns=set(settings.get("IGNORE_FILES", []))))
    for batch in changes:
        yield {path for _, path in batch}


def serve_preview(settings_file: str, bind: str, port: int, overrides: dict | None = None, announce=None) -> int:
    """Build the preview (drafts shown), serve it on bind:port and rebuild on every change until Ctrl-C.

    `overrides` are settings on top of the file's (`make edit` adds the editor's local backend); `announce`,
    if given, is called with the preview's address once, after the first build is being served."""
    settings_path = os.path.abspath(settings_file)
    # PORT and BIND: the address the build gives where it needs an absolute one (feeds, the editor's link to
    # the site) while SITEURL is relative, as it is locally; a wildcard address is reached on 127.0.0.1.
    overrides = {**(overrides or {}), "NEWSROOM_PREVIEW": True, "PORT": port}
    if bind not in ("", "0.0.0.0", "::"):
        overrides["BIND"] = bind
    settings = load_settings(settings_path, **overrides)
    output = os.path.abspath(settings["OUTPUT_PATH"])
    address = f"http://{bind}:{port}/"
    server = None
    pelican = None
    changes = watch_changes(settings_path, settings)
    try:
        while True:
            try:
                if pelican is None:
                    pelican = NewsroomPelican(settings)
                pelican.run()
                print(f"newsroom: preview built: {address} (drafts shown; Ctrl-C to stop)", file=sys.stderr)
            except EXPECTED_ERRORS as e:
                print(f"{e}\nnewsroom: still serving the last good build at {address}", file=sys.stderr)
            except Exception as e:  # a template or plugin bug: keep serving, say what broke
                print(f"newsroom: build failed: {type(e).__name__}: {e}\nnewsroom: still serving the last good build", file=sys.stderr)
            if server is None:
                # Started after the first build, so the first page a browser gets is the site, not an empty folder.
                os.makedirs(output, exist_ok=True)
                server = PreviewServer((bind, port), functools.partial(QuietHandler, directory=output))
                threading.Thread(target=server.serve_forever, daemon=True).start()
                if announce is not None:
                    announce(address)
            try:
                changed = next(changes)
            except (KeyboardInterrupt, StopIteration):
                return 0
            if settings_path in changed:
                settings = load_settings(settings_path, **overrides)
                pelican = None
            print("newsroom: change seen, rebuilding...", file=sys.stderr)
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()

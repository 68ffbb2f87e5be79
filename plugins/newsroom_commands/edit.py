"""`make edit`: the browser editor on this checkout, in one command.

Two servers run side by side until Ctrl-C:

* **decap-server**, Decap CMS's local git backend, from the editor plugin's pinned npm packages
  (plugins/newsroom_editor/node_modules/), in git mode: "Publish" in the browser writes the file into this
  checkout and commits it to the branch that is checked out. It listens on 127.0.0.1 only
  (EDITOR_PORT, 8081 by default), so nobody else on the network can commit through it.
* **the preview** of `make serve` (drafts shown, rebuilt on every change, on PORT, 8000 by default), built
  with NEWSROOM_EDITOR_LOCAL_BACKEND pointing the editor at decap-server, so /admin/ on the preview is the
  editor, and a story published there shows in the preview at the next rebuild.

Ctrl-C (or SIGTERM, or closing the terminal) stops the preview and then decap-server, and waits for it. decap-server also runs in a
session of its own with the kernel told to end it if this process dies without cleaning up (Linux), so no
decap-server is left behind holding the port.

What can go wrong before anything starts (no Node.js, decap-server not installed, a port taken, not a git
checkout, a detached HEAD) is found first, by `preflight`, and reported in one line each with the fix.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EDITOR_PLUGIN = REPO / "plugins" / "newsroom_editor"
DECAP_SERVER = Path("node_modules") / "decap-server" / "dist" / "index.js"  # under EDITOR_PLUGIN
EDITOR_HOST = "127.0.0.1"  # decap-server commits for whoever reaches it: never on another interface
DEFAULT_EDITOR_PORT = 8081
STARTUP_TIMEOUT = 30.0  # seconds decap-server may take to answer before `make edit` gives up
STOP_TIMEOUT = 10.0  # seconds decap-server may take to exit after SIGTERM before it is killed
PREFIX = "newsroom: edit:"


class EditError(Exception):
    """A problem that stops `make edit` before it starts; the message says what to do."""


@dataclass(frozen=True)
class EditPlan:
    repo: Path  # the checkout decap-server commits to
    branch: str  # the branch checked out there, which Publish commits to
    node: str  # the node executable
    server_script: Path  # decap-server's entry point
    bind: str  # the preview's address
    port: int  # the preview's port
    editor_port: int  # decap-server's port

    @property
    def backend_url(self) -> str:
        return backend_url(self.editor_port)

    @property
    def admin_url(self) -> str:
        return admin_url(self.bind, self.port)


# --- pure parts --------------------------------------------------------------------------------------

def backend_url(editor_port: int) -> str:
    """The address the editor in the browser sends its requests to (Decap's `local_backend.url`)."""
    return f"http://{EDITOR_HOST}:{editor_port}/api/v1"


def admin_url(bind: str, port: int) -> str:
    """The editor's address to open in a browser on this machine (a wildcard bind is reached on 127.0.0.1)."""
    host = "127.0.0.1" if bind in ("", "0.0.0.0") else "[::1]" if bind == "::" else f"[{bind}]" if ":" in bind else bind
    return f"http://{host}:{port}/admin/"


def settings_overrides(plan: EditPlan) -> dict:
    """The settings `make edit` builds the preview with, on top of pelicanconf.py's: the editor talks to
    decap-server (and newsroom_editor then names the branch checked out here in config.yml, the branch
    decap-server reads and commits on)."""
    return {"NEWSROOM_EDITOR_LOCAL_BACKEND": plan.backend_url}


def server_environment(environ: dict, plan: EditPlan) -> dict:
    """decap-server's environment: git mode on this checkout, on 127.0.0.1:editor_port.

    ORIGIN and LOG_LEVEL are left to the caller's environment: decap-server's own default admits browsers on
    localhost and 127.0.0.1 only, and logs what an editor needs (its start, and any error)."""
    return {**environ, "MODE": "git", "GIT_REPO_DIRECTORY": str(plan.repo), "PORT": str(plan.editor_port),
            "BIND_HOST": EDITOR_HOST}


def server_command(plan: EditPlan) -> list[str]:
    return [plan.node, str(plan.server_script)]


def parse_port(value, variable: str) -> int:
    """A port from the command line (PORT=, EDITOR_PORT=), or an EditError naming the variable."""
    try:
        port = int(str(value).strip())
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise EditError(f"{PREFIX} {variable}={value!r} is not a port number. Fix: give a number from 1024 to 65535, "
                        f"e.g. make edit {variable}={DEFAULT_EDITOR_PORT if variable == 'EDITOR_PORT' else 8000}")
    return port


def port_taken_message(host: str, port: int, variable: str, what: str) -> str:
    other = port + 1
    return (f"{PREFIX} port {port} on {host} is already in use, so {what} cannot start there (another "
            f"`make edit` or `make serve` still running?). Fix: stop whatever holds it, or choose another port: "
            f"make edit {variable}={other}")


def dirty_message(changed: list[str]) -> str | None:
    """A warning when the checkout has uncommitted changes: decap-server commits with `git add .`, so
    "Publish" would commit them along with the story."""
    if not changed:
        return None
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return (f"{PREFIX} warning: this checkout has uncommitted changes ({shown}). Publish in the editor commits "
            f"everything in the checkout, so they would go into its commit. Fix: commit or stash them first "
            f"(git stash), or discard them.")


# --- finding out what is there -------------------------------------------------------------------------

def port_is_free(host: str, port: int) -> bool:
    """True when nothing listens on host:port (checked the way the servers bind: with SO_REUSEADDR, so a
    port a stopped server left in TIME_WAIT counts as free)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)


def preflight(repo: Path, bind: str, port: int, editor_port: int, editor_plugin: Path = EDITOR_PLUGIN) -> EditPlan:
    """Everything `make edit` needs, found before anything starts; an EditError with the fix otherwise."""
    node = shutil.which("node")
    if node is None:
        raise EditError(f"{PREFIX} Node.js was not found (no `node` command on the PATH): the editor's local git "
                        "backend, decap-server, runs on it. Fix: install Node.js 18 or newer (Debian and Ubuntu: "
                        "apt-get install nodejs npm), then run make edit again.")
    script = editor_plugin / DECAP_SERVER
    if not script.is_file():
        where = script.relative_to(repo) if script.is_relative_to(repo) else script
        npm = "" if shutil.which("npm") else "install npm (Debian and Ubuntu: apt-get install npm), then "
        raise EditError(f"{PREFIX} decap-server is not installed ({where} is missing). Fix: {npm}run make install, "
                        "which installs the editor's npm packages with npm ci.")
    top = git(repo, "rev-parse", "--show-toplevel")
    if top.returncode:
        raise EditError(f"{PREFIX} {repo} is not a git checkout, and Publish in the editor commits to git. "
                        "Fix: run make edit in a clone of the paper's repository (git clone ...).")
    branch = git(repo, "symbolic-ref", "--quiet", "--short", "HEAD")
    if branch.returncode:
        raise EditError(f"{PREFIX} no branch is checked out (a detached HEAD), so Publish has no branch to commit to. "
                        "Fix: check one out first, e.g. git switch main")
    if editor_port == port:
        raise EditError(f"{PREFIX} PORT and EDITOR_PORT are both {port}. Fix: give them different ports, e.g. "
                        f"make edit PORT={port} EDITOR_PORT={port + 1}")
    if not port_is_free(EDITOR_HOST, editor_port):
        raise EditError(port_taken_message(EDITOR_HOST, editor_port, "EDITOR_PORT", "the editor's git backend (decap-server)"))
    if not port_is_free(bind, port):
        raise EditError(port_taken_message(bind, port, "PORT", "the preview"))
    return EditPlan(repo=Path(top.stdout.strip()), branch=branch.stdout.strip(), node=node, server_script=script,
                    bind=bind, port=port, editor_port=editor_port)


def uncommitted_changes(repo: Path) -> list[str]:
    status = git(repo, "status", "--porcelain", "--untracked-files=all")
    return [line[3:] for line in status.stdout.splitlines() if line.strip()]


# --- running decap-server ---------------------------------------------------------------------------------

def _end_with_parent() -> None:
    """In the child, before node starts (Linux): the kernel sends it SIGTERM when this process dies, even by
    SIGKILL, so no decap-server outlives `make edit`."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    PR_SET_PDEATHSIG = 1
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_server(plan: EditPlan) -> subprocess.Popen:
    return subprocess.Popen(
        server_command(plan), cwd=plan.repo, env=server_environment(dict(os.environ), plan), stdin=subprocess.DEVNULL,
        # A session of its own: Ctrl-C reaches only `make edit`, which then stops the preview and decap-server
        # in order, instead of both dying at once halfway through a commit.
        start_new_session=True, preexec_fn=_end_with_parent if sys.platform.startswith("linux") else None,
    )


def server_answers(plan: EditPlan) -> bool:
    """True when decap-server answers its `info` action (what the editor asks first) for a git repository."""
    request = urllib.request.Request(plan.backend_url, data=json.dumps({"action": "info"}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return json.load(response).get("type") == "local_git"
    except (OSError, ValueError):
        return False


def wait_until_ready(process: subprocess.Popen, plan: EditPlan, timeout: float = STARTUP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not server_answers(plan):
        if process.poll() is not None:
            raise EditError(f"{PREFIX} decap-server stopped as it started (exit status {process.returncode}; its "
                            "messages are above). Fix: run make install again, and check that "
                            f"{plan.repo} is a git checkout you can commit to.")
        if time.monotonic() > deadline:
            raise EditError(f"{PREFIX} decap-server did not answer on {plan.backend_url} within {timeout:.0f} seconds. "
                            "Fix: look at its messages above; run make install again if it did not start.")
        time.sleep(0.1)


def stop_server(process: subprocess.Popen, timeout: float = STOP_TIMEOUT) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def run(settings_file: str, bind: str, port, editor_port, repo: Path | None = None) -> int:
    """`make edit`: check, start decap-server, serve the preview with the editor until Ctrl-C, stop both."""
    from newsroom_commands.serve import serve_preview

    try:
        plan = preflight((repo or Path.cwd()).resolve(), bind, parse_port(port, "PORT"),
                         parse_port(editor_port, "EDITOR_PORT"))
    except EditError as e:
        print(e, file=sys.stderr)
        return 2
    warning = dirty_message(uncommitted_changes(plan.repo))
    if warning:
        print(warning, file=sys.stderr)
    # `kill` and a closed terminal stop both servers as Ctrl-C does; so does Ctrl-C itself when the shell
    # started `make edit` with SIGINT ignored (in the background).
    stops = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {signum: signal.signal(signum, _interrupt) for signum in stops}
    process = start_server(plan)
    try:
        wait_until_ready(process, plan)

        def announce(address: str) -> None:
            print(f"newsroom: the editor is at {plan.admin_url} (Publish commits to the branch {plan.branch} "
                  f"of {plan.repo}); the preview at {address}. Ctrl-C stops both.", file=sys.stderr)

        return serve_preview(settings_file, bind, plan.port, settings_overrides(plan), announce=announce)
    except EditError as e:
        print(e, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    finally:
        stop_server(process)
        for signum, handler in previous.items():
            signal.signal(signum, handler)

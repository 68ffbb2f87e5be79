"""`make edit`: what it checks before starting, how it starts decap-server, and that it stops it.

The browser side (an article and the fund published through /admin/ and seen in the preview) is
tests/browser/test_editor_e2e.py; here are the pure parts, the checks before anything starts, and the two
servers started and stopped for real with the editor's pinned decap-server.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import BUILD_EPOCH, FIXTURE_SITE, REPO
from newsroom_commands import edit
from newsroom_commands.edit import EditError, EditPlan


def plan(tmp_path: Path, **changes) -> EditPlan:
    values = dict(repo=tmp_path, branch="main", node="/usr/bin/node", server_script=tmp_path / "index.js",
                  bind="127.0.0.1", port=8000, editor_port=8081)
    return EditPlan(**{**values, **changes})


# --- pure parts ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("editor_port", "url"), [
    (8081, "http://127.0.0.1:8081/api/v1"),
    (9000, "http://127.0.0.1:9000/api/v1"),
])
def test_backend_url_is_always_on_the_loopback_address(editor_port, url):
    assert edit.backend_url(editor_port) == url


@pytest.mark.parametrize(("bind", "port", "url"), [
    ("127.0.0.1", 8000, "http://127.0.0.1:8000/admin/"),
    ("0.0.0.0", 8000, "http://127.0.0.1:8000/admin/"),
    ("", 8001, "http://127.0.0.1:8001/admin/"),
    ("localhost", 8000, "http://localhost:8000/admin/"),
    ("::", 8000, "http://[::1]:8000/admin/"),
    ("::1", 8000, "http://[::1]:8000/admin/"),
])
def test_admin_url_is_one_a_browser_on_this_machine_opens(bind, port, url):
    assert edit.admin_url(bind, port) == url


def test_preview_is_built_with_the_editor_pointed_at_decap_server(tmp_path):
    assert edit.settings_overrides(plan(tmp_path, editor_port=8123)) == {
        "NEWSROOM_EDITOR_LOCAL_BACKEND": "http://127.0.0.1:8123/api/v1"}


def test_decap_server_runs_in_git_mode_on_the_checkout_on_loopback_only(tmp_path):
    env = edit.server_environment({"PATH": "/usr/bin", "MODE": "fs", "PORT": "1"}, plan(tmp_path, editor_port=8123))
    assert env == {"PATH": "/usr/bin", "MODE": "git", "GIT_REPO_DIRECTORY": str(tmp_path), "PORT": "8123",
                   "BIND_HOST": "127.0.0.1"}
    assert edit.server_command(plan(tmp_path)) == ["/usr/bin/node", str(tmp_path / "index.js")]


@pytest.mark.parametrize(("value", "port"), [("8081", 8081), (" 9000 ", 9000), (8000, 8000)])
def test_parse_port_reads_a_port(value, port):
    assert edit.parse_port(value, "EDITOR_PORT") == port


@pytest.mark.parametrize("value", ["", "eighty", "0", "70000", "-1"])
def test_parse_port_names_the_variable_and_the_fix(value):
    with pytest.raises(EditError) as raised:
        edit.parse_port(value, "EDITOR_PORT")
    assert str(raised.value) == (f"newsroom: edit: EDITOR_PORT={value!r} is not a port number. Fix: give a number "
                                 "from 1024 to 65535, e.g. make edit EDITOR_PORT=8081")


def test_no_warning_on_a_clean_checkout():
    assert edit.dirty_message([]) is None


def test_uncommitted_changes_are_warned_about_with_the_first_few_named():
    assert edit.dirty_message(["content/a.md"]) == (
        "newsroom: edit: warning: this checkout has uncommitted changes (content/a.md). Publish in the editor "
        "commits everything in the checkout, so they would go into its commit. Fix: commit or stash them first "
        "(git stash), or discard them.")
    message = edit.dirty_message(["a", "b", "c", "d", "e"])
    assert "(a, b, c and 2 more)" in message


# --- the checks before anything starts ---------------------------------------------------------------------

def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "Ed", "GIT_AUTHOR_EMAIL": "ed@example.org",
                               "GIT_COMMITTER_NAME": "Ed", "GIT_COMMITTER_EMAIL": "ed@example.org"})


@pytest.fixture
def checkout(tmp_path) -> tuple[Path, Path]:
    """A git checkout on branch `news` with one commit, and a stand-in editor plugin with decap-server's file."""
    repo = tmp_path / "paper"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "news")
    (repo / "README.md").write_text("paper\n")
    git(repo, "add", "README.md")
    git(repo, "commit", "-qm", "Start")
    plugin = tmp_path / "newsroom_editor"
    (plugin / edit.DECAP_SERVER).parent.mkdir(parents=True)
    (plugin / edit.DECAP_SERVER).write_text("// stand-in\n")
    return repo, plugin


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_preflight_finds_the_branch_node_and_decap_server(checkout):
    repo, plugin = checkout
    (repo / "content").mkdir()
    found = edit.preflight(repo / "content", "127.0.0.1", free_port(), free_port(), plugin)
    assert (found.repo, found.branch) == (repo, "news")
    assert found.server_script == plugin / edit.DECAP_SERVER
    assert os.path.basename(found.node) == "node"


def test_preflight_without_node_says_what_to_install(checkout, monkeypatch):
    repo, plugin = checkout
    monkeypatch.setattr(edit.shutil, "which", lambda name: None)
    with pytest.raises(EditError, match=r"^newsroom: edit: Node\.js was not found \(no `node` command on the PATH\).*"
                                        r"Fix: install Node\.js 18 or newer \(Debian and Ubuntu: apt-get install nodejs npm\)"):
        edit.preflight(repo, "127.0.0.1", free_port(), free_port(), plugin)


def test_preflight_without_decap_server_says_to_run_make_install(checkout):
    repo, plugin = checkout
    (plugin / edit.DECAP_SERVER).unlink()
    with pytest.raises(EditError, match=r"decap-server is not installed \(.*node_modules/decap-server/dist/index\.js is "
                                        r"missing\)\. Fix: run make install"):
        edit.preflight(repo, "127.0.0.1", free_port(), free_port(), plugin)


def test_preflight_without_decap_server_or_npm_says_to_install_npm_first(checkout, monkeypatch):
    repo, plugin = checkout
    (plugin / edit.DECAP_SERVER).unlink()
    monkeypatch.setattr(edit.shutil, "which", lambda name: "/usr/bin/node" if name == "node" else None)
    with pytest.raises(EditError, match=r"Fix: install npm \(Debian and Ubuntu: apt-get install npm\), then run make install"):
        edit.preflight(repo, "127.0.0.1", free_port(), free_port(), plugin)


def test_preflight_outside_git_refuses(tmp_path, checkout):
    _, plugin = checkout
    (tmp_path / "loose").mkdir()
    with pytest.raises(EditError, match=r"is not a git checkout, and Publish in the editor commits to git"):
        edit.preflight(tmp_path / "loose", "127.0.0.1", free_port(), free_port(), plugin)


def test_preflight_on_a_detached_head_refuses(checkout):
    repo, plugin = checkout
    git(repo, "checkout", "-q", "--detach")
    with pytest.raises(EditError, match=r"no branch is checked out \(a detached HEAD\).*Fix: .*git switch main"):
        edit.preflight(repo, "127.0.0.1", free_port(), free_port(), plugin)


def test_preflight_refuses_one_port_for_both(checkout):
    repo, plugin = checkout
    with pytest.raises(EditError, match=r"PORT and EDITOR_PORT are both 8000\. .*make edit PORT=8000 EDITOR_PORT=8001"):
        edit.preflight(repo, "127.0.0.1", 8000, 8000, plugin)


@pytest.mark.parametrize(("which", "variable", "what"), [
    ("editor", "EDITOR_PORT", "the editor's git backend (decap-server)"),
    ("preview", "PORT", "the preview"),
])
def test_preflight_names_a_taken_port_and_the_variable_to_change(checkout, which, variable, what):
    repo, plugin = checkout
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        ports = {"editor": (free_port(), busy), "preview": (busy, free_port())}[which]
        with pytest.raises(EditError) as raised:
            edit.preflight(repo, "127.0.0.1", *ports, plugin)
    assert str(raised.value) == (
        f"newsroom: edit: port {busy} on 127.0.0.1 is already in use, so {what} cannot start there (another "
        f"`make edit` or `make serve` still running?). Fix: stop whatever holds it, or choose another port: "
        f"make edit {variable}={busy + 1}")


def test_uncommitted_changes_lists_modified_and_new_files(checkout):
    repo, _ = checkout
    assert edit.uncommitted_changes(repo) == []
    (repo / "README.md").write_text("changed\n")
    (repo / "new").mkdir()
    (repo / "new" / "story.md").write_text("new\n")
    assert edit.uncommitted_changes(repo) == ["README.md", "new/story.md"]


# --- for real: make edit on a copy of the paper ---------------------------------------------------------------

@pytest.fixture
def paper(tmp_path) -> Path:
    """A git checkout of the fixture site with this repository's Makefile, settings, plugins and .venv."""
    if not (REPO / "plugins" / "newsroom_editor" / edit.DECAP_SERVER).is_file():
        pytest.fail("decap-server is not installed: run `make install` (it runs npm ci in plugins/newsroom_editor/)",
                    pytrace=False)
    work = tmp_path / "paper"
    work.mkdir()
    for name in ("Makefile", "pelicanconf.py", "publishconf.py", "requirements.txt", "requirements-test.txt"):
        (work / name).write_bytes((REPO / name).read_bytes())
        os.utime(work / name, ns=(0, (REPO / name).stat().st_mtime_ns))  # so make sees .venv as up to date
    for name in ("plugins", "theme", ".venv"):
        os.symlink(REPO / name, work / name)
    subprocess.run(["cp", "-r", str(FIXTURE_SITE), str(work / "content")], check=True)
    (work / ".gitignore").write_text("/.venv\n/plugins\n/theme\n/output/\n/cache/\n")
    git(work, "init", "-q", "-b", "late-desk")
    git(work, "add", ".")
    git(work, "commit", "-qm", "The paper")
    return work


def decap_info(editor_port: int) -> dict | None:
    request = urllib.request.Request(f"http://127.0.0.1:{editor_port}/api/v1", data=b'{"action": "info"}',
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)
    except OSError:
        return None


def listening(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        return s.connect_ex((host, port)) == 0


def test_make_edit_starts_decap_server_and_the_preview_and_ctrl_c_stops_both(paper):
    port, editor_port = free_port(), free_port()
    process = subprocess.Popen(
        ["make", "--no-print-directory", "edit", f"PORT={port}", f"EDITOR_PORT={editor_port}"], cwd=paper,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(BUILD_EPOCH)},
    )
    lines: list[str] = []
    announced = threading.Event()

    def read():
        for line in iter(process.stdout.readline, ""):
            lines.append(line)
            if "newsroom: the editor is at" in line:
                announced.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert announced.wait(120) or process.poll() is not None, "".join(lines)
        assert announced.is_set(), "".join(lines)
        assert (f"newsroom: the editor is at http://127.0.0.1:{port}/admin/ (Publish commits to the branch late-desk of "
                f"{paper}); the preview at http://127.0.0.1:{port}/. Ctrl-C stops both.") in "".join(lines)
        assert decap_info(editor_port) == {"repo": "paper", "publish_modes": ["simple", "editorial_workflow"],
                                           "type": "local_git"}
        config = yaml.safe_load((paper / "output" / "admin" / "config.yml").read_text())
        assert config["local_backend"] == {"url": f"http://127.0.0.1:{editor_port}/api/v1"}
        assert config["backend"]["branch"] == "late-desk"
        assert "publish_mode" not in config, "locally, Publish commits straight to the branch"
        assert config["site_url"] == f"http://127.0.0.1:{port}", "the editor's link to the site is this preview"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/config.yml", timeout=10) as response:
            assert response.headers["Content-Type"] == "text/yaml", "Decap reads it as YAML without a console message"
        # Bound to 127.0.0.1 alone: another loopback address of this machine finds nothing there (a server on
        # every interface would answer it).
        assert listening(editor_port) and not listening(editor_port, "127.0.1.1"), "decap-server on 127.0.0.1 only"
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        reader.join(timeout=5)
    assert not listening(editor_port), "decap-server outlived make edit"
    assert not listening(port), "the preview outlived make edit"
    assert "Traceback" not in "".join(lines)


def test_make_edit_refuses_a_taken_editor_port_before_starting_anything(paper):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        result = subprocess.run(["make", "--no-print-directory", "edit", f"EDITOR_PORT={busy}", f"PORT={free_port()}"],
                                cwd=paper, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert f"newsroom: edit: port {busy} on 127.0.0.1 is already in use" in result.stderr
    assert f"make edit EDITOR_PORT={busy + 1}" in result.stderr
    assert not (paper / "output").exists(), "nothing may start when a port is taken"

"""The Makefile commands an editor runs, run for real in a copy of the repository."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import BUILD_EPOCH, FIXTURE_SITE, REPO


@pytest.fixture
def repo(tmp_path):
    """A working copy with the fixture site as its content, sharing this checkout's .venv."""
    work = tmp_path / "paper"
    work.mkdir()
    for name in ("Makefile", "pelicanconf.py", "publishconf.py", "requirements.txt", "requirements-test.txt"):
        shutil.copy2(REPO / name, work / name)  # copy2 keeps mtimes, so make sees .venv as up to date
    for name in ("plugins", "theme", ".venv"):
        os.symlink(REPO / name, work / name)
    shutil.copytree(FIXTURE_SITE, work / "content")
    return work


def make(repo, *args, **env):
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=repo, capture_output=True, text=True, timeout=120,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(BUILD_EPOCH), **env},
    )


def test_help_lists_every_target(repo):
    out = make(repo, "help").stdout
    for target in ("install", "html", "serve", "publish", "check", "new", "hooks", "test", "bench", "clean"):
        assert f"make {target} " in out, target


def test_check_passes_on_good_content(repo):
    result = make(repo, "check")
    assert result.returncode == 0, result.stderr
    assert "content OK" in result.stderr
    assert not (repo / "output").exists()


def test_check_on_a_broken_article_prints_one_line_and_fails(repo):
    (repo / "content/articles/europe/bad.md").write_text("Title: Bad\nDate: 2026-11-20 08:30\nCategory: Europ\n\nText.\n")
    result = make(repo, "check")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert lines == [
        "content/articles/europe/bad.md:3: error: Category: 'Europ' is not one of the paper's sections. "
        "Fix: did you mean `Europe`? Otherwise use one of: Middle East, Europe, Americas, Africa, Asia, Politics, "
        "Workplace, Housing, Environment, Editorial, Opinion, Books, Film, Music, Sport (sections are set in pelicanconf.py)."
    ]
    assert "Traceback" not in result.stderr + result.stdout
    assert not (repo / "output").exists()


def test_html_builds_and_a_broken_build_keeps_the_last_good_output(repo):
    result = make(repo, "html")
    assert result.returncode == 0, result.stderr
    page = repo / "output/middle-east/water-talks-resume-in-the-jordan-valley/index.html"
    good = page.read_bytes()
    (repo / "content/articles/europe/bad.md").write_text("Title: Bad\nDate: 2026-11-20 08:30\nCategory: Europe\nImage: images/missing.jpg\n\nText.\n")
    result = make(repo, "html")
    assert result.returncode != 0
    assert "content/articles/europe/bad.md:4: error: Image: 'images/missing.jpg' was not found" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert page.read_bytes() == good
    result = make(repo, "publish")
    assert result.returncode != 0 and page.read_bytes() == good


def test_new_creates_a_draft_in_the_section(repo):
    result = make(repo, "new", "TITLE=Ceasefire talks: what next?", "SECTION=Middle East")
    assert result.returncode == 0, result.stderr
    path = result.stdout.strip()
    assert path == "content/articles/middle-east/2026-11-25-ceasefire-talks-what-next.md"
    text = (repo / path).read_text()
    assert text.startswith(
        "Title: Ceasefire talks: what next?\nSlug: ceasefire-talks-what-next\nDate: 2026-11-25 09:46\nCategory: Middle East\n"
        "Authors: Staff reporter\nStatus: draft\n\n"
    )
    assert make(repo, "check").returncode == 0
    again = make(repo, "new", "TITLE=Ceasefire talks: what next?", "SECTION=Middle East")
    assert again.returncode != 0 and "already exists" in again.stderr


def test_new_refuses_an_unknown_section(repo):
    result = make(repo, "new", "TITLE=Anything", "SECTION=Gossip")
    assert result.returncode != 0
    assert "'Gossip' is not a section. Use one of: Middle East, Europe, Americas" in result.stderr
    assert not list((repo / "content/articles").rglob("*anything*"))


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "GIT_AUTHOR_NAME": "Ed", "GIT_AUTHOR_EMAIL": "ed@example.org",
                               "GIT_COMMITTER_NAME": "Ed", "GIT_COMMITTER_EMAIL": "ed@example.org"})


def test_pre_commit_hook_checks_what_is_staged(repo):
    git(repo, "init", "-q")
    (repo / ".gitignore").write_text(".venv\nplugins\ntheme\noutput\n")
    assert make(repo, "hooks").returncode == 0
    git(repo, "add", "-A")
    assert git(repo, "commit", "-qm", "Start").returncode == 0
    bad = repo / "content/articles/europe/bad.md"
    bad.write_text("Title: Bad\nDate: 2026-11-20 08:30\nCategory: Europe\nSumary: oops\n\nText.\n")
    git(repo, "add", "-A")
    refused = git(repo, "commit", "-qm", "Add a story")
    assert refused.returncode != 0
    assert "content/articles/europe/bad.md:4: error: Sumary: is not a known article metadata key. Fix: did you mean `Summary`?" in refused.stderr
    # Fixed in the working tree but not staged: the hook checks what would be committed, so it still refuses.
    bad.write_text("Title: Bad\nDate: 2026-11-20 08:30\nCategory: Europe\nSummary: fixed\n\nText.\n")
    assert git(repo, "commit", "-qm", "Add a story").returncode != 0
    git(repo, "add", "-A")
    accepted = git(repo, "commit", "-qm", "Add a story")
    assert accepted.returncode == 0, accepted.stderr


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except OSError:
        return 0, ""


def wait_for(predicate, seconds=30.0):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_serve_previews_drafts_rebuilds_and_survives_broken_content(repo):
    import signal
    import threading

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}"], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, env={**os.environ, "SOURCE_DATE_EPOCH": str(BUILD_EPOCH)}, start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(server.stdout.readline, "")), daemon=True)
    reader.start()
    printed = lambda: "".join(lines)  # noqa: E731
    try:
        assert wait_for(lambda: fetch(base + "/")[0] == 200), "the preview never came up"
        assert "Draft: not published." in fetch(base + "/drafts/unfinished-draft-about-ferries/")[1]
        story = repo / "content/articles/europe/2026-10-02-rail-fares.md"
        story.write_text(story.read_text().replace("Title: Rail fares frozen for a year", "Title: Rail fares frozen for two years\nSlug: rail-fares-frozen-for-a-year"))
        assert wait_for(lambda: "frozen for two years" in fetch(base + "/europe/rail-fares-frozen-for-a-year/")[1]), "no rebuild after an edit"
        (repo / "content/articles/europe/bad.md").write_text("Title: Bad\nDate: tomorrow\nCategory: Europe\n\nText.\n")
        story.write_text(story.read_text().replace("two years", "three years"))
        assert wait_for(lambda: "still serving the last good build" in printed()), printed()
        status, body = fetch(base + "/europe/rail-fares-frozen-for-a-year/")
        assert status == 200 and "frozen for two years" in body, "the last good build must stay up"
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        reader.join(timeout=5)
    out = printed()
    assert "content/articles/europe/bad.md:2: error: Date: 'tomorrow' is not a date." in out
    assert "Traceback" not in out

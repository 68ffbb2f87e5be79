"""Helpers for the tests of moved URLs: a paper's content in a git repository of its own, edited the way an
editor edits it (a metadata line changed, then a commit, as a browser editor's commit would arrive)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

GIT_ENV = {"GIT_AUTHOR_NAME": "Ed", "GIT_AUTHOR_EMAIL": "ed@example.org", "GIT_COMMITTER_NAME": "Ed",
           "GIT_COMMITTER_EMAIL": "ed@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str, when: int | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_ENV)
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{when} +0000"
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


def paper_repo(root: Path, content: Path, when: int) -> Path:
    """A repository at `root` holding a copy of `content` in content/, committed once at `when`."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(content, root / "content")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "content")
    git(root, "commit", "-qm", "The paper", when=when)
    return root


def commit(repo: Path, message: str, when: int) -> None:
    git(repo, "add", "-A", "content")
    git(repo, "commit", "-qm", message, when=when)


def set_meta(path: Path, key: str, value: str | None) -> None:
    """Set (or with None remove) one metadata line of an article, as an editor would: in place, or right
    under the Title when the key is new."""
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n\n", 1)
    lines = head.split("\n")
    found = [i for i, line in enumerate(lines) if re.match(rf"{key}\s*:", line, re.I)]
    if value is None:
        lines = [line for i, line in enumerate(lines) if i not in found]
    elif found:
        lines[found[0]] = f"{key}: {value}"
    else:
        title = next(i for i, line in enumerate(lines) if line.startswith("Title:"))
        lines.insert(title + 1, f"{key}: {value}")
    path.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")

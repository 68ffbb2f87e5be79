"""The CI workflow that runs `make check` on every pull request (the browser editor's editorial workflow
opens one per story), read as GitHub reads it."""

from __future__ import annotations

import re

import yaml

from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    return {on: None} if isinstance(on, str) else {name: None for name in on} if isinstance(on, list) else on


def runs(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def test_every_pull_request_runs_make_check_on_the_whole_history():
    workflows = {path.name: load(path.name) for path in sorted(WORKFLOWS.glob("*.y*ml"))}
    on_pull_requests = {name: w for name, w in workflows.items() if "pull_request" in triggers(w)}
    assert list(on_pull_requests) == ["check.yml"]
    workflow = on_pull_requests["check.yml"]
    # Every pull request: no filter on branches, paths or types that would leave a story's pull request unchecked.
    assert triggers(workflow)["pull_request"] is None
    [job] = workflow["jobs"].values()
    assert runs(job)[-1] == "make check"
    [checkout] = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["fetch-depth"] == 0, "the URL history needs every commit"
    steps = [s.get("uses") or s["run"].strip() for s in job["steps"]]
    assert steps.index(checkout["uses"]) < steps.index("make check")
    # Read-only: a pull request's check can change nothing in the repository.
    assert workflow["permissions"] == {"contents": "read"}
    assert "write" not in str(job.get("permissions", ""))


def test_the_check_installs_what_make_check_needs_on_debian():
    [job] = load("check.yml")["jobs"].values()
    assert job["container"] == "debian:12"
    [install] = [r for r in runs(job) if "apt-get install" in r]
    packages = set(re.findall(r"[a-z0-9][a-z0-9.+-]+", install.split("--no-install-recommends", 1)[1]))
    assert {"git", "make", "python3", "python3-venv"} <= packages
    [cache] = [s for s in job["steps"] if s.get("uses", "").startswith("actions/cache@")]
    assert cache["with"]["path"] == ".venv" and "hashFiles('requirements.txt'" in cache["with"]["key"]


def test_publishing_still_runs_on_push_to_main_and_on_its_schedule():
    publish = triggers(load("publish.yml"))
    assert publish["push"]["branches"] == ["main"] and "schedule" in publish and "pull_request" not in publish

"""The build engine's seams: private names of Pelican and Python-Markdown only in the two compatibility
modules, other plugins only through newsroom_engine.api, a version check that refuses to build on another
Pelican, and a build that does not depend on the order of PLUGINS."""

from __future__ import annotations

import ast
import re
import hashlib
from pathlib import Path

import markdown
import pelican
import pytest

from conftest import REPO, write_article

PLUGINS = REPO / "plugins"
COMPAT_MODULES = {PLUGINS / "newsroom_engine" / "pelican_compat.py", PLUGINS / "newsroom_markdown" / "compat.py"}


def private_names(package) -> set[str]:
    """Every private name a library defines: functions, classes, attributes and module globals starting
    with one underscore, and the name-mangled form of its double-underscore attributes."""
    names = set()
    for path in Path(package.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for inner in ast.walk(node):
                    name = inner.name if isinstance(inner, ast.FunctionDef) else getattr(inner, "attr", None)
                    if name and name.startswith("__") and not name.endswith("__"):
                        names.add(f"_{node.name.lstrip('_')}{name}")
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = node.name
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                name = node.attr
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                name = node.id
            else:
                continue
            if len(name) > 1 and name.startswith("_") and not name.endswith("__"):
                names.add(name)
    return names


def touches(path: Path, private: set[str]) -> list[str]:
    """Where a module reads, imports, overrides or names (as a string) a library's private name."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    methods = {id(f) for c in ast.walk(tree) if isinstance(c, ast.ClassDef) for f in c.body
               if isinstance(f, ast.FunctionDef)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in private:
            found.append(f"{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("pelican", "markdown"):
            found += [f"{node.lineno}: import {a.name}" for a in node.names
                      if a.name.startswith("_") and not a.name.endswith("__")]
        elif isinstance(node, ast.FunctionDef) and id(node) in methods and node.name in private:
            found.append(f"{node.lineno}: def {node.name}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in private:
            found.append(f"{node.lineno}: {node.value!r}")
    return [f"{path.relative_to(REPO)}:{where}" for where in found]


def test_only_the_compatibility_modules_touch_private_names_of_pelican_and_markdown():
    private = private_names(pelican) | private_names(markdown)
    assert {"_get_writer", "_content", "_filter_discardable_metadata", "_InlineProcessor__handleInline",
            "_priority"} <= private  # the check knows the names it is there to catch
    outside = [hit for path in sorted(PLUGINS.rglob("*.py")) if path not in COMPAT_MODULES
               for hit in touches(path, private)]
    assert outside == []
    inside = [hit for path in COMPAT_MODULES for hit in touches(path, private)]
    assert inside, "the compatibility modules are where the private names are"


def engine_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "newsroom_engine"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "newsroom_engine":
            found += [node.module] if node.module != "newsroom_engine" else [f"newsroom_engine.{a.name}" for a in node.names]
    return found


def test_plugins_use_the_engine_only_through_its_api():
    users = {}
    for path in sorted(PLUGINS.rglob("*.py")):
        if path.parent.name == "newsroom_engine":
            continue
        for module in engine_imports(path):
            users.setdefault(module, []).append(str(path.relative_to(REPO)))
    assert set(users) == {"newsroom_engine.api"}, users


@pytest.mark.parametrize("installed, refused", [("4.12.0", False), ("4.12.1", True), ("4.11.0", True), ("5.0.0", True)])
def test_the_engine_names_the_pelican_version_it_was_written_for(installed, refused):
    from newsroom_engine.pelican_compat import WRITTEN_FOR, version_problem

    assert WRITTEN_FOR == "4.12.0"
    problem = version_problem(installed)
    assert (problem is not None) == refused
    if refused:
        assert problem.startswith("newsroom_engine: ") and installed in problem and "pelican==4.12.0" in problem
        assert "\n" not in problem


def test_on_another_pelican_the_build_refuses_to_start_and_leaves_the_output(build_site, tmp_path, monkeypatch):
    from newsroom_engine import pelican_compat

    site = build_site(output=tmp_path / "site", NEWSROOM_SEARCH=False)
    before = sorted(p.name for p in site.output.iterdir())

    class Installed:
        @staticmethod
        def version(name):
            return "4.13.0" if name == "pelican" else "0"

    monkeypatch.setattr(pelican_compat, "metadata", Installed)
    with pytest.raises(pelican_compat.PelicanVersionError, match=r"^newsroom_engine: Pelican 4\.13\.0 is installed"):
        build_site(output=tmp_path / "site", NEWSROOM_SEARCH=False)
    assert sorted(p.name for p in site.output.iterdir()) == before


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_order_of_plugins_does_not_change_the_site(build_site, site_content, tmp_path):
    """The engine renders the queued pages before any `finalized` receiver and compresses after all of
    them, the sanitiser cleans inside the reader and the sections are filled before any plugin reads
    them, whatever order the plugins load in: the same site from the list reversed."""
    from pelican.settings import read_settings

    write_article(site_content, "europe/2026-11-22-hostile.md", """
Title: A story with markup typed into it
Date: 2026-11-22 10:00
Category: Europe
Summary: A standfirst with <b onclick="steal()">a handler</b>

The council <script>steal()</script>voted <a href="javascript:steal()">again</a>.
""")
    plugins = read_settings(str(REPO / "publishconf.py"))["PLUGINS"]
    reordered = list(reversed(plugins))
    assert reordered[0] != plugins[0] and reordered[-1] != plugins[-1]
    usual = build_site(output=tmp_path / "usual", conf="publishconf.py")
    other = build_site(output=tmp_path / "reordered", conf="publishconf.py", PLUGINS=reordered)
    assert (other.output / "sitemap.xml.gz").is_file() and (other.output / "pagefind").is_dir()
    story = other.path("europe/a-story-with-markup-typed-into-it/").read_text(encoding="utf-8")
    assert "voted" in story and "steal()" not in story
    digests = {k: v for k, v in tree_digest(other.output).items() if not k.startswith("pagefind")}
    assert digests == {k: v for k, v in tree_digest(usual.output).items() if not k.startswith("pagefind")}


TIMING = re.compile(r"\b\d+(\.\d+)? ?(ms|µs)\b|\b\d+(\.\d+)? ?(s|seconds|MB|GB) (of|a|an|per|at|for)\b"
                    r"|\bat \d{1,3},\d{3} (articles|stories)\b")


def test_comments_say_why_not_how_fast():
    """Measured figures go stale in the code: they belong in the README's performance section and in
    `make bench`'s output."""
    found = [f"{path.relative_to(REPO)}:{number}: {line.strip()}"
             for path in sorted(PLUGINS.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if TIMING.search(line)]
    assert found == []

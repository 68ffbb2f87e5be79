"""The newsroom's commands, behind the Makefile: build, check, new, serve, edit and the pre-commit hook.

`python -m newsroom_commands <command> --help` describes each. Every failure an editor can cause ends in
plain one-line messages and a non-zero exit, never a Python traceback (run with --debug to see one).
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile

from pelican.settings import read_settings

from newsroom_checks import ContentProblemsError, check_site
from newsroom_checks.history import Repository
from newsroom_content.build import NewsroomPelican, report
from newsroom_content.clock import ClockError, build_now
from newsroom_content.settings import NewsroomSettingsError, build_desks, make_slug
from newsroom_engine.api import BuildFailedError, EngineSettingsError, PelicanVersionError, Store

EXPECTED_ERRORS = (ContentProblemsError, BuildFailedError, NewsroomSettingsError, EngineSettingsError, ClockError,
                   PelicanVersionError)


def exit_now(code: int) -> None:
    """End the process with `code` once everything is flushed, without freeing the build's objects one by
    one first: with a large archive the interpreter spends a noticeable time doing that at exit, and nothing of
    it reaches the disk. Every command has finished its work (no thread or worker is left) when main()
    returns, and the log handlers and standard streams are flushed here."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def load_settings(path: str, **overrides) -> dict:
    if not os.path.isfile(path):
        raise NewsroomSettingsError(f"newsroom: settings file {path} not found; run this from the repository's top folder")
    return read_settings(path, override=overrides or None)


def init_logging(debug: bool) -> None:
    from pelican.log import init

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    init(level=logging.DEBUG if debug else logging.WARNING, handler=handler)


def summarise(problems) -> str:
    notices = [p for p in problems if p.severity == "notice"]
    problems = [p for p in problems if p.severity != "notice"]
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    if not problems:
        moved = f" {len(notices)} URL{'s' * (len(notices) != 1)} moved (listed above)." if notices else ""
        return "newsroom: content OK, no problems found." + moved
    return (f"newsroom: {errors} error{'s' * (errors != 1)} and {warnings} warning{'s' * (warnings != 1)} "
            f"in {files} file{'s' * (files != 1)}.")


# --- commands -------------------------------------------------------------------------------------

def cmd_build(args) -> int:
    overrides = {"NEWSROOM_PREVIEW": True} if args.preview else {}
    if args.output:
        overrides["OUTPUT_PATH"] = os.path.abspath(args.output)
    settings = load_settings(args.settings, **overrides)
    NewsroomPelican(settings).run()
    return 0


def cmd_check(args) -> int:
    if args.staged:
        return check_staged(args.settings)
    settings = load_settings(args.settings)
    now = build_now(settings)
    # The one command that writes: a moved article's old URL goes into content/data/redirects.yml.
    check = check_site(settings, now.date(), now=now, record_moves=True, history_store=history_store(settings))
    report(check.problems)
    print(summarise(check.problems), file=sys.stderr)
    return 1 if check.errors else 0


def history_store(settings: dict) -> Store | None:
    """Where `make check` and the hook keep git's URL history between runs (directly under CACHE_PATH), so
    each reads only the commits since the last: a long history costs a second or more to walk."""
    folder = settings.get("CACHE_PATH")
    return Store(os.path.abspath(folder)) if folder else None


def check_staged(settings_name: str) -> int:
    """Validate the content exactly as it is staged for commit, not as it is in the working tree."""
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if top.returncode:
        print("newsroom: --staged needs a git repository", file=sys.stderr)
        return 2
    top = top.stdout.strip()
    staged = subprocess.run(
        ["git", "diff", "--cached", "--name-only", "--diff-filter=ACMRD"], cwd=top, capture_output=True, text=True,
    ).stdout.split()
    relevant = [p for p in staged if p.startswith("content/") or p in ("pelicanconf.py", "publishconf.py")]
    if not relevant:
        return 0
    try:  # the repository's own cache folder (the staged copy's is thrown away with it)
        real_settings = load_settings(os.path.join(top, settings_name))
    except (NewsroomSettingsError, OSError):
        real_settings = {}
    with tempfile.TemporaryDirectory(prefix="newsroom-staged-") as tree:
        subprocess.run(["git", "checkout-index", "--all", f"--prefix={tree}/"], cwd=top, check=True)
        settings = load_settings(os.path.join(tree, settings_name))
        now = build_now(settings)
        # The staged copy is outside git: its URLs are compared with the repository's history and index.
        prefix = os.path.relpath(os.path.realpath(settings["PATH"]), os.path.realpath(tree)).replace(os.sep, "/")
        check = check_site(settings, now.date(), now=now, repo=Repository(top, "" if prefix == "." else prefix),
                           against="index", history_store=history_store(real_settings))
        for problem in check.problems:
            print(problem.format(root=tree), file=sys.stderr)
    print(summarise(check.problems) + (" Commit refused: fix the errors, `git add` them, and commit again." if check.errors else ""), file=sys.stderr)
    return 1 if check.errors else 0


def cmd_new(args) -> int:
    settings = load_settings(args.settings)
    sections = {s.name: s for d in build_desks(settings) for s in d.sections}
    names = ", ".join(sections)
    title = " ".join((args.title or "").split())
    if not title:
        print('newsroom: give the headline: make new TITLE="..." SECTION="..."', file=sys.stderr)
        return 2
    section = sections.get(args.section) or next((s for n, s in sections.items() if n.lower() == (args.section or "").strip().lower()), None)
    if section is None:
        print(f"newsroom: {args.section!r} is not a section. Use one of: {names}", file=sys.stderr)
        return 2
    slug = make_slug(title, settings)
    if not slug:
        print("newsroom: the title has no letters or digits to make a URL from; choose another title", file=sys.stderr)
        return 2
    now = build_now(settings)
    folder = os.path.join(settings["PATH"], settings.get("ARTICLE_PATHS", ["articles"])[0], section.slug)
    path = os.path.join(folder, f"{now:%Y-%m-%d}-{slug}.md")
    if os.path.exists(path):
        print(f"newsroom: {os.path.relpath(path)} already exists; choose another title or edit that file", file=sys.stderr)
        return 2
    os.makedirs(folder, exist_ok=True)
    author = settings.get("NEWSROOM_DEFAULT_AUTHOR", "Staff reporter")
    with open(path, "x", encoding="utf-8") as f:
        # The Slug is written out, so the URL is fixed from the start: a sub-editor's better headline later
        # changes the headline, never the address readers and other sites link to.
        f.write(
            f"Title: {title}\n"
            f"Slug: {slug}\n"
            f"Date: {now:%Y-%m-%d %H:%M}\n"
            f"Category: {section.name}\n"
            f"Authors: {author}\n"
            "Status: draft\n"
            "\n"
            "Write the story here. Add `Summary:` (the standfirst), `Tags:` and `Image:` lines above the blank\n"
            "line if you need them, and change `Status: draft` to `Status: published` when it is ready.\n"
        )
    print(os.path.relpath(path))
    return 0


def cmd_serve(args) -> int:
    from newsroom_commands.serve import serve_preview

    return serve_preview(args.settings, args.bind, args.port)


def cmd_edit(args) -> int:
    from newsroom_commands.edit import run

    return run(args.settings, args.bind, args.port, args.editor_port)


HOOK = """#!/bin/sh
# Installed by `make hooks`: validate the staged content before every commit.
PYTHONPATH="{plugins}" exec "{python}" -m newsroom_commands check --staged
"""


def cmd_install_hook(args) -> int:
    git_dir = subprocess.run(["git", "rev-parse", "--git-path", "hooks"], capture_output=True, text=True)
    if git_dir.returncode:
        print("newsroom: not inside a git repository", file=sys.stderr)
        return 2
    hooks = os.path.abspath(git_dir.stdout.strip())
    os.makedirs(hooks, exist_ok=True)
    path = os.path.join(hooks, "pre-commit")
    plugins = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    python = os.path.abspath(sys.executable)
    with open(path, "w") as f:
        f.write(HOOK.format(python=python, plugins=plugins))
    os.chmod(path, 0o755)
    print(f"newsroom: installed {os.path.relpath(path)}: commits now check the staged content first")
    return 0


def cmd_translations(args) -> int:
    from newsroom_commands.translations import TranslationsError, main as update_translations

    try:
        return update_translations(load_settings(args.settings), args.add)
    except TranslationsError as e:
        print(e, file=sys.stderr)
        return 1


def cmd_fonts(args) -> int:
    from newsroom_commands.fonts import FontsError, main as install_fonts

    try:
        return install_fonts()
    except FontsError as e:
        print(e, file=sys.stderr)
        return 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsroom_commands", description=__doc__.splitlines()[0])
    parser.add_argument("--settings", "-s", default="pelicanconf.py", help="settings file (default pelicanconf.py)")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="validate, then build the site into OUTPUT_PATH atomically")
    p.add_argument("--preview", action="store_true", help="include drafts and scheduled articles, marked")
    p.add_argument("--output", "-o", help="output folder (default OUTPUT_PATH)")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("check", help="validate the content and data files without writing anything")
    p.add_argument("--staged", action="store_true", help="check what is staged for commit (for the git hook)")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("new", help="create a new draft article and print its path")
    p.add_argument("--title", required=True)
    p.add_argument("--section", required=True)
    p.set_defaults(func=cmd_new)
    p = sub.add_parser("serve", help="build the preview, serve it, rebuild on every change")
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("edit", help="the browser editor: decap-server (Publish commits here) and the preview with /admin/")
    p.add_argument("--bind", default="127.0.0.1", help="the preview's address (decap-server is always on 127.0.0.1)")
    p.add_argument("--port", default="8000", help="the preview's port")
    p.add_argument("--editor-port", default="8081", help="decap-server's port")
    p.set_defaults(func=cmd_edit)
    p = sub.add_parser("translations", help="update theme/translations/ from the templates and the desks")
    p.add_argument("--add", metavar="LANG", help="also start a catalog for this language, e.g. fr")
    p.set_defaults(func=cmd_translations)
    p = sub.add_parser("fonts", help="refresh theme/static/fonts/ and css/fonts.css from the pinned npm packages")
    p.set_defaults(func=cmd_fonts)
    p = sub.add_parser("install-hook", help="install the git pre-commit hook that checks staged content")
    p.set_defaults(func=cmd_install_hook)
    args = parser.parse_args(argv)
    init_logging(args.debug)
    try:
        return args.func(args)
    except EXPECTED_ERRORS as e:
        if args.debug:
            raise
        print(e, file=sys.stderr)
        return getattr(e, "exitcode", 1)
    except KeyboardInterrupt:
        return 130
    except Exception as e:
        if args.debug:
            raise
        print(f"newsroom: {args.command} failed: {type(e).__name__}: {e} (run with --debug for details)", file=sys.stderr)
        return 2

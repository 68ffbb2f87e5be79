"""Validates a whole site's content and data files in one pass, without running Pelican.

`make check`, the pre-commit hook and every build (before anything is written) share this function,
so an editor sees the same complete list of problems wherever they look.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from dataclasses import dataclass, field

from newsroom_content.breaking import BreakingNews, load_breaking
from newsroom_content.data_files import AuthorInfo, load_authors, load_cooperative, load_fund
from newsroom_content.fund import FundState, fund_state
from newsroom_content.settings import Desk, Section, build_desks, setting
from newsroom_engine.api import file_identity, shard_of

from .history import GitAhead, Repository, url_history
from .problems import Problem
from .redirects import REDIRECTS_FILE, live_urls, load_record, move_problem, plan_redirects, write_record
from .validation import check_article, check_page, check_policies, check_urls, read_header, read_text

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdown", ".mkd")


@dataclass
class SiteCheck:
    problems: list[Problem] = field(default_factory=list)
    desks: list[Desk] = field(default_factory=list)
    sections: dict[str, Section] = field(default_factory=dict)  # by name
    fund: FundState | None = None  # the appeal as it stands on the build's date
    cooperative: dict | None = None
    authors: dict[str, AuthorInfo] = field(default_factory=dict)
    breaking: BreakingNews | None = None  # the banner in breaking.yml, expired or not (BreakingNews.shown_at)
    # Old URL -> the URL its story has now, both relative to the site (newsroom_checks.redirects).
    redirects: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def content_files(root: str, subdirs, ignore_hidden: bool = True):
    """Every file under the given folders of the content root, in a stable order."""
    for sub in subdirs:
        base = os.path.join(root, sub)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not (ignore_hidden and d.startswith(".")))
            for name in sorted(filenames):
                if ignore_hidden and (name.startswith(".") or name.endswith("~")):
                    continue
                yield os.path.join(dirpath, name)


def check_file(kind: str, path: str, root: str, section_slugs: dict, settings: dict):
    """(problems sorted by line, URL record or None, [(author name, line)]) for one article or page."""
    text, problem = read_text(path)
    if problem:
        return [problem], None, []
    # The header is parsed once here and handed to every check that reads it.
    header, stop = read_header(path, text, settings, kind)
    if stop:
        return [stop], None, []
    authors = []
    if kind == "article":
        bylines: list[tuple[str, int]] = []
        problems, record = check_article(path, text, content_root=root, sections=section_slugs, settings=settings,
                                         header=header, bylines=bylines)
        authors = [(name.strip(), header.line("authors"))
                   for name in (header.get("authors") or "").split(",") if name.strip()]
        # A live blog's update bylines (newsroom_checks.live): checked against authors.yml like Authors,
        # but an error, since the update would be signed by no one the paper knows.
        authors += [(name, line, "byline") for name, line in bylines]
    else:
        problems, record = check_page(path, text, content_root=root, settings=settings, header=header)
    return sorted(problems, key=lambda p: p.line or 0), record, authors


class CheckCache:
    """Each file's check from the last build, reused while the file, the settings and code (the cache
    folder is named after them) and every other file under PATH (a story may name a picture) are the
    same: checking every file again would make every rebuild grow with the archive.

    Kept in the Store's sharded records by path, so an edit rewrites the checks of a sixteenth of the files,
    not of all of them."""

    NAME, VERSION = "checks", 5  # sharded records of the build's Store (newsroom_engine.api.Store): checks-00 ...

    def __init__(self, store, scope: str):
        self.store, self.scope = store, scope
        self.entries: dict = store.load_sharded(self.NAME, self.VERSION, scope=scope)
        self.fresh: dict = {}
        self.dirty: set[int] = set()  # shards with a file checked afresh this build

    identity = staticmethod(file_identity)

    def get(self, path: str):
        saved = self.entries.get(path)
        try:
            identity = self.identity(path)
        except OSError:
            return None
        if saved is not None and saved[0] == identity:
            self.fresh[path] = saved
            return saved[1]
        return None

    def put(self, path: str, checked) -> None:
        self.dirty.add(shard_of(path))
        try:
            self.fresh[path] = (self.identity(path), checked)
        except OSError:
            pass

    def save(self) -> None:
        """Keeps only the files this check saw, so deleted files do not pile up; rewrites only the shards
        that gained, changed or lost a file (rewriting all would pickle every file's check)."""
        dirty = self.dirty | {shard_of(path) for path in self.entries.keys() - self.fresh.keys()}
        self.store.save_sharded(self.NAME, self.VERSION, self.fresh, dirty, scope=self.scope)


def check_site(settings: dict, today: dt.date, cache: CheckCache | None = None, *, now: dt.datetime | None = None,
               record_moves: bool = False, repo: Repository | None = None, against: str = "worktree",
               history_store=None) -> SiteCheck:
    """All problems in the site's articles, pages and data files. Settings problems raise instead.
    `cache`: reuse the checks of files unchanged since the last build (the build passes one).
    `now`: the build's time (default: the end of `today`), which says which articles are live.
    `record_moves`: write the URL moves found into the record, content/data/redirects.yml (`make check`).
    `repo`, `against`: the git repository whose history the content is compared with, and whether the
    content is its work tree or its index (the pre-commit hook checks a copy of what is staged).
    `history_store`: where to keep git's URL history between runs when there is no `cache` (`make check`)."""
    result = SiteCheck(desks=build_desks(settings))
    result.sections = {s.name: s for d in result.desks for s in d.sections}
    section_slugs = {name: s.slug for name, s in result.sections.items()}
    root = settings["PATH"]
    # A build's questions to git are asked now and answered while every file is checked.
    ahead = GitAhead(root, settings) if cache is not None and repo is None and against == "worktree" else None
    records = []
    authors_used: dict[str, tuple[str, int | None]] = {}
    bylines_used: list[tuple[str, str, int]] = []  # (name, path, line) of live blogs' update bylines

    for kind, subdirs in (("article", settings.get("ARTICLE_PATHS", [""])), ("page", settings.get("PAGE_PATHS", ["pages"]))):
        for path in content_files(root, subdirs):
            if not path.lower().endswith(MARKDOWN_EXTENSIONS):
                result.problems.append(Problem(
                    path, None, "file", f"is not a Markdown file, so it will not be published as {'an' if kind == 'article' else 'a'} {kind}.",
                    "rename it to end in .md, or move it out of the folder.", severity="warning",
                ))
                continue
            checked = cache.get(path) if cache is not None else None
            if checked is None:
                checked = check_file(kind, path, root, section_slugs, settings)
                if cache is not None:
                    cache.put(path, checked)
            problems, record, authors = checked
            for name, line, *byline in authors:
                if byline:
                    bylines_used.append((name, path, line))
                else:
                    authors_used.setdefault(name, (path, line))
            result.problems += problems
            if record:
                records.append(record)

    if cache is not None:
        cache.save()
    result.problems += check_urls(records, result.desks)
    result.problems += check_policies(records)

    data_dir = os.path.join(root, setting(settings, "NEWSROOM_DATA_PATH"))
    result.problems += check_redirects(result, settings, records, data_dir, now or end_of(today, settings),
                                       store=cache.store if cache is not None else history_store,
                                       record_moves=record_moves,
                                       repo=repo, against=against, ahead=ahead)
    appeal, problems = load_fund(data_dir, today)
    result.fund = fund_state(appeal, today) if appeal else None
    result.problems += problems
    result.cooperative, problems = load_cooperative(data_dir)
    result.problems += problems
    result.authors, problems = load_authors(data_dir)
    result.problems += problems
    when = now or end_of(today, settings)
    result.breaking, problems = load_breaking(data_dir, when, settings.get("TIMEZONE"),
                                              *banner_targets(records, result.desks, when))
    result.problems += problems
    result.problems += check_picture_uploads(settings)
    if result.authors:
        for name, (path, line) in sorted(authors_used.items()):
            if name not in result.authors:
                result.problems.append(Problem(
                    path, line, "Authors", f"{name!r} has no entry in {os.path.join(data_dir, 'authors.yml')}, so their page has no bio.",
                    "check the spelling, or add them to authors.yml with a role and bio.", severity="warning",
                ))
    authors_file = os.path.join(data_dir, "authors.yml")
    for name, path, line in bylines_used:
        if name not in result.authors:
            known = difflib.get_close_matches(name, list(result.authors), n=1, cutoff=0.6)
            hint = f"did you mean `by {known[0]}`? Otherwise " if known else ""
            result.problems.append(Problem(
                path, line, "Update", f"the byline {name!r} is not in {authors_file}.",
                f"{hint}write a name from authors.yml after `| by`, or add the writer there with a role and bio.",
            ))
    return result


def check_picture_uploads(settings: dict) -> list[Problem]:
    """The browser editor's upload limits, for every file in content/images/ however it got there
    (newsroom_editor.uploads; only when the site has the editor)."""
    if "newsroom_editor" not in (settings.get("PLUGINS") or ()):
        return []
    from newsroom_editor.settings import cached_config
    from newsroom_editor.uploads import check_media_folder

    config = cached_config(settings)
    return check_media_folder(os.path.join(settings["PATH"], "images"), max_bytes=config.max_upload_bytes,
                              types=config.upload_types)


def banner_targets(records: list, desks: list[Desk], now: dt.datetime) -> tuple[dict[str, str], dict[str, str]]:
    """The pages a breaking banner may link to (URL -> file or what it is: live articles and pages, the
    sections, the desks, the front page) and the pages readers cannot reach yet (URL -> why not)."""
    targets = {"": "the front page", **{url: rec.path for url, rec in live_urls(records, now).items()}}
    for desk in desks:
        targets[desk.url] = f"the {desk.name} desk page"
        targets.update({section.url: f"the {section.name} section page" for section in desk.sections})
    unpublished = {}
    for rec in records:
        if rec.url not in targets:
            unpublished[rec.url] = (f"scheduled for {rec.date.isoformat(sep=' ', timespec='minutes')}"
                                    if rec.public and rec.date and rec.date > now else "not published (a draft)")
    return targets, unpublished


def end_of(day: dt.date, settings: dict) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time.max, tzinfo=ZoneInfo(settings.get("TIMEZONE") or "UTC"))


def check_redirects(result: SiteCheck, settings: dict, records: list, data_dir: str, now: dt.datetime, *, store,
                    record_moves: bool, repo, against: str, ahead=None) -> list[Problem]:
    """The redirects the site needs (into `result.redirects`), and their problems and notices."""
    root = settings["PATH"]
    section_slugs = {name: s.slug for name, s in result.sections.items()}
    history = url_history(root, settings, section_slugs, now, repo=repo, against=against, store=store, ahead=ahead)
    record_path = os.path.join(data_dir, REDIRECTS_FILE)
    entries, problems = load_record(record_path)
    listings = {"": "the front page"}
    for desk in result.desks:
        listings[desk.url] = f"the {desk.name} desk page"
        for section in desk.sections:
            listings[section.url] = f"the {section.name} section page"
    plan = plan_redirects(records, history, entries, record_path=record_path, content_root=root,
                          listing_urls=listings, now=now)
    problems += plan.problems
    recorded = False
    if record_moves and plan.record_changed:
        write_record(record_path, plan.record)
        recorded = True
    problems += [move_problem(move, recorded, record_path) for move in plan.moves]
    if history.failed:
        problems.append(Problem(
            root, None, "git", f"{history.reason}, so an article's slug or section changed in a commit cannot be "
            "found: its old URL keeps working only if content/data/redirects.yml records it.",
            "run `git log` in the repository to see what is wrong (on a server or in CI, "
            "`git config --global --add safe.directory <repository>` may be needed).", severity="warning",
        ))
    if history.shallow:
        problems.append(Problem(
            root, None, "git", "this clone's history is shallow, so an article's slug or section changed in an "
            "earlier commit cannot be found: its old URL keeps working only if content/data/redirects.yml records it.",
            "fetch the whole history (`git fetch --unshallow`; in GitHub Actions, actions/checkout with "
            "`fetch-depth: 0`).", severity="warning",
        ))
    result.redirects = plan.redirects
    return problems

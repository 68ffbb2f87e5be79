"""Every URL change of an article or page that git remembers: the source of the old URLs that redirects keep.

An article's URL is its section and slug, both read from its metadata (validation.header_url). The history
of each file under the article and page folders says what that URL was at every commit; a commit that changed
it while the article was live moved the article, and the old URL must keep working. Reading it from git
means a change nobody checked locally (a commit through a browser editor, a merge on the forge) is still
found by the next `make check` or build anywhere: on a fresh clone, and in CI once the checkout has the
whole history (actions/checkout's `fetch-depth: 0`).

The work is one `git log` that lists only the commits whose diff touches a line a URL is made from (`-G`, so
an archive's ordinary edits cost nothing), one `git cat-file --batch` for the headers of the versions those
commits changed, and one `git diff` for what is changed but not committed yet. A build keeps the committed
part (a record of its Store, scoped by what a URL is made from) and reads only the commits since.

Pure where it can be: `parse_log` and `changes_between` take text and headers, and are unit-tested.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .frontmatter import parse_header
from .validation import header_url, is_public, parse_date

ZERO = "0" * 40
# The metadata lines a URL depends on (and Status and Date: whether and when it was live). Python-Markdown's
# keys are matched without regard to case, and git's -G takes a POSIX regular expression, hence the classes.
URL_KEYS = ("title", "slug", "category", "status", "date")
PICKAXE = "^ {0,3}(" + "|".join("".join(f"[{c.upper()}{c}]" for c in key) for key in URL_KEYS) + ")[ \t]*:"
TIMEOUT = 120  # seconds for one git command: a history walk on a large archive, never a hung prompt


@dataclass(frozen=True)
class Version:
    """What one version of a file says about its URL."""

    url: str | None  # None: the metadata gives no URL
    public: bool
    date: dt.datetime | None  # aware
    slug_given: bool

    def live_before(self, when: int) -> bool:
        """Readers could reach it at its URL before `when` (a Unix time): public, with a URL, and not
        scheduled for a later time."""
        return bool(self.url and self.public and (self.date is None or self.date.timestamp() <= when))


@dataclass(frozen=True)
class UrlChange:
    """A live article or page that changed URL (or stopped having one)."""

    path: str  # the file, relative to the content folder, after the change
    old: str  # its URL before ("europe/rail-fares/")
    new: str | None  # its URL after; None when it has none any more (deleted, or made a draft)
    when: int  # Unix time of the commit; the build's time for a change not committed yet
    commit: str | None  # abbreviated commit id; None for a change not committed yet
    # Made from the Title before and after (no `Slug:` line), so a new headline moved it: not deliberate.
    by_title: bool = False


@dataclass
class History:
    changes: list[UrlChange] = field(default_factory=list)
    available: bool = False
    reason: str = ""  # why there is no history, when there is none
    shallow: bool = False  # a shallow clone: commits before its first are not known
    failed: bool = False  # the content is in a repository, but git could not read it


@dataclass(frozen=True)
class Repository:
    top: str  # the work tree's top folder
    prefix: str  # the content folder, relative to `top` ("content")


def find_repository(content_root: str, ahead: GitAhead | None = None) -> Repository | None:
    """The git work tree holding the content folder, or None (not in git, or git is not installed)."""
    top = ahead.top() if ahead is not None else None
    if top is None:
        try:
            top = _git(content_root, "rev-parse", "--show-toplevel").strip()
        except GitError:
            return None
    prefix = os.path.relpath(os.path.realpath(content_root), os.path.realpath(top))
    if prefix.startswith(".."):
        return None
    return Repository(top, "" if prefix == "." else prefix.replace(os.sep, "/"))


class GitError(Exception):
    pass


def git_command(*args: str) -> list[str]:
    """A git command line: paths printed as they are (not quoted octal)."""
    return ["git", "-c", "core.quotepath=off", *args]


def git_env() -> dict[str, str]:
    """git's environment: never a prompt for credentials, which would hang a build."""
    return {**os.environ, "GIT_TERMINAL_PROMPT": "0"}


def _git(cwd: str, *args: str, data: bytes | None = None) -> str:
    try:
        result = subprocess.run(git_command(*args), cwd=cwd, input=data, capture_output=True, timeout=TIMEOUT,
                                env=git_env())
    except (OSError, subprocess.TimeoutExpired) as e:
        raise GitError(str(e)) from None
    if result.returncode:
        raise GitError(result.stderr.decode("utf-8", "replace").strip())
    return result.stdout.decode("utf-8", "surrogateescape")


SHALLOW_AND_HEAD = ("rev-parse", "--is-shallow-repository", "--verify", "--quiet", "HEAD^{commit}")
DIFF = ("diff", "-z", "--raw", "--no-abbrev", "-M", "--diff-filter=MRDT")


def shallow_and_head(top: str) -> tuple[bool, str]:
    """Whether the clone is shallow, and the commit HEAD names ("" before the first commit), from one git
    process: every build asks."""
    try:
        result = subprocess.run(git_command(*SHALLOW_AND_HEAD), cwd=top, capture_output=True, timeout=TIMEOUT,
                                env=git_env())
    except (OSError, subprocess.TimeoutExpired):
        return False, ""
    return read_shallow_and_head(result.returncode, result.stdout)


def read_shallow_and_head(returncode: int, out: bytes) -> tuple[bool, str]:
    lines = out.decode("utf-8", "surrogateescape").split()
    shallow = bool(lines) and lines[0] == "true"
    # Without a commit, git prints the first answer and fails on HEAD.
    return shallow, lines[1] if returncode == 0 and len(lines) > 1 else ""


class GitAhead:
    """What a build asks git about its content folder, asked at once when the checks start, in processes of
    their own, and answered when the checks come to the history (after every file's check): the work
    tree's top, whether the clone is shallow and HEAD, and what the work tree changed since HEAD in the
    article and page folders. Any question it cannot answer is asked again the usual way."""

    def __init__(self, content_root: str, settings: dict):
        folders = [d.strip("/") or "." for d in (settings.get("ARTICLE_PATHS") or [""])]
        folders += [d.strip("/") or "." for d in (settings.get("PAGE_PATHS") or ["pages"])]
        commands = {"top": ("rev-parse", "--show-toplevel"), "head": SHALLOW_AND_HEAD,
                    # Pathspecs relative to the content folder (the process's folder); git names the paths
                    # it prints from the work tree's top, as UrlHistory reads them.
                    "diff": (*DIFF, "HEAD", "--", *folders)}
        self.processes = {}
        for name, args in commands.items():
            try:
                self.processes[name] = subprocess.Popen(git_command(*args), cwd=content_root, env=git_env(),
                                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                                        stderr=subprocess.DEVNULL)
            except OSError:
                pass

    def answer(self, name: str) -> tuple[int, bytes] | None:
        process = self.processes.pop(name, None)
        if process is None:
            return None
        try:
            out, _ = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return None
        return process.returncode, out

    def top(self) -> str | None:
        answer = self.answer("top")
        return answer[1].decode("utf-8", "surrogateescape").strip() if answer and answer[0] == 0 else None

    def shallow_and_head(self) -> tuple[bool, str] | None:
        answer = self.answer("head")
        return read_shallow_and_head(*answer) if answer else None

    def diff(self) -> str | None:
        """The diff against HEAD (as UrlHistory.uncommitted asks it, of the work tree), or None."""
        answer = self.answer("diff")
        return answer[1].decode("utf-8", "surrogateescape") if answer and answer[0] == 0 else None

    def close(self) -> None:
        """Wait for any question not asked for (the history was not read)."""
        for name in list(self.processes):
            self.answer(name)


# --- reading git's output -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FilePair:
    """One file of a commit's --raw diff: its blob before and after, and its path before and after."""

    commit: str
    when: int
    old_blob: str
    new_blob: str
    old_path: str
    new_path: str


def parse_log(text: str) -> list[FilePair]:
    """The file pairs of `git log -z --format=%x01%H %ct --raw --no-abbrev` output, oldest commit first
    when the log was asked for with --reverse."""
    pairs = []
    for block in text.split("\x01")[1:]:
        head, _, raw = block.partition("\0")
        commit, when = head.split()
        pairs += parse_raw(raw, commit, int(when))
    return pairs


def parse_raw(raw: str, commit: str = "", when: int = 0) -> list[FilePair]:
    """The file pairs of `git diff --raw -z --no-abbrev` output."""
    fields = [f for f in raw.lstrip("\n").split("\0")]
    pairs, i = [], 0
    while i < len(fields):
        meta = fields[i].lstrip("\n")
        if not meta.startswith(":"):
            i += 1
            continue
        _, _, old_blob, new_blob, status = meta[1:].split(" ")
        if status[0] in "RC":
            old_path, new_path = fields[i + 1], fields[i + 2]
            i += 3
        else:
            old_path = new_path = fields[i + 1]
            i += 2
        pairs.append(FilePair(commit, when, old_blob, new_blob, old_path, new_path))
    return pairs


def version_of(text: str | None, kind: str, sections: dict, settings: dict) -> Version | None:
    """What a file's text (None: no file) says about its URL."""
    if text is None:
        return None
    header = parse_header(text.removeprefix("\ufeff"))
    date = parse_date(header.get("date") or "") if kind == "article" else None
    if date is not None and date.tzinfo is None:
        date = date.replace(tzinfo=ZoneInfo(settings.get("TIMEZONE") or "UTC"))
    return Version(header_url(header, kind, sections, settings), is_public(header), date, bool(header.get("slug")))


def changes_between(before: Version | None, after: Version | None, when: int, path: str,
                    commit: str | None) -> UrlChange | None:
    """The URL change from one version of a file to the next, if the first was live when the second replaced it."""
    if before is None or not before.live_before(when):
        return None
    new = after.url if after is not None and after.public else None
    if new == before.url:
        return None
    # The slug (the URL's last part) changed with no `Slug:` line before or after: only the Title changed it.
    by_title = (new is not None and not before.slug_given and not after.slug_given
                and new.rstrip("/").rsplit("/", 1)[-1] != before.url.rstrip("/").rsplit("/", 1)[-1])
    return UrlChange(path, before.url, new, when, commit, by_title)


# --- the history of a content folder --------------------------------------------------------------------------

class UrlHistory:
    """Reads the URL changes of the articles and pages under `repo.prefix` (see the module's docstring).

    `against`: what the content being checked is, beside the last commit: "worktree" (the files on disk,
    `make check` and builds) or "index" (what is staged: the pre-commit hook)."""

    NAME, VERSION = "url-history", 1  # a record of the build's Store

    def __init__(self, repo: Repository, settings: dict, sections: dict, *, against: str = "worktree", store=None,
                 ahead: GitAhead | None = None):
        self.repo, self.settings, self.sections, self.against, self.store = repo, settings, sections, against, store
        self.ahead = ahead if against == "worktree" else None
        def folder(sub: str) -> str:  # "content/articles/", or "" for the whole repository
            joined = "/".join(part for part in (repo.prefix, sub.strip("/")) if part)
            return joined + "/" if joined else ""

        self.folders = [(folder(d), "article") for d in settings.get("ARTICLE_PATHS") or [""]]
        self.folders += [(folder(d), "page") for d in settings.get("PAGE_PATHS") or ["pages"]]
        # Longest first, so a page folder inside the article folder ("" and "pages/") is found as pages.
        self.folders.sort(key=lambda f: -len(f[0]))

    def kind(self, path: str) -> str | None:
        if not path.lower().endswith((".md", ".markdown", ".mdown", ".mkd")):
            return None
        return next((kind for folder, kind in self.folders if path.startswith(folder)), None)

    def content_path(self, path: str) -> str:
        return path[len(self.repo.prefix) + 1:] if self.repo.prefix else path

    def scope(self) -> str:
        keys = ("SLUG_REGEX_SUBSTITUTIONS", "SLUGIFY_PRESERVE_CASE", "SLUGIFY_USE_UNICODE", "TIMEZONE",
                "ARTICLE_PATHS", "PAGE_PATHS")
        what = repr((self.repo, sorted(self.sections.items()), [repr(self.settings.get(k)) for k in keys]))
        return hashlib.sha256(what.encode()).hexdigest()

    def read(self, now: dt.datetime) -> History:
        asked = self.ahead.shallow_and_head() if self.ahead is not None else None
        shallow, head = asked if asked is not None else shallow_and_head(self.repo.top)
        history = History(available=True, shallow=shallow)
        if head:
            history.changes = self.committed(head)
        history.changes += self.uncommitted(head, int(now.timestamp()))
        return history

    def pathspecs(self) -> list[str]:
        return [folder.rstrip("/") or "." for folder, _ in self.folders]

    def committed(self, head: str) -> list[UrlChange]:
        """The changes in the commits up to `head`: the Store's record of an earlier head, and those since."""
        scope = self.scope()
        saved = self.store.load(self.NAME, self.VERSION, scope=scope) if self.store else None
        changes: list[UrlChange] = []
        since = None
        if saved and saved.get("head") == head:
            return list(saved["changes"])
        if saved and self._is_ancestor(saved.get("head"), head):
            changes, since = list(saved["changes"]), saved["head"]
        # Not additions (--diff-filter): a new file has no earlier URL, and every article's first commit
        # would otherwise match -G and be read.
        log = _git(self.repo.top, "log", "--reverse", "-z", "--format=%x01%H %ct", "-M", "--raw", "--no-abbrev",
                   "--diff-filter=MRDT", "-G" + PICKAXE, f"{since}..{head}" if since else head, "--", *self.pathspecs())
        pairs = [p for p in parse_log(log) if self.kind(p.old_path) or self.kind(p.new_path)]
        texts = self.blobs({b for p in pairs if p.old_blob != ZERO for b in (p.old_blob, p.new_blob) if b != ZERO})
        for p in pairs:
            change = self.change(p, texts.get(p.old_blob), texts.get(p.new_blob), p.when, p.commit[:10])
            if change:
                changes.append(change)
        if self.store:
            self.store.save(self.NAME, self.VERSION, {"head": head, "changes": changes}, scope=scope)
        return changes

    def uncommitted(self, head: str, now: int) -> list[UrlChange]:
        """What the content being checked changed since the last commit (nothing before the first commit)."""
        if not head:
            return []
        raw = self.ahead.diff() if self.ahead is not None else None
        if raw is None:
            args = [*DIFF] + (["--cached"] if self.against == "index" else [])
            raw = _git(self.repo.top, *args, head, "--", *self.pathspecs())
        pairs = [p for p in parse_raw(raw) if self.kind(p.old_path) or self.kind(p.new_path)]
        wanted = {p.old_blob for p in pairs if p.old_blob != ZERO}
        if self.against == "index":
            wanted |= {p.new_blob for p in pairs if p.new_blob != ZERO}
        texts = self.blobs(wanted)
        changes = []
        for p in pairs:
            after = texts.get(p.new_blob) if p.new_blob != ZERO else self.disk(p.new_path)
            change = self.change(p, texts.get(p.old_blob), after, now, None)
            if change:
                changes.append(change)
        return changes

    def disk(self, path: str) -> str | None:
        try:
            with open(os.path.join(self.repo.top, path), encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return None

    def change(self, pair: FilePair, before: str | None, after: str | None, when: int, commit) -> UrlChange | None:
        old_kind, new_kind = self.kind(pair.old_path), self.kind(pair.new_path)
        old = version_of(before, old_kind, self.sections, self.settings) if old_kind else None
        new = version_of(after, new_kind, self.sections, self.settings) if new_kind else None
        return changes_between(old, new, when, self.content_path(pair.new_path), commit)

    def blobs(self, shas: set[str]) -> dict[str, str]:
        """Each blob's text, read by one `git cat-file --batch`."""
        if not shas:
            return {}
        order = sorted(shas)
        try:
            result = subprocess.run(["git", "cat-file", "--batch"], cwd=self.repo.top, capture_output=True,
                                    input="".join(f"{s}\n" for s in order).encode(), timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise GitError(str(e)) from None
        data, texts, at = result.stdout, {}, 0
        for sha in order:
            end = data.index(b"\n", at)
            parts = data[at:end].split()
            at = end + 1
            if len(parts) < 3 or parts[1] == b"missing":
                continue
            size = int(parts[2])
            texts[sha] = data[at:at + size].decode("utf-8", "replace")
            at += size + 1
        return texts

    def _is_ancestor(self, old: str | None, head: str) -> bool:
        if not old:
            return False
        try:
            _git(self.repo.top, "merge-base", "--is-ancestor", old, head)
        except GitError:
            return False  # not an ancestor (history rewritten), or not in this clone
        return True


def url_history(content_root: str, settings: dict, sections: dict, now: dt.datetime, *,
                repo: Repository | None = None, against: str = "worktree", store=None,
                ahead: GitAhead | None = None) -> History:
    """The URL changes git knows for the content folder `content_root` (see UrlHistory). `repo`: the
    repository to read when the content being checked is a copy outside it (the pre-commit hook's).
    `ahead`: git's answers about `content_root`, asked earlier (GitAhead)."""
    if repo is not None and ahead is not None:
        ahead.close()  # asked about the content folder, not about the repository given
        ahead = None
    repo = repo or find_repository(content_root, ahead)
    try:
        if repo is None:
            return History(reason="the content folder is not in a git repository")
        return UrlHistory(repo, settings, sections, against=against, store=store, ahead=ahead).read(now)
    except GitError as e:
        return History(reason=f"git could not read the history ({e})", failed=True)
    finally:
        if ahead is not None:
            ahead.close()

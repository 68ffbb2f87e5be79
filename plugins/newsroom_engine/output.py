"""Putting a finished build in place of the last good output.

Two ways, both leaving the output exactly as a clean build would and never touching it before the build
has succeeded:

* swap (a first build, or one with the caches off): the whole site was written into the staging folder;
  files whose bytes equal the last output's are replaced by hard links to the old files (so they keep
  their inode and mtime), and one rename swaps the folders. Folders a plugin updates once the site is in
  place (`preserve_output`: the search index) are carried over from the last output first;
* update in place (an incremental build): the staging folder holds only what this build wrote; the rest
  of the site was *kept* (newsroom_content/writer.py). Changed files are renamed into the output one by
  one, files no longer produced are deleted. At tens of thousands of pages this is what makes a one-edit
  rebuild fast: creating and deleting a folder per article costs seconds, the few changed files do not.
  Each file is replaced atomically, though the site as a whole is not.
"""

from __future__ import annotations

import os
import shutil

PRECOMPRESSED = (".gz", ".br")

def keep_unchanged_files(staging: str, final: str) -> int:
    """Put the last good output's file in place of every freshly written file with the same bytes.

    Pelican writes every page on every build. Hard-linking the old file over an identical new one keeps
    its inode and modification time, so `rsync`, CDN uploads and browsers' revalidation see only the files
    whose bytes really changed, and the swap into place stays one atomic rename.
    """
    if not os.path.isdir(final):
        return 0
    kept = 0
    for dirpath, _, files in os.walk(staging):
        old_dir = os.path.join(final, os.path.relpath(dirpath, staging))
        if not os.path.isdir(old_dir):
            continue
        for name in files:
            new, old = os.path.join(dirpath, name), os.path.join(old_dir, name)
            if not same_bytes(new, old):
                continue
            if not os.path.samefile(new, old):  # resized images are already linked from their cache
                try:
                    os.link(old, new + ".nr-unchanged")
                except OSError:
                    return kept  # a file system without hard links: every file is simply new
                os.replace(new + ".nr-unchanged", new)
            kept += 1
    return kept


def carry_over(final: str, staging: str, prefixes) -> int:
    """Put the last good output's files under each of `prefixes` (folders a plugin updates only once the
    site is in place: the search index) into `staging`, as hard links (copies where the file system refuses
    links), so that swapping staging into place leaves them as they were. A file staging has already wins.
    Returns how many were carried over."""
    count = 0
    for prefix in sorted(prefixes):
        source = os.path.join(final, prefix.rstrip("/"))
        if not os.path.isdir(source) or os.path.islink(source):
            continue
        for dirpath, _, files in os.walk(source):
            target_dir = os.path.join(staging, os.path.relpath(dirpath, final))
            os.makedirs(target_dir, exist_ok=True)
            for name in files:
                old, new = os.path.join(dirpath, name), os.path.join(target_dir, name)
                if os.path.lexists(new):
                    continue
                try:
                    os.link(old, new)
                except OSError:
                    shutil.copy2(old, new)
                count += 1
    return count


def swap_into_place(staging: str, final: str) -> None:
    """Replace `final` with `staging` using renames, so readers of `final` never see a half-written site."""
    previous = final.rstrip(os.sep) + ".previous"
    shutil.rmtree(previous, ignore_errors=True)
    if os.path.lexists(final):
        os.rename(final, previous)
    os.rename(staging, final)
    shutil.rmtree(previous, ignore_errors=True)


def same_bytes(a: str, b: str) -> bool:
    """Whether two files hold the same bytes (the same file, or equal sizes and contents)."""
    try:
        sa, sb = os.stat(a), os.stat(b)
    except (FileNotFoundError, NotADirectoryError):  # (a file of the old output where a folder now goes)
        return False
    if (sa.st_ino, sa.st_dev) == (sb.st_ino, sb.st_dev):
        return True
    if sa.st_size != sb.st_size:
        return False
    # Not filecmp.cmp: it caches answers by size and mtime, which a long `make serve` could see repeat.
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            chunk = fa.read(1 << 16)
            if chunk != fb.read(1 << 16):
                return False
            if not chunk:
                return True


def all_files(folder: str) -> set[str]:
    found = set()
    for dirpath, _, files in os.walk(folder):
        rel = os.path.relpath(dirpath, folder)
        for name in files:
            found.add(name if rel == "." else os.path.join(rel, name).replace(os.sep, "/"))
    return found


def make_folder(final: str, folder: str) -> None:
    """os.makedirs(folder) inside `final`, deleting any file of the old output that stands where one of its
    folders now goes (a page saved as `notes` last time, as `notes/index.html` now)."""
    path = final
    for part in os.path.relpath(folder, final).split(os.sep):
        path = os.path.join(path, part)
        if os.path.lexists(path) and not os.path.isdir(path):
            os.unlink(path)
    os.makedirs(folder, exist_ok=True)


def update_in_place(staging: str, final: str, kept: set[str], previous_files: set[str] | None,
                    preserve: tuple[str, ...] = ()) -> dict:
    """Move what `staging` holds into `final` and delete what neither it nor `kept` accounts for.

    `kept`: relative paths of files the build kept from `final` (with their precompressed copies).
    `previous_files`: every file `final` holds, if known (else it is walked). `preserve`: path prefixes
    left alone (a search index refreshed after this step). Returns counts, the files replaced or deleted
    ("changed") and the new list of files."""
    produced = all_files(staging)
    replaced = unchanged = 0
    changed = []
    for rel in sorted(produced):
        source, target = os.path.join(staging, rel), os.path.join(final, rel)
        if same_bytes(source, target):
            unchanged += 1
            continue
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target)
        make_folder(final, os.path.dirname(target))
        os.replace(source, target)
        replaced += 1
        changed.append(rel)
    current = previous_files if previous_files is not None else all_files(final)
    keep = produced | kept | {k + e for k in kept for e in PRECOMPRESSED if k + e in current}
    deleted = 0
    for rel in sorted(current - keep):
        if rel.startswith(preserve):
            keep.add(rel)
            continue
        path = os.path.join(final, rel)
        try:
            os.unlink(path)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            continue  # gone with its folder, or a folder of this build's files stands there now
        deleted += 1
        changed.append(rel)
        parent = os.path.dirname(path)
        while parent != final and parent.startswith(final) and not os.listdir(parent):
            os.rmdir(parent)
            parent = os.path.dirname(parent)
    shutil.rmtree(staging, ignore_errors=True)
    # What this build produced or kept is there; of the rest (copies and preserved files taken from the
    # last list) only what is still there is listed.
    there = produced | kept
    return {"replaced": replaced, "unchanged": unchanged, "deleted": deleted, "changed": changed,
            "files": there | {rel for rel in keep - there if os.path.lexists(os.path.join(final, rel))}}

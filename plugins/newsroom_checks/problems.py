"""One problem in the content, reported as one line an editor can act on."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    field: str
    message: str
    fix: str
    severity: str = "error"  # "error" stops the build; "warning" and "notice" (news, nothing wrong) do not

    def format(self, root: str | None = None) -> str:
        where = display_path(self.path, root)
        if self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.severity}: {self.field}: {self.message} Fix: {self.fix}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def display_path(path: str, root: str | None = None) -> str:
    """The path as an editor would type it: relative to the repository when it is inside it."""
    base = root or os.getcwd()
    rel = os.path.relpath(path, base)
    return path if rel.startswith("..") else rel


class ContentProblemsError(Exception):
    """Raised to stop a build before it writes anything; the problems were already reported."""

    exitcode = 1

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = sum(p.is_error for p in problems)
        super().__init__(
            f"newsroom_content: {errors} problem{'s' if errors != 1 else ''} in the content (listed above); "
            "nothing was written and the last good output is untouched"
        )

"""Run Python-Markdown's own test suite, as it is or with the fast paths in every Markdown().

    python tests/tools/markdown_suite.py SUITE_FOLDER [--fast]

SUITE_FOLDER holds the suite's `tests/` package, from the library's source distribution (`make
install-test` extracts it into .venv/markdown-tests/). With --fast, every `markdown.Markdown(**kwargs)`
made while the suite runs (directly, through `markdown.markdown()` or through a subclass) is made from
`with_fast_inline(with_fast_smarty(kwargs))`, as NewsroomMarkdownReader makes its converters.

unittest's report goes to stderr; the last line on stdout is JSON: how many tests ran, the ids of those
that failed or raised, how many were skipped, and (with --fast) how many converters were made and how many
of them had the fast inline processor and one-pass smarty in place. tests/test_markdown_suite.py runs this
twice and compares.
"""

from __future__ import annotations

import functools
import json
import sys
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "plugins"))

COUNTS = {"converters": 0, "fast_inline": 0, "fast_smarty": 0}


def put_fast_paths_in_every_markdown() -> None:
    import markdown.core

    from newsroom_markdown import compat, with_fast_inline, with_fast_smarty
    from newsroom_markdown.fast_inline import FastInlineProcessor
    from newsroom_markdown.smart_punctuation import SmartPunctuationProcessor

    # Decided before Markdown() is wrapped: the check itself makes a converter.
    if not compat.fast_paths_usable():
        sys.exit("the fast paths are off for this Python-Markdown (see the warning above)")
    original = markdown.core.Markdown.__init__

    @functools.wraps(original)
    def __init__(self, **kwargs):
        original(self, **with_fast_inline(with_fast_smarty(kwargs)))
        COUNTS["converters"] += 1
        COUNTS["fast_inline"] += type(self.treeprocessors["inline"]) is FastInlineProcessor
        smarty = self.treeprocessors["smarty"] if "smarty" in self.treeprocessors else None
        COUNTS["fast_smarty"] += type(smarty) is SmartPunctuationProcessor

    markdown.core.Markdown.__init__ = __init__


def run(folder: Path) -> dict:
    suite = unittest.TestLoader().discover(start_dir=str(folder / "tests"), top_level_dir=str(folder))
    result = unittest.TextTestRunner(stream=sys.stderr, verbosity=1).run(suite)
    return {
        "run": result.testsRun,
        "failures": sorted(test.id() for test, _ in result.failures),
        "errors": sorted(test.id() for test, _ in result.errors),
        "unexpected_successes": sorted(test.id() for test in result.unexpectedSuccesses),
        "skipped": len(result.skipped),
        **COUNTS,
    }


def main(argv: list[str]) -> None:
    folder = Path(argv[0]).resolve()
    if "--fast" in argv[1:]:
        put_fast_paths_in_every_markdown()
    summary = run(folder)
    print(json.dumps(summary))


if __name__ == "__main__":
    main(sys.argv[1:])

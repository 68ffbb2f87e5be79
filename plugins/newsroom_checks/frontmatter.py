"""Reads the `Key: value` header of a Markdown file with line numbers.

Pelican's Markdown reader (the `meta` extension) throws away line numbers and stops at the first bad
line without saying so; editors need to be told which line is wrong, so the validator reads the header
itself with the same rules: `Key: value` lines from the top of the file to the first blank line, and
lines indented by four or more spaces continue the previous value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The same key pattern as Python-Markdown's meta extension.
KEY_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
CONTINUATION = re.compile(r"^[ ]{4,}(?P<value>.*)$")


@dataclass
class HeaderField:
    key: str  # as the editor typed it
    value: str
    line: int


@dataclass
class Header:
    fields: dict[str, HeaderField] = field(default_factory=dict)  # by lower-case key
    duplicates: list[HeaderField] = field(default_factory=list)
    stray_lines: list[tuple[int, str]] = field(default_factory=list)
    body: str = ""

    def get(self, key: str) -> str | None:
        f = self.fields.get(key)
        return f.value if f else None

    def line(self, key: str) -> int | None:
        f = self.fields.get(key)
        return f.line if f else None


def parse_header(text: str) -> Header:
    header = Header()
    # Only newlines end a line, as in Markdown: str.splitlines() would also split on \v, \f, \x1c-\x1e,
    # \x85 and \u2028, so one stray control character in a Title would hide every key after it.
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    current: HeaderField | None = None
    i = 0
    for i, raw in enumerate(lines):
        if not raw.strip():
            break
        m = KEY_LINE.match(raw)
        if m:
            current = HeaderField(m["key"], m["value"].strip(), i + 1)
            lk = current.key.lower()
            if lk in header.fields:
                header.duplicates.append(current)
            else:
                header.fields[lk] = current
            continue
        c = CONTINUATION.match(raw)
        if c and current is not None:
            current.value = f"{current.value} {c['value'].strip()}".strip()
            continue
        if not header.fields:
            # No header at all: the file starts with body text.
            return Header(body=text)
        header.stray_lines.append((i + 1, raw))
    else:
        i = len(lines)
    header.body = "\n".join(lines[i + 1 :])
    return header

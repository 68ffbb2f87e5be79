"""Setting a card's text: which face sets each character, in what order the pieces of a line are drawn, and
how a headline is wrapped and sized to fit its box.

The theme's fonts are split by script (fontsource subsets: Latin, Latin Extended, Arabic), so one headline
may need several files. Pillow draws one font at a time, so a line is cut into *pieces*, each one font and
one direction, in the order they are drawn from left to right. A line that one font can set whole is a
single piece, and libraqm (FriBiDi and HarfBuzz, inside Pillow) orders and shapes it, Arabic included; a
line that mixes fonts is ordered here by a simplified form of the Unicode bidirectional algorithm, enough
for a Latin name, a number or a quotation mark inside an Arabic headline and the reverse (runs of strong
characters and numbers; neutral characters take their neighbours' direction, else the paragraph's).

Fitting is pure arithmetic over word widths measured once per size: the largest size at which the
headline takes at most `max_lines` lines in its box wins, and its lines are balanced (the narrowest
measure that keeps that many lines, as CSS `text-wrap: balance` does). Only a headline too long for
`max_lines` at the smallest size is cut, at a word, with an ellipsis.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from .style import FontFile

ELLIPSIS = "…"
PROBE_SIZE = 48
# A character no font has: what a font draws for it is its "missing glyph" box.
NOT_A_CHARACTER = "\U0010fffd"
# Lines break at spaces only: a no-break space or a thin space is there to hold words together.
BREAKS_RE = re.compile(r"[ \t\r\n]+")


@dataclass(frozen=True)
class Piece:
    font: int  # index in the chain
    text: str  # in logical order; Pillow shapes and orders it within the piece
    direction: str  # "ltr" or "rtl"


@dataclass(frozen=True)
class Fitted:
    size: int
    lines: tuple[str, ...]  # logical text of each line
    truncated: bool  # an ellipsis ends the last line


@functools.lru_cache(maxsize=256)
def load_font(path: str, digest: str, size: int) -> ImageFont.FreeTypeFont:
    """One face at one size, kept for the process (a `make serve` run sees a changed file by its digest)."""
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)


def _drawn(font: ImageFont.FreeTypeFont, text: str) -> bytes:
    image = Image.new("L", (PROBE_SIZE * 3, PROBE_SIZE * 2))
    ImageDraw.Draw(image).text((PROBE_SIZE // 2, PROBE_SIZE // 4), text, font=font, fill=255)
    return image.tobytes()


@functools.lru_cache(maxsize=64)
def _missing_glyph(path: str, digest: str) -> bytes:
    return _drawn(load_font(path, digest, PROBE_SIZE), NOT_A_CHARACTER)


@functools.lru_cache(maxsize=65536)
def has_glyph(path: str, digest: str, char: str) -> bool:
    """Whether the font draws `char` as itself rather than its missing-glyph box. Pillow does not expose a
    font's character map, so the two drawings are compared (once per character and font)."""
    if unicodedata.category(char) in ("Cc", "Cf"):  # controls and format characters draw nothing anyway
        return True
    font = load_font(path, digest, PROBE_SIZE)
    return _drawn(font, char) != _missing_glyph(path, digest)


# Per chain of fonts, the first font that has each character met so far (None: no font has it), and the
# characters met so far that some font has.
_FIRST_COVERING: dict[tuple[FontFile, ...], dict[str, int | None]] = {}
_COVERED: dict[tuple[FontFile, ...], set[str]] = {}


class Chain:
    """Fonts tried in turn for each character."""

    def __init__(self, files: tuple[FontFile, ...]):
        self.files = files
        self.first = _FIRST_COVERING.setdefault(files, {})
        self.covered = _COVERED.setdefault(files, set())

    def font(self, index: int, size: int) -> ImageFont.FreeTypeFont:
        f = self.files[index]
        return load_font(f.path, f.digest, size)

    def covering(self, char: str, prefer: int | None = None) -> int | None:
        """The index of the font that sets `char`: `prefer` if it can (so spaces and punctuation stay in
        the run around them), else the first that can; None when none can."""
        if prefer is not None and has_glyph(self.files[prefer].path, self.files[prefer].digest, char):
            return prefer
        if char not in self.first:
            self.first[char] = next((i for i, f in enumerate(self.files) if has_glyph(f.path, f.digest, char)), None)
        return self.first[char]

    def missing(self, text: str) -> str:
        """The characters of `text` that no font of the chain has, each once, in order. Every build asks
        this of every card, so each distinct character is looked up once."""
        chars = set(text)
        if chars <= self.covered:  # most headlines: every character met before, and set
            return ""
        first = self.first
        lacking = {char for char in chars if (first[char] if char in first else self.covering(char)) is None}
        self.covered.update(chars - lacking)
        return "".join(dict.fromkeys(c for c in text if c in lacking and not c.isspace()))


# --- ordering a line --------------------------------------------------------------------------------------

def strength(char: str) -> str:
    """L (left to right, numbers included: they are read left to right in either script), R, or N (neutral)."""
    kind = unicodedata.bidirectional(char)
    if kind in ("R", "AL"):
        return "R"
    if kind in ("L", "EN", "AN"):
        return "L"
    return "N"


def resolve_directions(text: str, paragraph: str) -> list[str]:
    """Each character's direction, "L" or "R": strong characters their own; a neutral between two of one
    direction that direction, else the paragraph's; a combining mark its base's."""
    base = "R" if paragraph == "rtl" else "L"
    kinds = []
    for char in text:
        kind = strength(char)
        if unicodedata.bidirectional(char) == "NSM" and kinds:
            kind = kinds[-1] if kinds[-1] != "N" else "N"
        kinds.append(kind)
    resolved = list(kinds)
    i = 0
    while i < len(kinds):
        if kinds[i] != "N":
            i += 1
            continue
        j = i
        while j < len(kinds) and kinds[j] == "N":
            j += 1
        before = kinds[i - 1] if i > 0 else base
        after = kinds[j] if j < len(kinds) else base
        for k in range(i, j):
            resolved[k] = before if before == after else base
        i = j
    return resolved


def pieces(text: str, chain: Chain, paragraph: str = "ltr") -> list[Piece] | None:
    """The pieces of one line, in the order they are drawn from left to right; None when a character is
    in no font of the chain."""
    fonts: list[int] = []
    for char in text:
        index = chain.covering(char, fonts[-1] if fonts else None)
        if index is None:
            return None
        fonts.append(index)
    if not text:
        return []
    if len(set(fonts)) == 1:
        return [Piece(fonts[0], text, paragraph)]
    directions = resolve_directions(text, paragraph)
    # Runs of one direction, each cut where the font changes.
    runs: list[tuple[str, list[tuple[int, str]]]] = []
    for char, font, direction in zip(text, fonts, directions):
        if not runs or runs[-1][0] != direction:
            runs.append((direction, []))
        parts = runs[-1][1]
        if parts and parts[-1][0] == font:
            parts[-1] = (font, parts[-1][1] + char)
        else:
            parts.append((font, char))
    if paragraph == "rtl":
        runs.reverse()
    drawn = []
    for direction, parts in runs:
        if direction == "R":
            parts = parts[::-1]
        drawn += [Piece(font, part, "rtl" if direction == "R" else "ltr") for font, part in parts]
    return drawn


def piece_width(piece: Piece, chain: Chain, size: int) -> float:
    return chain.font(piece.font, size).getlength(piece.text, direction=piece.direction)


def line_width(text: str, chain: Chain, size: int, paragraph: str = "ltr") -> float:
    return sum(piece_width(p, chain, size) for p in pieces(text, chain, paragraph) or ())


# --- fitting a headline -----------------------------------------------------------------------------------

def wrap(widths: list[float], space: float, measure: float) -> list[int]:
    """Greedy line breaks for words of `widths` in lines at most `measure` wide: the index of the first word
    of each line. A word wider than the measure gets a line of its own."""
    starts, used = [0], 0.0
    for i, width in enumerate(widths):
        if i > starts[-1] and used + space + width > measure:
            starts.append(i)
            used = width
        else:
            used = width if i == starts[-1] else used + space + width
    return starts


def balanced(widths: list[float], space: float, measure: float, count: int) -> list[int]:
    """The breaks of the narrowest measure (to a pixel) that still sets the words in `count` lines, so the
    lines are of even length rather than full lines over a short last one."""
    low, high = max(widths), measure
    while high - low > 1:
        middle = (low + high) / 2
        if len(wrap(widths, space, middle)) <= count:
            high = middle
        else:
            low = middle
    return wrap(widths, space, high)


def split_word(word: str, chain: Chain, size: int, measure: float, paragraph: str) -> list[str]:
    """A word too long for any line (a long compound, a URL), cut into pieces that fit."""
    parts, current = [], ""
    for char in word:
        if current and line_width(current + char, chain, size, paragraph) > measure:
            parts.append(current)
            current = char
        else:
            current += char
    return parts + [current] if current else parts


def fit(text: str, chain: Chain, measure: float, height: float, sizes, max_lines: int, line_height: float,
        paragraph: str = "ltr") -> Fitted:
    """Set `text` in lines at most `measure` wide and `height` tall: the largest of `sizes` (in pixels,
    largest first) at which it takes at most `max_lines` lines, with balanced lines; else the smallest
    size, cut after `max_lines` lines with an ellipsis.

    Words are measured once, at the largest size, and scaled to the others (outlines scale; hinting moves
    an advance by a fraction of a pixel): the lines chosen are then measured whole at their size, and a
    size whose lines do not really fit is passed over."""
    words = [w for w in BREAKS_RE.split(text) if w]
    if not words:
        return Fitted(sizes[-1], (), False)
    reference = sizes[0]
    word_widths = [line_width(w, chain, reference, paragraph) for w in words]
    space_width = line_width(" ", chain, reference, paragraph)
    for size in sizes:
        lines_here = min(max_lines, int(height // (size * line_height)))
        if lines_here < 1:
            continue
        scale = size / reference
        widths = [w * scale for w in word_widths]
        if max(widths) > measure:
            continue
        space = space_width * scale
        starts = wrap(widths, space, measure)
        if len(starts) <= lines_here:
            starts = balanced(widths, space, measure, len(starts))
            lines = tuple(" ".join(words[a:b]) for a, b in zip(starts, starts[1:] + [len(words)]))
            if all(line_width(line, chain, size, paragraph) <= measure for line in lines):
                return Fitted(size, lines, False)
    return truncate(words, chain, measure, height, sizes[-1], max_lines, line_height, paragraph)


def truncate(words, chain: Chain, measure: float, height: float, size: int, max_lines: int, line_height: float,
             paragraph: str) -> Fitted:
    """The last resort: the smallest size, as many lines as fit, the last ending in an ellipsis."""
    count = max(1, min(max_lines, int(height // (size * line_height))))
    words = [part for w in words for part in split_word(w, chain, size, measure, paragraph)]
    widths = [line_width(w, chain, size, paragraph) for w in words]
    starts = wrap(widths, line_width(" ", chain, size, paragraph), measure)
    lines = [" ".join(words[a:b]) for a, b in zip(starts, starts[1:] + [len(words)])]
    if len(lines) <= count:
        return Fitted(size, tuple(lines), False)
    kept = lines[:count]
    last = kept[-1].split()
    while True:
        candidate = " ".join(last).rstrip(",;:.–—-") + ELLIPSIS
        if len(last) <= 1 or line_width(candidate, chain, size, paragraph) <= measure:
            break
        last.pop()
    while line_width(candidate, chain, size, paragraph) > measure and len(candidate) > 1:
        candidate = candidate[:-2] + ELLIPSIS  # a single word too long even alone: cut it letter by letter
    kept[-1] = candidate
    return Fitted(size, tuple(kept), True)

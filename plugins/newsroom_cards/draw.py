"""Drawing one card: 1200x630 pixels (the size Open Graph, X and LinkedIn show large, 1.91:1), as PNG.

    +--------------------------------------------------------------+
    | (logo) The Common Ledger                                      |  masthead
    |==============================================================|  rule
    |                                                              |
    | Section                                                      |  kicker, the UI face, brand colour
    | The headline, in the headline face, as large as fits in      |  at most MAX_LINES lines
    | at most four balanced lines                                  |
    |                                                              |
    |______________________________________________________________|  band, brand colour
    +--------------------------------------------------------------+

A right-to-left article's card is the mirror image. Everything is kept 40 pixels or more from the top
and bottom edges, which X crops to 2:1 in its timeline.

Why PNG: a card is flat colour and type. PNG keeps the edges of the letters sharp where JPEG rings
around them, and as a palette picture (Canvas: the theme's few colours and the steps of their
anti-aliased edges) it is a fraction of the size of the same card as full-colour PNG or as JPEG at
quality 85 (the README's "Share cards" has the figures). Pillow writes the same bytes for the same
picture in every build.
"""

from __future__ import annotations

import functools
import io
import os
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw

from .style import Style
from .text import Chain, Fitted, fit, line_width, pieces, piece_width

WIDTH, HEIGHT = 1200, 630
MARGIN = 72  # left and right
MASTHEAD_TOP = 44
LOGO_SIZE = 64
LOGO_GAP = 18  # between the logo and the paper's name
LOGO_COLOURS = 24
NAME_SIZE = 40  # the paper's name, in the headline face
RULE_Y, RULE_HEIGHT = 136, 4
BAND_HEIGHT = 16  # the brand-coloured strip along the foot
KICKER_SIZE = 30
KICKER_GAP = 18  # between the kicker's line and the headline's first
BOX_TOP = RULE_Y + RULE_HEIGHT + 44  # where the kicker may start
BOX_BOTTOM = HEIGHT - BAND_HEIGHT - 48  # where the headline must end
# Headline sizes tried, largest first: a short headline fills the card, a long one steps down to a size
# still readable in a timeline's thumbnail (about a third of the card's width).
HEADLINE_SIZES = tuple(range(96, 47, -4))
MAX_LINES = 4
LEVELS = 15  # palette steps of anti-aliasing between the background and each ink


@dataclass(frozen=True)
class CardText:
    """What a card says, as the site shows it."""

    headline: str
    section: str
    site: str
    direction: str  # "ltr" or "rtl": the article's


def headline_box() -> tuple[int, int]:
    """The headline's measure and the height left for it under the kicker."""
    kicker_line = round(KICKER_SIZE * 1.2)
    return WIDTH - 2 * MARGIN, BOX_BOTTOM - BOX_TOP - kicker_line - KICKER_GAP


def fit_headline(card: CardText, style: Style) -> Fitted:
    chain = Chain(style.headline_rtl if card.direction == "rtl" else style.headline)
    measure, height = headline_box()
    return fit(card.headline, chain, measure, height, HEADLINE_SIZES, MAX_LINES, style.line_height, card.direction)


class Canvas:
    """The card as palette indices, drawn ink by ink.

    Each ink (a colour of ROLES) is drawn as an anti-aliased coverage mask, which becomes LEVELS palette
    entries between the background and the ink, so every colour on the card is the theme's own or a step
    of an edge between two of them, and encoding needs no colour quantising, which costs more than the
    drawing and shifts colours. Index 0 is the background; the logo brings its own few colours.
    """

    def __init__(self, style: Style):
        self.style = style
        self.background = style.colours["background"]
        self.masks: dict[tuple, Image.Image] = {}  # by ink colour, in the order first used
        self.logo: tuple[tuple[int, int], Image.Image, list] | None = None  # position, indices, colours

    def ink(self, role: str) -> ImageDraw.ImageDraw:
        colour = self.style.colours[role]
        if colour not in self.masks:
            self.masks[colour] = Image.new("L", (WIDTH, HEIGHT), 0)
        return ImageDraw.Draw(self.masks[colour])

    def paste_logo(self, path: str, position: tuple[int, int]) -> None:
        stat = os.stat(path)
        indices, colours = logo_indices(path, (stat.st_mtime_ns, stat.st_size), self.background)
        self.logo = (position, indices, colours)

    def image(self) -> Image.Image:
        """The card as a palette picture."""
        palette = [self.background]
        index = Image.new("L", (WIDTH, HEIGHT), 0)
        for colour, mask in self.masks.items():
            base = len(palette)
            palette += [mix(self.background, colour, level / LEVELS) for level in range(1, LEVELS + 1)]
            box = mask.getbbox()
            if not box:
                continue
            # Coverage 1-255 to the levels 1-LEVELS (full coverage is the ink itself), 0 left as it is. Inks
            # do not overlap (and where they might, the later one wins), so the lighter of the two indices is
            # the one to keep: cheaper than pasting through a second mask.
            steps = [0] + [base + (value * LEVELS - 1) // 255 for value in range(1, 256)]
            index.paste(ImageChops.lighter(index.crop(box), mask.crop(box).point(steps)), box[:2])
        if self.logo:
            position, indices, colours = self.logo
            index.paste(indices.point([min(255, len(palette) + i) for i in range(256)]), position)
            palette += colours
        card = Image.frombytes("P", (WIDTH, HEIGHT), index.tobytes())
        card.putpalette([channel for colour in palette for channel in colour])
        return card


def mix(background, ink, amount: float) -> tuple[int, int, int]:
    return tuple(round(b + (i - b) * amount) for b, i in zip(background, ink))


@functools.lru_cache(maxsize=8)
def logo_indices(path: str, stamp: tuple, background: tuple) -> tuple[Image.Image, list]:
    """The logo at LOGO_SIZE, laid on the background and reduced to LOGO_COLOURS colours: its palette
    indices (an L picture) and colours. Made once per process and file (`stamp`: its mtime and size)."""
    with Image.open(path) as source:
        logo = source.convert("RGBA").resize((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS)
    flat = Image.new("RGB", logo.size, background)
    flat.paste(logo, (0, 0), logo)
    reduced = flat.quantize(LOGO_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    raw = reduced.getpalette()[: 3 * LOGO_COLOURS]
    colours = [tuple(raw[i:i + 3]) for i in range(0, len(raw), 3)]
    return Image.frombytes("L", reduced.size, reduced.tobytes()), colours


def draw_line(draw: ImageDraw.ImageDraw, text: str, chain: Chain, size: int, baseline: float, direction: str,
              start: float | None = None) -> float:
    """One line from the margin its direction starts from (or from `start`, its left edge); returns its width."""
    parts = pieces(text, chain, direction) or []
    widths = [piece_width(p, chain, size) for p in parts]
    x = start if start is not None else WIDTH - MARGIN - sum(widths) if direction == "rtl" else MARGIN
    for piece, width in zip(parts, widths):
        draw.text((x, baseline), piece.text, font=chain.font(piece.font, size), fill=255, anchor="ls",
                  direction=piece.direction)
        x += width
    return sum(widths)


def masthead(canvas: Canvas, card: CardText, style: Style) -> None:
    rtl = card.direction == "rtl"
    chain = Chain(style.headline)
    inset = MARGIN
    if style.logo:
        canvas.paste_logo(style.logo, (WIDTH - MARGIN - LOGO_SIZE if rtl else MARGIN, MASTHEAD_TOP))
        inset = MARGIN + LOGO_SIZE + LOGO_GAP
    # The name's baseline sits so that its capitals are centred on the logo.
    cap_height = -chain.font(0, NAME_SIZE).getbbox("H", anchor="ls")[1]
    baseline = MASTHEAD_TOP + (LOGO_SIZE + cap_height) / 2
    start = WIDTH - inset - line_width(card.site, chain, NAME_SIZE) if rtl else inset
    draw_line(canvas.ink("text"), card.site, chain, NAME_SIZE, baseline, "ltr", start)
    canvas.ink("rule").rectangle((MARGIN, RULE_Y, WIDTH - MARGIN - 1, RULE_Y + RULE_HEIGHT - 1), fill=255)


def render(card: CardText, style: Style) -> Image.Image:
    """The card as a palette picture."""
    canvas = Canvas(style)
    masthead(canvas, card, style)
    canvas.ink("band").rectangle((0, HEIGHT - BAND_HEIGHT, WIDTH - 1, HEIGHT - 1), fill=255)

    fitted = fit_headline(card, style)
    chain = Chain(style.headline_rtl if card.direction == "rtl" else style.headline)
    step = fitted.size * style.line_height
    kicker_line = round(KICKER_SIZE * 1.2)
    # Kicker and headline as one block, centred in the space between the rule and the band, so a one-line
    # headline does not leave a hole at the foot; a full one fills the box.
    block = kicker_line + KICKER_GAP + step * len(fitted.lines)
    top = BOX_TOP + max(0, (BOX_BOTTOM - BOX_TOP - block) / 2)
    draw_line(canvas.ink("kicker"), card.section, Chain(style.ui), KICKER_SIZE, top + KICKER_SIZE * 0.95, card.direction)
    # Each line's baseline where CSS would put it: half the leading above, the face's ascent, then the text.
    first = top + kicker_line + KICKER_GAP + (step - fitted.size) / 2 + fitted.size * 0.95
    headline = canvas.ink("text")
    for i, line in enumerate(fitted.lines):
        draw_line(headline, line, chain, fitted.size, first + i * step, card.direction)
    return canvas.image()


def encode(image: Image.Image) -> bytes:
    """PNG (see the module's docstring): the same picture always gives the same bytes. zlib's default level:
    its best (9, or Pillow's optimize) saves few bytes for many times the time (README, "Share cards")."""
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def card_png(card: CardText, style: Style) -> bytes:
    return encode(render(card, style))

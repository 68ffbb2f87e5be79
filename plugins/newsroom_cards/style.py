"""What a card is drawn in, read from the theme: colours and line height from tokens.css, faces from its fonts.

The card uses the theme's role names, never its own colour values, so a paper that recolours its theme
recolours its cards. ROLES is the one place that says which token paints which part of a card. Faces are
the first family of each font token (`--nr-font-headline: "Source Serif 4", Georgia, ...`), found in the
theme's self-hosted fonts by fontsource's file names: `<family>-<subset>-<weight>-normal.woff2` in
theme/static/fonts/, `<family>` being the family name in lower case with hyphens (`source-serif-4`).

Only the light scheme's values (the first `:root` block) are used: a card is one picture, shown on every
platform's own light or dark page, and the light newsprint reads on both.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass

from newsroom_checks import display_path
from PIL import ImageColor

from .settings import PLUGIN, CardsSettingsError, Config

# Which token paints which part of a card.
ROLES = {
    "background": "--nr-surface-colour",  # the page: the theme's warm newsprint
    "text": "--nr-text-colour",  # the paper's name and the headline
    "kicker": "--nr-brand-colour",  # the section above the headline, as on the site's cards
    "rule": "--nr-rule-colour",  # the masthead's rule
    "band": "--nr-brand-colour",  # the strip along the foot of the card
}
LINE_HEIGHT = "--nr-line-height-headline"
# The faces: headline (the paper's name and the headline), ui (the section) and arabic (right-to-left text).
FACES = {"headline": "--nr-font-headline", "ui": "--nr-font-ui", "arabic": "--nr-font-arabic"}
WEIGHT = 700  # headlines, the masthead and kickers are bold on the site
FONTS_FOLDER = ("static", "fonts")
TOKENS_FILE = ("static", "css", "tokens.css")
FIX_FONTS = "run `make fonts`, or set NEWSROOM_CARDS = False in pelicanconf.py"

COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)
ROOT_RE = re.compile(r":root\s*\{([^}]*)\}")
DECLARATION_RE = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")


@dataclass(frozen=True)
class FontFile:
    path: str
    digest: str  # SHA-256 of the file: a card's key changes when a face does


@dataclass(frozen=True)
class Style:
    colours: dict  # role -> (r, g, b)
    line_height: float  # of the headline, as a multiple of its size
    # Fonts to try in turn for each character (fallback chains), by what they set.
    headline: tuple[FontFile, ...]  # a left-to-right headline and the masthead
    headline_rtl: tuple[FontFile, ...]  # a right-to-left headline
    ui: tuple[FontFile, ...]  # the section
    logo: str  # absolute path, or ""
    digest: str  # of everything above, files by content


def root_tokens(css: str) -> dict[str, str]:
    """The custom properties of the first `:root { ... }` block (the light scheme), by name."""
    match = ROOT_RE.search(COMMENT_RE.sub("", css))
    return {name: " ".join(value.split()) for name, value in DECLARATION_RE.findall(match.group(1))} if match else {}


def first_family(value: str) -> str:
    """`"Source Serif 4", Georgia, serif` -> `Source Serif 4`."""
    return value.split(",")[0].strip().strip("'\"").strip()


def font_file_name(family: str, subset: str, weight: int = WEIGHT) -> str:
    """fontsource's name for one subset of one weight of a family."""
    return f"{'-'.join(family.lower().split())}-{subset}-{weight}-normal.woff2"


def sha256_file(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


class StyleReader:
    def __init__(self, config: Config):
        self.config = config
        self.tokens_path = os.path.join(config.theme, *TOKENS_FILE)
        self.fonts = os.path.join(config.theme, *FONTS_FOLDER)
        self.tokens: dict[str, str] = {}

    def refuse(self, problem: str, fix: str) -> CardsSettingsError:
        return CardsSettingsError(f"{PLUGIN}: {problem}. Fix: {fix}.")

    def token(self, name: str) -> str:
        if name not in self.tokens:
            raise self.refuse(f"{display_path(self.tokens_path)} has no {name} in its :root block, which share "
                              "cards are drawn with", f"define {name} there, as the theme's components use it")
        return self.tokens[name]

    def colour(self, name: str) -> tuple[int, int, int]:
        value = self.token(name)
        try:
            return ImageColor.getrgb(value)[:3]
        except ValueError:
            raise self.refuse(f"{name} in {display_path(self.tokens_path)} is {value!r}, not a colour share cards "
                              "can draw with", "give a hex colour such as #b3121b") from None

    def font(self, face: str, subset: str, required: bool) -> FontFile | None:
        family = first_family(self.token(FACES[face]))
        path = os.path.join(self.fonts, font_file_name(family, subset))
        if not os.path.isfile(path):
            if not required:
                return None
            raise self.refuse(f"{display_path(path)} is missing: share cards set {face} text in {family} "
                              f"({FACES[face]} in tokens.css)", FIX_FONTS)
        return FontFile(path, sha256_file(path))

    def read(self) -> Style:
        try:
            with open(self.tokens_path, encoding="utf-8") as handle:
                self.tokens = root_tokens(handle.read())
        except OSError as e:
            raise self.refuse(f"cannot read {display_path(self.tokens_path)} ({e.strerror}), whose colours share "
                              "cards use", "restore the theme's tokens.css") from None
        colours = {role: self.colour(name) for role, name in ROLES.items()}
        try:
            line_height = float(self.token(LINE_HEIGHT))
        except ValueError:
            raise self.refuse(f"{LINE_HEIGHT} in {display_path(self.tokens_path)} is {self.token(LINE_HEIGHT)!r}",
                              "give a plain number, e.g. 1.15") from None
        # Latin first, then its extension (Polish, Czech, Turkish ...) when the theme has it, then Arabic:
        # a character takes the first face that has it (text.py).
        latin = [self.font("headline", "latin", True), self.font("headline", "latin-ext", False)]
        arabic = self.font("arabic", "arabic", True)
        ui = [self.font("ui", "latin", True), self.font("ui", "latin-ext", False), arabic]
        headline = tuple(f for f in [*latin, arabic] if f)
        headline_rtl = tuple(f for f in [arabic, *latin] if f)
        logo = self.config.logo
        parts = [repr(sorted(colours.items())), repr(line_height), *(f.digest for f in headline),
                 *(f.digest for f in ui if f), sha256_file(logo) if logo else "no logo"]
        return Style(colours=colours, line_height=line_height, headline=headline, headline_rtl=headline_rtl,
                     ui=tuple(f for f in ui if f), logo=logo,
                     digest=hashlib.sha256("\n".join(parts).encode()).hexdigest())


def read_style(config: Config) -> Style:
    """The theme's card style; raises CardsSettingsError naming the missing token or font and the fix."""
    return StyleReader(config).read()

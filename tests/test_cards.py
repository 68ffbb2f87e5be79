"""newsroom_cards without a build: the theme's style, setting text (faces, direction, wrapping and sizing), the
card's key and the picture itself. The fonts are the theme's own (theme/static/fonts/, from `make fonts`)."""

from __future__ import annotations

import dataclasses
import io
import shutil
from types import SimpleNamespace

import pytest
from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFont

from conftest import REPO
from newsroom_cards.draw import (HEADLINE_SIZES, HEIGHT, MARGIN, MAX_LINES, WIDTH, CardText, card_png,
                                 fit_headline, headline_box, render)
from newsroom_cards.newsroom_cards import card_key, card_text, file_stem, missing_characters
from newsroom_cards.settings import CardsSettingsError, load_config
from newsroom_cards.style import ROLES, read_style, root_tokens
from newsroom_cards.text import ELLIPSIS, Chain, balanced, fit, line_width, pieces, resolve_directions, wrap

THEME = REPO / "theme"
SITE = "The Common Ledger"
ARABIC = "صيادو غزة يعودون إلى البحر بقوارب مرمّمة"  # the sample paper's Arabic article
LONG = ("Severn valley braces for floods after a month’s rain in two days, as councils warn that defences built "
        "for a once-in-a-century storm will not hold")


def config_for(theme=THEME, content=REPO / "content", **settings):
    return load_config({"PATH": str(content), "THEME": str(theme), **settings})


@pytest.fixture(scope="module")
def style():
    return read_style(config_for())


def words(n: int) -> str:
    return " ".join(["Councils"] + ["warn"] * (n - 1))


# --- the theme's style ------------------------------------------------------------------------------------

def test_colours_are_the_light_scheme_tokens_by_role(style):
    tokens = root_tokens((THEME / "static/css/tokens.css").read_text(encoding="utf-8"))
    for role, token in ROLES.items():
        assert style.colours[role] == ImageColor.getrgb(tokens[token])[:3]
    assert style.line_height == float(tokens["--nr-line-height-headline"])


def test_only_the_first_root_block_is_read():
    css = ":root { --a: #fff; /* --b: #000; */ }\n@media (prefers-color-scheme: dark) { :root { --a: #000; } }"
    assert root_tokens(css) == {"--a": "#fff"}


def test_faces_are_the_font_tokens_first_families(style):
    names = [f.path.rsplit("/", 1)[1] for f in style.headline]
    assert names[0] == "source-serif-4-latin-700-normal.woff2"
    assert names[-1] == "noto-naskh-arabic-arabic-700-normal.woff2"
    assert style.headline_rtl[0].path.endswith("noto-naskh-arabic-arabic-700-normal.woff2")
    assert style.ui[0].path.endswith("source-sans-3-latin-700-normal.woff2")


@pytest.fixture
def theme_copy(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(THEME / "static" / "css", theme / "static" / "css")
    shutil.copytree(THEME / "static" / "fonts", theme / "static" / "fonts")
    return theme


def test_a_missing_font_stops_with_its_name_and_the_fix(theme_copy):
    (theme_copy / "static/fonts/source-serif-4-latin-700-normal.woff2").unlink()
    with pytest.raises(CardsSettingsError) as e:
        read_style(config_for(theme_copy))
    message = str(e.value)
    assert message.startswith("newsroom_cards: ")
    assert "static/fonts/source-serif-4-latin-700-normal.woff2 is missing" in message
    assert "make fonts" in message and "NEWSROOM_CARDS = False" in message


def test_the_latin_extension_is_optional(theme_copy):
    for extension in (theme_copy / "static/fonts").glob("*latin-ext*"):
        extension.unlink()
    style = read_style(config_for(theme_copy))
    assert not any("latin-ext" in f.path for f in style.headline)


def test_a_recoloured_theme_recolours_the_card_and_changes_its_key(theme_copy, style):
    tokens = theme_copy / "static/css/tokens.css"
    tokens.write_text(tokens.read_text().replace("--nr-brand-colour: #b3121b", "--nr-brand-colour: #005a9c", 1))
    recoloured = read_style(config_for(theme_copy))
    assert recoloured.colours["kicker"] == (0, 0x5A, 0x9C)
    card = CardText("Strike called off", "Workplace", SITE, "ltr")
    assert card_key(card, recoloured) != card_key(card, style)
    assert (0, 0x5A, 0x9C) in palette(Image.open(io.BytesIO(card_png(card, recoloured))))


@pytest.mark.parametrize("settings, message", [
    ({"NEWSROOM_CARDS": "yes"}, "NEWSROOM_CARDS in pelicanconf.py is 'yes'"),
    ({"NEWSROOM_CARDS_OUTPUT_DIR": "../cards"}, "NEWSROOM_CARDS_OUTPUT_DIR in pelicanconf.py is '../cards'"),
    ({"NEWSROOM_CARDS_LOGO": "images/nope.png"}, "NEWSROOM_CARDS_LOGO in pelicanconf.py names"),
    ({"NEWSROOM_CARDS_COLOURS": {}}, "did you mean"),
])
def test_unusable_settings_are_refused(settings, message):
    with pytest.raises(CardsSettingsError, match="^newsroom_cards: ") as e:
        config_for(**settings)
    assert message in str(e.value)


def test_no_logo_and_no_cards_are_allowed():
    assert config_for(NEWSROOM_CARDS_LOGO="").logo == ""
    assert config_for(NEWSROOM_CARDS=False, NEWSROOM_CARDS_LOGO="images/nope.png").enabled is False


# --- faces and direction ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, paragraph, expected", [
    ("abc def", "ltr", "LLLLLLL"),
    ("أب جد", "rtl", "RRRRR"),
    ("أب 12 جد", "rtl", "RRRLLRRR"),  # numbers read left to right; the spaces beside them are the paragraph's
    ("Gaza «غزة» now", "ltr", "LLLLLLRRRLLLLL"),  # guillemets between Latin and Arabic: the paragraph's
    ("«غزة»", "rtl", "RRRRR"),
])
def test_directions(text, paragraph, expected):
    assert "".join(resolve_directions(text, paragraph)) == expected


def test_a_line_one_font_sets_is_one_piece_for_libraqm(style):
    assert pieces("Lebanon’s teachers", Chain(style.headline)) == [pieces("Lebanon’s teachers", Chain(style.headline))[0]]
    (piece,) = pieces(ARABIC, Chain(style.headline_rtl), "rtl")
    assert (piece.font, piece.text, piece.direction) == (0, ARABIC, "rtl")


def test_numbers_in_an_arabic_line_are_drawn_in_their_place(style):
    # Logically "40 wells before the year 2027": drawn from the left, 2027 comes first and 40 last.
    drawn = pieces("40 بئراً قبل عام 2027", Chain(style.headline_rtl), "rtl")
    texts = [p.text.strip() for p in drawn if p.text.strip()]
    assert texts[0] == "2027" and texts[-1] == "40"
    assert texts[1] == "بئراً قبل عام"
    assert [p.direction for p in drawn if p.text.strip() in ("2027", "40")] == ["ltr", "ltr"]


def test_polish_letters_take_the_latin_extension_or_are_reported(style):
    headline = "Łódź strikers win"
    chain = Chain(style.headline)
    if any("latin-ext" in f.path for f in style.headline):
        assert chain.missing(headline) == ""
        assert {p.font for p in pieces(headline, chain)} == {0, 1}  # Ł, ó... from latin-ext, the rest latin
    else:
        # Ł has no glyph in the Latin subset (ó has; HarfBuzz builds ź from z and a combining accent).
        assert "Ł" in chain.missing(headline)


def test_characters_no_font_has_are_found(style):
    card = CardText("Москва talks resume", "Europe", SITE, "ltr")
    assert missing_characters(card, style) == "Москва"


def test_characters_no_font_has_are_found_again_once_the_others_are_known(style):
    """Every build asks this of every card: characters met before answer from what is known, and a
    headline made only of them has nothing missing, while one with a missing character still reports it."""
    chain = Chain(style.headline)
    assert chain.missing("Talks resume") == ""
    assert chain.missing("Москва talks resume") == "Москва"
    assert chain.missing("resume talks") == ""
    assert chain.missing("Москва talks") == "Москва"


# --- wrapping and sizing ----------------------------------------------------------------------------------

@pytest.mark.parametrize("widths, space, measure, expected", [
    ([10, 10, 10], 2, 100, [0]),
    ([40, 40, 40], 2, 100, [0, 2]),
    ([40, 40, 40], 2, 81, [0, 1, 2]),
    ([150, 10], 2, 100, [0, 1]),  # a word wider than the measure stands alone
])
def test_wrap(widths, space, measure, expected):
    assert wrap(widths, space, measure) == expected


def test_balanced_lines_are_even():
    widths = [30] * 7
    assert wrap(widths, 2, 200) == [0, 6]  # greedy: six words, then one
    assert balanced(widths, 2, 200, 2) == [0, 4]  # balanced: four and three


@pytest.mark.parametrize("count", [1, 3, 6, 10, 16, 20, 24])
def test_longer_headlines_are_set_smaller_in_at_most_max_lines(style, count):
    chain = Chain(style.headline)
    measure, height = headline_box()
    fitted = fit(words(count), chain, measure, height, HEADLINE_SIZES, MAX_LINES, style.line_height)
    shorter = fit(words(max(1, count - 4)), chain, measure, height, HEADLINE_SIZES, MAX_LINES, style.line_height)
    assert fitted.size <= shorter.size
    assert 1 <= len(fitted.lines) <= MAX_LINES
    assert len(fitted.lines) * fitted.size * style.line_height <= height
    assert all(line_width(line, chain, fitted.size) <= measure for line in fitted.lines)
    assert not fitted.truncated and " ".join(fitted.lines) == words(count)


def test_a_short_headline_takes_the_largest_size(style):
    fitted = fit_headline(CardText("Strike called off", "Workplace", SITE, "ltr"), style)
    assert (fitted.size, fitted.lines) == (HEADLINE_SIZES[0], ("Strike called off",))


def test_only_a_headline_too_long_at_the_smallest_size_gets_an_ellipsis(style):
    chain = Chain(style.headline)
    measure, height = headline_box()
    fitted = fit(words(200), chain, measure, height, HEADLINE_SIZES, MAX_LINES, style.line_height)
    assert fitted.truncated and fitted.size == HEADLINE_SIZES[-1]
    assert len(fitted.lines) == MAX_LINES and fitted.lines[-1].endswith(ELLIPSIS)
    assert all(line_width(line, chain, fitted.size) <= measure for line in fitted.lines)
    assert not fit_headline(CardText(LONG, "Environment", SITE, "ltr"), style).truncated


def test_a_word_longer_than_a_line_is_cut_to_fit(style):
    chain = Chain(style.headline)
    measure, height = headline_box()
    fitted = fit("Donaudampfschifffahrtsgesellschaftskapitän" * 2, chain, measure, height, HEADLINE_SIZES,
                 MAX_LINES, style.line_height)
    assert all(line_width(line, chain, fitted.size) <= measure for line in fitted.lines)


# --- the key and the picture ------------------------------------------------------------------------------

def article(title="Lebanon’s teachers return", section="Middle East", **more):
    return SimpleNamespace(**{"title": title, "category": SimpleNamespace(name=section), "text_direction": "ltr", **more})


def test_the_key_changes_with_what_the_card_shows_and_nothing_else(style):
    settings = {"SITENAME": SITE}
    key = card_key(card_text(article(), settings), style)
    assert key == card_key(card_text(article(content="Another story", date="2027-01-01", slug="x"), settings), style)
    assert key != card_key(card_text(article(title="Lebanon’s teachers return to work"), settings), style)
    assert key != card_key(card_text(article(section="Politics"), settings), style)
    assert key != card_key(card_text(article(), {"SITENAME": "The Daily Ledger"}), style)
    rtl = article(text_direction="rtl")
    assert key != card_key(card_text(rtl, settings), style)


@pytest.mark.parametrize("slug, stem", [
    ("lebanons-teachers", "lebanons-teachers"), ("غزة", "article"), ("Mixed Case_and spaces", "mixed-case_and-spaces"),
])
def test_file_names_are_safe(slug, stem):
    assert file_stem(slug) == stem


def palette(image: Image.Image) -> set:
    raw = image.getpalette()
    used = {index for _, index in image.getcolors(256)}
    return {tuple(raw[3 * i:3 * i + 3]) for i in used}


def test_the_card_is_a_1200_by_630_png_in_the_theme_s_colours(style):
    data = card_png(CardText(LONG, "Environment", SITE, "ltr"), style)
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size, image.mode) == ("PNG", (WIDTH, HEIGHT), "P")
    colours = palette(image)
    for role in ("background", "text", "kicker", "rule", "band"):
        assert style.colours[role] in colours
    assert data == card_png(CardText(LONG, "Environment", SITE, "ltr"), style)  # the same bytes every build
    print(f"card: {len(data)} bytes as a palette PNG")


def ink_columns(image: Image.Image, box) -> tuple[int, int]:
    """The leftmost and rightmost columns in `box` that differ from the background."""
    region = image.convert("RGB").crop(box)
    background = Image.new("RGB", region.size, image.convert("RGB").getpixel((2, 2)))
    bbox = ImageChops.difference(region, background).getbbox()
    return box[0] + bbox[0], box[0] + bbox[2]


def test_the_arabic_card_is_set_right_to_left(style):
    card = CardText(ARABIC, "Middle East", SITE, "rtl")
    image = render(card, style)
    fitted = fit_headline(card, style)
    # The headline and the section are flush with the right margin, ragged on the left; the logo is on the right.
    headline_area = (0, 200, WIDTH, HEIGHT - 70)
    left, right = ink_columns(image, headline_area)
    assert WIDTH - MARGIN - 6 <= right <= WIDTH - MARGIN + 2
    assert left > MARGIN + 100
    logo_left, _ = ink_columns(image, (WIDTH // 2, 30, WIDTH, 120))
    assert logo_left < WIDTH - MARGIN - 64
    # Each line is set whole by libraqm (one piece, one font), right to left with its letters joined: not
    # what Pillow's basic layout draws (each letter on its own, left to right).
    chain = Chain(style.headline_rtl)
    basic = ImageFont.truetype(style.headline_rtl[0].path, fitted.size, layout_engine=ImageFont.Layout.BASIC)
    for line in fitted.lines:
        (piece,) = pieces(line, chain, "rtl")
        assert (piece.text, piece.direction) == (line, "rtl")
        shaped, unshaped = Image.new("L", (WIDTH, 200)), Image.new("L", (WIDTH, 200))
        ImageDraw.Draw(shaped).text((WIDTH - 10, 150), line, font=chain.font(0, fitted.size), anchor="rs", direction="rtl",
                                     fill=255)
        ImageDraw.Draw(unshaped).text((WIDTH - 10, 150), line, font=basic, anchor="rs", fill=255)
        assert shaped.getbbox() and unshaped.getbbox()
        assert shaped.tobytes() != unshaped.tobytes()


def test_without_a_logo_the_name_starts_at_the_margin(style):
    with_logo = render(CardText("Strike called off", "Workplace", SITE, "ltr"), style)
    assert ink_columns(with_logo, (0, 30, WIDTH // 2, 120))[0] == MARGIN  # the logo's edge
    plain = dataclasses.replace(style, logo="")
    left, _ = ink_columns(render(CardText("Strike called off", "Workplace", SITE, "ltr"), plain), (0, 30, WIDTH // 2, 120))
    assert MARGIN <= left <= MARGIN + 4  # the T's side bearing

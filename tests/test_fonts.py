"""The self-hosted web fonts: `make fonts` output (theme/static/fonts/, css/fonts.css) and the pages' links."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from conftest import REPO
from newsroom_commands.fonts import FAMILIES, FONTS_CSS, FONTS_DIR, FontsError, file_name, stylesheet

URLS = re.compile(r'url\("\.\./fonts/([^"]+)"\)')


def fake_ranges(**missing) -> dict:
    return {f.package: {s: f"U+{i:04X}-{i + 15:04X}" for i, s in enumerate(f.subsets) if s not in missing.get(f.file_prefix, ())}
            for f in FAMILIES}


def test_the_stylesheet_has_one_face_per_family_subset_weight_and_style():
    css = stylesheet(fake_ranges())
    expected = [file_name(f, s, w, st) for f in FAMILIES for s in f.subsets for w, st in f.faces]
    assert URLS.findall(css) == expected
    assert css.count("@font-face") == len(expected)
    assert css.count("font-display: optional;") == len(expected)
    assert '"Source Serif 4"' in css and '"Source Sans 3"' in css and '"Noto Naskh Arabic"' in css


def test_a_subset_the_package_lacks_is_named_with_the_fix():
    with pytest.raises(FontsError, match=r"^fonts: @fontsource/noto-naskh-arabic@[\d.]+ has no 'arabic' subset .*FAMILIES"):
        stylesheet(fake_ranges(**{"noto-naskh-arabic": ("arabic",)}))


def test_the_committed_fonts_are_exactly_what_fonts_css_names():
    css = FONTS_CSS.read_text(encoding="utf-8")
    named = URLS.findall(css)
    assert named == [file_name(f, s, w, st) for f in FAMILIES for s in f.subsets for w, st in f.faces], \
        "theme/static/css/fonts.css is out of date: run `make fonts`"
    on_disk = sorted(p.name for p in FONTS_DIR.glob("*.woff2"))
    assert sorted(named) == on_disk
    for name in on_disk:
        assert (FONTS_DIR / name).read_bytes()[:4] == b"wOF2", name
    for family in FAMILIES:
        licence = FONTS_DIR / f"LICENSE-{family.file_prefix}.txt"
        assert "SIL Open Font License" in licence.read_text(encoding="utf-8"), licence


def test_every_face_the_tokens_name_is_self_hosted():
    tokens = (REPO / "theme/static/css/tokens.css").read_text(encoding="utf-8")
    for family in FAMILIES:
        assert f'"{family.name}"' in tokens, family.name


@pytest.fixture(scope="module")
def front(tmp_path_factory, image_cache):
    import os

    from conftest import BUILD_EPOCH, NewsroomPelican, Site, load_settings

    out = tmp_path_factory.mktemp("fonts") / "output"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(BUILD_EPOCH))
        NewsroomPelican(load_settings(REPO / "tests/fixtures/site", out, NEWSROOM_IMAGES_CACHE=str(image_cache),
                                      NEWSROOM_SEARCH=False)).run()
    assert os.path.isfile(out / "index.html")
    return Site(out)


def test_pages_link_the_fonts_stylesheet_first_and_preload_no_face(front):
    # A preloaded face competes with the stylesheets and the lead picture for a slow phone's bandwidth;
    # with font-display: optional it is not needed to avoid a reflow (fonts.py says why).
    soup = front.soup("/")
    assert not soup.select('link[rel="preload"][as="font"]')
    published = front.output / "theme" / "fonts"
    sheets = [link["href"] for link in soup.select('link[rel="stylesheet"]')]
    assert re.search(r"theme/css/fonts\.[0-9a-f]{10}\.css$", sheets[0]), sheets
    fonts_link = soup.select_one('link[rel="stylesheet"][data-nr-fonts]')
    assert fonts_link["href"] == sheets[0] and fonts_link["media"] == "print"  # main.js turns it on
    css = front.path(urlsplit(sheets[0]).path).read_text(encoding="utf-8")
    for name in URLS.findall(css):
        assert (published / name).is_file(), name

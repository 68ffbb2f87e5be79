"""Responsive images: resized copies with WebP, their srcsets, lazy inline pictures and the cache."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from conftest import write_article
from newsroom_engine.api import BuildFailedError
from newsroom_images.markup import responsive_html, site_path, srcset_url
from newsroom_images.plan import ImageInfo, fallback_format, inspect_source, plan_derivatives, select_widths
from newsroom_images.resize import encode_source
from newsroom_images.settings import ImagesSettingsError, load_config

WIDTHS = (400, 800, 1200, 1600)
SITEURL = "https://news.example"

# Renders just what a theme would need, so these tests do not depend on how the theme lays things out.
ARTICLE_TEMPLATE = """<!doctype html><title>{{ article.title }}</title>
<script type="application/json" id="lead">{{ article.lead_image|tojson }}</script>
{% if article.lead_image %}<p id="lead-srcset">{{ article.lead_image.webp_srcset|srcset_url(SITEURL) }}</p>{% endif %}
<div id="body">{{ article.content|responsive_images }}</div>
<div id="raw">{{ article.content|safe }}</div>
"""

HARBOUR = """
Title: Cranes return to the harbour
Date: 2026-11-21 09:00
Category: Europe
Image: images/harbour.jpg
Image_alt: Three cranes over the harbour at dusk
Image_caption: The cranes came back on Monday.
Image_credit: Photograph: Test Desk

The port reopened on Monday.

![Cranes at dusk](/images/harbour.jpg "At dusk")

![A portrait of the harbourmaster]({static}/images/portrait.jpg)

![From another site](https://elsewhere.example/cranes.jpg)
"""


def photo(path: Path, size=(1700, 900), orientation: int | None = None) -> Path:
    """A deterministic photo-like JPEG (gradients, so the encoders have real work to do)."""
    w, h = size
    bands = [Image.linear_gradient("L").resize(size), Image.radial_gradient("L").resize(size),
             Image.linear_gradient("L").rotate(90).resize(size)]
    im = Image.merge("RGB", bands)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, "JPEG", quality=90, exif=exif.tobytes())
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha(p) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def harbour_site(site_content, tmp_path):
    """The fixture site plus a 1700x900 lead photo, a sideways-stored portrait and a template override."""
    photo(site_content / "images" / "harbour.jpg")
    # Stored 900x600 with EXIF orientation 6: upright it is a 600x900 portrait.
    photo(site_content / "images" / "portrait.jpg", size=(900, 600), orientation=6)
    write_article(site_content, "europe/2026-11-21-harbour.md", HARBOUR)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "article.html").write_text(ARTICLE_TEMPLATE, encoding="utf-8")
    return {"THEME_TEMPLATES_OVERRIDES": [str(templates)], "SITEURL": SITEURL}


# --- pure functions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("source_width, widths, expected", [
    (1700, WIDTHS, [400, 800, 1200, 1600]),  # wider than every size: no extra
    (1600, WIDTHS, [400, 800, 1200, 1600]),
    (1000, WIDTHS, [400, 800, 1000]),  # never enlarged; its own width is the largest
    (320, WIDTHS, [320]),
    (400, WIDTHS, [400]),
    (900, (1600, 400, 800, 800), [400, 800, 900]),  # unsorted, duplicated settings
])
def test_select_widths(source_width, widths, expected):
    assert select_widths(source_width, widths) == expected


def info_for(width: int, height: int, fallback: str, widths=WIDTHS) -> ImageInfo:
    config = load_config({"PATH": "/site/content", "NEWSROOM_IMAGES_WIDTHS": widths})
    info = ImageInfo(source="/site/content/images/Harbour View.jpg", sha256="ab" * 32, width=width, height=height,
                     mime="image/jpeg", url_dir=config.output_dir, fallback=fallback)
    plan_derivatives(info, config)
    return info


@pytest.mark.parametrize("width, height, fallback, widths, src_width, srcset_widths", [
    (1700, 900, "jpeg", WIDTHS, 800, [400, 800, 1200, 1600]),
    (1000, 500, "jpeg", WIDTHS, 800, [400, 800, 1000]),
    (320, 180, "png", WIDTHS, 320, [320]),
    (2000, 1000, "jpeg", (1200, 1600), None, [1200, 1600]),  # no copy fits 800 px: src is the original
])
def test_srcset_strings(width, height, fallback, widths, src_width, srcset_widths):
    info = info_for(width, height, fallback, widths)
    tag = info.derivatives[0].name.split("-")[-2]
    ext = {"jpeg": "jpg", "png": "png"}[fallback]
    fields = info.fields("images/Harbour View.jpg")
    assert len(tag) == 8 and all(c in "0123456789abcdef" for c in tag)
    assert fields["srcset"] == ", ".join(f"images/sized/harbour-view-{tag}-{w}.{ext} {w}w" for w in srcset_widths)
    assert fields["webp_srcset"] == ", ".join(f"images/sized/harbour-view-{tag}-{w}.webp {w}w" for w in srcset_widths)
    assert fields["src"] == (f"images/sized/harbour-view-{tag}-{src_width}.{ext}" if src_width else "images/Harbour View.jpg")
    assert (fields["width"], fields["height"]) == (width, height)
    heights = {d.width: d.height for d in info.derivatives}
    assert heights[srcset_widths[0]] == round(height * srcset_widths[0] / width)


@pytest.mark.parametrize("srcset, siteurl, expected", [
    ("images/a-400.jpg 400w, images/a-800.jpg 800w", "", "/images/a-400.jpg 400w, /images/a-800.jpg 800w"),
    ("images/a-400.jpg 400w", SITEURL, f"{SITEURL}/images/a-400.jpg 400w"),
    ("https://cdn.example/a.jpg 400w", SITEURL, "https://cdn.example/a.jpg 400w"),
    ("", SITEURL, ""),
])
def test_srcset_url(srcset, siteurl, expected):
    assert srcset_url(srcset, siteurl) == expected


@pytest.mark.parametrize("src, siteurl, expected", [
    ("/images/x.jpg", "", "images/x.jpg"),
    (f"{SITEURL}/images/x.jpg", SITEURL, "images/x.jpg"),
    ("{static}/images/x.jpg", SITEURL, "images/x.jpg"),  # a link Pelican left unresolved
    ("/images/a%20b.png?v=2#top", "", "images/a b.png"),
    ("https://elsewhere.example/x.jpg", SITEURL, None),
    ("images/x.jpg", "", None),  # relative to a page URL we do not know
    ("/images/chart.svg", "", None),  # not a raster picture
    ("data:image/png;base64,AAAA", "", None),
])
def test_site_path(src, siteurl, expected):
    assert site_path(src, siteurl) == expected


@pytest.mark.parametrize("pillow_format, alpha, expected", [
    ("JPEG", False, "jpeg"), ("MPO", False, "jpeg"), ("PNG", False, "png"), ("PNG", True, "png"),
    ("GIF", False, "png"), ("WEBP", False, "jpeg"), ("WEBP", True, "png"), ("AVIF", False, "jpeg"),
])
def test_fallback_format(pillow_format, alpha, expected):
    assert fallback_format(pillow_format, alpha) == expected


@pytest.mark.parametrize("overrides, message", [
    ({"NEWSROOM_IMAGES_WIDTHS": []}, "NEWSROOM_IMAGES_WIDTHS in pelicanconf.py is []"),
    ({"NEWSROOM_IMAGES_WIDTHS": (400, "800")}, "give a list of widths in pixels"),
    ({"NEWSROOM_IMAGES_QUALITY": {"jpeg": 0}}, "NEWSROOM_IMAGES_QUALITY"),
    ({"NEWSROOM_IMAGES_QUALITY": {"avif": 50}}, "NEWSROOM_IMAGES_QUALITY"),
    ({"NEWSROOM_IMAGES_OUTPUT_DIR": "../outside"}, "give a folder inside the output"),
    ({"NEWSROOM_IMAGES_WIDTH": (400,)}, "did you mean NEWSROOM_IMAGES_WIDTHS?"),
])
def test_bad_settings_are_refused(overrides, message):
    with pytest.raises(ImagesSettingsError) as error:
        load_config({"PATH": "/repo/content", **overrides})
    assert str(error.value).startswith("newsroom_images: ")
    assert message in str(error.value)


def test_settings_defaults_and_partial_quality():
    config = load_config({"PATH": "/repo/content", "NEWSROOM_IMAGES_QUALITY": {"webp": 60}})
    assert config.widths == WIDTHS
    assert config.quality == {"jpeg": 80, "webp": 60}
    assert config.cache == "/repo/cache/images"  # relative to the folder that holds the content
    assert config.output_dir == "images/sized"


def test_formats_of_other_sources(tmp_path):
    """Transparent WebP gets PNG copies, opaque WebP JPEG ones; animated GIFs are published as they are."""
    config = load_config({"PATH": str(tmp_path)})
    Image.new("RGBA", (500, 300), (10, 20, 30, 128)).save(tmp_path / "clear.webp")
    Image.new("RGB", (500, 300), (10, 20, 30)).save(tmp_path / "solid.webp")
    frames = [Image.new("RGB", (40, 30), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:], duration=100)
    clear, solid, anim = (inspect_source(str(tmp_path / n), config) for n in ("clear.webp", "solid.webp", "anim.gif"))
    assert clear.fields("c.webp")["srcset"].endswith("-500.png 500w")
    assert solid.fields("s.webp")["srcset"].endswith("-500.jpg 500w")
    assert (clear.mime, solid.mime, anim.mime) == ("image/webp", "image/webp", "image/gif")
    assert anim.fields("images/anim.gif") == {
        "width": 40, "height": 30, "type": "image/gif", "src": "images/anim.gif",
        "srcset": "images/anim.gif 40w", "webp_srcset": "",
    }


def test_copies_are_upright_srgb_and_carry_no_metadata(tmp_path):
    source = tmp_path / "tagged.jpg"
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Camera maker"
    Image.new("RGB", (300, 200), (200, 30, 30)).save(source, "JPEG", icc_profile=icc, exif=exif.tobytes())
    out = tmp_path / "copy.jpg"
    assert encode_source(str(source), [(200, 300, "jpeg", 80, str(out))]) is None
    with Image.open(out) as im:
        assert im.size == (200, 300)
        assert "icc_profile" not in im.info and "exif" not in im.info and im.info.get("progressive")


def test_filter_leaves_unresolved_and_responsive_images_alone():
    html = ('<p><img src="/images/unknown.jpg" alt="a"></p><picture><img src="/images/x.jpg" alt="b"></picture>'
            '<img src="/images/y.jpg" srcset="/images/y.jpg 1x" alt="c">')
    assert responsive_html(html, lambda path: None, "", "100vw") == html
    assert responsive_html("<p>No pictures &amp; no change.</p>", lambda path: 1 / 0, "", "100vw") == "<p>No pictures &amp; no change.</p>"


# Pieces of stories, tricky for the fast path: what Beautiful Soup would parse or write differently.
STORY_PIECES = [
    "Text", " ", "  ", "\n", "\n\n", "\t", "\xa0", "&amp;", "&lt;", "&gt;", "&nbsp;", "&quot;", "'", '"', ">", "\r",
    "<p>", "</p>", "<em>", "</em>", "<figure>", "</figure>", "<picture>", "</picture>", "<br>", "<br/>", "<hr>",
    '<img src="/images/harbour.jpg" alt="A harbour">', '<img alt="Q&amp;A" src="/images/harbour.jpg" width="10" height="5">',
    '<img src="/images/harbour.jpg" loading="eager" class="wide  shot">', '<img src="/images/harbour.jpg" class="wide">',
    '<img src="/images/harbour.jpg?a=1&amp;b=2" title="it\'s">', '<img src="/images/other.jpg" alt="">',
    '<img src="/images/harbour.jpg" srcset="/images/harbour.jpg 1x">', '<img src="">', "<img src='/images/harbour.jpg'>",
    '<img src="/images/harbour.jpg" alt="a" alt="b">', "</img>", '<a href="/x">', "</a>", "<code>", "</code>",
]


def test_the_fast_rewrite_agrees_with_beautiful_soup(monkeypatch):
    import random

    from newsroom_images import markup

    infos = {"images/harbour.jpg": info_for(1700, 900, "jpeg"), "images/other.jpg": info_for(320, 180, "png")}
    infos["images/other.jpg"].fallback = None  # published as it is: no <picture>
    rng, fast, stories = random.Random(11), 0, []
    for _ in range(6000):
        stories.append("".join(rng.choice(STORY_PIECES) for _ in range(rng.randint(1, 7))))
    results = []
    for story in stories:
        fast += "<img" in story and markup.plain_images(story) is not None
        results.append(responsive_html(story, infos.get, SITEURL, "100vw"))
    monkeypatch.setattr(markup, "plain_images", lambda html: None)
    for story, result in zip(stories, results):
        assert responsive_html(story, infos.get, SITEURL, "100vw") == result, story
    assert fast > 300  # the fast path is taken, not only refused
    assert sum(result != story for story, result in zip(stories, results)) > 300  # and pictures rewritten


# --- builds -------------------------------------------------------------------------------------------

def test_build_publishes_resized_copies_and_picture_markup(build_site, site_content, harbour_site):
    before = {name: sha(site_content / "images" / name) for name in ("harbour.jpg", "portrait.jpg", "valley.png")}
    site = build_site(**harbour_site)
    page = site.soup("europe/cranes-return-to-the-harbour/")

    lead = json.loads(page.find(id="lead").string)
    tag = lead["src"].split("-")[-2]
    stem = f"images/sized/harbour-{tag}"
    assert lead == {
        "path": "images/harbour.jpg", "url": "images/harbour.jpg", "alt": "Three cranes over the harbour at dusk",
        "caption": "The cranes came back on Monday.", "credit": "Photograph: Test Desk",
        "width": 1700, "height": 900, "type": "image/jpeg", "src": f"{stem}-800.jpg",
        "srcset": ", ".join(f"{stem}-{w}.jpg {w}w" for w in WIDTHS),
        "webp_srcset": ", ".join(f"{stem}-{w}.webp {w}w" for w in WIDTHS),
    }
    assert page.find(id="lead-srcset").string == ", ".join(f"{SITEURL}/{stem}-{w}.webp {w}w" for w in WIDTHS)

    for w in WIDTHS:
        for ext, fmt in (("jpg", "JPEG"), ("webp", "WEBP")):
            with Image.open(site.output / f"{stem}-{w}.{ext}") as im:
                assert (im.format, im.size) == (fmt, (w, round(900 * w / 1700)))
                assert "exif" not in im.info
                if fmt == "JPEG":
                    assert im.info.get("progressive")
    # The 320 px fixture PNG is not enlarged: one copy at its own width, still PNG.
    water = json.loads(site.soup("middle-east/water-talks-resume-in-the-jordan-valley/").find(id="lead").string)
    assert water["srcset"].endswith("-320.png 320w") and water["srcset"].count("w") == 1
    with Image.open(site.output / water["src"]) as im:
        assert (im.format, im.size) == ("PNG", (320, 180))

    body = page.find(id="body")
    dusk, portrait = body.find_all("picture")
    img = dusk.img
    # Alone in its paragraph, the picture is a figure: its title is the caption, not a tooltip.
    assert img["alt"] == "Cranes at dusk" and not img.has_attr("title")
    assert dusk.find_parent("figure").figcaption.get_text() == "At dusk"
    assert (img["width"], img["height"], img["loading"], img["decoding"]) == ("1700", "900", "lazy", "async")
    assert img["src"] == f"{SITEURL}/{stem}-800.jpg"
    assert img["srcset"] == ", ".join(f"{SITEURL}/{stem}-{w}.jpg {w}w" for w in WIDTHS)
    assert img["sizes"] == dusk.source["sizes"] == "(min-width: 42rem) 38rem, 100vw"
    assert dusk.source["type"] == "image/webp"
    assert dusk.source["srcset"] == ", ".join(f"{SITEURL}/{stem}-{w}.webp {w}w" for w in WIDTHS)
    # Stored sideways with EXIF orientation 6: upright it is 600x900, and so are its copies.
    assert (portrait.img["width"], portrait.img["height"]) == ("600", "900")
    assert portrait.img["src"].endswith("-600.jpg") and portrait.img["srcset"].endswith("-600.jpg 600w")
    with Image.open(site.output / portrait.img["srcset"].split()[0].removeprefix(SITEURL + "/")) as im:
        assert im.size == (400, 600)
    remote = body.find("img", src="https://elsewhere.example/cranes.jpg")
    assert remote.find_parent("picture") is None and not remote.has_attr("loading")

    # The filter works on a copy: article.content, which feeds and search use, keeps its plain <img> tags.
    raw = page.find(id="raw")
    # The picture typed as /images/harbour.jpg has the lead picture's URL: SITEURL's (newsroom_markdown.figures).
    assert raw.find("picture") is None and raw.find("img", alt="Cranes at dusk")["src"] == f"{SITEURL}/images/harbour.jpg"
    # The sources are only read; the originals are still published as they were.
    assert {name: sha(site_content / "images" / name) for name in before} == before
    assert sha(site.output / "images" / "harbour.jpg") == before["harbour.jpg"]


def test_rebuild_reuses_the_cache_and_builds_are_byte_identical(build_site, site_content, harbour_site, tmp_path):
    cache = tmp_path / "cache"
    first = build_site(NEWSROOM_IMAGES_CACHE=str(cache), NEWSROOM_IMAGES_PARALLEL_FROM=0, **harbour_site)
    cached = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(cached) == 2 * (4 + 2 + 1)  # harbour (4 widths), portrait (400, 600) and valley (320), in 2 formats
    second = build_site(NEWSROOM_IMAGES_CACHE=str(cache), **harbour_site)
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == cached  # nothing re-encoded or added
    # A cold build with another cache, encoding in parallel this time, writes the same bytes.
    third = build_site(NEWSROOM_IMAGES_CACHE=str(tmp_path / "cache2"), NEWSROOM_IMAGES_PARALLEL_FROM=1, **harbour_site)
    assert tree(first.output) == tree(second.output) == tree(third.output)
    published = sorted((first.output / "images" / "sized").iterdir())
    assert len(published) == len(cached) and all(os.stat(p).st_mode & 0o044 == 0o044 for p in published)


@pytest.mark.parametrize("damage, reason", [
    ("text", "not a picture format Pillow knows, or a damaged file"),
    ("truncated", "image file is truncated"),  # the header reads; the pixels do not, when encoding
])
def test_unreadable_image_is_one_error_and_fails_the_build(build_site, site_content, harbour_site, tmp_path, caplog, damage, reason):
    broken = site_content / "images" / "broken.jpg"
    if damage == "text":
        broken.write_bytes(b"This is a text file with a picture's name.\n")
    else:
        broken.write_bytes((site_content / "images" / "harbour.jpg").read_bytes()[:5000])
    # The same file as lead and inline image: still one error.
    text = HARBOUR.replace("images/harbour.jpg", "images/broken.jpg").replace("Cranes return", "Broken picture at")
    article = write_article(site_content, "europe/2026-11-21-broken.md", text)
    output = tmp_path / "site"
    with caplog.at_level(logging.ERROR), pytest.raises(BuildFailedError):
        build_site(output=output, **harbour_site)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("newsroom_images")]
    assert len(errors) == 1
    assert errors[0].startswith(f"newsroom_images: {broken}: cannot be read as an image ({reason}")
    assert errors[0].endswith(
        "). Fix: open it in an image editor and export it again as JPEG, PNG or WebP, "
        f"or point {article} at another picture."
    )
    assert not output.exists()

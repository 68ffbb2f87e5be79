"""Safe to publish: fingerprinted assets, precompressed copies, the server configs, the deploy targets and
the CI workflow. The sites are built with publishconf.py, as `make publish` builds them."""

from __future__ import annotations

import brotli
import gzip
import hashlib
import http.client
import logging
import os
import re
import shutil
import ssl
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from conftest import BUILD_EPOCH, FIXTURE_SITE, REPO, load_settings

from newsroom_assets.fingerprint import AssetError, clean_asset_path, fingerprinted_name, minified
from newsroom_assets import precompress
from newsroom_assets.precompress import candidates, precompress_site
from newsroom_assets.reuse import record_path
from newsroom_assets.settings import DEFAULTS, AssetsSettingsError, load_config
from newsroom_content import NewsroomPelican
from newsroom_engine.api import BuildFailedError

EXTRA = REPO / "content" / "extra"
THEME_STATIC = REPO / "theme" / "static"
TEXT_TYPES = DEFAULTS["NEWSROOM_ASSETS_PRECOMPRESS_TYPES"]
MIN_SIZE = 1024
IMMUTABLE = "public, max-age=31536000, immutable"
SECURITY_HEADERS = ("Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options", "Permissions-Policy",
                    "Strict-Transport-Security")
OLD_URL, NEW_URL = "/europe/rail-fares-freeze/", "/europe/rail-fares-frozen-for-a-year/"
# A page of the fixture site that renders the `asset` filter the way the theme's templates will.
ASSET_PAGE = """<!doctype html>
<link rel="stylesheet" href="{{ SITEURL }}/{{ "css/tokens.css"|asset }}">
<link rel="stylesheet" href="{{ SITEURL }}/{{ "css/main.css"|asset }}">
<script src="{{ SITEURL }}/{{ "js/main.js"|asset }}" defer></script>
"""


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(content: Path, output: Path, image_cache: Path, **overrides) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(BUILD_EPOCH))
        settings = load_settings(content, output, "publishconf.py", NEWSROOM_IMAGES_CACHE=str(image_cache),
                                 NEWSROOM_SEARCH=False, **overrides)
        NewsroomPelican(settings).run()
    return output


@pytest.fixture(scope="module")
def paper_content(tmp_path_factory) -> Path:
    """The fixture site, with the repository's server configs and a page that uses the `asset` filter."""
    content = tmp_path_factory.mktemp("deploy") / "content"
    shutil.copytree(FIXTURE_SITE, content)
    shutil.copytree(EXTRA, content / "extra")
    (content / "asset-page.html").write_text(ASSET_PAGE, encoding="utf-8")
    # A moved story's old URL (README.md, "Changing a published article's URL"): the servers redirect it.
    (content / "data" / "redirects.yml").write_text(f"{OLD_URL}: {NEW_URL}\n", encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def published(paper_content, tmp_path_factory, image_cache) -> tuple[Path, Path]:
    """The same site built twice into two folders, precompressed, with the production settings."""
    outputs = []
    for n in range(2):
        outputs.append(build(paper_content, tmp_path_factory.mktemp(f"published{n}") / "output", image_cache,
                             NEWSROOM_ASSETS_PRECOMPRESS=True, TEMPLATE_PAGES={"asset-page.html": "asset-page.html"}))
    return outputs[0], outputs[1]


@pytest.fixture(scope="module")
def site(published) -> Path:
    return published[0]


# --- Precompression --------------------------------------------------------------------------------------

def test_every_text_file_has_gzip_and_brotli_copies_with_the_same_bytes(site):
    compressed = [p for p in site.rglob("*") if p.is_file() and p.suffix in TEXT_TYPES and p.stat().st_size >= MIN_SIZE]
    assert len(compressed) > 20
    assert {".html", ".css", ".js", ".xml", ".json"} <= {p.suffix for p in compressed}
    for path in compressed:
        data = path.read_bytes()
        gz = Path(f"{path}.gz").read_bytes()
        assert gzip.decompress(gz) == data, path
        assert brotli.decompress(Path(f"{path}.br").read_bytes()) == data, path
        # The gzip header: magic, method, flags (no file name), then a zero mtime, so builds are reproducible.
        assert gz[:4] == b"\x1f\x8b\x08\x00" and gz[4:8] == b"\x00\x00\x00\x00", path


def test_small_files_pictures_and_copies_are_not_compressed(site):
    small = [p for p in site.rglob("*") if p.is_file() and p.suffix in TEXT_TYPES and p.stat().st_size < MIN_SIZE]
    assert small, "the fixture site should have a text file under 1 KB (robots.txt)"
    for path in small:
        assert not Path(f"{path}.gz").exists() and not Path(f"{path}.br").exists(), path
    assert not [p for p in site.rglob("*") if p.name.endswith((".gz.gz", ".br.br", ".gz.br", ".br.gz"))]
    assert not [p for p in site.rglob("*") if p.suffix in (".gz", ".br") and Path(str(p)[:-3]).suffix in (".jpg", ".png", ".webp")]
    assert not list(site.glob("_headers.*"))  # no suffix of its own: left alone


def test_files_other_plugins_write_at_the_end_are_compressed_too(site):
    # The sitemaps are written by newsroom_discovery when the build is finalized, like Pagefind's index:
    # precompression must run after them.
    assert (site / "sitemap.xml").stat().st_size >= MIN_SIZE
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()


def test_two_builds_are_byte_identical(published):
    first, second = (files_under(folder) for folder in published)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert any(name.endswith(".br") for name in first)


def test_precompression_is_off_for_local_builds(build_site):
    site = build_site(NEWSROOM_SEARCH=False)
    assert (site.output / "index.html").exists()
    assert not [p for p in site.output.rglob("*") if p.suffix in (".gz", ".br")]


def test_precompress_site_skips_copies_that_would_not_be_smaller_and_is_the_same_on_any_thread_count(tmp_path):
    page = b"<p>The fighting fund needs you.</p>\n" * 200
    noise = os.urandom(4096)  # random bytes do not compress
    results = []
    for threads in (1, 2):
        folder = tmp_path / f"t{threads}"
        (folder / "a").mkdir(parents=True)
        (folder / "a" / "index.html").write_bytes(page)
        (folder / "random.json").write_bytes(noise)
        (folder / "small.txt").write_bytes(b"User-agent: *\n")
        (folder / "picture.jpg").write_bytes(page)
        report = precompress_site(str(folder), TEXT_TYPES, MIN_SIZE, brotli_quality=11, threads=threads)
        assert report.files == 2 and report.written == 2 and report.reused == 0
        assert sorted(Path(p).name for p in report.skipped) == ["random.json.br", "random.json.gz"]
        results.append({k: v for k, v in files_under(folder).items()})
    assert results[0] == results[1]
    assert sorted(results[0]) == ["a/index.html", "a/index.html.br", "a/index.html.gz", "picture.jpg", "random.json", "small.txt"]


def stage(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def publish_stage(root: Path, files: dict[str, bytes], **options) -> precompress.Report:
    """What a build does: write into output.partial, compress it against output, swap it into place."""
    staging, output = root / "output.partial", root / "output"
    report = precompress_site(str(stage(staging, files)), TEXT_TYPES, MIN_SIZE, previous=str(output), threads=2, **options)
    shutil.rmtree(output, ignore_errors=True)
    staging.rename(output)
    return report


def test_a_rebuild_reuses_the_copies_of_unchanged_files_and_matches_a_clean_compression(tmp_path):
    files = {"a/index.html": b"<p>The fighting fund needs you.</p>\n" * 200, "b.css": b"body { color: red }\n" * 100,
             "random.json": os.urandom(4096)}  # random bytes do not shrink: no copies, and none to reuse
    first = publish_stage(tmp_path, files)
    assert (first.files, first.reused, first.written) == (3, 0, 4)
    inodes = {p: (tmp_path / "output" / p).stat().st_ino for p in ("a/index.html.gz", "a/index.html.br", "b.css.br")}

    files["b.css"] = b"body { color: blue }\n" * 100
    second = publish_stage(tmp_path, files)
    assert (second.files, second.reused, second.written) == (3, 2, 4)
    assert "2 reused from the last output, 1 compressed" in second.summary()
    output = tmp_path / "output"
    assert (output / "a/index.html.br").stat().st_ino == inodes["a/index.html.br"]  # linked, not rewritten
    assert (output / "b.css.br").stat().st_ino != inodes["b.css.br"]
    assert brotli.decompress((output / "b.css.br").read_bytes()) == files["b.css"]
    assert gzip.decompress((output / "b.css.gz").read_bytes()) == files["b.css"]
    assert not (output / "random.json.gz").exists() and not (output / "random.json.br").exists()

    clean = stage(tmp_path / "clean", files)
    precompress_site(str(clean), TEXT_TYPES, MIN_SIZE)
    assert files_under(output) == files_under(clean)


def test_copies_made_another_way_or_by_a_failed_build_are_not_reused(tmp_path):
    files = {"index.html": b"<p>The fighting fund needs you.</p>\n" * 200}
    publish_stage(tmp_path, files, brotli_quality=11)
    assert publish_stage(tmp_path, files, brotli_quality=5).reused == 0  # the old .br is quality 11
    assert publish_stage(tmp_path, files, brotli_quality=5).reused == 1

    # A build that fails after compressing never replaces the output: its record must not be taken for it.
    precompress_site(str(stage(tmp_path / "output.partial", files)), TEXT_TYPES, MIN_SIZE, brotli_quality=11,
                     previous=str(tmp_path / "output"))
    shutil.rmtree(tmp_path / "output.partial")
    assert publish_stage(tmp_path, files, brotli_quality=11).reused == 0  # the output's .br is still quality 5
    assert (tmp_path / "output" / "index.html.br").read_bytes() == brotli.compress(files["index.html"], quality=11)

    Path(record_path(str(tmp_path / "output"))).write_text("not json", encoding="utf-8")
    assert publish_stage(tmp_path, files, brotli_quality=11).reused == 0


def test_reused_copies_are_copied_where_hard_links_are_refused(tmp_path, monkeypatch):
    files = {"index.html": b"<p>The fighting fund needs you.</p>\n" * 200}
    publish_stage(tmp_path, files)
    inode = (tmp_path / "output" / "index.html.br").stat().st_ino

    def refuse(*args):
        raise PermissionError("no hard links here")
    monkeypatch.setattr(os, "link", refuse)
    assert publish_stage(tmp_path, files).reused == 1
    copy = tmp_path / "output" / "index.html.br"
    assert copy.stat().st_ino != inode and brotli.decompress(copy.read_bytes()) == files["index.html"]


def test_a_rebuild_compresses_only_the_changed_files_and_equals_a_clean_build(paper_content, tmp_path, image_cache,
                                                                              monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(paper_content, content)
    options = dict(NEWSROOM_ASSETS_PRECOMPRESS=True, TEMPLATE_PAGES={"asset-page.html": "asset-page.html"})
    output = build(content, tmp_path / "output", image_cache, **options)
    before = files_under(output)

    article = content / "articles" / "editorial" / "2026-11-19-why-we-publish.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Our readers own this paper.", "Our readers own this paper, and they read it closely."), encoding="utf-8")
    compressed = []
    compress_file = precompress.compress_file
    monkeypatch.setattr(precompress, "compress_file", lambda path, *a: compressed.append(path) or compress_file(path, *a))
    build(content, output, image_cache, **options)
    after = files_under(output)

    changed = {name for name, data in after.items() if before.get(name) != data and not name.endswith((".gz", ".br"))}
    page = "editorial/why-we-publish/index.html"
    assert page in changed and b"they read it closely" in after[page]
    # Everything else got its copies from the first build: far fewer compressions than candidates.
    assert sorted(os.path.relpath(p, f"{output}.partial") for p in compressed) == sorted(
        name for name in changed if f"{name}.gz" in after)
    assert len(compressed) < len([name for name in after if name.endswith(".gz")]) // 3
    assert gzip.decompress(after[f"{page}.gz"]) == after[page]
    assert brotli.decompress(after[f"{page}.br"]) == after[page]

    monkeypatch.setattr(precompress, "compress_file", compress_file)
    clean = build(content, tmp_path / "clean" / "output", image_cache, **options)
    assert after == files_under(clean)


def test_candidates_are_sorted_and_filtered(tmp_path):
    for name, size in (("b.html", 2000), ("a.css", 2000), ("c.HTML", 2000), ("d.html", 10), ("e.png", 5000)):
        (tmp_path / name).write_bytes(b"x" * size)
    assert [Path(p).name for p in candidates(str(tmp_path), TEXT_TYPES, MIN_SIZE)] == ["a.css", "b.html", "c.HTML"]


# --- Fingerprinted assets --------------------------------------------------------------------------------

def test_the_asset_filter_names_a_minified_fingerprinted_copy_of_the_theme_file(site):
    html = (site / "asset-page.html").read_text(encoding="utf-8")
    urls = re.findall(r'(?:href|src)="([^"]+)"', html)
    assert len(urls) == 3
    for url, source in zip(urls, ("css/tokens.css", "css/main.css", "js/main.js")):
        original = (THEME_STATIC / source).read_bytes()
        data = minified(source, original)
        assert len(data) < len(original) * 0.9, source  # comments and indentation gone
        assert b"/*" not in data, source
        digest = hashlib.sha256(data).hexdigest()[:10]
        stem, ext = source.rsplit(".", 1)
        assert url == f"https://www.commonledger.example/theme/{stem}.{digest}.{ext}"
        path = url.removeprefix("https://www.commonledger.example/")
        assert (site / path).read_bytes() == data
        assert (site / "theme" / source).read_bytes() == original  # the plain name stays, as written
        assert gzip.decompress((site / f"{path}.gz").read_bytes()) == data


@pytest.mark.parametrize("path, source, expected", [
    ("css/x.css", "/* why */\n.a  {\n  color : red ;\n}\n@media (min-width: 40em) { .b { margin: calc(1rem + 2px); } }\n",
     ".a{color:red}@media (min-width:40em){.b{margin:calc(1rem + 2px)}}"),
    ("js/x.js", "// why\nconst greeting = `a  b ${1 + 2}`;\n\nfunction f (x) {\n  return x  +  1;\n}\n",
     "const greeting=`a  b ${1 + 2}`;function f(x){return x+1;}"),
    ("images/x.svg", "<svg>  </svg>", "<svg>  </svg>"),
])
def test_minified_keeps_every_token(path, source, expected):
    assert minified(path, source.encode()).decode() == expected


def test_every_theme_file_the_pages_link_exists(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'(?:href|src)="https://www\.commonledger\.example/(theme/[^"]+)"', html)
    assert links, "the front page links the theme's stylesheets and script"
    for link in links:
        assert (site / link).is_file(), link


def test_an_asset_the_theme_does_not_have_fails_the_build(paper_content, tmp_path, image_cache, caplog):
    pages = {}
    for n in range(2):  # two pages ask for it: one error, not one a page
        bad = tmp_path / f"bad-asset-{n}.html"
        bad.write_text('<link rel="stylesheet" href="{{ "css/missing.css"|asset }}">', encoding="utf-8")
        pages[str(bad)] = bad.name
    with pytest.raises(BuildFailedError):
        build(paper_content, tmp_path / "output", image_cache, TEMPLATE_PAGES=pages)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR and "newsroom_assets" in r.getMessage()]
    assert len(errors) == 1
    assert errors[0].startswith("newsroom_assets: asset 'css/missing.css' is not in the theme's static folder")
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("path, data, expected", [
    ("css/main.css", b"body{}", "css/main." + hashlib.sha256(b"body{}").hexdigest()[:10] + ".css"),
    ("feeds/rss.xsl", b"", "feeds/rss.e3b0c44298.xsl"),
    ("js/app.min.js", b"", "js/app.min.e3b0c44298.js"),
    ("LICENSE", b"", "LICENSE.e3b0c44298"),
])
def test_fingerprinted_name(path, data, expected):
    assert fingerprinted_name(path, data) == expected


@pytest.mark.parametrize("path", ["", "/css/main.css", "../secrets.txt", "css/../../x.css", "css//main.css", None])
def test_asset_paths_must_stay_inside_the_static_folder(path):
    with pytest.raises(AssetError):
        clean_asset_path(path)


# --- Settings --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, value, fix", [
    ("NEWSROOM_ASSETS_PRECOMPRESS", "yes", "write True or False"),
    ("NEWSROOM_ASSETS_PRECOMPRESS_TYPES", ".html", "give a list of file name endings"),
    ("NEWSROOM_ASSETS_PRECOMPRESS_TYPES", ["html"], "give a list of file name endings"),
    ("NEWSROOM_ASSETS_PRECOMPRESS_TYPES", [".html", ".gz"], "leave out .gz and .br"),
    ("NEWSROOM_ASSETS_PRECOMPRESS_MIN_SIZE", -1, "give a number of bytes"),
    ("NEWSROOM_ASSETS_BROTLI_QUALITY", 12, "from 0 (fastest) to 11 (smallest)"),
    ("NEWSROOM_ASSETS_PRECOMPRESS_THREADS", True, "give a number of threads"),
    ("NEWSROOM_ASSETS_PRECOMPRES", True, "did you mean NEWSROOM_ASSETS_PRECOMPRESS?"),
])
def test_unusable_settings_are_refused_with_a_fix(name, value, fix):
    with pytest.raises(AssetsSettingsError) as refused:
        load_config({name: value})
    assert str(refused.value).startswith(f"newsroom_assets: {name} in pelicanconf.py ")
    assert fix in str(refused.value)


def test_local_and_production_settings():
    local = load_settings(FIXTURE_SITE, Path("/nonexistent"))
    production = load_settings(FIXTURE_SITE, Path("/nonexistent"), "publishconf.py")
    assert "newsroom_assets" in local["PLUGINS"]
    assert load_config(local).precompress is False
    if os.environ.get("NEWSROOM_ASSETS_PRECOMPRESS") is None:
        assert load_config(production).precompress is True


# --- Server configs --------------------------------------------------------------------------------------

def parse_headers_file(text: str) -> list[tuple[str, dict[str, str]]]:
    """Netlify/Cloudflare `_headers`: a path at the start of a line, then indented `Name: value` lines."""
    rules: list[tuple[str, dict[str, str]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            assert line.startswith("/") and line.count("*") <= 1, f"line {number}: a path with at most one *"
            rules.append((line.strip(), {}))
        else:
            if line.strip().startswith("! "):  # Cloudflare: detach a header an earlier rule set
                name, sep, value = line.strip(), ": ", ""
            else:
                name, sep, value = line.strip().partition(": ")
            assert sep and rules and name not in rules[-1][1], f"line {number}: {line!r}"
            assert len(line) <= 2000, f"line {number}: Cloudflare reads at most 2,000 characters a line"
            rules[-1][1][name] = value
    return rules


def rule_matches(pattern: str, url: str) -> bool:
    """The URL matching both hosts share: * is any characters, slashes included; a trailing slash is optional."""
    regex = "^" + ".*".join(re.escape(part) for part in pattern.rstrip("/").split("*")) + "/?$"
    return re.match(regex, url.rstrip("/") or "/") is not None


def headers_for(rules, url: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for pattern, headers in rules:
        if rule_matches(pattern, url):
            for name, value in headers.items():
                found.setdefault(name, []).append(value)
    return found


def url_of(path: str) -> str:
    return "/" + (path[: -len("index.html")] if path.endswith("index.html") else path)


@pytest.fixture(scope="module")
def header_rules(site):
    return parse_headers_file((site / "_headers").read_text(encoding="utf-8"))


def test_headers_file_is_published_unchanged_and_the_nginx_example_is_not(site):
    assert (site / "_headers").read_bytes() == (EXTRA / "_headers").read_bytes()
    assert not list(site.rglob("nginx.conf*"))


def test_headers_file_sends_the_security_headers_on_every_url(site, header_rules):
    csp = dict(header_rules)["/*"]["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ")}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["frame-src"] == ["https://www.youtube-nocookie.com", "https://player.vimeo.com", "https://www.openstreetmap.org"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    # The same policy as the <meta> on every page, plus frame-ancestors, which only a header can carry.
    settings = load_settings(FIXTURE_SITE, Path("/nonexistent"), "publishconf.py")
    meta = {d.split()[0]: d.split()[1:] for d in settings["NEWSROOM_CONTENT_SECURITY_POLICY"].split("; ")}
    assert meta == {k: v for k, v in directives.items() if k != "frame-ancestors"}
    assert dict(header_rules)["/*"]["Referrer-Policy"] == settings["NEWSROOM_REFERRER_POLICY"]
    for url in ("/", "/europe/", "/middle-east/water-talks-resume-in-the-jordan-valley/", "/404.html",
                "/images/sized/x-0123abcd-400.jpg", "/feeds/all.rss.xml", "/theme/css/main.css"):
        headers = headers_for(header_rules, url)
        for name in SECURITY_HEADERS:
            assert len(headers.get(name, [])) == 1, (url, name)
        assert headers["Referrer-Policy"] == ["strict-origin-when-cross-origin"]
        assert headers["X-Content-Type-Options"] == ["nosniff"]


def test_headers_file_cache_rules_cover_assets_images_feeds_and_leave_html_to_revalidate(site, header_rules):
    published = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    checked = {"html": 0, "sized": 0, "feeds": 0}
    for path in published:
        cache = headers_for(header_rules, url_of(path)).get("Cache-Control", [])
        assert len(cache) <= 1, f"{path}: two rules set Cache-Control, and Cloudflare would join them"
        if path.startswith(("images/sized/", "images/cards/")):
            assert cache == [IMMUTABLE], path
            checked["sized"] += 1
        elif path.startswith("feeds/") and path.endswith((".xml", ".json")):
            assert cache == ["public, max-age=900"], path
            checked["feeds"] += 1
        elif path.endswith(".html"):
            assert cache == [], path  # the hosts' default: public, max-age=0, must-revalidate
            checked["html"] += 1
    assert all(checked.values()), checked
    # Every theme file, under the name the `asset` filter gives it and under its own.
    fonts = [p for p in THEME_STATIC.glob("fonts/*") if p.is_file()]
    assert fonts, "theme/static/fonts/ is empty: run `make fonts`"
    for font in fonts:  # named by fonts.css, not by the asset filter: a month, not forever
        assert headers_for(header_rules, f"/theme/fonts/{font.name}").get("Cache-Control") == ["public, max-age=2592000"]
    for source in sorted(p.relative_to(THEME_STATIC).as_posix() for p in THEME_STATIC.rglob("*")
                         if p.is_file() and p.parent.name != "fonts"):
        fingerprinted = "/theme/" + fingerprinted_name(source, (THEME_STATIC / source).read_bytes())
        assert headers_for(header_rules, fingerprinted).get("Cache-Control") == [IMMUTABLE], (
            f"{fingerprinted}: add a rule for it to content/extra/_headers")
        assert headers_for(header_rules, "/theme/" + source).get("Cache-Control") is None, source


NGINX = (EXTRA / "nginx.conf").read_text(encoding="utf-8")


def nginx_directives(text: str) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


def nginx_cache_control(uri: str) -> str:
    """What the example's `map $uri $paper_cache_control` gives a URI (first matching regex, else default)."""
    block = NGINX[NGINX.index("map $uri $paper_cache_control {"):]
    block = block[: block.index("\n}")]
    default = None
    for line in nginx_directives(block)[1:]:
        key, value = re.match(r'("[^"]*"|\S+)\s+"([^"]*)";', line).groups()
        key = key.strip('"')
        if key == "default":
            default = value
        elif re.search(key.lstrip("~"), uri):
            return value
    return default


def test_redirects_for_netlify_cloudflare_and_nginx_are_published_at_the_root(site):
    """The old URL in content/data/redirects.yml, as each server reads it (newsroom_redirects)."""
    netlify = [line.split() for line in (site / "_redirects").read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")]
    assert netlify == [[OLD_URL, NEW_URL, "301"]]
    nginx = [line for line in (site / "_redirects.map").read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert nginx == [f'"{OLD_URL}" "{NEW_URL}";']
    page = (site / OLD_URL.strip("/") / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="https://www.commonledger.example{NEW_URL}">' in page
    assert f'<meta http-equiv="refresh" content="0; url=https://www.commonledger.example{NEW_URL}">' in page
    assert "map $uri $paper_redirect {" in NGINX and "include /var/www/paper/_redirects.map;" in NGINX
    assert "return 301 $paper_redirect;" in nginx_directives(NGINX)


def test_nginx_example_sends_the_same_headers_as_the_headers_file(header_rules):
    directives = nginx_directives(NGINX)
    sent = dict(re.match(r'add_header (\S+) "?(.*?)"? always;$', d).groups() for d in directives if d.startswith("add_header"))
    for name in SECURITY_HEADERS:
        assert sent[name] == dict(header_rules)["/*"][name], name
    assert sent["Cache-Control"] == "$paper_cache_control"
    assert "gzip_static on;" in directives
    assert "# brotli_static on;" in NGINX and "libnginx-mod-http-brotli-static" in NGINX
    assert "error_page 404 /404.html;" in directives
    for mime in ("text/xml          xml;", "application/json  json;", "text/xsl          xsl;"):
        assert mime in directives


@pytest.mark.parametrize("uri, expected", [
    ("/index.html", "no-cache"),
    ("/europe/rail-fares/index.html", "no-cache"),
    ("/theme/css/main.css", "no-cache"),
    ("/theme/css/main.0123456789.css", IMMUTABLE),
    ("/theme/feeds/rss.abcdef0123.xsl", IMMUTABLE),
    ("/images/sized/harbour-0123abcd-800.webp", IMMUTABLE),
    ("/images/harbour.jpg", "no-cache"),
    ("/images/cards/lebanon-strike-0123456789.png", IMMUTABLE),
    ("/theme/fonts/source-serif-4-latin-400-normal.woff2", "public, max-age=2592000"),
    ("/feeds/all.rss.xml", "public, max-age=900"),
    ("/feeds/tag/strikes.atom.xml", "public, max-age=900"),
    ("/feeds/all.json", "public, max-age=900"),
    ("/feeds/index.html", "no-cache"),
])
def test_nginx_example_cache_lifetimes(uri, expected):
    assert nginx_cache_control(uri) == expected


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


@pytest.fixture
def nginx_site(site, tmp_path):
    """The example config, pointed at the built site on a loopback port with a throwaway certificate."""
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed (apt-get install nginx-light libnginx-mod-http-brotli-static)")
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed, so no certificate can be made for the example's https server")
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                           "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")], capture_output=True)
    assert made.returncode == 0, made.stderr
    port = free_port()
    conf = (NGINX
            .replace("/etc/letsencrypt/live/www.commonledger.example/fullchain.pem", str(tmp_path / "cert.pem"))
            .replace("/etc/letsencrypt/live/www.commonledger.example/privkey.pem", str(tmp_path / "key.pem"))
            .replace("root /var/www/paper;", f"root {site};")
            .replace("include /var/www/paper/_redirects.map;", f"include {site}/_redirects.map;")
            .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;")
            .replace("listen [::]:443 ssl http2;", "")
            .replace("listen 80;", f"listen 127.0.0.1:{free_port()};")
            .replace("listen [::]:80;", ""))
    if BROTLI_MODULE.exists():
        conf = conf.replace("# brotli_static on;", "brotli_static on;")
    (tmp_path / "site.conf").write_text(conf)
    (tmp_path / "nginx.conf").write_text(
        (f"load_module {BROTLI_MODULE};\n" if BROTLI_MODULE.exists() else "")
        + ("user root;\n" if os.geteuid() == 0 else "")  # the workers must read the site in pytest's private folder
        + f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        + f"http {{ include /etc/nginx/mime.types; access_log off; include {tmp_path}/site.conf; }}\n")
    return tmp_path, port


def test_nginx_accepts_the_example(nginx_site):
    folder, _ = nginx_site
    result = subprocess.run(["nginx", "-t", "-q", "-p", str(folder), "-c", str(folder / "nginx.conf")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "warn" not in result.stderr, result.stderr


def test_nginx_serves_the_site_with_its_headers_and_precompressed_copies(nginx_site, site):
    folder, port = nginx_site
    server = subprocess.Popen(["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    def get(path, encoding="identity"):
        for _ in range(50):
            try:
                conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
                conn.request("GET", path, headers={"Accept-Encoding": encoding})
                response = conn.getresponse()
                return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
            except OSError:  # not listening yet
                time.sleep(0.1)
        raise AssertionError(f"nginx did not answer: {server.stderr.read1().decode() if server.poll() is not None else ''}")

    try:
        status, headers, body = get("/", "gzip")
        assert status == 200 and headers["content-encoding"] == "gzip"
        assert gzip.decompress(body) == (site / "index.html").read_bytes()
        assert headers["cache-control"] == "no-cache" and headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        if BROTLI_MODULE.exists():
            status, headers, body = get("/", "br, gzip")
            assert headers["content-encoding"] == "br" and brotli.decompress(body) == (site / "index.html").read_bytes()
        asset = re.search(r'"https://www\.commonledger\.example(/theme/css/main\.[0-9a-f]{10}\.css)"',
                          (site / "asset-page.html").read_text()).group(1)
        status, headers, body = get(asset)
        assert status == 200 and headers["cache-control"] == IMMUTABLE and headers["content-type"].startswith("text/css")
        status, headers, _ = get("/feeds/all.rss.xml")
        assert headers["cache-control"] == "public, max-age=900" and headers["content-type"] == "text/xml; charset=utf-8"
        status, headers, _ = get("/theme/feeds/rss.xsl")
        assert status == 200 and headers["content-type"] == "text/xsl; charset=utf-8"
        status, headers, _ = get("/feeds/all.json")
        assert headers["content-type"] == "application/json; charset=utf-8"
        status, headers, body = get("/no/such/page/")
        assert status == 404 and body == (site / "404.html").read_bytes()
        assert headers["strict-transport-security"].startswith("max-age=31536000")
        assert get("/_headers")[0] == 404
        # A moved story: nginx answers its old URL with a real redirect, from the map the build wrote.
        status, headers, _ = get(OLD_URL)
        assert status == 301 and headers["location"].endswith(f":{port}{NEW_URL}")
        assert headers["x-content-type-options"] == "nosniff"
        assert get(NEW_URL)[0] == 200
        assert get("/_redirects")[0] == 404 and get("/_redirects.map")[0] == 404
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- Deploy targets --------------------------------------------------------------------------------------

@pytest.fixture
def repo(tmp_path):
    """A working copy with the fixture site as its content, sharing this checkout's .venv, and fake
    rsync, aws and ghp-import programs first on PATH that record how they were called."""
    work = tmp_path / "paper"
    work.mkdir()
    for name in ("Makefile", "pelicanconf.py", "publishconf.py", "requirements.txt", "requirements-test.txt",
                 "requirements-deploy.txt"):
        shutil.copy2(REPO / name, work / name)  # copy2 keeps mtimes, so make sees .venv as up to date
    for name in ("plugins", "theme", ".venv"):
        os.symlink(REPO / name, work / name)
    shutil.copytree(FIXTURE_SITE, work / "content")
    shutil.copytree(EXTRA, work / "content" / "extra")
    fakes = tmp_path / "bin"
    fakes.mkdir()
    for program in ("rsync", "aws", "ghp-import", "ssh"):
        fake = fakes / program
        fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{tmp_path}/calls-{program}"\n')
        fake.chmod(0o755)
    return work


def make(repo, *args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DEPLOY_", "MAKE", "NEWSROOM_"))}
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=repo, capture_output=True, text=True, timeout=120,
        env={**clean, "PATH": f"{repo.parent / 'bin'}{os.pathsep}{os.environ['PATH']}",
             "SOURCE_DATE_EPOCH": str(BUILD_EPOCH), **env},
    )


def calls(repo, program) -> list[str]:
    log = repo.parent / f"calls-{program}"
    return log.read_text().splitlines() if log.exists() else []


@pytest.mark.parametrize("target, setting", [
    ("deploy-rsync", "DEPLOY_SSH_TARGET"), ("deploy-s3", "DEPLOY_S3_BUCKET"), ("deploy-ghpages", "DEPLOY_GHPAGES_REMOTE"),
])
def test_a_deploy_target_without_its_setting_refuses_before_building(repo, target, setting):
    for args in ([target], ["-n", target], [target, f"{setting}="]):
        result = make(repo, *args, GHP_IMPORT=str(repo.parent / "bin" / "ghp-import"))
        assert result.returncode != 0
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert f"make {target}: set {setting}, e.g. make {target} {setting}=" in lines[0]
        assert "Traceback" not in result.stdout + result.stderr
    assert not (repo / "output").exists() and not (repo / "output.partial").exists()
    assert all(calls(repo, p) == [] for p in ("rsync", "aws", "ghp-import"))


@pytest.mark.skipif(not shutil.which("rsync", path="/usr/bin:/bin:/usr/local/bin"), reason="rsync is not installed")
def test_deploy_rsync_publishes_then_mirrors_the_site(repo, tmp_path):
    www = tmp_path / "www"
    (www / "old-page").mkdir(parents=True)
    (www / "old-page" / "index.html").write_text("gone")
    real_rsync = shutil.which("rsync", path="/usr/bin:/bin:/usr/local/bin")
    result = make(repo, "deploy-rsync", f"DEPLOY_SSH_TARGET={www}/", f"RSYNC={real_rsync}")
    assert result.returncode == 0, result.stderr
    built = files_under(repo / "output")
    assert files_under(www) == built  # old-page is deleted, everything else arrives as built
    assert "index.html.br" in built and "_headers" in built  # the production build, precompressed


def test_deploy_s3_uploads_in_passes_without_precompressed_copies(repo):
    result = make(repo, "deploy-s3", "DEPLOY_S3_BUCKET=s3://paper-bucket/", "DEPLOY_S3_ENDPOINT=https://s3.example.org")
    assert result.returncode == 0, result.stderr
    assert not [p for p in (repo / "output").rglob("*") if p.suffix in (".gz", ".br")]
    syncs = calls(repo, "aws")
    assert len(syncs) == 5
    for call in syncs:
        assert call.startswith("s3 sync output/ s3://paper-bucket/ --no-progress --endpoint-url https://s3.example.org ")
        assert "--exclude *.gz --exclude *.br --exclude _headers" in call
    assert "--include images/sized/*" in syncs[0] and f"--cache-control {IMMUTABLE}" in syncs[0]
    assert "--include feeds/*.xml" in syncs[1] and "--cache-control public, max-age=900" in syncs[1]
    assert "--exclude *.html" in syncs[2] and "--cache-control no-cache" in syncs[2]
    assert "--include *.html" in syncs[3]
    assert "--delete --size-only" in syncs[4] and all("--delete" not in c for c in syncs[:4])


def test_deploy_ghpages_pushes_the_site_without_precompressed_copies(repo):
    result = make(repo, "deploy-ghpages", "DEPLOY_GHPAGES_REMOTE=upstream", "DEPLOY_GHPAGES_CNAME=www.commonledger.example",
                  GHP_IMPORT=str(repo.parent / "bin" / "ghp-import"))
    assert result.returncode == 0, result.stderr
    assert not [p for p in (repo / "output").rglob("*") if p.suffix in (".gz", ".br")]
    [call] = calls(repo, "ghp-import")
    assert call.startswith("--no-jekyll --no-history --force --push --remote upstream --branch gh-pages "
                           "--cname www.commonledger.example --message Publish the site (")
    assert call.endswith(" output")


# --- CI workflow -----------------------------------------------------------------------------------------

def test_the_workflow_tests_on_push_and_publishes_on_push_and_when_a_scheduled_change_is_due():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    [schedule] = triggers["schedule"]
    assert schedule["cron"] == "*/5 * * * *", "every five minutes: scheduled stories go live within five minutes"
    due, build, deploy = workflow["jobs"]["due"], workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    # The check: the runner's own Python, one folder checked out, no install, no build.
    assert "container" not in due and due["timeout-minutes"] <= 5
    [check] = [s for s in due["steps"] if "newsroom_commands due" in s.get("run", "")]
    assert check["run"].startswith("python3 -m newsroom_commands due") and check["env"]["PYTHONPATH"] == "plugins"
    assert "--force" in check["run"] and "github.event_name != 'schedule'" in check["run"]
    assert due["outputs"]["due"] == f"${{{{ steps.{check['id']}.outputs.due }}}}"
    [checkout] = [s for s in due["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["sparse-checkout"] == "plugins/newsroom_commands"
    [restore] = [s for s in due["steps"] if s.get("uses", "").startswith("actions/cache/restore@")]
    assert restore["with"]["path"] == "output.next-change.json"
    assert not [s for s in due["steps"] if "apt-get" in s.get("run", "") or "make " in s.get("run", "")]
    # The build runs only when the check says so, and the deploy only after it.
    assert build["needs"] == "due" and build["if"] == "needs.due.outputs.due == 'true'"
    steps = build["steps"]
    runs = {step.get("run", "").strip(): step for step in steps}
    assert runs["make test"]["if"] == "github.event_name == 'push'"
    assert "if" not in runs["make publish"]
    assert [s for s in steps if "apt-get install" in s.get("run", "") and "chromium" in s["run"]]
    [venv_cache] = [s for s in steps if s.get("uses", "").startswith("actions/cache@") and s["with"]["path"] == ".venv"]
    assert "hashFiles('requirements.txt', 'requirements-test.txt'" in venv_cache["with"]["key"]
    # Incremental: the last output/, cache/ and the records beside output/ restored, the checkout stamped.
    [site_cache] = [s for s in steps if s.get("uses", "").startswith("actions/cache@") and s["with"]["path"] != ".venv"]
    assert set(site_cache["with"]["path"].split()) == {"output", "cache", "output.*.json"}
    assert site_cache["with"]["restore-keys"] and "github.run_id" in site_cache["with"]["key"]
    [save] = [s for s in steps if s.get("uses", "").startswith("actions/cache/save@")]
    assert save["with"]["path"] == restore["with"]["path"] and save["with"]["key"].startswith("next-change-")
    assert restore["with"]["restore-keys"] == "next-change-"
    order = [s.get("run", s.get("uses", "")).strip() for s in steps]
    stamp = next(i for i, o in enumerate(order) if "newsroom_commands stamp content theme" in o)
    assert order.index(site_cache["uses"]) < stamp < order.index("make publish")
    assert order.index("make test") < order.index("make publish") < order.index(save["uses"])
    # The whole history: a slug changed in a commit no local tool saw is found there (newsroom_checks.history).
    [checkout] = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["fetch-depth"] == 0
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in steps)
    assert deploy["needs"] == "build"
    assert deploy["steps"][-1]["uses"].startswith("actions/deploy-pages@")
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"

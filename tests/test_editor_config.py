"""The browser editor's configuration (/admin/config.yml) agrees with the validator about every key, in both
directions; the settings are checked once with messages naming the fix; a build writes /admin/ with
everything it needs from the site's own origin, and without Decap installed builds the site without it."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import REPO
from newsroom_checks.validation import (
    ARTICLE_KEYS, LANG_RE, PAGE_KEYS, PAGE_STATUSES, PRIORITIES, REQUIRED_ARTICLE_KEYS, SLUG_RE, STATUSES,
)
from newsroom_content.article_types import ARTICLE_TYPES
from newsroom_content.breaking import BREAKING_KEYS
from newsroom_content.data_files import AUTHOR_KEYS, COOPERATIVE_KEYS, FUND_KEYS
from newsroom_content.policies import POLICY_PROPERTIES
from newsroom_content.settings import build_desks
from newsroom_editor import model
from newsroom_editor.newsroom_editor import admin_csp, build_config, connect_sources
from newsroom_editor.settings import EditorSettingsError, load_config
from pelican.settings import read_settings

SETTINGS = read_settings(str(REPO / "pelicanconf.py"))
AUTHORS = [a["name"] for a in yaml.safe_load((REPO / "content" / "data" / "authors.yml").read_text(encoding="utf-8"))]


def config_for(**overrides) -> dict:
    settings = {**SETTINGS, **overrides}
    return build_config(settings, load_config(settings))


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def fields_of(items) -> dict[str, dict]:
    return {f["name"]: f for f in items if f["name"] != "body"}


# --- the editor and the validator agree, key by key ---------------------------------------------------

@pytest.fixture(scope="module")
def decap() -> dict:
    return config_for()


def test_every_section_is_a_collection_in_desk_order_in_its_own_folder(decap):
    sections = [(s.name, s.slug, d.name) for d in build_desks(SETTINGS) for s in d.sections]
    articles = [c for c in decap["collections"] if c["name"].startswith("section-")]
    assert [(c["label"], c["folder"], c["description"]) for c in articles] == [
        (name, f"content/articles/{slug}", f"{desk} desk") for name, slug, desk in sections]
    for c in articles:
        # As `make new` names files, with the Slug written out.
        assert c["slug"] == "{{year}}-{{month}}-{{day}}-{{fields.Slug}}" and c["format"] == "newsroom-article"
        assert c["fields"][-1]["name"] == "body"


@pytest.mark.parametrize("name,known,required", [
    ("section-middle-east", ARTICLE_KEYS, REQUIRED_ARTICLE_KEYS), ("pages", PAGE_KEYS, ("title",))])
def test_the_form_has_exactly_the_validators_keys_with_its_required_rules(decap, name, known, required):
    fields = fields_of(collection(decap, name)["fields"])
    assert set(fields) == set(known.values())  # both directions: nothing missing, nothing extra
    assert {k for k, f in fields.items() if f["required"]} == {known[k] for k in required}


def test_choices_and_patterns_are_the_validators(decap):
    article = fields_of(collection(decap, "section-africa")["fields"])
    page = fields_of(collection(decap, "pages")["fields"])
    assert article["Status"]["options"] == list(STATUSES) and page["Status"]["options"] == list(PAGE_STATUSES)
    assert article["Priority"]["options"] == list(PRIORITIES)
    assert article["Type"]["options"] == list(ARTICLE_TYPES)
    assert page["Policy"]["options"] == list(POLICY_PROPERTIES)
    assert [o["value"] for o in article["Category"]["options"]] == [s.name for d in build_desks(SETTINGS) for s in d.sections]
    assert article["Category"]["options"][0]["label"] == "World › Middle East" and article["Category"]["default"] == "Africa"
    assert article["Authors"]["options"] == AUTHORS and article["Authors"]["multiple"] is True
    assert article["Slug"]["pattern"][0] == SLUG_RE.pattern and article["Lang"]["pattern"][0] == LANG_RE.pattern
    for pattern, good, bad in ((article["Slug"]["pattern"][0], "gaza-water", "Gaza water"),
                               (article["Lang"]["pattern"][0], "pt-BR", "en\" onmouseover")):
        assert re.match(pattern, good) and not re.match(pattern, bad)
    assert article["Date"]["format"] == "YYYY-MM-DD HH:mm" and article["Image"]["widget"] == "image"


def test_data_files_have_forms_with_every_key_the_site_reads(decap):
    files = {f["name"]: f for c in decap["collections"] if "files" in c for f in c["files"]}
    assert [f["name"] for f in files["fighting-fund"]["fields"]] == [
        "period", "month", "target", "raised", "currency", "donate_url", "period_start", "period_end", "next_period_start"]
    assert set(f["name"] for f in files["fighting-fund"]["fields"]) == set(FUND_KEYS)
    assert {f["name"]: f["widget"] for f in files["fighting-fund"]["fields"]}["raised"] == "number"
    assert [f["name"] for f in files["cooperative"]["fields"]] == list(COOPERATIVE_KEYS)
    [authors] = files["authors"]["fields"]
    assert authors["widget"] == "list" and [f["name"] for f in authors["fields"]] == list(AUTHOR_KEYS)
    assert [f["name"] for f in files["breaking"]["fields"]] == list(BREAKING_KEYS)
    assert {f["file"] for f in files.values()} == {"content/data/fighting-fund.yml", "content/data/cooperative.yml",
                                                     "content/data/breaking.yml", "content/data/authors.yml"}


def test_a_key_the_validator_learns_without_a_field_stops_the_build():
    with pytest.raises(model.EditorModelError, match=r"^newsroom_editor: the validator knows the article key 'Embargo'"):
        model.metadata_fields({**ARTICLE_KEYS, "embargo": "Embargo"}, "article", sections=[], authors=[],
                              default_author="", section=None, config=load_config(SETTINGS))


# --- backends ---------------------------------------------------------------------------------------

def test_production_has_the_editorial_workflow_and_no_local_backend(decap):
    assert decap["backend"] == SETTINGS["NEWSROOM_EDITOR_BACKEND"] and decap["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in decap
    # Uploads are written as the sample paper writes pictures, `images/<file>` from content/ (and Decap shows
    # those it finds there); figures.py and the lead picture read /images/<file> alike.
    assert decap["media_folder"] == "content/images" and decap["public_folder"] == "images"


def test_a_local_backend_saves_straight_into_the_checkout_on_its_branch(tmp_path):
    import subprocess
    content = tmp_path / "paper" / "content"
    (content / "data").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "late-edition", str(tmp_path / "paper")], check=True)
    config = config_for(PATH=str(content), NEWSROOM_EDITOR_LOCAL_BACKEND="http://127.0.0.1:8081/api/v1")
    assert config["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"} and "publish_mode" not in config
    # decap-server works on the branch config.yml names: the checkout's, not production's.
    assert config["backend"] == {**SETTINGS["NEWSROOM_EDITOR_BACKEND"], "branch": "late-edition"}
    assert config_for(PATH=str(content))["backend"]["branch"] == SETTINGS["NEWSROOM_EDITOR_BACKEND"]["branch"]


@pytest.mark.parametrize("backend,workflow,connect", [
    ({"name": "github", "repo": "a/b"}, True, ["https://api.github.com"]),
    ({"name": "gitlab", "repo": "group/sub/paper"}, True, ["https://gitlab.com"]),
    ({"name": "gitea", "repo": "a/b", "api_root": "https://git.example.org/api/v1"}, False, ["https://git.example.org"]),
    ({"name": "forgejo", "repo": "a/b", "api_root": "https://code.example.org/api/v1"}, True, ["https://code.example.org"]),
    ({"name": "test-repo"}, False, []),
])
def test_backends(backend, workflow, connect):
    config = load_config({**SETTINGS, "NEWSROOM_EDITOR_BACKEND": backend})
    assert config.editorial_workflow is workflow and connect_sources(config) == connect
    local = load_config({**SETTINGS, "NEWSROOM_EDITOR_BACKEND": backend, "NEWSROOM_EDITOR_LOCAL_BACKEND": "http://127.0.0.1:8081/api/v1"})
    assert connect_sources(local) == connect + ["http://127.0.0.1:8081"]
    assert "127.0.0.1" not in admin_csp(config) and "connect-src 'self' blob: http://127.0.0.1:8081" in admin_csp(
        load_config({**SETTINGS, "NEWSROOM_EDITOR_BACKEND": {"name": "test-repo"}, "NEWSROOM_EDITOR_LOCAL_BACKEND": "http://127.0.0.1:8081/api/v1"}))


@pytest.mark.parametrize("name,value,message", [
    ("NEWSROOM_EDITOR_BACKEND", {"name": "dropbox"}, "has the name 'dropbox'. Fix: use one of: github, gitlab, gitea, forgejo"),
    ("NEWSROOM_EDITOR_BACKEND", {"name": "forgejo", "repo": "a/b"}, "has no api_root for forgejo. Fix: give the instance's API address"),
    ("NEWSROOM_EDITOR_BACKEND", {"name": "gitea", "repo": "a/b"}, "has no api_root for gitea. Fix: give the instance's API address"),
    ("NEWSROOM_EDITOR_BACKEND", {"name": "github"}, "has the repo None. Fix: give the repository as \"owner/name\""),
    ("NEWSROOM_EDITOR_BACKEND", "github", "is 'github'. Fix: give a dict such as"),
    ("NEWSROOM_EDITOR_LOCAL_BACKEND", "127.0.0.1:8081", "is '127.0.0.1:8081'. Fix: give decap-server's address"),
    ("NEWSROOM_EDITOR_MAX_UPLOAD_BYTES", 0, "is 0. Fix: give the largest picture in bytes"),
    ("NEWSROOM_EDITOR_UPLOAD_TYPES", ("jpg",), "is ('jpg',). Fix: list lower-case file name endings"),
    ("NEWSROOM_EDITOR_PREVIEW_STYLE", (), "is not a setting of this plugin. Fix: did you mean NEWSROOM_EDITOR_PREVIEW_STYLES?"),
])
def test_unusable_settings_are_refused_with_the_fix(name, value, message):
    with pytest.raises(EditorSettingsError) as caught:
        load_config({**SETTINGS, name: value})
    assert str(caught.value) == f"newsroom_editor: {name} in pelicanconf.py {message}" or \
        str(caught.value).startswith(f"newsroom_editor: {name} in pelicanconf.py {message}")


# --- the build ----------------------------------------------------------------------------------------

def same_origin(url: str) -> bool:
    return not re.match(r"^(?:[a-z]+:)?//", url, re.I)


def test_a_build_writes_the_editor_with_nothing_from_another_host(build_site):
    site = build_site(NEWSROOM_EDITOR=True, NEWSROOM_EDITOR_LOCAL_BACKEND="http://127.0.0.1:8081/api/v1")
    admin = site.output / "admin"
    page = BeautifulSoup((admin / "index.html").read_text(encoding="utf-8"), "html.parser")
    scripts = [s["src"] for s in page.find_all("script")]
    assert scripts == ["newsroom-model.js", "newsroom-formats.js", "decap-cms.js", "newsroom-admin.js"]
    assert all((admin / s).is_file() for s in scripts) and all(same_origin(s) for s in scripts)
    assert not page.find("script", src=False) and not page.find(style=True)  # nothing inline
    assert page.find("noscript").get_text(" ", strip=True).startswith(SETTINGS["SITENAME"])
    csp = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "connect-src 'self' blob: https://api.github.com http://127.0.0.1:8081;" in csp
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"}
    assert len(list(admin.glob("*decap-cms.js"))) > 50
    # Decap's chunks are loaded by name from the same folder; none comes from elsewhere.
    for chunk in admin.glob("*.js"):
        text = chunk.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"""(?:src|href)\s*=\s*["']https?://(?:unpkg|cdn|cdnjs|fonts\.googleapis)""", text), chunk.name
    model_js = (admin / "newsroom-model.js").read_text(encoding="utf-8")
    styles = re.findall(r'"(/theme/css/[^"]+\.css)"', model_js)
    assert [re.sub(r"\.[0-9a-f]{10}\.css$", ".css", s) for s in styles] == ["/theme/css/fonts.css", "/theme/css/tokens.css", "/theme/css/main.css"]
    assert all((site.output / s.lstrip("/")).is_file() and s != re.sub(r"\.[0-9a-f]{10}\.css$", ".css", s) for s in styles)
    # The rest of the site is as it was: no link to /admin/, today's CSP.
    front = site.soup("/")
    assert not front.select('a[href*="admin"]')
    assert front.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"] == SETTINGS["NEWSROOM_CONTENT_SECURITY_POLICY"]


def test_without_decap_installed_the_site_builds_without_the_editor_and_says_so_once(build_site, tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    for _ in range(2):  # `make serve` rebuilds in one process: it is said on the first build only
        site = build_site(NEWSROOM_EDITOR=True, NEWSROOM_EDITOR_NODE_MODULES=str(tmp_path / "nowhere"))
        assert site.exists("/") and not (site.output / "admin").exists()
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("newsroom_editor:")]
    assert len(said) == 1 and "Decap CMS is not installed" in said[0] and "make install" in said[0]


def test_publish_builds_include_the_editor_with_the_production_backend(build_site):
    site = build_site(conf="publishconf.py", NEWSROOM_EDITOR=True, NEWSROOM_ASSETS_PRECOMPRESS=False)
    config = yaml.safe_load((site.output / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["name"] == "github" and "local_backend" not in config
    assert config["site_url"].startswith("https://")


# --- uploads: the editor's limits, enforced by make check on every picture ----------------------------

def test_make_check_refuses_pictures_over_the_editors_size_or_of_other_types(site_content):
    from newsroom_checks.site import check_site
    import datetime as dt

    settings = read_settings(str(REPO / "pelicanconf.py"), override={"PATH": str(site_content), "CACHE_CONTENT": False,
                                                                     "NEWSROOM_EDITOR_MAX_UPLOAD_BYTES": 50_000})
    images = site_content / "images"
    (images / "poster.bmp").write_bytes(b"BM" + b"\0" * 100)
    (images / "huge.jpg").write_bytes(b"\xff\xd8" + b"\0" * 60_000)
    (images / "chart.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")  # added through git: accepted
    found = [f"{Path(p.path).name}: {p.message} Fix: {p.fix}" for p in check_site(settings, dt.date(2026, 11, 25)).problems
             if p.path.startswith(str(images))]
    assert found == [
        "huge.jpg: is 60 KB, over the limit of 50 KB for one picture. Fix: save a smaller copy (the build makes every "
        "size readers need from it; 3000 pixels wide is plenty); the limit is NEWSROOM_EDITOR_MAX_UPLOAD_BYTES in pelicanconf.py.",
        "poster.bmp: is not a picture type the site accepts (.bmp). Fix: save it as .jpg, .jpeg, .png, .webp, .gif, .avif "
        "(NEWSROOM_EDITOR_UPLOAD_TYPES in pelicanconf.py), or move it out of the pictures folder.",
    ]


# --- /admin/'s own Content-Security-Policy in the servers' examples ------------------------------------

EXTRA = REPO / "content" / "extra"


def test_the_servers_send_admin_its_own_policy_and_the_rest_of_the_site_keeps_its_own():
    production = admin_csp(load_config(SETTINGS))
    nginx = (EXTRA / "nginx.conf").read_text(encoding="utf-8")
    block = nginx[nginx.index("location /admin/ {"):]
    block = block[: block.index("\n    }")]
    sent = dict(re.findall(r'add_header (\S+) "([^"]*)" always;', block))
    assert sent["Content-Security-Policy"] == production + "; frame-ancestors 'none'"
    server = dict(re.findall(r'^    add_header (\S+) "?(.*?)"? always;$', nginx, re.M))
    assert server["Content-Security-Policy"] == SETTINGS["NEWSROOM_CONTENT_SECURITY_POLICY"] + "; frame-ancestors 'none'"
    assert set(sent) == set(server)  # a location's add_header replaces the server's: every header is repeated
    headers = (EXTRA / "_headers").read_text(encoding="utf-8")
    rule = headers[headers.index("\n/admin/*\n") + 1:].split("\n\n")[0].splitlines()
    assert rule == ["/admin/*", "  ! Content-Security-Policy", "  X-Frame-Options: DENY"]

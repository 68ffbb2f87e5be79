"""newsroom_engine/render_cache.py: a page's key changes exactly when what the page shows changes.

Each "build" here is a fresh RenderKeys over the same small site (real source files, a real theme folder
and data folder in tmp_path); a test changes one thing between two builds and compares the keys.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment
from pelican.paginator import Paginator
from pelican.settings import DEFAULT_CONFIG

from newsroom_engine.render_cache import (
    DYNAMIC, MANIFEST_KIND, MANIFEST_VERSION, RenderKeys, forget_manifest, load_manifest, manifest_name, referenced_names,
    save_manifest, tree_state,
)
from newsroom_engine.store import Store

TODAY = dt.date(2026, 11, 25)


# --- tree_state ---

def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def test_tree_state_of_a_missing_folder():
    assert tree_state("") == tree_state(None) == "none"
    assert tree_state("/no/such/folder") == "none"


def test_tree_state_of_an_empty_folder_is_not_none(tmp_path):
    assert tree_state(str(tmp_path)) not in ("none", tree_state(str(tmp_path / "x")))


@pytest.mark.parametrize("by_content", [True, False], ids=["content", "size-and-mtime"])
@pytest.mark.parametrize("change", ["edit", "rename", "add", "delete", "move-to-another-folder"])
def test_tree_state_changes_with_the_files(tmp_path, by_content, change):
    write(tmp_path, {"images/a.png": "picture a", "images/b.png": "picture b", "data/fund.yml": "raised: 1"})
    before = tree_state(str(tmp_path), by_content=by_content)
    assert tree_state(str(tmp_path), by_content=by_content) == before
    if change == "edit":
        (tmp_path / "data/fund.yml").write_text("raised: 12")
    elif change == "rename":
        (tmp_path / "images/a.png").rename(tmp_path / "images/c.png")
    elif change == "add":
        write(tmp_path, {"images/d.png": ""})
    elif change == "delete":
        (tmp_path / "images/b.png").unlink()
    else:
        (tmp_path / "images/a.png").rename(tmp_path / "data/a.png")
    assert tree_state(str(tmp_path), by_content=by_content) != before


def test_by_content_a_same_size_edit_with_its_mtime_put_back_is_seen(tmp_path):
    write(tmp_path, {"fund.yml": "raised: 1"})
    path = tmp_path / "fund.yml"
    before = os.stat(path)
    content, quick = tree_state(str(tmp_path)), tree_state(str(tmp_path), by_content=False)
    path.write_text("raised: 2")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert tree_state(str(tmp_path)) != content
    # Size and mtime is the cheap reading for large binary trees (pictures), and cannot see this edit.
    assert tree_state(str(tmp_path), by_content=False) == quick
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1))
    assert tree_state(str(tmp_path), by_content=False) != quick


def test_tree_state_skips_the_suffixes_it_is_told(tmp_path):
    write(tmp_path, {"articles/a.md": "Title: a", "images/a.png": "picture"})
    before = tree_state(str(tmp_path), skip_suffixes=(".md",))
    (tmp_path / "articles/a.md").write_text("Title: a, edited")
    write(tmp_path, {"articles/b.md": "Title: b"})
    assert tree_state(str(tmp_path), skip_suffixes=(".md",)) == before
    (tmp_path / "images/a.png").write_text("another picture")
    assert tree_state(str(tmp_path), skip_suffixes=(".md",)) != before


# --- RenderKeys ---

class Item:
    """What RenderKeys reads of an Article or Page."""

    def __init__(self, source_path: str, title: str, url: str, status: str = "published", **fields):
        self.source_path, self.status, self.url, self.save_as = source_path, status, url, url + "index.html"
        self.metadata = {"title": title, "category": "Europe", "tags": ["Rail"]}
        self.standfirst = fields.pop("standfirst", f"About {title}.")
        self.related, self.newer_in_section, self.older_in_section = [], None, None
        self.__dict__.update(fields)


class Site:
    """A small site on disk: settings, a theme, data files, stories and a static page."""

    def __init__(self, root: Path):
        self.root = root
        self.content, self.theme = root / "content", root / "theme"
        write(self.theme, {"templates/base.html": "<html>{% block content %}{% endblock %}</html>",
                           "static/css/main.css": "body { margin: 0 }"})
        write(self.content, {"data/fund.yml": "raised: 100", "images/logo.png": "logo"})
        self.settings = {**DEFAULT_CONFIG, "PATH": str(self.content), "THEME": str(self.theme),
                         "NEWSROOM_DATA_PATH": "data", "SITENAME": "The Common Ledger", "DEFAULT_PAGINATION": 2,
                         "OUTPUT_PATH": str(root / "output"), "CACHE_PATH": str(root / "cache")}
        self.stories = {name: self.story(name) for name in ("a", "b", "c", "d", "e", "hidden")}
        self.stories["hidden"].status = "hidden"
        self.about = self.story("about", folder="pages")
        a = self.stories["a"]
        a.related = [self.stories["b"]]
        a.newer_in_section, a.older_in_section = self.stories["c"], None
        self.context = {"articles": [self.stories[n] for n in "abcde"], "hidden_articles": [self.stories["hidden"]],
                        "pages": [self.about]}

    def story(self, name: str, folder: str = "articles") -> Item:
        path = self.content / folder / f"{name}.md"
        write(path.parent, {path.name: f"Title: Story {name}\n\nThe text of story {name}.\n"})
        return Item(str(path), f"Story {name}", f"{folder}/{name}/")

    def rewrite(self, name: str, text: str = "The text, edited.") -> None:
        Path(self.stories[name].source_path).write_text(f"Title: Story {name}\n\n{text}\n")

    def keys(self, today=TODAY, inputs: str = "code-1", memo=None, derived=frozenset(), **settings) -> RenderKeys:
        return RenderKeys({**self.settings, **settings}, self.context, today, inputs, memo, derived)

    def article_key(self, keys: RenderKeys, name: str = "a", template=None) -> str:
        return keys.key("article", {"article": self.stories[name], "output_file": f"articles/{name}/index.html",
                                    "SITEURL": ""}, template)

    def listing(self, names: str, number: int = 1) -> dict:
        paginator = Paginator("europe/index.html", "europe/", [self.stories[n] for n in names], self.settings, 2)
        return {"category": "Europe", "articles_page": paginator.page(number), "dates_page": paginator.page(number),
                "output_file": "europe/index.html", "SITEURL": ""}

    def listing_key(self, keys: RenderKeys, names: str = "abcde", number: int = 1) -> str:
        return keys.key("category", self.listing(names, number))

    def front_key(self, keys: RenderKeys) -> str:
        return keys.key("index", {"output_file": "index.html", "SITEURL": ""})


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path)


def test_keys_are_the_same_when_nothing_changed(site):
    one, two = site.keys(), site.keys()
    assert site.article_key(one) == site.article_key(two)
    assert site.listing_key(one) == site.listing_key(two)
    assert site.front_key(one) == site.front_key(two)
    assert len({site.article_key(one), site.article_key(one, "b"), site.listing_key(one), site.front_key(one)}) == 4


def test_an_article_pages_key_follows_its_own_source(site):
    before = site.article_key(site.keys())
    site.rewrite("a")
    assert site.article_key(site.keys()) != before


@pytest.mark.parametrize("change, seen", [
    (lambda s: s.stories["b"].metadata.update(title="Story b, retitled"), True),  # the related story's card
    (lambda s: setattr(s.stories["b"], "standfirst", "Another standfirst."), True),
    (lambda s: setattr(s.stories["b"], "status", "hidden"), True),
    (lambda s: setattr(s.stories["b"], "url", "articles/b-moved/"), True),
    (lambda s: s.stories["c"].metadata.update(title="Story c, retitled"), True),  # the newer neighbour's card
    (lambda s: setattr(s.stories["a"], "older_in_section", s.stories["d"]), True),  # a new neighbour
    (lambda s: s.stories["a"].related.append(s.stories["e"]), True),
    (lambda s: s.rewrite("b"), False),  # the related story's text: not on this page
    (lambda s: s.rewrite("c"), False),
    (lambda s: s.stories["d"].metadata.update(title="Story d, retitled"), False),  # a story it does not show
    (lambda s: s.stories["a"].metadata.update(title="Story a, retitled"), False),  # (its file is its state)
], ids=["related-title", "related-standfirst", "related-status", "related-url", "neighbour-title",
        "new-neighbour", "new-related", "related-text", "neighbour-text", "unshown-title", "own-metadata-only"])
def test_an_article_pages_key_follows_the_cards_it_shows(site, change, seen):
    before = site.article_key(site.keys())
    change(site)
    assert (site.article_key(site.keys()) != before) is seen


def test_an_article_pages_key_follows_its_status_and_url(site):
    before = site.article_key(site.keys())
    site.stories["a"].status = "draft"
    assert site.article_key(site.keys()) != before
    site.stories["a"].status = "published"
    assert site.article_key(site.keys()) == before
    site.stories["a"].url = "articles/a-moved/"
    assert site.article_key(site.keys()) != before


@pytest.mark.parametrize("change, first_page, second_page", [
    (lambda s: s.stories["a"].metadata.update(title="Story a, retitled"), True, False),  # a card on page 1
    (lambda s: s.stories["d"].metadata.update(title="Story d, retitled"), False, True),  # a card on page 2
    (lambda s: s.rewrite("a"), False, False),  # a story's text is on no listing
], ids=["card-on-page-1", "card-on-page-2", "text"])
def test_a_listings_key_follows_the_cards_on_its_page(site, change, first_page, second_page):
    keys = site.keys()
    before = site.listing_key(keys, number=1), site.listing_key(keys, number=2)
    change(site)
    keys = site.keys()
    assert (site.listing_key(keys, number=1) != before[0]) is first_page
    assert (site.listing_key(keys, number=2) != before[1]) is second_page


def test_a_listings_key_follows_its_page_number_and_count(site):
    keys = site.keys()
    # Page 1 of "abcde" and of "abcd" show the same cards; the count and the number of pages differ.
    assert site.listing_key(keys, "abcde") != site.listing_key(keys, "abcd") != site.listing_key(keys, "ab")
    assert site.listing_key(keys, "abcde", 1) != site.listing_key(keys, "abcde", 2)
    context = site.listing("abcde")
    assert keys.key("category", context) != keys.key("category", {**context, "category": "Sport"})
    assert keys.key("category", context) != keys.key("category", {**context, "output_file": "sport/index.html"})


def test_an_unpaginated_listing_follows_its_cards(site):
    def key(keys):
        return keys.key("tag", {"tag": "Rail", "articles": [site.stories["a"], site.stories["b"]],
                                "output_file": "tag/rail/index.html"})

    before = key(site.keys())
    site.rewrite("b")
    assert key(site.keys()) == before
    site.stories["b"].metadata.update(title="Story b, retitled")
    assert key(site.keys()) != before


@pytest.mark.parametrize("name", ["a", "e", "hidden"])
def test_the_front_page_follows_every_card(site, name):
    before = site.front_key(site.keys())
    site.rewrite(name)
    assert site.front_key(site.keys()) == before
    site.stories[name].metadata.update(title="Retitled")
    assert site.front_key(site.keys()) != before


# --- the site key ---

def every_key(site: Site, keys: RenderKeys) -> list[str]:
    return [site.article_key(keys), site.listing_key(keys), site.front_key(keys)]


@pytest.mark.parametrize("change", [
    lambda s: s.settings.update(SITENAME="The Weekly Ledger"),
    lambda s: (s.theme / "templates/base.html").write_text("<html lang=en>{% block content %}{% endblock %}</html>"),
    lambda s: (s.theme / "static/css/main.css").write_text("body { margin: 1px }"),
    lambda s: (s.content / "data/fund.yml").write_text("raised: 200"),
    lambda s: (s.content / "data/new.yml").write_text("a: 1"),
    lambda s: s.about.metadata.update(title="About us"),  # the footer lists the static pages
], ids=["setting", "template", "theme-static", "data-file", "new-data-file", "static-page-card"])
def test_what_every_page_can_show_changes_every_key(site, change):
    before = every_key(site, site.keys())
    change(site)
    after = every_key(site, site.keys())
    assert all(b != a for b, a in zip(before, after))


def test_the_date_and_the_inputs_change_every_key(site):
    before = every_key(site, site.keys())
    assert all(b != a for b, a in zip(before, every_key(site, site.keys(today=TODAY + dt.timedelta(days=1)))))
    assert all(b != a for b, a in zip(before, every_key(site, site.keys(inputs="code-2"))))


def test_settings_the_build_derives_and_where_things_go_do_not_change_the_keys(site):
    derived = frozenset({"NEWSROOM_SECTIONS"})
    before = every_key(site, site.keys(derived=derived, NEWSROOM_SECTIONS=["Europe"]))
    assert every_key(site, site.keys(derived=derived, NEWSROOM_SECTIONS=["Europe", "Sport"])) == before
    assert every_key(site, site.keys(derived=derived, NEWSROOM_SECTIONS=["Europe"],
                                     OUTPUT_PATH="/elsewhere", CACHE_PATH="/elsewhere-cache")) == before
    assert every_key(site, site.keys(NEWSROOM_SECTIONS=["Europe", "Sport"])) != before


# --- the memo carried from build to build ---

def test_a_cards_fields_are_reused_while_its_source_is_unchanged(site):
    first = site.keys()
    key = site.article_key(first)
    memo = pickle.loads(pickle.dumps(first.memo()))  # as the manifest stores it
    # Metadata that changed without its file changing cannot happen in a build: it shows what is reused.
    site.stories["b"].metadata.update(title="Story b, retitled in memory only")
    assert site.article_key(site.keys(memo=memo)) == key
    assert site.article_key(site.keys()) != key  # without the memo, the card is worked out afresh
    site.rewrite("b")  # the file changed: worked out afresh, with the new title
    assert site.article_key(site.keys(memo=memo)) != key


def test_the_memo_of_another_site_key_is_not_used(site):
    first = site.keys()
    site.article_key(first)
    memo = first.memo()
    site.stories["b"].metadata.update(title="Story b, retitled in memory only")
    site.settings["SITENAME"] = "The Weekly Ledger"
    assert site.article_key(site.keys(memo=memo)) == site.article_key(site.keys())


# --- templates that show the whole site ---

TEMPLATES = {
    "base.html": "<html>{% include 'partials/header.html' %}{% block content %}{% endblock %}</html>",
    "partials/header.html": "<h1>{{ SITENAME }}</h1>",
    "partials/latest.html": "{% for other in articles[:3] %}{{ other.title }}{% endfor %}",
    "macros.html": "{% macro menu() %}{% for c in categories %}{{ c }}{% endfor %}{% endmacro %}",
    "article.html": "{% extends 'base.html' %}{% block content %}{{ article.title }}{% endblock %}",
    "latest_article.html": "{% extends 'article.html' %}{% block content %}{% include 'partials/latest.html' %}{% endblock %}",
    "menu_article.html": "{% extends 'base.html' %}{% block content %}{% import 'macros.html' as m %}{{ m.menu() }}{% endblock %}",
    "chosen.html": "{% include article.template_name %}",
    "category.html": "{% extends 'base.html' %}{% block content %}{% for a in articles_page.object_list %}{{ a.title }}"
                     "{% endfor %}{% for a in dates %}{% endfor %}{{ articles|length }}{% endblock %}",
    "cycle_a.html": "{% include 'cycle_b.html' %}",
    "cycle_b.html": "{% include 'cycle_a.html' %}{{ tags }}",
}


@pytest.fixture
def env() -> Environment:
    return Environment(loader=DictLoader(TEMPLATES))


@pytest.mark.parametrize("name, expected", [
    ("article.html", {"SITENAME", "article"}),
    ("latest_article.html", {"SITENAME", "article", "articles"}),  # through extends and include
    ("menu_article.html", {"SITENAME", "categories"}),  # through import
    ("chosen.html", {"article", DYNAMIC}),
    ("cycle_a.html", {"tags"}),
])
def test_referenced_names(env, name, expected):
    assert referenced_names(env, name) == expected


@pytest.mark.parametrize("kind, name, whole", [
    ("article", "article.html", False),
    ("article", "latest_article.html", True),
    ("article", "menu_article.html", True),
    ("article", "chosen.html", True),  # a template chosen at run time may show anything
    ("category", "category.html", False),  # a listing's own articles and dates are in its key
    ("article", "category.html", True),  # ...but not in an article page's
])
def test_shows_whole_site(site, env, kind, name, whole):
    assert site.keys().shows_whole_site(kind, env.get_template(name)) is whole


def test_an_article_page_that_shows_the_latest_news_follows_every_card(site, env):
    plain, latest = env.get_template("article.html"), env.get_template("latest_article.html")
    before = site.article_key(site.keys(), template=plain), site.article_key(site.keys(), template=latest)
    site.stories["e"].metadata.update(title="The newest story")
    assert site.article_key(site.keys(), template=plain) == before[0]
    assert site.article_key(site.keys(), template=latest) != before[1]


# --- the manifest ---

def test_the_manifest_round_trip(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    store = Store(str(tmp_path / "cache"))
    assert manifest_name(str(tmp_path / "other")) != manifest_name(str(output))
    save_manifest(store, str(output), {"index.html": "k1"}, {"index.html", "theme/main.css"}, {"site": "s"})
    assert load_manifest(store, str(output)) == ({"index.html": "k1"}, {"index.html", "theme/main.css"}, {"site": "s"})
    assert os.listdir(store.folder) == [manifest_name(str(output)) + ".pickle"]
    forget_manifest(store, str(output))
    assert not os.listdir(store.folder)
    forget_manifest(store, str(output))  # already gone
    assert load_manifest(store, str(output)) == ({}, None, {})


def test_a_manifest_is_only_used_for_its_own_output_and_version(tmp_path):
    output, other = tmp_path / "output", tmp_path / "other"
    output.mkdir()
    other.mkdir()
    store = Store(str(tmp_path / "cache"))
    save_manifest(store, str(output), {"index.html": "k1"}, {"index.html"})
    path = Path(store.path(manifest_name(str(output)), MANIFEST_KIND))
    # Another output's manifest, even under this output's name.
    path.rename(store.path(manifest_name(str(other)), MANIFEST_KIND))
    assert load_manifest(store, str(other)) == ({}, None, {})
    save_manifest(store, str(output), {"index.html": "k1"}, {"index.html"})
    record_format, version, scope, value = pickle.loads(path.read_bytes())  # a record of store.py
    path.write_bytes(pickle.dumps((record_format, version - 1, scope, value)))
    assert load_manifest(store, str(output)) == ({}, None, {})
    path.write_bytes(pickle.dumps((record_format, version, scope, {k: v for k, v in value.items() if k != "files"})))
    assert load_manifest(store, str(output)) == ({"index.html": "k1"}, None, {})  # files unknown: walked
    path.write_bytes(pickle.dumps((record_format, version, scope, value))[:20])
    assert load_manifest(store, str(output)) == ({}, None, {})


def test_a_json_manifest_of_an_earlier_build_is_not_read_and_goes_with_the_next_one(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    store = Store(str(tmp_path / "cache"))
    store.save(manifest_name(str(output)), MANIFEST_VERSION, {"pages": {"index.html": "k1"}, "files": ["index.html"]},
               kind="json", scope=str(output))
    assert load_manifest(store, str(output)) == ({}, None, {})
    forget_manifest(store, str(output))  # what every build does before it changes the output
    assert os.listdir(store.folder) == []


def test_a_manifest_whose_output_is_gone_is_not_used(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    store = Store(str(tmp_path / "cache"))
    save_manifest(store, str(output), {"index.html": "k1"}, {"index.html"})
    output.rmdir()
    assert load_manifest(store, str(output)) == ({}, None, {})


# --- what templates read, kept between builds ---

THEME = {
    "base.html": "<title>{{ SITENAME }}</title>{% block body %}{% endblock %}{% include 'footer.html' %}",
    "article.html": "{% extends 'base.html' %}{% block body %}{{ article.title }}{% include pick %}{% endblock %}",
    "footer.html": "{% from 'macros.html' import card %}{{ card(FOOTER_LINKS) }}",
    "macros.html": "{% macro card(x) %}{{ x }}{{ MACRO_SETTING }}{% endmacro %}",
}


def parsing_counted(env) -> list[str]:
    parsed = []
    parse = env.parse

    def counting(source, *args, **kwargs):
        parsed.append(source)
        return parse(source, *args, **kwargs)

    env.parse = counting
    return parsed


def test_what_a_template_reads_is_parsed_once_and_then_kept_between_builds(tmp_path, monkeypatch):
    from newsroom_engine import render_cache

    store = Store(str(tmp_path / "cache"))
    first = render_cache.TemplateFacts()
    monkeypatch.setattr(render_cache, "TEMPLATE_FACTS", first)
    env = Environment(loader=DictLoader(THEME))
    parsed = parsing_counted(env)
    names = referenced_names(env, "article.html")
    assert names == {"SITENAME", "article", "pick", "FOOTER_LINKS", "MACRO_SETTING", DYNAMIC}
    assert len(parsed) == 4
    assert referenced_names(env, "article.html") == names and len(parsed) == 4  # the same text is not parsed again
    first.save(store)

    # The next build (a new process): nothing is parsed, and the answer is the same.
    later = render_cache.TemplateFacts()
    later.load(store)
    monkeypatch.setattr(render_cache, "TEMPLATE_FACTS", later)
    env = Environment(loader=DictLoader(THEME))
    parsed = parsing_counted(env)
    assert referenced_names(env, "article.html") == names
    assert parsed == []

    # A changed template is parsed again; the others are not.
    env = Environment(loader=DictLoader({**THEME, "footer.html": "{{ FOOTER_TEXT }}"}))
    parsed = parsing_counted(env)
    assert referenced_names(env, "article.html") == {"SITENAME", "article", "pick", "FOOTER_TEXT", DYNAMIC}
    assert parsed == ["{{ FOOTER_TEXT }}"]


def test_another_syntax_is_parsed_afresh(tmp_path):
    from newsroom_engine.render_cache import TemplateFacts

    facts = TemplateFacts()
    source = "<% if SHOWN %>{{ TITLE }}<% endif %>"
    assert facts.of(Environment(), source)[0] == {"TITLE"}  # <% ... %> is text in the default syntax
    assert facts.of(Environment(block_start_string="<%", block_end_string="%>"), source)[0] == {"SHOWN", "TITLE"}


def test_the_record_keeps_only_what_the_last_build_used(tmp_path):
    from newsroom_engine.render_cache import TemplateFacts

    store = Store(str(tmp_path / "cache"))
    facts = TemplateFacts()
    env = Environment()
    facts.of(env, "{{ OLD }}")
    facts.save(store)
    facts.load(store)
    facts.of(env, "{{ NEW }}")
    facts.save(store)
    kept = store.load(TemplateFacts.RECORD, TemplateFacts.VERSION)
    assert [read for read, _ in kept.values()] == [frozenset({"NEW"})]

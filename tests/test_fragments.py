"""Markup shared between the pages of a build (newsroom_theme/fragments.py): reused only under the same key."""

from __future__ import annotations

from jinja2 import DictLoader, Environment, FileSystemLoader
from pelican.urlwrappers import Category

from conftest import REPO
from newsroom_theme.fragments import MEMO_KEY, Fragments, read_names, shared_fragment, shared_include
from newsroom_theme.language import Interface, install

SETTINGS = {"SLUGIFY_SOURCE": "title", "CATEGORY_URL": "{slug}/", "CATEGORY_SAVE_AS": "{slug}/index.html"}


def environment(templates: dict) -> Environment:
    env = Environment(loader=DictLoader(templates), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(shared_include=shared_include, shared_fragment=shared_fragment)
    return env


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self, value=""):
        self.calls += 1
        return value


def test_a_partial_is_rendered_once_per_value_of_what_it_reads():
    env = environment({
        "part.html": "<p>{{ count() }}{{ who }}</p>",
        "page.html": '{% call shared_include("part.html") %}{% include "part.html" %}{% endcall %}',
    })
    count, memo = Counter(), Fragments()
    page = env.get_template("page.html")
    outputs = [page.render({MEMO_KEY: memo, "count": count, "who": who}) for who in ("a", "b", "a", "<b>")]
    assert outputs == ["<p>a</p>", "<p>b</p>", "<p>a</p>", "<p>&lt;b&gt;</p>"]
    assert count.calls == 3
    # Without a memo (a theme used without the plugin's context) every page renders its own.
    assert env.get_template("page.html").render({"count": count, "who": "a"}) == "<p>a</p>" and count.calls == 4


def test_a_shared_include_sees_what_the_partial_imports_reads():
    env = environment({
        "macros.html": "{% macro link() %}{{ base }}/x{% endmacro %}",
        "part.html": '{% from "macros.html" import link with context %}{{ link() }}',
        "page.html": '{% call shared_include("part.html") %}{% include "part.html" %}{% endcall %}',
    })
    assert read_names(env, "part.html") == {"base"}
    memo = Fragments()
    assert [env.get_template("page.html").render({MEMO_KEY: memo, "base": b}) for b in ("", "/a", "")] == ["/x", "/a/x", "/x"]


def test_fragments_key_on_identity_for_objects_and_on_value_for_plain_values_and_sections():
    env = environment({"card.html": '{% call shared_fragment("card", item, n) %}{{ count(item.title) }}{{ n }}{% endcall %}'})
    template, count, memo = env.get_template("card.html"), Counter(), Fragments()

    class Item:
        def __init__(self, title):
            self.title = title

    one, other = Item("same"), Item("same")
    for item, n in ((one, 1), (one, 1), (other, 1), (one, True), (one, 2)):
        template.render({MEMO_KEY: memo, "count": count, "item": item, "n": n})
    assert count.calls == 4  # 1 and True are different keys; equal objects are not the same object
    # A section's wrapper is a new object for each article: equal sections share their markup.
    first, second = Category("Middle East", SETTINGS), Category("Middle East", SETTINGS)
    for section in (first, second):
        template.render({MEMO_KEY: memo, "count": count, "item": section, "n": 0})
    assert count.calls == 5


def test_the_themes_card_reads_nothing_from_the_context_but_siteurl():
    # article_card's key lists its arguments and SITEURL: anything else it read would go stale.
    env = Environment(loader=FileSystemLoader(str(REPO / "theme" / "templates")))
    install(env, Interface("en"))
    # The interface text's callables read nothing from the page (newsroom_theme/language.py).
    assert read_names(env, "partials/macros.html") <= {"SITEURL", "shared_fragment", "_", "gettext", "ngettext"}


def test_each_build_has_its_own_memo(build_site, site_content):
    article = "/middle-east/water-talks-resume-in-the-jordan-valley/"
    first = build_site()
    data = site_content / "data" / "cooperative.yml"
    data.write_text(data.read_text().replace("This paper is reader-owned", "Changed heading"))
    second = build_site()
    assert "Changed heading" not in first.path(article).read_text(encoding="utf-8")
    assert "Changed heading" in second.path(article).read_text(encoding="utf-8")

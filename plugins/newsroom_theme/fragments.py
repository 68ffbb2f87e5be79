"""Markup that many pages of one build share, rendered once per build and reused.

Every page carries the same header (per section), footer, appeals and feed links, and every story's card
is printed on a dozen pages (its section, tags, author, month, desk, the front page, other stories'
related lists). Rendering them again on each page was about a third of a page's rendering time.

Templates wrap the markup in a call block; what is inside runs on the first use of its key in the build
and its output is reused from then on:

    {% call shared_include("partials/footer.html") %}{% include "partials/footer.html" %}{% endcall %}
    {% call shared_fragment("article_card", article, variant, SITEURL) %}...{% endcall %}

``shared_include`` keys on the value of every variable the partial (and what it includes or imports)
reads from the page's context, found in its source, so a partial that starts reading a new variable is
keyed on it too. It sees the page's context, not a ``{% set %}`` made inside a block: a partial that
depends on one of those takes it as a keyword (``shared_include(name, fund_size=fund_size)``) or is
included plainly. ``shared_fragment`` keys on exactly the values it is given, which must be everything
its body reads.

A value counts by what it is when it is a string, number, boolean or None; Pelican's URL wrappers
(sections, tags, authors) by their type, name, slug and URL, since a section's wrapper is a new object
for each of its articles; anything else (an article, a list) by identity, kept alive by the memo so that
no other object can take its id. So the memo assumes what pages show is not changed while they are
rendered, which holds once every generator has made its context. It lives in the context of one build
(Pelican makes one per run), so no build sees another's markup, and a forked render worker fills its own.
"""

from __future__ import annotations

from jinja2 import pass_context
from jinja2.runtime import Undefined
from jinja2.utils import missing
from newsroom_engine.api import DYNAMIC_TEMPLATE, referenced_names
from pelican.urlwrappers import URLWrapper

MEMO_KEY = "NEWSROOM_THEME_FRAGMENTS"
_PLAIN = (str, int, float, bool, type(None))


class Fragments:
    """One build's shared markup: key -> (the objects the key names by id, the markup)."""

    def __init__(self):
        self.markup: dict[tuple, tuple] = {}
        self.names: dict[tuple[int, str], tuple[str, ...]] = {}  # (id(env), partial) -> variables it reads
        self.envs: list = []  # keeps every environment in `names` alive, so its id stays its own

    def get(self, key: tuple, pinned: list, render):
        found = self.markup.get(key)
        if found is None:
            found = self.markup[key] = (pinned, render())
        return found[1]

    def partial_names(self, env, name: str) -> tuple[str, ...]:
        key = (id(env), name)
        if key not in self.names:
            self.envs.append(env)
            self.names[key] = tuple(sorted(read_names(env, name)))
        return self.names[key]


def read_names(env, name: str) -> set[str]:
    """The variables a template, and every template it includes or imports, reads from its context."""
    names = referenced_names(env, name)
    if DYNAMIC_TEMPLATE in names:
        raise ValueError(f"{name}: shared_include cannot follow a template chosen at run time")
    return names


def token(value, pinned: list):
    """What `value` contributes to a key (see the module's docstring)."""
    if isinstance(value, _PLAIN):
        return type(value), value
    if value is missing or isinstance(value, Undefined):
        return (Undefined,)
    if isinstance(value, URLWrapper):
        return type(value), value.name, value.slug, value.url
    pinned.append(value)
    return "id", id(value)


def memo_of(ctx) -> Fragments | None:
    return ctx.get(MEMO_KEY)


@pass_context
def shared_include(ctx, name: str, caller, **given):
    memo = memo_of(ctx)
    if memo is None:
        return caller()
    pinned: list = []
    key = ("include", name, *(token(given[n] if n in given else ctx.resolve_or_missing(n), pinned)
                              for n in memo.partial_names(ctx.environment, name)))
    return memo.get(key, pinned, caller)


@pass_context
def shared_fragment(ctx, name: str, *values, caller):
    memo = memo_of(ctx)
    if memo is None:
        return caller()
    pinned: list = []
    return memo.get(("fragment", name, *(token(v, pinned) for v in values)), pinned, caller)


def add_globals(generator) -> None:
    """generator_init: one memo per build (every generator of a run shares its context dict)."""
    generator.context.setdefault(MEMO_KEY, Fragments())
    if hasattr(generator, "env"):
        generator.env.globals["shared_include"] = shared_include
        generator.env.globals["shared_fragment"] = shared_fragment

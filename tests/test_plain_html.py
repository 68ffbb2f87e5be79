"""newsroom_sanitise.plain_html: the plain form of HTML the sanitiser writes, which newsroom_images' and
newsroom_theme's fast paths read instead of parsing with Beautiful Soup."""

from __future__ import annotations

import random

import pytest
from bs4 import BeautifulSoup
from bs4.dammit import EntitySubstitution
from bs4.formatter import HTMLFormatter

from newsroom_sanitise import Token, plain_tokens, unescape_plain
from newsroom_sanitise.sanitiser import sanitise


class _AsRead(HTMLFormatter):
    """Beautiful Soup's HTML5 output with the attributes in the order it read them."""

    def attributes(self, tag):
        return list(tag.attrs.items()) if tag.attrs else []


AS_READ = _AsRead(entity_substitution=EntitySubstitution.substitute_xml, void_element_close_prefix="")


def as_beautiful_soup_writes(html: str) -> str:
    return BeautifulSoup(html, "html.parser").decode(formatter=AS_READ)


def test_tokens_of_a_plain_story():
    html = '<p class="lead">Q&amp;A <em>now</em></p>\n<figure><picture><img src="/a.jpg" alt="A"></picture></figure>'
    tokens = plain_tokens(html)
    assert [html[t.start:t.end] for t in tokens] == [
        '<p class="lead">', "Q&amp;A ", "<em>", "now", "</em>", "</p>", "\n", "<figure>", "<picture>",
        '<img src="/a.jpg" alt="A">', "</picture>", "</figure>",
    ]
    assert tokens[0] == Token(0, 16, "p", False, (("class", "lead"),), ())
    assert tokens[3].name is None and tokens[3].parents == ("p", "em")
    assert tokens[4].closing and tokens[4].parents == ("p",)  # an end tag: what is still open around it
    img = tokens[9]
    assert (img.name, img.attributes, img.parents) == ("img", (("src", "/a.jpg"), ("alt", "A")), ("figure", "picture"))
    assert plain_tokens("") == []


@pytest.mark.parametrize("html", [
    "<P>Upper case</P>",
    "<p class='single'>quotes</p>",
    "<p class=bare>value</p>",
    "<p>Not closed",
    "<p>Crossed <em>tags</p></em>",
    "</p>",
    "<br></br>",  # a void element has no end tag
    '<p id="a" id="b">twice</p>',
    '<p class="two  spaces">list</p>',
    '<p class=" leading">list</p>',
    "<p>&nbsp;an entity the form does not use</p>",
    '<a href="?a=1&b=2">bare ampersand</a>',
    "<p>carriage\rreturn</p>",
    "<p>\t</p>",  # only spaces, which Beautiful Soup writes as one space or newline
    "<p>  </p>",
    "<script>x</script>",
    '<iframe src="https://player.vimeo.com/x"></iframe>',
    "<p>a > b</p>",
    "<br/>",
    "<!-- a comment -->",
])
def test_what_is_not_plain_is_refused(html):
    assert plain_tokens(html) is None


def test_unescape_plain_reads_only_the_forms_escapes():
    assert unescape_plain("a &lt;b&gt; &amp;amp; &quot;") == 'a <b> &amp; &quot;'
    assert unescape_plain("nothing escaped") == "nothing escaped"


PIECES = [
    "Text", " ", "\n", "  ", "\t", "\xa0", "&amp;", "&lt;", "&gt;", "&nbsp;", '"', "'", ">", "\r", "<p>", "</p>",
    "<em>", "</em>", '<a href="/x?a=1&amp;b=2" title="it\'s">', "</a>", '<span class="a b">', '<span class="a  b">',
    "</span>", "<br>", "<hr>", '<img src="/i.jpg" alt="Q&amp;A">', '<img alt="b" src="/i.jpg">', "<picture>",
    "</picture>", '<p id="a" id="b">', "<code>", "</code>", "<script>", "</script>",
]


def test_plain_html_comes_back_from_beautiful_soup_unchanged():
    """The form's promise: what plain_tokens accepts, Beautiful Soup reads and writes back as it is."""
    rng, accepted = random.Random(3), 0
    for _ in range(6000):
        html = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 8)))
        if plain_tokens(html) is not None:
            accepted += 1
            assert as_beautiful_soup_writes(html) == html, html
    assert accepted > 500


def test_the_sanitisers_output_is_in_the_plain_form():
    html = sanitise(
        '<p class="lead">Rents &amp; wages, <em>again</em></p>\n<p><img src="/images/a.jpg" alt="A <b>"></p>',
        frozenset(), frozenset({"http", "https", "mailto"}),
    ).html
    tokens = plain_tokens(html)
    assert tokens is not None and as_beautiful_soup_writes(html) == html

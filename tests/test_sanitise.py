"""newsroom_sanitise: the allowlist, what is removed and how it is reported, and the plugin's settings.

The pure functions are checked with examples here; tests/test_hostile.py builds real sites from hostile files.
"""

from __future__ import annotations

import logging

import markdown
import pytest

from conftest import FIXTURE_SITE, REPO, load_settings
from newsroom_engine.api import story_html
from newsroom_sanitise.newsroom_sanitise import describe, sanitise_content
from newsroom_sanitise.sanitiser import embed_allowed, sanitise, settle_iframes, url_scheme
from newsroom_sanitise.settings import DEFAULTS, SanitiseSettingsError, load_config

HOSTS = frozenset(DEFAULTS["NEWSROOM_SANITISE_EMBED_HOSTS"])
SCHEMES = frozenset(DEFAULTS["NEWSROOM_SANITISE_URL_SCHEMES"])
YOUTUBE = "https://www.youtube-nocookie.com/embed/abc"


def clean(html: str):
    result = sanitise(html, HOSTS, SCHEMES)
    return result.html, result.removed


def site_markdown(text: str) -> str:
    """The story as the site's Markdown settings render it (pelicanconf.py's MARKDOWN)."""
    from pelican.settings import read_settings

    config = read_settings(str(REPO / "pelicanconf.py"))["MARKDOWN"]
    return markdown.Markdown(extensions=list(config["extension_configs"]), extension_configs=config["extension_configs"],
                             output_format=config["output_format"]).convert(text)


# --- what editors need is kept exactly -----------------------------------------------------------

@pytest.mark.parametrize("html", [
    '<h2 id="the-vote">The vote</h2>',
    "<p>“Curly” quotes – dashes… <em>em</em> <strong>strong</strong> <b>b</b> <i>i</i> <small>small</small> <mark>mark</mark></p>",
    "<p>H<sub>2</sub>O, 10<sup>3</sup>, <abbr title=\"Office for National Statistics\">ONS</abbr>, <kbd>Ctrl</kbd>, <q>q</q>, <cite>c</cite>, <s>s</s> <del>d</del> <ins>i</ins></p>",
    "<ul>\n<li>one</li>\n</ul>\n<ol start=\"3\">\n<li>three</li>\n</ol>",
    "<dl>\n<dt>Term</dt>\n<dd>Definition</dd>\n</dl>",
    "<blockquote>\n<p>A quote.</p>\n</blockquote>",
    '<pre><code class="language-python">print("hi")\n</code></pre>',
    '<p><img alt="x" src="{static}/images/valley.png" title="A title" width="320" height="180"></p>',
    '<p><a href="{filename}/articles/x.md">link</a> <a href="/archive/" title="t">a</a> <a href="#fn:1">f</a> <a href="https://example.org/?a=1&amp;b=2">e</a> <a href="mailto:desk@example.org">m</a></p>',
    "<figure><img src=\"/images/a.png\" alt=\"A\"><figcaption>Caption.</figcaption></figure>",
    '<table>\n<caption>C</caption>\n<thead>\n<tr>\n<th style="text-align: left;" scope="col">a</th>\n</tr>\n</thead>\n'
    '<tbody>\n<tr>\n<td style="text-align: right;" colspan="2" rowspan="1">1</td>\n</tr>\n</tbody>\n<tfoot>\n<tr><td>f</td></tr>\n</tfoot>\n</table>',
    '<div class="footnote">\n<hr>\n<ol>\n<li id="fn:1">\n<p>Note.&nbsp;<a class="footnote-backref" href="#fnref:1" title="Back">↩</a></p>\n</li>\n</ol>\n</div>',
    '<p>Text<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>',
    '<div class="toc">\n<ul>\n<li><a href="#a">A</a></li>\n</ul>\n</div>',
    '<p lang="ar" dir="rtl">مرحبا <span lang="fr">bonjour</span></p>',
    '<img src="/images/a.png" srcset="/images/a.png 1x, /images/a2.png 2x" sizes="100vw" alt="A">',
    f'<iframe src="{YOUTUBE}" title="T" width="560" height="315" allowfullscreen="" loading="lazy"></iframe>',
    '<iframe src="https://player.vimeo.com/video/1"></iframe><iframe src="https://www.openstreetmap.org/export/embed.html?bbox=1,2,3,4&amp;layer=mapnik"></iframe>',
])
def test_editors_markup_is_kept(html):
    assert clean(html) == (html, ())


def test_everything_markdown_writes_for_a_story_is_kept():
    story = site_markdown(
        '## A heading\n\nA footnote[^1], *emphasis*, **strong**, "quotes" -- and... an <abbr title="x">ABBR</abbr>.\n\n'
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\nTerm\n:   Definition\n\n```python\nx = 1\n```\n\n    indented\n\n> quote\n\n"
        "![x]({static}/images/valley.png \"T\")\n\n[l]({filename}/articles/x.md) <https://example.org> <me@example.org>\n\n"
        "[TOC]\n\n---\n\n[^1]: The note.\n"
    )
    html, removed = clean(story)
    assert removed == ()
    for kept in ('<h2 id="a-heading">', 'class="footnote-ref"', 'class="footnote-backref"', '<div class="footnote">',
                 '<th style="text-align: left;">', '<code class="language-python">', 'src="{static}/images/valley.png"',
                 'href="{filename}/articles/x.md"', 'href="mailto:me@example.org"', '<div class="toc">',
                 "<dl>", "<blockquote>", "<hr>", "“quotes”"):
        assert kept in html, kept


# --- what is removed, and how it is named ----------------------------------------------------------

@pytest.mark.parametrize("html,expected,removed", [
    ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>", ("<script>",)),
    ('<script src="https://evil.example/x.js"></script><p>a</p>', "<p>a</p>", ("<script>",)),
    ("<SCRIPT>alert(1)</SCRIPT><p>a</p>", "<p>a</p>", ("<script>",)),
    ("<!--><script>alert(1)</script>--><p>a</p>", "--&gt;<p>a</p>", ("<script>",)),
    ("<!-- <script>x</script> --><p>a</p>", "<p>a</p>", ()),
    ("<style>body{display:none}</style><p>a</p>", "<p>a</p>", ("<style>",)),
    ('<p onclick="alert(1)" OnMouseOver="x">a</p>', "<p>a</p>", ("onclick=", "onmouseover=")),
    ('<img src="/a.png" onerror="alert(1)" alt="A">', '<img src="/a.png" alt="A">', ("onerror=",)),
    ('<p style="position:fixed">a</p>', "<p>a</p>", ("style=",)),
    ('<td style="color: red">a</td>', "a", ()),  # a cell outside a table is only text, to browsers too
    ('<table><tr><td style="text-align:center; background:url(javascript:x)">a</td></tr></table>',
     '<table><tbody><tr><td style="text-align: center;">a</td></tr></tbody></table>', ()),
    ('<table><tr><td style="color: red">a</td></tr></table>', "<table><tbody><tr><td>a</td></tr></tbody></table>", ("style=",)),
    ('<a href="javascript:alert(1)">a</a>', "<a>a</a>", ("javascript: URL",)),
    ('<a href="JaVaScRiPt:alert(1)">a</a>', "<a>a</a>", ("javascript: URL",)),
    ('<a href="java&#x09;script:alert(1)">a</a>', "<a>a</a>", ("javascript: URL",)),
    ('<a href="&#106;avascript:alert(1)">a</a>', "<a>a</a>", ("javascript: URL",)),
    ('<a href="  javascript:alert(1)">a</a>', "<a>a</a>", ("javascript: URL",)),
    ('<a href="vbscript:msgbox(1)">a</a>', "<a>a</a>", ("vbscript: URL",)),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="d">', '<img alt="d">', ("data: URL",)),
    ('<a href="/x" target="_blank" rel="opener">a</a>', '<a href="/x">a</a>', ("target=", "rel=")),
    ('<p class="nr-skip-link" id="main-content">a</p>', "<p>a</p>", ("class=", "id=")),
    ('<div class="footnote evil">a</div>', '<div class="footnote">a</div>', ()),
    ('<code class="language-python evil">x</code>', '<code class="language-python">x</code>', ()),
    ("<h1>Big</h1>", "Big", ("<h1>",)),
    ('<object data="x.swf"><param name="m" value="x">Fallback</object>', "Fallback", ("<object>", "<param>")),
    ('<embed src="x.swf">', "", ("<embed>",)),
    ('<form action="/x"><input name="p"><button formaction="javascript:x">Go</button></form>', "Go", ("<form>", "<input>", "<button>")),
    ('<base href="https://evil.example/"><meta http-equiv="refresh" content="0"><link rel="stylesheet" href="x">', "", ("<base>", "<meta>", "<link>")),
    ('<svg onload="alert(1)"><script>alert(2)</script></svg><p>a</p>', "<p>a</p>", ("<svg>", "<script>")),
    ('<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', "", ("<math>", "<mtext>", "<table>")),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', '<img src="x">"&gt;', ("<noscript>", "onerror=")),
    (f'<iframe src="{YOUTUBE}" onload="alert(1)" style="x" allow="camera">fallback</iframe>', f'<iframe src="{YOUTUBE}"></iframe>', ("onload=", "style=", "allow=")),
    (f'<iframe src="https://evil.example/" onload="x"></iframe><iframe src="{YOUTUBE}" title="t" onload="x"></iframe>',
     f'<iframe src="{YOUTUBE}" title="t"></iframe>', ("<iframe> from evil.example", "onload=")),
    ('<iframe src="https://evil.example/x"></iframe><p>a</p>', "<p>a</p>", ("<iframe> from evil.example",)),
    ('<iframe src="http://www.youtube-nocookie.com/embed/x"></iframe>', "", ("<iframe> from http://www.youtube-nocookie.com",)),
    ('<iframe src="https://www.youtube-nocookie.com.evil.example/"></iframe>', "", ("<iframe> from www.youtube-nocookie.com.evil.example",)),
    ('<iframe src="//evil.example/x"></iframe>', "", ("<iframe> from evil.example",)),
    ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', "", ("<iframe> with no address",)),
    ("<details open ontoggle=\"alert(1)\"><summary>S</summary>T</details>", "ST", ("<details>", "<summary>")),
])
def test_unsafe_markup_is_removed_and_named(html, expected, removed):
    assert clean(html) == (expected, removed)


def test_markdown_attribute_lists_cannot_add_handlers():
    story = site_markdown('A paragraph.\n{: onclick="alert(1)" style="color:red" }\n\n## Heading {: onmouseover="alert(2)" .nr-skip-link }\n')
    html, removed = clean(story)
    assert html == '<p>A paragraph.</p>\n<h2 id="heading">Heading</h2>'
    assert removed == ("onclick=", "style=", "class=", "onmouseover=")


def test_markdown_links_with_javascript_are_disarmed():
    html, removed = clean(site_markdown("[a](javascript:alert(1)) [b][x] ![c](javascript:alert(2))\n\n[x]: javascript:alert(3)\n"))
    assert html == '<p><a>a</a> <a>b</a> <img alt="c"></p>'
    assert removed == ("javascript: URL",)


@pytest.mark.parametrize("html", ["", "   \n", "plain text & more"])
def test_text_without_markup(html):
    assert clean(html)[1] == ()


# --- helpers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("src,allowed", [
    (YOUTUBE, True),
    ("https://WWW.YOUTUBE-NOCOOKIE.COM/embed/x", True),
    ("https://player.vimeo.com/video/1", True),
    ("http://www.youtube-nocookie.com/embed/x", False),
    ("https://www.youtube.com/embed/x", False),
    ("https://www.youtube-nocookie.com.evil.example/", False),
    ("https://evil.example@www.youtube-nocookie.com/", False),
    ("https://www.youtube-nocookie.com:8443/embed/x", False),
    ("https://www.youtube-nocookie.com:bad/", False),
    ("//www.youtube-nocookie.com/embed/x", False),
    ("/embed/x", False),
    ("", False),
])
def test_embed_allowed(src, allowed):
    assert embed_allowed(src, HOSTS) is allowed


@pytest.mark.parametrize("value,scheme", [
    ("javascript:alert(1)", "javascript"), (" JavaScript:x", "javascript"), ("java\tscript:x", "javascript"),
    ("\x00javascript:x", "javascript"), ("https://a", "https"), ("/relative", ""), ("{static}/x.png", ""), ("#fn:1", ""),
])
def test_url_scheme(value, scheme):
    assert url_scheme(value) == scheme


@pytest.mark.parametrize("html,expected", [
    ("<p>no iframe</p>", "<p>no iframe</p>"),
    (f'<iframe src="{YOUTUBE}">fallback <b>x</b></iframe>', f'<iframe src="{YOUTUBE}"></iframe>'),
    ('<iframe title="t">x</iframe><p>a</p>', "<p>a</p>"),
    ('<img alt="<iframe>x</iframe>" src="/a.png"><iframe></iframe>', '<img alt="<iframe>x</iframe>" src="/a.png">'),
    ('<iframe src="">x</iframe>', ""),
])
def test_settle_iframes(html, expected):
    assert settle_iframes(html) == expected


def test_describe():
    assert describe([("the story", ("<script>", "onclick=")), ("the Summary", ("javascript: URL",))]) == (
        "<script>, onclick= from the story; javascript: URL from the Summary"
    )


# --- the receiver -------------------------------------------------------------------------------

def test_articles_and_their_summary_are_sanitised_with_one_warning(tmp_path, caplog):
    from pelican.contents import Article, Static
    from pelican.urlwrappers import Category

    settings = load_settings(FIXTURE_SITE, tmp_path / "out")
    metadata = {"title": "T", "category": Category("Europe", settings), "summary": '<p>A <b onclick="x">bold</b> standfirst<script>1</script></p>'}
    with caplog.at_level(logging.WARNING, logger="newsroom_sanitise"):
        article = Article('<p>Body<script>alert(1)</script> <a href="javascript:x">l</a></p>', metadata, settings,
                          source_path=str(tmp_path / "content/articles/x.md"))
        picture = Static("<script>", {"title": "pic"}, settings, source_path=str(tmp_path / "content/images/a.png"))
    sanitise_content(article)  # a second pass (a plugin calling it again) changes nothing and says nothing
    sanitise_content(picture)  # static files are published as they are
    assert story_html(picture) == "<script>"
    assert story_html(article) == "<p>Body <a>l</a></p>"
    assert article.metadata["summary"] == article.summary == "<p>A <b>bold</b> standfirst</p>"
    assert [r.getMessage() for r in caplog.records] == [
        f"newsroom_sanitise: {tmp_path}/content/articles/x.md: removed <script>, javascript: URL from the story; "
        "<script>, onclick= from the Summary (not allowed on the site)"
    ]


# --- settings -----------------------------------------------------------------------------------

def test_default_settings():
    config = load_config({})
    assert config.embed_hosts == HOSTS and config.url_schemes == SCHEMES


@pytest.mark.parametrize("settings,message", [
    ({"NEWSROOM_SANITISE_EMBED_HOST": ()}, "NEWSROOM_SANITISE_EMBED_HOST in pelicanconf.py is not a setting of this plugin. Fix: did you mean NEWSROOM_SANITISE_EMBED_HOSTS?"),
    ({"NEWSROOM_SANITISE_EMBED_HOSTS": "www.youtube-nocookie.com"}, "NEWSROOM_SANITISE_EMBED_HOSTS in pelicanconf.py is 'www.youtube-nocookie.com'. Fix: give a list of host names"),
    ({"NEWSROOM_SANITISE_EMBED_HOSTS": ["https://player.vimeo.com/"]}, "has 'https://player.vimeo.com/', which is not a host name. Fix: write the host alone"),
    ({"NEWSROOM_SANITISE_URL_SCHEMES": ("https", "javascript")}, "NEWSROOM_SANITISE_URL_SCHEMES in pelicanconf.py has 'javascript', which can run code"),
    ({"NEWSROOM_SANITISE_URL_SCHEMES": ("https", "data")}, "has 'data', which can run code or smuggle files"),
    ({"NEWSROOM_SANITISE_URL_SCHEMES": ("https://",)}, "has 'https://', which is not a URL scheme"),
    ({"NEWSROOM_SANITISE_URL_SCHEMES": ()}, "NEWSROOM_SANITISE_URL_SCHEMES in pelicanconf.py is (). Fix: give a list of URL schemes"),
])
def test_unusable_settings_are_refused(settings, message):
    with pytest.raises(SanitiseSettingsError) as e:
        load_config(settings)
    assert str(e.value).startswith("newsroom_sanitise: ") and message in str(e.value)


def test_settings_are_normalised_and_no_embeds_is_allowed():
    config = load_config({"NEWSROOM_SANITISE_EMBED_HOSTS": [], "NEWSROOM_SANITISE_URL_SCHEMES": ["HTTPS", "tel:"]})
    assert config.embed_hosts == frozenset() and config.url_schemes == {"https", "tel"}
    assert sanitise(f'<iframe src="{YOUTUBE}"></iframe><a href="tel:+441234">t</a>', config.embed_hosts, config.url_schemes).html == '<a href="tel:+441234">t</a>'


def test_the_site_runs_the_sanitiser_with_its_default_settings():
    from pelican.settings import read_settings

    settings = read_settings(str(REPO / "pelicanconf.py"))
    assert "newsroom_sanitise" in settings["PLUGINS"]
    assert load_config(settings) == load_config({})


def test_the_sample_paper_loses_nothing():
    """Every article and page of the sample paper, read as Pelican reads it, passes the allowlist untouched."""
    from pelican.readers import MarkdownReader
    from pelican.settings import read_settings

    settings = read_settings(str(REPO / "pelicanconf.py"))
    reader = MarkdownReader(settings)
    files = sorted((REPO / "content").rglob("*.md"))
    assert len(files) > 30
    for path in files:
        story, metadata = reader.read(str(path))
        assert clean(story)[1] == (), path
        assert clean(metadata.get("summary", ""))[1] == (), path


# --- in a build ---------------------------------------------------------------------------------

def test_the_reader_cleans_so_the_cache_is_clean_and_the_warning_repeats(build_site, tmp_path, site_content, caplog):
    """Stories are cleaned as they are read, so the caches hold clean HTML, and a rebuild that takes the
    story from the cache still warns about what was removed, as the first build did."""
    from pelican.log import LimitFilter

    from conftest import write_article

    write_article(site_content, "europe/2026-11-20-handlers.md", """
Title: Council papers leak
Date: 2026-11-20 08:00
Category: Europe
Summary: A <b onclick="steal()">bold</b> standfirst.
Authors: Tom Reeve

The papers were <script>alert(1)</script>left on a train.
""")
    settings = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache"),
                "NEWSROOM_SEARCH": False}
    warnings = []
    for _ in range(2):
        caplog.clear()
        LimitFilter._raised_messages.clear()  # Pelican logs a warning once per process; a build is one
        with caplog.at_level(logging.WARNING, logger="newsroom_sanitise"):
            site = build_site(output=tmp_path / "site", **settings)
        warnings.append([r.getMessage() for r in caplog.records if r.name.startswith("newsroom_sanitise")])
        body = str(site.soup("europe/council-papers-leak/").select_one(".nr-article__body"))
        assert "left on a train" in body and "<script" not in body and "alert" not in body
    assert warnings[0] == warnings[1] and len(warnings[0]) == 1
    assert "removed <script> from the story; onclick= from the Summary" in warnings[0][0]
    # The reader itself returns the clean story, with what it removed for the warning.
    from pelican.readers import Readers

    content, metadata = Readers(load_settings(site_content, tmp_path / "out")).readers["md"].read(
        str(site_content / "articles/europe/2026-11-20-handlers.md"))
    assert "<script" not in content and "onclick" not in metadata["summary"]
    assert metadata["_newsroom_sanitised"] == [("the story", ("<script>",)), ("the Summary", ("onclick=",))]

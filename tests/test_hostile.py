"""Broken and hostile content: each file in tests/hostile/ gives one clear error or a safe rendering.

CASES says what each file must do when dropped into a copy of the fixture site:

* refused: `check_site` finds exactly one error, that line; the build stops with ContentProblemsError before
  writing anything, prints the line and no traceback, and the last good output is left byte for byte as it was;
* built: the build succeeds; no page, feed or sitemap of the site has a script, handler or javascript: URL
  that the theme did not put there; newsroom_sanitise says what it removed in one warning; and the page
  shows what the editor typed as text.

Markup in metadata (Title, Summary, Authors, Tags, picture text, corrections, data files) is safe because the
theme autoescapes (JINJA_ENVIRONMENT in pelicanconf.py); those cases fail if it ever stops. The second half
checks one hostile headline in every place it is written: feeds, JSON-LD, share metadata, sitemaps and the
page's <title> and share links.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import BUILD_EPOCH, FIXTURE_SITE, REPO, NewsroomPelican, Site, load_settings
from newsroom_checks import ContentProblemsError, check_article, check_page, check_site
from newsroom_content.clock import build_now
from newsroom_content.settings import NewsroomSettingsError
from newsroom_sanitise.sanitiser import SAFE_IFRAME_ATTRIBUTES, embed_allowed, url_scheme
from newsroom_sanitise.settings import DEFAULTS as SANITISE_DEFAULTS
from test_build import tree_digest

HOSTILE = Path(__file__).resolve().parent / "hostile"
EMBED_HOSTS = frozenset(SANITISE_DEFAULTS["NEWSROOM_SANITISE_EMBED_HOSTS"])
# title-markup.md's headline as every page shows it: markup kept as text, the quotes curly as in a story.
TITLE = 'Fish & chips <script>alert(1)</script> ]]> “quoted”'
QUICK = {"NEWSROOM_SEARCH": False}  # Pagefind is not what these tests are about

SECTIONS = ("Middle East, Europe, Americas, Africa, Asia, Politics, Workplace, Housing, Environment, Editorial, "
            "Opinion, Books, Film, Music, Sport")
DATE_FIX = "Fix: write it as YYYY-MM-DD HH:MM, e.g. 2026-11-25 09:30 (add an offset such as +01:00 if needed)."
YAML_FIX = "Fix: check the indentation and that each line is `key: value`; put values containing `: ` or `#` in quotes."
MARKUP_FIX = "it is shown as plain text. Fix: remove the markup."



# --- the corpus --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    file: str  # in tests/hostile/, or made by `generate`
    dest: str  # where it goes in the content folder
    error: str = ""  # refused: the one error line after the file's path; {size} is the generated file's size
    warnings: tuple[str, ...] = ()  # validator warnings after the file's path; {content} is the content folder
    removed: str = ""  # built: what newsroom_sanitise's warning says it removed ("" means no warning)
    url: str = ""  # built: the page to read ("" when nothing is published)
    check: Callable | None = None  # built: more assertions, check(site, page soup)
    generate: Callable[[], bytes] | None = None
    marks: tuple = ()


def refused(file: str, error: str, dest: str = "", **kw) -> Case:
    return Case(file, dest or f"articles/hostile/{file}", error=error, **kw)


def built(file: str, url: str, removed: str = "", dest: str = "", **kw) -> Case:
    return Case(file, dest or f"articles/hostile/{file}", url=url, removed=removed, **kw)


def huge_article() -> bytes:
    head = "Title: An article of five megabytes\nDate: 2026-11-24 12:00\nCategory: Europe\n\n"
    paragraph = "The committee heard evidence for another hour. " * 20 + "\n\n"
    return (head + paragraph * (5 * 1024 * 1024 // len(paragraph) + 1)).encode("utf-8")


def body(page: BeautifulSoup):
    return page.select_one(".nr-article__body, .nr-page__body")


def text(node) -> str:
    return " ".join(node.get_text().split())


def check_script_in_body(site, page):
    assert text(body(page)) == "The council met on Monday. The vote is on Thursday."


def check_event_handlers(site, page):
    story = body(page)
    assert story.find("img", alt="The valley")["src"].startswith("/images/")  # {static} survived and resolved
    assert story.find("a", string="A link that runs code on hover")["href"] == "/europe/"
    assert "A paragraph that runs code when clicked." in text(story) and "A focusable box." in text(story)


def check_javascript_links(site, page):
    links = body(page).find_all("a")
    assert [(a.get_text(), a.get("href")) for a in links if a.has_attr("href")] == [("safe link", "https://example.org/report")]
    assert len(links) == 9 and not body(page).find("img").has_attr("src")


def check_iframes(site, page):
    frames = body(page).find_all("iframe")
    assert [f["src"] for f in frames] == [
        "https://www.youtube-nocookie.com/embed/abc123", "https://player.vimeo.com/video/76979871",
        "https://www.openstreetmap.org/export/embed.html?bbox=-0.1,51.5,-0.09,51.51&layer=mapnik",
    ]
    assert all(set(f.attrs) <= SAFE_IFRAME_ATTRIBUTES and not f.contents for f in frames)
    assert set(frames[0].attrs) == {"src", "title", "width", "height", "allowfullscreen"}
    assert text(body(page)).endswith("The end of the story.")


def check_object_embed_form(site, page):
    assert text(body(page)) == "Fallback text. Log in The story carries on."
    assert not page.find("base") and not page.find("meta", attrs={"http-equiv": "refresh"})


def check_style_overlays(site, page):
    styled = [(t.name, t["style"]) for t in body(page).find_all(style=True)]
    assert styled == [("th", "text-align: left;"), ("th", "text-align: right;"), ("td", "text-align: left;"),
                      ("td", "text-align: right;"), ("td", "text-align: center;")]
    assert "A fake notice covering the whole page." in text(body(page))


def check_after_tricks(expected: str):
    def check(site, page):
        assert text(body(page)) == expected
    return check


def check_attribute_lists(site, page):
    assert str(body(page).find("h2")) == '<h2 id="a-heading">A heading</h2>'
    assert body(page).find("a", string="A link").attrs == {"href": "https://example.org/"}


def check_page_with_script(site, page):
    assert page.find("h1").get_text() == "Contact the desk"
    assert text(body(page)) == "Write to desk@example.org."
    assert body(page).find("a").attrs == {"href": "mailto:desk@example.org"}


def check_bom(site, page):
    assert page.find("h1").get_text() == "Fishing fleet returns to port"
    assert page.title.get_text().startswith("Fishing fleet returns to port |")


def check_editor_toolkit(site, page):
    story = body(page)
    assert story.find("sup", id="fnref:1").find("a", class_="footnote-ref")["href"] == "#fn:1"
    assert story.find("div", class_="footnote").find("li", id="fn:1").find("a", class_="footnote-backref")["href"] == "#fnref:1"
    assert [th["style"] for th in story.select("table th")] == ["text-align: left;", "text-align: right;"]
    assert story.find("img", alt="The river valley")["src"].startswith("/images/")
    # The Markdown picture alone in its paragraph is a figure captioned by its title (newsroom_markdown.figures);
    # the figure typed in HTML keeps its own caption.
    assert [c.get_text() for c in story.select("figure figcaption")] == ["The valley", "The valley in spring."]
    assert story.find("img", alt="The river valley").find_parent("figure")["class"] == ["nr-story-figure"]
    assert story.find("iframe")["src"].startswith("https://www.openstreetmap.org/")
    assert story.find("abbr")["title"] == "Office for National Statistics"
    for selector in ("blockquote", "dl dt", "dl dd", "mark", "sub", "code.language-python", 'a[href="mailto:desk@example.org"]',
                     'a[href="/archive/"]', 'h2[id="the-figures"]'):
        assert story.select_one(selector), selector


def check_not_published(url: str):
    def check(site, page):
        assert not site.exists(url)
        assert "end of time" not in site.path("/europe/").read_text(encoding="utf-8")
    return check


def check_ancient(site, page):
    assert page.find("main").find("time")["datetime"].startswith("0001-01-01")  # the story's, not the date line's


def check_literal(selector: str, expected: str):
    def check(site, page):
        assert expected in [text(node) for node in page.select(selector)]
    return check


def check_alt_and_caption(site, page):
    figure = page.select_one(".nr-article__figure")
    assert figure.find("img")["alt"] == 'A river valley" onerror="alert(1)'
    assert text(figure.find("figcaption")) == "The valley</figcaption><script>alert(2)</script>"


def check_promo(site, page):
    assert text(page.select_one(".nr-promo__heading")) == "Owned by <script>alert(1)</script> our readers"


def check_banner(site, page):
    assert text(page.select_one(".nr-breaking__label")) == "<b>Live</b>"
    assert text(page.select_one(".nr-breaking__link")) == "Strike <script>alert(1)</script> spreads to the ports"


CASES = [
    # Missing fields, bad dates.
    refused("missing-title.md", ": error: Title: is missing; every article needs it. Fix: add a line `Title: The headline`."),
    refused("missing-date.md", f": error: Date: is missing; every article needs it. Fix: add a line `Date: ...`; {DATE_FIX[5:]}"),
    refused("missing-category.md", ": error: Category: is missing; every article needs it. Fix: add a line `Category: <section>` "
                                   f"with one of: {SECTIONS}."),
    refused("date-in-words.md", f":2: error: Date: 'next Tuesday' is not a date. {DATE_FIX}"),
    refused("date-impossible.md", f":2: error: Date: '2026-02-30 10:00' is not a date. {DATE_FIX}"),
    refused("date-offset-out-of-range.md", f":2: error: Date: '2026-11-24 12:00+25:00' is not a date. {DATE_FIX}"),
    refused("modified-before-date.md", ":3: error: Modified: '2026-11-01 09:00' is earlier than the Date. "
                                       "Fix: Modified is when the article was last changed: it cannot come before Date."),
    built("far-future-date.md", "", check=check_not_published("/europe/a-story-dated-at-the-end-of-time/")),
    built("ancient-date.md", "/europe/a-story-dated-in-the-first-year/", check=check_ancient),
    # Encodings and files that are not articles.
    refused("latin1.md", ":1: error: file: is not valid UTF-8 text. Fix: save the file as UTF-8 in your editor "
                         "(\"Save with encoding: UTF-8\")."),
    built("bom.md", "/europe/fishing-fleet-returns-to-port/", check=check_bom),
    refused("empty.md", ": error: file: is empty. Fix: write the metadata and the story, or delete the file."),
    refused("blank.md", ": error: file: is empty. Fix: write the metadata and the story, or delete the file."),
    refused("binary.md", ": error: file: is not text: it contains NUL bytes (a picture or other binary file, or text saved as "
                         "UTF-16). Fix: save the article as UTF-8 text in your editor; pictures belong in content/images/."),
    refused("huge.md", ": error: file: is {size:,} bytes, over the limit of 2,000,000 bytes for one article or page. "
                       "Fix: split it into shorter articles, and keep pictures and data out of the text "
                       "(the limit is NEWSROOM_MAX_ARTICLE_BYTES in pelicanconf.py).", generate=huge_article),
    # Front-matter typos.
    refused("typo-summary-key.md", ":4: error: Sumary: is not a known article metadata key. Fix: did you mean `Summary`?"),
    refused("typo-author-key.md", ":4: error: Author: is not a known article metadata key. Fix: did you mean `Authors`?"),
    refused("typo-missing-colon.md", ":4: error: metadata: the line 'Tags Water, Drought' is not a `Key: value` line, so the "
                                     "header would end there and every line after it would be lost. Fix: write it as "
                                     "`Key: value`, or put one blank line between the metadata and the story."),
    refused("duplicate-key.md", ":4: error: Title: appears twice (first on line 1). Fix: keep one of the two lines."),
    refused("status-unknown.md", ":4: error: Status: 'live' is not allowed. Fix: use one of: published, draft, hidden."),
    # URLs, sections and pictures.
    refused("duplicate-slug.md", ":1: error: Slug: gives the URL /europe/rail-fares-frozen-for-a-year/, which "
                                 "{content}/articles/europe/2026-10-02-rail-fares.md already has. Fix: give one of the two "
                                 "a different `Slug:` (or a different Title)."),
    refused("slug-traversal.md", ":4: error: Slug: '../../index' cannot be used in a URL. Fix: use lower-case letters, "
                                 "digits and single hyphens, e.g. `gaza-water-crisis`."),
    refused("unknown-section.md", f":3: error: Category: 'Gossip' is not one of the paper's sections. Fix: use one of: "
                                  f"{SECTIONS} (sections are set in pelicanconf.py)."),
    refused("lang-attribute-injection.md", ":4: error: Lang: 'en\" onmouseover=\"alert(1)' is not a language code. "
                                           "Fix: use a code such as en, ar, cy or pt-BR."),
    refused("missing-image.md", ":4: error: Image: 'images/pier-after-the-storm.jpg' was not found in the content folder. "
                                "Fix: check the file name, and write the path from content/, e.g. `Image: images/harbour.jpg`."),
    refused("image-path-traversal.md", ":4: error: Image: '../../../../etc/passwd' was not found in the content folder. "
                                       "Fix: check the file name, and write the path from content/, e.g. `Image: images/harbour.jpg`."),
    refused("image-javascript-url.md", ":4: error: Image: 'javascript:alert(document.cookie)' is not a file in the content "
                                       "folder. Fix: put the picture under content/images/ and write `Image: images/<file>`."),
    refused("missing-alt.md", ":4: error: Image_alt: is missing: every image needs a text alternative for readers who "
                              "cannot see it. Fix: add `Image_alt: <what the picture shows>`."),
    refused("empty-alt.md", ":5: error: Image_alt: is empty. Fix: fill it in, or remove the line if the field is optional."),
    # Data files.
    refused("fighting-fund-malformed.yml", f":3: error: YAML: cannot be read: expected ',' or ']', but got ':'. {YAML_FIX}",
            dest="data/fighting-fund.yml"),
    refused("fighting-fund-negative.yml", ":2: error: raised: -250 cannot be negative. Fix: write a plain number without "
                                          "currency sign or commas, e.g. `raised: 7798`.", dest="data/fighting-fund.yml"),
    refused("fighting-fund-not-a-number.yml", ":1: error: target: 'about £18k' is not an amount of money. Fix: write a plain "
                                              "number without currency sign or commas, e.g. `target: 7798`.",
            dest="data/fighting-fund.yml"),
    refused("fighting-fund-period-reversed.yml", ":5: error: period_end: 2026-11-01 is before period_start (2026-11-05). "
                                                 "Fix: the appeal must end on or after the day it starts: check both dates.",
            dest="data/fighting-fund.yml"),
    refused("fighting-fund-javascript-url.yml", ":6: error: donate_url: 'javascript:alert(document.cookie)' is not a usable "
                                                "link. Fix: write a link on this site such as `/support-us/` or a full https:// "
                                                "address.", dest="data/fighting-fund.yml"),
    refused("cooperative-malformed.yml", f":2: error: YAML: cannot be read: mapping values are not allowed here. {YAML_FIX}",
            dest="data/cooperative.yml"),
    refused("authors-malformed.yml", f":3: error: YAML: cannot be read: expected <block end>, but found '<block mapping start>'. "
                                     f"{YAML_FIX}", dest="data/authors.yml"),
    built("cooperative-markup.yml", "/europe/rail-fares-frozen-for-a-year/", dest="data/cooperative.yml",
          check=check_promo),
    refused("breaking-javascript-url.yml", ":3: error: link: 'javascript:alert(document.cookie)' is not a usable link. Fix: "
                                           "write the address of a page of this site as readers see it, such as "
                                           "`/europe/rail-fares-freeze/` (copy it from the page), or a full https:// address.",
            dest="data/breaking.yml"),
    refused("breaking-draft-link.yml", ":2: error: link: /europe/unfinished-draft-about-ferries/ is not published (a draft), "
                                       "so readers would find nothing there. Fix: link to a published page, or put the banner "
                                       "up once the story is live.", dest="data/breaking.yml"),
    built("breaking-markup.yml", "/europe/rail-fares-frozen-for-a-year/", dest="data/breaking.yml", warnings=(
        f":1: warning: headline: contains HTML (<script>); {MARKUP_FIX}", f":3: warning: label: contains HTML (<b>); {MARKUP_FIX}"),
        check=check_banner),
    # HTML and script in the story: removed, with one warning.
    built("script-in-body.md", "/europe/scripts-typed-into-the-story/", "<script> from the story", check=check_script_in_body),
    built("event-handlers.md", "/europe/event-handlers-on-ordinary-elements/",
          "<details>, <summary>, onclick=, onerror=, onload=, onmouseover=, onpointerenter=, onfocus=, tabindex= from the story",
          check=check_event_handlers),
    built("javascript-links.md", "/europe/links-that-run-code/", "javascript: URL, vbscript: URL, data: URL from the story",
          check=check_javascript_links),
    built("iframes.md", "/europe/embeds-from-allowed-and-other-hosts/",
          "<iframe> from evil.example, <iframe> from http://www.youtube-nocookie.com, <iframe> from www.youtube.com, "
          "<iframe> from www.youtube-nocookie.com.evil.example, <iframe> with no address, onload=, style=, allow= "
          "from the story", check=check_iframes),
    built("object-embed-form.md", "/europe/plugins-forms-and-page-level-tags-in-a-story/",
          "<object>, <param>, <embed>, <form>, <input>, <button>, <base>, <meta>, <link> from the story",
          check=check_object_embed_form),
    built("style-overlays.md", "/europe/styles-that-cover-the-page/", "<style>, style= from the story", check=check_style_overlays),
    built("svg-and-math.md", "/europe/svg-and-mathml-tricks/", "<svg>, <circle>, <script>, <math>, <mtext>, <table>, "
          "<noscript>, onerror= from the story", check=check_after_tricks('"> After the tricks.')),
    built("comment-tricks.md", "/europe/comments-that-hide-markup/", "<script> from the story",
          check=check_after_tricks("Before. --> alert(3)]]> After.")),
    built("attribute-list-handlers.md", "/europe/handlers-through-markdown-attribute-lists/",
          "onclick=, style=, class=, onmouseover=, autofocus=, onfocus= from the story", check=check_attribute_lists),
    built("page-with-script.md", "/contact-the-desk/", "<script>, onclick= from the story", dest="pages/page-with-script.md",
          check=check_page_with_script),
    built("editor-toolkit.md", "/europe/everything-an-editor-may-use/", check=check_editor_toolkit),
    # HTML and script in the metadata: a warning, then shown as text by the theme.
    built("summary-markup.md", "/environment/flood-defences-hold/", "<script>, onerror= from the Summary",
          check=check_literal(".nr-article__standfirst", "The barrier held <script>alert(2)</script> overnight")),
    built("title-markup.md", "/europe/fish-chips-alert1-quoted/", warnings=(f":1: warning: Title: contains HTML (<script>); {MARKUP_FIX}",),
          check=check_literal("h1", TITLE)),
    built("authors-markup.md", "/europe/a-byline-with-a-picture-in-it/", warnings=(
        f":4: warning: Authors: contains HTML (<img>); {MARKUP_FIX}",
        ":4: warning: Authors: 'Ann <img src=x onerror=alert(1)>Lee' has no entry in {content}/data/authors.yml, so their page has no "
        "bio. Fix: check the spelling, or add them to authors.yml with a role and bio.",
    ), check=check_literal(".nr-byline__authors", "By Tom Reeve and Ann <img src=x onerror=alert(1)>Lee")),
    built("tags-markup.md", "/europe/topics-with-markup/", warnings=(f":4: warning: Tags: contains HTML (<b>, <svg>); {MARKUP_FIX}",),
          check=check_literal(".nr-tags__link", "<b>Bold</b>")),
    built("image-text-breakout.md", "/middle-east/picture-text-that-breaks-out-of-its-attribute/",
          warnings=(f":6: warning: Image_caption: contains HTML (<figcaption>, <script>); {MARKUP_FIX}",),
          check=check_alt_and_caption),
    built("correction-markup.md", "/politics/council-tax-figures-corrected/",
          warnings=(f":5: warning: Correction: contains HTML (<script>); {MARKUP_FIX}",),
          check=check_literal(".nr-article__correction p", "24 November 2026: <script>alert(1)</script>An earlier version gave the wrong figure.")),
    built("control-characters.md", "/europe/bell-and-escape31m-characters-in-a-headline/"),
]


def test_every_corpus_file_has_an_expected_outcome():
    committed = sorted(p.name for p in HOSTILE.iterdir())
    listed = sorted(c.file for c in CASES if c.generate is None)
    assert committed == listed
    assert len(CASES) >= 30 and len({c.file for c in CASES}) == len(CASES)


# --- how a site is read -------------------------------------------------------------------------------

XML_FILES = ("sitemap.xml", "news-sitemap.xml")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "cite", "background", "xlink:href")
RUNNABLE_SCHEMES = ("javascript", "vbscript", "data")


def is_theme_search_form(tag) -> bool:
    """The header's search (partials/header.html): a GET form to the site's own search page."""
    action = tag.get("action", "")
    return (tag.name == "form" and tag.get("role") == "search" and tag.get("method") == "get"
            and tag.find_parent("header", class_="nr-header") is not None
            and url_scheme(action) in ("", "http", "https") and action.endswith("/search/"))


def unsafe_in(soup: BeautifulSoup, theme_scripts: bool = True) -> list[str]:
    """Anything in the HTML that could run code, other than the theme's own scripts and JSON-LD."""
    found = []
    for script in soup.find_all("script"):
        src, kind = script.get("src", ""), script.get("type", "")
        if theme_scripts and kind == "application/ld+json":
            json.loads(script.string)  # data, and it must parse
        elif not (theme_scripts and src.startswith(("/theme/", "/pagefind/")) and not script.get_text().strip()):
            found.append(str(script)[:80])
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on"):
                found.append(f"<{tag.name} {name}=...>")
            elif name.lower() in URL_ATTRIBUTES and url_scheme(value) in RUNNABLE_SCHEMES:
                found.append(f"<{tag.name} {name}={value[:40]}>")
    for tag in soup.find_all(["iframe", "object", "embed", "applet", "base", "form", "style", "svg", "math"]):
        if tag.name == "iframe" and embed_allowed(tag.get("src", ""), EMBED_HOSTS):
            continue
        if theme_scripts and is_theme_search_form(tag):
            continue
        found.append(str(tag)[:80])
    found += [str(m)[:80] for m in soup.find_all("meta", attrs={"http-equiv": True})
              if m["http-equiv"].lower() in ("refresh", "set-cookie")]  # the theme's own CSP is welcome
    return found


def feed_html(path: Path) -> list[str]:
    """The HTML each entry of a feed carries (story, summary), as a feed reader renders it. (A channel's own
    title and description are plain text, and shown as text.)"""
    if path.suffix == ".json":
        return [i.get("content_html", "") for i in json.loads(path.read_text(encoding="utf-8"))["items"]]
    root = ET.parse(path).getroot()
    entries = [*root.iter("item"), *root.iter("{http://www.w3.org/2005/Atom}entry")]
    names = ("description", "{http://purl.org/rss/1.0/modules/content/}encoded",
             "{http://www.w3.org/2005/Atom}content", "{http://www.w3.org/2005/Atom}summary")
    return [el.text or "" for entry in entries for el in entry if el.tag in names]


def unsafe_markup(output: Path) -> list[str]:
    found = []
    for page in sorted(output.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        found += [f"{page.relative_to(output)}: {x}" for x in unsafe_in(soup)]
    feeds = sorted((output / "feeds").rglob("*.xml")) + sorted((output / "feeds").rglob("*.json"))
    for path in [*feeds, *(output / name for name in XML_FILES)]:
        try:
            if path in feeds:
                fragments = feed_html(path)
            else:
                ET.parse(path)  # a sitemap carries no HTML, but must be well-formed
                fragments = []
        except (ET.ParseError, json.JSONDecodeError) as e:
            found.append(f"{path.relative_to(output)}: not well-formed ({e})")
            continue
        for fragment in fragments:
            found += [f"{path.relative_to(output)}: {x}" for x in unsafe_in(BeautifulSoup(fragment, "html.parser"), theme_scripts=False)]
    return found


# --- running a case ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def last_good_output(tmp_path_factory, image_cache):
    """The fixture site built once: the output every refused build must leave alone."""
    root = tmp_path_factory.mktemp("last-good")
    shutil.copytree(FIXTURE_SITE, root / "content")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", str(BUILD_EPOCH))
        NewsroomPelican(load_settings(root / "content", root / "output", NEWSROOM_IMAGES_CACHE=str(image_cache), **QUICK)).run()
    return root / "output"


def test_the_fixture_site_is_clean_to_start_with(last_good_output):
    assert unsafe_markup(last_good_output) == []
    assert len(list(last_good_output.rglob("*.html"))) > 20


def drop_in(case: Case, content: Path) -> Path:
    target = content / case.dest
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.generate() if case.generate else (HOSTILE / case.file).read_bytes())
    return target


def problem_lines(content: Path, problems) -> list[str]:
    return [p.format(root=str(content.parent)) for p in problems]


def expected_line(case: Case, content: Path, rest: str, target: Path) -> str:
    return f"content/{case.dest}" + rest.format(content=content, size=target.stat().st_size)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.file, marks=c.marks) for c in CASES])
def test_corpus_file(case, site_content, build_site, last_good_output, capsys, caplog, monkeypatch):
    target = drop_in(case, site_content)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(BUILD_EPOCH))
    settings = load_settings(site_content, last_good_output, **QUICK)
    check = check_site(settings, build_now(settings).date())
    warnings = [p for p in check.problems if not p.is_error]
    assert problem_lines(site_content, check.errors) == ([expected_line(case, site_content, case.error, target)] if case.error else [])
    assert problem_lines(site_content, warnings) == [expected_line(case, site_content, w, target) for w in case.warnings]
    if case.error:
        assert_refused(case, settings, last_good_output, target, capsys)
    else:
        assert_built_safely(case, build_site, target, capsys, caplog)


def assert_refused(case, settings, output, target, capsys):
    before = tree_digest(output)
    mtimes = {p: os.stat(output / p).st_mtime_ns for p in before}
    with pytest.raises(ContentProblemsError, match="nothing was written and the last good output is untouched"):
        NewsroomPelican(settings).run()
    err = capsys.readouterr().err
    reported = [line for line in err.splitlines() if ": error: " in line]
    assert reported == [f"{target}{case.error.format(content=settings['PATH'], size=target.stat().st_size)}"]
    assert "Traceback" not in err
    assert tree_digest(output) == before
    assert {p: os.stat(output / p).st_mtime_ns for p in before} == mtimes
    assert not Path(f"{output}.partial").exists()


def assert_built_safely(case, build_site, target, capsys, caplog):
    with caplog.at_level(logging.WARNING):
        site = build_site(**QUICK)
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("newsroom_sanitise:")]
    assert said == ([f"newsroom_sanitise: {target}: removed {case.removed} (not allowed on the site)"] if case.removed else [])
    assert "Traceback" not in capsys.readouterr().err
    assert unsafe_markup(site.output) == []
    page = site.soup(case.url) if case.url else None
    if page is not None:
        assert page.find("h1") is not None
    if case.check:
        case.check(site, page)


# --- one hostile headline, everywhere it is written ----------------------------------------------------

ARTICLE_URL = "/europe/fish-chips-alert1-quoted/"
SITE = "http://127.0.0.1:8000"  # pelicanconf.py's SITEURL is "", so absolute URLs use BIND:PORT
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def titled(tmp_path_factory, image_cache) -> Site:
    root = tmp_path_factory.mktemp("titled")
    shutil.copytree(FIXTURE_SITE, root / "content")
    drop_in(next(c for c in CASES if c.file == "title-markup.md"), root / "content")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", str(BUILD_EPOCH))
        NewsroomPelican(load_settings(root / "content", root / "output", NEWSROOM_IMAGES_CACHE=str(image_cache), **QUICK)).run()
    return Site(root / "output")


def feed_titles(site: Site) -> dict[str, str]:
    """{feed file: the title of the article's entry} for every RSS, Atom and JSON feed the article is in."""
    titles = {}
    for path in sorted((site.output / "feeds").rglob("*")):
        rel = path.relative_to(site.output).as_posix()
        if path.suffix == ".json":
            titles.update({rel: i["title"] for i in json.loads(path.read_text(encoding="utf-8"))["items"] if i["url"].endswith(ARTICLE_URL)})
        elif rel.endswith(".rss.xml"):
            titles.update({rel: i.findtext("title") for i in ET.parse(path).getroot().iter("item") if i.findtext("link").endswith(ARTICLE_URL)})
        elif rel.endswith(".atom.xml"):
            titles.update({rel: e.findtext(f"{ATOM}title") for e in ET.parse(path).getroot().iter(f"{ATOM}entry")
                           if any(link.get("href", "").endswith(ARTICLE_URL) for link in e.iter(f"{ATOM}link"))})
    return titles


def test_feeds_escape_the_title_and_keep_it_intact(titled):
    titles = feed_titles(titled)
    assert {"feeds/all.rss.xml", "feeds/all.atom.xml", "feeds/all.json", "feeds/tag/food.rss.xml",
            "feeds/author/tom-reeve.atom.xml"} <= set(titles)
    assert set(titles.values()) == {TITLE}
    for name in titles:
        if name.endswith(".xml"):  # escaped as XML text, never raw markup or CDATA a title could end
            raw = (titled.output / name).read_text(encoding="utf-8")
            assert "<script>" not in raw and "]]>" not in raw and "<![CDATA[" not in raw


def article_head(site: Site) -> BeautifulSoup:
    return site.soup(ARTICLE_URL).head


def test_json_ld_escapes_the_title(titled):
    blocks = article_head(titled).find_all("script", type="application/ld+json")
    assert len(blocks) == 2
    for block in blocks:
        assert "<" not in block.string and ">" not in block.string  # nothing can end the script element early
        json.loads(block.string)


def test_json_ld_keeps_the_title_intact(titled):
    article, crumbs = (json.loads(b.string) for b in article_head(titled).find_all("script", type="application/ld+json"))
    assert article["headline"] == TITLE
    assert crumbs["itemListElement"][-1]["name"] == TITLE


def meta_content(head, **attrs) -> str:
    return head.find("meta", attrs=attrs)["content"]


def test_share_metadata_keeps_the_title_intact(titled):
    head = article_head(titled)
    assert meta_content(head, property="og:title") == TITLE
    assert meta_content(head, name="twitter:title") == TITLE


def test_sitemaps_parse_and_list_the_article(titled):
    sitemap = ET.parse(titled.output / "sitemap.xml").getroot()
    assert f"{SITE}{ARTICLE_URL}" in [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    news = ET.parse(titled.output / "news-sitemap.xml").getroot()
    assert f"{SITE}{ARTICLE_URL}" in [loc.text for loc in news.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]


def test_news_sitemap_keeps_the_title_intact(titled):
    news = ET.parse(titled.output / "news-sitemap.xml").getroot()
    titles = [t.text for t in news.iter("{http://www.google.com/schemas/sitemap-news/0.9}title")]
    assert TITLE in titles


def test_page_title_and_share_links_keep_the_title_intact(titled):
    page = titled.soup(ARTICLE_URL)
    assert page.title.get_text() == f"{TITLE} | Europe | The Common Ledger"
    email = page.find("a", string="Email")["href"]
    assert parse_qs(urlsplit(email).query)["subject"] == [TITLE]


# --- the validator's checks for hostile files, one by one ------------------------------------------------

HEADER = "Title: Talks resume\nDate: 2026-11-20 08:30\nCategory: Europe\n"


def article_problems(text: str, tmp_path, **settings) -> list[str]:
    problems, _ = check_article(str(tmp_path / "a.md"), text, content_root=str(tmp_path), sections={"Europe": "europe"},
                                settings=settings)
    return [p.format(root=str(tmp_path)) for p in problems]


@pytest.mark.parametrize("line,expected", [
    ("Title: Fish & chips <b>tonight</b>", "a.md:4: warning: Title: contains HTML (<b>); " + MARKUP_FIX),
    ("Title: Watch this <img src=x onerror=alert(1)", "a.md:4: warning: Title: contains HTML (<img>); " + MARKUP_FIX),
    ("Title: </SCRIPT><Script>x", "a.md:4: warning: Title: contains HTML (<script>); " + MARKUP_FIX),
    ("Authors: Jo <b>Bloggs</b>, Ann", "a.md:4: warning: Authors: contains HTML (<b>); " + MARKUP_FIX),
    ("Tags: C++, <i>Rust</i>, <svg onload=alert(1)>Vector", "a.md:4: warning: Tags: contains HTML (<i>, <svg>); " + MARKUP_FIX),
    ("Correction: <em>It</em> was Tuesday.\nModified: 2026-11-21 08:30", "a.md:4: warning: Correction: contains HTML (<em>); " + MARKUP_FIX),
    ("Title: Profits < costs > hopes", None),
    ("Title: 3<4 and 5>2", None),
    ("Authors: Jo Bloggs <jo@example.org>", None),
    ("Summary: A <em>standfirst</em> may use markup: it is Markdown", None),
])
def test_markup_in_plain_text_fields_is_a_warning(tmp_path, line, expected):
    text = HEADER.replace("Title: Talks resume\n", "") if line.startswith("Title:") else HEADER
    found = article_problems(f"{text}{line}\n\nBody.\n", tmp_path)
    assert found == ([expected.replace("a.md:4", f"a.md:{1 + text.count(chr(10))}")] if expected else [])


def test_markup_in_a_page_title_is_a_warning(tmp_path):
    problems, _ = check_page(str(tmp_path / "p.md"), "Title: About <i>us</i>\n\nText.\n", content_root=str(tmp_path), settings={})
    assert [p.format(root=str(tmp_path)) for p in problems] == [f"p.md:1: warning: Title: contains HTML (<i>); {MARKUP_FIX}"]


def test_the_size_limit_is_a_setting(tmp_path):
    text = f"{HEADER}\nA short story, but the limit is shorter.\n"
    size = len(text.encode())
    assert article_problems(text, tmp_path, NEWSROOM_MAX_ARTICLE_BYTES=size) == []
    assert article_problems(text, tmp_path, NEWSROOM_MAX_ARTICLE_BYTES=size - 1) == [
        f"a.md: error: file: is {size:,} bytes, over the limit of {size - 1:,} bytes for one article or page. Fix: split it "
        "into shorter articles, and keep pictures and data out of the text (the limit is NEWSROOM_MAX_ARTICLE_BYTES in pelicanconf.py)."
    ]
    problems, _ = check_page(str(tmp_path / "p.md"), "Title: About\n\n" + "x" * 100, content_root=str(tmp_path),
                             settings={"NEWSROOM_MAX_ARTICLE_BYTES": 50})
    assert [p.message for p in problems] == ["is 114 bytes, over the limit of 50 bytes for one article or page."]


@pytest.mark.parametrize("limit", ["2MB", 0, -1, True, None])
def test_an_unusable_size_limit_is_refused(tmp_path, limit):
    with pytest.raises(NewsroomSettingsError, match=r"^newsroom_content: NEWSROOM_MAX_ARTICLE_BYTES in pelicanconf.py is "):
        article_problems(f"{HEADER}\nBody.\n", tmp_path, NEWSROOM_MAX_ARTICLE_BYTES=limit)


# --- the commands an editor runs ----------------------------------------------------------------------

@pytest.fixture
def repo(tmp_path):
    """A working copy with the fixture site as its content, sharing this checkout's .venv (as in test_commands)."""
    work = tmp_path / "paper"
    work.mkdir()
    for name in ("Makefile", "pelicanconf.py", "publishconf.py", "requirements.txt", "requirements-test.txt"):
        shutil.copy2(REPO / name, work / name)
    for name in ("plugins", "theme", ".venv"):
        os.symlink(REPO / name, work / name)
    shutil.copytree(FIXTURE_SITE, work / "content")
    return work


def make(repo: Path, *args):
    return subprocess.run(["make", "--no-print-directory", *args], cwd=repo, capture_output=True, text=True, timeout=180,
                          env={**os.environ, "SOURCE_DATE_EPOCH": str(BUILD_EPOCH)})


def test_make_check_refuses_a_binary_article_in_one_line(repo):
    shutil.copy(HOSTILE / "binary.md", repo / "content/articles/europe/binary.md")
    result = make(repo, "check")
    assert result.returncode != 0
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        "content/articles/europe/binary.md: error: file: is not text: it contains NUL bytes (a picture or other binary "
        "file, or text saved as UTF-16). Fix: save the article as UTF-8 text in your editor; pictures belong in content/images/."
    ]
    assert "Traceback" not in result.stdout + result.stderr
    assert not (repo / "output").exists()


def test_make_html_publishes_a_story_with_a_script_without_it(repo):
    shutil.copy(HOSTILE / "script-in-body.md", repo / "content/articles/europe/script-in-body.md")
    result = make(repo, "html")
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "newsroom_sanitise" in line] == [
        "WARNING: newsroom_sanitise: content/articles/europe/script-in-body.md: removed <script> from the story "
        "(not allowed on the site)"
    ]
    assert unsafe_in(Site(repo / "output").soup("/europe/scripts-typed-into-the-story/")) == []

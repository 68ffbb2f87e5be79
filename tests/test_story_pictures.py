"""Pictures inside a story: the three ways of writing a path reach the picture, a picture alone in its
paragraph is a figure with its caption and credit, and `make check` and the build refuse a missing picture
or one without alt text, naming the file, the line and the path."""

from __future__ import annotations

import shutil

import pytest
from markdown import Markdown
from pelican.readers import MarkdownReader

from conftest import load_settings, write_article
from newsroom_checks import ContentProblemsError, check_site
from newsroom_checks.pictures import check_story_pictures
from newsroom_markdown import NewsroomMarkdownReader
from newsroom_markdown.figures import split_caption, story_picture_src
from test_commands import make, repo  # noqa: F401 - repo is a fixture

PATH_FORMS = ["images/valley.png", "/images/valley.png", "{static}/images/valley.png"]
HEADER = "Title: Valley story\nDate: 2026-11-20 10:00\nCategory: Europe\n\n"


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    from conftest import FIXTURE_SITE
    return load_settings(FIXTURE_SITE, tmp_path_factory.mktemp("out"))


def story_html(markdown_text: str, settings) -> str:
    md = Markdown(**{**settings["MARKDOWN"], "extensions": list(settings["MARKDOWN"]["extension_configs"])})
    return md.convert(markdown_text)


# --- Paths ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", PATH_FORMS + ["./images/valley.png", " images/valley.png"])
def test_every_form_of_a_content_path_becomes_pelicans_static_link(typed):
    assert story_picture_src(typed) == "{static}/images/valley.png"


@pytest.mark.parametrize("typed", [
    "https://elsewhere.example/x.jpg", "//cdn.example/x.jpg", "data:image/png;base64,AAAA", "mailto:x@example.org",
    "/about/", "/theme/images/icon.svg",  # another part of the site, not a content picture
    "{filename}/articles/other.md", "{static}images/beside.jpg",  # Pelican's own forms, left to Pelican
    "../images/x.jpg", "#top", "",
])
def test_anything_else_is_left_as_typed(typed):
    assert story_picture_src(typed) == typed


def test_the_picture_folders_are_a_setting():
    assert story_picture_src("/photos/x.jpg", ("images", "photos")) == "{static}/photos/x.jpg"
    assert story_picture_src("/photos/x.jpg") == "/photos/x.jpg"


@pytest.mark.parametrize("typed", PATH_FORMS)
def test_each_form_builds_into_the_same_responsive_picture_as_the_lead_picture(build_site, site_content, typed):
    write_article(site_content, "europe/valley.md", f"""
Title: Valley story
Date: 2026-11-20 10:00
Category: Europe
Image: images/valley.png
Image_alt: The valley from the ridge

The valley is green again.

![Terraces above the river]({typed} "The terraces in spring | Photograph: Test Desk")

More words.
""")
    site = build_site(SITEURL="https://news.example/paper")
    page = site.soup("europe/valley-story/")
    lead = page.select_one(".nr-article__figure img")
    figure = page.select_one(".nr-article__body figure.nr-story-figure")
    img = figure.select_one("picture > img")
    assert img["alt"] == "Terraces above the river"
    # The same resized copies, at the same URLs (under SITEURL's path), as the lead picture's.
    assert img["srcset"] == lead["srcset"] and img["srcset"].startswith("https://news.example/paper/images/sized/valley-")
    assert figure.select_one("picture > source[type='image/webp']")["srcset"].startswith("https://news.example/paper/images/sized/")
    assert (img["width"], img["height"], img["loading"]) == ("320", "180", "lazy")
    assert (site.output / img["src"].removeprefix("https://news.example/paper/")).is_file()
    caption = figure.select_one("figcaption.nr-story-figure__caption")
    assert caption.contents[0] == "The terraces in spring "
    assert caption.select_one("span.nr-story-figure__credit").get_text() == "Photograph: Test Desk"
    # The figure's caption comes after the picture, and the title is no longer a tooltip on it.
    assert list(figure.children)[-1] is caption and not img.has_attr("title")


# --- Captions and credits ---------------------------------------------------------------------------------

@pytest.mark.parametrize("title, expected", [
    ("Boats at dawn", ("Boats at dawn", "")),
    ("Boats at dawn | Dana Okafor/The Common Ledger", ("Boats at dawn", "Dana Okafor/The Common Ledger")),
    ("Boats at dawn. Photograph: Dana Okafor/The Common Ledger", ("Boats at dawn.", "Photograph: Dana Okafor/The Common Ledger")),
    ("Photograph: Dana Okafor", ("", "Photograph: Dana Okafor")),
    ("Rally in Leeds. Photos: Staff", ("Rally in Leeds.", "Photos: Staff")),
    ("A map. Illustration: Graphics desk", ("A map.", "Illustration: Graphics desk")),
    ("| Courtesy of the family", ("", "Courtesy of the family")),
    ("Boats at dawn |", ("Boats at dawn", "")),
    ("Left | right | Credit", ("Left | right", "Credit")),  # the last | divides
    ("The photograph: kept as it was", ("The photograph: kept as it was", "")),  # lower case: not a credit
    ("  ", ("", "")),
])
def test_split_caption(title, expected):
    assert split_caption(title) == expected


def test_a_picture_alone_in_its_paragraph_is_a_figure_and_others_stay_as_they_are(settings):
    html = story_html("""
![Alone](images/a.jpg "It's the \\"caption\\" -- with a dash \\| and a bar. Photograph: Desk")

![No title](images/b.jpg)

Words with ![inline](images/c.jpg "tip") inside.

[![linked](images/d.jpg "cap")](https://example.org/)

> ![quoted](images/e.jpg "In a quote")
""", settings)
    assert html.split("\n")[0] == (
        '<figure class="nr-story-figure"><img alt="Alone" src="{static}/images/a.jpg">'
        '<figcaption class="nr-story-figure__caption">It&rsquo;s the &ldquo;caption&rdquo; &ndash; with a dash | and a bar. '
        '<span class="nr-story-figure__credit">Photograph: Desk</span></figcaption></figure>'
    )
    assert '<figure class="nr-story-figure"><img alt="No title" src="{static}/images/b.jpg"></figure>' in html
    assert '<p>Words with <img alt="inline" src="{static}/images/c.jpg" title="tip"> inside.</p>' in html
    assert '<p><a href="https://example.org/"><img alt="linked" src="{static}/images/d.jpg" title="cap"></a></p>' in html
    assert '<blockquote>\n<figure class="nr-story-figure"><img alt="quoted"' in html


def test_our_reader_and_pelicans_read_a_story_with_figures_alike(settings, tmp_path):
    path = tmp_path / "story.md"
    path.write_text(HEADER + '![Alone](images/a.jpg "Caption -- \\"quoted\\" | Photo: Desk")\n\nText ![x](/images/b.jpg).\n',
                    encoding="utf-8")
    ours = NewsroomMarkdownReader(settings).read(str(path))
    pelicans = MarkdownReader(settings).read(str(path))
    assert ours[0] == pelicans[0] and "nr-story-figure__credit" in ours[0]


def test_the_sanitiser_keeps_the_figure_markup_and_only_it(build_site, site_content):
    write_article(site_content, "europe/valley.md", HEADER + """
The opening words.

![Terraces](images/valley.png "Spring | Photo: Desk")

<figure class="evil" onclick="x()"><figcaption class="nr-story-figure__caption nasty">Typed</figcaption></figure>

<span class="nr-story-figure__credit" style="color:red">Typed credit</span>
""")
    site = build_site()
    body = site.soup("europe/valley-story/").select_one(".nr-article__body")
    figures = body.find_all("figure")
    assert figures[0]["class"] == ["nr-story-figure"] and figures[0].figcaption["class"] == ["nr-story-figure__caption"]
    # nh3 leaves an empty class attribute where it took every class out.
    assert figures[1].get("class") in (None, [], [""]) and not figures[1].has_attr("onclick")
    assert figures[1].figcaption["class"] == ["nr-story-figure__caption"]
    assert body.find("span", string="Typed credit").attrs == {"class": ["nr-story-figure__credit"]}


# --- The check ----------------------------------------------------------------------------------------------

def problems_in(settings, body: str, name="x.md"):
    from conftest import FIXTURE_SITE
    return check_story_pictures(f"content/articles/{name}", HEADER + body, content_root=str(FIXTURE_SITE), settings=settings)


@pytest.mark.parametrize("typed", ["images/missing.jpg", "/images/missing.jpg", "{static}/images/missing.jpg"])
def test_a_missing_picture_is_an_error_naming_the_line_and_the_path_as_typed(settings, typed):
    [problem] = problems_in(settings, f"One.\n\nTwo images/missing.jpg in words.\n\n![Dockers]({typed} \"Cap\")\n")
    assert problem.is_error and problem.line == 9 and problem.field == "Story picture"
    assert problem.message.startswith(f"{typed} does not exist in ") and problem.message.endswith("/images/.")
    assert problem.fix.startswith("check the file name, or add the picture to ")


def test_a_misspelt_picture_is_told_the_closest_name(settings):
    [problem] = problems_in(settings, "![The valley](images/valey.png)\n")
    assert problem.fix.startswith("did you mean images/valley.png?")


def test_each_missing_picture_gets_its_own_line(settings):
    found = problems_in(settings, "![A](images/gone.jpg)\n\nText.\n\n![B](images/gone.jpg)\n\n![C][pic]\n\n[pic]: /images/other.jpg\n")
    assert [(p.line, p.message.split(" ")[0]) for p in found] == [(5, "images/gone.jpg"), (9, "images/gone.jpg"), (13, "/images/other.jpg")]


@pytest.mark.parametrize("body", ["![](images/valley.png)\n", "![   ](images/valley.png \"Cap\")\n", '<img src="/images/valley.png">\n'])
def test_a_picture_without_alt_text_is_an_error(settings, body):
    [problem] = problems_in(settings, body)
    assert problem.is_error and problem.line == 5 and "has no alt text" in problem.message


def test_pictures_that_are_fine_or_not_the_sites_are_not_problems(settings):
    assert problems_in(settings, """
![The valley](images/valley.png "Cap")

![The valley again](/images/valley.png)

<p><img src="/images/valley.png" alt="Raw HTML"></p>

![Another site's](https://elsewhere.example/x.jpg)

A picture in code: `![x](images/nothing.jpg)`

    ![indented code](images/nothing-either.jpg)

```
![fenced](images/nor-this.jpg)
```
""") == []


@pytest.mark.parametrize("body, message, severity", [
    # Read relative to the article's URL: it may reach a published file from there, so a warning.
    ('<p><img src="images/valley.png" alt="Raw"></p>\n', "is read relative to the article's own address", "warning"),
    ("![Up](../../images/valley.png)\n", "is read relative to the article's own address", "warning"),
    ("![Up]({static}/../secret.jpg)\n", "is outside the content folder", "error"),
    ("![Outside](/images/../../secret.jpg)\n", None, None),  # another part of the site: not a content picture
    ("![A story](articles/europe/2026-10-02-rail-fares.md)\n", "which the site does not publish", "error"),
    ("![Nothing]()\n", "has no path", "error"),
])
def test_other_paths_that_would_not_show(settings, body, message, severity):
    found = [p for p in problems_in(settings, body) if "alt text" not in p.message]
    assert [(message in p.message, p.severity) for p in found] == ([] if message is None else [(True, severity)])


def test_a_picture_outside_the_published_folders_is_an_error(settings):
    [problem] = problems_in(settings, "![Data](data/authors.yml)\n")
    assert "which the site does not publish" in problem.message


def test_a_file_that_is_no_picture_is_an_error(settings, site_content):
    (site_content / "images" / "notes.txt").write_text("not a picture")
    [problem] = check_story_pictures("x.md", HEADER + "![Notes](images/notes.txt)\n", content_root=str(site_content), settings=settings)
    assert problem.message == "images/notes.txt is not a picture format browsers show."


def test_the_site_check_and_the_build_refuse_a_missing_picture(build_site, site_content, tmp_path, capsys):
    good = build_site()
    page = good.path("middle-east/water-talks-resume-in-the-jordan-valley/")
    before = page.read_bytes()
    path = write_article(site_content, "europe/valley.md", HEADER + "One.\n\n![Dockers](images/missing.jpg)\n")
    check = check_site(load_settings(site_content, tmp_path / "x"), today=__import__("datetime").date(2026, 11, 25))
    assert [(p.path, p.line, p.message) for p in check.errors] == [
        (str(path), 7, f"images/missing.jpg does not exist in {site_content / 'images'}/.")]
    with pytest.raises(ContentProblemsError):
        build_site(output=good.output)
    assert page.read_bytes() == before  # the last good output is untouched
    assert "europe/valley.md:7: error: Story picture: images/missing.jpg does not exist" in capsys.readouterr().err


def test_make_check_reports_a_missing_inline_picture_with_file_line_and_path(repo):  # noqa: F811
    (repo / "content/articles/europe/dockers.md").write_text(
        HEADER + "The dockers came out.\n\n![Dockers at the gate](images/dockers.jpg \"The gate | Photo: Desk\")\n")
    result = make(repo, "check")
    assert result.returncode != 0
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        "content/articles/europe/dockers.md:7: error: Story picture: images/dockers.jpg does not exist in content/images/. "
        "Fix: check the file name, or add the picture to content/images/."
    ]
    shutil.copy(repo / "content/images/valley.png", repo / "content/images/dockers.jpg")
    assert make(repo, "check").returncode == 0


def test_with_the_caches_on_adding_or_removing_the_picture_is_seen_at_once(build_site, site_content, tmp_path):
    caches = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache")}
    out = tmp_path / "out"
    build_site(output=out, **caches)
    write_article(site_content, "europe/valley.md", HEADER + "One.\n\n![Dockers](images/dockers.png \"At the gate\")\n")
    with pytest.raises(ContentProblemsError):
        build_site(output=out, **caches)
    shutil.copy(site_content / "images" / "valley.png", site_content / "images" / "dockers.png")
    site = build_site(output=out, **caches)  # the check of the unchanged story is not reused: a picture came
    figure = site.soup("europe/valley-story/").select_one("figure.nr-story-figure")
    assert figure.img["src"].startswith("/images/sized/dockers-") and figure.figcaption.get_text() == "At the gate"
    (site_content / "images" / "dockers.png").unlink()
    with pytest.raises(ContentProblemsError):
        build_site(output=out, **caches)


GLANCE_BODIES = [
    "![The valley](images/valley.png)\n", '![The valley](/images/valley.png "Cap | Credit")\n',
    "![The valley]({static}/images/valley.png 'Cap')\n", "![](images/valley.png)\n", "![The valley](images/gone.png)\n",
    "`![x](images/gone.png)`\n", "    ![x](images/gone.png)\n", "![A [nested] alt](images/gone.png)\n",
    "![Ref][v]\n\n[v]: images/gone.png\n", '![T](images/valley.png "Has (parens)")\n', '<img src="/images/gone.png" alt="x">\n',
    "![Up](../images/valley.png)\n", "![Other](https://elsewhere.example/x.jpg)\n", "![A](images/valley.png)![B](images/gone.png)\n",
]


@pytest.mark.parametrize("body", GLANCE_BODIES)
def test_the_glance_never_changes_what_the_check_finds(settings, body, monkeypatch):
    from newsroom_checks import pictures
    with_glance = problems_in(settings, body)
    monkeypatch.setattr(pictures, "all_fine_at_a_glance", lambda *args: False)
    assert problems_in(settings, body) == with_glance


def test_a_story_whose_pictures_are_all_fine_is_not_read_as_markdown(settings, monkeypatch):
    from newsroom_checks import pictures
    monkeypatch.setattr(pictures, "story_html", lambda *args: pytest.fail("read the story as Markdown"))
    assert problems_in(settings, '![The valley](images/valley.png "Cap")\n\nText.\n\n![Again](/images/valley.png)\n') == []

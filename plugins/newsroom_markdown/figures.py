"""Pictures in a story: paths from the content folder, and a picture alone in its paragraph as a figure
with its caption and credit.

Enabled as a Python-Markdown extension in the site's MARKDOWN setting ("newsroom_markdown.figures"), so
that every reader of the site's Markdown (ours, Pelican's, `make check`) gives the same HTML.

Paths. A story's picture is written as the lead picture's `Image:` field is, from the content folder:
`![...](images/x.jpg)`. A browser editor writes `/images/x.jpg`, and Pelican's own form is
`{static}/images/x.jpg`. All three become `{static}/images/x.jpg`, which Pelican resolves to the
picture's published URL (SITEURL/images/x.jpg, the lead picture's URL) on the page, in feeds and in
search; left as typed, `images/x.jpg` would be read relative to the article's own URL and break.
A site-absolute path is rewritten only inside the folders that hold pictures (`picture_folders`), so
a link to another part of the site is left as it is. Whether the picture exists is `make check`'s
business (newsroom_checks/pictures.py), which reads the same HTML.

Figures. A picture alone in its paragraph becomes

    <figure class="nr-story-figure"><img ...><figcaption class="nr-story-figure__caption">Caption
    <span class="nr-story-figure__credit">Photograph: Name</span></figcaption></figure>

with the caption and credit taken from the picture's title, which Markdown (and Decap CMS's picture
button) writes in quotes after the path: `![Alt text](images/x.jpg "Caption | Credit")`. See
`split_caption` for how the credit is told from the caption. The title then leaves the <img> (it would
repeat the caption as a tooltip). A picture inside a sentence, or inside a link, stays as it is.

Written here rather than taken from PyPI: of the maintained figure extensions, yafg turns any paragraph
that holds a picture into a figure and drops the paragraph's words, writes ids and has no credit;
markdown-captions makes the alt text the caption (a screen reader then reads it twice, and alt text
describes a picture where a caption tells its story); pymdown-extensions' caption block needs a
`/// caption` block that a browser editor does not write. None rewrites paths.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from . import compat

FIGURE_CLASS = "nr-story-figure"
CAPTION_CLASS = "nr-story-figure__caption"
CREDIT_CLASS = "nr-story-figure__credit"

# After attr_list (8), so `{: .class}` after a picture is already an attribute and not a word beside it;
# before abbr (7) and smarty (6), so the caption gets the story's abbreviations and curly quotes.
PRIORITY = 7.5

# Pelican's placeholders for a file of the site (resolved by Pelican after reading); a scheme
# (https:, data:, mailto:); a protocol-relative address; a fragment or query on its own.
PELICAN_LINK = re.compile(r"^\{(?:static|attach|filename|tag|category|author|index)\}")
ELSEWHERE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#|\?)")

# A credit in the newspaper's own style at the end of a caption: "Boats at dawn. Photograph: Name/Agency".
CREDIT_PATTERN = re.compile(r"(?:^|\s)((?:Photograph|Photo|Picture|Illustration|Composite|Graphic)s?:\s*\S.*)$", re.S)
CREDIT_SEPARATOR = "|"


def story_picture_src(src: str, picture_folders=("images",)) -> str:
    """The src a story picture typed as `src` gets: `images/x.jpg` and `/images/x.jpg` (inside one of
    `picture_folders`) as `{static}/images/x.jpg`; anything else (a placeholder, another site's address,
    a path outside the content folder, `/about/`) unchanged."""
    typed = src.strip()
    if not typed or PELICAN_LINK.match(typed) or ELSEWHERE.match(typed):
        return src
    if typed.startswith("/"):
        path = posixpath.normpath(typed).lstrip("/")
        if path.split("/", 1)[0] not in picture_folders:
            return src
    else:
        path = posixpath.normpath(typed)
        if path == "." or path.startswith("../") or path == "..":
            return src  # outside the content folder: make check says so
    return "{static}/" + path


def split_caption(title: str) -> tuple[str, str]:
    """(caption, credit) from a picture's title.

    * `Caption | Credit`: everything after the last `|` is the credit (type `\\|` for a `|` in the
      caption itself);
    * otherwise a credit in the house style closing the caption, from a capitalised Photograph:,
      Photo:, Picture:, Illustration:, Composite: or Graphic: (or its plural) to the end:
      `Boats at dawn. Photograph: Dana Okafor/The Common Ledger`;
    * otherwise it is all caption.
    """
    title = (title or "").strip()
    if CREDIT_SEPARATOR in title:
        caption, _, credit = title.rpartition(CREDIT_SEPARATOR)
        return caption.strip(), credit.strip()
    match = CREDIT_PATTERN.search(title)
    if match:
        return title[: match.start(1)].strip(), match.group(1).strip()
    return title, ""


def lone_picture(paragraph: etree.Element) -> etree.Element | None:
    """The <img> that is all a paragraph holds (spaces aside), or None."""
    if len(paragraph) != 1 or (paragraph.text or "").strip():
        return None
    img = paragraph[0]
    if img.tag != "img" or (img.tail or "").strip():
        return None
    return img


def as_figure(paragraph: etree.Element, img: etree.Element, unescape=lambda text: text) -> etree.Element:
    """The figure a paragraph holding only `img` becomes, in the paragraph's place. `unescape`: the
    caption and credit with backslash escapes as the characters typed (compat.unescape_backslashes)."""
    figure = etree.Element("figure", {k: v for k, v in paragraph.attrib.items() if k != "class"})
    figure.set("class", FIGURE_CLASS)
    figure.tail = paragraph.tail
    img.tail = None
    figure.append(img)
    # Split before unescaping, so that `\|` stays in the caption. Unescaped, an escaped quote (`\"`,
    # which a title in double quotes needs, and which a browser editor writes) gets smarty's curly
    # quotes like the rest of the story.
    caption, credit = (unescape(part) for part in split_caption(img.attrib.pop("title", "")))
    if caption or credit:
        figcaption = etree.SubElement(figure, "figcaption", {"class": CAPTION_CLASS})
        figcaption.text = caption
        if credit:
            span = etree.SubElement(figcaption, "span", {"class": CREDIT_CLASS})
            span.text = credit
            if caption:
                figcaption.text = caption + " "
    return figure


class StoryPicturesProcessor(Treeprocessor):
    def __init__(self, md, picture_folders):
        super().__init__(md)
        self.picture_folders = tuple(picture_folders)

    def run(self, root):
        for img in root.iter("img"):
            src = img.get("src")
            if src is not None:
                img.set("src", story_picture_src(src, self.picture_folders))
        figures = []
        for parent in root.iter():
            for index, child in enumerate(parent):
                if child.tag == "p":
                    img = lone_picture(child)
                    if img is not None:
                        figures.append((parent, index, child, img))
        for parent, index, paragraph, img in figures:
            parent.remove(paragraph)
            parent.insert(index, as_figure(paragraph, img, lambda text: compat.unescape_backslashes(self.md, text)))
        return None


class StoryPicturesExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "picture_folders": [["images"], "Folders of the content folder (in STATIC_PATHS) whose files a "
                                "site-absolute picture path such as /images/x.jpg may name"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.treeprocessors.register(
            StoryPicturesProcessor(md, self.getConfig("picture_folders")), "newsroom_story_pictures", PRIORITY)


def makeExtension(**kwargs):  # noqa: N802 - the name Python-Markdown looks for
    return StoryPicturesExtension(**kwargs)

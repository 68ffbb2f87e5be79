"""The story's HTML against the site's allowlist, with nh3, as pure functions of strings.

``sanitise(html, embed_hosts, url_schemes)`` returns the safe HTML and a short description of everything it
took out (``("<script>", "onclick=", "javascript: URL")``), so the plugin can tell the editor.

What is kept is what Python-Markdown with the `extra`, `smarty` and `toc` extensions and the site's story
figures (newsroom_markdown/figures.py) writes, plus a few inline elements editors type by hand; see
ALLOWED_TAGS, ALLOWED_ATTRIBUTES and ALLOWED_CLASSES. Everything else goes: <script>, <style>, <object>,
<embed>, <form>, <input>, every on* handler, style attributes (except a table cell's text-align, which
Markdown's tables write), and any URL whose scheme is not in `url_schemes`
(javascript:, data:, vbscript: ...). Relative URLs pass untouched, so Pelican's `{static}` and `{filename}`
placeholders, which it resolves later, survive. An <iframe> stays only when its src is https:// on one of
`embed_hosts`, and keeps only SAFE_IFRAME_ATTRIBUTES.

How removals are found: nh3 cannot say what it dropped, so the same HTML is also put through nh3 with
every element and attribute allowed (``_parsed_as_browsers_do``: the same HTML5 parser, nothing taken out)
and the two results are compared. Comparing against the input as typed would miss markup that parses
differently from how it looks, such as `<!--><script>`, which a browser runs.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

HEADINGS = ("h2", "h3", "h4", "h5", "h6")  # the page's <h1> is the headline
ALLOWED_TAGS = frozenset({
    "p", "br", "hr", *HEADINGS, "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "code",
    "em", "strong", "b", "i", "s", "del", "ins", "sup", "sub", "abbr", "mark", "small", "q", "cite", "kbd",
    "span", "div", "a", "img", "figure", "figcaption",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "iframe",
})
# Removed together with their content, not just their tags: the text inside them is code, not story.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "textarea", "title", "xmp", "noembed", "noframes"})
SAFE_IFRAME_ATTRIBUTES = frozenset({"src", "title", "width", "height", "allowfullscreen", "loading"})
ALLOWED_ATTRIBUTES = {
    # Any element may say which language and direction its text is in (a quote in Arabic in an English story).
    "*": {"lang", "dir"},
    "a": {"href", "title"},
    # srcset and sizes: a picture the editor made responsive by hand, which newsroom_images leaves alone.
    "img": {"src", "alt", "title", "width", "height", "srcset", "sizes"},
    "abbr": {"title"},
    "ol": {"start"},
    # Ids from the toc extension (headings, so /support-us/#donate lands) and the footnotes extension
    # (<sup id="fnref:1">, <li id="fn:1">).
    **{h: {"id"} for h in HEADINGS},
    "sup": {"id"},
    "li": {"id"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "td": {"colspan", "rowspan", "style"},
    "code": {"class"},  # fenced code's language-python; filtered in _keep_attribute
    "iframe": set(SAFE_IFRAME_ATTRIBUTES),
}
# The footnotes extension's classes, the toc extension's container, and a story picture's figure with its
# caption and credit (newsroom_markdown/figures.py).
ALLOWED_CLASSES = {
    "div": {"footnote", "toc"}, "a": {"footnote-ref", "footnote-backref"},
    "figure": {"nr-story-figure"}, "figcaption": {"nr-story-figure__caption"}, "span": {"nr-story-figure__credit"},
}
# Attributes whose value is a URL, for the report.
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "data", "poster", "background", "xlink:href"})
# Schemes the comparison pass keeps, so that a dropped javascript: link can be named in the report.
REPORTED_SCHEMES = frozenset({"javascript", "vbscript", "data", "file", "blob", "filesystem", "ftp", "tel", "sms"})

TEXT_ALIGN_RE = re.compile(r"(?:^|;)\s*text-align\s*:\s*(left|right|center|justify)\s*(?:;|$)", re.I)
CODE_CLASS_RE = re.compile(r"^language-[A-Za-z0-9_+#.-]+$")
SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
TAG_NAME_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*)")
# nh3's output is serialised by html5ever: attribute values always in double quotes (a " inside is &quot;),
# text with < escaped, so these patterns can step through it without ever matching inside a value.
OUTPUT_TOKEN_RE = re.compile(r"""<(?P<name>[a-zA-Z][^\s/>]*)(?P<attrs>(?:\s+[^\s"'>/=]+(?:="[^"]*")?)*)\s*/?>|</?[^<]*|[^<]+""")
OUTPUT_ATTRIBUTE_RE = re.compile(r"""\s([^\s"'>/=]+)(?:="([^"]*)")?""")
IFRAME_END_RE = re.compile(r"</iframe\s*>", re.I)
# Elements whose content the HTML5 parser (and so nh3) reads as text, not markup: the inventory must too.
RAW_TEXT_ELEMENTS = frozenset({"iframe", "noscript", "noembed", "noframes", "xmp", "textarea", "title"})


@dataclass(frozen=True)
class Sanitised:
    html: str
    removed: tuple[str, ...]  # what was taken out, each named once: elements first, then attributes and URLs


def embed_allowed(src: str, embed_hosts: frozenset[str]) -> bool:
    """An https:// address on one of the embed hosts (exactly that host: not a subdomain, no user or port)."""
    try:
        parts = urlsplit((src or "").strip())
        port = parts.port
    except ValueError:
        return False
    return parts.scheme.lower() == "https" and port is None and "@" not in parts.netloc and (parts.hostname or "") in embed_hosts


def url_scheme(value: str) -> str:
    """The scheme a browser would see: it ignores spaces and control characters around and inside it."""
    m = SCHEME_RE.match(re.sub(r"[\x00-\x20\x7f]+", "", value or ""))
    return m.group(1).lower() if m else ""


def _keep_attribute(embed_hosts: frozenset[str]):
    def keep(tag: str, name: str, value: str) -> str | None:
        if tag == "iframe" and name == "src":
            return value if embed_allowed(value, embed_hosts) else None
        if name == "style":  # only on th and td: Markdown's table alignment
            m = TEXT_ALIGN_RE.search(value)
            return f"text-align: {m.group(1).lower()};" if m else None
        if tag == "code" and name == "class":
            kept = [c for c in value.split() if CODE_CLASS_RE.match(c)]
            return " ".join(kept) or None
        return value
    return keep


@lru_cache(maxsize=8)
def _cleaner(embed_hosts: frozenset[str], url_schemes: frozenset[str]) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_keep_attribute(embed_hosts),
        allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
        url_schemes=set(url_schemes),
        link_rel=None,  # links keep the rel the editor gave (none); nothing opens in a new window
        strip_comments=True,
    )


@lru_cache(maxsize=256)
def _permissive(tags: frozenset[str], url_schemes: frozenset[str]) -> nh3.Cleaner:
    # For the comparison only, never for output: parses like a browser, drops nothing but comments.
    return nh3.Cleaner(
        tags=set(tags), clean_content_tags=set(), attributes={}, generic_attribute_prefixes={""},
        url_schemes=set(url_schemes | REPORTED_SCHEMES), link_rel=None, strip_comments=True,
    )


def _parsed_as_browsers_do(html: str, url_schemes: frozenset[str]) -> str:
    tags = frozenset(name.lower() for name in TAG_NAME_RE.findall(html)) | ALLOWED_TAGS | DROPPED_WITH_CONTENT
    return _permissive(tags, url_schemes).clean(html)


def settle_iframes(html: str) -> str:
    """nh3 output with every <iframe> that lost its src removed, and the fallback text of the others dropped.

    nh3 can drop an attribute but not an element depending on an attribute's value, so an iframe from a host
    that is not allowed comes out of nh3 without its src; this removes it.
    """
    if "<iframe" not in html:
        return html
    out, pos = [], 0
    while pos < len(html):
        m = OUTPUT_TOKEN_RE.match(html, pos)
        if m.group("name") and m.group("name").lower() == "iframe":
            end = IFRAME_END_RE.search(html, m.end())  # iframe content is raw text up to the first </iframe>
            pos = end.end() if end else len(html)
            attrs = dict(OUTPUT_ATTRIBUTE_RE.findall(m.group("attrs")))
            if attrs.get("src"):
                out.append(f"<iframe{m.group('attrs')}></iframe>")
            continue
        out.append(m.group(0))
        pos = m.end()
    return "".join(out)


class _Inventory(HTMLParser):
    """Counts of the elements, attributes and URLs in (normalised) HTML."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: Counter = Counter()
        self.attributes: Counter = Counter()
        self.urls: dict = defaultdict(Counter)
        self.iframes: Counter = Counter()  # by src
        self.iframe_attributes: dict = defaultdict(Counter)  # src -> attribute names
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in RAW_TEXT_ELEMENTS:
            self.set_cdata_mode(tag)
        self.tags[tag] += 1
        for name, value in attrs:
            self.attributes[(tag, name)] += 1
            if name in URL_ATTRIBUTES:
                self.urls[(tag, name)][value or ""] += 1
        if tag == "iframe":
            src = dict(attrs).get("src") or ""
            self.iframes[src] += 1
            self.iframe_attributes[src].update(name for name, _ in attrs)

    handle_startendtag = handle_starttag  # nh3 writes void elements as <img>, so this is only a safety net


def _origin(src: str) -> str:
    """The host an embed came from, with its scheme when that is not https: the part an editor can fix."""
    try:
        parts = urlsplit(src.strip())
        host = parts.hostname or ""
    except ValueError:
        return ""
    return host if parts.scheme.lower() in ("https", "") else f"{parts.scheme.lower()}://{host}"


def removed_markup(before: str, after: str) -> tuple[str, ...]:
    """What is in `before` and not in `after` (both already normalised by nh3), named for an editor."""
    old, new = _Inventory(before), _Inventory(after)
    items: list[str] = []
    attributes = Counter(old.attributes)
    gone_tags = {tag for tag, n in old.tags.items() if new.tags[tag] < n}
    for tag in old.tags:
        if tag not in gone_tags:
            continue
        if tag == "iframe":
            # Only some iframes go (those from other hosts): the attributes of the ones that stay still count.
            for src in old.iframes - new.iframes:
                items.append(f"<iframe> from {_origin(src)}" if _origin(src) else "<iframe> with no address")
                attributes.subtract({("iframe", name): n for name, n in old.iframe_attributes[src].items()})
            gone_tags.discard("iframe")
        else:
            items.append(f"<{tag}>")
    for (tag, name), n in attributes.items():
        if tag in gone_tags or new.attributes[(tag, name)] >= n:
            continue
        schemes = [url_scheme(v) for v in old.urls[(tag, name)] - new.urls[(tag, name)]] if name in URL_ATTRIBUTES else []
        items += [f"{s}: URL" if s else f"{name}=" for s in schemes] or [f"{name}="]
    return tuple(dict.fromkeys(items))


def sanitise(html: str, embed_hosts: frozenset[str], url_schemes: frozenset[str]) -> Sanitised:
    """`html` with only what the allowlist keeps, and what was taken out."""
    if not html or not html.strip():
        return Sanitised(html or "", ())
    clean = settle_iframes(_cleaner(embed_hosts, url_schemes).clean(html))
    parsed = _parsed_as_browsers_do(html, url_schemes)
    if parsed == clean:
        return Sanitised(clean, ())
    return Sanitised(clean, removed_markup(parsed, clean))

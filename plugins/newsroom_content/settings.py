"""Defaults and validation of the NEWSROOM_* settings.

Every setting the plugin reads is listed in DEFAULTS and read through ``setting``, which merges them with
the site's settings; ``build_desks`` refuses a desk and section layout whose URLs would collide.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pelican.utils import slugify

# NewsroomSettingsError lives with the base every plugin shares; other modules import it from here.
from .plugin_settings import NewsroomSettingsError, PluginSettings

PLUGIN = "newsroom_content"

DEFAULTS = {
    # [{"name": "World", "sections": ["Middle East", ...]}, ...] in display order. A desk may also give a
    # "slug" (its URL) and a "kind" (DESK_KINDS: "opinion" for editorials and comment, "news" otherwise).
    "NEWSROOM_DESKS": [],
    "NEWSROOM_DEFAULT_AUTHOR": "Staff reporter",
    # Folder under PATH that holds fighting-fund.yml, cooperative.yml and authors.yml.
    "NEWSROOM_DATA_PATH": "data",
    "NEWSROOM_RTL_LANGS": ("ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"),
    # Set by `make serve`: drafts and scheduled articles are built too, marked as such.
    "NEWSROOM_PREVIEW": False,
    # Babel locale for money and numbers in templates.
    "NEWSROOM_LOCALE": "en_GB",
    # The largest article or page file, in bytes: a bigger one is refused with one clear error rather than
    # left to slow every build (the longest sample article is under 7 KB).
    "NEWSROOM_MAX_ARTICLE_BYTES": 2_000_000,
}

# What a desk publishes: the front page gives the opinion desk a block of its own, and readers are told
# which pieces are comment rather than news.
DESK_KINDS = ("news", "opinion")

# First path segments that belong to other page types; a desk or section may not take them.
RESERVED_SLUGS = frozenset(
    {"archive", "author", "tag", "feeds", "drafts", "images", "theme", "search", "page", "data", "static"}
)


class ContentSettings(PluginSettings):
    plugin, defaults = PLUGIN, DEFAULTS
    # The first plugin's settings took the bare prefix. Every other plugin's settings share it, so an
    # unknown NEWSROOM_* name is not this plugin's to refuse, and each setting is read where it is used.
    prefix = "NEWSROOM_"
    keeps_config = False


class _Listing:
    """A desk or section: one listing page at /<slug>/, shown by its name."""

    name: str
    slug: str

    @property
    def url(self) -> str:
        return f"{self.slug}/"

    def __str__(self) -> str:
        return self.name


@dataclass
class Section(_Listing):
    name: str
    slug: str
    desk: "Desk | None" = None
    articles: list = field(default_factory=list)


@dataclass
class Desk(_Listing):
    name: str
    slug: str
    sections: list[Section] = field(default_factory=list)
    articles: list = field(default_factory=list)
    kind: str = "news"  # one of DESK_KINDS

    @property
    def is_opinion(self) -> bool:
        return self.kind == "opinion"


def make_slug(text: str, settings: dict) -> str:
    """Slug the way Pelican makes it for titles, so our URLs and Pelican's agree."""
    return slugify(
        text,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


def setting(settings: dict, name: str):
    return ContentSettings(settings)[name]


def max_article_bytes(settings: dict) -> int:
    return ContentSettings(settings).whole_number(
        "NEWSROOM_MAX_ARTICLE_BYTES", "give the largest article file in bytes, e.g. 2_000_000.", low=1)


def build_desks(settings: dict) -> list[Desk]:
    """Turn NEWSROOM_DESKS into Desk and Section objects, refusing any layout that cannot work."""
    content = ContentSettings(settings)
    raw = content["NEWSROOM_DESKS"]

    def refuse(problem: str) -> NewsroomSettingsError:
        return content.refusal(f"NEWSROOM_DESKS in pelicanconf.py: {problem}")

    if not isinstance(raw, (list, tuple)) or not raw:
        raise refuse('it must be a non-empty list of desks, e.g. [{"name": "World", "sections": ["Middle East", "Europe"]}]')
    desks: list[Desk] = []
    owners: dict[str, str] = {}  # slug -> "desk 'World'" / "section 'Europe'"

    def claim(slug: str, what: str) -> None:
        if not slug:
            raise refuse(f"{what} has no usable slug; give it a name with letters")
        if slug in RESERVED_SLUGS:
            raise refuse(f"{what} would take the URL /{slug}/, which is reserved for {slug} pages; give it a \"slug\" of its own")
        if slug in owners:
            raise refuse(f"{what} and {owners[slug]} would share the URL /{slug}/; give one of them a different \"slug\"")
        owners[slug] = what

    for i, entry in enumerate(raw, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise refuse(f"desk #{i} needs a \"name\" (text)")
        name = entry["name"].strip()
        sections = entry.get("sections")
        if not isinstance(sections, (list, tuple)) or not sections:
            raise refuse(f"desk '{name}' needs a non-empty \"sections\" list")
        kind = entry.get("kind", "news")
        if kind not in DESK_KINDS:
            raise refuse(f"desk '{name}' has the \"kind\" {kind!r}; use one of: " + ", ".join(map(repr, DESK_KINDS)))
        desk = Desk(name=name, slug=entry.get("slug") or make_slug(name, settings), kind=kind)
        claim(desk.slug, f"desk '{name}'")
        for s in sections:
            if isinstance(s, str):
                s = {"name": s}
            if not isinstance(s, dict) or not isinstance(s.get("name"), str) or not s["name"].strip():
                raise refuse(f"desk '{name}' has a section that is neither a name nor " '{"name": ..., "slug": ...}')
            section = Section(name=s["name"].strip(), slug=s.get("slug") or make_slug(s["name"], settings), desk=desk)
            claim(section.slug, f"section '{section.name}'")
            desk.sections.append(section)
        desks.append(desk)
    return desks

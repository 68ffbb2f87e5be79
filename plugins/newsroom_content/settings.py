"""Defaults and validation of the NEWSROOM_* settings.

Every setting the plugin reads is listed in DEFAULTS; ``newsroom_settings`` merges them with the site's
settings once and refuses a desk and section layout whose URLs would collide.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from pelican.utils import slugify

PLUGIN = "newsroom_content"

DEFAULTS = {
    # [{"name": "World", "sections": ["Middle East", ...]}, ...] in display order.
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
    # Processes that read and render in parallel: 0 is one per processor, 1 builds in one process.
    "NEWSROOM_BUILD_WORKERS": 0,
}

# First path segments that belong to other page types; a desk or section may not take them.
RESERVED_SLUGS = frozenset(
    {"archive", "author", "tag", "feeds", "drafts", "images", "theme", "search", "page", "data", "static"}
)


class NewsroomSettingsError(Exception):
    """The site's NEWSROOM_* settings are unusable; the message says which and how to fix it."""


@dataclass
class Section:
    name: str
    slug: str
    desk: "Desk | None" = None
    articles: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.slug}/"

    def __str__(self) -> str:
        return self.name


@dataclass
class Desk:
    name: str
    slug: str
    sections: list[Section] = field(default_factory=list)
    articles: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.slug}/"

    def __str__(self) -> str:
        return self.name


def make_slug(text: str, settings: dict) -> str:
    """Slug the way Pelican makes it for titles, so our URLs and Pelican's agree."""
    return slugify(
        text,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


def unknown_settings(settings: dict, prefix: str, known) -> list[tuple[str, str]]:
    """(name, fix) for every setting with the plugin's prefix that the plugin does not know: a misspelt
    setting would otherwise be ignored without a word. Shared by every newsroom plugin."""
    known = sorted(known)
    found = []
    for name in sorted(k for k in settings if k.startswith(prefix) and k not in known):
        close = difflib.get_close_matches(name, known, n=1)
        found.append((name, f"did you mean {close[0]}?" if close else "use one of " + ", ".join(known) + "."))
    return found


def setting(settings: dict, name: str):
    return settings.get(name, DEFAULTS[name])


def build_desks(settings: dict) -> list[Desk]:
    """Turn NEWSROOM_DESKS into Desk and Section objects, refusing any layout that cannot work."""
    raw = setting(settings, "NEWSROOM_DESKS")
    where = "NEWSROOM_DESKS in pelicanconf.py"
    if not isinstance(raw, (list, tuple)) or not raw:
        raise NewsroomSettingsError(
            f"{PLUGIN}: {where}: it must be a non-empty list of desks, "
            'e.g. [{"name": "World", "sections": ["Middle East", "Europe"]}]'
        )
    desks: list[Desk] = []
    owners: dict[str, str] = {}  # slug -> "desk 'World'" / "section 'Europe'"

    def claim(slug: str, what: str) -> None:
        if not slug:
            raise NewsroomSettingsError(f"{PLUGIN}: {where}: {what} has no usable slug; give it a name with letters")
        if slug in RESERVED_SLUGS:
            raise NewsroomSettingsError(
                f"{PLUGIN}: {where}: {what} would take the URL /{slug}/, which is reserved for "
                f"{slug} pages; give it a \"slug\" of its own"
            )
        if slug in owners:
            raise NewsroomSettingsError(
                f"{PLUGIN}: {where}: {what} and {owners[slug]} would share the URL /{slug}/; "
                f"give one of them a different \"slug\""
            )
        owners[slug] = what

    for i, entry in enumerate(raw, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise NewsroomSettingsError(f"{PLUGIN}: {where}: desk #{i} needs a \"name\" (text)")
        name = entry["name"].strip()
        sections = entry.get("sections")
        if not isinstance(sections, (list, tuple)) or not sections:
            raise NewsroomSettingsError(f"{PLUGIN}: {where}: desk '{name}' needs a non-empty \"sections\" list")
        desk = Desk(name=name, slug=entry.get("slug") or make_slug(name, settings))
        claim(desk.slug, f"desk '{name}'")
        for s in sections:
            if isinstance(s, str):
                s = {"name": s}
            if not isinstance(s, dict) or not isinstance(s.get("name"), str) or not s["name"].strip():
                raise NewsroomSettingsError(
                    f"{PLUGIN}: {where}: desk '{name}' has a section that is neither a name nor "
                    '{"name": ..., "slug": ...}'
                )
            section = Section(name=s["name"].strip(), slug=s.get("slug") or make_slug(s["name"], settings), desk=desk)
            claim(section.slug, f"section '{section.name}'")
            desk.sections.append(section)
        desks.append(desk)
    return desks

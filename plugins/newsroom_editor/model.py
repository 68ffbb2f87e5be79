"""The browser editor's configuration (Decap CMS's config.yml), made from the site's own content model.

Pure functions: `editor_config(...)` takes the validator's key tables (newsroom_checks.validation), the
desks and sections (NEWSROOM_DESKS), the bylines (content/data/authors.yml) and the plugin's Config, and
returns the dict that becomes /admin/config.yml. Nothing in it is written by hand twice: a key the
validator learns that has no field here stops the build (`field_for`), and tests/test_editor_config.py
compares the two in both directions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsroom_checks.validation import (
    ARTICLE_KEYS, LANG_RE, PAGE_KEYS, PAGE_STATUSES, PRIORITIES, REQUIRED_ARTICLE_KEYS, SLUG_RE, STATUSES,
)
from newsroom_content.article_types import ARTICLE_TYPES
from newsroom_content.breaking import BREAKING_KEYS
from newsroom_content.data_files import AUTHOR_KEYS, COOPERATIVE_KEYS, FUND_KEYS
from newsroom_content.policies import POLICY_PROPERTIES

from .settings import PLUGIN

ARTICLE_FORMAT = "newsroom-article"  # the custom formats static/newsroom-formats.js registers
DATA_FORMAT = "newsroom-yaml"
REQUIRED_PAGE_KEYS = ("title",)
# The order of the fields in the form, and of the lines a new file gets: the order the sample articles use.
FORM_ORDER = ("Title", "Slug", "Date", "Live", "Modified", "Correction", "Category", "Type", "Summary", "Authors", "Tags",
              "Status", "Priority", "Lang", "Policy", "Image", "Image_alt", "Image_caption", "Image_credit")
DATE_FORMAT = "YYYY-MM-DD HH:mm"  # dayjs's spelling of what the validator reads (DATE_RE)
# Decap's `pattern` is a JavaScript regular expression: the validator's, which use nothing Python-only.
SLUG_PATTERN = [SLUG_RE.pattern, "Lower-case letters, digits and single hyphens, e.g. gaza-water-crisis."]
LANG_PATTERN = [LANG_RE.pattern, "A language code such as en, ar, cy or pt-BR."]
CURRENCY_PATTERN = ["^[A-Z]{3}$", "A three-letter currency code in capitals, such as GBP, EUR or USD."]
LINK_PATTERN = ["^(/(?!/)|https?://)", "A link on this site such as /support-us/, or a full https:// address."]
MONTH_PATTERN = ["^[0-9]{4}-(0[1-9]|1[0-2])$", "The month as YYYY-MM, e.g. 2026-12."]
# A day picked from a calendar, written as YYYY-MM-DD (what data_files._date reads).
DAY = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False, "picker_utc": False}


class EditorModelError(Exception):
    """The content model has a key the editor cannot offer; the message starts with the plugin's name."""


@dataclass(frozen=True)
class SectionInfo:
    name: str
    slug: str
    desk: str


def _choices(values) -> list[str]:
    return [str(v) for v in values]


def field_for(key: str, kind: str, *, sections: list[SectionInfo], authors: list[str], default_author: str,
              section: SectionInfo | None, config) -> dict:
    """The form field of one metadata key (as the validator spells it) of an article or page (`kind`)."""
    required_keys = REQUIRED_ARTICLE_KEYS if kind == "article" else REQUIRED_PAGE_KEYS
    required = key.lower() in required_keys
    picture = {"media_library": {"config": {"max_file_size": config.max_upload_bytes}}, "choose_url": False}
    date = {"widget": "datetime", "format": DATE_FORMAT, "date_format": "YYYY-MM-DD", "time_format": "HH:mm", "picker_utc": False}
    fields = {
        "Title": {"label": "Headline" if kind == "article" else "Title", "widget": "string"},
        "Slug": {"label": "Address (slug)", "widget": "string", "pattern": SLUG_PATTERN,
                 "hint": "The last part of the address. Made from the headline when you first save; it then stays, "
                         "so links to the story keep working when the headline changes."},
        "Date": {"label": "Publication date", **date, "default": "{{now}}",
                 "hint": "A later date schedules the story: it appears at that time."},
        "Live": {"label": "Live blog", "widget": "string",
                 "hint": "Only for a live blog: yes while it runs, ended once it is over, or its end time "
                         "(YYYY-MM-DD HH:MM). Each update starts with a heading giving its time (see the editor's guide)."},
        "Modified": {"label": "Last changed", **date,
                     "hint": "When the story was last changed in substance; a correction needs it."},
        "Correction": {"label": "Correction", "widget": "text",
                       "hint": "What was wrong and what was changed. Needs the Last changed date."},
        "Category": {"label": "Section", "widget": "select",
                     "options": [{"label": f"{s.desk} › {s.name}", "value": s.name} for s in sections],
                     **({"default": section.name} if section else {})},
        "Type": {"label": "Type", "widget": "select", "options": _choices(ARTICLE_TYPES),
                 "hint": "News when left empty."},
        "Summary": {"label": "Standfirst" if kind == "article" else "Summary", "widget": "text",
                    "hint": "One or two sentences under the headline; also the description search engines and feeds show."},
        "Authors": {"label": "Byline", "widget": "select", "multiple": True, "options": authors,
                    **({"default": [default_author]} if default_author in authors else {}),
                    "hint": "Names come from the Authors list (content/data/authors.yml)."},
        "Tags": {"label": "Topics", "widget": "list", "hint": "Separated by commas."},
        "Status": {"label": "Status", "widget": "select",
                   "options": _choices(STATUSES if kind == "article" else PAGE_STATUSES), "default": "draft",
                   "hint": "draft: only the local preview shows it; published: readers see it; hidden: at its address but listed nowhere."},
        "Priority": {"label": "Front-page priority", "widget": "select", "options": _choices(PRIORITIES),
                     "hint": "lead: the front page's main story; top: the top stories; normal when left empty."},
        "Lang": {"label": "Language", "widget": "string", "pattern": LANG_PATTERN,
                 "hint": "Only for a story not in the paper's language, e.g. ar."},
        "Policy": {"label": "Policy", "widget": "select", "options": _choices(POLICY_PROPERTIES),
                   "hint": "Which of the paper's published standards this page is, if any."},
        "Image": {"label": "Lead picture", "widget": "image", **picture,
                  "hint": "Needs a text alternative (below)."},
        "Image_alt": {"label": "Lead picture: text alternative", "widget": "string",
                      "hint": "What the picture shows, for readers who cannot see it. Required with a picture."},
        "Image_caption": {"label": "Lead picture: caption", "widget": "string"},
        "Image_credit": {"label": "Lead picture: credit", "widget": "string", "hint": "e.g. Photograph: Dana Okafor"},
    }
    if key not in fields:
        raise EditorModelError(
            f"{PLUGIN}: the validator knows the {kind} key {key!r}, which the browser editor has no field for. "
            f"Fix: add it to field_for() in plugins/newsroom_editor/model.py.")
    return {"name": key, **fields[key], "required": required}


def metadata_fields(known: dict[str, str], kind: str, **context) -> list[dict]:
    """Every key the validator knows for `kind`, as form fields in FORM_ORDER, then the story."""
    names = list(known.values())
    ordered = [k for k in FORM_ORDER if k in names] + [k for k in names if k not in FORM_ORDER]
    fields = [field_for(k, kind, **context) for k in ordered]
    fields.append({"name": "body", "label": "Story" if kind == "article" else "Text", "widget": "markdown",
                   "required": False, "editor_components": ["image"],
                   "modes": ["rich_text", "raw"], "sanitize_preview": True})
    return fields


def _data_field(name: str, label: str, widget: str = "string", required: bool = True, **extra) -> dict:
    return {"name": name, "label": label, "widget": widget, "required": required, **extra}


def fund_fields() -> list[dict]:
    fields = {
        "period": _data_field("period", "Period", "select", False, options=["monthly"],
                              hint="monthly: the appeal runs each calendar month. Leave empty to give the start and end days below."),
        "month": _data_field("month", "Month the raised figure is for", required=False, pattern=MONTH_PATTERN,
                             hint="With a monthly period, e.g. 2026-12."),
        "target": _data_field("target", "Target", "number", value_type="float", min=0.01),
        "raised": _data_field("raised", "Raised so far", "number", value_type="float", min=0),
        "currency": _data_field("currency", "Currency", pattern=CURRENCY_PATTERN),
        "donate_url": _data_field("donate_url", "Donation link", pattern=LINK_PATTERN),
        "period_start": _data_field("period_start", "First day", required=False, **DAY,
                                    hint="Only without a monthly period."),
        "period_end": _data_field("period_end", "Last day", required=False, **DAY),
        "next_period_start": _data_field("next_period_start", "Next appeal's first day", required=False, **DAY),
    }
    return [fields[k] for k in ("period", "month", "target", "raised", "currency", "donate_url",
                                "period_start", "period_end", "next_period_start") if k in FUND_KEYS] + \
           [_unknown_data_key(k) for k in FUND_KEYS if k not in fields]


def cooperative_fields() -> list[dict]:
    fields = {
        "heading": _data_field("heading", "Heading"),
        "text": _data_field("text", "Text", "text"),
        "link_text": _data_field("link_text", "Link text"),
        "link_url": _data_field("link_url", "Link", pattern=LINK_PATTERN),
    }
    return [fields[k] if k in fields else _unknown_data_key(k) for k in COOPERATIVE_KEYS]


def breaking_fields() -> list[dict]:
    fields = {
        "headline": _data_field("headline", "Headline", required=False,
                                hint="The banner's headline, on one line. Empty all four fields to take the banner down."),
        "link": _data_field("link", "Link", required=False, pattern=LINK_PATTERN,
                            hint="A page of this site as readers see its address (e.g. /workplace/dock-strike/), or a full https:// address."),
        "expires": _data_field("expires", "Comes down at", "datetime", False, format=DATE_FORMAT,
                               date_format="YYYY-MM-DD", time_format="HH:mm", picker_utc=False,
                               hint="Optional: the first build after this time shows it nowhere."),
        "label": _data_field("label", "Label", required=False, hint="The word in the box before the headline: Breaking when empty."),
    }
    return [fields[k] if k in fields else _unknown_data_key(k) for k in BREAKING_KEYS]


def author_fields() -> list[dict]:
    fields = {
        "name": _data_field("name", "Name", hint="As it appears in bylines."),
        "role": _data_field("role", "Role", required=False),
        "bio": _data_field("bio", "Biography", "text", required=False, hint="One or two sentences."),
        "slug": _data_field("slug", "Address of their page (slug)", required=False, pattern=SLUG_PATTERN,
                            hint="Made from the name when left empty."),
    }
    return [fields[k] if k in fields else _unknown_data_key(k) for k in AUTHOR_KEYS]


def _unknown_data_key(key: str) -> dict:
    raise EditorModelError(f"{PLUGIN}: the data files know the key {key!r}, which the browser editor has no field for. "
                           "Fix: add it to plugins/newsroom_editor/model.py.")


def backend_config(config) -> dict:
    """Decap's backend, publish_mode and local_backend keys."""
    out: dict = {"backend": dict(config.backend)}
    if config.local_backend:
        out["local_backend"] = {"url": config.local_backend}
    if config.editorial_workflow:
        out["publish_mode"] = "editorial_workflow"
    return out


def editor_config(*, config, sections: list[SectionInfo], authors: list[str], default_author: str,
                  content_folder: str, article_folder: str, page_folder: str, data_folder: str,
                  site_url: str = "", locale: str = "en") -> dict:
    """Decap's configuration. Folders are relative to the repository root (content_folder is PATH's)."""
    context = {"sections": sections, "authors": authors, "default_author": default_author, "config": config}
    collections = []
    for section in sections:
        collections.append({
            "name": f"section-{section.slug}",
            "label": section.name,
            "label_singular": f"{section.name} story",
            "description": f"{section.desk} desk",
            "folder": f"{content_folder}/{article_folder}/{section.slug}",
            "create": True,
            "extension": "md",
            "format": ARTICLE_FORMAT,
            # As `make new` names a file: the day it was started, and the slug.
            "slug": "{{year}}-{{month}}-{{day}}-{{fields.Slug}}",
            "identifier_field": "Title",
            "summary": "{{Title}}",
            "sortable_fields": [{"field": "Date", "default_sort": "desc"}, "Title"],
            "view_filters": [{"label": s.capitalize(), "field": "Status", "pattern": s} for s in ("draft", "hidden")],
            "fields": metadata_fields(ARTICLE_KEYS, "article", section=section, **context),
        })
    collections.append({
        "name": "pages", "label": "Pages", "label_singular": "page",
        "description": "About us, contact, the paper's policies and the other pages outside the sections.",
        "folder": f"{content_folder}/{page_folder}", "create": True, "extension": "md", "format": ARTICLE_FORMAT,
        "slug": "{{fields.Slug}}", "identifier_field": "Title", "summary": "{{Title}}",
        "fields": metadata_fields(PAGE_KEYS, "page", section=None, **context),
    })
    collections.append({
        "name": "data", "label": "Appeals and banner",
        "description": "The fighting fund and the co-operative promo beside every story, and the breaking-news banner.",
        "format": DATA_FORMAT, "extension": "yml", "editor": {"preview": False},
        "files": [
            {"name": "fighting-fund", "label": "Fighting fund", "file": f"{content_folder}/{data_folder}/fighting-fund.yml",
             "fields": fund_fields()},
            {"name": "cooperative", "label": "Co-operative promo", "file": f"{content_folder}/{data_folder}/cooperative.yml",
             "fields": cooperative_fields()},
            {"name": "breaking", "label": "Breaking news banner", "file": f"{content_folder}/{data_folder}/breaking.yml",
             "fields": breaking_fields()},
        ],
    })
    collections.append({
        "name": "people", "label": "Authors", "format": DATA_FORMAT, "extension": "yml", "editor": {"preview": False},
        "files": [
            {"name": "authors", "label": "Authors", "file": f"{content_folder}/{data_folder}/authors.yml",
             "fields": [{"name": "items", "label": "Authors", "label_singular": "author", "widget": "list",
                         "summary": "{{fields.name}}", "collapsed": True, "fields": author_fields()}]},
        ],
    })
    out = backend_config(config)
    out.update({
        "media_folder": f"{content_folder}/images",
        "public_folder": "images",
        "locale": locale,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections,
    })
    if site_url:
        out["site_url"] = out["display_url"] = site_url
    return out


def editor_model(*, config, article_keys=ARTICLE_KEYS, page_keys=PAGE_KEYS) -> dict:
    """What the editor's scripts need to know, as /admin/newsroom-model.js hands it to them."""
    return {
        "articleKeys": sorted(set(article_keys.values()) | set(page_keys.values())),
        "maxUploadBytes": config.max_upload_bytes,
        "uploadTypes": list(config.upload_types),
        "slugPattern": SLUG_RE.pattern,
    }

"""`make translations`: the theme's gettext catalogs, brought up to date with the templates and the desks.

What a reader sees in the interface comes from two places: the text the templates mark (`_()`,
`{% trans %}`), and the names of the desks and sections in NEWSROOM_DESKS, which label every article.
Both go into the template catalog `theme/translations/messages.pot`, and from there into every language's
`theme/translations/<lang>/LC_MESSAGES/messages.po`: new text arrives untranslated, changed text is marked
fuzzy (and is not used until a translator clears the mark), text no longer used is dropped.

Babel does the extraction and the merging (its `pybabel` does the same with a configuration file); this
module only adds the content model's names, which no template spells out, and keeps the files stable:
sorted by message, no line numbers, so a change to a template changes only the entries it touched.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from newsroom_content.settings import build_desks

PROJECT = "The Common Ledger theme"
JINJA = "jinja2.ext:babel_extract"


class TranslationsError(Exception):
    pass


@dataclass
class Result:
    template: str
    messages: int
    catalogs: dict[str, tuple[int, int]]  # lang -> (untranslated, fuzzy)


def folder_of(settings: dict) -> str:
    return os.path.join(settings["THEME"], "translations")


def template_catalog(settings: dict) -> Catalog:
    """Every interface message: the templates' marked text, then the desks' and sections' names."""
    catalog = Catalog(project=PROJECT, copyright_holder="The Common Ledger", charset="utf-8")
    theme = settings["THEME"]
    found = extract_from_dir(
        theme, method_map=[("templates/**.html", JINJA)],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords=DEFAULT_KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True)
    for filename, _lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, None)], auto_comments=comments, context=context)
    for desk in build_desks(settings):
        catalog.add(desk.name, None, [("NEWSROOM_DESKS", None)], auto_comments=["The name of a desk (pelicanconf.py)"])
        for section in desk.sections:
            catalog.add(section.name, None, [("NEWSROOM_DESKS", None)],
                        auto_comments=[f"The name of a section of the {desk.name} desk (pelicanconf.py)"])
    return catalog


def render(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=0, sort_output=True, include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def same_messages(path: str, catalog: Catalog) -> bool:
    """True when `path` holds exactly these messages and translations (dates in the header aside)."""
    if not os.path.isfile(path):
        return False
    with open(path, "rb") as f:
        old = read_po(f)

    def key(catalog):
        # A message read back has "" where a new one has None, its flags are a set, and its locations
        # come back in the order they were written.
        return sorted(((m.id,) if isinstance(m.id, str) else tuple(m.id), str(m.string or ""), m.context or "",
                       tuple(sorted(m.flags)), tuple(sorted(m.locations, key=str)), tuple(m.auto_comments))
                      for m in catalog if m.id)

    return key(old) == key(catalog)


def write_if_changed(path: str, catalog: Catalog) -> None:
    if same_messages(path, catalog):
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(render(catalog))


def update(settings: dict, add: str | None = None) -> Result:
    folder = folder_of(settings)
    template = template_catalog(settings)
    pot = os.path.join(folder, "messages.pot")
    write_if_changed(pot, template)
    langs = sorted(d for d in os.listdir(folder) if os.path.isfile(os.path.join(folder, d, "LC_MESSAGES", "messages.po"))) \
        if os.path.isdir(folder) else []
    if add and add not in langs:
        langs.append(add)
    counts = {}
    for lang in langs:
        path = os.path.join(folder, lang, "LC_MESSAGES", "messages.po")
        if os.path.isfile(path):
            with open(path, "rb") as f:
                try:
                    catalog = read_po(f, abort_invalid=True)
                except Exception as e:  # noqa: BLE001 - one line naming the file
                    raise TranslationsError(f"translations: {path} cannot be read: {e}") from None
        else:
            try:
                catalog = Catalog(locale=lang, project=PROJECT, charset="utf-8")
            except ValueError as e:
                raise TranslationsError(f"translations: {lang!r} is not a language Babel knows ({e}); "
                                        "give a language code such as fr, ar or pt_BR") from None
        catalog.update(template, update_header_comment=False)
        catalog.obsolete.clear()
        write_if_changed(path, catalog)
        messages = [m for m in catalog if m.id]
        counts[lang] = (sum(1 for m in messages if not m.string or (isinstance(m.string, tuple) and not all(m.string))),
                        sum(1 for m in messages if m.fuzzy))
    return Result(pot, len([m for m in template if m.id]), counts)


def main(settings: dict, add: str | None = None) -> int:
    result = update(settings, add)
    print(f"translations: {result.messages} messages in {os.path.relpath(result.template)}")
    for lang, (untranslated, fuzzy) in result.catalogs.items():
        todo = f"{untranslated} untranslated, {fuzzy} fuzzy" if untranslated or fuzzy else "complete"
        print(f"  {lang}: {todo}")
    return 0

"""The theme's interface text in the language of what it labels: gettext catalogs and Babel dates.

Templates mark interface text the standard way, with Jinja's i18n extension: `{{ _("Share this article") }}`
or `{% trans %}...{% endtrans %}`. The translations are the theme's gettext catalogs,
`theme/translations/<lang>/LC_MESSAGES/messages.po`, written with any PO editor and read as they are
(Babel compiles them in memory, so no `.mo` file is kept in git). `make translations` extracts the marked
strings into `theme/translations/messages.pot` and merges them into every catalog.

A page mixes languages: the Arabic story on an English site keeps the site's navigation and footer in
English, while its own labels (byline, dates, "Share this article") are Arabic. So the language is chosen
where the text is, not once a page: `_()` takes `lang=` (the region's language, usually `article.lang`),
else the page's `ui_lang` if a template sets one at its top level, else the site's DEFAULT_LANG. A
language without a catalog falls back to the English text in the templates (and the build says so once).

Dates go through Babel too (`news_date`), so an Arabic story's date has Arabic month names, in the
numbering CLDR gives the language.
"""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
import io
import logging
import os
from dataclasses import dataclass, field

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from jinja2 import pass_context
from markupsafe import Markup

logger = logging.getLogger(__name__)
PLUGIN = "newsroom_theme"
CATALOG_FOLDER = "translations"
DATE_PATTERN = "d MMMM y"  # 6 December 2026; CLDR localises the month's name and the digits


class CatalogError(Exception):
    pass


def catalog_paths(theme: str) -> dict[str, str]:
    """lang -> path of its messages.po under the theme's translations folder."""
    folder = os.path.join(theme, CATALOG_FOLDER)
    found = {}
    if os.path.isdir(folder):
        for lang in sorted(os.listdir(folder)):
            path = os.path.join(folder, lang, "LC_MESSAGES", "messages.po")
            if os.path.isfile(path):
                found[lang] = path
    return found


def read_catalog(path: str, lang: str) -> gettext_module.GNUTranslations:
    """One .po file as a gettext translations object (fuzzy entries are left out, as msgfmt does)."""
    try:
        with open(path, "rb") as f:
            catalog = read_po(f, locale=lang, abort_invalid=True)
    except (PoFileError, UnknownLocaleError, ValueError) as e:
        raise CatalogError(f"{PLUGIN}: {path} cannot be read: {e}. Fix the file with a PO editor, or run "
                           f"`make translations` to rebuild it from the templates") from None
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext_module.GNUTranslations(compiled)


def primary(lang: str | None) -> str:
    return (lang or "").replace("_", "-").split("-")[0].lower()


@dataclass
class Interface:
    """The catalogs of one theme, and the site's own language."""

    default_lang: str
    catalogs: dict[str, gettext_module.NullTranslations] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)  # languages already reported as having no catalog

    def translations(self, lang: str | None) -> gettext_module.NullTranslations:
        lang = lang or self.default_lang
        found = self.catalogs.get(lang) or self.catalogs.get(primary(lang))
        if found is None:
            if primary(lang) != primary(self.default_lang) and lang not in self.missing:
                self.missing.add(lang)
                logger.warning("%s: no interface catalog for language %r: its labels stay in %s. Add "
                               "theme/translations/%s/LC_MESSAGES/messages.po (README: Languages)",
                               PLUGIN, lang, self.default_lang, primary(lang))
            return gettext_module.NullTranslations()
        return found

    def language_of(self, context, given: str | None) -> str:
        return given or context.get("ui_lang") or self.default_lang


def load_interface(theme: str, default_lang: str) -> Interface:
    return Interface(default_lang, {lang: read_catalog(path, lang) for lang, path in catalog_paths(theme).items()})


def install(env, interface: Interface) -> None:
    """Jinja's i18n extension, with gettext callables that choose the catalog by language (see above).
    They follow the extension's "newstyle" contract: variables are given as keywords and the result is
    formatted (and, with autoescaping, escaped) here."""
    env.add_extension("jinja2.ext.i18n")

    def finish(context, text: str, variables: dict):
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables if variables else text

    @pass_context
    def gettext(context, message: str, lang: str | None = None, **variables):
        found = interface.translations(interface.language_of(context, lang))
        return finish(context, found.gettext(message), variables)

    @pass_context
    def ngettext(context, singular: str, plural: str, num: int, lang: str | None = None, **variables):
        found = interface.translations(interface.language_of(context, lang))
        variables.setdefault("num", num)
        return finish(context, found.ngettext(singular, plural, num), variables)

    @pass_context
    def date_in(context, when, lang: str | None = None) -> str:
        return news_date(when, interface.language_of(context, lang))

    env.globals.update(gettext=gettext, ngettext=ngettext, _=gettext)
    env.newstyle_gettext = True
    env.filters["news_date"] = date_in


def news_date(when, lang: str) -> str:
    """A date as the paper prints it in `lang`: 6 December 2026, 6 ديسمبر 2026."""
    if isinstance(when, dt.datetime):
        when = when.date()
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    return format_date(when, DATE_PATTERN, locale=locale)

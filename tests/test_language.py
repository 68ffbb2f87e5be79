"""Interface text in the language of what it labels (newsroom_theme/language.py)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from jinja2 import Environment

from newsroom_theme.language import CatalogError, Interface, install, load_interface, news_date, read_catalog

ARABIC_PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\\n"

msgid "By"
msgstr "بقلم"

msgid "Share %(what)s"
msgstr "شارك %(what)s"

msgid "%(num)d update"
msgid_plural "%(num)d updates"
msgstr[0] "لا تحديثات"
msgstr[1] "تحديث واحد"
msgstr[2] "تحديثان"
msgstr[3] "%(num)d تحديثات"
msgstr[4] "%(num)d تحديثًا"
msgstr[5] "%(num)d تحديث"

#, fuzzy
msgid "Topics"
msgstr "مواضيع"
'''


@pytest.fixture
def theme(tmp_path) -> Path:
    folder = tmp_path / "theme" / "translations" / "ar" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(ARABIC_PO, encoding="utf-8")
    return tmp_path / "theme"


@pytest.fixture
def env(theme):
    environment = Environment(autoescape=True)
    install(environment, load_interface(str(theme), "en"))
    return environment


@pytest.mark.parametrize("source, context, expected", [
    ('{{ _("By") }}', {}, "By"),
    ('{{ _("By", lang="ar") }}', {}, "بقلم"),
    ('{{ _("By", lang=article_lang) }}', {"article_lang": "ar"}, "بقلم"),
    ('{{ _("By") }}', {"ui_lang": "ar"}, "بقلم"),  # the page's own language
    ('{{ _("By", lang="en") }}', {"ui_lang": "ar"}, "By"),  # the region's language wins
    ('{{ _("By", lang="ar-PS") }}', {}, "بقلم"),  # a regional tag falls back to its language's catalog
    ('{{ _("Topics", lang="ar") }}', {}, "Topics"),  # a fuzzy entry is not used, as msgfmt would not
    ('{{ _("Share %(what)s", lang="ar", what="<b>") }}', {}, "شارك &lt;b&gt;"),  # variables are escaped
    ('{% trans lang="ar", what="x" %}Share {{ what }}{% endtrans %}', {}, "شارك x"),
    ('{{ ngettext("%(num)d update", "%(num)d updates", 2, lang="ar") }}', {}, "تحديثان"),
    ('{{ ngettext("%(num)d update", "%(num)d updates", 7, lang="ar") }}', {}, "7 تحديثات"),
    ('{{ ngettext("%(num)d update", "%(num)d updates", 7) }}', {}, "7 updates"),
])
def test_text_is_in_the_language_of_what_it_labels(env, source, context, expected):
    assert env.from_string(source).render(**context) == expected


def test_a_language_without_a_catalog_keeps_the_templates_text_and_says_so_once(env, caplog):
    with caplog.at_level(logging.WARNING):
        assert env.from_string('{{ _("By", lang="fr") }}{{ _("By", lang="fr") }}').render() == "ByBy"
    warnings = [r.getMessage() for r in caplog.records if "no interface catalog" in r.getMessage()]
    assert len(warnings) == 1 and "theme/translations/fr/LC_MESSAGES/messages.po" in warnings[0]


def test_a_broken_catalog_names_the_file_and_the_fix(tmp_path):
    path = tmp_path / "messages.po"
    path.write_text('msgid "By"\nmsgstr "بقلم"\nmsgid "Share"\n', encoding="utf-8")  # no msgstr
    with pytest.raises(CatalogError, match=r"messages\.po cannot be read: .*make translations"):
        read_catalog(str(path), "ar")


@pytest.mark.parametrize("lang, expected", [
    ("en", "18 November 2026"),
    ("en-GB", "18 November 2026"),
    ("ar", "18 نوفمبر 2026"),
    ("xx-unknown", "18 November 2026"),
])
def test_dates_are_printed_in_the_articles_language(lang, expected):
    assert news_date(dt.datetime(2026, 11, 18, 9, 30), lang) == expected


def test_the_news_date_filter_follows_the_region_language(env):
    when = dt.date(2026, 12, 6)
    assert env.from_string("{{ when|news_date }} / {{ when|news_date('ar') }}").render(when=when) == "6 December 2026 / 6 ديسمبر 2026"


def test_an_interface_without_catalogs_is_the_site_language():
    assert Interface("en").translations("ar").gettext("By") == "By"

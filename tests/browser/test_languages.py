"""What a reader of the Arabic story sees: upright quotations, and labels and dates in Arabic."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

ARABIC = "/middle-east/gaza-fishermen-arabic/"
STYLE = """sel => [...document.querySelectorAll(sel)].map(el => {
  const s = getComputedStyle(el); return {style: s.fontStyle, family: s.fontFamily, direction: s.direction};
})"""


def test_an_arabic_quotation_is_upright_and_set_in_naskh(visit):
    visit.goto(ARABIC)
    quotes = visit.page.evaluate(STYLE, ".nr-article__body blockquote")
    assert quotes, "the sample Arabic story has a quotation"
    for quote in quotes:
        assert quote["style"] == "normal" and quote["direction"] == "rtl", quote
        assert "Noto Naskh Arabic" in quote["family"], quote


def test_an_english_quotation_stays_italic(visit):
    visit.goto("/britain/")
    for href in visit.page.eval_on_selector_all(".nr-list-item__link", "links => links.map(a => a.getAttribute('href'))"):
        visit.goto(href.replace(visit.base_url, ""))
        quotes = visit.page.evaluate(STYLE, ".nr-article__body blockquote")
        if quotes:
            assert all(q["style"] == "italic" for q in quotes), quotes
            return
    pytest.fail("no English story in Britain has a quotation to compare with")


def test_the_arabic_byline_reads_in_arabic(visit):
    visit.goto(ARABIC)
    byline = visit.page.locator(".nr-article__header .nr-byline").inner_text()
    assert byline.startswith("بقلم") and "نوفمبر" in byline, byline

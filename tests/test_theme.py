"""The news theme's structure, as a reader's browser receives it (parsed with BeautifulSoup)."""

from __future__ import annotations

import pytest

from conftest import REPO, write_article
from newsroom_engine.api import Store
from newsroom_theme.archive import ArchiveMonth, MonthLink, link_months
from newsroom_theme.markup import mark_opening_word
from newsroom_theme.related import RelatedIndex

ARTICLE = "/middle-east/port-workers-walk-out-over-safety/"
LEAD = "/middle-east/water-talks-resume-in-the-jordan-valley/"
PAGE_TYPES = {
    "front": "/", "article": LEAD, "section": "/middle-east/", "desk": "/world/", "author": "/author/amira-haddad/",
    "tag": "/tag/diplomacy/", "archive": "/archive/", "month": "/archive/2026/11/", "page": "/about/",
    "search": "/search/", "not found": "/404.html",
}


@pytest.fixture
def site(fixture_site):
    """The fixture site built once per run: the tests given it only read its pages (see conftest)."""
    return fixture_site


def position(soup, element) -> int:
    return list(soup.descendants).index(element)


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_every_page_type_has_one_h1_a_skip_link_and_main(site, kind):
    page = site.soup(PAGE_TYPES[kind])
    assert len(page.find_all("h1")) == 1
    first_link = page.body.find(["a", "button", "input", "select", "textarea"])
    assert (first_link.get_text(strip=True), first_link["href"]) == ("Skip to main content", "#main-content")
    main = page.find("main")
    assert main["id"] == "main-content" and main.find("h1") is not None
    assert page.find("header").find("nav", attrs={"aria-label": "Sections"})
    assert page.find("footer")
    assert page.html["lang"] == "en"


def test_article_page_order(fixture_site):
    site = fixture_site
    page = site.soup(LEAD)
    main = page.find("main")
    order = [
        page.select_one(".nr-skip-link"), page.select_one(".nr-nav"), main.select_one(".nr-article__section a"),
        main.h1, main.select_one(".nr-article__standfirst"), main.select_one(".nr-byline"), main.select_one("figure"),
        main.select_one(".nr-article__body"), main.select_one(".nr-article__tags"), main.select_one(".nr-share"),
        main.select_one(".nr-neighbours"), main.select_one(".nr-related"), main.select_one(".nr-promo"), main.select_one(".nr-fund"),
    ]
    assert all(order), [i for i, e in enumerate(order) if e is None]
    positions = [position(page, e) for e in order]
    assert positions == sorted(positions)
    corrected = site.soup(ARTICLE).find("main")
    assert position(corrected, corrected.select_one(".nr-article__body")) < position(corrected, corrected.select_one(".nr-article__correction")) < position(corrected, corrected.select_one(".nr-article__tags"))


def test_section_label_and_current_section(site):
    article = site.soup(LEAD)
    label = article.select_one(".nr-article__section a")
    assert (label.get_text(), label["href"]) == ("Middle East", "/middle-east/")
    current = article.select(".nr-nav [aria-current]")
    assert [(a.get_text(), a["aria-current"]) for a in current] == [("Middle East", "true")]
    section = site.soup("/middle-east/").select(".nr-nav [aria-current]")
    assert [(a.get_text(), a["aria-current"]) for a in section] == [("Middle East", "page")]
    assert not site.soup("/").select(".nr-nav [aria-current]")


def test_opening_word_is_marked_for_capitals_but_keeps_its_case(site):
    body = site.soup(LEAD).select_one(".nr-article__body")
    opening = body.select(".nr-article__opening")
    assert [o.get_text() for o in opening] == ["Farmers"]
    assert body.p.get_text().startswith("Farmers in the valley said")
    css = (site.output / "theme/css/main.css").read_text()
    assert ".nr-article__opening { text-transform: uppercase;" in css


@pytest.mark.parametrize("html,expected", [
    ("<p>Water is scarce.</p>", '<p><span class="nr-article__opening">Water</span> is scarce.</p>'),
    ("<p>\u201cWe wait,\u201d she said.</p>", '<p><span class="nr-article__opening">\u201cWe</span> wait,\u201d she said.</p>'),
    ("<p><strong>Gaza</strong> City was dark.</p>", '<p><strong><span class="nr-article__opening">Gaza</span></strong> City was dark.</p>'),
    ("<h2>Intro</h2><p>Second.</p><p>Third.</p>", '<h2>Intro</h2><p><span class="nr-article__opening">Second.</span></p><p>Third.</p>'),
    ("<p>  Leading space.</p>", '<p>  <span class="nr-article__opening">Leading</span> space.</p>'),
    ("<p><code>rm</code> is a command.</p>", "<p><code>rm</code> is a command.</p>"),
    ("<ul><li>No paragraph</li></ul>", "<ul><li>No paragraph</li></ul>"),
    ("", ""),
])
def test_mark_opening_word(html, expected):
    assert mark_opening_word(html) == expected


# Pieces of paragraphs, tricky for the fast path: what Beautiful Soup would write differently.
PARAGRAPH_PIECES = [
    "Word", " ", "  ", "\n", " \n ", "\t", "\xa0", "\u2003", "&amp;", "&lt;", "&gt;", "&nbsp;", "&quot;", "&#39;",
    "\u201c", "'", '"', ">", "\r", "<em>", "</em>", "<strong>", "</strong>", "<code>", "</code>", "<pre>", "</pre>",
    "<p>", "</p>", "<br>", '<a href="/x?a=1&amp;b=2">', '<a rel="noopener  noreferrer" href="h">',
    '<a href="h" rel="noopener noreferrer">', '<a href="a" href="b">', '<a title="it\'s">', "</a>",
    '<span class="a b">', '<span class=" a">', '<span class="">', "</span>", '<abbr title="a &lt; b">', "</abbr>",
]


def test_the_fast_opening_word_agrees_with_beautiful_soup():
    import random

    from newsroom_theme.markup import NOT_PLAIN, _mark_paragraph, _mark_plain_paragraph

    rng, fast = random.Random(7), 0
    for _ in range(8000):
        attributes = rng.choice(["", ' class="lead"', ' dir="rtl" lang="ar"', ' lang="ar" dir="rtl"'])
        paragraph = f"<p{attributes}>{''.join(rng.choice(PARAGRAPH_PIECES) for _ in range(rng.randint(0, 7)))}</p>"
        marked = _mark_plain_paragraph(paragraph)
        if marked is not NOT_PLAIN:
            fast += 1
            assert marked == _mark_paragraph(paragraph), paragraph
    assert fast > 800  # the fast path is taken, not only refused


def test_blockquote_and_curly_quotes(site):
    body = site.soup(LEAD).select_one(".nr-article__body")
    assert body.blockquote.get_text(strip=True) == "The river does not know where the border is."
    assert "\u201cwe cannot wait another season\u201d" in body.get_text()
    assert ".nr-article__body blockquote {" in (site.output / "theme/css/main.css").read_text()


def test_byline_links_authors_and_times(site):
    byline = site.soup(LEAD).select_one(".nr-article__header .nr-byline")
    assert [a["href"] for a in byline.find_all("a")] == ["/author/amira-haddad/", "/author/tom-reeve/"]
    assert "Amira Haddad and Tom Reeve" in byline.get_text()
    assert byline.time["datetime"] == "2026-11-20T08:30:00+00:00"


def test_lead_image_is_a_figure_loaded_eagerly_with_dimensions(site):
    figure = site.soup(LEAD).select_one(".nr-article__figure")
    img = figure.find("img")
    assert img.get("loading") != "lazy" and img["fetchpriority"] == "high"
    assert img["width"] and img["height"] and img["alt"] == "A river valley drawn in blue and ochre bands"
    assert "Illustration: Test Desk" in figure.figcaption.get_text()


def test_images_below_the_first_screen_load_lazily(site):
    front = site.soup("/")
    assert front.select_one(".nr-front__lead img").get("loading") != "lazy"
    others = [img for img in front.select("main img") if not img.find_parent(class_="nr-front__lead")]
    assert all(img["loading"] == "lazy" for img in others)


def test_correction_notice(site):
    correction = site.soup(ARTICLE).select_one(".nr-article__correction")
    assert correction.h2.get_text() == "Correction"
    assert correction.time["datetime"] == "2026-11-19T10:00:00+00:00"
    assert "it is 1,200" in correction.get_text()


def test_share_links_are_plain_urls(site):
    links = {a.get_text(): a["href"] for a in site.soup(LEAD).select(".nr-share a")}
    assert set(links) == {"Email", "Bluesky", "Facebook", "X", "LinkedIn", "WhatsApp"}
    assert links["Email"].startswith("mailto:?subject=Water%20talks")
    absolute = "http%3A//127.0.0.1%3A8000/middle-east/water-talks-resume-in-the-jordan-valley/"
    assert all(absolute in href for href in links.values()), links


def test_related_and_neighbours(build_site, site_content):
    for i in range(4):
        write_article(site_content, f"middle-east/more-{i}.md", f"Title: More news {i}\nDate: 2026-11-0{i + 1} 10:00\nCategory: Middle East\nTags: Water\n\nText {i}.\n")
    site = build_site()
    page = site.soup(LEAD)
    related = [a.get_text() for a in page.select(".nr-related .nr-card__title a")]
    assert 3 <= len(related) <= 5 and "Water talks resume in the Jordan valley" not in related
    # A shared tag and the same section score alike; the newer wins the tie.
    assert related == ["Port workers walk out over safety", "More news 3", "More news 2", "More news 1", "More news 0"]
    neighbours = {a["rel"][0]: a["href"] for a in page.select(".nr-neighbours a")}
    assert neighbours == {"prev": "/middle-east/port-workers-walk-out-over-safety/"}
    middle = {a["rel"][0]: a["href"] for a in site.soup(ARTICLE).select(".nr-neighbours a")}
    assert middle == {"prev": "/middle-east/gaza-fishermen-arabic/", "next": LEAD}



def test_monthly_archives_link_the_nearest_months_with_articles(build_site, site_content):
    write_article(site_content, "europe/2026-08-14-harvest.md", "Title: Harvest starts early\nDate: 2026-08-14 10:00\nCategory: Europe\n\nText.\n")
    site = build_site()

    def months(url):
        nav = site.soup(url).find("nav", attrs={"aria-label": "Other months"})
        return {a["rel"][0]: (a.get_text(), a["href"]) for a in nav.find_all("a")} if nav else {}

    # September has no articles, so it has no page and August and October link to each other; the
    # scheduled story's January is not out yet.
    assert months("/archive/2026/08/") == {"next": ("October 2026", "/archive/2026/10/")}
    assert months("/archive/2026/10/") == {"prev": ("August 2026", "/archive/2026/08/"), "next": ("November 2026", "/archive/2026/11/")}
    assert months("/archive/2026/11/") == {"prev": ("October 2026", "/archive/2026/10/")}
    assert not site.exists("/archive/2026/09/")


def test_link_months_skips_to_the_nearest_months_in_any_order():
    groups = [{"period": (2026, "November"), "period_num": (2026, 11), "url": "archive/2026/11/"},
              {"period": (2025, "December"), "period_num": (2025, 12), "url": "archive/2025/12/"},
              {"period": (2026, "March"), "period_num": (2026, 3), "url": "archive/2026/03/"}]
    link_months(groups)
    november, december, march = (group["period"] for group in groups)
    assert (november[1], november[0]) == ("November", 2026) and november == (2026, "November")
    assert (december.previous, december.next) == (None, MonthLink("March 2026", "archive/2026/03/"))
    assert (march.previous, march.next) == (MonthLink("December 2025", "archive/2025/12/"), MonthLink("November 2026", "archive/2026/11/"))
    assert (november.previous, november.next) == (MonthLink("March 2026", "archive/2026/03/"), None)
    # The engine keys a listing on its term's name, so the name must change with the neighbours.
    assert len({november.name, ArchiveMonth((2026, "November"), november.previous, MonthLink("December 2026", "x")).name}) == 2

def test_related_index_prefers_shared_tags_then_section():
    class Obj:
        def __init__(self, **kw):
            self.__dict__.update(kw)

    def art(name, section, *tags):
        return Obj(name=name, category=Obj(slug=section), tags=[Obj(slug=t) for t in tags])

    a, b, c, d, e = art("a", "x", "t1"), art("b", "y", "t1", "t2"), art("c", "x"), art("d", "z"), art("e", "z", "t1")
    index = RelatedIndex([a, b, c, d, e])
    assert [o.name for o in index.related(a)] == ["b", "e", "c"]
    assert [o.name for o in index.related(d)] == ["e", "a", "b"]  # only the section, then the newest to reach three


def test_listing_pages_show_standfirst_byline_time_and_feed(site):
    section = site.soup("/middle-east/")
    card = section.select_one(".nr-list .nr-list-item")
    assert card.select_one(".nr-list-item__standfirst").get_text() == "Negotiators return to the table after a summer of shortages."
    assert card.select_one(".nr-byline time")["datetime"].startswith("2026-11-20")
    assert card.find("img")["loading"] == "lazy"
    assert section.select_one(".nr-feed-link a")["href"] == "/feeds/section/middle-east.rss.xml"
    author = site.soup("/author/amira-haddad/")
    assert author.select_one(".nr-author__bio").get_text() == "Amira reports from Amman."
    assert author.select_one(".nr-listing__kicker").get_text() == "Middle East correspondent"
    assert author.select_one(".nr-feed-link a")["href"] == "/feeds/author/amira-haddad.rss.xml"
    assert site.soup("/tag/water/").select_one(".nr-feed-link a")["href"] == "/feeds/tag/water.rss.xml"
    assert site.soup("/world/").select_one(".nr-feed-link a")["href"] == "/feeds/desk/world.rss.xml"


def test_front_page_blocks(site):
    front = site.soup("/")
    main = front.find("main")
    headings = [h.get_text(strip=True) for h in main.select("h2.nr-section-heading")]
    # The desks by their own names; the footer's list of sections is not repeated on the front page.
    assert headings == ["Top stories", "World", "Comment"]
    assert main.find("nav") is None and main.select_one(".nr-directory") is None
    assert front.select_one(".nr-fund")
    opinion = front.select_one(".nr-desk-block--opinion")
    assert [a["href"] for a in opinion.select(".nr-card__title a")] == ["/editorial/why-we-publish/"]
    # A comment piece is known by its writer: the name leads, without a section label or picture.
    assert [p.get_text() for p in opinion.select(".nr-card__voice")] == ["Editorial board"]
    assert opinion.select(".nr-card__kicker, img") == []
    # One story per section that has any, newest first, laid out in rows Python chose: the pictured story
    # in a big row of its own, the other in a text row.
    world = front.select_one("#nr-desk-world").parent
    assert [a.get_text() for a in world.select(".nr-card__kicker a")] == ["Middle East", "Europe"]
    rows = world.select(".nr-front__row")
    assert [[c["class"][1] for c in row.select(".nr-card")] for row in rows] == [["nr-card--feature"], ["nr-card--text"]]
    assert rows[0].select_one("img") and rows[1].select_one("img") is None


def front_fixture():
    """Articles newest first, in a news desk of two sections and an opinion desk of one."""
    from types import SimpleNamespace

    from newsroom_content.settings import Desk, Section

    news = Desk("World", "world")
    opinion = Desk("Comment", "comment", kind="opinion")
    europe, asia, views = Section("Europe", "europe", news), Section("Asia", "asia", news), Section("Opinion", "opinion", opinion)
    news.sections, opinion.sections = [europe, asia], [views]
    priorities = {"e1": "top", "e3": "lead", "o2": "top"}
    articles = []
    for name, section in (("e1", europe), ("o1", views), ("e2", europe), ("e3", europe), ("o2", views), ("a1", asia),
                          ("o3", views), ("e4", europe)):
        article = SimpleNamespace(url=f"{name}/", priority=priorities.get(name, "normal"), section=section)
        articles.append(article)
        section.articles.append(article)
        section.desk.articles.append(article)
    return articles, [news, opinion, Desk("Sport", "sport", [Section("Sport", "sport")])]


def test_the_front_page_is_chosen_in_python():
    from newsroom_theme.front import front_page

    articles, desks = front_fixture()
    front = front_page(articles, desks)
    urls = lambda items: [a.url for a in items]  # noqa: E731
    assert front.lead.url == "e3/"  # Priority: lead, though newer stories have none
    assert urls(front.top) == ["e1/", "o2/", "o1/", "e2/"]  # the flagged first, then the newest others
    # One story a section not yet shown above (or the newest, when all are), two from an opinion section;
    # a desk with no articles gets no block.
    assert [(b.desk.slug, [urls(s) for s in b.sections]) for b in front.desks] == [
        ("world", [["e4/"], ["a1/"]]), ("comment", [["o3/"]]),
    ]
    # Newest first within a block, in rows (no story here has a picture); the opinion desk as voices.
    assert [(urls(b.stories), b.pattern) for b in front.desks] == [(["a1/", "e4/"], "2 text"), (["o3/"], "1 voice")]
    assert front_page([], desks).lead is None and front_page([], desks).top == []


def test_fund_on_the_support_page_is_larger(site):
    assert site.soup("/support-us/").select_one(".nr-fund.nr-fund--large")
    assert site.soup("/about/").select_one(".nr-fund") is None


@pytest.mark.parametrize("today,text", [
    ("2026-12-03T12:00:00+00:00", "1 day remaining"),
    ("2026-12-04T12:00:00+00:00", "Last day of the appeal"),
    ("2026-12-05T12:00:00+00:00", "This appeal has ended. Thank you."),
    ("2026-11-01T12:00:00+00:00", "Our next appeal starts on 5 November"),
])
def test_fund_days_wording(build_site, today, text):
    from conftest import epoch
    from test_fund import shown_text

    fund = build_site(epoch=epoch(today)).soup("/support-us/").select_one(".nr-fund")
    assert text in shown_text(fund)


def test_search_page_without_javascript_points_to_the_archive(site):
    note = site.soup("/search/").select_one(".nr-search__no-js")
    assert "Search needs JavaScript" in note.get_text() and note.a["href"] == "/archive/"


def test_no_request_leaves_the_site(site):
    for url in PAGE_TYPES.values():
        page = site.soup(url)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("source", "srcset"), ("iframe", "src")):
            for element in page.find_all(tag):
                value = element.get(attr, "")
                if tag == "link" and {"alternate", "canonical"} & set(element.get("rel") or []):
                    continue
                assert not value.startswith(("http:", "https:", "//")), f"{url}: {tag} {value}"
    # No inline scripts (a Content-Security-Policy forbids them); JSON-LD is data a browser never runs.
    assert not site.soup(LEAD).find(lambda t: t.name == "script" and not t.get("src") and t.get("type") != "application/ld+json")


def test_article_page_weight(sample_paper):
    site = sample_paper
    article = site.path("/middle-east/gaza-engineers-race-to-restore-water-before-the-winter-rains/")
    page = site.soup("/middle-east/gaza-engineers-race-to-restore-water-before-the-winter-rains/")
    sheets = [site.output / l["href"].lstrip("/") for l in page.find_all("link", rel="stylesheet")]
    # The fonts are counted on their own (README, "Type"): their @font-face rules and the files.
    fonts = [s for s in sheets if s.name.startswith("fonts.")]
    assert len(fonts) == 1, sheets
    assets = [s for s in sheets if s not in fonts] + [site.output / s["src"].lstrip("/") for s in page.find_all("script", src=True)]
    total = article.stat().st_size + sum(a.stat().st_size for a in assets)
    print(f"article page: {total} bytes of HTML, CSS and script")
    assert total <= 60 * 1024, f"{total} bytes"


def test_metadata_is_escaped_not_run(build_site, site_content):
    write_article(site_content, "europe/markup.md", """
Title: Fish & chips <script>alert(1)</script> "now"
Date: 2026-11-23 10:00
Category: Europe
Slug: fish-and-chips
Summary: Cod <img src=x onerror=alert(1)> & haddock
Tags: Food & drink

Body.
""")
    site = build_site()
    page = site.soup("/europe/fish-and-chips/")
    assert page.h1.get_text() == 'Fish & chips <script>alert(1)</script> “now”'
    assert page.h1.find("script") is None
    assert [s for s in page.find_all("script") if "alert" in s.get_text() and s.get("type") != "application/ld+json"] == []
    assert page.title.get_text().startswith('Fish & chips <script>alert(1)</script> “now” | Europe')
    assert page.select_one(".nr-article__standfirst").get_text() == "Cod & haddock"
    assert not page.find(attrs={"onerror": True})
    card = site.soup("/europe/").select_one(".nr-list-item__title a")
    assert card.get_text() == 'Fish & chips <script>alert(1)</script> “now”'


def test_related_index_looks_at_stories_near_in_time_in_a_big_tag():
    from newsroom_theme.related import TAG_WINDOW

    class Obj:
        def __init__(self, **kw):
            self.__dict__.update(kw)

    # 200 stories in one tag, each in its own section, newest first: an old story's related stories are
    # its neighbours in time, not the tag's newest, and only a window of the tag is looked at.
    stories = [Obj(name=i, category=Obj(slug=f"s{i}"), tags=[Obj(slug="big")]) for i in range(200)]
    index = RelatedIndex(stories)
    related = [o.name for o in index.related(stories[150])]
    assert len(related) == 5 and all(abs(r - 150) <= TAG_WINDOW for r in related), related


def _stories(count: int, sections: int = 3, tags: int = 4):
    class Obj:
        def __init__(self, **kw):
            self.__dict__.update(kw)

    return [Obj(name=i, source_path=f"/c/{i}.md", category=Obj(slug=f"s{i % sections}"),
                tags=[Obj(slug=f"t{i % tags}"), Obj(slug=f"t{(i * 7) % tags}")]) for i in range(count)]


def test_kept_related_choices_are_reused_only_for_the_same_inputs(tmp_path, monkeypatch):
    import newsroom_theme.related as related_module
    from newsroom_theme.related import choose_related

    stories = _stories(40)
    published, unlisted = stories[:36], stories[36:]
    cache = Store(str(tmp_path))
    ranked = choose_related(published, unlisted)  # no cache: ranked afresh
    assert ranked == [RelatedIndex(published).related(a) for a in stories]
    assert choose_related(published, unlisted, cache) == ranked and (tmp_path / "related-stories.pickle").exists()

    class Refuse(RelatedIndex):
        def related(self, *args, **kwargs):
            raise AssertionError("ranked again although the inputs are the same")

    monkeypatch.setattr(related_module, "RelatedIndex", Refuse)
    assert choose_related(published, unlisted, cache) == ranked
    monkeypatch.undo()

    # Any input the ranking reads changes the key: a tag, a section, the order, which stories are unlisted.
    retagged = _stories(40)
    retagged[5].tags[0].slug = "new"
    moved = _stories(40)
    moved[7].category.slug = "elsewhere"
    for changed_published, changed_unlisted in ((retagged[:36], retagged[36:]), (moved[:36], moved[36:]),
                                                (published[::-1], unlisted), (published[:35], stories[35:])):
        fresh = [RelatedIndex(changed_published).related(a) for a in (*changed_published, *changed_unlisted)]
        assert choose_related(changed_published, changed_unlisted, cache) == fresh


@pytest.mark.parametrize("stored", [b"", b"not a pickle", None])
def test_an_unreadable_related_cache_is_worked_out_again(tmp_path, stored):
    import pickle

    from newsroom_engine.store import FORMAT
    from newsroom_theme.related import RECORD_VERSION, choose_related, relations_key

    path = tmp_path / "related-stories.pickle"
    stories = _stories(12)
    # None: a file from another version of the cache, with choices that would be wrong.
    older = pickle.dumps((FORMAT, RECORD_VERSION - 1, relations_key(stories, []), [(0,)] * 12))
    path.write_bytes(stored if stored is not None else older)
    assert choose_related(stories, [], Store(str(tmp_path))) == [RelatedIndex(stories).related(a) for a in stories]

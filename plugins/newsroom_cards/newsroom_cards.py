"""Share cards for articles without a picture: what links to them look like on social sites and in chat apps.

An article with a lead image is shared with that picture (newsroom_discovery). One without gets a card
drawn at build time (draw.py): the paper's masthead, the section and the headline as the site shows it
(curly quotes and all), in the theme's faces and colours (style.py), the mirror image for a right-to-left
article. Each article gets `article.share_card`, which newsroom_discovery puts in og:image, twitter:image
and the NewsArticle's image:

    {"url": "images/cards/<slug>-<hash10>.png", "width": 1200, "height": 630, "type": "image/png", "alt": ...}

`url` is relative to SITEURL, like `article.url`. `<hash10>` comes from everything the card shows and is
drawn with (its key: the headline, section, paper's name, direction, the theme's colours and faces by
content, the logo's bytes and RECIPE), so a card's URL changes exactly when its picture does and may be
cached for ever; the article page's own key covers all of those too (its story, the theme, the files
under content/, this code), so a page kept from the last build never names a card the build did not make.

Drawing a card costs far more than keeping one, so cards are drawn once. A card the last good output has under the same
key is kept there (the engine's `reuse_files`); else it is linked from the cards' own cache folder
(NEWSROOM_CARDS_CACHE, by default `cards/` under CACHE_PATH, by key and the versions of Pillow and its
text libraries: it outlasts a change of settings or code, because the name covers everything the card
depends on); else it is drawn, with the queued pages, on every core (`queue_work`). With the caches off
(tests), every card is drawn into the output.

A headline with a character none of the card's fonts has (Cyrillic, say, with only Latin and Arabic
fonts) gets no card, rather than boxes for letters: the article is shared with the paper's logo, and the
build warns once per article. A theme font a card needs that is missing stops the build at its start
with the file's name and the fix (`make fonts`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from functools import partial

from newsroom_checks import display_path
from newsroom_content.enrich import literal_text
from newsroom_engine import api
from pelican import signals
from pelican.generators import Generator
from PIL import Image, features

from .draw import HEIGHT, WIDTH, CardText, card_png
from .settings import CONFIG_KEY, PLUGIN, Config, load_config
from .style import Style, read_style
from .text import Chain

logger = logging.getLogger(__name__)

# Bump when what a card looks like changes for the same inputs (draw.py's layout, text.py's setting), so
# every card gets a new key, URL and cached file.
RECIPE = "1"
CONTENT_LISTS = ("articles", "hidden_articles", "drafts")
MIME = "image/png"


@dataclass(frozen=True)
class Plan:
    article: object
    text: CardText
    key: str  # SHA-256 hex of everything the card shows and is drawn with
    path: str  # relative to the output, with forward slashes

    @property
    def cache_name(self) -> str:
        return f"{self.key}-{library_tag()}.png"

    def share_card(self) -> dict:
        return {"url": self.path, "width": WIDTH, "height": HEIGHT, "type": MIME, "alt": card_alt(self.text)}


def library_tag() -> str:
    """The versions of Pillow and the libraries that set its text, as 8 hex digits: a cached card drawn by
    another version is drawn again, though its URL (which the pages name) stays the same."""
    versions = [Image.__version__] + [str(features.version(name)) for name in ("freetype2", "raqm", "fribidi", "harfbuzz")]
    return hashlib.sha256(" ".join(versions).encode()).hexdigest()[:8]


def card_key(text: CardText, style: Style) -> str:
    inputs = [RECIPE, text.headline, text.section, text.site, text.direction, style.digest]
    return hashlib.sha256(json.dumps(inputs, ensure_ascii=False).encode()).hexdigest()


def card_alt(text: CardText) -> str:
    """What the card shows, for readers of the share who cannot see it."""
    return f"{text.site}: {text.section}. {text.headline}"


def file_stem(slug: str) -> str:
    """A file-name-safe stem from the article's slug (an Arabic slug would make an odd URL)."""
    return re.sub(r"[^a-z0-9_-]+", "-", (slug or "").lower()).strip("-")[:80].rstrip("-") or "article"


def card_text(article, settings: dict) -> CardText:
    direction = getattr(article, "text_direction", "ltr")
    return CardText(headline=literal_text(article.title), section=literal_text(article.category.name),
                    site=literal_text(settings.get("SITENAME") or ""), direction="rtl" if direction == "rtl" else "ltr")


def has_own_picture(article) -> bool:
    lead = getattr(article, "lead_image", None)
    return bool(lead and (lead.get("url") or lead.get("path")))


def missing_characters(text: CardText, style: Style) -> str:
    """The characters of the card's text that none of its fonts has."""
    headline = Chain(style.headline_rtl if text.direction == "rtl" else style.headline)
    seen = headline.missing(text.headline) + Chain(style.ui).missing(text.section) + Chain(style.headline).missing(text.site)
    return "".join(dict.fromkeys(seen))


# The plans of the last build (a record of the build's Store, in the content cache): what every card
# says, its key and its path, by what they are made from. Scope: what every card shares (RECIPE, the
# theme's style, the paper's name, the cards' folder).
PLANS, PLANS_VERSION = "card-plans", 1


def plans_scope(style: Style, settings: dict, output_dir: str) -> str:
    return hashlib.sha256(json.dumps([RECIPE, style.digest, settings.get("SITENAME") or "", output_dir]).encode()).hexdigest()


class Planner:
    """Works out every card of a build. What all cards share (the paper's name, each section's check) is
    worked out once: every build plans every card, drawn or not; and a card whose headline, section,
    direction and slug are those of a card the last build planned (`known`) is that card, under the
    same scope."""

    def __init__(self, style: Style, settings: dict, output_dir: str, known: dict | None = None):
        self.style, self.settings, self.output_dir = style, settings, output_dir
        self.checked: dict[tuple, str] = {}  # (section, direction) -> characters the fonts lack
        self.chains = {"ltr": Chain(style.headline), "rtl": Chain(style.headline_rtl)}
        # (title, section name, direction, slug) -> (characters no font has, CardText, key, path)
        self.known = known or {}
        self.used: dict[tuple, tuple] = {}  # the same, for this build's cards: the next build's `known`

    def plan(self, article) -> Plan | str:
        """The article's Plan, or the characters of its card that no font has."""
        inputs = (article.title, article.category.name,
                  "rtl" if getattr(article, "text_direction", "ltr") == "rtl" else "ltr", article.slug)
        worked_out = self.known.get(inputs) or self.used.get(inputs) or self._work_out(article)
        self.used[inputs] = worked_out
        missing, text, key, path = worked_out
        return missing or Plan(article, text, key, path)

    def _work_out(self, article) -> tuple[str, CardText, str, str]:
        text = card_text(article, self.settings)
        shared = (text.section, text.site)
        if shared not in self.checked:
            self.checked[shared] = missing_characters(CardText("", text.section, text.site, "ltr"), self.style)
        missing = self.checked[shared] + self.chains[text.direction].missing(text.headline)
        if missing:
            return "".join(dict.fromkeys(missing)), text, "", ""
        key = card_key(text, self.style)
        return "", text, key, f"{self.output_dir}/{file_stem(article.slug)}-{key[:10]}.png"


def draw_card(text: CardText, style: Style, cached: str | None, target: str) -> None:
    """Draw one card into the cache (when there is one) and the output. Runs in any worker process."""
    data = card_png(text, style)
    if cached:
        api.write_atomically(cached, data)
        api.link_or_copy(cached, target)
    else:
        api.write_atomically(target, data)


def with_translations(items):
    for item in items:
        yield item
        yield from getattr(item, "translations", ())


def check_settings(pelican) -> None:
    config = pelican.settings[CONFIG_KEY] = load_config(pelican.settings)
    if config.enabled:
        read_style(config)  # a missing font or token stops the build before anything is read


class ShareCardsGenerator(Generator):
    """Plans every card before anything is rendered (the pages name them); draws or links them once the
    pages are written."""

    def generate_context(self):
        self.plans: list[Plan] = []
        self.style: Style | None = None
        config: Config = self.settings.get(CONFIG_KEY) or load_config(self.settings)
        articles = [a for name in CONTENT_LISTS for a in with_translations(self.context.get(name) or ())]
        for article in articles:
            article.share_card = None
        if not config.enabled:
            return
        # Read every build: `make serve` keeps one Pelican while the theme's fonts and colours may change.
        style = self.style = read_style(config)
        store = api.store(self.settings)
        scope = plans_scope(style, self.settings, config.output_dir)
        known = store.load(PLANS, PLANS_VERSION, scope=scope) if store is not None else None
        planner = Planner(style, self.settings, config.output_dir, known if isinstance(known, dict) else None)
        for article in articles:
            if has_own_picture(article):
                continue
            plan = planner.plan(article)
            if isinstance(plan, str):
                logger.warning("%s: %s: the card fonts have no %s, so the article is shared with the logo "
                               "instead of a card. Fix: add the theme's font subset for that script to "
                               "theme/static/fonts/ (make fonts), or give the article a picture.",
                               PLUGIN, display_path(article.source_path), " ".join(plan))
                continue
            article.share_card = plan.share_card()
            self.plans.append(plan)
        if store is not None and planner.used != planner.known:
            store.save(PLANS, PLANS_VERSION, planner.used, scope=scope)

    def generate_output(self, writer):
        if not self.plans:
            return
        config: Config = self.settings.get(CONFIG_KEY) or load_config(self.settings)
        cache = config.cache
        done: set[str] = set()
        kept = linked = drawn = 0
        for plan in self.plans:
            if plan.path in done:  # two articles with the same slug, headline and section
                continue
            done.add(plan.path)
            if api.reuse_files(writer, [plan.path], "share card", [plan.article], plan.key):
                kept += 1
                continue
            target = os.path.join(self.output_path, *plan.path.split("/"))
            cached = os.path.join(cache, plan.cache_name) if cache else None
            if cached and os.path.isfile(cached):
                api.link_or_copy(cached, target)
                linked += 1
                continue
            api.queue_work(writer, f"share card {plan.path}", partial(draw_card, plan.text, self.style, cached, target))
            drawn += 1
        logger.info("%s: %d share cards: %d drawn, %d from the cache, %d kept from the last build",
                    PLUGIN, len(done), drawn, linked, kept)


def get_generators(pelican):
    return ShareCardsGenerator


def register():
    # initialized: check the settings, the theme's tokens and fonts once, before anything is read, so a
    # missing font stops the build early.
    signals.initialized.connect(check_settings)
    # get_generators: our generator runs after the article generator has read the articles (and
    # newsroom_content has given each its lead image), and before any page is rendered.
    signals.get_generators.connect(get_generators)

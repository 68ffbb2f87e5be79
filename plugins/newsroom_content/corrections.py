"""The corrections page: every published article that carries a `Correction:`, newest correction first.

A correction is dated by the article's `Modified` (the check requires it), so the list is ordered by that
time, then by source path, the same in every build. The page is /corrections/ (theme/templates/
corrections.html lays it out); newsroom_feeds gives it a feed of its own from the same list.
"""

from __future__ import annotations

from pelican.generators import Generator

from .policies import POLICY_PROPERTIES, policy_property

CORRECTIONS_URL = "corrections/"
CORRECTIONS_SAVE_AS = "corrections/index.html"
CONTEXT_KEY = "NEWSROOM_CORRECTIONS"
# The published pages that are one of the paper's policies (`Policy:`), in schema.org's order: the footer
# lists them as the paper's standards, beside the corrections page.
POLICY_PAGES_KEY = "NEWSROOM_POLICY_PAGES"


def corrected_articles(articles) -> list:
    """The articles with a correction, newest correction first (ties: source path, for a stable order)."""
    corrected = [a for a in articles if getattr(a, "correction", None)]
    corrected.sort(key=lambda a: getattr(a, "relative_source_path", "") or "")
    corrected.sort(key=lambda a: getattr(a, "modified", None) or a.date, reverse=True)
    return corrected


class CorrectionsPageGenerator(Generator):
    """Writes /corrections/. The list goes into the shared context at once, so the feeds generator, which
    runs after this one, makes the corrections feed from exactly the list the page shows."""

    def generate_context(self):
        # The article generator has run: its list holds the published articles only (drafts, hidden and
        # scheduled ones are not in it).
        self.context[CONTEXT_KEY] = corrected_articles(self.context.get("articles", ()))
        # Pelican's pages generator has read the pages by now (it runs before any plugin's generator).
        self.context[POLICY_PAGES_KEY] = policy_pages(self.context.get("pages", ()))

    def generate_output(self, writer):
        corrections = self.context.get(CONTEXT_KEY, [])
        feeds = self.context.get("NEWSROOM_FEEDS")  # newsroom_feeds' catalog, when that plugin runs
        writer.write_file(
            CORRECTIONS_SAVE_AS, self.get_template("corrections"), self.context,
            corrections=corrections, corrections_policy=policy_page(self.context.get("pages", ()), "correctionsPolicy"),
            corrections_feed=getattr(feeds, "corrections", None), url=CORRECTIONS_URL,
            page_name="corrections/index", template_name="corrections",
        )


def policy_pages(pages) -> list:
    """The pages that name a policy, in POLICY_PROPERTIES' order (the first page for each policy)."""
    found = {}
    for page in pages:
        prop = policy_property((getattr(page, "metadata", None) or {}).get("policy"))
        if prop is not None:
            found.setdefault(prop, page)
    return [found[prop] for prop in POLICY_PROPERTIES if prop in found]


def policy_page(pages, prop: str):
    """The published page whose `Policy:` is `prop` (a schema.org property), or None."""
    return next((p for p in pages if policy_property((getattr(p, "metadata", None) or {}).get("policy")) == prop), None)

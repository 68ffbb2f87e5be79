"""What kind of journalism an article is: its `Type:` (News, Analysis, Opinion, Editorial, Review,
Obituary, Live), which templates label it by (`article.article_type`) and structured data maps to a
schema.org type (newsroom_discovery's jsonld.py). One list, shared by the check and the content model."""

from __future__ import annotations

# In the order the check lists them. News is what an article without `Type:` is.
ARTICLE_TYPES = ("News", "Analysis", "Opinion", "Editorial", "Review", "Obituary", "Live")
DEFAULT_TYPE = "News"
_BY_LOWER = {name.lower(): name for name in ARTICLE_TYPES}


def article_type(value) -> str | None:
    """The type as the reference spells it, for any capitalisation; DEFAULT_TYPE for none given; None for
    a value that is not a type (the check reports it, so a build never sees one)."""
    if value is None or not str(value).strip():
        return DEFAULT_TYPE
    return _BY_LOWER.get(str(value).strip().lower())

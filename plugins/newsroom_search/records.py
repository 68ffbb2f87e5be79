"""Search records: what Pagefind reads of each published article, kept beside the site.

Pagefind reads HTML files. An article page carries far more than search reads (the head's share tags and
structured data, the header, related stories, the appeals), and its bytes change whenever any of that
does: a template edit, the fund's figures, the appeal's day count at midnight. So beside every published
article page the build renders its *record* (the theme's search_record.html: the page's language, the
<meta> tags Pagefind takes metadata and filters from, the headline, the lead picture and the story) and
Pagefind indexes the records instead of the pages:

* the index is the same as one made from the pages (tests/test_search_records.py compares them);
* Pagefind parses a fraction of the bytes, and needs less time (the README has the figures);
* an incremental build re-indexes a section only when one of its records changed bytes, so a change to
  the rest of the page re-renders the page but leaves search alone.

Records are never published. Each is at its page's own path, so that Pagefind's URLs are the pages'. They
are the engine's page companions (newsroom_engine.api.Companion): rendered whenever the page is, and a page is
kept from the last build only if its record is kept too. With the build's caches on they are kept in the
content cache (`search-records-<output>/`, so a change of settings or code starts afresh, as every page is
rendered again then anyway); a build renders its new records into `<that>.partial/` and, once it has
succeeded, moves those whose bytes changed into place and deletes the records of pages gone. With the
caches off every build renders every page, and its records stay in the staging folder only until Pagefind
has read them.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil

from jinja2 import TemplateNotFound
from newsroom_content.enrich import is_public
from newsroom_engine.api import Companion, Store, cache_folder, update_in_place

RECORD_TEMPLATE = "search_record.html"
CACHE_PREFIX = "search-records-"
# A record of the kept folder's Store (records.json): the records it holds (Pagefind's globs never read it).
LISTING, LISTING_VERSION = "records", 1
STAGING_NAME = ".search-records"  # in the build's staging folder, with the caches off; deleted before it is published


class NoRecord(Exception):
    """The page marked none of what its record takes from it (search_read): the record is the page itself."""


def records_folder(cache: str, output: str) -> str:
    """Where the records of the site in `output` are kept, in the build's content cache `cache`."""
    return os.path.join(cache, CACHE_PREFIX + hashlib.sha256(os.path.abspath(output).encode()).hexdigest()[:16])


def wants_record(kind: str, ctx, rel: str) -> str | None:
    """A published article's page gets a record, at the page's own path: public articles only (the content
    model's rule), as in the article template's data-pagefind-body."""
    article = ctx.get("article")
    return rel if article is not None and is_public(article) else None


def render_record(template, ctx, page: str) -> str:
    """The record of an article page: search_record.html rendered from the page's context. The page itself
    where that template is not known to match the page: a theme without it, or a build whose templates are
    overridden (THEME_TEMPLATES_OVERRIDES can change what the article page shows search, and only the
    theme's own templates are checked against their records by the tests). Pagefind reads both alike."""
    if ctx.get("THEME_TEMPLATES_OVERRIDES"):
        return page
    try:
        return template.environment.get_template(RECORD_TEMPLATE).render(ctx)
    except (TemplateNotFound, NoRecord):
        return page


def start_records(settings: dict, staging_output: str) -> Companion:
    """The records companion of a build (its settings, during the run) writing into `staging_output`, with
    an empty folder for the records it renders. With the caches off `published` is "": none are kept."""
    folder = cache_folder(settings)
    if folder:
        published = records_folder(folder, settings["OUTPUT_PATH"])
        staging = published + ".partial"
    else:
        published, staging = "", os.path.join(staging_output, STAGING_NAME)
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    # Read once, by whichever asks first (the writer for kept pages, early.py for what changed).
    listed = functools.cache(lambda: listed_records(published)) if published else None
    return Companion(wants=wants_record, render=render_record, staging=staging, published=published, listed=listed)


def publish_records(records: Companion) -> list[str]:
    """Once the build has succeeded: make `published` hold exactly the records of the site now. Records
    this build rendered replace the old ones where their bytes differ, records no page has any more are
    deleted; returns the paths of both (what search must read again)."""
    if not os.path.isdir(records.published):
        # The first build with these settings: one rename instead of one per record.
        os.makedirs(os.path.dirname(records.published), exist_ok=True)
        os.rename(records.staging, records.published)
        changed = sorted(records.expected)
    else:
        # The list of the records there saves walking ten thousand folders; it is taken away first, so a
        # build that stops half-way leaves none, and the next one walks.
        changed = update_in_place(records.staging, records.published, records.expected,
                                  take_listing(records.published))["changed"]
    write_listing(records.published, records.expected)
    return changed


def listed_records(folder: str) -> set[str] | None:
    """The records `folder` holds, as its listing says (left in place), or None when it has none: a build
    that stopped while publishing took it away, and then each record is looked for."""
    names = Store(folder).load(LISTING, LISTING_VERSION, kind="json")
    return set(names) if isinstance(names, list) and all(isinstance(n, str) for n in names) else None


def take_listing(folder: str) -> set[str] | None:
    """The records `folder` holds, as its listing says (which is removed), or None when it has none."""
    names = listed_records(folder)
    Store(folder).forget(LISTING)
    return names


def write_listing(folder: str, names) -> None:
    Store(folder).save(LISTING, LISTING_VERSION, sorted(names), kind="json")

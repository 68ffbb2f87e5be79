"""Put back what feedgen 1.0.0 drops from Atom entry links.

feedgen's FeedEntry.atom_entry() reuses the name `link` for the element it has just created, so every
`link.get('rel')`, `link.get('type')` and `link.get('length')` after that reads the new, empty element:
all entry links come out with only an href (python-feedgen issue #135, fixes unmerged). Without rel an
Atom link means rel="alternate", so the lead image would claim to be the article itself.

The fix leaves feedgen alone and repairs its output: feedgen writes an entry's <link> elements in the
order of `entry.link()`, so the n-th <link> of the n-th <entry> gets the attributes of the n-th link
dict. It checks each href first and refuses to guess if feedgen ever changes that order; once upstream
is fixed the repair sets attributes to the values they already have.
"""

from __future__ import annotations

from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
LINK_ATTRIBUTES = ("rel", "type", "hreflang", "title", "length")


class AtomFixError(RuntimeError):
    pass


def restore_entry_links(root: etree._Element, entries) -> None:
    """Give the <link> elements of each Atom <entry> under `root` the attributes feedgen was given.

    `entries` are the feedgen FeedEntry objects in document order (FeedGenerator.entry()).
    """
    elements = root.findall(f"{{{ATOM_NS}}}entry")
    if len(elements) != len(entries):
        raise AtomFixError(f"newsroom_feeds: the Atom feed has {len(elements)} entries, feedgen was given {len(entries)}")
    for element, entry in zip(elements, entries):
        links = element.findall(f"{{{ATOM_NS}}}link")
        wanted = entry.link() or []
        if [el.get("href") for el in links] != [w["href"] for w in wanted]:
            raise AtomFixError(
                "newsroom_feeds: feedgen no longer writes an Atom entry's links in the order it was given "
                "them; revisit atom_fix.py for this feedgen version"
            )
        for el, link in zip(links, wanted):
            for name in LINK_ATTRIBUTES:
                if link.get(name):
                    el.set(name, str(link[name]))

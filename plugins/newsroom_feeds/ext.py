"""feedgen extensions for what feedgen has no API for: bylines, update dates and described pictures.

feedgen's own `dc` and `media` extensions cover part of it, but its media:content cannot carry the alt
text (media:description) or the credit, and its dc extension would put RSS-only elements in Atom too.
Each entry gets a FeedItem (items.py) and writes it out here:

* RSS items: one dc:creator per author (RSS's own <author> must be an email address, which we do not
  publish), dcterms:modified with the last update (RSS 2.0 has no update date; feedparser and most
  readers read this one), and media:content;
* Atom entries: media:content (the enclosure itself is a link, see atom_fix.py).
"""

from __future__ import annotations

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"


class RssNamespaces(BaseExtension):
    def extend_ns(self):
        return {"dc": DC_NS, "dcterms": DCTERMS_NS, "media": MEDIA_NS}


class AtomNamespaces(BaseExtension):
    def extend_ns(self):
        return {"media": MEDIA_NS}


def add_media(entry, item) -> None:
    image = item.image
    if image is None:
        return
    content = xml_elem(f"{{{MEDIA_NS}}}content", entry, url=image.url, fileSize=str(image.length), type=image.type, medium="image")
    if image.width:
        content.set("width", str(image.width))
        content.set("height", str(image.height))
    if image.alt:
        xml_elem(f"{{{MEDIA_NS}}}description", content, type="plain").text = image.alt
    if image.credit:
        xml_elem(f"{{{MEDIA_NS}}}credit", content).text = image.credit


class RssItem(BaseEntryExtension):
    item = None  # set by render.add_item

    def extend_rss(self, entry):
        for person in self.item.authors:
            xml_elem(f"{{{DC_NS}}}creator", entry).text = person.name
        xml_elem(f"{{{DCTERMS_NS}}}modified", entry).text = self.item.updated.isoformat()
        add_media(entry, self.item)
        return entry


class AtomItem(BaseEntryExtension):
    item = None

    def extend_atom(self, entry):
        add_media(entry, self.item)
        return entry


def register(fg) -> None:
    fg.register_extension("newsroom_rss", RssNamespaces, RssItem, atom=False, rss=True)
    fg.register_extension("newsroom_atom", AtomNamespaces, AtomItem, atom=True, rss=False)

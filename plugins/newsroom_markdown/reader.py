"""Pelican's Markdown reader, with its Markdown converters kept for the whole build.

Pelican's MarkdownReader builds a new `markdown.Markdown` (loading and configuring every extension) for
each file, a large share of reading a story. This reader keeps two converters and resets them between
files, which Python-Markdown supports (`Markdown.reset()` clears each extension's per-document state): one
for story bodies, with the meta extension that reads the header, and one for the formatted header fields
(Summary), without it, as Pelican's own reader does after reading the header. The headline gets that
converter's smarty alone (the story's curly quotes, dashes and ellipses, as plain text), and keeps the slug
its typed form gives. Smarty, when the site uses it, is applied in one pass (smart_punctuation.py), and
inline syntax is looked for only where it can be (fast_inline.py). tests/test_reader.py checks that every
sample and hostile article reads exactly as with Pelican's reader, apart from the headline's punctuation.
"""

from __future__ import annotations

import logging

from markdown import Markdown
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader
from pelican.utils import pelican_open, slugify

from .fast_inline import with_fast_inline
from .smart_punctuation import smarten_text, with_fast_smarty


class NewsroomMarkdownReader(MarkdownReader):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._body_md = self._field_md = None
        self.reading = None  # the file being read, for warnings

    def _converters(self):
        if self._body_md is None:
            # Smarty, if the site uses it, in its one-pass form (smart_punctuation.py), and the inline
            # patterns tried only on text that may hold them (fast_inline.py): the same output.
            # Each converter gets extension objects of its own (smarty's patterns are bound to one).
            self._body_md = Markdown(**with_fast_inline(with_fast_smarty(self.settings["MARKDOWN"])))
            self._field_md = Markdown(**with_fast_inline(with_fast_smarty(self.settings["MARKDOWN"])))
            # Header fields are not documents with headers of their own.
            self._field_md.preprocessors.deregister("meta")
        return self._body_md, self._field_md

    # read() is written out whole (not Pelican's with our converter put in) so that it needs none of the
    # private attributes Pelican's version keeps on the reader.
    def read(self, source_path):
        self.reading = source_path
        body_md, _ = self._converters()
        body_md.reset()
        with pelican_open(source_path) as text:
            content = body_md.convert(text)
        meta = getattr(body_md, "Meta", None)
        return content, self.header_fields(meta) if meta else {}

    def header_fields(self, meta):
        """Pelican's rules for header fields: formatted fields (Summary) are converted as Markdown, a
        field that may appear once keeps its first value with a warning, other repeats become lists."""
        _, field_md = self._converters()
        output = {}
        for name, value in meta.items():
            name = name.lower()
            if name in self.settings["FORMATTED_FIELDS"]:
                field_md.reset()
                output[name] = self.process_metadata(name, field_md.convert("\n".join(value)))
            elif not DUPLICATES_DEFINITIONS_ALLOWED.get(name, True):
                if len(value) > 1:
                    self._warn_duplicate(name)
                output[name] = self.process_metadata(name, value[0])
            elif len(value) > 1:
                output[name] = self.process_metadata(name, value)
            else:
                output[name] = self.process_metadata(name, value[0])
        if isinstance(output.get("title"), str):
            self.smarten_title(output, field_md)
        return output

    def smarten_title(self, fields: dict, field_md) -> None:
        """The headline with the story's curly quotes, dashes and ellipses (smarty's rules, with the site's
        options), as plain text: every page, feed and record that shows it then shows it as the story
        would. Done here, once a file, so the Article keeps it. The URL stays the one the headline as
        typed gives: without a Slug field Pelican makes the slug from the title, and published addresses
        must not move, so that slug is written in for it, exactly as Pelican's Content would make it."""
        typed = fields["title"]
        smart = smarten_text(field_md, typed)
        if smart == typed:
            return
        fields["title"] = smart
        if "slug" not in fields and self.settings.get("SLUGIFY_SOURCE") == "title":
            fields["slug"] = slugify(
                typed,
                regex_subs=self.settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
                preserve_case=self.settings.get("SLUGIFY_PRESERVE_CASE", False),
                use_unicode=self.settings.get("SLUGIFY_USE_UNICODE", False),
            )

    def _warn_duplicate(self, name: str) -> None:
        logging.getLogger("pelican.readers").warning(
            "Duplicate definition of `%s` for %s. Using first one.", name, self.reading
        )


def use_newsroom_reader(readers) -> None:
    """readers_init: read Markdown with NewsroomMarkdownReader unless the site chose another reader."""
    for extension, cls in list(readers.reader_classes.items()):
        if cls is MarkdownReader:
            readers.reader_classes[extension] = NewsroomMarkdownReader


"""The build's Writer's own path handling: the same as Pelican's sanitised_join for every page name."""

from __future__ import annotations

import pytest
from pelican.utils import sanitised_join

from newsroom_engine.writer import NewsroomWriter


@pytest.mark.parametrize("name", [
    "index.html", "europe/rail-fares/index.html", "tag/rail/page/2/index.html", "feeds/all.atom.xml",
    "./index.html", "europe//index.html", "europe/./index.html", "a/b/../c.html", "europe/",
    "ünïcode/straße/index.html", "name with spaces.html", "..hidden/index.html",
])
def test_output_file_is_sanitised_join(tmp_path, name):
    writer = NewsroomWriter(str(tmp_path / "out"), {"RELATIVE_URLS": False, "OUTPUT_PATH": str(tmp_path / "out")},
                            last_output=str(tmp_path / "out"), old_manifest={}, today=None, keyed=False)
    assert writer._output_file(name) == sanitised_join(str(tmp_path / "out"), name)


@pytest.mark.parametrize("name", ["../elsewhere.html", "/etc/passwd", "europe/../../elsewhere.html"])
def test_output_file_refuses_a_name_outside_the_output(tmp_path, name):
    writer = NewsroomWriter(str(tmp_path / "out"), {"RELATIVE_URLS": False, "OUTPUT_PATH": str(tmp_path / "out")},
                            last_output=str(tmp_path / "out"), old_manifest={}, today=None, keyed=False)
    with pytest.raises(RuntimeError):
        writer._output_file(name)


def article_writer(tmp_path, render):
    """(writer, companion, records folder, the article template): a writer on two workers with one companion
    beside every article page, rendered by `render(page)` into the records folder."""
    from jinja2 import DictLoader, Environment

    from newsroom_engine.writer import Companion

    template = Environment(loader=DictLoader({"article.html": "<p>{{ article }}</p>"})).get_template("article.html")
    records = tmp_path / "records"
    records.mkdir()
    companion = Companion(wants=lambda kind, ctx, rel: rel if kind == "article" else None,
                          render=lambda template, ctx, page: render(page), staging=str(records),
                          published=str(tmp_path / "kept"))
    out = tmp_path / "out"
    writer = NewsroomWriter(str(out), {"RELATIVE_URLS": False, "OUTPUT_PATH": str(out)}, last_output=str(out),
                            old_manifest={}, today=None, keyed=False, workers=2, companions=[companion])
    return writer, companion, records, template


def test_companions_are_told_once_the_article_pages_are_written_with_the_queued_ones_rendered(tmp_path):
    writer, companion, records, template = article_writer(tmp_path, str.upper)
    out = tmp_path / "out"
    told = []
    companion.ready = lambda: told.append({p.relative_to(records).as_posix(): p.read_text()
                                           for p in records.rglob("*.html")})
    for number in range(3):
        writer.write_file(f"story-{number}/index.html", template, {}, article=f"story {number}")
    assert len(writer.pending) == 2  # the first page of a template is rendered at once, the others queued
    writer.articles_written()
    assert told == [{f"story-{n}/index.html": f"<P>STORY {n}</P>" for n in range(3)}]
    assert not writer.pending and (out / "story-2/index.html").read_text() == "<p>story 2</p>"
    writer.articles_written()  # once a build
    assert len(told) == 1


def test_companions_are_told_once_the_changed_articles_are_written_then_again_at_the_end(tmp_path):
    writer, companion, records, template = article_writer(tmp_path, lambda page: page)
    told = []
    companion.likely_ready = lambda: told.append(("likely", sorted(p.parent.name for p in records.rglob("*.html"))))
    companion.ready = lambda: told.append(("ready", sorted(p.parent.name for p in records.rglob("*.html"))))
    for number in range(2):  # the edited stories: the second is queued, and rendered before the companion is told
        writer.write_file(f"story-{number}/index.html", template, {}, article=f"story {number}")
    writer.changed_articles_written()
    writer.write_file("story-2/index.html", template, {}, article="story 2")
    writer.changed_articles_written()  # once a build
    writer.articles_written()
    assert told == [("likely", ["story-0", "story-1"]), ("ready", ["story-0", "story-1", "story-2"])]


def test_a_signal_sent_for_every_kept_page_calls_its_receivers_as_blinker_would():
    from blinker import Signal

    from newsroom_engine.writer import ManyTimesSignal

    signal, calls = Signal(), []

    def first(sender, **kwargs):
        calls.append(("first", sender, kwargs))

    def second(sender, **kwargs):
        calls.append(("second", sender, kwargs))

    signal.connect(first)
    many = ManyTimesSignal(signal)
    many.send("a.html", context={"n": 1})
    signal.connect(second)  # connected between two sends: called from the next one on
    many.send("b.html", context={"n": 2})
    signal.disconnect(first)
    many.send("c.html", context={"n": 3})
    assert calls == [("first", "a.html", {"context": {"n": 1}}), ("first", "b.html", {"context": {"n": 2}}),
                     ("second", "b.html", {"context": {"n": 2}}), ("second", "c.html", {"context": {"n": 3}})]


def test_a_signal_sent_for_every_kept_page_refuses_a_coroutine_as_blinker_does():
    from blinker import Signal

    from newsroom_engine.writer import ManyTimesSignal

    signal = Signal()

    async def receiver(sender, **kwargs):
        return None

    signal.connect(receiver)
    with pytest.raises(RuntimeError, match="coroutine"):
        ManyTimesSignal(signal).send("a.html", context={})

"""Builds are all-or-nothing and reproducible."""

from __future__ import annotations

import hashlib
import os

import pytest

from conftest import write_article
from newsroom_checks import ContentProblemsError
from newsroom_engine.api import BuildFailedError


def tree_digest(folder) -> dict[str, str]:
    """sha256 of every file. Pagefind 1.5.2 writes its filter index in hash-map order (Pagefind/pagefind#638),
    so its folder is left out of reproducibility checks; tests/test_discovery.py checks it is the only one."""
    digests = {}
    for d, _, files in os.walk(folder):
        for f in files:
            rel = os.path.relpath(os.path.join(d, f), folder)
            if rel.split(os.sep)[0] != "pagefind":
                with open(os.path.join(d, f), "rb") as handle:
                    digests[rel] = hashlib.sha256(handle.read()).hexdigest()
    return digests


def test_failed_build_leaves_the_last_good_output_untouched(build_site, site_content, tmp_path, capsys):
    output = tmp_path / "site"
    build_site(output=output)
    before = tree_digest(output)
    mtimes = {p: os.stat(output / p).st_mtime_ns for p in before}
    write_article(site_content, "europe/broken.md", "Title: Broken\nDate: next week\nCategory: Europe\n\nText.\n")
    write_article(site_content, "europe/fine.md", "Title: A new fine story\nDate: 2026-11-24 10:00\nCategory: Europe\n\nText.\n")
    with pytest.raises(ContentProblemsError) as failure:
        build_site(output=output)
    assert "nothing was written and the last good output is untouched" in str(failure.value)
    err = capsys.readouterr().err
    assert "articles/europe/broken.md:2: error: Date: 'next week' is not a date." in err
    assert tree_digest(output) == before
    assert {p: os.stat(output / p).st_mtime_ns for p in before} == mtimes
    assert not (tmp_path / "site.partial").exists()


def test_template_error_fails_the_build_and_keeps_the_output(build_site, tmp_path):
    output = tmp_path / "site"
    build_site(output=output)
    before = tree_digest(output)
    theme = tmp_path / "theme"
    import shutil

    from conftest import REPO

    shutil.copytree(REPO / "theme", theme)
    (theme / "templates/tag.html").write_text('{% extends "listing.html" %}{% block listing_title %}{{ tag.name.nope() }}{% endblock listing_title %}')
    with pytest.raises(Exception):
        build_site(output=output, THEME=str(theme))
    assert tree_digest(output) == before
    assert not (tmp_path / "site.partial").exists()


def test_logged_pelican_error_fails_the_build(build_site, site_content, tmp_path, monkeypatch):
    import logging

    from pelican import signals

    output = tmp_path / "site"
    build_site(output=output)
    before = tree_digest(output)

    def log_an_error(generator):
        logging.getLogger("pelican.generators").error("Could not process something")

    signals.article_generator_finalized.connect(log_an_error)
    try:
        with pytest.raises(BuildFailedError, match="logged 1 error"):
            build_site(output=output)
    finally:
        signals.article_generator_finalized.disconnect(log_an_error)
    assert tree_digest(output) == before


def test_successful_rebuild_replaces_the_output(build_site, site_content, tmp_path):
    output = tmp_path / "site"
    build_site(output=output)
    (site_content / "articles/europe/2026-10-02-rail-fares.md").unlink()
    site = build_site(output=output)
    assert not site.exists("/europe/rail-fares-frozen-for-a-year/")
    # Nothing of the build is left beside the output but its record of the next scheduled change.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("site")) == ["site", "site.next-change.json"]


def test_two_builds_are_byte_identical(build_site, fixture_site):
    # The run's shared build of the fixture site (another content folder and output folder, possibly
    # another worker process) is the first of the two.
    first = fixture_site
    second = build_site()
    assert tree_digest(first.output) == tree_digest(second.output)
    assert len(tree_digest(first.output)) > 30


def test_sample_paper_builds_reproducibly(build_site, sample_paper):
    from conftest import REPO

    # The run's shared build of the sample paper (same settings and clock, made in another output folder,
    # possibly by another worker process) is the first of the two builds compared.
    second = build_site(content=REPO / "content")
    assert tree_digest(sample_paper.output) == tree_digest(second.output)
    assert len(tree_digest(second.output)) > 30


def test_a_rebuild_keeps_unchanged_files_and_rewrites_only_changed_ones(build_site, site_content, tmp_path):
    output = tmp_path / "site"
    build_site(output=output, NEWSROOM_SEARCH=False)

    def files():
        return {p.relative_to(output).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
                for p in output.rglob("*") if p.is_file()}

    before = files()
    story = site_content / "articles/europe/2026-10-02-rail-fares.md"
    story.write_text(story.read_text().replace("will not rise next year.", "will not rise next year, the minister said."))
    build_site(output=output, NEWSROOM_SEARCH=False)
    after = files()
    assert set(after) == set(before)
    changed_bytes = {f for f in after if after[f][2] != before[f][2]}
    rewritten = {f for f in after if after[f][:2] != before[f][:2]}
    assert rewritten == changed_bytes
    assert "europe/rail-fares-frozen-for-a-year/index.html" in changed_bytes
    assert "about/index.html" not in rewritten and "middle-east/index.html" not in rewritten
    assert len(rewritten) < 20, sorted(rewritten)
    # The result is exactly what a clean build gives.
    clean = build_site(output=tmp_path / "clean", NEWSROOM_SEARCH=False)
    assert tree_digest(output) == tree_digest(clean.output)

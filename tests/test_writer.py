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

"""Cache files: named after the file they come from, and never left half written."""

import os

import pytest

from assistant.files import keyed_name, written_whole


def test_a_failed_write_keeps_the_old_entry_and_leaves_no_scraps(tmp_path):
    path = tmp_path / "cache" / "entry.bin"
    with written_whole(path) as fh:
        fh.write(b"first")
    with pytest.raises(RuntimeError):
        with written_whole(path) as fh:
            fh.write(b"half")
            raise RuntimeError("crash mid-write")
    assert path.read_bytes() == b"first"
    assert os.listdir(path.parent) == ["entry.bin"]


def test_the_name_changes_when_the_source_does(tmp_path):
    source = tmp_path / "model.bin"
    source.write_bytes(b"one")
    before = keyed_name(source, "m", ".pkl")
    source.write_bytes(b"other")
    assert keyed_name(source, "m", ".pkl") != before
    assert before.startswith("m-3-") and before.endswith(".pkl")

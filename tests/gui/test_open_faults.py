"""Issue 13 in the window: File → Open of a FIFO or a device answers at once, inline."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from core.io.examples import LESSON_TEXT


def test_opening_a_fifo_does_not_block(window, tmp_path):
    fifo = tmp_path / "session.json"
    os.mkfifo(fifo)
    start = time.perf_counter()
    assert window.open_file(fifo) is False
    assert time.perf_counter() - start < 5
    assert "it is a pipe, not a regular file" in window.message_bar.text()
    assert window.model.program.text == LESSON_TEXT  # the work is unchanged


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_session_linked_to_dev_zero_is_refused_without_reading_it(window, tmp_path):
    link = tmp_path / "endless.json"
    link.symlink_to("/dev/zero")
    assert window.open_file(link) is False
    assert "device or special file" in window.message_bar.text()
    assert window.model.program.text == LESSON_TEXT


def test_a_huge_session_is_refused_by_its_size(window, tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as handle:
        handle.truncate(1_000_000_000)  # sparse: no disk, and never read
    assert window.open_file(big) is False
    assert "larger than 20 MB" in window.message_bar.text()

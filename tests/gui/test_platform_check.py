"""Before Qt starts: a desktop without the xcb libraries gets the apt-get line, not an abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gui.support import platform_check
from gui.support.platform_check import APT_LINE, display_expected, missing_libraries, parse_ldd

ROOT = Path(__file__).resolve().parents[2]

LDD_SAMPLE = """\
\tlinux-vdso.so.1 (0x00007ffd2b9f1000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f0e1c600000)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f0e1c4d0000)
\tlibxcb-icccm.so.4 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f0e1d000000)
"""


def test_the_apt_line_is_the_one_the_readme_gives():
    assert APT_LINE == (
        "apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 "
        "libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 "
        "libxkbcommon-x11-0 libx11-xcb1")
    assert APT_LINE in (ROOT / "README.md").read_text(encoding="utf-8")


def test_ldd_output_gives_each_missing_library_once():
    assert parse_ldd(LDD_SAMPLE) == ["libxcb-cursor.so.0", "libxcb-icccm.so.4"]
    assert parse_ldd("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n") == []


@pytest.mark.parametrize(("env", "platform", "expected"), [
    ({"DISPLAY": ":0"}, "linux", True),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}, "linux",
     True),
    ({}, "linux", False),
    ({"DISPLAY": ":0"}, "darwin", False),
    ({"DISPLAY": ":0"}, "win32", False),
])
def test_only_a_window_on_x11_is_checked(env, platform, expected):
    assert display_expected(env, platform) is expected


def test_the_check_agrees_with_ldd_on_this_machine(monkeypatch):
    plugin = platform_check.xcb_plugin()
    assert plugin is not None and plugin.name == "libqxcb.so"
    missing = missing_libraries()
    assert all(".so" in name for name in missing)
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    problem = platform_check.check()
    assert (problem is None) == (not missing)
    if missing:
        assert APT_LINE in problem and missing[0] in problem
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert platform_check.check() is None


def test_main_prints_the_apt_line_instead_of_aborting():
    if not missing_libraries():
        pytest.skip("this machine has every library the xcb plugin needs")
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = ":99"  # a display is expected, so Qt would try xcb and abort
    result = subprocess.run([sys.executable, str(ROOT / "main.py")], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert APT_LINE in result.stderr
    assert "Aborted" not in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb check is Linux's")
def test_main_reads_the_check_it_started_before_qt_starts(tmp_path):
    """main.py starts ldd and lets the window's modules import meanwhile; the answer is
    read before QApplication (here an ldd on PATH that finds a library missing)."""
    ldd = tmp_path / "ldd"
    ldd.write_text('#!/bin/sh\nsleep 0.2\nprintf "\\tlibxcb-cursor.so.0 => not found\\n"\n',
                   encoding="utf-8")
    ldd.chmod(0o755)
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = ":99"
    env["PATH"] = f"{tmp_path}{os.pathsep}{env.get('PATH', '')}"
    for args in ([], ["--startup-time"]):
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], env=env,
                                capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 1, result.stderr
        assert APT_LINE in result.stderr and "libxcb-cursor.so.0" in result.stderr
        assert "Aborted" not in result.stderr

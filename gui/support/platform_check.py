"""Before Qt starts: can its xcb platform plugin load on this Linux desktop?

When a library that ``libqxcb.so`` links to is missing, Qt prints "Could not load the
Qt platform plugin xcb" and aborts the process, so nothing after ``QApplication()``
can explain it. This module imports no Qt: it asks ``ldd`` which of the plugin's
libraries are not found and, if any are, gives the one ``apt-get`` line (Debian and
Ubuntu) that installs everything Qt 6's xcb plugin needs. It only looks when a window
is expected on X11: Linux, ``DISPLAY`` set, and no other platform chosen.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

#: from ``ldd`` on PySide6's libqxcb.so: every package Qt 6's xcb plugin needs
APT_PACKAGES = ("libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1",
                "libxcb-randr0", "libxcb-render-util0", "libxcb-shape0", "libxcb-xfixes0",
                "libxcb-xkb1", "libxkbcommon-x11-0", "libx11-xcb1")
APT_LINE = "apt-get install " + " ".join(APT_PACKAGES)
LDD_TIMEOUT_S = 10
MAX_LDD_OUTPUT = 1_000_000  # characters: ldd of one plugin prints a few kB


def display_expected(env: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """A window on X11 is what Qt will try: Linux, DISPLAY set, xcb or nothing chosen
    (with WAYLAND_DISPLAY and nothing chosen, Qt may take Wayland instead)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux") or not env.get("DISPLAY"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0] == "xcb"
    return not env.get("WAYLAND_DISPLAY")


def xcb_plugin() -> Path | None:
    """PySide6's libqxcb.so, found without importing Qt (None when it is not there)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        plugin = Path(folder, "Qt", "plugins", "platforms", "libqxcb.so")
        if plugin.is_file():
            return plugin
    return None


def parse_ldd(text: str) -> list[str]:
    """The libraries ``ldd`` reports as ``not found``, each once, in order."""
    missing: list[str] = []
    for line in text[:MAX_LDD_OUTPUT].splitlines():
        name, arrow, where = line.strip().partition("=>")
        if arrow and where.strip() == "not found" and name.strip() not in missing:
            missing.append(name.strip())
    return missing


def missing_libraries(plugin: Path | None = None) -> list[str]:
    """What the xcb plugin links to but the system lacks ([] when it cannot tell)."""
    plugin = plugin or xcb_plugin()
    if plugin is None:
        return []
    try:
        result = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True,
                                timeout=LDD_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError):
        return []  # no ldd (not glibc?): let Qt try
    return parse_ldd(result.stdout)


def message(missing: list[str]) -> str:
    return ("error: Qt cannot open a window: its xcb platform plugin needs system "
            f"libraries that are missing ({', '.join(missing)}). On Debian or Ubuntu, "
            f"install them (as root, or with sudo):\n\n    {APT_LINE}\n\n"
            "Without a window, --screenshot, --export and --headless work as they are.")


#: the ldd started by :func:`start`, read by :func:`finish`
_PENDING: list[subprocess.Popen] = []


def start() -> None:
    """Start the check: ``ldd`` reads the plugin's libraries while the window's modules
    import (~50–90 ms it would otherwise add to every start on X11, issue 19); the
    answer is read by :func:`finish`, before Qt could abort."""
    if _PENDING or not display_expected():
        return
    plugin = xcb_plugin()
    if plugin is None:
        return
    try:
        _PENDING.append(subprocess.Popen(["ldd", str(plugin)], stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, text=True))
    except OSError:
        pass  # no ldd (not glibc?): let Qt try


def finish() -> str | None:
    """What :func:`check` says, for the check :func:`start` started (None: none started,
    or all is well)."""
    if not _PENDING:
        return None
    process = _PENDING.pop()
    try:
        out, _ = process.communicate(timeout=LDD_TIMEOUT_S)
    except subprocess.SubprocessError:
        process.kill()
        process.communicate()
        return None
    missing = parse_ldd(out or "")
    return message(missing) if missing else None


def check() -> str | None:
    """The message to print before Qt would abort, or None when all is well."""
    if not display_expected():
        return None
    missing = missing_libraries()
    return message(missing) if missing else None

"""Third-party licence notices, read from the installed packages' own metadata.

The same code works from source and inside the PyInstaller bundle (the spec copies each
package's ``.dist-info``). Qt for Python ships no licence text in its wheel, so the
LGPL-3.0 (and the GPL-3.0 it builds on) come from ``resources/licenses``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

from gui.support.resources import resource

#: (distribution, what it is to us, extra notice files in resources/licenses)
PACKAGES = [
    ("PySide6-Essentials", "Qt 6 and Qt for Python", ("LGPL-3.0.txt", "GPL-3.0.txt")),
    ("shiboken6", "Qt for Python bindings", ("LGPL-3.0.txt",)),
    ("matplotlib", "graph drawing", ()),
    ("networkx", "the graph", ()),
    ("numpy", "numbers", ()),
    ("torch", "the PyTorch comparison", ()),
    ("pillow", "images and GIF export", ()),
    ("pylopdf-fonts-zh-cn", "Noto Sans SC, the Chinese font", ("NotoSansSC-OFL.txt",)),
]


@dataclass(frozen=True)
class Notice:
    package: str
    purpose: str
    version: str
    license: str
    text: str


def _licence_name(meta) -> str:
    name = meta.get("License-Expression") or meta.get("License") or ""
    first = name.strip().splitlines()[0] if name.strip() else ""
    return first if len(first) <= 80 else first[:79] + "…"


def _main_licence_text(dist) -> str:
    files = [f for f in (dist.files or []) if ".dist-info" in str(f)
             and any(key in f.name.upper() for key in ("LICEN", "COPYING"))]
    files.sort(key=lambda f: (len(f.parts), str(f)))  # the package's own LICENSE first
    for file in files:
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return ""


def notices() -> list[Notice]:
    result = []
    for package, purpose, extra in PACKAGES:
        try:
            dist = metadata.distribution(package)
        except metadata.PackageNotFoundError:
            continue
        parts = [_main_licence_text(dist)]
        for name in extra:
            path = resource("licenses", name)
            if path.is_file():
                parts.append(path.read_text(encoding="utf-8"))
        text = "\n\n".join(p for p in parts if p.strip()) or _licence_name(dist.metadata)
        result.append(Notice(package, purpose, dist.version, _licence_name(dist.metadata),
                             text))
    return result

"""Files the window ships with (examples, style sheets, the icon), found in one place.

Paths are relative to the app root, which is the repository in a checkout and
``sys._MEIPASS`` inside a PyInstaller bundle.
"""

from __future__ import annotations

import sys
from pathlib import Path


def root() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) if bundle else Path(__file__).resolve().parents[2]


def resource(*parts: str) -> Path:
    return root().joinpath("resources", *parts)


def read_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")


def example_files() -> list[Path]:
    """The bundled examples in menu order (their names start with a number)."""
    return sorted(resource("examples").glob("*.json"))

"""Refresh the Qt Linguist sources: ``python tools/update_translations.py``.

1. ``pyside6-lupdate`` reads every ``tr()`` / ``QT_TRANSLATE_NOOP`` in ``gui/*.py`` into
   ``resources/translations/backprop_stepper_zh_CN.ts`` (translations already made are
   kept; messages no longer in the code are dropped).
2. lupdate cannot see the engine's sentences: the explanation templates of
   ``core.engine.explain.TEMPLATES`` are looked up at run time by their English text under the
   context ``Explanation`` (``gui.support.texts.templates``). This script adds them, with the
   template's key as a note for the translator, and keeps their translations.

New messages arrive ``type="unfinished"``; translate them in Qt Linguist
(``pyside6-linguist``) or by hand, then ``make`` compiles the ``.qm``. With ``--check``
the script changes nothing and exits 1 when a message is unfinished or missing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.engine.explain import TEMPLATES  # noqa: E402

TRANSLATIONS = ROOT / "resources" / "translations"
LOCALES = ("zh_CN",)
EXPLANATION = "Explanation"


def ts_path(locale: str) -> Path:
    return TRANSLATIONS / f"backprop_stepper_{locale}.ts"


def lupdate_command() -> list[str]:
    """``pyside6-lupdate`` next to this Python (a venv), on PATH, or via PySide6's tool."""
    here = Path(sys.executable).parent
    for candidate in (here / "pyside6-lupdate", here / "pyside6-lupdate.exe"):
        if candidate.is_file():
            return [str(candidate)]
    found = shutil.which("pyside6-lupdate")
    if found:
        return [found]
    import PySide6

    binary = Path(PySide6.__file__).parent / ("lupdate.exe" if os.name == "nt" else "lupdate")
    if binary.is_file():
        return [str(binary)]
    raise SystemExit("pyside6-lupdate not found: install PySide6-Essentials (make test does)")


def sources() -> list[Path]:
    return sorted((ROOT / "gui").rglob("*.py"))


def read_messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    """(context, source) → the <message> element, from an existing .ts."""
    if not path.is_file():
        return {}
    root = ET.parse(path).getroot()
    found = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message
    return found


def engine_messages() -> list[tuple[str, str, str]]:
    """(context, source, note) of what the GUI translates at run time by its English."""
    return [(EXPLANATION, text, f"core.engine.explain.TEMPLATES[{key!r}]; keep the {{names}}")
            for key, text in TEMPLATES.items()]


def _indent(element: ET.Element, level: int = 0) -> None:
    pad = "\n" + "    " * level
    if len(element):
        if not (element.text or "").strip():
            element.text = pad + "    "
        for child in element:
            _indent(child, level + 1)
        if not (child.tail or "").strip():
            child.tail = pad
    if level and not (element.tail or "").strip():
        element.tail = pad


def add_engine_messages(root: ET.Element, old: dict[tuple[str, str], ET.Element]) -> int:
    """Add the templates under ``Explanation``, reusing earlier translations; new count."""
    contexts = {c.findtext("name") or "": c for c in root.findall("context")}
    added = 0
    for context_name, source, note in engine_messages():
        context = contexts.get(context_name)
        if context is None:
            context = ET.Element("context")
            ET.SubElement(context, "name").text = context_name
            contexts[context_name] = context
            root.append(context)
        if any(m.findtext("source") == source for m in context.findall("message")):
            continue
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = source
        ET.SubElement(message, "extracomment").text = note
        translation = ET.SubElement(message, "translation")
        before = old.get((context_name, source))
        previous = before.find("translation") if before is not None else None
        if previous is not None and (previous.text or "") and \
                previous.get("type") not in ("unfinished", "vanished", "obsolete"):
            translation.text = previous.text
        else:
            translation.set("type", "unfinished")
            added += 1
    # lupdate writes the contexts in name order; keep that
    for context in root.findall("context"):
        root.remove(context)
    for name in sorted(contexts):
        root.append(contexts[name])
    return added


def write_ts(root: ET.Element, path: Path) -> None:
    _indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                    encoding="utf-8")


def unfinished(path: Path) -> list[tuple[str, str]]:
    root = ET.parse(path).getroot()
    return [(c.findtext("name") or "", m.findtext("source") or "")
            for c in root.iter("context") for m in c.iter("message")
            if m.find("translation") is None or m.find("translation").get("type")
            in ("unfinished",) or not (m.findtext("translation") or "")]


def update(locale: str) -> None:
    path = ts_path(locale)
    old = read_messages(path)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp, path.name)
        if path.is_file():
            shutil.copy(path, scratch)
        command = [*lupdate_command(), *map(str, sources()), "-ts", str(scratch),
                   "-no-obsolete", "-locations", "none", "-target-language", locale,
                   "-source-language", "en_US", "-silent"]
        subprocess.run(command, check=True, cwd=ROOT)
        root = ET.parse(scratch).getroot()
    added = add_engine_messages(root, old)
    write_ts(root, path)
    left = unfinished(path)
    total = sum(1 for _ in root.iter("message"))
    print(f"{path.relative_to(ROOT)}: {total} messages, {added} new engine sentences, "
          f"{len(left)} unfinished")
    for context, source in left:
        print(f"  unfinished [{context}] {source}")


def check(locale: str) -> int:
    path = ts_path(locale)
    if not path.is_file():
        print(f"{path} is missing")
        return 1
    missing = [s for c, s, _ in engine_messages() if (c, s) not in read_messages(path)]
    left = unfinished(path)
    for source in missing:
        print(f"  missing [{EXPLANATION}] {source}")
    for context, source in left:
        print(f"  unfinished [{context}] {source}")
    return 1 if missing or left else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a message is unfinished or missing")
    args = parser.parse_args(argv)
    if args.check:
        return max(check(locale) for locale in LOCALES)
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    for locale in LOCALES:
        update(locale)
    return 0


if __name__ == "__main__":
    sys.exit(main())

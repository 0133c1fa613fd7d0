"""Backprop Stepper: ``python main.py`` opens the window; ``--headless`` never loads Qt."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--headless" in argv:
        from core.cli import main as headless_main

        return headless_main(argv)
    if "--self-test" in argv:
        from gui.self_test import run

        return run()
    from gui.app import main as gui_main

    return gui_main(argv)


if __name__ == "__main__":
    sys.exit(main())

"""Backprop Stepper: ``python main.py`` opens the window; ``--headless`` never loads Qt."""

from __future__ import annotations

import sys

#: these never open a window (they render offscreen or print): no platform check
OFFSCREEN_FLAGS = ("--screenshot", "--export", "--export-steps", "--torch-worker", "--help",
                   "-h")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--record-child"]:  # the bundle running a learner's script: the
        # recorder's bootstrap only (torch + stdlib), before anything else is imported
        from core.record.bootstrap import main as record_main

        return record_main(argv[1:])
    if argv[:1] == ["--record-zygote"]:  # the bundle's warm recorder process: forks one
        # --record-child per run (core/record/zygote.py), torch + stdlib imported only
        from core.record.bootstrap import main as record_main
        from core.record.zygote import main as zygote_main

        return zygote_main(run_child=lambda child: sys.exit(record_main(child[2:])))
    if "--headless" in argv:
        from core.io.cli import main as headless_main

        return headless_main(argv)
    if "--self-test" in argv:
        from gui.self_test import run

        return run()
    if not any(arg.split("=")[0] in OFFSCREEN_FLAGS for arg in argv):
        # Qt aborts when its platform plugin cannot load: say how to fix it first. ldd
        # runs while the window's modules import; gui.startup.application reads its
        # answer before Qt starts (and exits 1 with the apt-get line)
        from gui.support.platform_check import start

        start()
    from gui.app import main as gui_main

    return gui_main(argv)


if __name__ == "__main__":
    sys.exit(main())

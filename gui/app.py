"""Start the window: ``python main.py [FILE.json | FILE.py]``, ``--screenshot``,
``--export``, ``--startup-time``, ``--run FILE`` (gui.run_cli). (``--headless`` never
gets here: main.py sends it to core.io.cli.)

Only the interactive launch reads and writes ``QSettings`` (window state, recent files,
the last session). Screenshots and exports are offscreen, light, 1400×900 at pixel
ratio 1, and reproducible.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from gui import run_cli
from gui.startup import WINDOW_SIZE
from gui.startup import application as _application
from gui.startup import folder_missing as _folder_missing
from gui.startup import not_written as _not_written

EXIT_OK, EXIT_BAD_INPUT, EXIT_NOT_WRITTEN = 0, 2, 3
LANGUAGES = ("en", "zh")
TORCH_WAIT_MS = 60_000
#: where settings were kept before the application name became APP_ID
SETTINGS_NAMES = ("BackpropStepper", "Backprop Stepper")


def _process_age() -> float | None:
    """Seconds since this process started (Linux /proc), or None elsewhere."""
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


_AGE_AT_IMPORT = _process_age()
_CLOCK_AT_IMPORT = time.perf_counter()


def _since_start_ms() -> float:
    elapsed = time.perf_counter() - _CLOCK_AT_IMPORT
    return 1000 * ((_AGE_AT_IMPORT or 0.0) + elapsed)


def make_parser() -> argparse.ArgumentParser:
    """The window's options around the shared ones (core.io.cli_args; gui.run_cli's
    ``--run``), without importing the command line's modules before the window shows."""
    from core.io.cli_args import ArgumentParser, add_source, add_values, add_version

    parser = ArgumentParser(
        prog="main.py",
        description="Backprop Stepper: step through backpropagation (forward pass, local "
                    "gradients, backward pass) with PyTorch checking every number. With no "
                    "arguments the window opens on the lesson's example; --headless runs the "
                    "command line without a window (see main.py --headless --help).")
    parser.add_argument("file", nargs="?", metavar="FILE.json", help="open a saved session")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--screenshot", metavar="OUT.png",
                     help="render the whole window offscreen (1400×900) and exit")
    out.add_argument("--export", metavar="OUT.png|svg|pdf",
                     help="write only the graph figure and exit")
    out.add_argument("--export-steps", metavar="OUT.gif|pdf",
                     help="write every step 1..N (graph, equation, explanation) as an "
                          "animated GIF or a PDF handout, one frame/page per step, and exit")
    out.add_argument("--startup-time", action="store_true",
                     help="print the milliseconds from process start to the first painted "
                          "window and exit")
    parser.add_argument("--step", type=int, metavar="K",
                        help="position for --screenshot/--export, 0..N (default N, the end)")
    parser.add_argument("--lang", choices=LANGUAGES,
                        help="language of --screenshot/--export/--export-steps: en or zh "
                             "(Simplified Chinese; default: the system's)")
    add_source(parser, file_dest="session_file", file_help="a saved session (same as FILE.json)")
    add_values(parser, param_help="a parameter, which needs a gradient (repeatable)")
    add_version(parser)
    run_cli.add_arguments(parser)  # --run FILE [--pass K] [--timeout S] [--memory MB] …
    return parser


def _program_from(args: argparse.Namespace):
    """(Program, position, title) from the options; raises ExpressionError."""
    from core.io.cli import load_program
    from core.io.session import load_session
    from core.language.parser import ExpressionError, short
    from gui.state.model import Program

    session_path = args.session_file or args.file
    position, title = None, ""
    if session_path is not None and (args.expr is not None or args.expr_file is not None):
        raise ExpressionError("give either a session file or --expr/--expr-file, not both")
    if session_path is not None:
        session = load_session(session_path)
        position, title = session.position, session.title
    options = argparse.Namespace(expr=args.expr, expr_file=args.expr_file, file=session_path,
                                 input=args.input, param=args.param)
    text, bindings = load_program(options)
    from core.engine.build import build, is_script

    if is_script(text):  # a training script: the window runs it (length unknown yet)
        return Program(text, bindings), None, position, title

    trace = build(text, bindings)
    if trace.graph.unused_bindings:
        name = trace.graph.unused_bindings[0]
        flag = "--param" if bindings[name].role == "parameter" else "--input"
        raise ExpressionError(f"the program does not use {short(name)} as an input",
                              where=f"{flag} {short(name)}")
    return Program(text, bindings), len(trace), position, title


def _no_display() -> bool:
    """Linux with no X11/Wayland display and no platform chosen: Qt would abort."""
    return (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"))


def _render(args: argparse.Namespace) -> int:
    """--screenshot and --export: offscreen, light, no QSettings."""
    from core.language.parser import ExpressionError

    try:
        program, length, _, title = _program_from(args)
    except ExpressionError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if length is None:  # a script: only --run runs it (issue 20 §6)
        from core.io.cli import SCRIPT_NEEDS_RUN

        print(f"error: {SCRIPT_NEEDS_RUN}", file=sys.stderr)
        return EXIT_BAD_INPUT
    position = length if args.step is None else args.step
    if not 0 <= position <= length:
        print(f"error: --step {args.step} is outside 0..{length} (this program has {length} "
              "steps)", file=sys.stderr)
        return EXIT_BAD_INPUT
    target = args.screenshot or args.export
    if args.export and os.path.splitext(target)[1].lower() not in (".png", ".svg", ".pdf"):
        print("error: --export writes .png, .svg or .pdf", file=sys.stderr)
        return EXIT_BAD_INPUT
    app = _application(offscreen=True, lang=args.lang)
    from gui.window.main_window import MainWindow

    window = MainWindow()
    window.load_program(program, position, title)
    window.resize(*WINDOW_SIZE)
    window.show()
    app.processEvents()
    status = _write_render(app, window, args, target)
    if status == EXIT_OK:
        window.close()  # as before: a window whose output failed is left to the exit
    return status


def _write_render(app, window, args: argparse.Namespace, target: str) -> int:
    """The screenshot (once the PyTorch check answered) or the graph figure, written."""
    from PySide6.QtCore import QEventLoop, QTimer

    if args.screenshot:
        window.start_torch_check()
        loop = QEventLoop()
        panel = window.torch_panel
        panel.statusChanged.connect(
            lambda _text: loop.quit() if panel.status.property("state") != "pending" else None)
        QTimer.singleShot(TORCH_WAIT_MS, loop.quit)
        if panel.status.property("state") == "pending":
            loop.exec()
        app.processEvents()
        image = window.grab()
        if not image.save(target):
            return _not_written(target, "no folder" if _folder_missing(target) else None)
    else:
        app.processEvents()
        try:
            window.canvas.export_image(target)
        except OSError as error:
            return _not_written(target, error.strerror or str(error))
        except ValueError as error:
            print(f"error: cannot write {target}: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
    return EXIT_OK


def _export_steps(args: argparse.Namespace) -> int:
    """--export-steps: every position 1..N as GIF frames or PDF pages, offscreen."""
    from core.language.parser import ExpressionError

    target = args.export_steps
    if os.path.splitext(target)[1].lower() not in (".gif", ".pdf"):
        print("error: --export-steps writes .gif or .pdf", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        program, length, _, _ = _program_from(args)
    except ExpressionError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if length is None:  # a script: only --run runs it (issue 20 §6)
        from core.io.cli import SCRIPT_NEEDS_RUN

        print(f"error: {SCRIPT_NEEDS_RUN}", file=sys.stderr)
        return EXIT_BAD_INPUT
    _application(offscreen=True, lang=args.lang)
    from gui.support import gc_timer

    gc_timer.uninstall()  # no window, no worker threads, no event loop: collect as usual
    from gui.state.model import build
    from gui.support import i18n
    from gui.window.step_export import ExportError, export_steps

    lang = args.lang or i18n.current_language()  # by default the system's, as the window
    if _folder_missing(target):
        return _not_written(target, f"there is no folder {Path(target).parent}")
    try:
        export_steps(build(program), target, lang=lang)
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        return _not_written(target, error.strerror or str(error))
    return EXIT_OK


def _startup_time() -> int:
    app = _application(offscreen=_no_display())
    from gui.window.main_window import MainWindow

    window = MainWindow()
    result = {}

    def painted() -> None:
        result["ms"] = _since_start_ms()
        app.quit()

    window.firstPainted.connect(painted)
    window.show()
    app.exec()
    from core.base.output import write_stdout

    window.close()
    failed = write_stdout(f"{result.get('ms', float('nan')):.0f}\n")
    return EXIT_OK if failed is None else failed


def _interactive(args: argparse.Namespace) -> int:
    from core.language.parser import ExpressionError

    if _no_display():
        print("error: no display to open the window on (DISPLAY is not set). Run it on a "
              "desktop, under xvfb-run, or use --screenshot / --headless.", file=sys.stderr)
        return EXIT_BAD_INPUT
    app = _application(offscreen=False)
    from PySide6.QtCore import QSettings

    from gui.window.main_window import MainWindow

    settings = QSettings(*SETTINGS_NAMES)  # the same file as before the rename
    from gui.support import i18n

    try:  # View → Language, as chosen last time; by default the system's
        i18n.apply_language(str(settings.value("language", i18n.SYSTEM) or i18n.SYSTEM))
    except ValueError:
        i18n.apply_language(i18n.SYSTEM)
    window = MainWindow(settings)
    had_geometry = settings.contains("geometry")
    window.restore_settings(settings)
    from gui.window.view_actions import fit_to_screen

    fit_to_screen(window, had_geometry)  # at most 90% of the screen; clamped later on
    if args.run:  # the learner named the script to run: it runs once the window is up
        from PySide6.QtCore import QTimer

        from gui.window import run_window

        if window.open_file(args.run):
            QTimer.singleShot(0, window, lambda: run_window.start(window))
    elif args.file or args.session_file:
        window.open_file(args.file or args.session_file)
    elif args.expr is not None or args.expr_file is not None or args.input or args.param:
        try:
            program, _, _, _ = _program_from(args)
            window.load_program(program, 0)
        except ExpressionError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
    else:
        window.reopen_last_session(settings)
    from gui.window.recovery import discard_all, install

    install(window)  # offers a killed session's work back, then autosaves
    from gui.window import unexpected

    unexpected.install(window)  # an error nobody caught: said in the window, and logged
    app.aboutToQuit.connect(discard_all)  # every window's file, restored ones' too
    window.show()
    from PySide6.QtCore import QTimer

    from gui.support import gc_timer

    QTimer.singleShot(gc_timer.FREEZE_AFTER_MS, gc_timer.freeze_start_up)
    return app.exec()


def main(argv: Sequence[str] | None = None) -> int:
    from core.base.output import prepare_streams

    prepare_streams()  # ASCII forms where the terminal cannot show − or ∂
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--torch-worker" in argv:
        from core.io.worker import serve

        return serve()
    args = make_parser().parse_args(argv)
    if args.step is not None and not (args.screenshot or args.export):
        make_parser().error("--step goes with --screenshot or --export")
    if args.lang is not None and not (args.screenshot or args.export or args.export_steps):
        make_parser().error("--lang goes with --screenshot, --export or --export-steps")
    problem = run_cli.usage_problem(args)
    if problem:
        make_parser().error(problem)
    if args.run and (args.screenshot or args.export or args.export_steps):
        return run_cli.render(args)  # the script runs, then the window renders
    if args.screenshot or args.export or args.export_steps:
        code = run_cli.render_session(args)  # a script's session: its saved recording
        if code is not None:
            return code
    if args.export_steps:
        return _export_steps(args)
    if args.screenshot or args.export:
        return _render(args)
    if args.startup_time:
        return _startup_time()
    return _interactive(args)

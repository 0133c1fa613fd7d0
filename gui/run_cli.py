"""``--run FILE`` for the window's renders: ``--screenshot OUT.png --run FILE [--pass K]
[--step S]``, and ``--export`` / ``--export-steps`` the same way. The script runs as Run
runs it (a child process, the limits), then the window renders pass K (default: the
last) at step S (default: its end). Without ``--run`` a render never runs a script.

A session of a script (``--file SESSION.json`` or ``FILE.json``, issue 20 §5) renders its
saved recording the same way, with ``--pass K`` and ``--step S``, and runs nothing; a
session holding a script but no recording is exit 2, saying to run it with --run.

Exit codes as the headless ``--run``: 2 for bad usage or a step outside the pass, 3
when the output could not be written, 4 when the script raised or a limit stopped it
(the render is still written: what was recorded before is on screen), else 0.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from core.io.cli_args import add_run
from gui.startup import WINDOW_SIZE

EXIT_OK, EXIT_BAD_INPUT, EXIT_NOT_WRITTEN, EXIT_SCRIPT = 0, 2, 3, 4


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The shared ``--run`` options (core.io.cli_args), in the window's words."""
    add_run(parser, run_metavar="FILE.py",
            run_help="run this script as python FILE would (a child process with real "
                     "PyTorch), then render or show what it recorded",
            pass_help="with --run, or a script's session and --screenshot/--export/"
                      "--export-steps: the pass (backward() call) to show, from 1 (default: "
                      "the last)",
            memory_help="with --run: stop the script above MB megabytes (default: half the "
                        "machine's memory)")


def usage_problem(args: argparse.Namespace) -> str | None:
    """Why these options cannot go together (None: they can)."""
    extras = [name for name, value in (("--pass", args.pass_), ("--timeout", args.timeout),
                                       ("--memory", args.memory), ("--python", args.python))
              if value is not None]
    if args.run is None:
        if extras == ["--pass"] and (args.file or args.session_file) and (
                args.screenshot or args.export or args.export_steps):
            return "--pass counts from 1" if args.pass_ < 1 else None  # a script's session
        return f"{extras[0]} goes with --run FILE" if extras else None
    if args.expr is not None or args.expr_file is not None or args.session_file or args.file:
        return "--run takes no --expr, --expr-file, --file or session"
    if args.input or args.param:
        return "a script takes its values from its own text (no --input or --param)"
    if args.pass_ is not None and args.pass_ < 1:
        return "--pass counts from 1"
    if not Path(args.run).is_file():
        return f"cannot read {args.run}: no such file"
    return None


def run_in_window(window, args: argparse.Namespace, app) -> int | None:
    """Run ``args.run`` in ``window`` and wait for its end (None: it ended in time)."""
    from gui.window import run_window

    runs = window.model.run
    if args.python:
        window.run_prefs.python = args.python
    if args.timeout:
        window.run_prefs.timeout_s = args.timeout
    if args.memory:
        window.run_prefs.memory_mb = args.memory
    window.open_file(args.run)
    keep = (args.pass_,) if args.pass_ else ()
    done: list[bool] = []
    window.runFinished.connect(lambda: done.append(True))
    if not run_window.start(window, keep=keep, show=args.pass_):
        print(f"error: {window.message_bar.text() or 'the script could not start'}",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    limit = (args.timeout or window.run_prefs.timeout_s) + 120
    deadline = time.monotonic() + limit
    while not done and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    if not done:
        runs.stop()
        print("error: the script did not end", file=sys.stderr)
        return EXIT_SCRIPT
    count = runs.group_count or runs.count
    if args.pass_ and args.pass_ > count and count:
        _past_the_last(args.pass_, runs)
        shown: list[bool] = []
        if runs.group_count:
            runs.goto_group(count, -1, then=lambda: shown.append(True))
        else:
            runs.goto_pass(count, -1, then=lambda: shown.append(True))
        _wait(app, shown, deadline)
    return None


def render_session(args: argparse.Namespace) -> int | None:
    """--screenshot / --export / --export-steps on a session of a script: its saved
    recording rendered, nothing run (exit 2 when it holds none). None: not a script's
    session, rendered as a program is (gui.app)."""
    path = args.session_file or args.file
    if path is None or args.expr is not None or args.expr_file is not None:
        return None  # gui.app says what is wrong with these
    from core.engine.build import is_script
    from core.io.session import load_session
    from core.language.parser import ExpressionError

    try:
        session = load_session(path)
    except ExpressionError:
        return None  # unreadable: gui.app says why, as for any session
    saved = session.settings.get("recording")
    problem = None
    if saved is None and not is_script(session.text):
        if args.pass_ is None:
            return None
        problem = f"--pass goes with --run FILE or a script's session ({path} holds a " \
                  "program: its positions are --step S)"
    elif args.input or args.param:
        problem = "a script takes its values from its own text (no --input or --param)"
    elif saved is None:
        from core.io.record_session_cli import NO_RECORDING

        problem = NO_RECORDING.format(path)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return render(args, session=session)


def _wait(app, done: list, deadline: float) -> None:
    while not done and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)


def open_saved(window, args: argparse.Namespace, app, session) -> int | None:
    """Open ``session`` (a script's, read from ``--file``) in ``window`` as File → Open
    does (its saved recording, nothing runs) and show pass ``args.pass_`` (default: the
    last kept) at its end (None: on screen)."""
    from core.language.parser import ExpressionError
    from gui.window import run_documents

    path = args.session_file or args.file
    runs = window.model.run
    shown: list[bool] = []
    runs.passChanged.connect(lambda: shown.append(True))
    try:
        run_documents.open_session(window, session, path)
    except ExpressionError as error:  # as --headless --file says it
        print(f"error: {path}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    window.output_panel.open_dock()  # the saved output, as after a --run
    deadline = time.monotonic() + 120
    _wait(app, shown, deadline)  # the session's own choice, made in a worker
    k = _past_the_last(args.pass_, runs)
    done: list[bool] = []
    if runs.group_count:  # a forward-only script: --pass K is its group K (its loop's turn)
        runs.goto_group(k or runs.last_kept_group, -1, then=lambda: done.append(True))
    elif k or runs.last_kept:
        runs.goto_pass(k or runs.last_kept, -1, then=lambda: done.append(True))
    else:
        done.append(True)
    _wait(app, done, deadline)
    if not done:
        print("error: the saved pass could not be shown in time", file=sys.stderr)
        return EXIT_BAD_INPUT
    if k and (runs.summary_only == k or runs.group_count and runs.group_summary_only == k):
        what, items = ("group", runs.recording.groups) if runs.group_count else \
            ("pass", runs.recording.passes)
        print(f"error: --pass {k}: {path} keeps only a summary of {what} {k} (it kept "
              f"{'groups' if what == 'group' else 'passes'} "
              f"{', '.join(str(p.index) for p in items if p.kept)}); run the "
              f"script with --run FILE --pass {k}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return None


def _past_the_last(k: int | None, runs) -> int | None:
    """``--pass K`` within the recording: past its last pass (or a forward-only script's
    last group), the last one, with a warning."""
    count, what = (runs.group_count, "group") if runs.group_count else (runs.count, "pass")
    if k and k > count:
        print(f"warning: --pass {k} is past the last {what}; showing "
              + (f"{what} {count}" if count else "what was recorded"), file=sys.stderr)
        return count
    return k


def render(args: argparse.Namespace, session=None) -> int:
    """--screenshot / --export / --export-steps with --run, or of a script's ``session``
    (its saved recording: nothing runs)."""
    from gui.startup import application as _application
    from gui.startup import folder_missing as _folder_missing
    from gui.startup import not_written as _not_written

    target = args.screenshot or args.export or args.export_steps
    suffix = os.path.splitext(target)[1].lower()
    allowed = (".gif", ".pdf") if args.export_steps else (".png", ".svg", ".pdf") \
        if args.export else None
    if allowed and suffix not in allowed:
        print(f"error: this output writes {', '.join(allowed)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    app = _application(offscreen=True, lang=args.lang)
    from gui.window.main_window import MainWindow

    window = MainWindow()
    window.resize(*WINDOW_SIZE)
    window.show()
    app.processEvents()
    code = run_in_window(window, args, app) if session is None else \
        open_saved(window, args, app, session)
    if code is not None:
        return code
    model = window.model
    if args.step is not None and not 0 <= args.step <= model.length:
        print(f"error: --step {args.step} is outside 0..{model.length} (this pass has "
              f"{model.length} steps)", file=sys.stderr)
        return EXIT_BAD_INPUT
    model.goto(model.length if args.step is None else args.step)  # by default its end
    app.processEvents()
    if _folder_missing(target):
        return _not_written(target, "no folder")
    try:
        if args.screenshot:
            if not window.grab().save(target):
                return _not_written(target)
        elif args.export:
            window.canvas.export_image(target)
        else:
            from gui.support import i18n
            from gui.window.step_export import ExportError, export_steps

            try:
                export_steps(model.trace, target, lang=args.lang or i18n.current_language())
            except ExportError as error:
                print(f"error: {error}", file=sys.stderr)
                return EXIT_BAD_INPUT
    except OSError as error:
        return _not_written(target, error.strerror or str(error))
    result = model.run.result
    window.close()
    if result is not None and result.status != "ok":
        error = result.error or {}
        print(f"error: the script stopped: {error.get('type', '')}: "
              f"{error.get('message', '')}".rstrip(": "), file=sys.stderr)
        return EXIT_SCRIPT
    return EXIT_OK

"""The one command-line parser: the options the window (gui/app.py) and the headless
command line (core/io/cli.py) share, and the parser class both use. Each adds its own
options around these, in the order its ``--help`` lists them.

Where the two say a shared option differently (the window's ``--file`` is a second way
to name FILE.json), the caller passes its own words; the flag, its metavar and its
destination are decided here. Imports nothing but argparse, so the window can build
its parser before anything else loads.
"""

from __future__ import annotations

import argparse
import sys

from core import __version__

EXIT_BAD_INPUT = 2
PROGRAM_EXAMPLE = "the program, e.g. 'loss = (w * x - y) ** 2'"
LIMIT_HELP = {
    "timeout": "with --run: stop the script after S seconds (default 600)",
    "python": "with --run: the Python that runs the script (needs torch)",
}


class ArgumentParser(argparse.ArgumentParser):
    """argparse with the exit status and the one ``error: …`` line of bad input."""

    def error(self, message: str):  # argparse's own: usage + exit 2, kept short
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"error: {message}\n")


def add_source(parser: argparse.ArgumentParser, *, expr_help: str = PROGRAM_EXAMPLE,
               file_dest: str = "file",
               file_help: str = "open a saved session") -> argparse._MutuallyExclusiveGroup:
    """``--expr TEXT | --expr-file PATH | --file SESSION.json``: where the program comes
    from (one of them)."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--expr", metavar="TEXT", help=expr_help)
    source.add_argument("--expr-file", metavar="PATH", help="read the program from a file")
    source.add_argument("--file", dest=file_dest, metavar="SESSION.json", help=file_help)
    return source


def add_values(parser: argparse.ArgumentParser, *, param_help: str) -> None:
    """``--input NAME=V`` and ``--param NAME=V``, each repeatable."""
    parser.add_argument("--input", metavar="NAME=V", action="append", default=[],
                        help="a data value: a number or a comma-separated list (repeatable)")
    parser.add_argument("--param", metavar="NAME=V", action="append", default=[],
                        help=param_help)


def add_run(parser: argparse.ArgumentParser, *, run_metavar: str, run_help: str,
            pass_help: str, memory_help: str) -> None:
    """``--run FILE [--pass K] [--timeout S] [--memory MB] [--python PATH]``: a script
    run as Python in a child process (core/record)."""
    parser.add_argument("--run", metavar=run_metavar, help=run_help)
    parser.add_argument("--pass", dest="pass_", metavar="K", type=int, help=pass_help)
    parser.add_argument("--timeout", metavar="S", type=float, help=LIMIT_HELP["timeout"])
    parser.add_argument("--memory", metavar="MB", type=int, help=memory_help)
    parser.add_argument("--python", metavar="PATH", help=LIMIT_HELP["python"])


def add_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"Backprop Stepper {__version__}")

"""The headless command line: the lesson's tables, or one JSON object, with no window.

    python main.py --headless [--expr TEXT | --expr-file PATH | --file SESSION.json]
                   [--input NAME=V]... [--param NAME=V]... [--json] [--no-torch]

Exit status: 0 computed (nan included, with a warning), 1 the torch check disagreed,
2 bad input (one ``error: …`` line on stderr, nothing computed), 3 the output could not
be written (one ``error: could not write the output: …`` line). Never imports Qt;
``--no-torch`` never imports torch.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from contextlib import nullcontext

import numpy as np

from core.base.memory import memory_message
from core.base.output import (
    not_written,
    prepare_streams,
    say_error,
    stdout_is_unicode,
    write_stdout,
)
from core.checks.numeric import numeric_gradients
from core.engine.build import build, is_script
from core.engine.forward import parse_seed
from core.engine.graph import Binding
from core.engine.trace import Trace
from core.engine.training import check_iterations, check_learning_rate, train
from core.io.cli_args import (
    PROGRAM_EXAMPLE,
    ArgumentParser,
    add_run,
    add_source,
    add_values,
    add_version,
)
from core.io.examples import LESSON_TEXT, lesson_bindings
from core.io.forward_cli import forward_json, render_forward, run_forward_mode
from core.io.json_result import dumps
from core.io.report import (
    render_tables,
    render_training,
    result_json,
    steps_json,
    training_json,
    update_warnings,
    warnings_of,
)
from core.io.session import load_session
from core.language.draws import forbidden
from core.language.parser import MAX_NAME, ExpressionError, parse_number, short
from core.language.reading import read_program
from core.ninja.run import ninja_answers, ninja_json, read_answers, render_ninja
from core.ninja.walk import RECORDED_LEVEL3

EXIT_OK, EXIT_MISMATCH, EXIT_BAD_INPUT, EXIT_NOT_WRITTEN = 0, 1, 2, 3
SCRIPT_NEEDS_RUN = "this text is a script (def, class, for, while, if or with, or an import " \
                   "other than torch): run it as Python with --run FILE"
DEFAULT_LR = 0.1


def make_parser() -> argparse.ArgumentParser:
    """The headless options around the shared ones (core.io.cli_args)."""
    parser = ArgumentParser(
        prog="main.py --headless",
        description="Step through backpropagation without a window: forward pass, local "
                    "gradients, backward pass, checked against PyTorch. With no program "
                    "text, runs the lesson's example (x = 1, y = 2, w = 1).",
    )
    parser.add_argument("--headless", action="store_true", help=argparse.SUPPRESS)
    add_source(parser, expr_help=f"{PROGRAM_EXAMPLE} (use --expr=TEXT for text starting "
                                 "with '-')")
    add_values(parser, param_help="a parameter (needs a gradient) (repeatable)")
    parser.add_argument("--train", metavar="N", type=int,
                        help="run N iterations of gradient descent (checked against "
                             "torch.optim.SGD)")
    parser.add_argument("--lr", metavar="LR", type=float,
                        help="learning rate; adds the update phase to the steps "
                             f"(default {DEFAULT_LR} with --train)")
    parser.add_argument("--forget-zero-grad", action="store_true",
                        help="with --train: never reset the gradients, as when "
                             "optimizer.zero_grad() is forgotten")
    parser.add_argument("--forward-mode", metavar="NAME",
                        help="forward mode: carry ∂node/∂NAME forward (NAME, NAME[i] or "
                             "NAME[i,j] for one entry), checked against torch forward_ad")
    parser.add_argument("--ninja", metavar="ANSWERS.json",
                        help="grade your own backward pass: a JSON object of node name → "
                             "gradient expression, e.g. {\"s\": \"2 * s\"} (issue 23)")
    parser.add_argument("--ninja-level", metavar="1|2", type=int, choices=(1, 2, 3), default=1,
                        help="with --ninja: 1 every node, 2 softmax + log + nll fused "
                             "(3, training with your gradients, is the window's)")
    add_run(parser, run_metavar="FILE",
            run_help="run a script as Python with real PyTorch and step through what it did "
                     "(the script runs with your permissions)",
            pass_help="with --run or a script's --file SESSION.json: the pass (backward() "
                      "call) to show, from 1",
            memory_help="with --run: stop the script above MB megabytes (default: half the "
                        "machine's)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object (each value and gradient once; torch "
                             "and finite differences as verdicts)")
    parser.add_argument("--json-full", action="store_true",
                        help="--json with every number wherever it applies (much larger)")
    parser.add_argument("--no-torch", action="store_true",
                        help="skip the PyTorch comparison (torch is not imported)")
    add_version(parser)
    return parser


def parse_assignment(item: str, flag: str) -> tuple[str, np.ndarray]:
    name, sep, value = item.partition("=")
    name = name.strip()
    if not sep:
        raise ExpressionError(f"expected NAME=VALUE, got {short(item)!r}", where=flag)
    if not name.isidentifier():
        raise ExpressionError(f"not a valid name: {short(name)!r}", where=flag)
    if len(name) > MAX_NAME:
        raise ExpressionError(f"the name {short(name)!r} is longer than {MAX_NAME} characters",
                              where=flag)
    return name, parse_number(value, f"{flag} {name}")


def load_program(args: argparse.Namespace) -> tuple[str, dict[str, Binding]]:
    """The text and bindings the options describe (the lesson when none are given)."""
    if args.expr is not None:
        text, bindings = args.expr, {}
    elif args.expr_file is not None:
        text, bindings = read_program(args.expr_file), {}
    elif args.file is not None:
        session = load_session(args.file)
        text, bindings = session.text, dict(session.bindings)
    else:
        text, bindings = LESSON_TEXT, lesson_bindings()
    given = (("--input", "data", args.input), ("--param", "parameter", args.param))
    for flag, role, items in given:
        for item in items:
            name, value = parse_assignment(item, flag)
            bindings[name] = Binding(role, value)
    return text, bindings


def refuse_bindings(args: argparse.Namespace) -> None:
    """A script's values come from its own text: flags that would set them are refused
    (they were silently ignored)."""
    for flag, given in (("--input", args.input), ("--param", args.param),
                        ("--forward-mode", args.forward_mode)):
        if given:
            raise ExpressionError("a script takes its values from its own text", where=flag,
                                  hint=f"leave out {flag}, or change the values in the script")


def run(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    args.json = args.json or args.json_full
    if args.run is not None or any(v is not None for v in (args.timeout, args.memory,
                                                           args.python)) \
            or (args.pass_ is not None and args.file is None):
        return _run_script(args)
    try:
        text, bindings = load_program(args)
        if is_script(text):
            return _saved_script(args)
        if args.pass_ is not None:  # a session of a straight-line program has no passes
            raise ExpressionError(f"--pass goes with --run FILE or a script's session "
                                  f"({args.file} holds a program)")
        computed = _compute(args, text, bindings)
    except ExpressionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return _output(args, *computed)


def _saved_script(args: argparse.Namespace) -> int:
    """A script's text: only a saved session of one is printed (its recording, nothing
    run); otherwise the advice to run it with --run. Raises ExpressionError."""
    refuse_bindings(args)  # before the advice to use --run: these flags never apply
    if args.pass_ is not None and args.pass_ < 1:
        raise ExpressionError("--pass counts passes from 1")
    if args.ninja is not None:
        raise ExpressionError("grades a straight-line program (a training script's "
                              "passes: --run FILE --pass K --ninja ANSWERS.json)",
                              where="--ninja")
    if args.file is None:  # a script runs as Python, with --run
        raise ExpressionError(SCRIPT_NEEDS_RUN)
    from core.io.record_session_cli import print_saved  # noqa: PLC0415 - scripts only

    return print_saved(args, load_session(args.file))


def _compute(args: argparse.Namespace, text: str, bindings: dict[str, Binding]) -> tuple:
    """(trace, training run or None, forward-mode seed or None, ninja grades or None) of a
    straight-line program; raises ExpressionError for bad input."""
    learning_rate = args.lr if args.lr is not None else (
        DEFAULT_LR if args.train is not None else None)
    if learning_rate is not None:
        learning_rate = check_learning_rate(learning_rate, "--lr")
    if args.train is not None:
        check_iterations(args.train, "--train")
    with forbidden() if args.no_torch else nullcontext():  # torch.randn needs torch
        trace = build(text, bindings, learning_rate=learning_rate)
    run_ = None
    if args.train is not None:
        run_ = train(trace.graph.program, bindings, learning_rate, args.train,
                     args.forget_zero_grad, check_torch=not args.no_torch)
    if trace.graph.unused_bindings:
        name = trace.graph.unused_bindings[0]
        flag = "--param" if bindings[name].role == "parameter" else "--input"
        raise ExpressionError(f"the program does not use {short(name)} as an input",
                              where=f"{flag} {short(name)}")
    seed = None if args.forward_mode is None else parse_seed(trace.graph, args.forward_mode)
    if args.ninja is not None and args.ninja_level == 3:
        raise ExpressionError("level 3 trains with your gradients in the window's Training "
                              "panel (Step → Ninja Mode)", where="--ninja-level",
                              hint="grade a file of answers with --ninja-level 1 or 2")
    ninja = None if args.ninja is None else ninja_answers(trace, args.ninja, args.ninja_level)
    return trace, run_, seed, ninja


def _output(args: argparse.Namespace, trace: Trace, run_, seed, ninja) -> int:
    """Check, print the warnings and the tables or the JSON; the exit status."""
    numeric = numeric_gradients(trace.graph)  # once: the comparison reuses them
    report = None
    if not args.no_torch:
        from core.checks.torch_check import compare  # noqa: PLC0415 - keeps --no-torch torch-free

        report = compare(trace.graph, trace.grads, numeric=numeric, trace=trace)
    forward = None if seed is None else run_forward_mode(trace.graph, seed, not args.no_torch)
    with np.errstate(all="ignore"):  # an update that overflows is said in words below
        warnings = warnings_of(trace) + update_warnings(trace)
        if report is not None:
            warnings += report.warnings
            if not report.available:  # never only skipped: said in a warning line too
                warnings.append(f"the PyTorch check could not run: {report.error}")
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if args.json or args.json_full:
            result = result_json(trace, numeric, report, full=args.json_full)
            result["warnings"] = warnings
            if run_ is not None:
                result["training"] = training_json(run_)
            if forward is not None:
                result["forward_mode"] = forward_json(*forward)
            if ninja is not None:
                result["ninja"] = ninja_json(ninja)
            text = dumps(result, sum(int(np.size(n.value)) for n in trace.graph.nodes),
                         ensure_ascii=not stdout_is_unicode())
        else:
            text = render_tables(trace, numeric, report)
            if run_ is not None:
                text += render_training(run_)
            if forward is not None:
                text += render_forward(*forward)
            if ninja is not None:
                text += render_ninja(ninja)
    failed = write_stdout(text)
    return _status(report, run_, forward) if failed is None else failed  # exit 3 wins over 1


def _status(report, run_, forward) -> int:
    """1 when torch disagreed anywhere (the check, an iteration, forward mode), else 0."""
    if report is not None and report.available and report.match is False:
        return EXIT_MISMATCH
    if run_ is not None and any(it.torch_match is False for it in run_.iterations):
        return EXIT_MISMATCH
    if forward is not None and forward[3] is not None and forward[3].match is False:
        return EXIT_MISMATCH
    return EXIT_OK


def _run_script(args: argparse.Namespace) -> int:
    """``--run FILE``: core/io/record_cli.py (bad usage is exit 2 before anything runs)."""
    from core.io.record_cli import run_file, usage_error  # noqa: PLC0415 - only for --run

    problem = "--pass, --timeout, --memory and --python go with --run FILE" \
        if args.run is None else usage_error(args)
    if problem is None and (args.expr is not None or args.expr_file or args.file):
        problem = "--run takes no --expr, --expr-file or --file"
    args.ninja_answers = None
    if problem is None and args.ninja is not None:  # read before the script runs
        try:
            args.ninja_answers = read_answers(args.ninja)
        except ExpressionError as exc:
            problem = str(exc)
        args.pass_ = args.pass_ or 1  # the pass graded: kept in full
        if args.ninja_level == 3:
            problem = f"--ninja-level: {RECORDED_LEVEL3}"
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return run_file(args, steps_json)


def out_of_memory() -> int:
    """One ``error:`` line, never a traceback; exit 2 (the program asked too much)."""
    say_error(memory_message())
    return EXIT_BAD_INPUT


def main(argv: Sequence[str] | None = None) -> int:
    prepare_streams()
    try:
        return run(argv)
    except MemoryError:  # numpy's "Unable to allocate …" included; its frames are freed here
        return out_of_memory()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `… | head`: the reader left; not an error of ours
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:  # stderr itself, or a write outside write_stdout
        return not_written(exc)

"""``--self-test``: is this installation (source or bundle) whole? PASS/FAIL per part.

Runs offscreen whatever the machine has: the lesson through the headless engine, the
PyTorch comparison, the finite-difference check, training against torch.optim.SGD,
and the window rendered once on the lesson with its PyTorch panel reaching "all match".
Prints one line per check and a summary; exit 0 only when every check passed.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable

LESSON_VALUES = {"y_hat": 1.0, "s": -1.0, "loss": 1.0}
LESSON_STEP_VALUES = [1.0, -1.0, 1.0, -2.0, 1.0, 1.0, -2.0, -2.0, -2.0]
LESSON_PRINTED = "tensor(1., grad_fn=<PowBackward0>)\ntensor(-2.)\n"


def _lesson():
    from core.engine.trace import build_trace
    from core.io.examples import LESSON_TEXT, lesson_bindings

    return build_trace(LESSON_TEXT, lesson_bindings())


def check_engine() -> str:
    trace = _lesson()
    values = [float(s.value) for s in trace.steps]
    assert values == LESSON_STEP_VALUES, f"step values {values}"
    named = {n.name: float(n.value) for n in trace.graph.nodes if n.name in LESSON_VALUES}
    assert named == LESSON_VALUES, f"values {named}"
    assert float(trace.named_gradients()["w"]) == -2.0
    return "9 steps, ∂loss/∂w = −2"


def check_torch() -> str:
    from core.checks.torch_check import compare

    trace = _lesson()
    report = compare(trace.graph, trace.grads)
    assert report.available, report.error
    assert report.match, f"mismatches: {report.mismatches or report.error}"
    assert report.printed == LESSON_PRINTED, repr(report.printed)
    import torch

    return f"torch {torch.__version__}: all {len(report.rows)} values and gradients match"


def check_numeric() -> str:
    from core.checks.numeric import agrees, numeric_gradients

    trace = _lesson()
    numeric = numeric_gradients(trace.graph)["w"]
    assert numeric is not None and agrees(-2.0, numeric), f"numeric ∂loss/∂w = {numeric}"
    return f"central differences ∂loss/∂w = {float(numeric):.6f}"


def check_training() -> str:
    from core.engine.training import train
    from core.io.examples import LESSON_TEXT, lesson_bindings

    run = train(LESSON_TEXT, lesson_bindings(), 0.1, 5)
    assert run.torch_error is None, run.torch_error
    assert all(it.torch_match for it in run.iterations), "SGD disagrees"
    assert run.losses[-1] < run.losses[0]
    return f"5 iterations match torch.optim.SGD, loss {run.losses[0]:g} → {run.losses[-1]:.4f}"


def check_window() -> str:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    window.model.goto(len(window.model.trace))
    window.start_torch_check()
    panel = window.torch_panel
    loop = QEventLoop()
    panel.statusChanged.connect(
        lambda _text: loop.quit() if panel.status.property("state") != "pending" else None)
    QTimer.singleShot(60_000, loop.quit)
    if panel.status.property("state") == "pending":
        loop.exec()
    app.processEvents()
    image = window.grab().toImage()
    status = panel.status.text()
    app.processEvents()
    labels = window.canvas.visible_labels()
    window.close()
    assert image.width() >= 800 and image.height() >= 600, "window did not render"
    assert "all match" in status, f"PyTorch panel says {status!r}"
    assert "−2" in labels, "the canvas does not show ∂loss/∂w = −2"
    return f"window {image.width()}×{image.height()} rendered, panel: {status}"


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("engine: the lesson's numbers", check_engine),
    ("PyTorch comparison", check_torch),
    ("finite differences", check_numeric),
    ("training vs torch.optim.SGD", check_training),
    ("window renders offscreen", check_window),
]


def run() -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # whatever the machine: no display needed
    from core import __version__

    print(f"Backprop Stepper {__version__} self-test "
          f"({'bundle' if getattr(sys, 'frozen', False) else 'source'}, Python "
          f"{sys.version.split()[0]})")
    failures = 0
    for name, check in CHECKS:
        start = time.perf_counter()
        try:
            detail = check()
            verdict = "PASS"
        except Exception as exc:  # a self-test reports every failure, it does not stop
            failures += 1
            verdict = "FAIL"
            lines = [line for line in str(exc).splitlines() if line.strip()]
            detail = f"{type(exc).__name__}: {lines[-1] if lines else ''}"  # the cause
            if os.environ.get("SELF_TEST_TRACEBACK"):
                traceback.print_exc()
        print(f"{verdict}  {name} ({1000 * (time.perf_counter() - start):.0f} ms): {detail}",
              flush=True)
    passed = len(CHECKS) - failures
    print(f"{'PASS' if not failures else 'FAIL'}: {passed} passed, {failures} failed")
    return 0 if not failures else 1

"""The smoke walk itself, run by tools/xvfb_smoke.py in a child process on an Xvfb
display with QT_QPA_PLATFORM=xcb: the app starts through ``gui.app.main`` exactly as a
user's launch, and a timer drives it with key presses and menu actions.

Each stage waits for what a user would see, with a time limit; a failure prints the
stage and the window's geometry, and the app exits 1.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

STAGE_SECONDS = 20
SCRIPT_SECONDS = 90  # a lesson script waits for the PyTorch worker to draw its numbers
NETWORK = "09-one-layer"
SCRIPT = "12-regression-nn-linear"


class WalkFailed(Exception):
    pass


def _wait(app, condition, seconds: float, what: str) -> None:
    """Process events until ``condition()`` holds; WalkFailed after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise WalkFailed(f"after {seconds:g} s still not: {what}")
        app.processEvents()
        time.sleep(0.02)


def _settle(app, seconds: float = 0.4) -> None:
    """Let the window manager and queued timers finish (resizes arrive in steps)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def _rect(rect) -> str:
    return f"{rect.width()}×{rect.height()}+{rect.x()}+{rect.y()}"


class Walk:
    def __init__(self, app, screen_size, shots: str | None, max_minimum):
        self.app = app
        self.screen_size = screen_size
        self.shots = Path(shots) if shots else None
        self.max_minimum = max_minimum
        self.stage = "start"
        self.window = None
        self.failed = False

    def log(self, text: str) -> None:
        print(f"  [{self.stage}] {text}", flush=True)

    # ---- checks
    def fits(self) -> None:
        """The window and its frame lie on the screen's available area."""
        window = self.window
        area = window.screen().availableGeometry()
        frame = window.frameGeometry()
        self.log(f"window {_rect(window.geometry())}, frame {_rect(frame)}, "
                 f"screen {_rect(area)} (logical)")
        if not area.contains(frame):
            raise WalkFailed(f"the window ({_rect(frame)} with its frame) runs off the screen "
                             f"({_rect(area)})")

    def key(self, key, text: str) -> None:
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        target = QApplication.focusWidget() or self.window
        self.log(f"press {text} (focus: {target.objectName() or type(target).__name__})")
        QTest.keyClick(target, key)
        self.app.processEvents()

    def shot(self, name: str) -> None:
        if self.shots is None:
            return
        panel = self.window.torch_panel  # the PyTorch check on screen, not "loading…"
        try:
            _wait(self.app, lambda: panel.status.property("state") not in (None, "pending"),
                  SCRIPT_SECONDS, "PyTorch has answered")
        except WalkFailed as late:
            self.log(f"(shot taken anyway: {late})")
        _settle(self.app, 0.8)
        width, height = self.screen_size
        path = self.shots / f"{name}-{width}x{height}.png"
        image = self.window.screen().grabWindow(0)
        if not image.save(str(path)):
            raise WalkFailed(f"could not write {path}")
        self.log(f"saved {path}")

    # ---- the stages
    def run(self) -> None:
        try:
            self.walk()
        except WalkFailed as failure:
            self.failed = True
            print(f"FAILED at stage '{self.stage}': {failure}", flush=True)
            if self.window is not None:
                print(f"  window {_rect(self.window.geometry())}, minimum "
                      f"{self.window.minimumSize().toTuple()}, full screen "
                      f"{self.window.isFullScreen()}", flush=True)
            self.app.exit(1)
        except Exception:  # noqa: BLE001 - a crash in the walk is a failed walk, with its trace
            import traceback

            self.failed = True
            print(f"FAILED at stage '{self.stage}' with an exception:", flush=True)
            traceback.print_exc()
            self.app.exit(1)

    def walk(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        app = self.app
        self.stage = "start the app"
        _wait(app, lambda: any(w.objectName() == "mainWindow" and w.isVisible()
                               for w in QApplication.topLevelWidgets()), STAGE_SECONDS,
              "the main window is shown")
        self.window = window = next(w for w in QApplication.topLevelWidgets()
                                    if w.objectName() == "mainWindow")
        _wait(app, lambda: window.windowHandle() is not None and window.windowHandle().isExposed()
              and window._painted, STAGE_SECONDS, "the window is exposed and painted")
        _settle(app)
        minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
        width, height = self.max_minimum
        self.log(f"minimum size {minimum.width()}×{minimum.height()}")
        if minimum.width() > width or minimum.height() > height:
            raise WalkFailed(f"the minimum size {minimum.width()}×{minimum.height()} is more "
                             f"than {width}×{height}")
        self.fits()

        self.stage = "step the lesson"
        window.canvas.setFocus()
        model = window.model
        n = model.length
        for _ in range(n):
            self.key(Qt.Key.Key_Right, "Right")
        _wait(app, lambda: model.position == n, STAGE_SECONDS, f"at step {n} of {n}")
        label = window.step_bar.label.text()
        if f"{n} " not in label:
            raise WalkFailed(f"the step bar reads {label!r} at step {n}")
        self.log(f"step bar: {label}")

        self.stage = "F11 and back"
        before = window.geometry()
        self.key(Qt.Key.Key_F11, "F11")
        screen = window.screen().geometry()
        managed = os.environ.get("XVFB_SMOKE_WM", "none") != "none"
        if managed:
            _wait(app, lambda: window.isFullScreen() and window.geometry() == screen,
                  STAGE_SECONDS, f"full screen ({_rect(screen)}), now {_rect(window.geometry())}")
        else:  # nothing on X carries out a full-screen request without a window manager
            _wait(app, window.isFullScreen, STAGE_SECONDS, "the window asks for full screen")
            self.log("no window manager: full screen asked for, its geometry not checked "
                     "(tools/xvfb_smoke.py --install-missing installs one)")
        if not (window.canvas.isVisible() and window.explanation.isVisible()):
            raise WalkFailed("the graph or the explanation is not shown in F11")
        self.log(f"full screen {_rect(window.geometry())}")
        _settle(app)
        why = window.explanation.verticalScrollBar()
        self.log(f"explanation {window.explanation.width()}×{window.explanation.height()}, "
                 f"hidden below: {why.maximum()} px")
        if managed and screen.height() >= 720 and why.maximum() > 0:
            raise WalkFailed("in F11 the explanation's last line (the why) is cut off: "
                             f"{why.maximum()} px of it scroll")
        self.shot("xvfb-lesson-f11-last-step")
        window.canvas.setFocus()
        self.key(Qt.Key.Key_F11, "F11")
        _wait(app, lambda: not window.isFullScreen() and window.geometry().size() == before.size(),
              STAGE_SECONDS, f"back to {_rect(before)}, now {_rect(window.geometry())}")
        _settle(app)
        self.fits()

        self.stage = "open an example"
        menu = window.examples_menu
        action = next((a for a in menu.actions()
                       if str(a.data() or "").endswith(NETWORK + ".json")), None)
        if action is None:
            raise WalkFailed(f"Examples has no {NETWORK}")
        self.log(f"Examples → {action.text()}")
        action.trigger()
        _wait(app, lambda: (window.title or "").strip() != "" and model.position == 0,
              STAGE_SECONDS, "the example is open at step 0")
        window.canvas.setFocus()
        self.key(Qt.Key.Key_End, "End")
        _wait(app, lambda: model.position == model.length, STAGE_SECONDS, "at the last step")
        self.log(f"{window.windowTitle()}: step {model.position} of {model.length}")
        self.fits()
        self.shot("xvfb-network-last-step")

        if self.shots is not None:
            self.stage = "a lesson script at an iteration"
            runs = model.run
            window.load_example(SCRIPT)  # a lesson of ours runs at once, recorded
            _wait(app, lambda: not runs.is_running() and runs.on_screen and model.length > 0,
                  SCRIPT_SECONDS, "the script has run (PyTorch recorded its passes)")
            runs.goto_pass(3, 0)
            _wait(app, lambda: runs.iteration == 3 and model.length > 0, STAGE_SECONDS,
                  "pass 3 is stepped")
            model.goto_phase("backward")
            _settle(app)
            self.log(f"iteration 3, step {model.position} of {model.length}")
            self.shot("xvfb-script-iteration-3")

        self.stage = "quit"
        window.quit_action.trigger()


def walk(screen_size, shots: str | None, max_minimum) -> int:
    """Start the app as ``main.py`` does and walk it; the exit status."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    runner = Walk(app, screen_size, shots, max_minimum)

    def stuck() -> None:  # the parent's timeout is the backstop; this says where it hung
        print(f"FAILED: the walk hung at stage '{runner.stage}'", flush=True)
        os._exit(1)

    watchdog = QTimer(singleShot=True, interval=140_000)
    watchdog.timeout.connect(stuck)
    watchdog.start()
    QTimer.singleShot(0, runner.run)
    from gui.app import main

    code = main([])
    print(f"  [end] the app exited with {code}", flush=True)
    return 1 if runner.failed or code else 0

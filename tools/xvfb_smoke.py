"""The window on a real X server: a short smoke walk under Xvfb with Qt's xcb platform.

Offscreen rendering hides what a desktop does to the window: the window manager's
sizing, the minimum size against the screen, full screen and back. This walk starts the
app as a user does (``gui.app.main``, QSettings in a throw-away home), steps the
lesson, goes to F11 and back, opens an example and quits, and checks at every stage
that the window fits the screen. With no window manager (none installed, or
``--bare``) nothing carries out F11's full-screen request, so the walk then checks that
the window asked for it, not its geometry; ``--install-missing`` installs openbox when
no window manager is there. It runs once per screen in ``SCREENS`` (one of them
1920×1080 at ``QT_SCALE_FACTOR=2``, i.e. 960×540 logical pixels).

    python tools/xvfb_smoke.py                    # the walk (what .ci/run runs)
    python tools/xvfb_smoke.py --install-missing  # first apt-get install what is missing
    python tools/xvfb_smoke.py --shots docs       # screenshots at 1280×720 and 1920×1080
    python tools/xvfb_smoke.py --bare             # no window manager (F11 geometry unchecked)

Every stage has a time limit; a failure names the stage, what was seen, and the app's
output. Exit 0: all walks passed; 1: a walk failed; 2: no X server to run it on.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: (width, height, QT_SCALE_FACTOR): a projector, a desktop, and a desktop at 200 %
SCREENS = ((1280, 720, 1), (1920, 1080, 1), (1920, 1080, 2))
#: Xvfb and the libraries Qt 6.5+'s xcb plugin loads (README, docs/PITFALLS): without
#: libxcb-icccm4 and libxcb-keysyms1 Qt wrongly blames libxcb-cursor0
PACKAGES = ("xvfb", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1",
            "libxcb-randr0", "libxcb-render-util0", "libxcb-shape0", "libxcb-xfixes0",
            "libxcb-xkb1", "libxkbcommon-x11-0", "libx11-xcb1")
#: a small window manager, so that the walk meets a desktop's sizing (used when present)
WINDOW_MANAGERS = ("openbox", "matchbox-window-manager", "twm")
#: what --install-missing adds when none of them is installed: without a window manager
#: nothing on X carries out a full-screen request, so F11's geometry goes unchecked
WINDOW_MANAGER_PACKAGE = "openbox"
WALK_SECONDS = 150
#: the most a first launch may need, the toolbar included (issue 24)
MAX_MINIMUM = (960, 540)


def say(text: str) -> None:
    print(f"xvfb-smoke: {text}", flush=True)


# ---------------------------------------------------------------- set-up (parent side)
def wanted_packages(search_path: str | None = None) -> list[str]:
    """PACKAGES, and WINDOW_MANAGER_PACKAGE when none of WINDOW_MANAGERS is on the PATH
    (``search_path``: another PATH to look in)."""
    wanted = list(PACKAGES)
    if not any(shutil.which(manager, path=search_path) for manager in WINDOW_MANAGERS):
        wanted.append(WINDOW_MANAGER_PACKAGE)
    return wanted


def missing_packages() -> list[str]:
    """The packages of PACKAGES that dpkg does not know as installed ([] off Debian), and
    a window manager when none of WINDOW_MANAGERS is on the PATH."""
    if shutil.which("dpkg-query") is None:
        return []
    missing = []
    for package in wanted_packages():
        result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package],
                                capture_output=True, text=True, check=False)
        if "install ok installed" not in result.stdout:
            missing.append(package)
    return missing


def install_missing() -> bool:
    """apt-get install what is missing (root only), saying what and why."""
    missing = missing_packages()
    if not missing:
        return True
    say("installing what the real-X walk needs: " + " ".join(missing))
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        say("cannot install them here (needs apt-get as root); run: apt-get install "
            + " ".join(missing))
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]):
        result = subprocess.run(command, env=env, capture_output=True, text=True,
                                timeout=600, check=False)
        if result.returncode != 0:
            say(f"{' '.join(command[:2])} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
            return False
    say("installed: " + " ".join(missing))
    return True


class Display:
    """An Xvfb server on a free display number (``-displayfd``: no guessing, no race),
    with a window manager when one is installed."""

    def __init__(self, width: int, height: int, managed: bool = True):
        self.size = (width, height)
        self.managed = managed
        self.server: subprocess.Popen | None = None
        self.manager: subprocess.Popen | None = None
        self.name = ""

    def __enter__(self) -> Display:
        read, write = os.pipe()
        width, height = self.size
        self.server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24",
             "-nolisten", "tcp", "-noreset"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.close(write)
        number = b""
        deadline = time.monotonic() + 20
        with os.fdopen(read, "rb") as pipe:
            while not number.endswith(b"\n") and time.monotonic() < deadline:
                chunk = pipe.read(1)
                if not chunk:
                    break
                number += chunk
        if not number.strip():
            error = self.server.stderr.read().decode(errors="replace") if self.server.stderr else ""
            self.__exit__(None, None, None)
            raise RuntimeError(f"Xvfb did not start: {error[-1000:]}")
        self.name = f":{number.decode().strip()}"
        for manager in WINDOW_MANAGERS if self.managed else ():
            if shutil.which(manager):
                self.manager = subprocess.Popen([manager], env=dict(os.environ, DISPLAY=self.name),
                                                stdout=subprocess.DEVNULL,
                                                stderr=subprocess.DEVNULL)
                time.sleep(0.5)  # let it take over the root window before the app maps
                break
        return self

    @property
    def manager_name(self) -> str:
        return Path(self.manager.args[0]).name if self.manager else "none"

    def __exit__(self, *_exc) -> None:
        for process in (self.manager, self.server):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(5)
        if self.server is not None and self.server.stderr is not None:
            self.server.stderr.close()  # the pipe Xvfb's errors came through


def run_walk(width: int, height: int, scale: int, shots: str | None,
             managed: bool = True) -> bool:
    """One walk in a child process on its own Xvfb; True if it passed."""
    label = f"{width}×{height}" + (f" at QT_SCALE_FACTOR={scale}" if scale != 1 else "")
    display = Display(width, height, managed)
    with tempfile.TemporaryDirectory(prefix="xvfb-smoke-") as home, display as x:
        env = {k: v for k, v in os.environ.items()
               if k not in ("QT_QPA_PLATFORM", "QT_SCALE_FACTOR", "QT_ENABLE_HIGHDPI_SCALING",
                            "WAYLAND_DISPLAY")}
        env.update(DISPLAY=x.name, QT_QPA_PLATFORM="xcb", HOME=home,
                   XVFB_SMOKE_WM=x.manager_name,
                   XDG_CONFIG_HOME=f"{home}/config", XDG_DATA_HOME=f"{home}/data",
                   XDG_RUNTIME_DIR=home, PYTHONPATH=str(ROOT), LANG="C.UTF-8",
                   LANGUAGE="en")
        if scale != 1:
            env["QT_SCALE_FACTOR"] = str(scale)
        command = [sys.executable, str(Path(__file__).resolve()), "--child",
                   f"--size={width}x{height}"]
        if shots:
            command.append(f"--shots={Path(shots).resolve()}")
        started = time.monotonic()
        try:
            result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True,
                                    timeout=WALK_SECONDS, check=False)
        except subprocess.TimeoutExpired as stopped:
            out = (stopped.stdout or b"").decode(errors="replace") if isinstance(
                stopped.stdout, bytes) else (stopped.stdout or "")
            say(f"FAIL {label}: no result after {WALK_SECONDS} s; the walk's output:\n{out}")
            return False
        seconds = time.monotonic() - started
        passed = result.returncode == 0
        say(f"{'ok  ' if passed else 'FAIL'} {label} (window manager: {x.manager_name}, "
            f"{seconds:.1f} s)")
        if not passed or os.environ.get("XVFB_SMOKE_VERBOSE"):
            print(result.stdout + result.stderr, flush=True)
            if "platform plugin" in result.stderr:
                say("Qt could not load xcb: QT_DEBUG_PLUGINS=1 names the library it misses; "
                    "apt-get install " + " ".join(PACKAGES))
        return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--install-missing", action="store_true",
                        help="apt-get install Xvfb and Qt's xcb libraries when missing")
    parser.add_argument("--bare", action="store_true",
                        help="no window manager even when one is installed (a bare X "
                             "server: full screen is asked for, its geometry not checked)")
    parser.add_argument("--shots", metavar="DIR",
                        help="also save screenshots of the lesson, a network and a script")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", default="1280x720", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        from tools.xvfb_walk import walk

        width, height = (int(v) for v in args.size.split("x"))
        return walk((width, height), args.shots, MAX_MINIMUM)
    if args.install_missing and not install_missing():
        return 2
    if shutil.which("Xvfb") is None:
        say("Xvfb is not installed: apt-get install " + " ".join(PACKAGES)
            + " (or run with --install-missing)")
        return 2
    screens = SCREENS if not args.shots else ((1280, 720, 1), (1920, 1080, 1))
    results = [run_walk(w, h, s, args.shots, not args.bare) for w, h, s in screens]
    say(f"{sum(results)} of {len(results)} walks passed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""A warm process that has imported torch and forks one fresh process per recorded run.

    PYTHON zygote.py            (its stdin is an AF_UNIX SOCK_SEQPACKET socket to the app)

Importing torch costs ~2.3 s of CPU; a fork of a process that already did costs
milliseconds. So does ``torch._dynamo``, which a script's first optimizer imports (2-4 s
more per run otherwise). The zygote runs nothing of the learner's: each request (JSON ``{argv, cwd,
env}`` plus four fds: stdout, stderr, progress, and a status pipe) forks a process G that
becomes ``python argv[1:]`` in its own session, and the zygote writes G's raw wait status
(4 bytes, little-endian) to the status pipe when G ends. The zygote exits at EOF on its
socket (the app went) and by ``PR_SET_PDEATHSIG``. Torch + the standard library only, like
bootstrap.py: it never imports ``core`` (the frozen bundle passes its own ``run_child``).
"""

from __future__ import annotations

import ctypes
import io
import json
import os
import runpy
import select
import signal
import socket
import sys

PR_SET_PDEATHSIG = 1
TOKEN_ENV = "BPS_RUN_TOKEN"
#: the zygote starts with this token in its environment block; each G writes its run's
#: token over it in place, so /proc/PID/environ of G and of its forks carries the token
PLACEHOLDER = "0" * 32
PROGRESS_FD = 3
MAX_REQUEST = 4 * 1024 * 1024


def main(argv: list[str] | None = None, run_child=None) -> int:
    """Serve requests on fd 0 until EOF; ``run_child(argv)`` runs a G's program."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass
    import torch  # noqa: F401,PLC0415 - the point: paid once, before the first fork
    try:   # an optimizer's first construction imports it: 2-4 s of CPU a run, paid here
        import torch._dynamo  # noqa: F401,PLC0415
    except Exception:  # noqa: BLE001 - a torch without it: each run imports what it needs
        pass

    sock_fd = os.dup(0)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.close(null)
    sock = socket.socket(fileno=sock_fd)
    sock.sendall(b"ready")
    serve(sock, run_child or run_path)
    return 0


def serve(sock: socket.socket, run_child) -> None:
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    status_fds: dict[int, int] = {}
    while True:
        ready = select.select([sock, wake_read], [], [])[0]
        if wake_read in ready:
            try:
                while os.read(wake_read, 512):
                    pass
            except BlockingIOError:
                pass
        _reap(status_fds)
        if sock not in ready:
            continue
        message, fds, _, _ = socket.recv_fds(sock, MAX_REQUEST, 4)
        if not message:
            return                          # the app closed its end (or went)
        if len(fds) != 4:
            for fd in fds:
                os.close(fd)
            sock.sendall(json.dumps({"error": "expected 4 fds"}).encode())
            continue
        try:
            pid = os.fork()
        except OSError as exc:
            for fd in fds:
                os.close(fd)
            sock.sendall(json.dumps({"error": str(exc)}).encode())
            continue
        if pid == 0:
            _become_child(message, fds, sock, (wake_read, wake_write), status_fds, run_child)
        for fd in fds[:3]:
            os.close(fd)
        status_fds[pid] = fds[3]
        sock.sendall(json.dumps({"pid": pid}).encode())


def _reap(status_fds: dict[int, int]) -> None:
    """Collect every ended G and write its wait status to its run's status pipe."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        fd = status_fds.pop(pid, None)
        if fd is not None:
            try:
                os.write(fd, status.to_bytes(4, "little"))
            except OSError:
                pass
            os.close(fd)


def _become_child(message, fds, sock, wake_fds, status_fds, run_child) -> None:
    """G: become ``python argv[1:]`` with the request's cwd, env and fds; never return."""
    code = 70
    try:
        request = json.loads(message)
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        _set_fds(fds, sock, wake_fds, status_fds)
        _stamp_token(request["env"].get(TOKEN_ENV, ""))
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        _rebuild_streams()
        _reseed()
        code = _run(run_child, request["argv"])
    except BaseException:  # noqa: BLE001 - G must never return into the zygote's loop
        try:
            sys.excepthook(*sys.exc_info())
        except BaseException:  # noqa: BLE001
            pass
    finally:
        _flush()
        os._exit(code)


def _set_fds(fds, sock, wake_fds, status_fds) -> None:
    """0: /dev/null, 1: stdout, 2: stderr, 3: progress; the zygote's own fds closed."""
    sock.close()
    for fd in (*wake_fds, fds[3], *status_fds.values()):
        os.close(fd)
    null = os.open(os.devnull, os.O_RDONLY)
    import fcntl  # noqa: PLC0415 - stdlib

    high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 64) for fd in (null, *fds[:3])]
    for fd in (null, *fds[:3]):
        os.close(fd)
    for target, fd in enumerate(high):
        os.dup2(fd, target)             # inheritable, like Popen's stdio and pass_fds
        os.close(fd)


def _stamp_token(token: str) -> None:
    if len(token) != len(PLACEHOLDER):
        return
    libc = ctypes.CDLL(None)
    libc.getenv.restype = ctypes.c_void_p
    address = libc.getenv(TOKEN_ENV.encode())
    if address and ctypes.string_at(address) == PLACEHOLDER.encode():
        ctypes.memmove(address, token.encode("ascii"), len(token))


def _rebuild_streams() -> None:
    """What PYTHONUNBUFFERED=1 and PYTHONIOENCODING=utf-8 give a fresh interpreter."""
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(
        io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8")
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(
        io.FileIO(1, "w", closefd=False), encoding="utf-8", write_through=True)
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace",
        write_through=True)


def _reseed() -> None:
    """A fresh process gets fresh seeds; forks of one process would share one."""
    import random  # noqa: PLC0415

    random.seed()
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        numpy_random.seed()


def _run(run_child, argv: list[str]) -> int:
    """Run the program; the exit code as python gives it."""
    import atexit  # noqa: PLC0415

    try:
        run_child(argv)
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc.code)
    except KeyboardInterrupt:          # python's way: the traceback, then death by SIGINT
        sys.excepthook(*sys.exc_info())
        _at_exit(atexit)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
        code = 1
    except BaseException:  # noqa: BLE001 - printed as python prints it
        sys.excepthook(*sys.exc_info())
        code = 1
    _at_exit(atexit)
    return code


def _exit_code(value) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    try:
        sys.stderr.write(f"{value}\n")
    except BaseException:  # noqa: BLE001
        pass
    return 1


def _at_exit(atexit) -> None:
    try:
        import threading  # noqa: PLC0415

        threading._shutdown()           # noqa: SLF001 - join non-daemon threads, as python
    except BaseException:  # noqa: BLE001
        pass
    atexit._run_exitfuncs()             # noqa: SLF001
    _flush()


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001
            pass


def run_path(argv: list[str]) -> None:
    """``python argv[1] argv[2:]``: argv[0] is the interpreter the app asked for."""
    script = argv[1]
    sys.argv = list(argv[1:])
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    sys.exit(main())

"""A script's whole process tree, found and ended from the parent through /proc.

Why /proc and not only the process group: a grandchild that calls ``setsid`` leaves the
group. The parent makes itself a child subreaper (``PR_SET_CHILD_SUBREAPER``), so such
a grandchild, orphaned, is re-parented to the parent instead of to init, and stays
reachable through ppid links. Orphans re-parented to us are told apart from the app's
other children by a token in their environment (inherited through fork and exec).

No cgroup is used: on this machine cgroup v2 is mounted without the memory controller
(``cgroup.controllers`` is empty) and the v1 hierarchy belongs to the sandbox, so the
memory limit is the parent's RSS watch (plus a generous RLIMIT_AS backstop).
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import threading
import time

PR_SET_CHILD_SUBREAPER = 36
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
_subreaper_lock = threading.Lock()
_subreaper_done = False


def become_subreaper() -> bool:
    """Make this process adopt orphaned descendants (once); False where unsupported."""
    global _subreaper_done
    with _subreaper_lock:
        if _subreaper_done:
            return True
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            ok = libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
        except (OSError, AttributeError):
            ok = False
        _subreaper_done = ok
        return ok


def scan() -> dict[int, tuple[int, str, int]]:
    """Every process: pid → (ppid, state letter, RSS in bytes), from /proc/PID/stat."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                raw = f.read()
        except OSError:
            continue
        fields = raw[raw.rfind(b")") + 2:].split()
        try:
            table[int(name)] = (int(fields[1]), fields[0].decode("ascii", "replace"),
                                int(fields[21]) * PAGE_BYTES)
        except (IndexError, ValueError):
            continue
    return table


def has_token(pid: int, token: bytes) -> bool:
    """Whether the process's environment carries this run's token."""
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return token in f.read(1 << 20).split(b"\0")
    except OSError:
        return False


class Tree:
    """The processes of one run: the child, its descendants, and adopted orphans."""

    def __init__(self, root: int, token: bytes, parent: int | None = None):
        """``parent``: the root's parent (this process, or the zygote that forked it);
        orphans are adopted by this process (the subreaper) either way."""
        if root <= 1 or root == os.getpid() or not token:
            raise ValueError(f"not a child's process tree: {root}")
        self.root = root
        self.token = token
        self.me = os.getpid()
        self.parent = self.me if parent is None else parent
        self.seen: set[int] = {root}
        self._not_ours: set[int] = set()

    def members(self, table: dict) -> set[int]:
        """The live (or zombie) members now, following ppid links from the roots."""
        roots = set()
        if table.get(self.root, (None,))[0] in (self.parent, self.me):
            roots.add(self.root)        # still our (or the zygote's) child: not a reused pid
        for pid, (ppid, _, _) in table.items():
            if ppid != self.me or pid == self.root or pid in self._not_ours:
                continue
            if pid in self.seen or has_token(pid, self.token):
                roots.add(pid)
            elif table[pid][1] != "Z":
                self._not_ours.add(pid)
        children: dict[int, list[int]] = {}
        for pid, (ppid, _, _) in table.items():
            children.setdefault(ppid, []).append(pid)
        found, todo = set(), [p for p in roots if p in table]
        while todo:
            pid = todo.pop()
            if pid not in found and pid > 1 and pid != self.me:
                found.add(pid)
                todo.extend(children.get(pid, ()))
        self.seen |= found
        return found

    def rss(self, table: dict) -> int:
        """The summed resident memory of the tree, in bytes."""
        return sum(table[p][2] for p in self.members(table) if table[p][1] != "Z")

    def reap(self, table: dict | None = None) -> None:
        """Collect adopted members that ended (never the root: Popen waits for it)."""
        table = scan() if table is None else table
        for pid in list(self.seen):
            entry = table.get(pid)
            if pid == self.root or entry is None or entry[0] != self.me or entry[1] != "Z":
                continue
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass

    def signal_all(self, sig: int) -> int:
        """Send sig to the root's group and every live member; returns how many."""
        table = scan()
        if (table.get(self.root, (None,))[0] in (self.parent, self.me)
                and self.root != os.getpgrp()):
            try:                        # the root is our child and leads its own group
                if os.getpgid(self.root) == self.root:
                    os.killpg(self.root, sig)
            except (ProcessLookupError, PermissionError):
                pass
        live = [p for p in self.members(table) if table[p][1] != "Z"]
        for pid in live:
            try:
                os.kill(pid, sig)
            except (ProcessLookupError, PermissionError):
                pass
        return len(live)

    def kill(self, grace_s: float = 0.2, give_up_s: float = 3.0) -> None:
        """SIGTERM, a short grace, then SIGKILL until no member is left alive."""
        start = time.monotonic()
        if self.signal_all(signal.SIGTERM):
            while time.monotonic() - start < grace_s:
                time.sleep(0.02)
                table = scan()
                if not any(table[p][1] != "Z" for p in self.members(table)):
                    break
        while time.monotonic() - start < give_up_s:
            if not self.signal_all(signal.SIGKILL):
                break
            time.sleep(0.01)
        self.reap()


def set_address_backstop(pid: int, memory_mb: int) -> None:
    """A generous RLIMIT_AS (torch's OpenMP threads break under a tight one)."""
    limit = max(memory_mb * 4, memory_mb + 16 * 1024) * 1024 * 1024
    try:
        resource.prlimit(pid, resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError):
        pass

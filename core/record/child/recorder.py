"""The recorder: a TorchFunctionMode made of its calls, passes and groups."""

from __future__ import annotations

from torch.overrides import TorchFunctionMode

from .call_recording import CallRecording
from .group_recording import GroupRecording
from .pass_recording import PassRecording
from .script import _progress_fd, _script_shape
from .writer import CountingOut, Writer


class Recorder(CallRecording, PassRecording, GroupRecording, TorchFunctionMode):
    """The mode: every call the script makes, a node; every backward(), a pass."""

    def __init__(self, path: str, writer: Writer, keep: set[int], out: CountingOut):
        super().__init__()
        self.path, self.writer, self.keep, self.out = path, writer, keep, out
        self.names: dict = {}
        self.epoch, self.tape = 0, []
        #: id(leaf) -> (weakref, hook handle): one hook per leaf for the whole run, which
        #: hands its gradient to the leaf's node of the running pass (``leaf_nodes``)
        self.leaf_hooks: dict = {}
        self.leaf_nodes: dict = {}
        #: a pass no --keep asks for takes its leaves' gradients from their .grad after
        #: backward() (held, autograd copies each gradient into .grad): ``lazy_keys`` the
        #: leaves whose hook saw .grad empty; ``shared`` the storages of those .grad
        #: (storage pointer -> node), copied before anything changes them in place
        self.lazy_pass, self.lazy_keys, self.shared = False, [], {}
        self.muted, self.script_globals = 0, None
        self.passes: list[dict] = []
        self.pending = None  # the last pass, written when the next one ends or at exit
        self.zero_events: list[dict] = []
        self.forward_count, self.last_progress = 0, 0.0
        self.held = 0  # bytes this pass holds (copies and references)
        self.copies: dict = {}  # id(leaf) -> (weakref, version, copy): reused while unchanged
        self.targets, self.loops = _script_shape(path)
        #: a forward-only script's groups: one per iteration of its outer loop (sys.settrace
        #: sees the loop's header line; only until the first backward())
        self.groups: list[dict] = []
        self.group_pending, self.group_files = None, []
        self.loop = None  # [header line, script depth, frame, first, last, iteration]
        self.label = (None, None)  # the running group's (iteration, loop line)
        self.group_count = 0
        self.tracing = False
        self.progress = _progress_fd()
        self.module_key, self.module_walk = None, ({}, [])
        self.switches: list = []  # _off() entered by step_pre, left by step_post

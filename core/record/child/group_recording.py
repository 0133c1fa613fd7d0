"""The recorder's groups: a forward-only script's calls, one group per iteration of its
outer loop (sys.settrace sees the loop's header line; only until the first backward())."""

from __future__ import annotations

import json
import os
import sys

from .tape import MAX_GROUPS


class GroupRecording:
    """The groups' part of :class:`~.recorder.Recorder` (its state is set there)."""

    def trace_call(self, frame, event, arg):  # sys.settrace: the script's frames only
        return self.trace_line if frame.f_code.co_filename == self.path else None

    def trace_line(self, frame, event, arg):
        loop = self.loop
        if event == "line":
            line = frame.f_lineno
            if line in self.loops:
                self.loop_header(frame, line)
            elif loop is not None and loop[2] is frame and not loop[3] <= line <= loop[4]:
                self.loop = None  # left the loop (its end, or break)
                self.new_group(None)
        elif event == "return" and loop is not None and loop[2] is frame:
            self.loop = None
            self.new_group(None)
        return self.trace_line

    def loop_header(self, frame, line) -> None:
        """A loop's header line ran: the loop's next iteration starts (the outermost loop
        running in the script counts; a loop in a function it calls does not)."""
        depth, f = 0, frame
        while f is not None:
            depth += f.f_code.co_filename == self.path
            f = f.f_back
        loop = self.loop
        if loop is not None and loop[0] == line and loop[2] is frame:
            loop[5] += 1
        elif loop is None or depth <= loop[1]:
            first, last = self.loops[line]
            loop = self.loop = [line, depth, frame, first, last, 1]
        else:
            return
        self.new_group(loop[5])

    def new_group(self, label) -> None:
        """The running group ends (if it holds an op) and the next is ``label``'s."""
        if self.passes or not self.tracing:
            return
        if any(n.kind == "operation" for n in self.tape):
            self.muted += 1  # writing a group: the recorder's own torch calls
            try:
                self.finish_group()
            finally:
                self.muted -= 1
        self.label = (label, self.loop[0] if self.loop is not None and label else None)

    def finish_group(self, last: bool = False) -> None:
        self.group_count += 1
        index = self.group_count
        ops = [n for n in self.tape if n.kind == "operation"]
        read = [n for n in ops if n.read]
        record = {"index": index, "loss": None, "nodes": self.tape,
                  "root": (read or ops)[-1], "before": {}, "optimizer": None,
                  "zero_grad": [], "stdout_bytes_start": self.tape[0].stdout,
                  "stdout_bytes_end": self.out.count}
        if index in self.keep:  # named now, while the script's variables hold its tensors
            self.name_nodes(self.tape)
        self.flush_group()
        self.group_pending = record
        if len(self.groups) < MAX_GROUPS:
            self.groups.append({"index": index, "iteration": self.label[0],
                                "line": self.label[1], "nodes": len(ops), "read": len(read),
                                "kept": False, "stdout_bytes": self.out.count})
        self.epoch += 1
        self.tape, self.held, self.leaf_nodes = [], 0, {}
        self.emit({"event": "group", "index": index, "iteration": self.label[0],
                   "line": self.label[1], "nodes": len(ops), "read": len(read),
                   "stdout_bytes": self.out.count})
        if last:
            self.flush_group(last=True)

    def flush_group(self, last: bool = False) -> None:
        record, self.group_pending = self.group_pending, None
        if record is None or record["index"] not in self.keep and not last:
            return
        if record["index"] > MAX_GROUPS or not self.writable(record):
            return
        if last and record["index"] not in self.keep:
            self.name_nodes(record["nodes"])
        name = f"forward-{record['index']:06d}.json"
        self.writer.packed(name, lambda: self.pass_json(record))
        self.group_files.append(name)
        self.groups[record["index"] - 1]["kept"] = True

    def start_groups(self) -> None:
        """Group by the outer loop's iterations (a script with a loop, and no other tracer
        such as a debugger: the recorder never takes its place)."""
        if self.loops and sys.gettrace() is None:
            self.tracing = True
            sys.settrace(self.trace_call)

    def stop_groups(self, drop: bool) -> None:
        """No more groups: at the first backward() (its passes are the recording: the
        groups written so far go) or at the end."""
        if self.tracing and sys.gettrace() == self.trace_call:
            sys.settrace(None)
        self.tracing, self.loop = False, None
        if drop:
            self.groups, self.group_pending = [], None
            for name in self.group_files:
                try:
                    os.remove(os.path.join(self.writer.folder, name))
                except OSError:
                    pass
            self.group_files = []

    def emit(self, event: dict) -> None:
        if self.progress is None:
            return
        try:
            os.write(self.progress, (json.dumps(event) + "\n").encode())
        except (OSError, ValueError):
            self.progress = None

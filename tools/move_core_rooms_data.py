"""The table tools/move_core_into_rooms.py moves by: module → room, each room's docstring,
and the import-linter contract over the rooms (issue 18).

Rooms, bottom to top; each imports only the rooms below it:
base ← ops ← language ← engine ← checks ← ninja ← record ← io, and drawing beside io
at the top (it draws the engine's graph, and only gui imports it).

Where this departs from the issue's target, and why (measured on the imports):
- ``output`` (writing to stdout without tracebacks) is in base, not io: it imports
  nothing, and the recorder's and ninja's command lines write with it too.
- ``reading`` (the one bounded file reader) is in language, not io: it imports only the
  language's limits, and ninja reads answer files with it.
- ``record/cli.py`` and ``record/session_cli.py`` move to io (``record_cli``,
  ``record_session_cli``): they are the recorder's command line and import io's report;
  the rest of record/ stays below io, as ARCHITECTURE.md places it.
- drawing imports engine's graph, so it cannot sit beside engine as an independent layer:
  it is at the top beside io, which also says that nothing in core imports it.
- ninja (the learner writes the gradients) uses engine and training; io's command line
  and the recorder's show its grades, so it sits between checks and record.
"""

from __future__ import annotations

#: room → the top-level core modules it takes (names not there yet are expected from
#: work in flight: build, agreement, whatif, …; they move when they exist)
ROOMS: dict[str, tuple[str, ...]] = {
    "base": ("values", "errors", "format", "did_you_mean", "cancel", "memory", "output",
             "agreement"),
    "language": ("language", "calls", "call_spellings", "ir", "draws", "program",
                 "reading", "declarations"),
    "engine": ("graph", "node_names", "backprop", "steps", "trace", "explain", "expand",
               "expand_conv", "forward", "training", "quiz", "build", "whatif",
               "forward_pass", "optimizer_step", "backward_steps", "graph_nodes"),
    "checks": ("torch_check", "numeric", "rounding", "forward_torch", "training_torch",
               "torch_code"),
    "io": ("session", "cli", "cli_args", "report", "worker", "examples", "forward_cli",
           "json_result"),
    "drawing": ("layout", "labels"),
}
#: core/language.py gives its name to its room: it becomes core/language/parser.py
RENAMED = {"language": "parser"}
#: submodules of an existing room that move to another one
MOVED_SUBMODULES = {"core.record.cli": "core.io.record_cli",
                    "core.record.session_cli": "core.io.record_session_cli"}
#: top-level modules that stay (the interpreter's core/script*.py and loop_trace.py stayed
#: here until the recorder retired them, issue 20 §4)
STAY = {"__init__"}
#: a top-level module the table does not name, by its name (checked in this order)
NAME_RULES = ((r"_cli$", "io"),
              (r"_torch$", "checks"),
              (r"^(steps|trace|graph|backprop|expand|explain|forward)_|_steps?$", "engine"),
              (r"^(language|parser|calls|ir)_", "language"),
              (r"^(cli|worker|session|report)_", "io"),
              (r"^torch_", "checks"),
              (r"^(layout|labels)_", "drawing"))
#: every room, bottom to top (ops, ninja and record exist already)
ROOM_ORDER = ("base", "ops", "language", "engine", "checks", "ninja", "record", "io",
              "drawing")

DOCS = {
    "base": """What every room stands on: values and their shapes (``values``), the one error
with a line, a column and a hint (``errors``), number formatting (``format``), "did you
mean" (``did_you_mean``), cooperative cancellation (``cancel``), the out-of-memory
message (``memory``) and writing to stdout without tracebacks (``output``).

May import: the standard library and numpy only; nothing else from core/.
""",
    "language": """The text the learner writes, read without running it: the ``ast``
whitelist parser (``parser``), the function and method spellings (``calls``,
``call_spellings``), the parsed program (``ir``), the numbers a script draws (``draws``),
a program with its bound values (``program``: ``Program``, ``Binding``, ``ROLES``) and the
one bounded file reader (``reading``).

May import: core/base/ and core/ops/.
""",
    "engine": """From a parsed program to a steppable trace: the graph with its forward
values (``graph``, ``node_names``), the one reversed loop (``backprop``), the steps and
the trace (``steps``, ``trace``), the explanations (``explain``), a gradient entry spelled
out (``expand``, ``expand_conv``), forward mode (``forward``), training (``training``)
and the quiz (``quiz``).

May import: core/base/, core/ops/, core/language/. Never torch at import time.
""",
    "checks": """Ours against torch and against numbers: building the graph in torch and
comparing (``torch_check``), numeric gradients (``numeric``), the float32 tolerance of
recorded passes (``rounding``) and forward mode against torch (``forward_torch``).

May import: core/base/, core/ops/, core/language/, core/engine/. Torch only inside
functions.
""",
    "io": """The edges of the engine: the command line (``cli``, ``forward_cli``,
``record_cli``, ``record_session_cli``) and its tables and JSON (``json_result``), the
torch worker process (``worker``), sessions on disk (``session``) and the lesson's
example (``examples``).

May import: every room of core below it (base, ops, language, engine, checks, ninja,
record). Nothing in core imports io; gui and main.py may.
""",
    "drawing": """Where the graph's boxes and labels go: the layout of a graph
(``layout``) and the placement rules of its labels (``labels``). Plain Python.

May import: core/base/, core/engine/ (the graph it lays out). Only gui imports this room.
""",
}

#: the sentence added to an existing room's docstring that does not say it yet
MAY_IMPORT = {
    "ops": "May import: core/base/ only (the registry is below the language).",
    "ninja": "May import: core/base/, core/ops/, core/language/, core/engine/, core/checks/.",
    "record": "May import: every room below io (base, ops, language, engine, checks, ninja).",
}

CONTRACT_NAME = "core's rooms by layer (issue 18)"
CONTRACT = f"""[[tool.importlinter.contracts]]
name = "{CONTRACT_NAME}"
type = "layers"
containers = ["core"]
# bottom: base ← ops ← language ← engine ← checks ← ninja ← record ← io; drawing beside
# io at the top (it imports engine's graph, and nothing in core imports it).
layers = [
    "io | drawing",
    "record",
    "ninja",
    "checks",
    "engine",
    "language",
    "ops",
    "base",
]
"""
#: upward imports known today, ignored by the contract only while they exist:
#: (importer, imported, why)
DEBTS = (
    ("core.engine.forward", "core.checks.torch_check",
     "compare_modes takes torch_check.same: cut when base holds the one tolerance"),
    ("core.engine.training", "core.checks.torch_check",
     "train(check_torch=True) runs torch: cut when checks/training_torch does"),
)

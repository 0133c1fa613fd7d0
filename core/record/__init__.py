"""The recorder: a learner's script runs as Python in a child process with real torch,
and what torch did becomes the trace the window steps.

- ``bootstrap.py`` runs in the script's process: torch and the standard library only,
  run by path (never imports ``core``, ``gui`` or numpy); its parts are the package
  ``child/``, which it loads by path under a private name.
- ``recording.py`` reads back what it wrote (bounded reads, no pickle);
  ``calls.py`` maps torch's calls to registry ops; ``to_trace.py`` builds the graph and
  the Trace; ``check.py`` holds our rules against torch's numbers; ``cli.py`` is
  ``--headless --run``. ``runner.py`` (with ``proctree.py`` and ``streams.py``: the parent's process
  control, limits and bounded output) starts the child.

May import core.ops, core.engine.graph, core.engine.trace, core.engine.backprop, core.engine.steps,
core.base.values, core.checks.rounding, core.engine.optimizer_step and core.base.format (below it).
Nothing in core imports core.record except core/io/cli.py; gui may.
"""

"""Ninja mode: the learner writes every gradient of the backward pass as an expression.

What lives here (plain Python + numpy, no Qt): :mod:`~core.ninja.answers` reads an answer
with the programs' ``ast`` whitelist (never run as Python); :mod:`~core.ninja.evaluate`
computes it with the engine's op forwards; :mod:`~core.ninja.grade` compares it with the
engine's gradient (exact, close, max difference, shape); :mod:`~core.ninja.hints` finds
the mistake; :mod:`~core.ninja.rules` writes our own expression for a node (Show answer);
:mod:`~core.ninja.walk` is the walk with its levels and score; :mod:`~core.ninja.run`
grades an answers file for the command line; :mod:`~core.ninja.train` is level 3.
It may import the engine (core.engine.graph, core.engine.trace, core.ops …), never gui.
"""

"""The edges of the engine: the command line (``cli``, ``forward_cli``,
``record_cli``, ``record_session_cli``) and its tables and JSON (``json_result``), the
torch worker process (``worker``), sessions on disk (``session``) and the lesson's
example (``examples``).

May import: every room of core below it (base, ops, language, engine, checks, ninja,
record). Nothing in core imports io; gui and main.py may.
"""

"""The text the learner writes, read without running it: the ``ast``
whitelist parser (``parser``) and its words (``words``: reserved names, modules,
operators, the constructs it refuses), the function and method spellings (``calls``,
``call_spellings``), the parsed program (``ir``), the numbers a script draws (``draws``),
a program with its bound values (``program``: ``Program``, ``Binding``, ``ROLES``) and the
one bounded file reader (``reading``).

May import: core/base/ and core/ops/.
"""

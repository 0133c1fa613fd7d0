"""The text the learner writes, read without running it: the ``ast``
whitelist parser (``parser``), the function and method spellings (``calls``,
``call_spellings``), the parsed program (``ir``), the numbers a script draws (``draws``),
a program with its bound values (``program``: ``Program``, ``Binding``, ``ROLES``), the
one bounded file reader (``reading``) and what a script's ``print`` shows (``printing``).

May import: core/base/, core/ops/, and until the recorder retires them core/script*.py.
"""

"""What every room stands on: values and their shapes (``values``), the one error
with a line, a column and a hint (``errors``), number formatting (``format``), "did you
mean" (``did_you_mean``), cooperative cancellation (``cancel``), the out-of-memory
message (``memory``) and writing to stdout without tracebacks (``output``).

May import: the standard library and numpy only; nothing else from core/.
"""

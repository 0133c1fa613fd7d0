"""The engine: text → graph → step trace → checks. Plain Python, numpy and networkx.

Nothing here imports Qt, and torch is imported only when a comparison runs.
"""

__version__ = "0.1.0"

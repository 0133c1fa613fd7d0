"""Where the graph's boxes and labels go: the layout of a graph
(``layout``) and the placement rules of its labels (``labels``). Plain Python.

May import: core/base/, core/engine/ (the graph it lays out). Only gui imports this room.
"""

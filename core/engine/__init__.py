"""From a parsed program to a steppable trace: the graph with its forward
values (``graph``, ``node_names``), the one reversed loop (``backprop``), the steps and
the trace (``steps``, ``trace``), the explanations (``explain``), a gradient entry spelled
out (``expand``, ``expand_conv``), forward mode (``forward``), training (``training``)
and the quiz (``quiz``).

May import: core/base/, core/ops/, core/language/. Never torch at import time.
"""

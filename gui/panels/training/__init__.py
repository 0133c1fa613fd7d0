"""The Training panel: one row per ``backward()`` pass, its loss plot and the iteration box.

``panel`` is the dock, ``rows`` turns passes into table rows, ``plot`` draws the loss and
parameters, and ``iteration_selector`` is the box (Ctrl+] / Ctrl+[) that picks a pass.
"""

"""The Forward-mode panel and its What if slider: the tangent pass beside the backward one.

``panel`` is the dock (tangent tables, seed choice, the mode's actions); ``whatif`` is the
session that moves one input and recomputes the trace, shared with the editor's row.
"""

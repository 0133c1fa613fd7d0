"""Ours against torch and against numbers: building the graph in torch and
comparing (``torch_check``), numeric gradients (``numeric``), the float32 tolerance of
recorded passes (``rounding``) and forward mode against torch (``forward_torch``).

May import: core/base/, core/ops/, core/language/, core/engine/. Torch only inside
functions.
"""

"""The convolution, pooling, activation and dropout calls (issue 22's ops) as registry steps:
``F.conv2d`` (also from ``nn.Conv2d``) is ``conv2d``, ``nn.MaxPool2d`` is ``max_pool2d``,
``nn.LeakyReLU`` is ``leaky_relu``, ``nn.Dropout`` is ``dropout`` with the mask the
recorder caught where torch drew it. An argument our op does not take (dilation, groups,
ceil_mode, a divisor_override, padding="same") leaves the call torch's rule.
"""

from __future__ import annotations

#: each call's arguments after the input, in torch's order, with torch's defaults
SIGNATURES = {
    "conv2d": (("weight", None), ("bias", None), ("stride", 1), ("padding", 0),
               ("dilation", 1), ("groups", 1)),
    "max_pool2d": (("kernel_size", None), ("stride", None), ("padding", 0),
                   ("dilation", 1), ("ceil_mode", False), ("return_indices", False)),
    "avg_pool2d": (("kernel_size", None), ("stride", None), ("padding", 0),
                   ("ceil_mode", False), ("count_include_pad", True),
                   ("divisor_override", None)),
    "leaky_relu": (("negative_slope", 0.01), ("inplace", False)),
    "elu": (("alpha", 1.0), ("inplace", False)),
    "softplus": (("beta", 1.0), ("threshold", 20.0)),
    "gelu": (("approximate", "none"),),
    # "mask": the recorder's data leaf for the mask torch drew (none: torch's rule)
    "dropout": (("p", 0.5), ("training", True), ("inplace", False), ("mask", None)),
}
#: arguments that must stay at torch's default for our op to be torch's
FIXED = {"dilation": 1, "groups": 1, "ceil_mode": False, "return_indices": False,
         "divisor_override": None}


def _value(item):
    """A recorded argument: ("node", id) for a tensor, else the constant (a list as a
    tuple); ``...`` for anything else."""
    if isinstance(item, bool) or not isinstance(item, (int, dict)):
        return ...
    if isinstance(item, int):
        return ("node", item)
    if "node" in item and isinstance(item["node"], int):
        return ("node", item["node"])
    if "const" in item:
        value = item["const"]
        return tuple(value) if isinstance(value, list) else value
    return ...


def _bound(name: str, inputs: list, kwargs: dict) -> dict | None:
    """The call's arguments by name (torch's defaults filled in), or None."""
    names = SIGNATURES[name]
    if len(inputs) > len(names) + 1 or kwargs.keys() - {n for n, _ in names}:
        return None
    given = {n: d for n, d in names}
    for (n, _), item in zip(names, inputs[1:], strict=False):
        given[n] = _value(item)
    for n, item in kwargs.items():
        # a keyword's tensor is {"node": id}; its plain ints are numbers
        given[n] = _value(item) if isinstance(item, dict) else \
            tuple(item) if isinstance(item, list) else item
    if any(v is ... for v in given.values()):
        return None
    if any(given.get(k, v) not in (v, (v, v)) for k, v in FIXED.items()):
        return None
    return given


def _size(value) -> bool:
    """An int or a pair of ints (what conv2d and the pools take)."""
    if isinstance(value, tuple):
        return len(value) == 2 and all(_size(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool)


def map_nn(base: str, inputs: list, kwargs: dict):
    """(registry key, [input args], attrs) for one of SIGNATURES' calls, or None."""
    if base not in SIGNATURES or not inputs or not isinstance(inputs[0], int) \
            or isinstance(inputs[0], bool):
        return None
    given = _bound(base, inputs, kwargs)
    if given is None:
        return None
    if base == "conv2d":
        weight, bias = given["weight"], given["bias"]
        if not (isinstance(weight, tuple) and weight[:1] == ("node",)) \
                or not all(_size(given[k]) for k in ("stride", "padding")):
            return None
        args = [inputs[0], weight[1]]
        if bias is not None:
            if not (isinstance(bias, tuple) and bias[:1] == ("node",)):
                return None
            args.append(bias[1])
        return "conv2d", args, {"stride": given["stride"], "padding": given["padding"],
                                "biased": bias is not None}
    if base in ("max_pool2d", "avg_pool2d"):
        stride = given["stride"] if given["stride"] not in ((), None) else None
        if not _size(given["kernel_size"]) or not _size(given["padding"]) \
                or stride is not None and not _size(stride):
            return None
        attrs = {"kernel_size": given["kernel_size"], "stride": stride,
                 "padding": given["padding"]}
        if base == "avg_pool2d":
            if not isinstance(given["count_include_pad"], bool):
                return None
            attrs["count_include_pad"] = given["count_include_pad"]
        return base, [inputs[0]], attrs
    if base == "dropout":
        mask, p = given["mask"], given["p"]
        if not (isinstance(mask, tuple) and mask[:1] == ("node",)) or given["inplace"] \
                or given["training"] is not True or not isinstance(p, (int, float)) \
                or not 0.0 < p < 1.0:
            return None
        return "dropout", [inputs[0], mask[1]], {"p": p, "training": True}
    attrs = {k: v for k, v in given.items() if k != "inplace"}
    if base == "gelu" and attrs["approximate"] not in ("none", "tanh") or base != "gelu" \
            and not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                        for v in attrs.values()):
        return None
    return base, [inputs[0]], attrs

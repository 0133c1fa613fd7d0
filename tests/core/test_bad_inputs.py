"""Bad program text: one clear ExpressionError each, with a place, capped, fast, nothing run.

Every case goes through the whole front end (``build_trace``: parse, then the graph),
the way the app and the CLI use it.
"""

from __future__ import annotations

import builtins
import os
import sys
import time

import pytest

from core.engine.trace import build_trace
from core.language.parser import FUNCTIONS, MAX_MESSAGE, ExpressionError, parse

W = "w = param(1.0)\n"
ANY = object()  # a location is expected, its exact column is not the point
MAYBE = object()  # depends on the Python version (SyntaxError or ValueError/RecursionError)

#: (id, text, line, column, a fragment the message must contain); line None = no location
BAD = [
    # syntax
    ("incomplete", "y = w +", 1, 8, "syntax error"),
    ("never-closed", W + "y = (w + 1", 2, 5, "never closed"),
    ("unmatched", W + "y = w)", 2, 6, "unmatched ')'"),
    ("implicit-product", W + "y = 2w", 2, 5, "write 2 * x for a product"),
    ("caret-power", W + "y = w ^ 2", 2, 5, "use ** for powers"),
    ("caret-in-syntax-error", W + "y = w ^", 2, ANY, "use ** for powers"),
    ("times-sign", W + "y = w × 2", 2, 7, "invalid character '×'"),
    ("unicode-minus", W + "y = w − 1", 2, 7, "invalid character '−'"),
    ("indent", W + "  y = w", 2, ANY, "unexpected indent"),
    ("indent-later", W + "y = w\n  z = 1", 3, ANY, "unexpected indent"),
    ("dangling-power", W + "y = w ** ", 2, ANY, "syntax error"),
    ("power-assign", W + "y = w **= 2", 2, ANY, "syntax error"),
    ("backslash-eof", W + "y = w\n\\", 3, ANY, "syntax error"),
    ("assign-to-none", "None = 1", 1, ANY, "syntax error"),
    ("null-byte", "y = w\x00", MAYBE, MAYBE, "null"),
    ("null-byte-middle", W + "y = w\x00 * 2", MAYBE, MAYBE, "null"),
    ("huge-int-literal", "x = 1" + "0" * 5000 + "\ny = x * 2", MAYBE, MAYBE, "digits"),
    # unknown names and functions
    ("unknown-name", W + "y = w * zz", 2, 9, "give zz a value"),
    ("unknown-backward", W + "zz.backward()", 2, 1, "unknown name 'zz'"),
    ("unknown-function", W + "y = foo(w)", 2, 5, "unknown function 'foo'"),
    ("unknown-torch-function", W + "y = torch.foo(w)", 2, 5, "unknown function 'foo'"),
    ("unknown-method", W + "y = w.foo()", 2, 5, "unknown function 'foo'"),
    ("numpy-call", W + "y = np.exp(w)", 2, 5, "np.exp is not supported"),
    ("dunder-import", "__import__('os')", 1, 1, "unknown function '__import__'"),
    ("dunder-import-assigned", W + "y = __import__('os').system('true')", 2, 5,
     "unknown function"),
    ("eval", W + "y = eval('w')", 2, 5, "unknown function 'eval'"),
    ("exec", W + "y = exec('1')", 2, 5, "unknown function 'exec'"),
    ("open-file", W + "y = open('/tmp/backprop-stepper-must-not-exist', 'w')", 2, 5,
     "unknown function 'open'"),
    ("print-as-value", W + "y = print(w)", 2, 5, "unknown function 'print'"),
    ("call-a-call", W + "y = exp(w)(w)", 2, 5, "only named functions can be called"),
    ("function-as-value", W + "y = exp", 2, 5, "is a function, not a value"),
    ("torch-as-value", W + "y = torch", 2, 5, "not a value"),
    ("reserved-target", W + "exp = 1", 2, 1, "reserved name"),
    ("very-long-unknown-name", W + "y = " + "zz" * 1000, 2, 5, "longer than 100 characters"),
    ("long-unknown-name", W + "y = " + "zz" * 50, 2, 5, "give zz"),
    # unsupported constructs
    ("for", W + "for i in range(3):\n    y = w", 2, 1, "a for loop is not supported"),
    ("while", W + "while w:\n    y = w", 2, 1, "a while loop is not supported"),
    ("if", W + "if w:\n    y = w", 2, 1, "an if statement is not supported"),
    ("def", W + "def f():\n    return w", 2, 1, "a function definition is not supported"),
    ("class", W + "class A:\n    pass", 2, 1, "a class definition is not supported"),
    ("lambda", W + "f = lambda q: q", 2, 5, "a lambda is not supported"),
    ("conditional", W + "y = w if w else 1", 2, 5, "a conditional expression"),
    ("comparison", W + "y = w < 2", 2, 5, "a comparison is not supported"),
    ("indexing", W + "y = w[0]", 2, 5, "indexing is not supported"),
    ("slicing", W + "y = w[0:1]", 2, 5, "indexing is not supported"),
    ("import-os", "import os", 1, 1, "only 'import torch' is allowed"),
    ("import-os-later", W + "import os\ny = w * 2", 2, 1, "only 'import torch' is allowed"),
    ("import-as", W + "import numpy as np", 2, 1, "only 'import torch'"),
    ("import-torch-as", "import torch as t\n" + W + "y = w * 2", 1, 1, "only 'import torch'"),
    ("from-import", "from os import path", 1, 1, "'from … import' is not supported"),
    ("grad-alone-last", W + "w.grad", 2, 1, "'.grad' is not supported"),
    ("grad-alone-middle", W + "w.grad\ny = w * 2", 2, 1, "does not name it"),
    ("grad-as-value", W + "y = w.grad", 2, 5, "'.grad' is not supported"),
    ("assign-to-attribute", W + "w.grad = 1", 2, 1, "assign to one plain name"),
    ("attribute-T", W + "y = w.T", 2, 5, ".T takes a 2-D tensor"),
    ("attribute-other", W + "y = w.H", 2, 5, "'.H' is not supported"),
    ("method-not-called", W + "y = w.exp", 2, 5, "methods must be called"),
    ("tuple-target", W + "a, b = 1, 2", 2, 1, "assign to one plain name"),
    ("chained-assign", W + "a = b = w", 2, 1, "assign to one plain name"),
    ("annotated", W + "y: float = w", 2, 1, "annotated assignment"),
    ("del", W + "del w", 2, 1, "del is not supported"),
    ("global", W + "global w", 2, 1, "global is not supported"),
    ("assert", W + "assert w", 2, 1, "assert is not supported"),
    ("raise", W + "raise w", 2, 1, "raise is not supported"),
    ("pass", W + "pass", 2, 1, "pass is not supported"),
    ("return", W + "return w", 2, 1, "return is not supported"),
    ("with", W + "with w:\n    pass", 2, 1, "a with block"),
    ("try", W + "try:\n    pass\nexcept Exception:\n    pass", 2, 1, "a try block"),
    ("yield", W + "yield w", 2, 1, "yield is not supported"),
    ("await", W + "y = await w", 2, 5, "await is not supported"),
    ("match", W + "match w:\n    case 1:\n        pass", 2, 1, "match is not supported"),
    ("async-def", W + "async def f():\n    pass", 2, 1, "not supported"),
    ("walrus", W + "y = (q := w)", 2, 6, "':=' is not supported"),
    ("list-comprehension", W + "y = [i for i in w]", 2, 5, "a list comprehension"),
    ("f-string", W + "y = f'{w}'", 2, 5, "an f-string is not supported"),
    ("dict", W + "y = {1: w}", 2, 5, "a dictionary is not supported"),
    ("set", W + "y = {w}", 2, 5, "a set is not supported"),
    ("tuple", W + "y = (w, w)", 2, 5, "a tuple is not supported"),
    ("bare-expression-not-last", W + "w * 2\ny = w * 3", 2, 1, "does not name it"),
    ("backward-on-expression", W + "(w * 2).backward()", 2, ANY, "call .backward() on a named"),
    ("backward-with-keyword", W + "w.backward(retain_graph=True)", 2, ANY, "keyword"),
    # operators and values
    ("floor-division", W + "y = w // 2", 2, 5, "use / for division"),
    ("modulo", W + "y = w % 2", 2, 5, "'%' is not supported"),
    ("matmul", W + "y = w @ w", 2, 5, "a matrix product needs tensors of at least one"),
    ("bit-and", W + "y = w & 1", 2, 5, "'&' is not supported"),
    ("bit-or", W + "y = w | 1", 2, 5, "'|' is not supported"),
    ("shift", W + "y = w << 1", 2, 5, "'<<' is not supported"),
    ("invert", W + "y = ~w", 2, 5, "'~' is not supported"),
    ("not", W + "y = not w", 2, 5, "'not' is not supported"),
    ("and", W + "y = w and 1", 2, 5, "and/or is not supported"),
    ("mod-assign", W + "w %= 2", 2, 1, "only +=, -=, *= and /="),
    ("aug-assign-attribute", W + "w.x += 1", 2, 1, "assign to one plain name"),
    ("string", W + 'y = "hello"', 2, 5, "text is not a number"),
    ("bool", W + "y = True * w", 2, 5, "bool is not a number"),
    ("none", W + "y = None", 2, 5, "is not a number"),
    ("complex", W + "y = 1j * w", 2, 5, "complex is not a number"),
    ("ellipsis", W + "y = ...", 2, 5, "is not a number"),
    ("bytes", W + "y = b'a'", 2, 5, "bytes is not a number"),
    ("nested-list", W + "y = [[1.0, 2.0], 3.0] * w", 2, 18, "a list holds plain numbers"),
    ("ragged-list", W + "y = [[1.0, 2.0], [3.0]] * w", 2, 18, "the rows have different lengths"),
    ("empty-list", W + "y = []", 2, 5, "an empty list has no values"),
    ("empty-tensor", "x = torch.tensor([])", 1, ANY, "an empty list has no values"),
    ("name-in-list", W + "y = [w, 1.0]", 2, 6, "a list holds plain numbers"),
    ("starred-argument", W + "y = exp(*w)", 2, 5, "unpacking is not supported"),
    # argument counts
    ("exp-two-args", W + "y = exp(w, w)", 2, 5, "exp takes one argument, not 2"),
    ("exp-no-args", W + "y = exp()", 2, 5, "exp takes one argument, not 0"),
    ("keyword-argument", W + "y = exp(x=w)", 2, 9, "keyword arguments are not supported"),
    ("max-no-args", W + "y = max()", 2, 5, "max takes one vector or two values"),
    ("max-three-args", W + "y = max(w, w, w)", 2, 5, "max takes one vector or two values"),
    ("torch-max-three-args", W + "y = torch.max(w, w, w)", 2, 5, "one vector or two values"),
    ("pow-no-exponent", W + "y = w.pow()", 2, 5, "pow takes a base and an exponent"),
    ("pow-one-arg", W + "y = pow(w)", 2, 5, "pow takes a base and an exponent"),
    ("sum-with-dim", W + "y = w.sum(0, 1)", 2, 5, "sum takes one argument, not 3"),
    ("param-empty", "w = param()", 1, 5, "param(…) takes one value"),
    ("param-two", "w = param(1, 2)", 1, 5, "param(…) takes one value"),
    ("param-of-a-name", W + "x = param(w)", 2, ANY, "needs a number"),
    ("param-keyword", "w = param(1.0, requires_grad=True)", 1, ANY, "does not take"),
    ("param-in-expression", W + "y = param(1.0) * w", 2, 5, "declares a value on its own line"),
    ("tensor-empty", "w = torch.tensor()", 1, 5, "takes one value"),
    ("tensor-unknown-keyword", "w = torch.tensor(1.0, foo=1)", 1, ANY, "does not take 'foo'"),
    ("tensor-requires-grad-1", "w = torch.tensor(1.0, requires_grad=1)", 1, ANY,
     "requires_grad must be True or False"),
    ("tensor-in-expression", W + "y = torch.tensor(1.0) * w", 2, 5, "on its own line"),
    # shapes and the output
    ("shape-mismatch", "a = param([1.0, 2.0])\nb = [1.0, 2.0, 3.0]\nloss = sum(a * b)", 3, ANY,
     "a has 2 numbers but b has 3"),
    ("shape-mismatch-constant", "w = param([1.0, 2.0])\ny = sum(max(w, [1.0, 2.0, 3.0]))", 2,
     ANY, "same length"),
    ("vector-output", "w = param([1.0, 2.0])\ny = w * 2", 2, ANY, "wrap it in sum() or mean()"),
    ("vector-backward", "w = param([1.0, 2.0])\ny = w * 2\ny.backward()", 2, ANY,
     "wrap it in sum() or mean()"),
    # empty, nothing to compute, limits
    ("empty", "", None, None, "the program is empty"),
    ("blank", "   ", None, None, "the program is empty"),
    ("blank-lines", "\n\n\t\n", None, None, "the program is empty"),
    ("comment-only", "# only a comment", None, None, "computes nothing"),
    ("import-torch-only", "import torch", None, None, "computes nothing"),
    ("print-only", "print(1)", None, None, "computes nothing"),
    ("declarations-only", "x = 1.0\nw = param(2.0)", None, None, "nothing to compute"),
    ("ten-to-the-ten-to-the-ten", "y = 10 ** 10 ** 10", None, None, "nothing to compute"),
    ("ten-thousand-terms", "y = " + " + ".join(["w"] * 10_000), MAYBE, MAYBE, "split"),
    ("ten-thousand-terms-with-w", W + "y = " + " + ".join(["w"] * 10_000), MAYBE, MAYBE,
     "split"),
    ("deep-parentheses", W + "y = " + "(" * 300 + "w" + ")" * 300, 2, ANY, "nested"),
    ("deep-unary-minus", W + "y = " + "-" * 1000 + "w", 2, ANY, "nested more than"),
    ("too-many-statements", "y = 1\n" * 60_000, None, None, "more than 50,000 statements"),
    ("too-long", "x = 1.0\n" + "#" * 2_000_001, None, None, "longer than 2,000,000"),
    ("vector-too-long", W + "y = sum(torch.zeros(1001, 1000)) * w", 2, ANY,
     "at most 1,000,000 numbers"),
]

assert len(BAD) >= 60


#: the file the "open-file" case aims at
CANARY = "/tmp/backprop-stepper-must-not-exist"


@pytest.fixture
def nothing_runs(monkeypatch):
    """Fail loudly if the engine evaluates, executes or shells out while parsing, or if
    the case left the canary file (checked after each case: under pytest-xdist a test
    at the end of this file may run before the cases, on another worker)."""

    def forbidden(*args, **kwargs):
        raise AssertionError("the engine tried to run something")

    for name in ("eval", "exec"):
        monkeypatch.setattr(builtins, name, forbidden)
    monkeypatch.setattr(os, "system", forbidden)
    monkeypatch.setattr(os, "popen", forbidden)
    yield
    assert not os.path.exists(CANARY)


@pytest.mark.parametrize(("text", "line", "column", "fragment"),
                         [pytest.param(*case[1:], id=case[0]) for case in BAD])
def test_bad_input_raises_one_clear_error(nothing_runs, text, line, column, fragment):
    # CPU time of this process: a busy machine (or the other xdist worker) does not count
    start = time.process_time()
    with pytest.raises(ExpressionError) as info:
        build_trace(text)
    elapsed = time.process_time() - start
    error = info.value
    assert elapsed < 3.0, f"took {elapsed:.2f} s"
    assert fragment in str(error)
    if line is None:
        assert error.line is None and error.column is None
    elif line is MAYBE:
        assert (error.line is None) == (error.column is None)
    else:
        assert error.line == line or (line is ANY and error.line is not None)
        assert error.column == column or (column is ANY and error.column is not None)
        assert error.column >= 1
        assert str(error).startswith(f"line {error.line}, column {error.column}: ")
    # capped: never a wall of text, never a traceback
    assert len(error.message) <= MAX_MESSAGE
    assert error.hint is None or len(error.hint) <= MAX_MESSAGE
    assert len(str(error)) <= 2 * MAX_MESSAGE + 40
    assert "Traceback" not in str(error)


def test_nothing_was_created_by_the_bad_inputs():
    assert not os.path.exists(CANARY)


def test_hints_say_what_to_write_instead():
    with pytest.raises(ExpressionError) as info:
        build_trace(W + "y = w ^ 2")
    assert info.value.hint == "use ** for powers: x ** 2"
    with pytest.raises(ExpressionError) as info:
        build_trace(W + "y = w * zz")
    assert info.value.hint == "give zz a value"
    with pytest.raises(ExpressionError) as info:
        build_trace(W + "y = foo(w)")
    for name in FUNCTIONS:
        assert name in info.value.hint
    assert info.value.hint.startswith("available: ")


def test_error_has_message_hint_line_column():
    with pytest.raises(ExpressionError) as info:
        build_trace("w = param(1.0)\nloss = (w - 1) ^ 2")
    error = info.value
    assert (error.line, error.column) == (2, 8)
    assert error.message == "'^' is not a power"
    assert str(error) == "line 2, column 8: '^' is not a power (use ** for powers: x ** 2)"
    assert error.location == "line 2, column 8"
    assert isinstance(error, ValueError)


def test_columns_count_characters_not_bytes():
    with pytest.raises(ExpressionError) as info:
        build_trace("ŷ = param(1.0)\nloss = ŷ * zz")
    assert (info.value.line, info.value.column) == (2, 12)
    with pytest.raises(ExpressionError) as info:
        build_trace("ŷ = param(1.0)\nloss = ŷ ^ 2")
    assert (info.value.line, info.value.column) == (2, 8)


def test_crlf_line_endings_keep_line_numbers():
    with pytest.raises(ExpressionError) as info:
        build_trace("w = param(1.0)\r\ny = w * 2\r\nz = y * zz")
    assert (info.value.line, info.value.column) == (3, 9)


def test_ten_to_the_ten_to_the_ten_folds_to_inf_fast():
    # CPU time of this process: a busy machine (or the other xdist worker) does not count
    start = time.process_time()
    trace = build_trace(W + "y = w * 10 ** 10 ** 10")
    assert time.process_time() - start < 1.0
    assert trace.graph.output_node.value == float("inf")
    assert trace.graph.output_node.warning


def test_a_long_one_liner_under_the_limit_still_works():
    trace = build_trace(W + "y = " + " + ".join(["w"] * 300))
    assert float(trace.graph.output_node.value) == 300.0
    assert float(trace.gradient(trace.graph.names["w"])) == 300.0


def test_a_long_program_of_short_lines_works():
    lines = [W.strip(), "y0 = w * 1"] + [f"y{i} = y{i - 1} + w" for i in range(1, 2000)]
    trace = build_trace("\n".join(lines))
    assert float(trace.graph.output_node.value) == 2000.0


@pytest.mark.parametrize("text", [None, 42, b"y = w * 2", ["y = w"]])
def test_non_text_is_refused(text):
    with pytest.raises(ExpressionError, match="must be text"):
        parse(text)


def test_a_leading_byte_order_mark_is_ignored():
    trace = build_trace("\ufeffw = param(1.0)\ny = w * 2")
    assert float(trace.graph.output_node.value) == 2.0


def test_every_unknown_name_is_reported_at_once():
    """Not one at a time: the error names all of them, at the first, in order of use."""
    from core.engine.graph import build_graph

    with pytest.raises(ExpressionError) as caught:
        build_graph("w = param(1.0)\nloss = (w * x - y) ** 2 + x * z")
    error = caught.value
    assert error.names == ("x", "y", "z")
    assert (error.line, error.column) == (2, 13)
    assert str(error) == ("line 2, column 13: unknown name 'x', and 2 more: 'y', 'z' "
                          "(give x, y and z values)")
    with pytest.raises(ExpressionError) as one:
        build_graph("loss = q * 2")
    assert one.value.names == ("q",)
    assert str(one.value) == "line 1, column 8: unknown name 'q' (give q a value)"
    many = " + ".join(f"v{i}" for i in range(30))
    with pytest.raises(ExpressionError) as lots:
        build_graph(f"loss = {many}")
    assert len(lots.value.names) == 30
    assert lots.value.message.endswith(", …")


def test_the_same_text_gets_the_same_error_whatever_ran_before():
    """A long sum raises the recursion limit for the graph builder; the parser's own
    limits (MAX_DEPTH, MAX_TERMS), not that leftover, decide what a later text gets."""
    chain = W + "y = w" + ".exp()" * 900
    terms = W + "y = " + " + ".join(["w"] * 10_000)

    def message(text):
        with pytest.raises(ExpressionError) as caught:
            parse(text)
        return str(caught.value)

    before = sys.getrecursionlimit()
    first = message(chain)
    assert "nested more than 400 levels" in first and "column 5" in first
    assert "split" in message(terms)
    try:
        sys.setrecursionlimit(30_000)  # as after a 14,000-term sum
        assert message(chain) == first
        assert "split" in message(terms)
    finally:
        sys.setrecursionlimit(before)

"""A node used hundreds of times: its backward step's equation as panels show it
(``brief_*``) writes the first and last terms only, with the numbers checked by hand."""

from __future__ import annotations

from core.base.format import format_value
from core.engine.backward_steps import FIRST_TERMS, LAST_TERMS, MAX_SHOWN_TERMS
from core.engine.trace import BackwardStep, build_trace

USES = 500


def _program(uses: int) -> str:
    """``s_i = s_{i-1} + w * i``: ∂s/∂w = 1 + 2 + … + uses, contribution i is 1 · i."""
    lines = ["w = param(0.5)", "s0 = w * 1"]
    lines += [f"s{i} = s{i - 1} + w * {i + 1}" for i in range(1, uses)]
    return "\n".join(lines)


def _w_step(uses: int) -> BackwardStep:
    trace = build_trace(_program(uses))
    w = next(n.id for n in trace.graph.nodes if n.label == "w")
    return next(s for s in trace.steps if isinstance(s, BackwardStep) and s.node == w)


def test_a_sum_of_hundreds_of_terms_shows_its_first_and_last_ones():
    step = _w_step(USES)
    assert len(step.contributions) == USES
    equation = step.brief_equation
    rest = f"… ({USES - FIRST_TERMS - LAST_TERMS} more terms)"
    # by hand: contribution i (1-based) is upstream 1 times local i; the sum is n(n+1)/2
    products = " + ".join(f"1 · {i}" for i in range(1, FIRST_TERMS + 1))
    last = " + ".join(f"1 · {i}" for i in range(USES - LAST_TERMS + 1, USES + 1))
    assert f"= {products} + {rest} + {last} = " in equation
    sums = " + ".join(str(i) for i in range(1, FIRST_TERMS + 1))
    total = USES * (USES + 1) // 2
    assert float(step.value) == total
    assert equation.endswith(f"= {sums} + {rest} + 499 + 500 = {format_value(total)}")
    assert equation.startswith("∂s499/∂w = ∂s499/∂")
    assert equation.count("∂s499/∂") == 1 + FIRST_TERMS + LAST_TERMS  # target, terms
    assert len(equation) < 600
    # the full sum was never written (it is what the report and the ninja read)
    assert "formula" not in step.__dict__ and "substituted" not in step.__dict__
    assert step.formula.count(" + ") == USES - 1  # and is still all there


def test_a_short_sum_is_shown_whole():
    step = _w_step(MAX_SHOWN_TERMS)
    assert step.brief_equation == step.equation
    assert step.brief_formula == step.formula and step.brief_substituted == step.substituted
    assert "more terms" not in step.equation


def test_the_left_out_terms_are_written_in_a_ui_language_s_words():
    from core.base.format import MORE_TERMS, more_terms, more_terms_words

    zh = "…（另有 {0} 项）"
    text = f"1 · 1 + {more_terms(494)} + 1 · 500 = 1.252e5 and 2 + … (1 more term) = 5"
    assert more_terms(494) == "… (494 more terms)"
    assert more_terms_words(text, zh) == \
        "1 · 1 + …（另有 494 项） + 1 · 500 = 1.252e5 and 2 + …（另有 1 项） = 5"
    assert more_terms_words(text, MORE_TERMS) == text  # English: as it was written
    assert more_terms_words("3 more terms", zh) == "3 more terms"  # not the engine's form

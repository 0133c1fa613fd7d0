"""Shared helpers for the engine tests: the lesson, torch in float64, array comparison;
and which tests start a child process (the ``child`` marker, skipped by ``make test-fast``)."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.engine.trace import build_trace
from core.io.examples import LESSON_TEXT, lesson_bindings
from core.record import zygote_client

#: The lesson's PyTorch code, verbatim from ../shared/TUTORIAL.md section 5.
LESSON_TORCH_CODE = """\
import torch

x = torch.tensor(1.0)
y = torch.tensor(2.0)
w = torch.tensor(1.0, requires_grad=True)

# forward pass and loss
y_hat = w * x
loss = (y_hat - y) ** 2
print(loss)        # tensor(1., grad_fn=<PowBackward0>)

# backward pass: PyTorch computes local gradients and backpropagates
loss.backward()
print(w.grad)      # tensor(-2.)
"""

LESSON_PRINTED = "tensor(1., grad_fn=<PowBackward0>)\ntensor(-2.)\n"


@pytest.fixture(scope="session", autouse=True)
def _no_qt(request):
    """`make test-fast` runs tests/core without pytest-qt: then no test module may load Qt
    (the engine's tests need no window, and Qt costs each worker its import)."""
    if request.config.pluginmanager.has_plugin("pytest-qt"):
        return
    loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("PySide6", "shiboken6"))
    if loaded:
        pytest.fail(f"a test module under tests/core imported Qt: {', '.join(loaded[:3])}")


@pytest.fixture
def lesson_trace():
    return build_trace(LESSON_TEXT, lesson_bindings())


@pytest.fixture(scope="session")
def torch():
    return pytest.importorskip("torch")


def assert_same(ours, theirs, rtol: float = 1e-10, atol: float = 1e-12, shape: bool = True):
    """Equal numbers: nan equals nan, infinities must agree in sign, shapes must agree."""
    a = np.asarray(ours, dtype=np.float64)
    b = np.asarray(theirs, dtype=np.float64)
    if shape:
        assert a.shape == b.shape, f"shape {a.shape} != {b.shape}: {a!r} vs {b!r}"
    assert np.array_equal(np.isnan(a), np.isnan(b)), f"nan pattern differs: {a!r} vs {b!r}"
    inf = np.isinf(a) | np.isinf(b)
    assert np.array_equal(a[inf], b[inf]), f"infinities differ: {a!r} vs {b!r}"
    finite = ~(np.isnan(a) | inf)
    assert np.allclose(a[finite], b[finite], rtol=rtol, atol=atol), f"{a!r} vs {b!r}"


@pytest.fixture(scope="session")
def same():
    """``same(ours, theirs)`` asserts equal numbers (nan = nan, signed infinities)."""
    return assert_same


@pytest.fixture(scope="session")
def lesson_torch_code() -> str:
    return LESSON_TORCH_CODE


@pytest.fixture(scope="session")
def lesson_printed() -> str:
    return LESSON_PRINTED


# -- the tests that start a child process (``make test-fast`` skips them) ------------------
#: module → the tests in it that start a child process (a script run by the recorder,
#: ``python FILE``, ``main.py``, generated torch code), by test name or by the name of a
#: fixture of that module that starts one (every test using it is marked); ``ALL`` for the
#: whole module. They get the ``child`` marker; ``make test-fast`` runs ``-m "not child"``.
#: The list is kept true by the hooks below: any other test here that starts one (its
#: fixtures included) fails, in ``make test`` as in ``make test-fast``. A test using the
#: recorder's ``runs`` fixture is marked too.
ALL = "*"
CHILD = {
    "record/test_bootstrap_standalone.py": {
        "test_main_py_record_child_is_the_bootstrap",
        "test_the_child_never_imports_the_apps_packages",
        "test_an_error_in_a_torch_call_shows_the_learners_frames_only"},
    "record/test_forgotten_zero_grad.py": ALL,
    "record/test_forward_groups.py": ALL,
    "record/test_grad_fns.py": ALL,
    "record/test_lessons_recorded.py": ALL,
    "record/test_manual_updates.py": ALL,
    "record/test_nine_lessons_recorded.py": ALL,
    "record/test_ninja_run.py": {"trace", "test_a_bad_answer_is_exit_2_with_one_line",
                                 "test_a_recorded_pass_is_walked_in_float32",
                                 "test_the_command_line_adds_ninja_to_the_run_json"},
    "record/test_no_interpreter.py": {
        "test_the_recorder_the_command_line_and_the_window_import_no_interpreter_module"},
    "record/test_overhead.py": {"loop_run",
                                "test_a_pass_s_graph_and_tensors_go_when_the_pass_is_done"},
    "record/test_record_cli.py": {"test_a_pass_past_the_last_is_the_last_with_a_warning",
                                  "test_exit_3_wins_over_a_script_that_raised",
                                  "test_text_mode_prints_the_script_then_the_passes"},
    "record/test_record_run.py": ALL,
    "record/test_recording.py": {"two_layer", "test_a_call_the_registry_lacks_is_torch_s_rule",
                                 "test_adam_s_update_phase_holds_torch_s_numbers",
                                 "test_budget_keeps_summaries_only",
                                 "test_kept_passes_are_the_first_three_the_asked_and_the_last"},
    "record/test_runner.py": ALL,
    "record/test_runner_soak.py": ALL,
    "record/test_session_cli.py": ALL,
    "record/test_stopped_runs.py": ALL,
    "record/test_zygote.py": ALL,
    "test_activation_ops.py": {"test_the_generated_torch_code_reproduces_the_dropout_numbers"},
    "test_bad_input_corpus.py": {"test_real_processes_exit_2_with_one_error_line"},
    "test_cli.py": {"lesson_json", "lesson_json_full", "test_bad_input_exits_2_with_one_clear_line",
                    "test_lesson_json_has_the_lessons_numbers",
                    "test_no_torch_never_imports_torch_and_headless_never_imports_qt"},
    "test_cnn_lesson.py": {"test_the_lesson_runs_under_plain_python_and_its_loss_falls"},
    "test_faults.py": ALL,
    "test_formula_operands.py": {"test_momentum_and_adam_lines_parenthesise_negative_operands",
                                 "test_sgd_update_parenthesises_the_negative_gradient"},
    "test_forward.py": {"test_generated_forward_code_prints_the_tangent",
                        "test_indexed_seed_code_runs",
                        "test_no_torch_runs_without_torch_and_without_torch_tangents"},
    "test_json_result.py": {"test_a_1000_element_vector_through_997_ops_is_at_most_45_mb",
                            "test_numeric_verdicts_name_the_entries_that_disagree"},
    "test_layout.py": {"test_layout_imports_neither_qt_nor_matplotlib"},
    "test_memory.py": {"test_a_torch_check_out_of_memory_is_a_warning_and_exit_0",
                       "test_a_torch_that_could_not_load_is_said_in_text_and_json",
                       "test_memory_error_is_exit_2_with_one_line",
                       "test_the_command_line_refuses_it_with_exit_2"},
    "test_node_names.py": {"net_trace", "test_a_linear_layers_output_is_named_by_its_module"},
    "test_properties.py": {"test_generated_code_runs_and_prints_what_printed_output_says"},
    "test_torch_check.py": {"test_generated_code_with_a_non_finite_literal_exponent_runs",
                            "test_importing_the_engine_leaves_qt_matplotlib_and_torch_out",
                            "test_lesson_generated_code_prints_what_the_lesson_prints"},
    "test_verdicts.py": {"test_a_deep_chain_survives_the_torch_check"},
}
HERE = Path(__file__).resolve().parent


def starts_a_child(item) -> bool:
    """Whether ``item`` or one of its fixtures is listed in CHILD (or it uses the
    recorder's ``runs`` cache)."""
    try:
        module = Path(str(item.path)).resolve().relative_to(HERE).as_posix()
    except ValueError:
        return False
    listed = CHILD.get(module, ())
    name = getattr(item, "originalname", item.name)
    fixtures = set(getattr(item, "fixturenames", ()))
    return listed == ALL or name in listed or bool(fixtures & set(listed)) or "runs" in fixtures


def pytest_collection_modifyitems(config, items):
    for item in items:
        if starts_a_child(item):
            item.add_marker(pytest.mark.child)


_current: list = [None]  # the test being set up, run or torn down (unmarked ones only)
_started: list[str] = []  # what an unmarked test started


def _spawning(what: str) -> None:
    if _current[0] is not None:
        _started.append(what)


def _watch(owner, name: str) -> None:
    original = getattr(owner, name, None)
    if original is None:
        return

    @functools.wraps(original)
    def watched(*args, **kwargs):
        _spawning(name)
        return original(*args, **kwargs)
    setattr(owner, name, watched)


_watch(subprocess.Popen, "_execute_child")   # subprocess.run, Popen, check_output
for _name in ("fork", "posix_spawn", "posix_spawnp", "system"):
    _watch(os, _name)
_watch(zygote_client.Zygote, "spawn")        # a run forked by the warm zygote (no Popen here)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """An unmarked test (its fixtures included) that starts a child process fails: the
    CHILD list above must say so, or ``make test-fast`` would start it."""
    _current[0] = None if item.get_closest_marker("child") else item
    del _started[:]
    try:
        return (yield)
    finally:
        _current[0] = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    if _current[0] is item and _started:
        pytest.fail(f"this test started a child process ({_started[0]}) but is not in "
                    "tests/core/conftest.py's CHILD list (make test-fast runs it)")
    return result

"""Sessions: versioned JSON that round-trips, and bad files refused with a clear message."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from core.engine.graph import Binding
from core.engine.trace import build_trace
from core.io.examples import LESSON_TEXT, lesson_bindings
from core.io.session import (
    FORMAT,
    MAX_FILE_BYTES,
    VERSION,
    Session,
    load_session,
    save_session,
    session_from_dict,
    session_from_json,
)
from core.language.parser import ExpressionError


def _lesson_session() -> Session:
    return Session(LESSON_TEXT, lesson_bindings(), position=4, title="The lesson",
                   settings={"lr": 0.1})


def _valid() -> dict:
    return _lesson_session().to_dict()


def test_round_trip_through_a_file(tmp_path):
    path = tmp_path / "lesson.json"
    save_session(_lesson_session(), path)
    loaded = load_session(path)
    assert loaded.text == LESSON_TEXT
    assert loaded.position == 4 and loaded.title == "The lesson"
    assert loaded.settings == {"lr": 0.1}
    assert {n: (b.role, float(b.value)) for n, b in loaded.bindings.items()} == {
        "x": ("data", 1.0), "y": ("data", 2.0), "w": ("parameter", 1.0)}
    trace = build_trace(loaded.text, loaded.bindings)
    assert len(trace) == 9 and float(trace.steps[-1].value) == -2.0
    assert [p.name for p in tmp_path.iterdir()] == ["lesson.json"]  # no temporary left


def test_file_format(tmp_path):
    session = Session("w = param([1.0, 2.0])\nloss = sum(w * w)",
                      {"w": Binding("parameter", np.array([3.0, -4.5]))})
    data = json.loads(session.to_json())
    assert data == {"format": FORMAT, "version": VERSION,
                    "text": "w = param([1.0, 2.0])\nloss = sum(w * w)",
                    "variables": {"w": {"role": "parameter", "value": [3.0, -4.5]}}}
    loaded = session_from_json(session.to_json())
    assert np.array_equal(loaded.bindings["w"].value, [3.0, -4.5])
    assert loaded.position is None


def test_unicode_text_round_trips(tmp_path):
    path = tmp_path / "s.json"
    save_session(Session("ŷ = param(1.0)\nloss = ŷ * 2  # ∂loss/∂ŷ"), path)
    assert load_session(path).text == "ŷ = param(1.0)\nloss = ŷ * 2  # ∂loss/∂ŷ"


def test_saving_over_an_existing_file_replaces_it(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("old")
    save_session(_lesson_session(), path)
    assert load_session(path).title == "The lesson"


def _with(**changes) -> dict:
    data = _valid()
    for key, value in changes.items():
        if value is _DELETE:
            data.pop(key)
        else:
            data[key] = value
    return data


def _variable(entry) -> dict:
    return _with(variables={"w": entry})


_DELETE = object()

BAD_DICTS = [
    pytest.param([1, 2], "expected a JSON object", id="top-level-list"),
    pytest.param("text", "expected a JSON object", id="top-level-string"),
    pytest.param(None, "expected a JSON object", id="null"),
    pytest.param(_with(format="something-else"), "not a session file", id="wrong-format"),
    pytest.param(_with(format=_DELETE), "not a session file", id="no-format"),
    pytest.param(_with(version=VERSION + 1), "newer version", id="newer-version"),
    pytest.param(_with(version=99), "newer version", id="much-newer-version"),
    pytest.param(_with(version=0), "unknown session version", id="version-0"),
    pytest.param(_with(version="1"), "whole number", id="version-string"),
    pytest.param(_with(version=1.0), "whole number", id="version-float"),
    pytest.param(_with(version=True), "whole number", id="version-bool"),
    pytest.param(_with(version=_DELETE), "whole number", id="no-version"),
    pytest.param(_with(text=_DELETE), "\"text\"", id="no-text"),
    pytest.param(_with(text=42), "\"text\"", id="text-number"),
    pytest.param(_with(text=["y = w"]), "\"text\"", id="text-list"),
    pytest.param(_with(text="#" * 2_000_001), "longer than", id="text-too-long"),
    pytest.param(_with(variables=[1]), "\"variables\"", id="variables-list"),
    pytest.param(_variable(1.0), "expected", id="variable-not-object"),
    pytest.param(_with(variables={"not a name": {"role": "data", "value": 1}}),
                 "not a valid name", id="variable-bad-name"),
    pytest.param(_with(variables={"": {"role": "data", "value": 1}}),
                 "not a valid name", id="variable-empty-name"),
    pytest.param(_variable({"role": "weight", "value": 1.0}), "role must be", id="bad-role"),
    pytest.param(_variable({"value": 1.0}), "role must be", id="no-role"),
    pytest.param(_variable({"role": "data"}), "must be a number", id="no-value"),
    pytest.param(_variable({"role": "data", "value": "1.0"}), "must be a number",
                 id="value-string"),
    pytest.param(_variable({"role": "data", "value": True}), "must be a number",
                 id="value-bool"),
    pytest.param(_variable({"role": "data", "value": None}), "must be a number",
                 id="value-null"),
    pytest.param(_variable({"role": "data", "value": {"a": 1}}), "must be a number",
                 id="value-object"),
    pytest.param(_variable({"role": "data", "value": [1.0, "2"]}), "must be a number",
                 id="value-list-with-string"),
    pytest.param(_variable({"role": "data", "value": [[1.0], 2.0]}), "must be a number",
                 id="value-nested-list"),
    pytest.param(_variable({"role": "data", "value": [[1.0], [2.0, 3.0]]}), "different lengths",
                 id="value-ragged-rows"),
    pytest.param(_variable({"role": "data", "value": []}), "empty list", id="value-empty"),
    pytest.param(_variable({"role": "data", "value": float("nan")}), "finite",
                 id="value-nan"),
    pytest.param(_variable({"role": "data", "value": float("inf")}), "finite",
                 id="value-inf"),
    pytest.param(_variable({"role": "data", "value": [1.0, float("-inf")]}), "finite",
                 id="value-list-inf"),
    pytest.param(_variable({"role": "data", "value": 10 ** 400}), "too large",
                 id="value-huge-int"),
    pytest.param(_variable({"role": "data", "value": [0.0] * 1_000_001}), "at most",
                 id="value-too-long"),
    pytest.param(_with(variables={f"v{i}": {"role": "data", "value": 1} for i in range(10_001)}),
                 "more than", id="too-many-variables"),
    pytest.param(_with(position=-1), "position", id="position-negative"),
    pytest.param(_with(position=1.5), "position", id="position-float"),
    pytest.param(_with(position="3"), "position", id="position-string"),
    pytest.param(_with(position=True), "position", id="position-bool"),
    pytest.param(_with(title=3), "title", id="title-number"),
    pytest.param(_with(settings=[1]), "settings", id="settings-list"),
]


@pytest.mark.parametrize(("data", "fragment"), BAD_DICTS)
def test_bad_session_is_refused_with_a_clear_message(data, fragment):
    with pytest.raises(ExpressionError) as info:
        session_from_dict(data, where="bad.json")
    error = info.value
    assert fragment in error.message
    assert error.where == "bad.json" and error.line is None
    assert str(error).startswith("bad.json: ")
    assert len(str(error)) < 700


@pytest.mark.parametrize(("data", "fragment"), BAD_DICTS)
def test_the_same_through_json_text_and_a_file(tmp_path, data, fragment):
    text = json.dumps(data)
    if "NaN" in text or "Infinity" in text:  # json.dumps writes them; JSON has no such thing
        fragment = "is not allowed"
    with pytest.raises(ExpressionError) as info:
        session_from_json(text, where="bad.json")
    assert fragment in info.value.message
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExpressionError) as info:
        load_session(path)
    assert fragment in info.value.message and info.value.where == "bad.json"


@pytest.mark.parametrize(("raw", "fragment"), [
    pytest.param(b"", "not valid JSON", id="empty-file"),
    pytest.param(b"   \n", "not valid JSON", id="blank-file"),
    pytest.param(b"this is not json", "not valid JSON", id="not-json"),
    pytest.param(b"y_hat = w * x\nloss = (y_hat - y) ** 2\n", "not valid JSON",
                 id="a-program-not-a-session"),
    pytest.param(b'{"format": "backprop-stepper-session", "version": 1, "text": "y = w"',
                 "not valid JSON", id="truncated"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not UTF-8", id="binary"),
    pytest.param(b"\xff\xfe{\x00}\x00", "not UTF-8", id="utf-16"),
    pytest.param(b"\x00" * 100, "not valid JSON", id="null-bytes"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, "nested too deeply", id="deeply-nested"),
    pytest.param(b'{"a": ' * 50_000 + b"1" + b"}" * 50_000, "nested too deeply",
                 id="deeply-nested-objects"),
    pytest.param(b'{"format": "backprop-stepper-session", "version": 1, "text": "y = w", '
                 b'"variables": {"w": {"role": "data", "value": NaN}}}', "not valid JSON",
                 id="NaN-literal"),
    pytest.param(b'{"format": "backprop-stepper-session", "version": 1, "text": "y = w", '
                 b'"variables": {"w": {"role": "data", "value": Infinity}}}', "not valid JSON",
                 id="Infinity-literal"),
    pytest.param(b'{"format": "backprop-stepper-session", "version": 1, "text": "y = w", '
                 b'"variables": {"w": {"role": "data", "value": 1e999}}}', "finite",
                 id="overflowing-float"),
])
def test_bad_file_contents_are_refused(tmp_path, raw, fragment):
    path = tmp_path / "bad.json"
    path.write_bytes(raw)
    # CPU time of this process: a busy machine (or the other xdist worker) does not count
    start = time.process_time()
    with pytest.raises(ExpressionError) as info:
        load_session(path)
    assert time.process_time() - start < 3.0
    assert fragment in info.value.message
    assert info.value.where == "bad.json"
    assert len(str(info.value)) < 700


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:  # sparse: takes no disk space
        handle.truncate(MAX_FILE_BYTES + 1)
    # CPU time of this process: a busy machine (or the other xdist worker) does not count
    start = time.process_time()
    with pytest.raises(ExpressionError, match="larger than"):
        load_session(path)
    assert time.process_time() - start < 1.0


def test_huge_bytes_and_text_are_refused():
    with pytest.raises(ExpressionError, match="larger than"):
        session_from_json(b" " * (MAX_FILE_BYTES + 1))
    with pytest.raises(ExpressionError, match="larger than"):
        session_from_json(" " * (MAX_FILE_BYTES + 1))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ExpressionError, match="cannot read the file") as info:
        load_session(tmp_path / "nope.json")
    assert info.value.where == "nope.json"
    with pytest.raises(ExpressionError, match="cannot read the file"):
        load_session(tmp_path)


def test_a_session_with_bad_program_text_loads_but_does_not_build():
    """The file is valid; the program in it is checked when it is built, like typed text."""
    session = session_from_dict(_with(text="y = w ^ 2"))
    with pytest.raises(ExpressionError, match="use \\*\\* for powers"):
        build_trace(session.text, session.bindings)


def test_older_fields_are_optional():
    session = session_from_dict({"format": FORMAT, "version": 1, "text": "y = 2 * w"})
    assert session.bindings == {} and session.position is None and session.title == ""


def test_long_title_is_trimmed():
    assert len(session_from_dict(_with(title="t" * 1000)).title) == 200


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"),
                                   [1.0, float("nan"), float("-inf")]])
def test_a_session_with_non_finite_values_saves_and_loads_back(tmp_path, same, value):
    """Training can drive a parameter to nan/inf; such a session must open again."""
    session = Session("w = param(1.0)\nloss = w * 2",
                      {"w": Binding("parameter", np.asarray(value, dtype=np.float64)[()])})
    path = tmp_path / "s.json"
    save_session(session, path)
    json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constants)  # plain JSON
    loaded = load_session(path)
    same(loaded.bindings["w"].value, np.asarray(value, dtype=np.float64)[()])


def _no_constants(name):
    raise AssertionError(f"the file holds the non-standard JSON constant {name}")


@pytest.mark.parametrize("spelled", ["NaN", "Infinity", "nan ", "1e999"])
def test_only_the_spelled_out_strings_stand_for_non_finite_values(spelled):
    raw = json.dumps(_variable({"role": "data", "value": spelled}))
    if spelled == "1e999":
        raw = raw.replace('"1e999"', "1e999")
    with pytest.raises(ExpressionError):
        session_from_json(raw)


def test_text_that_cannot_be_saved_is_refused_on_load():
    raw = ('{"format": "backprop-stepper-session", "version": 1, '
           '"text": "y = w * 2  # \\ud800"}')
    with pytest.raises(ExpressionError, match="not valid Unicode") as info:
        session_from_json(raw, where="bad.json")
    assert info.value.where == "bad.json"

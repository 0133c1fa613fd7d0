"""The PyTorch panel on a recorded pass (issue 20): torch already ran, in the script.

The code is the script itself; "PyTorch prints" is what the script had printed at the
step on screen (the Output pane's rule: nothing printed later shows early); the status
is the recorder's check of the pass, our rule per node against torch's gradient
(``trace.check``, a core.record.check.PassCheck made with the trace). Nothing is sent
to the PyTorch worker.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def recorded(panel):
    """The run state when a recorded pass (or a run's blank end) is on screen."""
    runs = getattr(panel.model, "run", None)
    trace = panel.model.trace
    if runs is None:
        return None
    if trace.recorded_by is runs or trace.blank:
        return runs
    return None


def show_recorded(panel, runs) -> None:
    """Fill the panel for the pass on screen (again after a step: the printout)."""
    panel._request_id, panel._answer = None, None
    panel._rows_of, panel._shown_keys = {}, set()
    if panel.code.toPlainText() != runs.text:
        panel.code.setPlainText(runs.text)
    printed = runs.output_at() if runs.on_screen else runs.output_text()
    if panel.output.toPlainText() != printed:
        panel.output.setPlainText(printed)
        panel.output.verticalScrollBar().setValue(panel.output.verticalScrollBar().maximum())
    panel._printed = printed.splitlines()
    panel.table.setRowCount(0)
    panel.grad_fns.clear()
    panel._reveal_note.hide()
    check = panel.model.trace.check
    k = runs.iteration
    if not runs.on_screen or check is None:
        text = translate("TorchPanel", "Recorded from PyTorch.") if runs.result is not None \
            else translate("TorchPanel", "Not run yet: Run (Ctrl+R) runs the script with "
                                         "PyTorch and records it.")
        panel._set_status(text, "ok")
        return
    where = translate("TorchPanel", "Pass {0} of {1}").format(k, runs.count) if k else \
        translate("TorchPanel", "Group {0} of {1}, forward ops (no backward() was called)"
                  ).format(runs.group, runs.group_count) if runs.group else \
        translate("TorchPanel", "The forward ops (no backward() was called)")
    if check.mismatches:
        text = translate("TorchPanel", "{0}: our rule differs from PyTorch's gradient at {1} "
                                       "of {2} nodes ✗ ({3})").format(
            where, check.mismatches, check.compared, ", ".join(check.failed[:6]))
        state = "bad"
    else:
        text = translate("TorchPanel", "{0}: our rules match PyTorch's gradients ✓ "
                                       "({1} nodes)").format(where, check.compared)
        state = "ok"
    if check.torch_rule_only:
        text += " " + translate("TorchPanel", "Torch's own rule (not checked): {0}.").format(
            ", ".join(sorted(set(check.torch_rule_only))))
    panel._set_status(text, state)

"""The stepper model with its companions attached: what a window works on.

The companions (training, quiz) take the model and import its module, so the model
cannot make them without an import circle; this module, above them all, does.
"""

from __future__ import annotations

from gui.state.model import Program, StepperModel
from gui.state.quiz_state import QuizState
from gui.state.run_state import RunState
from gui.state.training_state import TrainingState


def stepper_model(program: Program | None = None, position: int = 0,
                  parent=None) -> StepperModel:
    model = StepperModel(program, position, parent=parent)
    model.training = TrainingState(model)
    model.quiz = QuizState(model)
    model.run = RunState(model)
    model.training.attach_run(model.run)  # a recorded run's passes: the Training table
    return model

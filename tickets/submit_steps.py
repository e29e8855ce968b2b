"""Steps other apps may put before a ticket is created from the public form, so tickets never imports them.

An app registers a callable in its AppConfig.ready():

    submit_step_register(my_step, carried=("my_choice",))

It is called with the form's cleaned ticket fields and the answers posted so far (plain strings), and returns None
to let the ticket be created, a `SubmitStepShow` to show a partial inside the form (everything typed is kept, and
its buttons post the form again with the answer), or a `SubmitStepDone` to end without a ticket.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SubmitStepShow:
    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SubmitStepDone:
    redirect_url: str


SubmitStep = Callable[..., SubmitStepShow | SubmitStepDone | None]
_steps: list[SubmitStep] = []
_carried: list[str] = []


def submit_step_register(step: SubmitStep, *, carried: tuple[str, ...] = ()) -> None:
    """Ask `step` before every ticket from the form; `carried` are the answers kept through later steps."""
    if step not in _steps:
        _steps.append(step)
        _carried.extend(name for name in carried if name not in _carried)


def submit_steps_carried() -> tuple[str, ...]:
    """The posted names the registered steps read, for a later step's page to send back."""
    return tuple(_carried)


def submit_step_next(*, fields: dict, answers: dict[str, str]) -> SubmitStepShow | SubmitStepDone | None:
    """The first registered step that has something to say about this submission, or None."""
    for step in _steps:
        outcome = step(fields=fields, answers=answers)
        if outcome is not None:
            return outcome
    return None

"""Shape: the expanded data validated by the pydantic models into a :class:`~simulator.scenario.model.Scenario`.

Input: :class:`~simulator.scenario.expand.Expanded`. Output: the typed,
immutable scenario, or None when pydantic refused it, with every one of its
errors added to the sink at its place in the author's file
(:func:`simulator.scenario.problems.report_validation_errors`). Checks of
meaning (references, times, routes) come after, in
:mod:`simulator.scenario.crossref`, and only on a scenario whose shape is right.
"""

from __future__ import annotations

from pydantic import ValidationError

from simulator.errors import ProblemSink
from simulator.scenario.expand import Expanded
from simulator.scenario.model import Scenario
from simulator.scenario.problems import report_validation_errors


def shape(expanded: Expanded, sink: ProblemSink) -> Scenario | None:
    """The scenario the expanded data describes, or None with pydantic's errors in the sink."""
    try:
        return Scenario.model_validate(expanded.data)
    except ValidationError as e:
        report_validation_errors(e, expanded.source, sink, Scenario)
        return None

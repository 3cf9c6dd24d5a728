"""The JSON renderer: one document on stdout, and nothing else.

The document's shape is documented in the README ("The JSON trace") and
versioned by ``schema_version``.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from bootwalk.trace import Handoff, StepRecord, Trace


def handoff_to_dict(handoff: Handoff) -> dict[str, Any]:
    """One handoff as JSON."""
    return {
        "source": handoff.source.value,
        "target": handoff.target.value,
        "channel": handoff.channel.value,
        "call": handoff.call,
        "summary": handoff.summary,
        "payload": handoff.payload,
        "simplified": handoff.simplified,
    }


def step_to_dict(step: StepRecord) -> dict[str, Any]:
    """One step as JSON; step 4 adds the scheduler's verdicts and weights."""
    data: dict[str, Any] = {
        "number": step.number,
        "name": step.name,
        "title": step.title,
        "service": step.service.value,
        "status": step.status.value,
        "note": step.note,
        "source": step.source,
        "detail": step.detail,
        "state": None
        if step.state is None
        else {
            "vm_state": step.state.vm_state,
            "task_state": step.state.task_state,
            "power_state": step.state.power_state,
        },
        "handoffs": [handoff_to_dict(handoff) for handoff in step.handoffs],
    }
    if step.scheduling is not None:
        data["enabled_filters"] = list(step.scheduling.filters)
        data["filter_results"] = [
            {"host": v.host, "filter": v.filter, "passed": v.passed, "reason": v.reason}
            for v in step.scheduling.filter_results
        ]
        data["weights"] = [{"host": w.host, "weight": w.weight} for w in step.scheduling.weights]
        data["selected_host"] = step.scheduling.selected_host
    return data


def trace_to_dict(trace: Trace) -> dict[str, Any]:
    """The whole trace as the JSON document."""
    return {
        "schema_version": trace.schema_version,
        "flow": trace.flow,
        "seed": trace.seed,
        "request": trace.request,
        "steps": [step_to_dict(step) for step in trace.steps],
        "outcome": trace.outcome.value,
        "server": trace.server,
        "error": None
        if trace.error is None
        else {
            "type": trace.error.kind,
            "message": trace.error.message,
            "http_status": trace.error.http_status,
        },
    }


class JsonRenderer:
    """Prints the whole trace as one JSON document when the walk ends."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def on_step(self, record: StepRecord) -> None:
        """JSON is printed whole at the end, so a step prints nothing."""

    def finish(self, trace: Trace) -> None:
        """Print the document."""
        json.dump(trace_to_dict(trace), self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")

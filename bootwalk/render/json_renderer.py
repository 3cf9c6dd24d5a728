"""The JSON renderer: one document on stdout, and nothing else.

The document's shape is documented in the README ("The JSON trace") and
versioned by ``schema_version``.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from bootwalk.render.glyphs import draws_unicode
from bootwalk.trace import Handoff, InstanceState, Scheduling, StepRecord, Trace


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
        "kind": handoff.kind.value,
        "bytes": handoff.size_bytes,
        "work": None if handoff.work is None else handoff.work.value,
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
        "state": None if step.state is None else _state(step.state),
        "handoffs": [handoff_to_dict(handoff) for handoff in step.handoffs],
    }
    data["attempt"] = step.attempt
    if step.scheduling is not None:
        data["enabled_filters"] = list(step.scheduling.filters)
        data.update(scheduling_to_dict(step.scheduling))
        data["placements"] = [scheduling_to_dict(placement) for placement in step.placements]
    if step.logs:
        data["logs"] = [
            {
                "service": line.service.value,
                "level": line.level,
                "text": line.text,
                **({"minor": True} if line.minor else {}),
            }
            for line in step.logs
        ]
    if step.cleanup:
        data["cleanup"] = list(step.cleanup)
    if step.passed:
        data["passed_states"] = [_state(state) for state in step.passed]
    return data


def _state(state: InstanceState) -> dict[str, Any]:
    return {"vm_state": state.vm_state, "task_state": state.task_state, "power_state": state.power_state}


def scheduling_to_dict(scheduling: Scheduling) -> dict[str, Any]:
    """One instance's placement: every filter verdict, the weights, the winner and the alternates."""
    return {
        "instance": scheduling.instance_uuid,
        "instance_name": scheduling.instance_name,
        "considered": scheduling.considered,
        "filter_results": [
            {"host": v.host, "filter": v.filter, "passed": v.passed, "reason": v.reason}
            for v in scheduling.filter_results
        ],
        "weights": [
            {
                "host": w.host,
                "weight": w.weight,
                "weighers": [
                    {
                        "weigher": part.weigher,
                        "raw": part.raw,
                        "normalised": part.normalised,
                        "multiplier": part.multiplier,
                        "unit": part.unit,
                    }
                    for part in w.parts
                ],
            }
            for w in scheduling.weights
        ],
        "selected_host": scheduling.selected_host,
        **({"alternates": list(scheduling.alternates)} if scheduling.alternates else {}),
    }


def trace_to_dict(trace: Trace) -> dict[str, Any]:
    """The whole trace as the JSON document."""
    return {
        "schema_version": trace.schema_version,
        "flow": trace.flow,
        "release": trace.release,
        "seed": trace.seed,
        "request": trace.request,
        "steps": [step_to_dict(step) for step in trace.steps],
        "outcome": trace.outcome.value,
        "server": trace.server,
        "servers": list(trace.servers),
        "attempts": [
            {"attempt": a.number, "host": a.host, "result": a.result, "reason": a.reason} for a in trace.attempts
        ],
        "scenario": None if trace.scenario is None else {"name": trace.scenario.name, "lesson": trace.scenario.lesson},
        "surfaces": trace.surfaces or None,
        "error": None
        if trace.error is None
        else {
            "type": trace.error.kind,
            "message": trace.error.message,
            "http_status": trace.error.http_status,
        },
    }


#: How much of the document is written at a time.
CHUNK = 8192


class JsonRenderer:
    """Prints the whole trace as one JSON document when the walk ends."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def on_step(self, record: StepRecord) -> None:
        """JSON is printed whole at the end, so a step prints nothing."""

    def finish(self, trace: Trace) -> None:
        """Print the document as strict JSON, made whole before any of it is printed.

        UTF-8 as it is, or with ``\\uNNNN`` escapes where the stream cannot carry Unicode. A NaN or an
        infinity raises ValueError rather than being written: JSON has no such number.
        """
        document = json.dumps(trace_to_dict(trace), indent=2, ensure_ascii=not draws_unicode(self.out), allow_nan=False)
        for start in range(0, len(document), CHUNK):  # a reader that goes away is noticed at once (a broken pipe)
            self.out.write(document[start : start + CHUNK])
            self.out.flush()
        self.out.write("\n")

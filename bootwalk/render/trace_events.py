"""The walk as Trace Event JSON, which Perfetto (ui.perfetto.dev) and chrome://tracing open.

One complete event (``ph: "X"``) per handoff, on the track of the service
that passes it, and one per step on a track of its own, all on the
simulated clock of :mod:`bootwalk.timing`; metadata events name the tracks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from bootwalk.render.payloads import redact
from bootwalk.timing import Walked, spans, step_windows
from bootwalk.trace import Service

#: The process id every event carries: one walk, one process.
PROCESS_ID = 1
#: The thread id of the steps' track; services follow from 1 in Service order.
STEPS_TRACK = 0


def service_track(service: Service) -> int:
    """The thread id of a service's track."""
    return list(Service).index(service) + 1


def _microseconds(milliseconds: float) -> float:
    return round(milliseconds * 1000, 3)


class Recorded(Walked, Protocol):
    """What the export reads of a walk: the request and the steps (a whole Trace, or the steps shown before ``q``)."""

    @property
    def request(self) -> Mapping[str, Any]:
        """The request, as the JSON trace records it."""
        ...


def trace_events(trace: Recorded) -> dict[str, Any]:
    """The Trace Event document: ``{"traceEvents": [...], "displayTimeUnit": "ms"}``."""
    events: list[dict[str, Any]] = [
        {
            "name": "process_name",
            "ph": "M",
            "pid": PROCESS_ID,
            "tid": STEPS_TRACK,
            "args": {"name": f"bootwalk: {trace.request.get('name', '')}"},
        },
        {"name": "thread_name", "ph": "M", "pid": PROCESS_ID, "tid": STEPS_TRACK, "args": {"name": "steps"}},
        {"name": "thread_sort_index", "ph": "M", "pid": PROCESS_ID, "tid": STEPS_TRACK, "args": {"sort_index": 0}},
    ]
    for service in Service:
        track = service_track(service)
        events.append(
            {"name": "thread_name", "ph": "M", "pid": PROCESS_ID, "tid": track, "args": {"name": service.value}}
        )
        events.append(
            {"name": "thread_sort_index", "ph": "M", "pid": PROCESS_ID, "tid": track, "args": {"sort_index": track}}
        )
    for record, start, duration in step_windows(trace):
        attempt = f" (attempt {record.attempt})" if record.attempt > 1 else ""
        events.append(
            {
                "name": f"Step {record.number}{attempt}: {record.name}",
                "cat": "step",
                "ph": "X",
                "ts": _microseconds(start),
                "dur": _microseconds(duration),
                "pid": PROCESS_ID,
                "tid": STEPS_TRACK,
                "args": {
                    "title": record.title,
                    "service": record.service.value,
                    "status": record.status.value,
                    "state_after": record.state.describe() if record.state else None,
                },
            }
        )
    for span in spans(trace):
        handoff = span.handoff
        events.append(
            {
                "name": handoff.call,
                "cat": handoff.channel.value,
                "ph": "X",
                "ts": _microseconds(span.start_ms),
                "dur": _microseconds(span.duration_ms),
                "pid": PROCESS_ID,
                "tid": service_track(handoff.source),
                "args": {
                    "from": handoff.source.value,
                    "to": handoff.target.value,
                    "summary": handoff.summary,
                    "step": span.step,
                    "attempt": span.attempt,
                    "payload": redact(handoff.payload),
                },
            }
        )
    return {"traceEvents": events, "displayTimeUnit": "ms"}

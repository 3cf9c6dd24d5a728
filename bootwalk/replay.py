"""Read a walk saved with ``boot -f json`` back into a :class:`~bootwalk.trace.Trace`.

Pure Python, like the engine: the reader checks the document's shape and
``schema_version`` and rebuilds the frozen records, so that every renderer
can replay a walk exactly as it printed it live.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bootwalk.trace import (
    SCHEMA_VERSION,
    ApiError,
    Attempt,
    Channel,
    FilterVerdict,
    Handoff,
    HostWeight,
    InstanceState,
    Kind,
    LogLine,
    Outcome,
    Scenario,
    Scheduling,
    Service,
    StepRecord,
    StepStatus,
    Trace,
    WeightPart,
    Work,
)


class TraceFormatError(Exception):
    """The file is not a bootwalk trace this version can replay."""


def _scheduling(data: Mapping[str, Any], filters: list[str]) -> Scheduling:
    return Scheduling(
        filters=tuple(filters),
        filter_results=tuple(
            FilterVerdict(v["host"], v["filter"], bool(v["passed"]), v["reason"]) for v in data["filter_results"]
        ),
        weights=tuple(
            HostWeight(
                w["host"],
                float(w["weight"]),
                tuple(
                    WeightPart(p["weigher"], float(p["raw"]), float(p["normalised"]), float(p["multiplier"]), p["unit"])
                    for p in w["weighers"]
                ),
            )
            for w in data["weights"]
        ),
        selected_host=data["selected_host"],
        instance_uuid=data["instance"],
        instance_name=data["instance_name"],
        considered=int(data["considered"]),
        alternates=tuple(data["alternates"]),
    )


def _handoff(data: Mapping[str, Any]) -> Handoff:
    source, channel, payload = Service(data["source"]), Channel(data["channel"]), data["payload"]
    size = data.get("bytes")
    work = data.get("work")
    return Handoff(
        kind=Kind(data["kind"]) if "kind" in data else _saved_before_kinds(source, channel, payload),
        source=source,
        target=Service(data["target"]),
        channel=channel,
        call=data["call"],
        summary=data["summary"],
        payload=payload,
        simplified=bool(data["simplified"]),
        size_bytes=None if size is None else int(size),
        work=None if work is None else Work(work),
    )


def _saved_before_kinds(source: Service, channel: Channel, payload: Mapping[str, Any]) -> Kind:
    """The kind of a handoff in a trace saved before handoffs carried one (bootwalk 0.1.0), from its shape."""
    if source is Service.QUEUE:
        return Kind.QUEUE_DELIVERY
    if channel is Channel.DATABASE:
        return Kind.DB_READ if "rows" in payload or "where" in payload else Kind.DB_WRITE
    if channel is Channel.LIBVIRT:
        return Kind.LIBVIRT_ERROR if "error" in payload else Kind.LIBVIRT_CALL
    if channel is Channel.RPC_CAST:
        return Kind.RPC_CAST
    if channel is Channel.RPC_CALL:
        return Kind.RPC_REPLY if "result" in payload or "exception" in payload else Kind.RPC_CALL
    if "method" in payload and "Content-Length" not in payload.get("headers", {}):
        return Kind.REST_REQUEST
    return Kind.REST_REPLY


def _step(data: Mapping[str, Any]) -> StepRecord:
    state = data["state"]
    scheduling = None
    placements: tuple[Scheduling, ...] = ()
    if "enabled_filters" in data:
        filters = data["enabled_filters"]
        scheduling = _scheduling(data, filters)
        placements = tuple(_scheduling(placement, filters) for placement in data["placements"])
    return StepRecord(
        number=int(data["number"]),
        name=data["name"],
        title=data["title"],
        service=Service(data["service"]),
        status=StepStatus(data["status"]),
        note=data["note"],
        source=data["source"],
        state=None
        if state is None
        else InstanceState(state["vm_state"], state["task_state"], int(state["power_state"])),
        handoffs=tuple(_handoff(handoff) for handoff in data["handoffs"]),
        detail=data["detail"],
        scheduling=scheduling,
        placements=placements,
        attempt=int(data["attempt"]),
        logs=tuple(LogLine(Service(line["service"]), line["level"], line["text"]) for line in data.get("logs", ())),
        cleanup=tuple(data.get("cleanup", ())),
    )


def trace_from_dict(document: Any) -> Trace:
    """Rebuild a trace from its JSON document; raise TraceFormatError when it is not one."""
    if not isinstance(document, Mapping) or "schema_version" not in document or "steps" not in document:
        raise TraceFormatError("not a bootwalk trace (save one with: bootwalk boot ... -f json > FILE)")
    version = document["schema_version"]
    if version != SCHEMA_VERSION:
        raise TraceFormatError(
            f"schema_version {version!r} is not the one this bootwalk reads ({SCHEMA_VERSION}); "
            "save the walk again with this version"
        )
    from bootwalk.flows import flow_names

    if document.get("flow") not in flow_names():
        raise TraceFormatError(
            f"not a bootwalk trace: flow {document.get('flow')!r} is not one of {', '.join(flow_names())}"
        )
    from bootwalk.dialects import DIALECTS

    request = document.get("request")
    dialect = request.get("dialect", "nova") if isinstance(request, Mapping) else "nova"
    if dialect not in DIALECTS:
        raise TraceFormatError(f"not a bootwalk trace: dialect {dialect!r} is not one of {', '.join(DIALECTS)}")
    try:
        scenario = document["scenario"]
        error = document["error"]
        return Trace(
            flow=document["flow"],
            seed=int(document["seed"]),
            request=document["request"],
            steps=tuple(_step(step) for step in document["steps"]),
            outcome=Outcome(document["outcome"]),
            server=document["server"],
            error=None if error is None else ApiError(error["type"], error["message"], error["http_status"]),
            servers=tuple(document["servers"]),
            attempts=tuple(
                Attempt(int(a["attempt"]), a["host"], a["result"], a["reason"]) for a in document["attempts"]
            ),
            scenario=None if scenario is None else _scenario(scenario),
            surfaces=document["surfaces"] or "",
        )
    except (KeyError, TypeError, ValueError, AttributeError) as problem:
        detail = f"missing {problem}" if isinstance(problem, KeyError) else str(problem)
        raise TraceFormatError(f"not a bootwalk trace: {detail}") from None


def _scenario(data: Mapping[str, Any]) -> Scenario:
    from bootwalk.scenarios import SCENARIOS

    known = SCENARIOS.get(data["name"])
    return Scenario(data["name"], data["lesson"], known.needs_volume if known else False)


def read_trace(path: Path) -> Trace:
    """Read and rebuild a saved walk; every problem is a TraceFormatError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TraceFormatError(f"{path}: not a bootwalk trace (not UTF-8 text)") from None
    except FileNotFoundError:
        raise TraceFormatError(f"{path}: no such file") from None
    except OSError as error:
        raise TraceFormatError(f"{path}: cannot be read: {error.strerror}") from None
    return trace_from_text(text, str(path))


def trace_from_text(text: str, name: str) -> Trace:
    """Parse a saved walk's text; ``name`` says where it came from in errors."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise TraceFormatError(
            f"{name}: not a bootwalk trace (not JSON: {error.msg}, line {error.lineno}); "
            "save one with: bootwalk boot ... -f json > FILE"
        ) from None
    try:
        return trace_from_dict(document)
    except TraceFormatError as error:
        raise TraceFormatError(f"{name}: {error}") from None

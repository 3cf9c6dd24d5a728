"""Read a walk saved with ``boot -f json`` back into a :class:`~bootwalk.trace.Trace`.

Pure Python, like the engine. A trace may come from anyone, so the reader
trusts none of it: it reads at most :data:`MAX_TRACE_BYTES`, refuses JSON
nested deeper than :data:`MAX_DEPTH` before the parser recurses, keeps the
numbers JSON should not hold (NaN, Infinity, 1e400, a 5,000-digit integer)
for the check to name, and has :func:`~bootwalk.trace_validation.check_document`
check the whole document before it rebuilds the frozen records, so that every
renderer can replay a walk exactly as it printed it live. Every problem is
one :class:`TraceFormatError` line.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from array import array
from collections.abc import Mapping
from itertools import accumulate
from pathlib import Path
from typing import Any, BinaryIO

from bootwalk.trace import (
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
from bootwalk.trace_validation import (
    MAX_DEPTH,
    MAX_TRACE_BYTES,
    NUMBER_LIMIT,
    UNSAFE_CHARACTER,
    TraceFormatError,
    UnreadableNumber,
    check_document,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_TRACE_BYTES",
    "TraceFormatError",
    "read_trace",
    "read_trace_stream",
    "trace_from_dict",
    "trace_from_text",
]


def _scheduling(data: Mapping[str, Any], filters: list[str]) -> Scheduling:
    return Scheduling(
        filters=tuple(filters),
        filter_results=tuple(
            FilterVerdict(v["host"], v["filter"], v["passed"], v["reason"]) for v in data["filter_results"]
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
        considered=data["considered"],
        alternates=tuple(data.get("alternates", ())),
    )


def _handoff(data: Mapping[str, Any]) -> Handoff:
    source, channel, payload = Service(data["source"]), Channel(data["channel"]), data["payload"]
    work = data.get("work")
    return Handoff(
        kind=Kind(data["kind"]) if "kind" in data else _saved_before_kinds(source, channel, payload),
        source=source,
        target=Service(data["target"]),
        channel=channel,
        call=data["call"],
        summary=data["summary"],
        payload=payload,
        simplified=data["simplified"],
        size_bytes=data.get("bytes"),
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
    if "method" in payload and "Content-Length" not in (payload.get("headers") or {}):
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
        number=data["number"],
        name=data["name"],
        title=data["title"],
        service=Service(data["service"]),
        status=StepStatus(data["status"]),
        note=data["note"],
        source=data["source"],
        state=None if state is None else InstanceState(state["vm_state"], state["task_state"], state["power_state"]),
        handoffs=tuple(_handoff(handoff) for handoff in data["handoffs"]),
        detail=data["detail"],
        scheduling=scheduling,
        placements=placements,
        attempt=data["attempt"],
        logs=tuple(
            LogLine(Service(line["service"]), line["level"], line["text"], line.get("minor", False))
            for line in data.get("logs", ())
        ),
        cleanup=tuple(data.get("cleanup", ())),
        passed=tuple(
            InstanceState(s["vm_state"], s["task_state"], s["power_state"]) for s in data.get("passed_states", ())
        ),
    )


def trace_from_dict(document: Any) -> Trace:
    """Check a trace's JSON document whole, then rebuild the trace; raise TraceFormatError when it is not one.

    The check vouches for every field read here, so nothing below can fail on a bad value.
    """
    check_document(document)
    scenario = document["scenario"]
    error = document["error"]
    return Trace(
        flow=document["flow"],
        seed=document["seed"],
        request=document["request"],
        steps=tuple(_step(step) for step in document["steps"]),
        outcome=Outcome(document["outcome"]),
        server=document["server"],
        error=None if error is None else ApiError(error["type"], error["message"], error["http_status"]),
        servers=tuple(document["servers"]),
        attempts=tuple(Attempt(a["attempt"], a["host"], a["result"], a["reason"]) for a in document["attempts"]),
        scenario=None if scenario is None else _scenario(scenario),
        surfaces=document["surfaces"] or "",
        release=document.get("release") or _release_of(document["flow"]),
    )


def _scenario(data: Mapping[str, Any]) -> Scenario:
    from bootwalk.scenarios import SCENARIOS

    known = SCENARIOS.get(data["name"])
    return Scenario(data["name"], data["lesson"], known.needs_volume if known else False)


# --- reading the text -------------------------------------------------------------------

#: A JSON string, escapes and all; what is inside one is not nesting.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
#: Everything but brackets.
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
#: An opening bracket as +1, a closing one as -1 (0xff read as a signed byte).
_BRACKET_STEPS = str.maketrans({"[": "\x01", "{": "\x01", "]": "\xff", "}": "\xff"})


def nests_deeper_than(text: str, limit: int) -> bool:
    """Whether the JSON text's arrays and objects nest deeper than ``limit``, from its brackets outside strings.

    A cheap scan, linear in the text and done in C, before ``json.loads``
    would recurse once per level.
    """
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text))
    steps = array("b", brackets.translate(_BRACKET_STEPS).encode("latin-1"))
    return max(accumulate(steps), default=0) > limit


def _integer(text: str) -> int | UnreadableNumber:
    # 20 characters hold every integer within ±2**63; a longer one is out of range, and int() of 4,301
    # digits or more would raise.
    return int(text) if len(text) <= 20 else UnreadableNumber(text)


def _float(text: str) -> float | UnreadableNumber:
    value = float(text)
    return value if math.isfinite(value) and abs(value) < NUMBER_LIMIT else UnreadableNumber(text)


def printable(name: str) -> str:
    """A file name as an error line may show it: every control character and lone surrogate escaped."""
    return UNSAFE_CHARACTER.sub(lambda found: repr(found.group())[1:-1], name)


def _too_large(name: str) -> TraceFormatError:
    return TraceFormatError(
        f"{name}: larger than {MAX_TRACE_BYTES // (1024 * 1024)} MiB, the most replay reads "
        "(a saved walk is a few hundred KB)"
    )


def trace_from_text(text: str, name: str) -> Trace:
    """Parse a saved walk's text; ``name`` says where it came from in errors."""
    name = printable(name)
    if len(text) > MAX_TRACE_BYTES:
        raise _too_large(name)
    if nests_deeper_than(text, MAX_DEPTH):
        raise TraceFormatError(f"{name}: not a bootwalk trace: JSON nested deeper than {MAX_DEPTH} levels")
    try:
        document = json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=UnreadableNumber)
    except json.JSONDecodeError as error:
        raise TraceFormatError(
            f"{name}: not a bootwalk trace (not JSON: {error.msg}, line {error.lineno}); "
            "save one with: bootwalk boot ... -f json > FILE"
        ) from None
    try:
        return trace_from_dict(document)
    except TraceFormatError as error:
        raise TraceFormatError(f"{name}: {error}") from None


def _read_at_most(stream: BinaryIO, name: str) -> bytes:
    """The stream's bytes, refused at once when it is a regular file over the limit, else after limit + 1 bytes."""
    try:
        status = os.fstat(stream.fileno())
    except (OSError, ValueError):  # no file descriptor: a stream in memory
        status = None
    if status is not None and stat.S_ISREG(status.st_mode) and status.st_size > MAX_TRACE_BYTES:
        raise _too_large(name)
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_TRACE_BYTES:
        chunk = stream.read(MAX_TRACE_BYTES + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > MAX_TRACE_BYTES:
        raise _too_large(name)
    return b"".join(chunks)


def _trace_from_bytes(data: bytes, name: str) -> Trace:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise TraceFormatError(f"{name}: not a bootwalk trace (not UTF-8 text)") from None
    return trace_from_text(text, name)


def read_trace(path: Path) -> Trace:
    """Read and rebuild a saved walk; every problem is a TraceFormatError naming the file."""
    name = printable(str(path))
    try:
        # A named pipe nobody writes to would hold a plain open() for ever: open without waiting, then read as
        # usual (a pipe with a writer gives its walk, one without gives nothing to read).
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "rb") as stream:
            data = _read_at_most(stream, name)
    except FileNotFoundError:
        raise TraceFormatError(f"{name}: no such file") from None
    except OSError as error:
        raise TraceFormatError(f"{name}: cannot be read: {error.strerror}") from None
    return _trace_from_bytes(data, name)


def read_trace_stream(stream: BinaryIO, name: str) -> Trace:
    """Read and rebuild a saved walk from a byte stream (standard input), read up to the limit and no further."""
    name = printable(name)
    try:
        data = _read_at_most(stream, name)
    except OSError as error:
        raise TraceFormatError(f"{name}: cannot be read: {error.strerror}") from None
    return _trace_from_bytes(data, name)


def _release_of(flow: str) -> str:
    """The release a flow shows: what a trace saved before traces named it was recorded at."""
    from bootwalk.flows import get_flow

    return get_flow(flow).release

"""Check a saved walk's JSON document before replay trusts any of it.

Traces travel between instructors and students, so replay treats each one as
hostile. :func:`check_document` looks at the whole document and raises
:class:`TraceFormatError` with one line naming the JSON path at fault
(``... at steps[3].handoffs[0].source``) before the reader builds a record
or a renderer prints a character. It checks, in this order:

1. that every value is plain JSON a terminal can show: no control character
   (C0, DEL, C1) and no lone surrogate in any text or key, every number
   finite and within ±2**63, nesting at most :data:`MAX_DEPTH` deep;
2. the shape: every field the reader and the renderers use, its type (a
   bool is not an integer, ``1.0`` is not an integer), its enum, its range,
   and the length of the lists a walk makes long;
3. that the steps are a walk the trace's flow can produce, numbered as the
   engine numbers them, and that the trace ends as its outcome says.

``request``, ``server`` and the payloads are what the engine wrote for the
JSON document; only their fields a renderer reads are typed here, and the
rest may be any JSON value that passes step 1.

Pure Python, like the engine: the flows are imported only to check the steps.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

from bootwalk.trace import SCHEMA_VERSION, Channel, Kind, Outcome, Service, StepStatus, Work

if TYPE_CHECKING:
    from bootwalk.engine.state import Flow

#: The largest trace replay reads, in bytes. The largest real walk (``--max-count 10``, any scenario) is 154 KiB.
MAX_TRACE_BYTES = 8 * 1024 * 1024
#: How deep arrays and objects may nest, the document itself being level 1. A real walk's deepest is 12.
MAX_DEPTH = 64
#: The most steps a trace may hold. A real walk holds at most 21 (12 steps, then 9 again after a reschedule).
MAX_STEPS = 1000
#: The most handoffs one step may hold. A real walk's busiest step (``--max-count 10``) holds 15.
MAX_HANDOFFS = 1000
#: The most handoffs a whole trace may hold. A real walk holds at most 62.
MAX_ALL_HANDOFFS = 5000
#: The most JSON values the payloads of a whole trace may hold: ``-v`` prints each on a line of its own.
#: A real walk's payloads hold at most 735.
MAX_PAYLOAD_VALUES = 50_000
#: The most entries any other list may hold (placements, servers, attempts, logs, ...). A real walk's longest is 10.
MAX_ENTRIES = 1000
#: The most filter verdicts, weights and alternates one placement may hold: a catalog of about a thousand hosts.
MAX_HOST_ENTRIES = 10_000
#: The longest text (or key) a trace may hold, in characters: a base64 ``--user-data`` file (nova takes up to
#: 65,535 bytes) fits. A real walk's longest text otherwise is a step's note, 546 characters.
MAX_TEXT = 65_536
#: The most characters of JSON the server view, and each row of ``servers``, may take: the show table prints
#: each of its values in one cell. A real walk's server view takes 1,321.
MAX_SERVER_JSON = 256 * 1024
#: Every number in a trace lies strictly between -2**63 and 2**63.
NUMBER_LIMIT = 2**63

#: A C0 control character, DEL, a C1 control character, or a lone surrogate (which no terminal encoding can print).
UNSAFE_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

#: How a path's key is shown bare: ``steps[0].handoffs``; any other key is quoted, ``payload["a b"]``.
_BARE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_:-]*")

#: The levels a service's log line may have (Python's logging levels, which oslo.log uses).
LOG_LEVELS = ("DEBUG", "INFO", "AUDIT", "WARNING", "ERROR", "CRITICAL")
#: How an attempt to build on a host ended (``Attempt.result``).
ATTEMPT_RESULTS = ("active", "rescheduled", "error")
#: The statuses ``nova list`` shows for a server at the end of a walk.
SERVER_STATUSES = ("ACTIVE", "ERROR", "BUILD", "DELETED")

#: Where a value sits in the document: keys and list indexes from the top.
Where = tuple[str | int, ...]
#: A check of one value at one place; it raises TraceFormatError.
Check = Callable[[Any, Where], None]


class TraceFormatError(Exception):
    """The file is not a bootwalk trace this version can replay."""


class UnreadableNumber:
    """A number in the JSON text that no trace holds, kept as its text: NaN, Infinity, or one beyond ±2**63.

    The reader's JSON parser returns one in place of the number, so that the
    check names the path where it stands.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def problem(self) -> str:
        """What is wrong with it, in a few words."""
        if self.text in ("NaN", "Infinity", "-Infinity"):
            return f"{self.text} is not a finite number"
        if len(self.text) <= 24:
            shown = self.text
        elif self.text.lstrip("-").isdigit():
            shown = f"a number of {len(self.text.lstrip('-'))} digits"
        else:
            shown = f"a number {len(self.text)} characters long"
        return f"{shown} is out of range (±2**63 or beyond)"


def path_text(where: Where) -> str:
    """A path as the error line shows it: ``steps[3].handoffs[0].source``, ``payload["a b"]``."""
    text = ""
    for key in where:
        if isinstance(key, int):
            text += f"[{key}]"
        elif _BARE_KEY.fullmatch(key) and len(key) <= 40:
            text += f".{key}" if text else key
        else:
            # json.dumps escapes every control character (ensure_ascii), so the line stays printable.
            text += f"[{json.dumps(key if len(key) <= 40 else key[:40] + '…', allow_nan=False)}]"
    return text


def problem(what: str, where: Where) -> TraceFormatError:
    """The error for one problem at one place: ``not a bootwalk trace: WHAT at PATH``."""
    at = f" at {path_text(where)}" if where else ""
    return TraceFormatError(f"not a bootwalk trace: {what}{at}")


def shown(value: Any) -> str:
    """A value as an error line shows it: short, and with no control character."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value.bit_length() <= 128 else f"a {value.bit_length()}-bit number"
    if isinstance(value, float):
        return {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}.get(repr(value), repr(value))
    if isinstance(value, str):
        # repr escapes what is not printable: control characters, lone surrogates.
        return repr(value if len(value) <= 40 else value[:40] + "…")
    if isinstance(value, UnreadableNumber):
        return value.text if len(value.text) <= 24 else "a long number"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a {type(value).__name__}"


# --- 1. plain JSON a terminal can show ------------------------------------------------


def check_text(text: str, where: Where, what: str = "") -> None:
    """Refuse a text that is too long, or holds a control character or a lone surrogate."""
    if len(text) > MAX_TEXT:
        raise problem(f"a text of {len(text)} characters, more than {MAX_TEXT}{what}", where)
    found = UNSAFE_CHARACTER.search(text)
    if found is not None:
        code = ord(found.group())
        kind = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
        raise problem(f"{kind} (U+{code:04X}){what}", where)


def check_plain_json(document: Any) -> None:
    """Walk every value, iteratively and in document order: texts, keys, numbers and nesting.

    Lists may be tuples, for callers that build the document in Python.
    """
    stack: list[tuple[Any, Where, int]] = [(document, (), 1)]
    while stack:
        value, where, level = stack.pop()
        if isinstance(value, str):
            check_text(value, where)
        elif value is None or isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if not -NUMBER_LIMIT < value < NUMBER_LIMIT:
                raise problem(f"{shown(value)} is out of range (±2**63 or beyond)", where)
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise problem(f"{shown(value)} is not a finite number", where)
            if not -NUMBER_LIMIT < value < NUMBER_LIMIT:
                raise problem(f"{shown(value)} is out of range (±2**63 or beyond)", where)
        elif isinstance(value, UnreadableNumber):
            raise problem(value.problem(), where)
        elif isinstance(value, (Mapping, list, tuple)):
            if level > MAX_DEPTH:
                raise problem(f"nested deeper than {MAX_DEPTH} levels", where)
            children: list[tuple[Any, Where, int]] = []
            if isinstance(value, Mapping):
                for key, item in value.items():
                    if not isinstance(key, str):
                        raise problem(f"a key that is not text ({shown(key)})", where)
                    check_text(key, (*where, key), " in a key")
                    children.append((item, (*where, key), level + 1))
            else:
                children = [(item, (*where, index), level + 1) for index, item in enumerate(value)]
            stack.extend(reversed(children))
        else:
            raise problem(f"{shown(value)} is not a JSON value", where)


def count_values(value: Any) -> int:
    """How many JSON values a value holds, itself included: how many lines ``-v`` prints it on, roughly."""
    count = 0
    stack = [value]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return count


# --- 2. the shape ----------------------------------------------------------------------


def _wrong(value: Any, expected: str, where: Where) -> TraceFormatError:
    return problem(f"{shown(value)} is not {expected}", where)


def text(value: Any, where: Where) -> None:
    """A string."""
    if not isinstance(value, str):
        raise _wrong(value, "a string", where)


def boolean(value: Any, where: Where) -> None:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise _wrong(value, "true or false", where)


def number(value: Any, where: Where) -> None:
    """An integer or a float (its range was checked with every number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _wrong(value, "a number", where)


def anything(value: Any, where: Where) -> None:
    """Any JSON value: what the plain-JSON check let through."""


def integer(low: int, high: int) -> Check:
    """An integer from ``low`` to ``high``; a bool or a float such as ``1.0`` is not one."""
    high_text = "2**63 - 1" if high == NUMBER_LIMIT - 1 else str(high)

    def check(value: Any, where: Where) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _wrong(value, "an integer", where)
        if not low <= value <= high:
            raise problem(f"{shown(value)} is out of range ({low} to {high_text})", where)

    return check


def one_of(choices: type[Enum] | tuple[str, ...], label: str = "") -> Check:
    """One of an enum's values (named by the enum: ``'x' is not a valid StepStatus``), or of a tuple of texts."""
    values = frozenset(member.value for member in choices) if isinstance(choices, type) else frozenset(choices)
    name = label or getattr(choices, "__name__", "value")

    def check(value: Any, where: Where) -> None:
        if not isinstance(value, str) or value not in values:
            raise problem(f"{shown(value)} is not a valid {name}", where)

    return check


def nullable(inner: Check) -> Check:
    """``null``, or what ``inner`` accepts."""

    def check(value: Any, where: Where) -> None:
        if value is not None:
            inner(value, where)

    return check


def list_of(item: Check, most: int = MAX_ENTRIES) -> Check:
    """A list, each item checked, of at most ``most`` items."""

    def check(value: Any, where: Where) -> None:
        if not isinstance(value, (list, tuple)):
            raise _wrong(value, "a list", where)
        if len(value) > most:
            raise problem(f"more than {most} entries", where)
        for index, entry in enumerate(value):
            item(entry, (*where, index))

    return check


def mapping_of(item: Check) -> Check:
    """An object with any keys, each value checked."""

    def check(value: Any, where: Where) -> None:
        if not isinstance(value, Mapping):
            raise _wrong(value, "an object", where)
        for key, entry in value.items():
            item(entry, (*where, key))

    return check


def at_most_json(inner: Check, most: int) -> Check:
    """What ``inner`` accepts, taking at most ``most`` characters as JSON."""

    def check(value: Any, where: Where) -> None:
        inner(value, where)
        if value is not None and len(json.dumps(value, ensure_ascii=False, allow_nan=False)) > most:
            raise problem(f"more than {most} characters of JSON", where)

    return check


def record(required: Mapping[str, Check], optional: Mapping[str, Check] | None = None) -> Check:
    """An object with these keys (the first missing one is reported, in this order), and maybe these others.

    Keys named in neither may hold any JSON value.
    """
    maybe = optional or {}

    def check(value: Any, where: Where) -> None:
        if not isinstance(value, Mapping):
            raise _wrong(value, "an object", where)
        for key in required:
            if key not in value:
                raise problem(f"missing {key!r}", where)
        for key, inner in required.items():
            inner(value[key], (*where, key))
        for key, inner in maybe.items():
            if key in value:
                inner(value[key], (*where, key))

    return check


COUNT = integer(0, NUMBER_LIMIT - 1)
ATTEMPT = integer(1, MAX_STEPS)
NAME_AND_ID = record({"name": text, "id": text})

SCHEDULING_FIELDS = {
    "filter_results": list_of(
        record({"host": text, "filter": text, "passed": boolean, "reason": text}), MAX_HOST_ENTRIES
    ),
    "weights": list_of(
        record(
            {
                "host": text,
                "weight": number,
                "weighers": list_of(
                    record({"weigher": text, "raw": number, "normalised": number, "multiplier": number, "unit": text})
                ),
            }
        ),
        MAX_HOST_ENTRIES,
    ),
    "selected_host": nullable(text),
    "instance": text,
    "instance_name": text,
    "considered": COUNT,
}
SCHEDULING = record(SCHEDULING_FIELDS, {"alternates": list_of(text, MAX_HOST_ENTRIES)})


def check_scheduling(value: Any, where: Where) -> None:
    """One instance's placement; the table shows the selected host's weight, so a selected host was weighed."""
    SCHEDULING(value, where)
    if value["selected_host"] is not None and not value["weights"]:
        raise problem(f"{shown(value['selected_host'])} is selected but no host was weighed", (*where, "weights"))


HANDOFF = record(
    {
        "source": one_of(Service),
        "target": one_of(Service),
        "channel": one_of(Channel),
        "call": text,
        "summary": text,
        "payload": mapping_of(anything),
        "simplified": boolean,
    },
    {"kind": one_of(Kind), "bytes": nullable(COUNT), "work": nullable(one_of(Work))},
)


def check_handoff(value: Any, where: Where) -> None:
    """One handoff; one saved before handoffs had a kind has its kind told from its payload's headers."""
    HANDOFF(value, where)
    headers = value["payload"].get("headers")
    if "kind" not in value and headers is not None and not isinstance(headers, Mapping):
        raise _wrong(headers, "an object", (*where, "payload", "headers"))


#: The instance's three state fields.
STATE = record({"vm_state": text, "task_state": nullable(text), "power_state": integer(0, 7)})

STEP = record(
    {
        "number": integer(1, MAX_STEPS),
        "name": text,
        "title": text,
        "service": one_of(Service),
        "status": one_of(StepStatus),
        "note": text,
        "source": text,
        "detail": text,
        "state": nullable(STATE),
        "handoffs": list_of(check_handoff, MAX_HANDOFFS),
        "attempt": ATTEMPT,
    },
    {
        "logs": list_of(
            record(
                {"service": one_of(Service), "level": one_of(LOG_LEVELS, "log level"), "text": text},
                {"minor": boolean},
            )
        ),
        "cleanup": list_of(text),
        "passed_states": list_of(STATE, MAX_HANDOFFS),
    },
)


def check_step(value: Any, where: Where) -> None:
    """One step; the scheduling step also holds the filters that ran and every placement."""
    STEP(value, where)
    if "enabled_filters" in value:
        record({"enabled_filters": list_of(text), "placements": list_of(check_scheduling)})(value, where)
        check_scheduling(value, where)


#: The request: the fields the renderers read (the header, the show table, the error line), typed.
REQUEST = record(
    {},
    {
        "dialect": text,
        "commands": nullable(mapping_of(text)),
        "no_openstack_flag": nullable(list_of(text)),
        "microversions": nullable(list_of(text)),
        "name": text,
        "poll": nullable(boolean),
        "api_version": text,
        "flavor": nullable(NAME_AND_ID),
        "image": nullable(NAME_AND_ID),
        "action": one_of(("boot", "delete"), "action"),
        "id": text,
        "server": text,
    },
)


#: The server's image as nova gives it: its ID and link (a trace saved before kept its name too).
SERVER_IMAGE = record({"id": text}, {"name": text, "links": list_of(mapping_of(anything))})


def check_image(value: Any, where: Where) -> None:
    """The server's image, or empty text when it booted from a volume."""
    if value is not None and not isinstance(value, str):
        SERVER_IMAGE(value, where)


#: The server at the end (``GET /servers/{id}``): the fields the show tables of both dialects read, typed.
SERVER = record(
    {"name": text},
    {
        "image": check_image,
        "addresses": nullable(mapping_of(list_of(record({"addr": text})))),
        "metadata": mapping_of(anything),
        "os-extended-volumes:volumes_attached": nullable(list_of(mapping_of(anything))),
        "security_groups": list_of(record({"name": text})),
        "tags": nullable(list_of(text)),
        "OS-EXT-STS:power_state": integer(0, 7),
        "fault": nullable(record({"code": integer(0, 999), "message": text})),
    },
)

#: A row of ``nova list``, with the host.
SERVER_ROW = record(
    {
        "name": text,
        "status": one_of(SERVER_STATUSES, "server status"),
        "host": nullable(text),
        "networks": mapping_of(list_of(text)),
    },
    {
        "id": text,
        "task_state": nullable(text),
        "power_state": integer(0, 7),
        "fault": nullable(record({"code": integer(0, 999), "message": text})),
    },
)

#: The whole document, after schema_version and flow. The keys are checked for in the order the reader
#: has always reported a missing one.
DOCUMENT = record(
    {
        "scenario": nullable(record({"name": text, "lesson": text})),
        "error": nullable(record({"type": text, "message": text, "http_status": nullable(integer(100, 599))})),
        "seed": integer(0, NUMBER_LIMIT - 1),
        "request": REQUEST,
        "steps": list_of(check_step, MAX_STEPS),
        "outcome": one_of(Outcome),
        "server": nullable(at_most_json(SERVER, MAX_SERVER_JSON)),
        "servers": list_of(at_most_json(SERVER_ROW, MAX_SERVER_JSON)),
        "attempts": list_of(
            record(
                {
                    "attempt": ATTEMPT,
                    "host": nullable(text),
                    "result": one_of(ATTEMPT_RESULTS, "attempt result"),
                    "reason": nullable(text),
                }
            )
        ),
        "surfaces": nullable(text),
    },
    {"release": text},
)


# --- 3. a walk the flow can produce ----------------------------------------------------


def check_walk(document: Mapping[str, Any], flow: Flow) -> None:
    """The steps as the engine walks the flow, and an outcome that fits where the walk ended.

    The engine takes the flow's steps in order, numbering each by its place
    in the flow; a failed step ends the walk; a rescheduled one sends it
    back to the flow's ``reschedule_to`` step for the next attempt; the walk
    ends after the last step. It is ACTIVE only when every server is.
    """
    steps = document["steps"]
    deleting = document["request"].get("action") == "delete"
    pipeline: Sequence[Any] = flow.delete_steps if deleting else flow.steps
    total = len(pipeline)
    if not steps:
        raise problem("an empty list (a walk records at least its first step)", ("steps",))
    restart = flow.step_index(flow.reschedule_to)
    index, attempt = 0, 1
    for position, step in enumerate(steps):
        where: Where = ("steps", position)
        if deleting and step["status"] not in (StepStatus.OK.value, StepStatus.SKIPPED.value):
            raise problem(f"a delete's step ends ok or skipped, not {shown(step['status'])}", (*where, "status"))
        if position and steps[position - 1]["status"] == StepStatus.FAILED.value:
            failed = steps[position - 1]["number"]
            raise problem(f"step {failed} failed, which ends a walk, but the trace goes on", where)
        if index == total:
            raise problem(f"the walk ended after step {total} of {total}, but the trace goes on", where)
        expected = pipeline[index]
        if step["number"] != index + 1:
            raise problem(f"step {step['number']} where the walk takes step {index + 1}", (*where, "number"))
        if step["name"] != expected.name:
            raise problem(
                f"{shown(step['name'])} is not step {index + 1} of the {flow.name} flow ({expected.name!r})",
                (*where, "name"),
            )
        if step["service"] != expected.service.value:
            raise problem(
                f"{shown(step['service'])} is not the service of step {index + 1} of the {flow.name} flow "
                f"({expected.service.value})",
                (*where, "service"),
            )
        if step["attempt"] != attempt:
            raise problem(f"attempt {step['attempt']} where the walk is on attempt {attempt}", (*where, "attempt"))
        if step["status"] == StepStatus.RESCHEDULED.value:
            index, attempt = restart, attempt + 1
        else:
            index += 1
    last = steps[-1]
    says = document["outcome"]
    if deleting or says == Outcome.DELETED.value:
        check_delete_end(document, deleting, total)
        return
    if last["status"] != StepStatus.FAILED.value and index < total:
        ending = " but says ACTIVE" if says == Outcome.ACTIVE.value else ", which neither failed nor ended the walk"
        raise problem(f"the trace stops after step {last['number']} of {total}{ending}", ())
    servers = document["servers"]
    every_server_active = bool(servers) and all(server["status"] == "ACTIVE" for server in servers)
    if says == Outcome.ACTIVE.value:
        if last["status"] != StepStatus.OK.value:
            raise problem(f"step {last['number']} of {total} ended {last['status']} but the trace says ACTIVE", ())
        if not servers:
            raise problem("the trace says ACTIVE but lists no server", ("servers",))
        for number, server in enumerate(servers):
            if server["status"] != "ACTIVE":
                raise problem(f"the trace says ACTIVE but the server is {server['status']}", ("servers", number))
        if document["error"] is not None:
            raise problem("the trace says ACTIVE but records an error", ("error",))
    elif every_server_active:
        raise problem("the trace says ERROR but every server is ACTIVE", ("outcome",))


def check_delete_end(document: Mapping[str, Any], deleting: bool, total: int) -> None:
    """A delete's walk takes every step of the flow's delete, none fails, and it ends DELETED; a boot's never does."""
    if not deleting:
        raise problem("the trace says DELETED but walks a boot (its request's action is not delete)", ("outcome",))
    steps = document["steps"]
    if document["outcome"] != Outcome.DELETED.value:
        raise problem(f"a delete's walk ends DELETED, not {shown(document['outcome'])}", ("outcome",))
    if len(steps) < total:
        raise problem(f"the trace stops after step {steps[-1]['number']} of {total} but says DELETED", ())
    servers = document["servers"]
    if len(servers) != 1:
        raise problem(f"a delete's walk lists the one server it deleted, not {len(servers)}", ("servers",))
    if servers[0]["status"] != "DELETED":
        raise problem(f"the trace says DELETED but the server is {servers[0]['status']}", ("servers", 0))
    for key in ("error", "server", "scenario"):  # a delete ends with no error, no server to show, no fault injected
        if document[key] is not None:
            raise problem(f"a delete's walk has no {key}", (key,))
    if document["attempts"]:
        raise problem("a delete's walk has no build attempts", ("attempts",))


# --- all of it -------------------------------------------------------------------------

NOT_A_TRACE = "not a bootwalk trace (save one with: bootwalk boot ... -f json > FILE)"


def check_document(document: Any) -> None:
    """Check a whole trace document; raise TraceFormatError, with one line, at the first problem."""
    if isinstance(document, list) and document and all(isinstance(item, Mapping) for item in document):
        raise TraceFormatError(
            f"holds {len(document)} walks (delete -f json with several servers); replay takes one: "
            "save each delete on its own"
        )
    if not isinstance(document, Mapping) or "schema_version" not in document or "steps" not in document:
        raise TraceFormatError(NOT_A_TRACE)
    version = document["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int):
        raise _wrong(version, "an integer", ("schema_version",))
    if version != SCHEMA_VERSION:
        raise TraceFormatError(
            f"schema_version {shown(version)} is not the one this bootwalk reads ({SCHEMA_VERSION}); "
            "save the walk again with this version"
        )
    check_plain_json(document)
    from bootwalk.flows import flow_names, get_flow

    if "flow" not in document:
        raise problem("missing 'flow'", ())
    flow = document["flow"]
    if flow not in flow_names():
        raise TraceFormatError(f"not a bootwalk trace: flow {shown(flow)} is not one of {', '.join(flow_names())}")
    from bootwalk.dialects import DIALECTS

    request = document.get("request")
    dialect = request.get("dialect", "nova") if isinstance(request, Mapping) else "nova"
    if not isinstance(dialect, str) or dialect not in DIALECTS:
        raise TraceFormatError(f"not a bootwalk trace: dialect {shown(dialect)} is not one of {', '.join(DIALECTS)}")
    DOCUMENT(document, ())
    handoffs = [handoff for step in document["steps"] for handoff in step["handoffs"]]
    if len(handoffs) > MAX_ALL_HANDOFFS:
        raise problem(f"more than {MAX_ALL_HANDOFFS} handoffs in all", ("steps",))
    if sum(count_values(handoff["payload"]) for handoff in handoffs) > MAX_PAYLOAD_VALUES:
        raise problem(f"more than {MAX_PAYLOAD_VALUES} values in the payloads in all", ("steps",))
    check_walk(document, get_flow(flow))

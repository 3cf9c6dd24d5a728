"""Replay treats every trace as hostile: a tampered one gets one line naming the file and the JSON path, exit 1.

The corpus tampers with real walks (the demo boot, a walk rescheduled after
a failed spawn, a walk that finds no host) the ways a tester did, each with
its exact line; a property test tampers at random and checks that replay
either refuses with one line or replays faithfully, never with an internal
error or a control character on the terminal.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bootwalk.cli import cli
from bootwalk.exit_codes import ExitCode
from bootwalk.flows import flow_names
from bootwalk.replay import TraceFormatError, trace_from_text
from bootwalk.scenarios import SCENARIOS
from bootwalk.trace_validation import MAX_TRACE_BYTES
from tests.conftest import DEMO_ARGS

#: The walks the corpus tampers with: one ACTIVE, one rescheduled then ACTIVE, one that failed.
BASES = {
    "demo": DEMO_ARGS,
    "rescheduled": [*DEMO_ARGS, "--scenario", "spawn-failed"],
    "failed": [*DEMO_ARGS, "--scenario", "compute-down"],
}

#: The shipped catalog's bootable volume, for the scenario that needs a volume to attach.
VOLUME = "8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7"

#: What must never reach a terminal: C0 but the newline, DEL, C1.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")

Document = dict[str, Any]
Edit = Callable[[Document], None]


def run(arguments: list[str], **kwargs: Any) -> Result:
    """bootwalk in-process; BOOTWALK_DEBUG makes a bug raise here instead of printing its internal-error line."""
    return CliRunner().invoke(
        cli,
        arguments,
        prog_name="bootwalk",
        env={"COLUMNS": "80", "BOOTWALK_DEBUG": "1"},
        catch_exceptions=False,
        **kwargs,
    )


@pytest.fixture(scope="module")
def saved() -> dict[str, str]:
    """Each base walk as ``boot -f json`` saved it."""
    texts = {}
    for name, arguments in BASES.items():
        result = run([*arguments, "-f", "json"])
        assert result.exit_code == (ExitCode.ERROR if name == "failed" else ExitCode.OK), result.stderr
        texts[name] = result.stdout
    return texts


def literal(json_text: str) -> str:
    """A placeholder that :func:`dumped` turns into this JSON text as it is, such as ``1e400`` or ``NaN``."""
    return f"@@literal:{json_text}@@"


def dumped(document: Any) -> str:
    """The document as JSON text, with each :func:`literal` written in."""
    return re.sub(r'"@@literal:(.*?)@@"', lambda found: found.group(1), json.dumps(document, indent=2), flags=re.DOTALL)


def setter(path: str, value: Any) -> Edit:
    """An edit that sets the value at a path such as ``steps[3].handoffs[0].source``."""
    *parents, last = _keys(path)

    def edit(document: Document) -> None:
        target: Any = document
        for key in parents:
            target = target[key]
        target[last] = value

    return edit


def deleter(path: str) -> Edit:
    """An edit that deletes the key at a path."""
    *parents, last = _keys(path)

    def edit(document: Document) -> None:
        target: Any = document
        for key in parents:
            target = target[key]
        del target[last]

    return edit


def _keys(path: str) -> list[str | int]:
    return [int(index) if index else key for key, index in re.findall(r"(\w+)|\[(\d+)\]", path)]


def cut(count: int) -> Edit:
    def edit(document: Document) -> None:
        document["steps"] = document["steps"][:count]

    return edit


def go_on_after_the_failure(document: Document) -> None:
    document["steps"].append(copy.deepcopy(document["steps"][-1]))


def times(count: int) -> Edit:
    def edit(document: Document) -> None:
        document["steps"] = document["steps"] * count

    return edit


def many_handoffs(document: Document) -> None:
    document["steps"][0]["handoffs"] *= 1001


def add_payload_key(key: str) -> Edit:
    def edit(document: Document) -> None:
        document["steps"][1]["handoffs"][0]["payload"]["headers"][key] = "x"

    return edit


NOT = "not a bootwalk trace: "

#: (base walk, edit, the line after "Error: FILE: ").
CORPUS: dict[str, tuple[str, Edit, str]] = {
    "seed 1e400": ("demo", setter("seed", literal("1e400")), NOT + "1e400 is out of range (±2**63 or beyond) at seed"),
    "a seed of 4,301 digits": (
        "demo",
        setter("seed", literal("1" * 4301)),
        NOT + "a number of 4301 digits is out of range (±2**63 or beyond) at seed",
    ),
    "a negative seed": ("demo", setter("seed", -1), NOT + "-1 is out of range (0 to 2**63 - 1) at seed"),
    "seed 2**63": (
        "demo",
        setter("seed", 2**63),
        NOT + "9223372036854775808 is out of range (±2**63 or beyond) at seed",
    ),
    "a seed of true": ("demo", setter("seed", True), NOT + "true is not an integer at seed"),
    "request null": ("demo", setter("request", None), NOT + "null is not an object at request"),
    "a number for a title": ("demo", setter("steps[0].title", 5), NOT + "5 is not a string at steps[0].title"),
    "a number for a summary": (
        "demo",
        setter("steps[1].handoffs[0].summary", 1.5),
        NOT + "1.5 is not a string at steps[1].handoffs[0].summary",
    ),
    "a number for a server's name": (
        "demo",
        setter("servers[0].name", 7),
        NOT + "7 is not a string at servers[0].name",
    ),
    "a number for the request's name": ("demo", setter("request.name", 0), NOT + "0 is not a string at request.name"),
    'servers "abc"': ("demo", setter("servers", "abc"), NOT + "'abc' is not a list at servers"),
    "nested 200,000 deep": (
        "demo",
        setter("steps[0].handoffs[0].payload", literal("[" * 200_000 + "]" * 200_000)),
        NOT + "JSON nested deeper than 64 levels",
    ),
    "nested just past the limit in a payload": (
        "demo",
        setter("steps[0].handoffs[0].payload", {"body": literal("[" * 62 + "]" * 62)}),
        NOT + "JSON nested deeper than 64 levels",
    ),
    "steps []": ("demo", setter("steps", []), NOT + "an empty list (a walk records at least its first step) at steps"),
    "cut after 3 steps, still ACTIVE": ("demo", cut(3), NOT + "the trace stops after step 3 of 12 but says ACTIVE"),
    "cut before its failure": (
        "failed",
        cut(3),
        NOT + "the trace stops after step 3 of 12, which neither failed nor ended the walk",
    ),
    "cut at the reschedule, still ACTIVE": (
        "rescheduled",
        cut(12),
        NOT + "the trace stops after step 12 of 12 but says ACTIVE",
    ),
    "schema_version true": ("demo", setter("schema_version", True), NOT + "true is not an integer at schema_version"),
    "schema_version 1.0": ("demo", setter("schema_version", 1.0), NOT + "1.0 is not an integer at schema_version"),
    'schema_version "1"': ("demo", setter("schema_version", "1"), NOT + "'1' is not an integer at schema_version"),
    "a NaN weight": (
        "demo",
        setter("steps[3].weights[0].weight", literal("NaN")),
        NOT + "NaN is not a finite number at steps[3].weights[0].weight",
    ),
    "Infinity hosts considered": (
        "demo",
        setter("steps[3].considered", literal("-Infinity")),
        NOT + "-Infinity is not a finite number at steps[3].considered",
    ),
    "an escape sequence in a summary": (
        "demo",
        setter("steps[0].handoffs[0].summary", "user demo\x1b[2J"),
        NOT + "a control character (U+001B) at steps[0].handoffs[0].summary",
    ),
    "a C1 CSI in a note": (
        "demo",
        setter("steps[2].note", "\x9b31m"),
        NOT + "a control character (U+009B) at steps[2].note",
    ),
    "DEL in a log line": (
        "demo",
        setter("steps[3].logs[0].text", "Choosing host\x7f"),
        NOT + "a control character (U+007F) at steps[3].logs[0].text",
    ),
    "a newline in a title": (
        "demo",
        setter("steps[0].title", "a\nb"),
        NOT + "a control character (U+000A) at steps[0].title",
    ),
    "an escape sequence in a payload key": (
        "demo",
        add_payload_key("\x1b]0;owned\x07"),
        NOT + 'a control character (U+001B) in a key at steps[1].handoffs[0].payload.headers["\\u001b]0;owned\\u0007"]',
    ),
    "an escape sequence deep in a payload": (
        "demo",
        setter("steps[2].handoffs[4].payload.body.server.name", "demo\x1b[8m"),
        NOT + "a control character (U+001B) at steps[2].handoffs[4].payload.body.server.name",
    ),
    "a lone surrogate": (
        "demo",
        setter("steps[0].handoffs[0].summary", "\ud800"),
        NOT + "a lone surrogate (U+D800) at steps[0].handoffs[0].summary",
    ),
    "an unknown service": (
        "demo",
        setter("steps[3].handoffs[0].source", "keystonee"),
        NOT + "'keystonee' is not a valid Service at steps[3].handoffs[0].source",
    ),
    "an unknown channel": (
        "demo",
        setter("steps[3].handoffs[0].channel", "smoke signal"),
        NOT + "'smoke signal' is not a valid Channel at steps[3].handoffs[0].channel",
    ),
    "an unknown outcome": ("demo", setter("outcome", "SHUTOFF"), NOT + "'SHUTOFF' is not a valid Outcome at outcome"),
    "an unknown log level": (
        "demo",
        setter("steps[3].logs[0].level", "TRACE"),
        NOT + "'TRACE' is not a valid log level at steps[3].logs[0].level",
    ),
    "true as a step number": (
        "demo",
        setter("steps[0].number", True),
        NOT + "true is not an integer at steps[0].number",
    ),
    "1.0 as an attempt": ("demo", setter("steps[0].attempt", 1.0), NOT + "1.0 is not an integer at steps[0].attempt"),
    "a step without its name": ("demo", deleter("steps[0].name"), NOT + "missing 'name' at steps[0]"),
    "an image without its ID": ("demo", deleter("server.image.id"), NOT + "missing 'id' at server.image"),
    "a step out of order": (
        "demo",
        setter("steps[4].number", 7),
        NOT + "step 7 where the walk takes step 5 at steps[4].number",
    ),
    "another flow's step": (
        "demo",
        setter("steps[4].name", "conductor-build"),
        NOT + "'conductor-build' is not step 5 of the classic flow ('record-host') at steps[4].name",
    ),
    "a step's service changed": (
        "demo",
        setter("steps[4].service", "glance"),
        NOT + "'glance' is not the service of step 5 of the classic flow (nova-scheduler) at steps[4].service",
    ),
    "a reschedule that does not count the attempt": (
        "rescheduled",
        setter("steps[12].attempt", 1),
        NOT + "attempt 1 where the walk is on attempt 2 at steps[12].attempt",
    ),
    "a reschedule to the wrong step": (
        "rescheduled",
        setter("steps[12].number", 5),
        NOT + "step 5 where the walk takes step 4 at steps[12].number",
    ),
    "a failed walk that says ACTIVE": (
        "failed",
        setter("outcome", "ACTIVE"),
        NOT + "step 4 of 12 ended failed but the trace says ACTIVE",
    ),
    "a walk that goes on after its failure": (
        "failed",
        go_on_after_the_failure,
        NOT + "step 4 failed, which ends a walk, but the trace goes on at steps[4]",
    ),
    "ACTIVE with a server in ERROR": (
        "demo",
        setter("servers[0].status", "ERROR"),
        NOT + "the trace says ACTIVE but the server is ERROR at servers[0]",
    ),
    "ERROR with every server ACTIVE": (
        "demo",
        setter("outcome", "ERROR"),
        NOT + "the trace says ERROR but every server is ACTIVE at outcome",
    ),
    "ACTIVE with an error": (
        "demo",
        setter("error", {"type": "BadRequest", "message": "no", "http_status": 400}),
        NOT + "the trace says ACTIVE but records an error at error",
    ),
    "a selected host never weighed": (
        "demo",
        setter("steps[3].weights", []),
        NOT + "'compute1' is selected but no host was weighed at steps[3].weights",
    ),
    "an HTTP status of 1000": (
        "failed",
        setter("error", {"type": "NoValidHost", "message": "x", "http_status": 1000}),
        NOT + "1000 is out of range (100 to 599) at error.http_status",
    ),
    "1,001 steps": ("demo", times(84), NOT + "more than 1000 entries at steps"),
    "1,001 handoffs in a step": ("demo", many_handoffs, NOT + "more than 1000 entries at steps[0].handoffs"),
    "a summary of 65,537 characters": (
        "demo",
        setter("steps[0].handoffs[0].summary", "x" * 65_537),
        NOT + "a text of 65537 characters, more than 65536 at steps[0].handoffs[0].summary",
    ),
    "a dialect that is a list": (
        "demo",
        setter("request.dialect", []),
        NOT + "dialect a list is not one of nova, openstack",
    ),
}


@pytest.mark.parametrize(("base", "edit", "line"), list(CORPUS.values()), ids=list(CORPUS))
def test_a_tampered_trace_gets_one_line_naming_the_file_and_the_path(
    saved: dict[str, str], tmp_path: Path, base: str, edit: Edit, line: str
) -> None:
    document = json.loads(saved[base])
    edit(document)
    path = tmp_path / "walk.json"
    path.write_text(dumped(document), encoding="utf-8")
    result = run(["replay", str(path)])
    assert (result.exit_code, result.stdout, result.stderr) == (ExitCode.ERROR, "", f"Error: {path}: {line}\n")


def _padded(text: str, size: int) -> bytes:
    """A saved walk padded with spaces after the document to exactly ``size`` bytes."""
    data = text.encode("utf-8")
    return data + b" " * (size - len(data))


TOO_LARGE = "larger than 8 MiB, the most replay reads (a saved walk is a few hundred KB)"


def test_a_file_over_the_size_limit_is_refused_at_once_and_one_at_it_is_read(
    saved: dict[str, str], tmp_path: Path
) -> None:
    over, at = tmp_path / "over.json", tmp_path / "at.json"
    over.write_bytes(_padded(saved["demo"], MAX_TRACE_BYTES + 1))
    at.write_bytes(_padded(saved["demo"], MAX_TRACE_BYTES))
    result = run(["replay", str(over)])
    assert (result.exit_code, result.stdout, result.stderr) == (ExitCode.ERROR, "", f"Error: {over}: {TOO_LARGE}\n")
    result = run(["replay", str(at), "-f", "json"])
    assert (result.exit_code, result.stdout) == (ExitCode.OK, saved["demo"])


def test_standard_input_over_the_size_limit_is_refused_after_the_limit(saved: dict[str, str]) -> None:
    result = run(["replay", "-"], input=_padded(saved["demo"], MAX_TRACE_BYTES + 1))
    assert (result.exit_code, result.stdout, result.stderr) == (ExitCode.ERROR, "", f"Error: <stdin>: {TOO_LARGE}\n")


def test_standard_input_that_is_not_utf8_is_one_line() -> None:
    result = run(["replay", "-"], input=b"\xff\xfe{}")
    assert result.stderr == "Error: <stdin>: not a bootwalk trace (not UTF-8 text)\n"


def test_a_file_name_with_a_control_character_is_shown_escaped(saved: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "walk\x1b[2J.json"
    path.write_text("[]", encoding="utf-8")
    # The command line refuses the name before the file is read; either way, the escape is shown, not sent.
    result = run(["replay", str(path)])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "Error: Invalid value for 'FILE': holds a control character (U+001B); bootwalk takes printable text only "
        "(see 'bootwalk replay --help')\n"
    )


def test_a_server_named_like_markup_replays_as_its_name(saved: dict[str, str], tmp_path: Path) -> None:
    document = json.loads(saved["demo"])
    document["server"]["name"] = "[/x]"
    path = tmp_path / "walk.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run(["replay", str(path), "--show"])
    assert result.exit_code == ExitCode.OK
    assert "nova show [/x]" in [line.rstrip() for line in result.stdout.splitlines()]


@pytest.mark.parametrize("flow", flow_names())
@pytest.mark.parametrize("scenario", [None, *SCENARIOS])
@pytest.mark.parametrize("command", [["boot"], ["server", "create"]])
def test_every_walk_bootwalk_saves_replays_as_itself(flow: str, scenario: str | None, command: list[str]) -> None:
    """Every flow, scenario and dialect, with ten servers: the checks refuse nothing a real walk writes."""
    if command == ["boot"]:
        arguments = ["boot", "--flavor", "m1.tiny", "--nic", "net-name=private", "--max-count", "10", "--poll"]
        source = ["--boot-volume", VOLUME] if scenario == "volume-attach-failed" else ["--image", "cirros"]
    else:
        arguments = ["server", "create", "--flavor", "m1.tiny", "--network", "private", "--max", "10", "--wait"]
        source = ["--volume", VOLUME] if scenario == "volume-attach-failed" else ["--image", "cirros"]
    metadata = ["--meta" if command == ["boot"] else "--property", "course=intro"]
    arguments += [*source, *metadata, "--flow", flow, "demo-vm", "-f", "json"]
    if scenario:
        arguments += ["--scenario", scenario]
    live = run(arguments)
    replayed = run(["replay", "-", "-f", "json"], input=live.stdout)
    assert (replayed.stdout, replayed.stderr, replayed.exit_code) == (live.stdout, live.stderr, live.exit_code)


# --- tampering at random ---------------------------------------------------------------


def paths_in(value: Any, where: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value inside a document."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield (*where, key)
        yield from paths_in(item, (*where, key))


#: Texts a tamperer might put anywhere: control characters, markup, enum values of the wrong field, nothing.
NASTY_TEXTS = ["\x1b[2J", "a\nb", "\x9b1m", "\x7f", "\ud800", "[/x]", "[bold]x", "", "1", "ACTIVE", "ERROR",
               "failed", "rescheduled", "keystone", "rest-request", "download", "nova", "openstack"]  # fmt: skip
#: JSON texts Python's json would read, or fail on, in ways a trace must not hold.
NASTY_LITERALS = ["1e400", "-1e400", "NaN", "Infinity", "-Infinity", "1.0", "-0", "18446744073709551616"]


def _long(what: str) -> str:
    """A long value, built here so that hypothesis's reports stay short."""
    return {
        "digits": literal("1" * 4301),
        "deep": literal("[" * 70 + "]" * 70),
        "deeper": literal("[" * 5000 + "]" * 5000),
        "text": "x" * 70_000,
    }[what]


ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
    | st.sampled_from(NASTY_TEXTS)
    | st.sampled_from(NASTY_LITERALS).map(literal)
    | st.sampled_from(["digits", "deep", "deeper", "text"]).map(_long),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=6,
)

OPTIONS = [[], ["-v"], ["-q"], ["--timeline"], ["-f", "json"], ["-f", "mermaid"], ["-f", "markdown"]]


def tamper(document: Document, data: st.DataObject) -> None:
    """One random change: a value replaced, a key or an entry deleted, a key added, or the steps cut short."""
    how = data.draw(st.sampled_from(["replace", "replace", "replace", "delete", "add key", "cut steps"]))
    if how == "cut steps":
        document["steps"] = document["steps"][: data.draw(st.integers(0, len(document["steps"])))]
        return
    path = data.draw(st.sampled_from(list(paths_in(document))))
    *parents, last = path
    parent: Any = document
    for key in parents:
        parent = parent[key]
    if how == "replace":
        parent[last] = data.draw(ANY_VALUE)
    elif how == "delete":
        del parent[last]
    elif isinstance(parent, dict):
        parent[data.draw(st.sampled_from(NASTY_TEXTS[:5]) | st.text(max_size=4))] = data.draw(ANY_VALUE)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_randomly_tampered_trace_is_refused_in_one_line_or_replayed_faithfully(
    saved: dict[str, str], tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    base = data.draw(st.sampled_from(sorted(BASES)))
    document = json.loads(saved[base])
    for _ in range(data.draw(st.integers(1, 3))):
        tamper(document, data)
    text = dumped(document)
    path = tmp_path_factory.getbasetemp() / "tampered.json"
    path.write_text(text, encoding="utf-8")
    options = data.draw(st.sampled_from(OPTIONS))

    result = run(["replay", str(path), *options])

    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert not CONTROL.search(result.stdout) and not CONTROL.search(result.stderr)
    try:
        trace = trace_from_text(text, str(path))
    except TraceFormatError as error:
        event("refused")
        assert (result.exit_code, result.stdout, result.stderr) == (ExitCode.ERROR, "", f"Error: {error}\n")
        assert str(error).startswith(f"{path}: ")
    else:
        event("replayed")
        assert result.exit_code == (ExitCode.OK if trace.outcome.value == "ACTIVE" else ExitCode.ERROR)
        assert result.stdout

"""Every fact belongs to its release: a flow states only what its release of nova says, read from data."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bootwalk.catalog import load_catalog, shipped_catalog_directory
from bootwalk.dialects.nics import parse_nics
from bootwalk.engine import resolve_request
from bootwalk.facts import ErrorFact, Facts, LogFact, sources
from bootwalk.flows import flow_names, get_flow
from bootwalk.hints import WEB_HA
from bootwalk.model import Catalog
from bootwalk.scenarios import SCENARIOS
from bootwalk.trace import Kind, Trace
from tests.conftest import demo_request
from tests.walking import walk

ROOT = Path(__file__).resolve().parent.parent
BOOT_VOLUME = "8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7"
#: A %-format placeholder, as nova's templates write them: %(name)s, %s, %d, %0.2f, %i.
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")


@cache
def catalog() -> Catalog:
    return load_catalog(shipped_catalog_directory())


def pattern(template: str) -> re.Pattern[str]:
    """The template as a regular expression: each placeholder matches any text."""
    parts = PLACEHOLDER.split(template)
    literal = parts[::2]  # split keeps the group (the name, or None) between the literal parts
    return re.compile("(.*)".join(re.escape(part) for part in literal), re.S)


REQUESTS: list[dict[str, object]] = [
    {},
    {"max_count": 2, "flavor": "m1.large"},
    {"max_count": 3, "flavor": "m1.xlarge"},
    {"image": None, "boot_volume": BOOT_VOLUME},
    {"nics": parse_nics(("net-name=private,v4-fixed-ip=192.168.1.5",))},
    {"hints": {"group": "web-ha"}},
    {"hints": {"group": WEB_HA}},
    {"availability_zone": "az2"},
    {"image": "centos-stream-9"},
    {"min_count": 11},
]


def walks(flow: str) -> Iterator[Trace]:
    """The flow walked over every request above, and every scenario (with a volume where one needs it)."""
    shipped = catalog()
    for changes in REQUESTS:
        yield walk(resolve_request(demo_request(**changes), shipped), shipped, flow)
    for scenario in SCENARIOS.values():
        changes = {"image": None, "boot_volume": BOOT_VOLUME} if scenario.needs_volume else {}
        for max_attempts in (1, 3):
            one = replace(shipped, scheduler=replace(shipped.scheduler, max_attempts=max_attempts))
            yield walk(resolve_request(demo_request(**changes), one), one, flow, scenario=scenario)


@pytest.mark.parametrize("flow", flow_names())
def test_every_log_line_is_one_its_release_logs(flow: str) -> None:
    facts = get_flow(flow).facts
    known = [
        (fact.service, fact.level, pattern(fact.template))
        for kind, _key, fact in facts.entries()
        if isinstance(fact, LogFact)
    ]
    seen = 0
    for trace in walks(flow):
        for step in trace.steps:
            for line in step.logs:
                seen += 1
                assert any(
                    service is line.service and level == line.level and text.fullmatch(line.text)
                    for service, level, text in known
                ), (flow, facts.release.name, line)
    assert seen > 50


@pytest.mark.parametrize("flow", flow_names())
def test_every_refusal_and_fault_is_its_releases_error(flow: str) -> None:
    facts = get_flow(flow).facts
    errors = [fact for _kind, _key, fact in facts.entries() if isinstance(fact, ErrorFact)]
    for trace in walks(flow):
        if trace.error is None:
            continue
        reasons = {attempt.reason for attempt in trace.attempts if attempt.result == "rescheduled"}
        message = trace.error.message
        if trace.error.http_status is None and message in reasons | {
            "internal error: qemu unexpectedly closed the monitor"
        }:
            continue  # max_attempts 1: the reason itself (libvirt's words, or the release's own error) is the fault
        matching = [
            error
            for error in errors
            if pattern(error.template).fullmatch(message)
            and (trace.error.http_status is None or error.http_status == trace.error.http_status)
        ]
        assert matching, (flow, facts.release.name, trace.error)


@pytest.mark.parametrize("flow", flow_names())
def test_every_rpc_is_its_releases_method_topic_version_and_kind(flow: str) -> None:
    facts = get_flow(flow).facts
    rpcs = {(fact.method, fact.topic, fact.version, fact.mode) for kind, _key, fact in facts.entries() if kind == "rpc"}
    for trace in walks(flow):
        for step in trace.steps:
            for handoff in step.handoffs:
                if handoff.simplified or handoff.kind not in (Kind.RPC_CAST, Kind.RPC_CALL):
                    continue
                payload = handoff.payload
                topic = payload["topic"].split(".")[0]
                mode = "cast" if handoff.kind is Kind.RPC_CAST else "call"
                assert (payload["method"], topic, payload.get("version"), mode) in rpcs, (flow, step.name, payload)


def test_the_releases_differ_where_nova_changed() -> None:
    """A few facts of one release that the other must not state (the audit's findings 2, 3, 9, 12, 17)."""
    icehouse, master = get_flow("classic").facts, get_flow("modern").facts
    assert icehouse.rpc("save_spawned").method == master.rpc("save_spawned").method == "object_action"
    assert icehouse.rpc("save_started").method == "instance_update"
    assert master.rpc("save_started").method == "object_action"
    assert [line.level for line in icehouse.logs("build_started")] == ["AUDIT"]
    assert [line.level for line in master.logs("build_started")] == ["DEBUG"]
    assert (icehouse.error("over_quota").http_status, master.error("over_quota").http_status) == (413, 403)
    assert not icehouse.has_error("retries_exceeded") or icehouse.error("retries_exceeded").exception == "NoValidHost"
    texts = {fact.template for _kind, _key, fact in icehouse.entries() if isinstance(fact, LogFact)}
    assert "Failed to build and run instance" not in texts and "Took %0.2f seconds to build instance." not in texts


@pytest.mark.parametrize("flow", flow_names())
def test_sources_name_only_files_verified_at_the_release(flow: str) -> None:
    chosen = get_flow(flow)
    steps = (*chosen.steps, *chosen.delete_steps)  # the boot's steps and the delete's
    texts = [step.source for step in steps] + [fact.source for _kind, _key, fact in chosen.facts.entries()]
    named = set(sources(texts))
    assert named <= chosen.facts.files, named - chosen.facts.files
    assert named == chosen.facts.files  # no file listed that nothing names


def test_each_release_names_its_own_paths() -> None:
    classic, modern = get_flow("classic").facts.files, get_flow("modern").facts.files
    assert "nova/network/neutronv2/api.py" in classic and "nova/network/neutron.py" not in classic
    assert "nova/network/neutron.py" in modern and "nova/network/neutronv2/api.py" not in modern
    assert "nova/conf/compute.py" not in classic  # nova/conf came in Newton


@pytest.mark.parametrize("facts", [get_flow(name).facts for name in flow_names()], ids=flow_names())
def test_every_template_fills_from_its_arguments(facts: Facts) -> None:
    for _kind, key, fact in facts.entries():
        if not isinstance(fact, LogFact | ErrorFact):
            continue
        named = [name for name in PLACEHOLDER.findall(fact.template) if name]
        positional = len(PLACEHOLDER.findall(fact.template)) - len(named)
        assert positional == len(fact.args), (key, fact.template)
        assert not (named and fact.args), (key, fact.template)
        values = {name: 1 for name in (*named, *fact.args)}
        filled = fact.line(values).text if isinstance(fact, LogFact) else fact.text(values)
        assert "%" not in filled.replace("%%", ""), (key, filled)


def _retyped(path: Path) -> list[str]:
    """Calls that write a log line, a fault, an error or an RPC by hand, with its text in the code."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        name = node.func.id
        literal = any(
            isinstance(arg, ast.JoinedStr) or (isinstance(arg, ast.Constant) and isinstance(arg.value, str))
            for arg in (*node.args, *(keyword.value for keyword in node.keywords))
        )
        story = any(k.arg == "simplified" for k in node.keywords)
        if name in ("LogLine", "Fault", "ApiError") and literal:
            found.append(f"{path.name}:{node.lineno} {name}")
        if name in ("rpc_cast", "rpc_call") and not story:
            found.append(f"{path.name}:{node.lineno} {name}")
        if name in ("LogFact", "ErrorFact", "RpcFact", "DefaultFact"):
            found.append(f"{path.name}:{node.lineno} {name}")
    return found


def test_no_step_retypes_a_fact() -> None:
    """Steps take log lines, errors and RPCs from their release's facts; only the story's calls are written in."""
    paths = [*(ROOT / "bootwalk" / "flows").rglob("*.py"), *(ROOT / "bootwalk" / "services").rglob("*.py")]
    assert paths
    assert [hit for path in paths for hit in _retyped(path)] == []


#: The build's task_states as nova's saves expect them (expected_task_state in _start_building,
#: _allocate_network, _spawn in 2014.1; _do_build_and_run_instance, _allocate_network,
#: _build_and_run_instance today): each state, and the states it may go to next. A failure goes
#: to error; a reschedule goes back to scheduling.
BUILD_PATH = {
    ("building", "scheduling"): {("building", None), ("building", "scheduling")},
    ("building", None): {("building", "networking"), ("building", None)},
    ("building", "networking"): {("building", "block_device_mapping"), ("building", "networking")},
    ("building", "block_device_mapping"): {("building", "spawning"), ("building", "block_device_mapping")},
    ("building", "spawning"): {("active", None)},
    ("active", None): {("active", None)},
    ("error", None): {("error", None)},
}


def _follows_the_build_path(states: list[tuple[str, str | None]]) -> None:
    previous = ("building", "scheduling")
    for state in states:
        allowed = (
            BUILD_PATH[previous] | {("error", None), ("building", "scheduling")}
            if previous[0] == "building"
            else BUILD_PATH[previous]
        )
        assert state in allowed, (previous, state, states)
        previous = state


@settings(max_examples=60, deadline=None)
@given(
    flow=st.sampled_from(flow_names()),
    scenario=st.sampled_from([None, *SCENARIOS]),
    max_attempts=st.integers(1, 4),
    max_count=st.integers(1, 3),
    flavor=st.sampled_from(["m1.tiny", "m1.large", "m1.xlarge"]),
)
def test_every_task_state_sequence_is_a_path_novas_build_allows(
    flow: str, scenario: str | None, max_attempts: int, max_count: int, flavor: str
) -> None:
    shipped = catalog()
    one = replace(shipped, scheduler=replace(shipped.scheduler, max_attempts=max_attempts))
    needs_volume = scenario is not None and SCENARIOS[scenario].needs_volume
    changes = {"image": None, "boot_volume": BOOT_VOLUME} if needs_volume else {}
    trace = walk(
        resolve_request(demo_request(max_count=max_count, flavor=flavor, **changes), one),
        one,
        flow,
        scenario=SCENARIOS[scenario] if scenario else None,
    )
    states = [
        (state.vm_state, state.task_state)
        for step in trace.steps
        for state in (*step.passed, *((step.state,) if step.state is not None else ()))
    ]
    _follows_the_build_path(states)
    if trace.outcome.value == "ACTIVE":
        assert ("building", "spawning") in states  # spawn always passes through spawning


def test_the_facts_page_is_made_from_the_facts() -> None:
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import facts_doc
    finally:
        sys.path.remove(str(ROOT / "tools"))
    page = (ROOT / "docs" / "facts.md").read_text(encoding="utf-8")
    assert facts_doc.render() == page, "docs/facts.md is stale: run python tools/facts_doc.py"
    assert "| build_started | nova-compute | AUDIT | `Starting instance...` |" in page

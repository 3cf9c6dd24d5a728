"""The package's shape: imports run one way, and a flow or a scenario is added in one place."""

from __future__ import annotations

import ast
import io
import json
import sys
import types
from dataclasses import replace
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

from bootwalk import engine
from bootwalk.engine import resolve_request
from bootwalk.engine.state import (
    AllocationRatios,
    Flow,
    SchedulerDefaults,
    StepResult,
    WalkState,
    need_instance,
    with_instance,
)
from bootwalk.facts import Facts, Release, master
from bootwalk.flows import REGISTRY, flow_names, get_flow
from bootwalk.model import Catalog
from bootwalk.render import OutputFormat, make_renderer
from bootwalk.render.json_renderer import trace_to_dict
from bootwalk.replay import trace_from_dict
from bootwalk.scenarios import SCENARIOS, FaultPoint, Scenario
from bootwalk.services.keystone import Authenticate, IssueToken
from bootwalk.services.nova_api import accepted, api_front, create_instances
from bootwalk.trace import Outcome, Service, StepStatus
from tests.conftest import demo_request

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    status = lint_imports(config_filename=str(ROOT / ".importlinter"), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert status == 0, report
    assert "5 kept, 0 broken" in report


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_no_module_imports_in_a_circle() -> None:
    graph = grimp.build_graph("bootwalk", exclude_type_checking_imports=True, cache_dir=None)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    class Graph:
        modules = frozenset({"a", "b", "c"})

        def find_modules_directly_imported_by(self, module: str) -> set[str]:
            return {"a": {"b"}, "b": {"a", "c"}, "c": set()}[module]

    assert _cycles(Graph()) == [["a", "b"]]  # type: ignore[arg-type]


def test_no_module_reaches_into_another_modules_private_names() -> None:
    offenders = []
    for path in sorted((ROOT / "bootwalk").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bootwalk"):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.endswith("__")]
                if private:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.module} {private}")
    assert offenders == []


def test_every_flow_in_the_registry_declares_itself() -> None:
    for name in flow_names():
        flow = get_flow(name)
        assert flow.name == name
        assert flow.title and flow.release and flow.summary
        assert flow.reschedule_to in [step.name for step in flow.steps]
        assert len({step.name for step in flow.steps}) == len(flow.steps)
    assert get_flow("classic").release == "Icehouse (2014.1)"
    assert get_flow("modern").release.startswith("nova master")


# --- a throwaway flow, registered in one line ---------------------------------------


class Build:
    """A made-up step: nova-api creates the instance and it is ACTIVE at once on the first host."""

    name = "build"
    title = "nova-api creates the instance, and it runs"
    service = Service.NOVA_API
    note = "A flow made up for a test."
    source = "tests/test_structure.py"

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        state, handoffs, refused, count = api_front(state)
        if refused is not None:
            return state, refused
        state, instances = create_instances(state, count)
        handoffs.append(accepted(state, instances[0].uuid))
        host = state.catalog.hosts[0]
        state = replace(state, selected_host=host)
        state = with_instance(state, vm_state="active", task_state=None, power_state=1, host=host.name)
        assert need_instance(state).vm_state == "active"
        return state, StepResult(tuple(handoffs))


class NothingToGiveBack:
    def give_back(self, state, instance, host):  # type: ignore[no-untyped-def]
        return ()

    def claim_released(self, instance, host, default):  # type: ignore[no-untyped-def]
        return default

    def send_back(self, state, instance, host, reason):  # type: ignore[no-untyped-def]
        return ()

    def detach(self, state, plan):  # type: ignore[no-untyped-def]
        return ()

    def bury(self, state, handoffs, placements, instances):  # type: ignore[no-untyped-def]
        raise AssertionError("the tiny flow never schedules")


TINY = Flow(
    name="tiny",
    title="A tiny flow",
    # a release of its own, with today's facts: a flow brings its release's facts with it
    facts=Facts(
        Release("none (made up for a test)", "none", "0", "a test"),
        logs=master.LOGS,
        errors=master.ERRORS,
        rpcs=master.RPCS,
        defaults=master.DEFAULTS,
    ),
    summary="three steps",
    steps=(Authenticate(), IssueToken(), Build()),
    reschedule_to="build",
    scheduler=SchedulerDefaults(
        enabled_filters=("ComputeFilter",),
        weighers=(("RAMWeigher", 1.0),),
        allocation_ratios=AllocationRatios(cpu=2.0, ram=1.0, disk=1.0),
    ),
    recovery=NothingToGiveBack(),
)


@pytest.fixture
def tiny_registered(monkeypatch: pytest.MonkeyPatch) -> Flow:
    module = types.ModuleType("tests_tiny_flow")
    module.FLOW = TINY  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tests_tiny_flow", module)
    monkeypatch.setitem(REGISTRY, "tiny", "tests_tiny_flow")
    return get_flow("tiny")


@pytest.mark.parametrize("output_format", list(OutputFormat))
def test_a_throwaway_flow_walks_through_every_renderer(
    tiny_registered: Flow, catalog: Catalog, output_format: OutputFormat
) -> None:
    assert "tiny" in flow_names()
    out = io.StringIO()
    renderer = make_renderer(output_format, out, width=80, total_steps=len(tiny_registered.steps))
    trace = engine.walk(resolve_request(demo_request(), catalog), catalog, tiny_registered, on_step=renderer.on_step)
    renderer.finish(trace)
    assert [step.name for step in trace.steps] == ["authenticate", "token", "build"]
    assert trace.flow == "tiny" and trace.outcome is Outcome.ACTIVE
    text = out.getvalue()
    assert "demo-vm" in text
    if output_format is OutputFormat.JSON:
        replayed = trace_from_dict(json.loads(text))
        assert replayed.flow == "tiny" and [s.name for s in replayed.steps] == ["authenticate", "token", "build"]


# --- a throwaway scenario, added in one place -----------------------------------------


def test_a_throwaway_scenario_is_one_object(monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> None:
    def disable_every_host(cloud: Catalog) -> Catalog:
        return replace(cloud, hosts=tuple(replace(host, status="disabled") for host in cloud.hosts))

    maintenance = Scenario("all-in-maintenance", "Every host is disabled: no valid host.", change=disable_every_host)
    monkeypatch.setitem(SCENARIOS, maintenance.name, maintenance)  # type: ignore[arg-type]
    trace = engine.walk(
        resolve_request(demo_request(), catalog), catalog, get_flow("classic"), scenario=SCENARIOS[maintenance.name]
    )
    assert trace.outcome is Outcome.ERROR and trace.error is not None and trace.error.kind == "NoValidHost"
    assert trace.steps[-1].name == "schedule" and trace.steps[-1].status is StepStatus.FAILED
    assert trace.scenario is not None and trace.scenario.name == "all-in-maintenance"
    replayed = trace_from_dict(json.loads(json.dumps(trace_to_dict(trace))))
    assert replayed.scenario == trace.scenario


def test_a_scenario_fault_strikes_only_at_its_point_on_the_first_attempt(catalog: Catalog) -> None:
    late_spawn = Scenario("late-spawn", "The guest fails to start once.", fault=FaultPoint.SPAWN)
    trace = engine.walk(resolve_request(demo_request(), catalog), catalog, get_flow("modern"), scenario=late_spawn)
    statuses = [(step.name, step.status) for step in trace.steps]
    assert statuses.count(("hypervisor", StepStatus.RESCHEDULED)) == 1
    assert trace.outcome is Outcome.ACTIVE


def test_records_are_made_by_bootwalk_records_not_by_dataclasses() -> None:
    """Only the presenter's one mutable view is a plain dataclass: every frozen record is cheap to make."""
    package = Path(__file__).resolve().parent.parent / "bootwalk"
    plain = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            imported = isinstance(node, ast.ImportFrom) and node.module == "dataclasses"
            if imported and any(alias.name == "dataclass" for alias in node.names):  # type: ignore[attr-defined]
                plain.append(str(path.relative_to(package)))
    # records.py hands type checkers dataclasses' own decorator
    assert plain == ["records.py", "render/presenter.py"]


def test_every_steps_title_fits_one_line_of_a_projector() -> None:
    """A step's headline is read at 80 columns: it must not wrap (78 leaves room for a beginner's ° marks)."""
    long = [(name, step.name, len(step.title)) for name in flow_names() for step in get_flow(name).steps
            if len(step.title) > 78]  # fmt: skip
    assert long == []

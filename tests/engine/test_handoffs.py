"""Handoffs come from builders: each kind has one payload shape, and semantic fields say what it is."""

from __future__ import annotations

import ast
import dataclasses
import io
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from bootwalk.engine import resolve_request
from bootwalk.flows import flow_names
from bootwalk.model import Catalog
from bootwalk.render.interactive import ClassroomRenderer, LineKeys
from bootwalk.render.table import TableRenderer
from bootwalk.render.theme import build_theme
from bootwalk.scenarios import SCENARIOS
from bootwalk.timing import handoff_ms
from bootwalk.trace import Channel, Handoff, Kind, Service, Trace, Work
from tests.conftest import demo_request
from tests.walking import walk

ROOT = Path(__file__).resolve().parent.parent.parent

#: The payload keys each kind always has, and those it may have.
SHAPES: dict[Kind, tuple[set[str], set[str]]] = {
    Kind.REST_REQUEST: ({"method", "url"}, {"headers", "body", "status"}),
    Kind.REST_REPLY: ({"status"}, {"headers", "body", "method", "url"}),
    Kind.RPC_CAST: ({"exchange", "topic", "method"}, {"namespace", "version", "args"}),
    Kind.QUEUE_DELIVERY: ({"exchange", "topic", "method"}, {"args"}),
    Kind.RPC_CALL: ({"topic", "method"}, {"version", "args"}),
    Kind.RPC_REPLY: (set(), {"result", "exception", "message"}),
    Kind.DB_READ: ({"table"}, {"where", "rows"}),
    Kind.DB_WRITE: (set(), {"table", "tables", "values", "instance_faults", "instances", "instance_actions_events",
                            "chosen_host", "instance_mappings", "build_requests"}),
    Kind.LIBVIRT_CALL: ({"domain"}, {"flags"}),
    Kind.LIBVIRT_ERROR: ({"domain", "error"}, set()),
}  # fmt: skip

#: The channel each kind travels on.
CHANNELS = {
    Kind.REST_REQUEST: Channel.REST,
    Kind.REST_REPLY: Channel.REST,
    Kind.RPC_CAST: Channel.RPC_CAST,
    Kind.QUEUE_DELIVERY: Channel.RPC_CAST,
    Kind.RPC_CALL: Channel.RPC_CALL,
    Kind.RPC_REPLY: Channel.RPC_CALL,
    Kind.DB_READ: Channel.DATABASE,
    Kind.DB_WRITE: Channel.DATABASE,
    Kind.LIBVIRT_CALL: Channel.LIBVIRT,
    Kind.LIBVIRT_ERROR: Channel.LIBVIRT,
}

VOLUME_REQUEST = {"boot_volume": "8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7", "image": None}


def every_walk(catalog: Catalog) -> list[Trace]:
    traces = []
    for flow in flow_names():
        for scenario in (None, *SCENARIOS):
            changes = VOLUME_REQUEST if scenario == "volume-attach-failed" else {}
            resolved = resolve_request(demo_request(**changes), catalog)
            traces.append(walk(resolved, catalog, flow, scenario=SCENARIOS[scenario] if scenario else None))
    return traces


def test_every_handoff_has_its_kinds_payload_shape_and_channel(catalog: Catalog) -> None:
    seen: set[Kind] = set()
    for trace in every_walk(catalog):
        for step in trace.steps:
            for handoff in step.handoffs:
                required, optional = SHAPES[handoff.kind]
                keys = set(handoff.payload)
                assert required <= keys, (step.name, handoff.call, keys)
                assert keys <= required | optional, (step.name, handoff.call, keys)
                assert handoff.channel is CHANNELS[handoff.kind], (step.name, handoff.call)
                seen.add(handoff.kind)
    assert seen == set(Kind)


def test_queue_deliveries_come_off_the_queue_and_casts_go_to_it_or_straight_on(catalog: Catalog) -> None:
    for trace in every_walk(catalog):
        for handoff in (h for step in trace.steps for h in step.handoffs):
            if handoff.kind is Kind.QUEUE_DELIVERY:
                assert handoff.source is Service.QUEUE
            if handoff.kind is Kind.RPC_CAST:
                assert handoff.source is not Service.QUEUE


@pytest.mark.parametrize("flow", ["classic", "modern"])
def test_the_image_download_carries_its_bytes(catalog: Catalog, flow: str) -> None:
    trace = walk(resolve_request(demo_request(), catalog), catalog, flow)
    moved = [h for step in trace.steps for h in step.handoffs if h.size_bytes is not None]
    cirros = next(image for image in catalog.images if image.name == "cirros")
    assert [(h.source, h.target, h.size_bytes, h.work) for h in moved] == [
        (Service.GLANCE, Service.NOVA_COMPUTE, cirros.size, Work.DOWNLOAD)
    ]


def test_timing_reads_the_semantic_fields_never_the_call(catalog: Catalog) -> None:
    trace = walk(resolve_request(demo_request(), catalog), catalog)
    for step in trace.steps:
        for handoff in step.handoffs:
            renamed = replace(handoff, call="renamed", summary="renamed", payload={})
            assert handoff_ms(renamed, step) == handoff_ms(handoff, step), handoff.call


def test_no_step_writes_a_handoff_by_hand() -> None:
    allowed = {ROOT / "bootwalk" / "handoffs.py", ROOT / "bootwalk" / "replay.py"}
    offenders = []
    for path in sorted((ROOT / "bootwalk").rglob("*.py")):
        if path in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Handoff":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_no_formatter_skip_in_the_engine_flows_or_services() -> None:
    skipped = [
        f"{path.relative_to(ROOT)}"
        for folder in ("engine", "flows", "services")
        for path in sorted((ROOT / "bootwalk" / folder).rglob("*.py"))
        if "fmt: skip" in path.read_text(encoding="utf-8")
    ]
    assert skipped == []


def test_the_modern_flow_shows_the_download_bar_under_delay(catalog: Catalog) -> None:
    waited: list[float] = []
    inner = TableRenderer(io.StringIO(), width=80, total_steps=9)
    out = io.StringIO()
    inner.console = Console(file=out, width=80, force_terminal=True, theme=build_theme())
    classroom = ClassroomRenderer(
        inner, LineKeys(io.StringIO()), io.StringIO(), delay=0.5, sleep=waited.append, total_steps=9
    )
    classroom.finish(walk(resolve_request(demo_request(), catalog), catalog, "modern", on_step=classroom.on_step))
    assert sum(waited) == pytest.approx(9 * 0.5)
    assert waited.count(0.5) == 8  # a spinner for every step but spawn's, which downloads the image
    assert len([w for w in waited if w == pytest.approx(0.025)]) == 20
    assert "glance → nova-compute" in out.getvalue()


def test_a_reply_kind_is_a_reply() -> None:
    assert {kind for kind in Kind if kind.is_reply} == {Kind.REST_REPLY, Kind.RPC_REPLY, Kind.LIBVIRT_ERROR}
    assert Handoff.__dataclass_fields__["kind"].default is dataclasses.MISSING  # every handoff says its kind

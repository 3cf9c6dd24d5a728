"""The JSON renderer: the documented schema, and one document on stdout."""

from __future__ import annotations

import ast
import io
import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

import bootwalk
from bootwalk.engine import resolve_request
from bootwalk.model import Catalog
from bootwalk.render import OutputFormat, make_renderer
from bootwalk.render.json_renderer import trace_to_dict
from tests.conftest import demo_request
from tests.walking import walk


def test_every_output_format_has_a_renderer(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    for output_format in OutputFormat:
        out = io.StringIO()
        renderer = make_renderer(output_format, out)
        trace = walk(demo, catalog, on_step=renderer.on_step)
        renderer.finish(trace)
        assert out.getvalue().strip()


def test_document_has_the_documented_fields(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    renderer = make_renderer(OutputFormat.JSON, out)
    renderer.finish(walk(demo, catalog))
    document = json.loads(out.getvalue())
    assert list(document) == [
        "schema_version", "flow", "release", "seed", "request", "steps", "outcome", "server", "servers",
        "attempts", "scenario", "surfaces", "error",
    ]  # fmt: skip
    assert (document["schema_version"], document["flow"], document["seed"], document["outcome"]) == (
        1,
        "classic",
        42,
        "ACTIVE",
    )
    assert document["error"] is None
    assert document["release"] == "Icehouse (2014.1)"
    assert [step["number"] for step in document["steps"]] == list(range(1, 13))
    assert [step["name"] for step in document["steps"]] == [
        "authenticate", "token", "nova-api", "schedule", "record-host", "cast-to-compute",
        "ask-flavor", "return-flavor", "glance", "neutron", "cinder", "hypervisor",
    ]  # fmt: skip
    first, third = document["steps"][0], document["steps"][2]
    assert set(first) == {
        "number",
        "name",
        "title",
        "service",
        "status",
        "note",
        "source",
        "detail",
        "state",
        "handoffs",
        "attempt",
    }
    assert first["state"] is None
    assert third["state"] == {"vm_state": "building", "task_state": "scheduling", "power_state": 0}
    assert set(third["handoffs"][0]) == {
        "kind", "source", "target", "channel", "call", "summary", "payload", "simplified", "bytes", "work",
    }  # fmt: skip
    assert document["steps"][5]["state"]["task_state"] is None
    assert document["steps"][10]["status"] == "skipped"
    schedule = document["steps"][3]
    assert schedule["selected_host"] == "compute1"
    assert {
        "host": "compute3",
        "filter": "ComputeFilter",
        "passed": False,
        "reason": "disabled, reason: maintenance",
    } in schedule["filter_results"]
    assert [(w["host"], w["weight"]) for w in schedule["weights"]] == [
        ("compute1", 1.0),
        ("compute4", 0.5),
        ("compute2", 0.0),
    ]
    assert schedule["weights"][1]["weighers"] == [
        {"weigher": "RAMWeigher", "raw": 8192.0, "normalised": 0.5, "multiplier": 1.0, "unit": "MB RAM free"}
    ]
    assert "alternates" not in schedule  # Icehouse's scheduler returned the chosen host alone
    assert [p["selected_host"] for p in schedule["placements"]] == ["compute1"]
    assert schedule["logs"] == [
        {
            "service": "nova-scheduler",
            "level": "INFO",
            "text": f"Attempting to build 1 instance(s) uuids: [u'{document['server']['id']}']",
            "minor": True,  # shown at developer level only
        },
        {
            "service": "nova-scheduler",
            "level": "INFO",
            "text": f"Choosing host WeighedHost [host: compute1, weight: 1.0] for instance {document['server']['id']}",
        },
    ]
    assert document["attempts"] == [{"attempt": 1, "host": "compute1", "result": "active", "reason": None}]
    assert [(s["name"], s["status"], s["host"]) for s in document["servers"]] == [("demo-vm", "ACTIVE", "compute1")]
    assert (document["scenario"], document["surfaces"]) == (None, None)
    server = document["server"]
    assert (server["status"], document["servers"][0]["host"]) == ("ACTIVE", "compute1")
    assert "private" in server["addresses"]


def test_refused_request_has_error_and_no_server(catalog: Catalog) -> None:
    trace = walk(resolve_request(demo_request(image="fedora-upload"), catalog), catalog)
    document = trace_to_dict(trace)
    assert document["outcome"] == "ERROR"
    assert document["server"] is None
    assert document["error"] == {
        "type": "BadRequest",
        "message": "Image 7e3b1c9d-2f4a-4c6e-8b0d-1a3c5e7f9b2d is not active.",
        "http_status": 400,
    }
    assert document["steps"][-1]["status"] == "failed"


def test_json_round_trips_and_is_reproducible(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    first = json.dumps(trace_to_dict(walk(demo, catalog)))
    second = json.dumps(trace_to_dict(walk(demo, catalog)))
    assert first == second
    assert json.loads(first)["steps"][1]["handoffs"][0]["payload"]["headers"]["X-Subject-Token"].startswith("MII")


def test_the_document_is_strict_json_and_a_nan_is_refused_whole(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    trace = walk(demo, catalog)
    out = io.StringIO()
    make_renderer(OutputFormat.JSON, out).finish(trace)
    json.loads(out.getvalue(), parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))

    scheduling = trace.steps[3].scheduling
    assert scheduling is not None
    weight = replace(scheduling.weights[0], weight=math.nan)
    broken = replace(
        trace, steps=(*trace.steps[:3], replace(trace.steps[3], scheduling=replace(scheduling, weights=(weight,))))
    )
    out = io.StringIO()
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        make_renderer(OutputFormat.JSON, out).finish(broken)
    assert out.getvalue() == ""


def test_every_json_bootwalk_writes_is_strict() -> None:
    """Each json.dump and json.dumps in the package says allow_nan=False: NaN and Infinity are not JSON."""
    calls = []
    for path in sorted(Path(bootwalk.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("dump", "dumps")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "json"
            ):
                strict = any(
                    keyword.arg == "allow_nan"
                    and isinstance(keyword.value, ast.Constant)
                    and keyword.value.value is False
                    for keyword in node.keywords
                )
                calls.append((f"{path.name}:{node.lineno}", strict))
    assert calls, "no json.dumps found: the test looks in the wrong place"
    assert [place for place, strict in calls if not strict] == []

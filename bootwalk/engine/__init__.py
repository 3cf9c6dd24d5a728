"""The engine: walk a flow's steps for a resolved request and return the trace.

Pure Python: no click, no rich, no I/O. :func:`walk` returns a
:class:`~bootwalk.trace.Trace`; an optional callback sees each step as it
is recorded, so a live renderer can print it at once. The engine knows no
flow by name: it is handed a :class:`~bootwalk.engine.state.Flow`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bootwalk.engine.resolve import LookupFailure, ResolvedNic, ResolvedRequest, resolve_request
from bootwalk.engine.state import Flow, Instance, StepCallback, StepResult, WalkState, step_record
from bootwalk.ids import DEFAULT_SEED, IdSource
from bootwalk.model import Catalog
from bootwalk.request import ApiVersion
from bootwalk.trace import Outcome, StepRecord, StepStatus, Trace

if TYPE_CHECKING:
    from bootwalk.scenarios import Scenario

__all__ = [
    "Flow",
    "Instance",
    "LookupFailure",
    "ResolvedNic",
    "ResolvedRequest",
    "StepResult",
    "WalkState",
    "resolve_request",
    "walk",
]


def walk(
    resolved: ResolvedRequest,
    catalog: Catalog,
    flow: Flow,
    seed: int = DEFAULT_SEED,
    on_step: StepCallback | None = None,
    scenario: Scenario | None = None,
    dialect: str = "nova",
    start_ms: float = 0.0,
) -> Trace:
    """Walk the flow's steps for a resolved request and return its trace.

    The walk stops after a failed step; the steps after it are not in the
    trace. A step that ends ``rescheduled`` sends the walk back to the step
    the flow names in ``reschedule_to``, for the next attempt, as
    nova-compute sends the build back. ``on_step`` is called with each
    record as soon as it exists. ``scenario`` changes the cloud and injects
    a fault (see :mod:`bootwalk.scenarios`); ``dialect`` says which command
    the request came from (``nova`` or ``openstack``); ``start_ms`` is when
    the walk begins on the simulated clock (a lab's clock moves on).
    """
    from bootwalk.dialects import dialect_named
    from bootwalk.engine.views import final_servers, request_summary, server_view, where_it_surfaces
    from bootwalk.timing import handoff_ms

    if scenario is not None:
        catalog = scenario.change(catalog)
    if not flow.facts.default("microversions"):  # novaclient's discover_version: no range, so 2.0
        resolved = replace(resolved, request=replace(resolved.request, api_version=ApiVersion(2, 0)))
    catalog = replace(catalog, hosts=tuple(flow.scheduler.host(host) for host in catalog.hosts))
    steps = flow.steps
    state = WalkState(
        resolved=resolved,
        catalog=catalog,
        ids=IdSource(seed),
        flow=flow,
        scheduler=flow.scheduler.resolve(catalog.scheduler),
        dialect=dialect_named(dialect),
        scenario=scenario,
        hosts=catalog.hosts,
        clock_ms=start_ms,
        started_ms=start_ms,
    )
    records: list[StepRecord] = []
    reschedule_index = flow.step_index(flow.reschedule_to)
    index = 0
    while index < len(steps):
        step = steps[index]
        attempt = state.attempt
        state, result = step.run(state)
        record = step_record(index + 1, step, result, state.instance.state if state.instance else None, attempt)
        records.append(record)
        state = replace(state, clock_ms=state.clock_ms + sum(handoff_ms(h, record) for h in record.handoffs))
        if on_step is not None:
            on_step(record)
        if result.status is StepStatus.FAILED:
            break
        if result.status is StepStatus.RESCHEDULED:
            # Bounded: the step rescheduled to fails once attempts exceed max_attempts.
            state = replace(state, attempt=state.attempt + 1)
            index = reschedule_index
            continue
        index += 1
    servers = final_servers(state)
    active = bool(servers) and all(server["status"] == "ACTIVE" for server in servers)
    trace = Trace(
        flow=flow.name,
        release=flow.release,
        seed=seed,
        request=request_summary(resolved, dialect),
        steps=tuple(records),
        outcome=Outcome.ACTIVE if active else Outcome.ERROR,
        server=server_view(state) if state.instance else None,
        error=state.error,
        servers=servers,
        attempts=state.attempts,
        scenario=scenario.record() if scenario is not None else None,
    )
    return replace(trace, surfaces=where_it_surfaces(trace))

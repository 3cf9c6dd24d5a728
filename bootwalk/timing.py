"""Simulated durations: how long each handoff of a walk plausibly takes.

Nothing here is measured; the figures are orders of magnitude an operator
would recognise on a small cloud: a token in tens of milliseconds, an RPC
cast in a millisecond or two, an image download at about 100 MB/s (a 1 Gbit/s
link), a volume attachment in about a second, a guest start in seconds. The
durations derive from the trace alone, so a replayed walk times the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from bootwalk.trace import Channel, Handoff, Service, StepRecord, Trace

#: The image download rate assumed: about what a 1 Gbit/s link carries.
DOWNLOAD_BYTES_PER_MS = 100 * 1024 * 1024 / 1000
#: What filtering and weighing costs per host check, on top of the scheduler's fixed cost.
MS_PER_HOST_CHECK = 0.02

#: Milliseconds for calls whose cost does not depend on the request.
FIXED_MS: dict[str, float] = {
    "POST /v3/auth/tokens": 45.0,  # password hashing and token issue
    "201 Created": 5.0,
    "POST /v2.1/servers": 120.0,
    "GET /v2/images/{id}": 15.0,
    "GET /v2.0/networks": 20.0,
    "INSERT INTO instances": 4.0,
    "202 Accepted": 3.0,
    "SELECT compute_nodes": 8.0,
    "instance_update_db": 3.0,
    "POST /v2.0/ports": 180.0,
    "PUT /v2.0/ports/{id}": 350.0,  # the port binding, by the mechanism driver
    "DELETE /v2.0/ports/{id}": 150.0,
    "POST /v3/{project_id}/volumes": 4000.0,
    "POST /v3/{project_id}/attachments": 300.0,
    "PUT /v3/{project_id}/attachments/{id}": 900.0,  # the backend exports the volume
    "POST /v3/{project_id}/attachments/{id}/action": 150.0,
    "DELETE /v3/{project_id}/attachments/{id}": 400.0,
    "defineXML": 150.0,
    "createWithFlags": 1800.0,  # QEMU starts the guest, paused
    "POST /v2.1/os-server-external-events": 1200.0,  # until neutron's agent has plugged the port
    "resume": 80.0,
    "libvirtError": 1500.0,
    "undefine": 100.0,
    "200 OK": 5.0,
    "401 Unauthorized": 40.0,
    "500 Internal Server Error": 900.0,
}

#: Milliseconds by channel, for calls not listed above.
CHANNEL_MS: dict[Channel, float] = {
    Channel.REST: 20.0,
    Channel.RPC_CAST: 2.0,
    Channel.RPC_CALL: 12.0,
    Channel.DATABASE: 4.0,
    Channel.QUEUE: 2.0,
    Channel.LIBVIRT: 100.0,
}


@dataclass(frozen=True)
class Span:
    """One handoff on the simulated clock, in milliseconds from the start of the walk."""

    step: int
    attempt: int
    step_name: str
    handoff: Handoff
    start_ms: float
    duration_ms: float

    @property
    def end_ms(self) -> float:
        """When the handoff is done."""
        return self.start_ms + self.duration_ms


def handoff_ms(handoff: Handoff, record: StepRecord) -> float:
    """How long one handoff plausibly takes."""
    if handoff.call == "GET /v2/images/{id}/file":
        size = int(handoff.payload.get("headers", {}).get("Content-Length", 0))
        return 30.0 + size / DOWNLOAD_BYTES_PER_MS
    if handoff.target is Service.NOVA_SCHEDULER and handoff.call in ("run_instance", "select_destinations"):
        checks = sum(len(placement.filter_results) for placement in record.placements)
        return 25.0 + checks * MS_PER_HOST_CHECK
    if handoff.call in FIXED_MS:
        return FIXED_MS[handoff.call]
    return CHANNEL_MS[handoff.channel]


def spans(trace: Trace) -> list[Span]:
    """Every handoff of the walk, one after the other on the simulated clock."""
    clock = 0.0
    result = []
    for record in trace.steps:
        for handoff in record.handoffs:
            duration = round(handoff_ms(handoff, record), 3)
            result.append(Span(record.number, record.attempt, record.name, handoff, round(clock, 3), duration))
            clock += duration
    return result


def step_windows(trace: Trace) -> list[tuple[StepRecord, float, float]]:
    """Each step with its start and its duration on the simulated clock (0 for a step with no handoff)."""
    all_spans = spans(trace)
    windows = []
    clock = 0.0
    index = 0
    for record in trace.steps:
        mine = all_spans[index : index + len(record.handoffs)]
        index += len(record.handoffs)
        duration = sum(span.duration_ms for span in mine)
        windows.append((record, clock, duration))
        clock += duration
    return windows


def total_ms(trace: Trace) -> float:
    """The whole walk's simulated duration."""
    return sum(span.duration_ms for span in spans(trace))

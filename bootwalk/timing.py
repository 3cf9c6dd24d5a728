"""Simulated durations: how long each handoff of a walk plausibly takes.

Nothing here is measured; the figures are orders of magnitude an operator
would recognise on a small cloud: a token in tens of milliseconds, an RPC
cast in a millisecond or two, an image download at about 100 MB/s (a 1 Gbit/s
link), a volume attachment in about a second, a guest start in seconds. The
durations derive from the trace alone, so a replayed walk times the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bootwalk.records import dataclass
from bootwalk.trace import Handoff, Kind, Scheduling, StepRecord, Work

#: The image download rate assumed: about what a 1 Gbit/s link carries.
DOWNLOAD_BYTES_PER_MS = 100 * 1024 * 1024 / 1000
#: What filtering and weighing costs per host check, on top of the scheduler's fixed cost.
MS_PER_HOST_CHECK = 0.02
#: The scheduler's fixed cost for one request, before any host is checked.
SCHEDULE_MS = 25.0
#: What an HTTP request costs before its bytes: the download's fixed part.
DOWNLOAD_START_MS = 30.0

#: Milliseconds for work that takes notably longer (or shorter) than its kind's usual.
WORK_MS: dict[Work, float] = {
    Work.AUTHENTICATE: 45.0,  # password hashing and token issue
    Work.REFUSE_CREDENTIALS: 40.0,
    Work.CREATE_SERVER: 120.0,  # nova-api's checks, quota and the database writes
    Work.DELETE_SERVER: 40.0,  # nova-api reads the instance, saves task_state deleting and casts
    Work.CREATE_PORT: 180.0,
    Work.BIND_PORT: 350.0,  # the mechanism driver binds the port
    Work.DELETE_PORT: 150.0,
    Work.CREATE_VOLUME: 4000.0,
    Work.CREATE_ATTACHMENT: 300.0,
    Work.EXPORT_VOLUME: 900.0,  # the backend exports the volume
    Work.COMPLETE_ATTACHMENT: 150.0,
    Work.DELETE_ATTACHMENT: 400.0,
    Work.BACKEND_FAILURE: 900.0,
    Work.DEFINE_GUEST: 150.0,
    Work.START_GUEST: 1800.0,  # QEMU starts the guest, paused
    Work.PLUG_VIF: 1200.0,  # until neutron's agent has plugged the port
    Work.RESUME_GUEST: 80.0,
    Work.GUEST_FAILS: 1500.0,
    Work.UNDEFINE_GUEST: 100.0,
    Work.DESTROY_GUEST: 600.0,  # virDomainDestroy, then nova polls until the domain is gone
    Work.VIF_TIMEOUT: 300_000.0,  # vif_plugging_timeout's default, 300 s, in both releases
    Work.LOOKUP: 20.0,
    Work.VALIDATE: 20.0,
}

#: Milliseconds by kind of handoff, for everything else.
KIND_MS: dict[Kind, float] = {
    Kind.REST_REQUEST: 20.0,
    Kind.REST_REPLY: 5.0,
    Kind.RPC_CAST: 2.0,
    Kind.RPC_CALL: 12.0,
    Kind.RPC_REPLY: 12.0,
    Kind.QUEUE_DELIVERY: 2.0,
    Kind.DB_READ: 8.0,
    Kind.DB_WRITE: 4.0,
    Kind.LIBVIRT_CALL: 100.0,
    Kind.LIBVIRT_ERROR: 100.0,
}


class Walked(Protocol):
    """What the clock reads of a walk: its steps in order (a whole Trace, or the steps shown before ``q``)."""

    @property
    def steps(self) -> Sequence[StepRecord]:
        """The steps that ran, in order."""
        ...


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


def duration_ms(handoff: Handoff, host_checks: int = 0) -> float:
    """How long one handoff plausibly takes: by the bytes it moves, the work it sets going, or its kind.

    ``host_checks`` is how many filter verdicts its step's scheduling made,
    which is what a scheduling call's time grows with.
    """
    if handoff.work is Work.DOWNLOAD and handoff.size_bytes is not None:
        return round(DOWNLOAD_START_MS + handoff.size_bytes / DOWNLOAD_BYTES_PER_MS, 3)
    if handoff.work is Work.SCHEDULE:
        return round(SCHEDULE_MS + host_checks * MS_PER_HOST_CHECK, 3)
    if handoff.work in WORK_MS:
        return WORK_MS[handoff.work]
    return KIND_MS[handoff.kind]


def host_checks(placements: tuple[Scheduling, ...]) -> int:
    """How many filter verdicts a step's scheduling made."""
    return sum(len(placement.filter_results) for placement in placements)


def handoff_ms(handoff: Handoff, record: StepRecord) -> float:
    """How long one handoff of a recorded step plausibly takes."""
    return duration_ms(handoff, host_checks(record.placements))


def spans(trace: Walked) -> list[Span]:
    """Every handoff of the walk, one after the other on the simulated clock."""
    clock = 0.0
    result = []
    for record in trace.steps:
        for handoff in record.handoffs:
            duration = handoff_ms(handoff, record)
            result.append(Span(record.number, record.attempt, record.name, handoff, round(clock, 3), duration))
            clock += duration
    return result


def step_windows(trace: Walked) -> list[tuple[StepRecord, float, float]]:
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


def total_ms(trace: Walked) -> float:
    """The whole walk's simulated duration."""
    return sum(span.duration_ms for span in spans(trace))

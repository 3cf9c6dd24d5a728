"""What one step hands to the next, and the interface every step and flow implements.

Pure data and protocols: no step lives here. A flow (``bootwalk.flows``) is
an ordered tuple of steps plus what it declares about itself; each step
takes a :class:`WalkState` and returns a new one with a :class:`StepResult`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from bootwalk.facts import Facts
from bootwalk.ids import IdSource
from bootwalk.model import Catalog, Host, Network, SchedulerConfig, SchedulerSettings, ServerGroup
from bootwalk.records import dataclass, field
from bootwalk.trace import (
    ApiError,
    Attempt,
    Fault,
    Handoff,
    InstanceState,
    LogLine,
    Scheduling,
    Service,
    StepRecord,
    StepStatus,
)

if TYPE_CHECKING:
    from bootwalk.dialects.interface import Dialect
    from bootwalk.engine.deletion import DeleteStep
    from bootwalk.engine.resolve import ResolvedRequest
    from bootwalk.scenarios import FaultPoint, Scenario


@dataclass(frozen=True)
class PortBinding:
    """A port the instance got on one network."""

    port_id: str
    network: Network
    mac_address: str
    ip_address: str
    created_by_nova: bool


@dataclass(frozen=True)
class VolumePlan:
    """A volume the boot attaches: an existing one, or one cinder makes first."""

    volume_id: str
    size: int
    device_name: str
    boot_index: int | None
    created_from: str | None = None
    source_id: str | None = None


@dataclass(frozen=True)
class Instance:
    """What nova's instances row holds, as the walk goes on."""

    uuid: str
    name: str
    vm_state: str = "building"
    task_state: str | None = "scheduling"
    power_state: int = 0
    host: str | None = None
    launched_at: str | None = None
    ports: tuple[PortBinding, ...] = ()
    volumes: tuple[VolumePlan, ...] = ()
    fault: Fault | None = None

    @property
    def state(self) -> InstanceState:
        """The three state fields together."""
        return InstanceState(self.vm_state, self.task_state, self.power_state)


class OnTheClock:
    """What a walk's state can tell every step: the simulated clock, and where the flow's release serves its APIs.

    Mixed into :class:`WalkState` and the delete's ``DeleteState``; each has
    ``flow``, ``ids`` and ``clock_ms``.
    """

    flow: Flow
    ids: IdSource
    clock_ms: float

    def now(self, handoffs: Sequence[Handoff] = ()) -> float:
        """The simulated clock once these handoffs of the running step are done (``bootwalk.timing``)."""
        from bootwalk.timing import duration_ms

        return self.clock_ms + sum(duration_ms(handoff) for handoff in handoffs)

    def endpoint(self, service: str) -> str:
        """Where the flow's release serves an API (``compute``, ``image``, ``network``, ``identity``…)."""
        return flow_endpoint(self.flow, self.ids, service)

    def neutron_url(self, path: str, query: str = "") -> str:
        """Where nova's own neutron client sends a call: the 2.3 client of Icehouse put ``.json`` after the path."""
        return flow_neutron_url(self.flow, self.ids, path, query)


@dataclass(frozen=True)
class WalkState(OnTheClock):
    """Everything one step hands to the next. Steps return a new one.

    ``flow`` is the flow being walked, so shared steps can ask it how to
    reschedule or bury a failure; ``scheduler`` is the scheduler's
    configuration with the flow's defaults filled in; ``dialect`` is the
    client the request came from, whose commands the steps' words name
    (``nova boot`` and ``nova show``, or ``openstack server create`` and
    ``openstack server show``). ``instance`` is the
    instance the walk follows (the first of the request); ``others`` are
    the rest, placed by the scheduler and built the same way. ``hosts`` are
    the host states as the scheduler sees them, after the instances placed
    so far consumed their share. ``attempt`` counts the hosts the followed
    instance has been sent to; ``tried_hosts`` are the ones that failed,
    for RetryFilter.
    """

    resolved: ResolvedRequest
    catalog: Catalog
    ids: IdSource
    flow: Flow
    scheduler: SchedulerConfig
    dialect: Dialect[Any]
    token: str | None = None
    instance: Instance | None = None
    scheduling: Scheduling | None = None
    selected_host: Host | None = None
    error: ApiError | None = None
    volumes: tuple[VolumePlan, ...] = field(default_factory=tuple)
    scenario: Scenario | None = None
    others: tuple[Instance, ...] = ()
    hosts: tuple[Host, ...] = ()
    group: ServerGroup | None = None
    attempt: int = 1
    tried_hosts: tuple[str, ...] = ()
    attempts: tuple[Attempt, ...] = ()
    last_failure: str | None = None
    last_exception: str | None = None
    #: A port neutron could not bind on this attempt's host: spawn fails when it needs the port's details.
    binding_failed_port: str | None = None
    alternates: tuple[str, ...] = ()
    clock_ms: float = 0.0
    build_started_ms: float = 0.0
    #: When the walk began on the simulated clock: 0 (12:00:00), or where a lab's clock stands.
    started_ms: float = 0.0

    def fault_strikes(self, point: FaultPoint) -> bool:
        """Whether the walk's scenario fails this point now: on the followed instance's first host only."""
        return self.scenario is not None and self.scenario.fault is point and self.attempt == 1


@dataclass(frozen=True)
class StepResult:
    """What running one step produced, besides the new state."""

    handoffs: tuple[Handoff, ...]
    status: StepStatus = StepStatus.OK
    detail: str = ""
    scheduling: Scheduling | None = None
    placements: tuple[Scheduling, ...] = ()
    logs: tuple[LogLine, ...] = ()
    passed: tuple[InstanceState, ...] = ()
    cleanup: tuple[str, ...] = ()


class Step(Protocol):
    """One step of a flow: a name, its service, and ``run``.

    ``note`` is the "in real nova" note, and ``source`` names the nova
    file and function a learner can read to check it.
    """

    name: str
    title: str
    service: Service
    note: str
    source: str

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        """Do the step: return the new state and what was handed over."""
        ...


class Recovery(Protocol):
    """How a flow sends a failed build back, what it gives back first, and where it buries a failed one.

    Shared compute steps call these when a build fails on its host, so the
    same step can end the classic way (back to the scheduler) or today's
    way (back to the conductor, with the alternates).
    """

    def give_back(self, state: WalkState, instance: Instance, host: Host) -> tuple[Handoff, ...]:
        """What is handed over to give back the claim on the failed host (nothing in the classic flow)."""
        ...

    def claim_released(self, instance: Instance, host: Host, default: str) -> str:
        """The cleanup line that says how the claim on the host was released."""
        ...

    def send_back(self, state: WalkState, instance: Instance, host: Host, reason: str) -> tuple[Handoff, ...]:
        """The handoffs that send the build back for another attempt."""
        ...

    def detach(self, state: WalkState, plan: VolumePlan) -> tuple[Handoff, ...]:
        """The handoffs that detach a volume from the instance after a failed build."""
        ...

    def bury(
        self,
        state: WalkState,
        handoffs: Sequence[Handoff],
        placements: tuple[Scheduling, ...],
        instances: tuple[Instance, ...],
    ) -> tuple[WalkState, StepResult]:
        """No host for some instance of the request: every instance goes to ERROR, where the flow keeps them.

        ``handoffs`` are the scheduler step's so far; the result is the failed step.
        """
        ...


class AllocationRatios(NamedTuple):
    """How far a host's vCPUs, RAM and disk may be overcommitted: (total × ratio) − used is usable."""

    cpu: float
    ram: float
    disk: float


@dataclass(frozen=True)
class SchedulerDefaults:
    """What a flow's scheduler runs when the cloud's configuration does not say.

    ``allocation_ratios`` apply to each host whose catalog entry leaves a
    ratio out.
    """

    enabled_filters: tuple[str, ...]
    weighers: tuple[tuple[str, float], ...]
    allocation_ratios: AllocationRatios

    def host(self, host: Host) -> Host:
        """The host with the ratios its catalog entry left out set to these defaults."""
        missing = {"cpu", "ram", "disk"} - host.given_ratios
        if not missing:
            return host
        ratios = self.allocation_ratios
        return replace(
            host,
            cpu_allocation_ratio=ratios.cpu if "cpu" in missing else host.cpu_allocation_ratio,
            ram_allocation_ratio=ratios.ram if "ram" in missing else host.ram_allocation_ratio,
            disk_allocation_ratio=ratios.disk if "disk" in missing else host.disk_allocation_ratio,
        )

    def resolve(self, settings: SchedulerSettings) -> SchedulerConfig:
        """The scheduler's configuration: what the cloud (or the command line) set, else these defaults."""
        return SchedulerConfig(
            enabled_filters=self.enabled_filters if settings.enabled_filters is None else settings.enabled_filters,
            weighers=self.weighers if settings.weighers is None else settings.weighers,
            max_attempts=settings.max_attempts,
        )


@dataclass(frozen=True)
class Flow:
    """One way of walking a boot: its steps and what it declares about itself.

    ``facts`` are the facts of the nova release the flow shows, and
    ``release`` names that release;
    ``reschedule_to`` is the name of the step a rescheduled build goes back
    to; ``scheduler`` are its filter and weigher defaults; ``recovery`` says
    how a failed build is given back and sent back.
    """

    name: str
    title: str
    facts: Facts
    summary: str
    steps: tuple[Step, ...]
    reschedule_to: str
    scheduler: SchedulerDefaults
    recovery: Recovery
    #: The module that holds the steps of ``nova delete`` in this release, as ``STEPS``: imported only when a
    #: delete is walked (:mod:`bootwalk.engine.deletion`), so that a boot's start-up does not pay for it.
    delete_module: str = ""

    @property
    def delete_steps(self) -> tuple[DeleteStep, ...]:
        """The steps of ``nova delete`` in the flow's release, in order (none for a flow without a delete)."""
        if not self.delete_module:
            return ()
        from importlib import import_module

        steps: tuple[DeleteStep, ...] = import_module(self.delete_module).STEPS
        return steps

    @property
    def release(self) -> str:
        """The release every fact of the flow is true of: ``Icehouse (2014.1)``."""
        return self.facts.release.name

    def step_index(self, name: str) -> int:
        """The position of the step with this name."""
        return next(index for index, step in enumerate(self.steps) if step.name == name)


StepCallback = Callable[[StepRecord], None]


def step_record(
    number: int, step: Step | Any, result: StepResult, state: InstanceState | None, attempt: int = 1
) -> StepRecord:
    """The record of a step as it ran: what the step is, what it handed over, and the instance's state after."""
    return StepRecord(
        number=number,
        name=step.name,
        title=step.title,
        service=step.service,
        status=result.status,
        note=step.note,
        source=step.source,
        state=state,
        handoffs=result.handoffs,
        detail=result.detail,
        scheduling=result.scheduling,
        placements=result.placements,
        attempt=attempt,
        logs=result.logs,
        cleanup=result.cleanup,
        passed=result.passed,
    )


def flow_endpoint(flow: Flow, ids: IdSource, service: str) -> str:
    """Where the flow's release serves an API (``compute``, ``image``, ``network``, ``identity``…)."""
    url: str = flow.facts.default("endpoints")[service]
    return url.replace("{project_id}", ids.cloud.hex("project"))


def flow_neutron_url(flow: Flow, ids: IdSource, path: str, query: str = "") -> str:
    """Where nova's own neutron client sends a call: the 2.3 client of Icehouse put ``.json`` after the path."""
    suffix: str = flow.facts.default("neutron_path_suffix")
    return f"{flow_endpoint(flow, ids, 'network')}/v2.0/{path}{suffix}" + (f"?{query}" if query else "")


def need_instance(state: WalkState) -> Instance:
    """The instance, for steps that run only once nova-api has created it."""
    if state.instance is None:
        raise RuntimeError("this step needs the instance nova-api creates")
    return state.instance


def need_host(state: WalkState) -> Host:
    """The selected host, for steps that run only after scheduling."""
    if state.selected_host is None:
        raise RuntimeError("this step needs the host the scheduler selects")
    return state.selected_host


def with_instance(state: WalkState, **changes: object) -> WalkState:
    """Return the state with the instance's fields changed."""
    return replace(state, instance=replace(need_instance(state), **changes))  # type: ignore[arg-type]


def fail(state: WalkState, error: ApiError) -> tuple[WalkState, StepStatus]:
    """The state with the error recorded, and the failed status."""
    return replace(state, error=error), StepStatus.FAILED

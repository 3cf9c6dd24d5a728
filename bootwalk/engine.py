"""The engine: resolve a boot request against the catalog, then walk the pipeline.

Pure Python: no click, no rich, no I/O. :func:`walk` returns a
:class:`~bootwalk.trace.Trace`; an optional callback sees each step as it
is recorded, so a live renderer can print it at once.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

from bootwalk.ids import DEFAULT_SEED, IdSource
from bootwalk.model import Catalog, Flavor, Host, Image, Network, Port, ServerGroup, Volume
from bootwalk.request import BlockDevice, BootRequest, NicRequest, is_uuid_like
from bootwalk.trace import (
    ApiError,
    Attempt,
    Fault,
    Handoff,
    InstanceState,
    LogLine,
    Outcome,
    Scenario,
    Scheduling,
    Service,
    StepRecord,
    StepStatus,
    Trace,
)


class LookupFailure(Exception):
    """The client could not find what an option names; nothing was sent to nova.

    ``option`` is the command-line option at fault, such as ``--image``.
    """

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option
        self.message = message


# --- resolving the request ------------------------------------------------------


@dataclass(frozen=True)
class ResolvedNic:
    """A ``--nic`` with its network (and port, for ``port-id``) looked up.

    ``network`` is None when nova-api will not find the net-id it was given;
    ``port`` is None unless a port was asked for and exists.
    """

    request: NicRequest
    network_id: str
    network: Network | None
    port: Port | None = None


@dataclass(frozen=True)
class ResolvedRequest:
    """A boot request whose flavor, image and networks the client has looked up."""

    request: BootRequest
    flavor: Flavor
    image: Image | None
    nics: tuple[ResolvedNic, ...] | Literal["auto", "none"]


def _find_one(items: list[object], kind: str, text: str, option: str) -> object:
    if len(items) > 1:
        raise LookupFailure(option, f"Multiple {kind} matches found for '{text}', use an ID to be more specific.")
    return items[0]


def find_flavor(catalog: Catalog, text: str) -> Flavor:
    """Find a flavor by ID, then by name, as novaclient's ``find_resource`` does."""
    by_id = [flavor for flavor in catalog.flavors if flavor.id == text]
    if by_id:
        return by_id[0]
    by_name = [flavor for flavor in catalog.flavors if flavor.name == text]
    if not by_name:
        raise LookupFailure("--flavor", f"No flavor with a name or ID of '{text}' exists.")
    found = _find_one(list(by_name), "flavor", text, "--flavor")
    assert isinstance(found, Flavor)
    return found


def find_image(catalog: Catalog, text: str) -> Image:
    """Find an image by ID when the text is a UUID, else by name (novaclient's ``find_image``)."""
    if is_uuid_like(text):
        for image in catalog.images:
            if image.id == text:
                return image
        raise LookupFailure("--image", f"No Image matching {text}. (HTTP 404)")
    matches = [image for image in catalog.images if image.name == text]
    if not matches:
        raise LookupFailure("--image", f"No Image matching {text}. (HTTP 404)")
    found = _find_one(list(matches), "image", text, "--image")
    assert isinstance(found, Image)
    return found


def find_network(catalog: Catalog, name: str) -> Network:
    """Resolve ``net-name`` through neutron's ``GET /v2.0/networks?name=``."""
    matches = [network for network in catalog.networks if network.name == name]
    if not matches:
        raise LookupFailure("--nic", f"No Network matching {name}.")
    found = _find_one(list(matches), "network", name, "--nic")
    assert isinstance(found, Network)
    return found


def resolve_request(request: BootRequest, catalog: Catalog) -> ResolvedRequest:
    """Look up what the client looks up before it sends ``POST /servers``.

    The order is novaclient's ``_boot``: image, ``--image-with``, flavor,
    then the nics. Raises :class:`LookupFailure` with novaclient's message.
    """
    image = find_image(catalog, request.image) if request.image else None
    if image is None and request.image_with:
        wanted = dict(request.image_with)
        matching = [
            candidate
            for candidate in catalog.images
            if all(candidate.properties.get(key) == value for key, value in wanted.items())
        ]
        if not matching:
            raise LookupFailure("--image-with", "No images match the property expected by --image-with")
        image = matching[0]
    flavor = find_flavor(catalog, request.flavor)
    nics: tuple[ResolvedNic, ...] | Literal["auto", "none"]
    if isinstance(request.nics, str):
        nics = request.nics
    else:
        resolved = []
        for nic in request.nics:
            if nic.net_name is not None:
                network: Network | None = find_network(catalog, nic.net_name)
                assert network is not None
                resolved.append(ResolvedNic(nic, network.id, network))
            elif nic.net_id:
                if not is_uuid_like(nic.net_id):
                    raise LookupFailure(
                        "--nic",
                        f"net-id '{nic.net_id}' is not a UUID, so nova-api would refuse it "
                        f"(HTTP 400). To give a network by name, use --nic net-name={nic.net_id}",
                    )
                network = next((n for n in catalog.networks if n.id == nic.net_id), None)
                resolved.append(ResolvedNic(nic, nic.net_id, network))
            else:
                port = next((p for p in catalog.ports if p.id == nic.port_id), None)
                network = None
                if port is not None:
                    network = next(n for n in catalog.networks if n.id == port.network_id)
                resolved.append(ResolvedNic(nic, port.network_id if port else "", network, port))
        nics = tuple(resolved)
    return ResolvedRequest(request=request, flavor=flavor, image=image, nics=nics)


# --- the walk's state -------------------------------------------------------------


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


@dataclass(frozen=True)
class WalkState:
    """Everything one step hands to the next. Steps return a new one.

    ``instance`` is the instance the walk follows (the first of the
    request); ``others`` are the rest, placed in step 4 and built the same
    way. ``hosts`` are the host states as the scheduler sees them, after the
    instances placed so far consumed their share. ``attempt`` counts the
    hosts the followed instance has been sent to; ``tried_hosts`` are the
    ones that failed, for RetryFilter.
    """

    resolved: ResolvedRequest
    catalog: Catalog
    ids: IdSource
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
    flow: str = "classic"
    alternates: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepResult:
    """What running one step produced, besides the new state."""

    handoffs: tuple[Handoff, ...]
    status: StepStatus = StepStatus.OK
    detail: str = ""
    scheduling: Scheduling | None = None
    placements: tuple[Scheduling, ...] = ()
    logs: tuple[LogLine, ...] = ()
    cleanup: tuple[str, ...] = ()


class Step(Protocol):
    """One step of the pipeline: a name, its service, and ``run``.

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


StepCallback = Callable[[StepRecord], None]


def walk(
    resolved: ResolvedRequest,
    catalog: Catalog,
    seed: int = DEFAULT_SEED,
    on_step: StepCallback | None = None,
    scenario: Scenario | None = None,
    flow: str = "classic",
    dialect: str = "nova",
) -> Trace:
    """Walk the classic pipeline for a resolved request and return its trace.

    The walk stops after a failed step; the steps after it are not in the
    trace. A step that ends ``rescheduled`` sends the walk back to the
    scheduler's step for the next attempt, as nova-compute sends the build
    back. ``on_step`` is called with each record as soon as it exists.
    ``scenario`` injects a fault (see :mod:`bootwalk.scenarios`); ``flow`` is
    ``classic`` (the Icehouse story) or ``modern`` (nova master); ``dialect``
    says which command the request came from (``nova`` or ``openstack``).
    """
    from bootwalk.pipelines import pipeline
    from bootwalk.steps import final_servers, request_summary, server_view, where_it_surfaces

    steps, reschedule_target = pipeline(flow)
    catalog = apply_scenario(catalog, scenario)
    state = WalkState(
        resolved=resolved, catalog=catalog, ids=IdSource(seed), scenario=scenario, hosts=catalog.hosts, flow=flow
    )
    records: list[StepRecord] = []
    schedule_index = next(index for index, step in enumerate(steps) if step.name == reschedule_target)
    index = 0
    while index < len(steps):
        step = steps[index]
        attempt = state.attempt
        state, result = step.run(state)
        record = StepRecord(
            number=index + 1,
            name=step.name,
            title=step.title,
            service=step.service,
            status=result.status,
            note=step.note,
            source=step.source,
            state=state.instance.state if state.instance else None,
            handoffs=result.handoffs,
            detail=result.detail,
            scheduling=result.scheduling,
            placements=result.placements,
            attempt=attempt,
            logs=result.logs,
            cleanup=result.cleanup,
        )
        records.append(record)
        if on_step is not None:
            on_step(record)
        if result.status is StepStatus.FAILED:
            break
        if result.status is StepStatus.RESCHEDULED:
            # Bounded: the scheduler's step fails once attempts exceed max_attempts.
            state = replace(state, attempt=state.attempt + 1)
            index = schedule_index
            continue
        index += 1
    servers = final_servers(state)
    active = bool(servers) and all(server["status"] == "ACTIVE" for server in servers)
    trace = Trace(
        flow=flow,
        seed=seed,
        request=request_summary(resolved, dialect),
        steps=tuple(records),
        outcome=Outcome.ACTIVE if active else Outcome.ERROR,
        server=server_view(state) if state.instance else None,
        error=state.error,
        servers=servers,
        attempts=state.attempts,
        scenario=scenario,
    )
    return replace(trace, surfaces=where_it_surfaces(trace))


def apply_scenario(catalog: Catalog, scenario: Scenario | None) -> Catalog:
    """The cloud as a scenario changes it before the walk starts.

    ``over-quota`` fills the project's instance quota; ``compute-down``
    stops every nova-compute from reporting. The other scenarios fail a
    step and leave the catalog as it is.
    """
    if scenario is None:
        return catalog
    if scenario.name == "over-quota":
        return replace(catalog, quotas=replace(catalog.quotas, instances_used=catalog.quotas.instances))
    if scenario.name == "compute-down":
        return replace(catalog, hosts=tuple(replace(host, state="down") for host in catalog.hosts))
    return catalog


def need_instance(state: WalkState) -> Instance:
    """The instance, for steps that run only once nova-api has created it."""
    if state.instance is None:
        raise RuntimeError("this step needs the instance nova-api creates in step 3")
    return state.instance


def need_host(state: WalkState) -> Host:
    """The selected host, for steps that run only after scheduling."""
    if state.selected_host is None:
        raise RuntimeError("this step needs the host the scheduler selects in step 4")
    return state.selected_host


def with_instance(state: WalkState, **changes: object) -> WalkState:
    """Return the state with the instance's fields changed."""
    return replace(state, instance=replace(need_instance(state), **changes))  # type: ignore[arg-type]


def pick_address(state: WalkState, network: Network, label: str, fixed_ip: str | None) -> str:
    """The IP neutron hands out: the fixed IP asked for, or a free one of the first subnet."""
    if fixed_ip is not None:
        return fixed_ip
    subnet = next((s for s in network.subnets if s.ip_version == 4), network.subnets[0])
    taken = frozenset(port.fixed_ip for port in state.catalog.ports)
    return state.ids.address(label, subnet.cidr, subnet.gateway_ip, taken)


def address_in_network(network: Network, address: str) -> bool:
    """True when the address lies in one of the network's subnets."""
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(subnet.cidr) for subnet in network.subnets)


def plan_volumes(
    request: BootRequest, catalog: Catalog, ids: IdSource, image: Image | None
) -> tuple[tuple[VolumePlan, ...], ApiError | None]:
    """Work out the volumes the boot uses, or nova-api's error for one it cannot find."""
    devices: list[BlockDevice] = []
    if request.boot_volume:
        devices.append(BlockDevice("volume", "volume", 0, uuid=request.boot_volume))
    if request.snapshot:
        devices.append(BlockDevice("snapshot", "volume", 0, uuid=request.snapshot))
    devices.extend(request.block_device_mapping)
    devices.extend(d for d in request.block_devices if d.destination_type == "volume")
    plans = []
    letters = "bcdefghijklmnop" if image is not None else "abcdefghijklmnop"
    for index, device in enumerate(devices):
        name = device.device_name or f"/dev/vd{letters[index]}"
        if device.source_type == "volume":
            volume = next((v for v in catalog.volumes if v.id == device.uuid), None)
            if volume is None:
                return (), ApiError("BadRequest", f"Volume {device.uuid} could not be found.", 400)
            plans.append(VolumePlan(volume.id, volume.size, name, device.boot_index))
        else:
            size = device.volume_size or (
                max(1, -(-image.size // 2**30)) if device.source_type == "image" and image else 1
            )
            plans.append(
                VolumePlan(
                    ids.uuid(f"volume:{index}"),
                    size,
                    name,
                    device.boot_index,
                    created_from=device.source_type,
                    source_id=device.uuid,
                )
            )
    return tuple(plans), None


def boot_volume(state: WalkState) -> Volume | VolumePlan | None:
    """The volume the server boots from, if it boots from one."""
    for plan in state.volumes:
        if plan.boot_index == 0:
            return plan
    return None

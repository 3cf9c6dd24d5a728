"""The delete walk: the server being deleted, what one delete step hands to the next, and walking the steps.

Pure Python, like :func:`bootwalk.engine.walk`: a :class:`Doomed` server
(what the lab keeps of it) and the cloud go in, a
:class:`~bootwalk.trace.Trace` of the flow's ``delete_steps`` comes out,
with the outcome ``DELETED``. Each flow says how its release deletes a
server (``Flow.delete_steps``); the engine knows no release.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from bootwalk.engine.state import OnTheClock, StepCallback, StepResult, step_record
from bootwalk.ids import DEFAULT_SEED, IdSource
from bootwalk.model import Catalog, Flavor
from bootwalk.records import dataclass
from bootwalk.trace import InstanceState, Outcome, Service, StepRecord, Trace

if TYPE_CHECKING:
    from bootwalk.dialects.interface import Dialect
    from bootwalk.engine.state import Flow


@dataclass(frozen=True)
class DoomedPort:
    """A port of the server: its network and address, and whether nova made it (or the user gave it)."""

    port_id: str
    network_id: str
    network_name: str
    address: str
    created_by_nova: bool = True


@dataclass(frozen=True)
class DoomedVolume:
    """A volume attached to the server, and the cinder attachment that holds it (today's nova)."""

    volume_id: str
    attachment_id: str
    delete_on_termination: bool = False


@dataclass(frozen=True)
class Doomed:
    """The server ``nova delete`` is asked to delete, as nova has it when the command is typed.

    ``typed`` is what the user typed to name it (a name or an ID); ``host``
    is None for a server no host ever took (ERROR, NoValidHost).
    """

    uuid: str
    name: str
    typed: str
    status: str
    vm_state: str
    task_state: str | None
    power_state: int
    host: str | None
    instance_name: str
    flavor: Flavor
    ports: tuple[DoomedPort, ...] = ()
    volumes: tuple[DoomedVolume, ...] = ()
    cell: str | None = None

    @property
    def state(self) -> InstanceState:
        """The three state fields as nova's row holds them before the delete."""
        return InstanceState(self.vm_state, self.task_state, self.power_state)


@dataclass(frozen=True)
class DeleteState(OnTheClock):
    """Everything one delete step hands to the next. Steps return a new one.

    ``instance`` is the row's three state fields as the walk goes on;
    ``local`` says nova-api deleted the row itself (no host to cast to), so
    the steps on the host have nothing to do.
    """

    server: Doomed
    catalog: Catalog
    ids: IdSource
    flow: Flow
    dialect: Dialect[Any]
    instance: InstanceState
    token: str | None = None
    local: bool = False
    clock_ms: float = 0.0


class DeleteStep(Protocol):
    """One step of a flow's delete: a name, its service, and ``run``, as a boot step has."""

    name: str
    title: str
    service: Service
    note: str
    source: str

    def run(self, state: DeleteState) -> tuple[DeleteState, StepResult]:
        """Do the step: return the new state and what was handed over."""
        ...


def delete_summary(server: Doomed, dialect: str = "nova") -> dict[str, Any]:
    """The request as the JSON trace records it: what was deleted, and the command in both dialects."""
    from bootwalk.dialects.shared import quote

    typed = quote(server.typed)
    return {
        "action": "delete",
        "dialect": dialect,
        "commands": {"nova": f"nova delete {typed}", "openstack": f"openstack server delete {typed}"},
        "name": server.name,
        "id": server.uuid,
        "server": server.typed,
    }


def walk_delete(
    server: Doomed,
    catalog: Catalog,
    flow: Flow,
    seed: int = DEFAULT_SEED,
    on_step: StepCallback | None = None,
    dialect: str = "nova",
    start_ms: float = 0.0,
) -> Trace:
    """Walk the flow's delete steps for this server and return the trace (outcome ``DELETED``).

    A skipped step (nothing to do: no volume, or no host) is recorded and
    the walk goes on; nova's delete does not fail in this walk.
    """
    from bootwalk.dialects import dialect_named
    from bootwalk.timing import handoff_ms

    state = DeleteState(
        server=server,
        catalog=catalog,
        ids=IdSource(seed),
        flow=flow,
        dialect=dialect_named(dialect),
        instance=server.state,
        clock_ms=start_ms,
    )
    records: list[StepRecord] = []
    for index, step in enumerate(flow.delete_steps):
        state, result = step.run(state)
        record = step_record(index + 1, step, result, state.instance)
        records.append(record)
        state = replace(state, clock_ms=state.clock_ms + sum(handoff_ms(h, record) for h in record.handoffs))
        if on_step is not None:
            on_step(record)
    gone: dict[str, Any] = {"id": server.uuid, "name": server.name, "status": "DELETED", "host": None, "networks": {}}
    return Trace(
        flow=flow.name,
        release=flow.release,
        seed=seed,
        request=delete_summary(server, dialect),
        steps=tuple(records),
        outcome=Outcome.DELETED,
        server=None,
        servers=(gone,),
    )

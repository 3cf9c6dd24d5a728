"""The failure scenarios ``--scenario`` injects, each one object in one place.

A scenario says what it changes in the cloud before the walk starts
(:meth:`Scenario.change`) and at which :class:`FaultPoint` it makes a step
fail; a step asks the walk's state whether its fault point strikes now
(``WalkState.fault_strikes``). Adding a scenario is one entry in
:data:`SCENARIOS` (and, for a new kind of fault, one ``FaultPoint`` member
that a step asks about).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import Enum

from bootwalk.model import Catalog
from bootwalk.trace import Scenario as ScenarioRecord


class FaultPoint(str, Enum):
    """Where in a walk a scenario can make a step fail."""

    #: keystone refuses the password (step 2).
    CREDENTIALS = "credentials"
    #: neutron cannot bind the port on the chosen host.
    PORT_BINDING = "port-binding"
    #: cinder cannot attach a volume.
    VOLUME_ATTACH = "volume-attach"
    #: the hypervisor fails to start the guest.
    SPAWN = "spawn"


def _unchanged(catalog: Catalog) -> Catalog:
    return catalog


@dataclass(frozen=True)
class Scenario:
    """A fault injected into the walk, and the lesson it teaches.

    ``change`` rewrites the cloud before the walk (fill the quota, stop the
    computes); ``fault`` is the point where a step fails, on the followed
    instance's first host; ``needs_volume`` says the request must attach a
    volume for the scenario to mean anything.
    """

    name: str
    lesson: str
    fault: FaultPoint | None = None
    change: Callable[[Catalog], Catalog] = _unchanged
    needs_volume: bool = False

    def record(self) -> ScenarioRecord:
        """The scenario as a trace records it: plain data."""
        return ScenarioRecord(self.name, self.lesson, self.needs_volume)


def _fill_instance_quota(catalog: Catalog) -> Catalog:
    return replace(catalog, quotas=replace(catalog.quotas, instances_used=catalog.quotas.instances))


def _stop_every_compute(catalog: Catalog) -> Catalog:
    return replace(catalog, hosts=tuple(replace(host, state="down") for host in catalog.hosts))


SCENARIOS: Mapping[str, Scenario] = {
    scenario.name: scenario
    for scenario in (
        Scenario(
            "bad-credentials",
            "A wrong password stops at keystone: 401 before nova hears of the server, so nothing is created.",
            fault=FaultPoint.CREDENTIALS,
        ),
        Scenario(
            "over-quota",
            "nova-api checks quotas before it creates anything: the 403 comes back from nova boot itself.",
            change=_fill_instance_quota,
        ),
        Scenario(
            "compute-down",
            "Every nova-compute has stopped reporting: ComputeFilter removes all hosts, and the 202 "
            "is followed by 'No valid host was found' in nova show.",
            change=_stop_every_compute,
        ),
        Scenario(
            "port-binding-failed",
            "Neutron cannot bind the port on the chosen host: nova-compute reschedules to another host, "
            "and gives up when max_attempts is used up.",
            fault=FaultPoint.PORT_BINDING,
        ),
        Scenario(
            "volume-attach-failed",
            "A failed volume attach aborts the build (BuildAbortException): no reschedule, the server "
            "goes to ERROR and the fault says why.",
            fault=FaultPoint.VOLUME_ATTACH,
            needs_volume=True,
        ),
        Scenario(
            "spawn-failed",
            "The hypervisor fails to start the guest on the first host: the build is rescheduled and "
            "ends ACTIVE on the next one.",
            fault=FaultPoint.SPAWN,
        ),
    )
}

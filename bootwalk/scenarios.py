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
from dataclasses import replace
from enum import Enum

from bootwalk.exit_codes import ExitCode
from bootwalk.hints import DEMO_NAME, Hint, demo_boot
from bootwalk.model import Catalog
from bootwalk.records import dataclass
from bootwalk.trace import Scenario as ScenarioRecord
from bootwalk.troubleshooting import Trouble


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
    #: neutron never reports the port plugged while the guest waits, paused.
    VIF_PLUG = "vif-plug"


#: The shipped catalog's bootable volume (cloud.yaml ``boot-vol``): nova boot's --boot-volume takes an ID.
BOOT_VOLUME = "8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7"


def _unchanged(catalog: Catalog) -> Catalog:
    return catalog


@dataclass(frozen=True)
class Scenario:
    """A fault injected into the walk, and the lesson it teaches.

    ``change`` rewrites the cloud before the walk (fill the quota, stop the
    computes); ``fault`` is the point where a step fails, on the followed
    instance's first host; ``needs_volume`` says the request must attach a
    volume for the scenario to mean anything; ``try_it`` is the whole
    command that shows it in the shipped catalog, as explain pages print it.
    """

    name: str
    lesson: str
    fault: FaultPoint | None = None
    change: Callable[[Catalog], Catalog] = _unchanged
    needs_volume: bool = False
    try_it: Hint | None = None

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
            try_it=demo_boot("--scenario", "bad-credentials", exit_code=ExitCode.ERROR),
        ),
        Scenario(
            "over-quota",
            "nova-api checks quotas before it creates anything: the refusal comes back from nova boot itself "
            "(413 in Icehouse, 403 today).",
            change=_fill_instance_quota,
            try_it=demo_boot("--scenario", "over-quota", exit_code=ExitCode.ERROR),
        ),
        Scenario(
            "compute-down",
            "Every nova-compute has stopped reporting: ComputeFilter removes all hosts, and the 202 "
            "is followed by 'No valid host was found' in nova show.",
            change=_stop_every_compute,
            try_it=demo_boot("--scenario", "compute-down", exit_code=ExitCode.ERROR),
        ),
        Scenario(
            "port-binding-failed",
            "Neutron cannot bind the port on the chosen host: nova-compute reschedules, and the next host "
            "boots it; with --max-attempts 1 the server ends in ERROR instead.",
            fault=FaultPoint.PORT_BINDING,
            try_it=demo_boot("--scenario", "port-binding-failed"),
        ),
        Scenario(
            "volume-attach-failed",
            "A failed volume attach is InvalidBDM: no reschedule, the server goes to ERROR and the fault says why.",
            fault=FaultPoint.VOLUME_ATTACH,
            needs_volume=True,
            try_it=Hint(
                f"bootwalk boot --flavor m1.tiny --boot-volume {BOOT_VOLUME} --nic net-name=private "
                f"--scenario volume-attach-failed {DEMO_NAME}",
                ExitCode.ERROR,
            ),
        ),
        Scenario(
            "spawn-failed",
            "The hypervisor fails to start the guest on the first host: the build is rescheduled and "
            "ends ACTIVE on the next one.",
            fault=FaultPoint.SPAWN,
            try_it=demo_boot("--scenario", "spawn-failed"),
        ),
        Scenario(
            "vif-plugging-timeout",
            "neutron never reports the port plugged: after vif_plugging_timeout (300 s) nova gives up on the "
            "guest without rescheduling, and the server goes to ERROR.",
            fault=FaultPoint.VIF_PLUG,
            try_it=demo_boot("--scenario", "vif-plugging-timeout", exit_code=ExitCode.ERROR),
        ),
    )
}


def try_it(trouble: Trouble, flow: str | None = None) -> Hint | None:
    """The command an explain page prints for a trouble: its own, else its scenario's.

    ``flow`` is the page's flow when it is not the default one: the hint
    then gains ``--flow NAME``, so that the walk it starts is the one the
    page explains.
    """
    hint = trouble.try_it
    if hint is None and trouble.scenario is not None:
        hint = SCENARIOS[trouble.scenario].try_it
    if hint is None:
        return None
    return hint.in_flow(flow)

"""The failure scenarios ``--scenario`` injects, each with the lesson it teaches.

Pure data: the steps look the scenario up in the walk's state and fail
where nova would.
"""

from __future__ import annotations

from collections.abc import Mapping

from bootwalk.trace import Scenario

SCENARIOS: Mapping[str, Scenario] = {
    scenario.name: scenario
    for scenario in (
        Scenario(
            "bad-credentials",
            "A wrong password stops at keystone: 401 before nova hears of the server, so nothing is created.",
        ),
        Scenario(
            "over-quota",
            "nova-api checks quotas before it creates anything: the 403 comes back from nova boot itself.",
        ),
        Scenario(
            "compute-down",
            "Every nova-compute has stopped reporting: ComputeFilter removes all hosts, and the 202 "
            "is followed by 'No valid host was found' in nova show.",
        ),
        Scenario(
            "port-binding-failed",
            "Neutron cannot bind the port on the chosen host: nova-compute reschedules to another host, "
            "and gives up when max_attempts is used up.",
        ),
        Scenario(
            "volume-attach-failed",
            "A failed volume attach aborts the build (BuildAbortException): no reschedule, the server "
            "goes to ERROR and the fault says why.",
            needs_volume=True,
        ),
        Scenario(
            "spawn-failed",
            "The hypervisor fails to start the guest on the first host: the build is rescheduled and "
            "ends ACTIVE on the next one.",
        ),
    )
}

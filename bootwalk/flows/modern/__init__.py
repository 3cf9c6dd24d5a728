"""The modern flow: today's nova (master), in nine steps.

nova-api records a build request, nova-conductor asks the scheduler for
destinations (an RPC call), the scheduler asks placement for candidates,
filters and weighs them and claims the winner in placement, and the
conductor creates the instance in the cell database and casts
``build_and_run_instance`` to the host with its alternates. nova-compute
then sets up networking, block devices and the guest (the image is
downloaded inside spawn). The calls, casts, topics and states follow the
fact sheet, read from nova master.
"""

from __future__ import annotations

from bootwalk.engine.state import AllocationRatios, Flow, SchedulerDefaults
from bootwalk.facts.master import FACTS
from bootwalk.flows.modern.api import BuildRequest
from bootwalk.flows.modern.compute import ComputeClaim, ModernNetwork, ModernSpawn, ModernVolumes
from bootwalk.flows.modern.conductor import ConductorBuild
from bootwalk.flows.modern.recovery import ModernRecovery
from bootwalk.flows.modern.scheduler import SelectDestinations
from bootwalk.services.keystone import Authenticate, IssueToken

#: nova master's default ``[filter_scheduler]enabled_filters`` (placement does RAM, CPU, disk and zones).
MODERN_FILTERS = (
    "ComputeFilter",
    "ComputeCapabilitiesFilter",
    "ImagePropertiesFilter",
    "ServerGroupAntiAffinityFilter",
    "ServerGroupAffinityFilter",
)

#: Today nova runs every weigher; these are the ones bootwalk models, each at its default 1.0.
MODERN_WEIGHERS: tuple[tuple[str, float], ...] = (("RAMWeigher", 1.0), ("CPUWeigher", 1.0), ("DiskWeigher", 1.0))

#: Today's nova, step by step. ``conductor-build`` is where a reschedule comes back.
MODERN_PIPELINE = (
    Authenticate(),
    IssueToken(),
    BuildRequest(),
    SelectDestinations(),
    ConductorBuild(),
    ComputeClaim(),
    ModernNetwork(),
    ModernVolumes(),
    ModernSpawn(),
)

FLOW = Flow(
    name="modern",
    title="Today's nova (master)",
    facts=FACTS,
    summary="nova master's real calls (placement, cells v2, alternates)",
    steps=MODERN_PIPELINE,
    reschedule_to="conductor-build",
    # nova master 00a03040, nova/conf/compute.py: cpu/ram/disk_allocation_ratio default to None, so a
    # new compute node's resource provider gets initial_cpu_allocation_ratio 4.0,
    # initial_ram_allocation_ratio 1.0 and initial_disk_allocation_ratio 1.0 (4.0 and 1.0 since
    # 2023.1 Antelope, nova 27.0.0; 16.0 and 1.5 before).
    scheduler=SchedulerDefaults(
        enabled_filters=MODERN_FILTERS,
        weighers=MODERN_WEIGHERS,
        allocation_ratios=AllocationRatios(
            cpu=FACTS.default("cpu_allocation_ratio"),
            ram=FACTS.default("ram_allocation_ratio"),
            disk=FACTS.default("disk_allocation_ratio"),
        ),
    ),
    recovery=ModernRecovery(),
    delete_module="bootwalk.flows.modern.delete",
)

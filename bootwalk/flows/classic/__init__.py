"""The classic flow: the Icehouse-era story of the training guides, in twelve steps.

Every fact is Icehouse's (nova 2014.1) unless a note says otherwise; where
the story itself parts from Icehouse's code (the flavor round trip of steps
7 and 8, the order of glance, neutron and cinder) the handoffs are marked
``simplified`` and shown as ``(story)``.
"""

from __future__ import annotations

from bootwalk.engine.state import AllocationRatios, Flow, SchedulerDefaults
from bootwalk.facts.icehouse import FACTS
from bootwalk.flows.classic.api import RecordAndQueue
from bootwalk.flows.classic.compute import ClassicNetwork, ClassicSpawn, ClassicVolumes
from bootwalk.flows.classic.conductor import AskForFlavor, ReturnFlavor
from bootwalk.flows.classic.glance import FetchImage
from bootwalk.flows.classic.recovery import ClassicRecovery
from bootwalk.flows.classic.scheduler import CastToCompute, RecordHost, Schedule
from bootwalk.scheduler import CLASSIC_FILTERS
from bootwalk.services.keystone import Authenticate, IssueToken

#: The classic story's twelve steps, in order. Adding a step is one class and one line.
CLASSIC_PIPELINE = (
    Authenticate(),
    IssueToken(),
    RecordAndQueue(),
    Schedule(),
    RecordHost(),
    CastToCompute(),
    AskForFlavor(),
    ReturnFlavor(),
    FetchImage(),
    ClassicNetwork(),
    ClassicVolumes(),
    ClassicSpawn(),
)

FLOW = Flow(
    name="classic",
    title="The classic boot",
    facts=FACTS,
    summary="the Icehouse-era story of the training guides",
    steps=CLASSIC_PIPELINE,
    reschedule_to="schedule",
    # nova 2014.1: scheduler_default_filters (nova/scheduler/host_manager.py); all_weighers, RAMWeigher
    # (ram_weight_multiplier 1.0, nova/scheduler/weights/ram.py) and MetricsWeigher, which adds 0 without
    # metrics settings, so the walk weighs with RAMWeigher alone; the
    # ratios of CoreFilter 16.0, RamFilter 1.5 and DiskFilter 1.0 (nova/scheduler/filters/*_filter.py).
    scheduler=SchedulerDefaults(
        enabled_filters=CLASSIC_FILTERS,
        weighers=(("RAMWeigher", 1.0),),
        allocation_ratios=AllocationRatios(
            cpu=FACTS.default("cpu_allocation_ratio"),
            ram=FACTS.default("ram_allocation_ratio"),
            disk=FACTS.default("disk_allocation_ratio"),
        ),
    ),
    recovery=ClassicRecovery(),
    delete_module="bootwalk.flows.classic.delete",
)

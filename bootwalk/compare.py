"""``bootwalk compare``: the classic story and today's nova, side by side, with the release of each change.

Pure data. Releases were checked in nova's tags (``*-eol`` and numbered
releases) or come from the fact sheet; "story" marks what the classic story
tells but nova's code never did.
"""

from __future__ import annotations

from bootwalk.records import dataclass


@dataclass(frozen=True)
class Change:
    """One row: the classic steps, today's steps, what changed, and since when."""

    classic: str
    modern: str
    change: str
    since: str


CHANGES: tuple[Change, ...] = (
    Change(
        "1-2 keystone: password, token",
        "1-2 the same",
        "Both walks use keystone v3 (POST /v3/auth/tokens); Icehouse's novaclient 2.17 used v2.0.",
        "client side",
    ),
    Change(
        "3 nova-api writes the instances row, casts build_instances",
        "3 nova-api writes a BuildRequest, RequestSpec and InstanceMapping, casts schedule_and_build_instances",
        "Cells v2: no instance row until a host is chosen; the API database holds the request.",
        "Ocata (15.0.0)",
    ),
    Change(
        "4 the conductor casts run_instance to the scheduler",
        "4 the conductor calls select_destinations and waits",
        "The conductor, not the scheduler, drives the build; scheduling became an RPC call.",
        "Juno (2014.2)",
    ),
    Change(
        "4 the scheduler reads host states from the database",
        "4 the scheduler asks placement for allocation candidates, then claims",
        "Placement answers for RAM, vCPU and disk; the scheduler claims the winner (PUT /allocations).",
        "Pike (16.0.0)",
    ),
    Change(
        "4 eight classic filters, RAMWeigher",
        "4 five default filters; all weighers, of which bootwalk models RAM, CPU and Disk",
        "RamFilter and DiskFilter left the defaults in Pike (16.0.0), RetryFilter in Train (20.0.0), "
        "AvailabilityZoneFilter in Xena (24.0.0): placement does their work. Icehouse weighed with RAMWeigher "
        "and MetricsWeigher (0 without metrics); the walk leaves out today's IoOps, NumInstances, "
        "BuildFailure and other weighers.",
        "Pike to Xena",
    ),
    Change(
        "5 the scheduler records scheduled_at",
        "5 the conductor writes the instance in its cell, maps it, deletes the build request",
        "The scheduler writes no instance row; the conductor creates it in the cell database.",
        "Ocata (15.0.0)",
    ),
    Change(
        "6 the scheduler casts run_instance to compute.<host>",
        "5 the conductor casts build_and_run_instance with its alternates",
        "The conductor casts the build; the host list carries up to max_attempts - 1 alternates.",
        "Juno (2014.2); alternates Queens (17.0.0)",
    ),
    Change(
        "7-8 nova-compute asks nova-conductor for the flavor",
        "6 nova-compute claims; its saves are object_action calls",
        "There was never such a call: the flavor travels with the instance. Since Grizzly nova-compute "
        "reaches the database through nova-conductor; Icehouse could still let it write directly "
        "([conductor] use_local = True; False by default).",
        "story",
    ),
    Change(
        "9 nova-compute asks glance for the image",
        "9 the image is downloaded inside spawn",
        "nova-api reads the image's metadata; the libvirt driver downloads the bits in spawn (_create_image).",
        "story",
    ),
    Change(
        "10 neutron: a port and an IP",
        "7 neutron: a port, bound to the host, in the background",
        "nova-compute starts networking first and asynchronously, then block devices, then spawn.",
        "story",
    ),
    Change(
        "11 cinder: os-initialize_connection, os-attach",
        "8 cinder attachments API (3.44): create, update with the connector, complete",
        "The new volume attach flow.",
        "Queens (17.0.0)",
    ),
    Change(
        "NoValidHost: the instance row goes to ERROR",
        "NoValidHost: the instance is buried in cell0, in ERROR",
        "'There are not enough hosts available.' since Kilo (2015.1); cell0 since Ocata (15.0.0). An empty "
        "placement answer gives an empty reason.",
        "Kilo; Ocata",
    ),
    Change(
        "A reschedule: back to the scheduler, RetryFilter skips the host",
        "A reschedule: the conductor claims the next alternate",
        "'Exceeded maximum number of retries' (MaxRetriesExceeded) since Liberty (12.0.0); alternates "
        "since Queens (17.0.0).",
        "Liberty; Queens",
    ),
)

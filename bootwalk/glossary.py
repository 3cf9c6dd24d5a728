"""The glossary ``bootwalk explain TERM`` and ``bootwalk glossary`` read: every word a walk shows, for a beginner.

Pure data, one :class:`Term` per concept, service, scheduler filter and
weigher. Each says what it is in two to four sentences, with the formula
bootwalk uses where there is one, and with release facts only where nova's
code, bootwalk's own code comments or the fact sheet give them. A term's
``shown_by`` are whole bootwalk commands that show it, run by the tests.
Every filter in ``scheduler.FILTERS``, every weigher in
``scheduler.WEIGHERS`` and every ``trace.Service`` has a term (a test
checks).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from enum import Enum
from functools import cache
from typing import NamedTuple

from bootwalk.exit_codes import ExitCode
from bootwalk.hints import DB_NEAR, WEB_2, WEB_HA, Hint, demo_boot
from bootwalk.trace import POWER_STATE_NAMES, Service


class TermKind(str, Enum):
    """What a term names; the value is how a page and the listing call it."""

    CONCEPT = "concept"
    SERVICE = "service"
    FILTER = "scheduler filter"
    WEIGHER = "weigher"


class Term(NamedTuple):
    """One glossary entry."""

    #: The name the glossary lists, as nova or bootwalk writes it.
    name: str
    kind: TermKind
    #: One line for the listing.
    summary: str
    #: Two to four sentences for a beginner.
    definition: str
    #: Other names it is asked by (matching ignores case, and '-', '_' and spaces are alike).
    aliases: tuple[str, ...] = ()
    #: Names of other terms worth reading next.
    see_also: tuple[str, ...] = ()
    #: Whole bootwalk commands that show it.
    shown_by: tuple[Hint, ...] = ()
    #: The service whose style colours the name, for a service.
    service: Service | None = None


DEMO = demo_boot()
MODERN = demo_boot("--flow", "modern")
POWER_STATES = ", ".join(f"{number} {name}" for number, name in POWER_STATE_NAMES.items())

#: The concepts a walk names.
CONCEPTS: tuple[Term, ...] = (
    Term(
        "RPC cast", TermKind.CONCEPT, "A one-way message: the sender does not wait",
        "A message one nova service puts on the message queue for another, without waiting: the sender goes "
        "on at once, and no answer comes back. nova-api casts the build to nova-conductor, and the build is "
        "cast to the chosen host's nova-compute on topic compute.<host>. If no one takes the message off the "
        "queue (the service is down), it waits there and the server stays in BUILD.",
        aliases=("cast", "casts", "cast vs call"), see_also=("RPC call", "topic", "message queue"), shown_by=(DEMO,),
    ),
    Term(
        "RPC call", TermKind.CONCEPT, "A message whose sender waits for the answer",
        "A message on the message queue whose sender waits for the answer, up to a timeout. Since Juno "
        "nova-conductor calls select_destinations on nova-scheduler and waits for the chosen hosts (timeout "
        "long_rpc_timeout, 1800 s). nova-compute saves the instance through RPC calls to nova-conductor, as "
        "it never reaches the database itself.",
        aliases=("call",), see_also=("RPC cast", "topic", "nova-conductor"), shown_by=(MODERN,),
    ),
    Term(
        "topic", TermKind.CONCEPT, "The queue an RPC message is addressed to",
        "The name an RPC message is sent to, one per kind of service: conductor, scheduler, compute. A "
        "message for one particular server goes to <topic>.<host>, for example compute.compute1 (the routing "
        "key oslo.messaging uses, on exchange nova), so a cast to compute reaches the chosen host alone.",
        aliases=("rpc topic", "routing key"), see_also=("RPC cast", "RPC call", "message queue"),
        shown_by=(Hint("bootwalk explain cast-to-compute"),),
    ),
    Term(
        "request_spec", TermKind.CONCEPT, "What the scheduler is told of the request",
        "What nova-scheduler is told of a boot request: the flavor, the image, how many instances, the "
        "availability zone, the scheduler hints and the server group. Filters and weighers read it to judge "
        "each host. In today's nova, nova-api saves it as a RequestSpec in the API database, one per instance.",
        aliases=("RequestSpec",), see_also=("scheduler hint", "server group", "nova-scheduler"),
        shown_by=(Hint("bootwalk explain 4"),),
    ),
    Term(
        "vm_state", TermKind.CONCEPT, "The instance's settled state: building, active…",
        "The instance's settled state, one of: active, building, paused, suspended, stopped, rescued, "
        "resized, soft-delete, deleted, error, shelved, shelved_offloaded. A boot starts in building and ends "
        "in active, or in error when it fails. The API shows it as the server's status: building is BUILD, "
        "active is ACTIVE, error is ERROR.",
        aliases=("states", "instance state"), see_also=("task_state", "power_state"), shown_by=(DEMO,),
    ),
    Term(
        "task_state", TermKind.CONCEPT, "What is being done to the instance now",
        "What is being done to the instance at the moment, or None when nothing is. In a boot it is "
        "scheduling (set by nova-api), then None when nova-compute takes the build, then networking, "
        "block_device_mapping and spawning, and None again once the guest is active. Each bootwalk step shows "
        "it in the middle of 'State after'.",
        see_also=("vm_state", "power_state"), shown_by=(DEMO,),
    ),
    Term(
        "power_state", TermKind.CONCEPT, "What the hypervisor says of the guest",
        f"What the hypervisor reports of the guest, as a number: {POWER_STATES}. It is 0 while the server "
        "builds; when spawn has finished, nova-compute reads it from the driver, and a guest that runs is 1.",
        aliases=("NOSTATE", "RUNNING"), see_also=("vm_state", "task_state", "hypervisor"), shown_by=(DEMO,),
    ),
    Term(
        "weigher", TermKind.CONCEPT, "Ranks the hosts the filters kept",
        "A weigher scores each host the filters kept, and the heaviest host wins. nova scales each weigher's "
        "raw values to 0..1 across the hosts (the lowest becomes 0, the highest 1; if all are equal, all are "
        "0), multiplies them by the weigher's multiplier and adds the weighers up. When one host is left, it "
        "is not weighed at all.",
        aliases=("weighers", "weight", "weighing", "weighs"),
        see_also=("multiplier", "RAMWeigher", "CPUWeigher", "DiskWeigher", "nova-scheduler"), shown_by=(DEMO,),
    ),
    Term(
        "multiplier", TermKind.CONCEPT, "How much a weigher counts, and which way",
        "The number a weigher's scaled value (0..1) is multiplied by before the weighers are added up: 1.0 by "
        "default for RAMWeigher, CPUWeigher and DiskWeigher. A bigger one makes that weigher count for more; "
        "a negative one turns it round, so that RAMWeigher prefers the fullest host and stacks servers instead "
        "of spreading them. nova.conf sets it (ram_weight_multiplier, for one); so can cloud.yaml's weighers.",
        aliases=("weight multiplier", "ram_weight_multiplier"), see_also=("weigher", "RAMWeigher"),
        shown_by=(DEMO,),
    ),
    Term(
        "allocation ratio", TermKind.CONCEPT, "How far a host's resources may be overcommitted",
        "How far a host's vCPUs, RAM or disk may be promised beyond what it has: usable = total × ratio − "
        "used. With Icehouse's ratios (vCPU 16.0, RAM 1.5, disk 1.0) compute1 has 16384 × 1.5 − 4096 = 20480 "
        "MB of RAM to give. Since 2023.1 Antelope (nova 27.0.0) a new host starts with 4.0, 1.0 and 1.0.",
        aliases=("allocation ratios", "overcommit", "cpu_allocation_ratio", "ram_allocation_ratio",
                 "disk_allocation_ratio"),
        see_also=("RamFilter", "CoreFilter", "DiskFilter", "placement"),
        shown_by=(Hint("bootwalk host-list"), Hint("bootwalk host-list --flow modern")),
    ),
    Term(
        "alternate host", TermKind.CONCEPT, "A spare host the scheduler returns with the winner",
        "A host the scheduler returns after the chosen one, in case the build fails there: up to "
        "max_attempts − 1 of them (max_attempts is 3 by default). nova-conductor casts them to nova-compute "
        "with the build; on a reschedule it claims the next alternate in placement and casts the build to "
        "it, without asking the scheduler again. Alternates came in Queens (17.0.0).",
        aliases=("alternate", "alternates", "alternate hosts", "host_list"),
        see_also=("RetryFilter", "placement", "nova-conductor"),
        shown_by=(demo_boot("--flow", "modern", "--scenario", "spawn-failed"),),
    ),
    Term(
        "cell0", TermKind.CONCEPT, "Where a server no host would take is kept",
        "The cell database of the servers that never reached a host. When scheduling fails (NoValidHost), "
        "nova-conductor buries the instance there, in vm_state error with its fault, so that the server can "
        "still be shown. cell0 came with cells v2 in Ocata (15.0.0); in the classic story the instance row "
        "simply goes to ERROR.",
        aliases=("cell0 database", "cell 0"), see_also=("databases", "nova-conductor", "vm_state"),
        shown_by=(demo_boot("--flow", "modern", "--scenario", "compute-down", exit_code=ExitCode.ERROR),),
        service=Service.CELL0_DATABASE,
    ),
    Term(
        "soft-deleted row", TermKind.CONCEPT, "How a deleted server stays in nova's database",
        "nova does not remove a deleted server's instance row: it sets the row's deleted column to its id and "
        "deleted_at to the time, and the rows that hang off it go the same way. nova list and nova show no "
        "longer see the server, but its instance actions stay. Not the vm_state soft-delete, which a deferred "
        "delete (reclaim_instance_interval above 0) leaves first.",
        aliases=("soft delete", "soft-deletes", "soft-deleted", "deleted = id"),
        see_also=("instance action", "local delete", "vm_state"),
    ),
    Term(
        "instance action", TermKind.CONCEPT, "nova's record of each request made on a server",
        "nova records each request made on a server as an instance action: its name (create, delete), its "
        "request ID and time, and the events of the services that did the work (schedule and "
        "compute_run_instance in Icehouse, compute__do_build_and_run_instance today). nova "
        "instance-action-list and openstack server event list show them, in a lab too (bootwalk "
        "instance-action-list); the events' details and tracebacks are for admins.",
        aliases=("instance actions", "server event", "server events", "instance-action-list"),
        see_also=("soft-deleted row", "nova-api"),
    ),
    Term(
        "local delete", TermKind.CONCEPT, "A delete nova-api does itself, with no host to cast to",
        "When a server has no host, or its host's nova-compute is down, nova-api cannot cast "
        "terminate_instance, so it deletes the server itself (_local_delete). Icehouse then only soft-deletes "
        "the row of a server with no host and commits the quota; for a host that is down, and today for both, "
        "nova-api also frees the ports and the volumes (and today the placement allocations).",
        see_also=("soft-deleted row", "cell0", "RPC cast"),
    ),
    Term(
        "scheduler hint", TermKind.CONCEPT, "A key=value the client adds for the filters",
        "A key=value pair a client adds to the boot request for the scheduler (nova boot --hint, sent as "
        "os:scheduler_hints). Only a filter that reads the key acts on it: same_host for SameHostFilter, "
        "different_host for DifferentHostFilter, group for the server group filters. A hint no enabled filter "
        "reads is ignored without a word.",
        aliases=("hint", "hints", "scheduler hints", "os:scheduler_hints"),
        see_also=("SameHostFilter", "DifferentHostFilter", "server group", "request_spec"),
        shown_by=(demo_boot("--hint", f"same_host={WEB_2}"),),
    ),
    Term(
        "server group", TermKind.CONCEPT, "Servers kept together or apart",
        "A named set of servers with a policy: affinity puts its members on one host, anti-affinity on "
        "different hosts. A server joins one when it boots, with --hint group=<the group's UUID> (nova "
        "takes no name: today's nova-api refuses one, and Icehouse 2014.1's scheduler failed the build), and "
        "ServerGroupAffinityFilter or ServerGroupAntiAffinityFilter keeps to the "
        "policy.",
        aliases=("server groups", "group", "affinity", "anti-affinity"),
        see_also=("ServerGroupAffinityFilter", "ServerGroupAntiAffinityFilter", "scheduler hint"),
        shown_by=(Hint("bootwalk server-group-list"), demo_boot("--hint", f"group={WEB_HA}")),
    ),
    Term(
        "token", TermKind.CONCEPT, "Keystone's proof of who you are",
        "What keystone hands back for the right user name, password and project: POST /v3/auth/tokens answers "
        "201 with the token in the X-Subject-Token header. The client sends it as X-Auth-Token with every "
        "later request, and each service has keystone check it. It expires (an hour after it is issued, by "
        "default), and it carries the service catalog: where nova, glance and the others answer.",
        aliases=("X-Auth-Token", "X-Subject-Token", "keystone token"), see_also=("keystone", "client"),
        shown_by=(Hint("bootwalk explain token"),),
    ),
    Term(
        "NoValidHost", TermKind.CONCEPT, "No host can take the server: it ends in ERROR",
        "What nova-scheduler raises when no host passes every filter (today, also when placement returns no "
        "candidate). The boot had already been answered 202, so the user sees it only on the server: status "
        "ERROR, with a fault that begins 'No valid host was found.' The scheduler's log says which filter "
        "returned 0 hosts.",
        aliases=("No valid host was found", "no valid host"), see_also=("nova-scheduler", "placement"),
        shown_by=(demo_boot("--scenario", "compute-down", exit_code=ExitCode.ERROR),),
    ),
)  # fmt: skip

#: Everyone who takes part in a boot (``trace.Service``); "databases" covers the nova, API and cell1 databases.
SERVICES: tuple[Term, ...] = (
    Term(
        "client", TermKind.SERVICE, "The command the user runs",
        "The command line the user types: nova boot (python-novaclient) or openstack server create "
        "(python-openstackclient). It gets a token from keystone, looks up the image, flavor and network "
        "names, sends POST /v2.1/servers to nova-api and shows what comes back. bootwalk boot and bootwalk "
        "server create take their flags.",
        aliases=("nova boot", "openstack server create", "novaclient", "openstackclient"),
        see_also=("keystone", "nova-api", "token"),
        shown_by=(DEMO, Hint("bootwalk server create --image cirros --flavor m1.tiny --network private demo-vm")),
        service=Service.CLIENT,
    ),
    Term(
        "keystone", TermKind.SERVICE, "Identity: checks who you are, issues tokens",
        "The identity service. It checks the user name, password and project and answers with a token that "
        "every other service accepts; the token also says where each service answers. A wrong password stops "
        "the boot here, with 401, before nova hears of it.",
        aliases=("identity",), see_also=("token", "client"),
        shown_by=(Hint("bootwalk explain authenticate"),
                  demo_boot("--scenario", "bad-credentials", exit_code=ExitCode.ERROR)),
        service=Service.KEYSTONE,
    ),
    Term(
        "nova-api", TermKind.SERVICE, "Takes the REST request and checks it",
        "nova's REST API (POST /v2.1/servers). It checks the request (image active, flavor big enough, "
        "networks, keypair, quota), records the instance (in Icehouse the instances row, today a build "
        "request in the API database), answers 202 and casts the build to nova-conductor. What it refuses "
        "comes back at once as an HTTP error, and nothing is created.",
        aliases=("compute api",), see_also=("client", "nova-conductor", "RPC cast", "databases"),
        shown_by=(Hint("bootwalk explain nova-api"), demo_boot("--scenario", "over-quota", exit_code=ExitCode.ERROR)),
        service=Service.NOVA_API,
    ),
    Term(
        "message queue", TermKind.SERVICE, "Carries RPC messages between nova services",
        "The broker (RabbitMQ, for example) that carries RPC messages between nova's services, through "
        "oslo.messaging on exchange nova. A sender puts a message on a topic, and the service listening on "
        "it takes it off. A cast to a service that is down waits in the queue: rabbitmqctl list_queues shows "
        "the messages piling up.",
        aliases=("queue", "rabbitmq", "amqp", "oslo.messaging"), see_also=("RPC cast", "RPC call", "topic"),
        shown_by=(DEMO,), service=Service.QUEUE,
    ),
    Term(
        "nova-conductor", TermKind.SERVICE, "Drives the build; reaches the database",
        "A nova service that works with the database for the others and drives the build. nova-compute "
        "never reaches the database itself: its saves are RPC calls to nova-conductor. Today nova-conductor "
        "calls the scheduler, creates the instance in its cell and casts build_and_run_instance to the host.",
        aliases=("conductor",), see_also=("RPC call", "nova-scheduler", "nova-compute", "cell0"),
        shown_by=(Hint("bootwalk explain conductor-build --flow modern"),), service=Service.NOVA_CONDUCTOR,
    ),
    Term(
        "nova-scheduler", TermKind.SERVICE, "Chooses the host: filters, then weighers",
        "The nova service that picks a host for each instance: the enabled filters remove the hosts that "
        "cannot take it, the weighers rank the rest, and the heaviest wins. Today it first asks placement "
        "for the hosts with room, claims the winner there and returns alternates too.",
        aliases=("scheduler", "filter scheduler"),
        see_also=("request_spec", "weigher", "placement", "alternate host", "ComputeFilter"),
        shown_by=(Hint("bootwalk explain schedule"), Hint("bootwalk explain select-destinations --flow modern")),
        service=Service.NOVA_SCHEDULER,
    ),
    Term(
        "databases", TermKind.SERVICE, "Where nova keeps instances and requests",
        "nova keeps its records in SQL databases. The classic story has one nova database, with the "
        "instances and the compute hosts' states. Today the API database holds what nova-api records (build "
        "requests, request specs, instance mappings), each cell's database (cell1) holds its instances, and "
        "cell0 the ones no host took.",
        aliases=("database", "nova database", "API database", "cell1 database", "db"),
        see_also=("cell0", "nova-conductor", "nova-api"), shown_by=(DEMO, MODERN),
    ),
    Term(
        "placement", TermKind.SERVICE, "Counts what each host has and has promised",
        "The service that keeps each host's inventory (VCPU, MEMORY_MB, DISK_GB, with their allocation "
        "ratios) and what is already allocated on it. Since Pike (16.0.0) nova-scheduler first asks it for "
        "allocation candidates, then claims the chosen host (PUT /allocations/{uuid}); a failed build gives "
        "the claim back. So today's default filters no longer count RAM or disk.",
        aliases=("placement api", "allocation candidates", "resource provider"),
        see_also=("allocation ratio", "nova-scheduler", "alternate host"),
        shown_by=(Hint("bootwalk explain select-destinations --flow modern"),), service=Service.PLACEMENT,
    ),
    Term(
        "nova-compute", TermKind.SERVICE, "Builds the server on its host",
        "The nova service on every compute host. It claims the host's resources, has neutron set up the "
        "ports and cinder attach the volumes, and has the hypervisor start the guest; then the instance is "
        "active. A failure on the host is rescheduled to another one, or ends the build in ERROR.",
        aliases=("compute",), see_also=("hypervisor", "neutron", "cinder", "nova-conductor"),
        shown_by=(Hint("bootwalk explain compute-claim --flow modern"),), service=Service.NOVA_COMPUTE,
    ),
    Term(
        "glance", TermKind.SERVICE, "The image service",
        "The image service: it keeps the images servers boot from, and their metadata (status, size, "
        "min_disk, min_ram, properties). nova-api reads an image's metadata to check the request (GET "
        "/v2/images/{id}); the compute host downloads the image itself (GET /v2/images/{id}/file), today "
        "inside spawn.",
        aliases=("image service",), see_also=("nova-api", "hypervisor", "ImagePropertiesFilter"),
        shown_by=(Hint("bootwalk image-list"), Hint("bootwalk explain glance")), service=Service.GLANCE,
    ),
    Term(
        "neutron", TermKind.SERVICE, "Networking: ports, addresses, bindings",
        "The network service. For each NIC nova-compute has it make a port with an address on the network "
        "(POST /v2.0/ports), then bind the port to the host (PUT /v2.0/ports/{id}); when the host has plugged "
        "it, neutron tells nova (network-vif-plugged). A binding that fails makes nova-compute reschedule.",
        aliases=("networking",), see_also=("nova-compute", "hypervisor"),
        shown_by=(Hint("bootwalk net-list"), Hint("bootwalk port-list"),
                  demo_boot("--scenario", "port-binding-failed")),
        service=Service.NEUTRON,
    ),
    Term(
        "cinder", TermKind.SERVICE, "Block storage: volumes to boot from or attach",
        "The block storage service: volumes a server can boot from or attach. nova-compute attaches them "
        "through cinder's attachments API (3.44): create an attachment, update it with the host's connector, "
        "complete it. A failed attach aborts the build (BuildAbortException), with no reschedule.",
        aliases=("block storage", "volumes"), see_also=("nova-compute",),
        shown_by=(Hint("bootwalk volume-list"), Hint("bootwalk explain cinder")), service=Service.CINDER,
    ),
    Term(
        "hypervisor", TermKind.SERVICE, "Runs the guest: QEMU or KVM, through libvirt",
        "What runs the guests on a compute host; with nova's libvirt driver, QEMU or KVM (every host in the "
        "shipped catalog runs QEMU). In spawn the driver downloads the image, defines the guest, waits for "
        "neutron to report the port plugged (300 s at most, by default) and starts it.",
        aliases=("libvirt", "qemu", "kvm"), see_also=("nova-compute", "power_state", "glance"),
        shown_by=(Hint("bootwalk explain hypervisor"), demo_boot("--scenario", "spawn-failed")),
        service=Service.HYPERVISOR,
    ),
)  # fmt: skip

IN_BOTH = "In the default list from Icehouse to today."

#: Every filter of ``scheduler.FILTERS``, with the sum it makes and when it left nova's defaults.
FILTER_TERMS: tuple[Term, ...] = (
    Term(
        "RetryFilter", TermKind.FILTER, "Skips the hosts this boot already tried",
        "Removes the hosts an earlier attempt of this boot already tried, so that a reschedule goes "
        "somewhere new; on the first attempt every host passes. In Icehouse's default list; it left the "
        "defaults in Train (20.0.0). Today a reschedule takes an alternate host and does not go back to the "
        "scheduler.",
        see_also=("alternate host", "nova-scheduler"), shown_by=(demo_boot("--scenario", "spawn-failed"),),
    ),
    Term(
        "AvailabilityZoneFilter", TermKind.FILTER, "Keeps the hosts in the zone asked for",
        "Keeps the hosts in the availability zone the request names (--availability-zone); when no zone is "
        "asked for, every host passes. In Icehouse's default list; it left the defaults in Xena (24.0.0). "
        "Today a pre-filter (map_az_to_placement_aggregate) has placement return the zone's hosts alone.",
        see_also=("placement", "request_spec"), shown_by=(demo_boot("--availability-zone", "az2"),),
    ),
    Term(
        "RamFilter", TermKind.FILTER, "Keeps the hosts with enough RAM left",
        "Keeps the hosts with enough RAM for the flavor: usable = total × ram_allocation_ratio − used, in "
        "MB. On compute1 that is 16384 × 1.5 − 4096 = 20480 MB, so m1.tiny's 512 MB fits. In Icehouse's "
        "default list (ratio 1.5); it left the defaults in Pike (16.0.0), when placement began to count RAM.",
        see_also=("allocation ratio", "CoreFilter", "DiskFilter", "placement"),
        shown_by=(Hint("bootwalk host-list"), DEMO),
    ),
    Term(
        "CoreFilter", TermKind.FILTER, "Keeps the hosts with enough vCPUs left",
        "Keeps the hosts with enough vCPUs for the flavor: usable = total × cpu_allocation_ratio − used. "
        "Icehouse had it, with a ratio of 16.0, but not in its default list; today placement counts VCPU, "
        "and CoreFilter is in neither flow's default list.",
        see_also=("allocation ratio", "RamFilter", "DiskFilter", "placement"),
        shown_by=(Hint("bootwalk host-list"), demo_boot("--enabled-filters", "ComputeFilter,CoreFilter")),
    ),
    Term(
        "DiskFilter", TermKind.FILTER, "Keeps the hosts with enough disk left",
        "Keeps the hosts with enough disk for the flavor: it asks for (root + ephemeral) GB and the swap, in "
        "MB, against (total × disk_allocation_ratio − used) GB. It joined the default list in Liberty "
        "(12.0.0) and left it with RamFilter in Pike (16.0.0); placement counts DISK_GB today.",
        see_also=("allocation ratio", "RamFilter", "CoreFilter", "placement"),
        shown_by=(Hint("bootwalk host-list"), demo_boot("--enabled-filters", "ComputeFilter,DiskFilter")),
    ),
    Term(
        "ComputeFilter", TermKind.FILTER, "Keeps hosts whose nova-compute is up",
        "Keeps the hosts whose nova-compute service is enabled and up: a disabled host (compute3, for "
        "maintenance) or one that has stopped reporting is removed. nova logs '<host> is disabled, reason: "
        f"<reason>' or '<host> has not been heard from in a while'. {IN_BOTH}",
        see_also=("nova-compute", "nova-scheduler"),
        shown_by=(Hint("bootwalk host-list"), demo_boot("--scenario", "compute-down", exit_code=ExitCode.ERROR)),
    ),
    Term(
        "ComputeCapabilitiesFilter", TermKind.FILTER, "Matches the flavor's extra_specs to the host",
        "Keeps the hosts that have what the flavor's extra_specs ask for. Only keys with no scope or the "
        "scope capabilities: count (hw_rng:allowed, for one, is skipped); bootwalk compares hypervisor_type, "
        f"vcpus and memory_mb. {IN_BOTH}",
        see_also=("ImagePropertiesFilter", "nova-scheduler"),
        shown_by=(Hint("bootwalk flavor-list -f json"), DEMO),
    ),
    Term(
        "ImagePropertiesFilter", TermKind.FILTER, "Matches the image's properties to the host",
        "Keeps the hosts that can run the image: its hw_architecture, img_hv_type and hw_vm_mode properties "
        "must be among what the host supports. bootwalk checks the hypervisor type and the architecture "
        f"(every host is x86_64). {IN_BOTH}",
        see_also=("glance", "ComputeCapabilitiesFilter", "hypervisor"),
        shown_by=(Hint("bootwalk image-list -f json"), DEMO),
    ),
    Term(
        "ServerGroupAntiAffinityFilter", TermKind.FILTER, "Keeps hosts with no member of the group",
        "For a server in an anti-affinity server group, keeps only the hosts that hold no member of the "
        "group yet, so that the members land on different hosts. A request with no group, or with another "
        f"policy, passes everywhere. {IN_BOTH}",
        see_also=("server group", "ServerGroupAffinityFilter", "scheduler hint"),
        shown_by=(demo_boot("--hint", f"group={WEB_HA}"),),
    ),
    Term(
        "ServerGroupAffinityFilter", TermKind.FILTER, "Keeps the hosts that hold the group",
        "For a server in an affinity server group, keeps only the hosts that already hold members of the "
        "group, so that the members land together; while the group has no member, any host will do. "
        f"{IN_BOTH}",
        see_also=("server group", "ServerGroupAntiAffinityFilter", "scheduler hint"),
        shown_by=(demo_boot("--hint", f"group={DB_NEAR}"),),
    ),
    Term(
        "SameHostFilter", TermKind.FILTER, "Keeps hosts that run a same_host server",
        "Keeps the hosts that run one of the servers the same_host scheduler hint names, by UUID (a name "
        "matches no server); without the hint every host passes. It is in neither default list: without "
        "it the hint is ignored.",
        see_also=("scheduler hint", "DifferentHostFilter"),
        shown_by=(demo_boot("--hint", f"same_host={WEB_2}", "--enabled-filters", "ComputeFilter,SameHostFilter"),),
    ),
    Term(
        "DifferentHostFilter", TermKind.FILTER, "Keeps hosts running no different_host server",
        "Keeps the hosts that run none of the servers the different_host scheduler hint names (bootwalk "
        "takes their names or UUIDs); without the hint every host passes. It is in neither default list: "
        "without it the hint is ignored.",
        see_also=("scheduler hint", "SameHostFilter"),
        shown_by=(
            demo_boot("--hint", "different_host=web-1", "--enabled-filters", "ComputeFilter,DifferentHostFilter"),
        ),
    ),
)  # fmt: skip

#: Every weigher of ``scheduler.WEIGHERS``, with the value it weighs.
WEIGHER_TERMS: tuple[Term, ...] = (
    Term(
        "RAMWeigher", TermKind.WEIGHER, "Prefers the host with the most free RAM",
        "Weighs each host by its free physical RAM (total − used, in MB; the allocation ratio plays no "
        "part), so that servers spread out to the emptiest hosts; a negative multiplier stacks them instead. "
        "The classic flow weighs with it alone (Icehouse had it and MetricsWeigher); today it is one of many, "
        "multiplier 1.0.",
        see_also=("weigher", "multiplier", "CPUWeigher", "DiskWeigher"), shown_by=(DEMO,),
    ),
    Term(
        "CPUWeigher", TermKind.WEIGHER, "Prefers the host with the most vCPUs left",
        "Weighs each host by the vCPUs it has left after the allocation ratio: total × cpu_allocation_ratio "
        "− used. nova has had it since Rocky; the modern flow weighs with it, multiplier 1.0.",
        see_also=("weigher", "multiplier", "allocation ratio", "RAMWeigher"), shown_by=(MODERN,),
    ),
    Term(
        "DiskWeigher", TermKind.WEIGHER, "Prefers the host with the most free disk",
        "Weighs each host by its free disk: (total − used) GB, in MB. nova has had it since Mitaka; the "
        "modern flow weighs with it, multiplier 1.0.",
        see_also=("weigher", "multiplier", "RAMWeigher"), shown_by=(MODERN,),
    ),
)  # fmt: skip

#: Every term, in the order the listing shows them.
TERMS: tuple[Term, ...] = (*CONCEPTS, *SERVICES, *FILTER_TERMS, *WEIGHER_TERMS)

#: Commands the listing suggests for reading one term: by any name, and a name that is also a step.
READ_ONE: tuple[Hint, ...] = (Hint("bootwalk explain RamFilter"), Hint("bootwalk glossary neutron"))


def normalise(text: str) -> str:
    """A name as matching compares it: lower case, with '-', '_' and runs of spaces alike."""
    return re.sub(r"[\s_-]+", " ", text.strip().lower()).strip()


def _index(terms: Iterable[Term]) -> Mapping[str, Term]:
    index: dict[str, Term] = {}
    for term in terms:
        for name in (term.name, *term.aliases):
            index.setdefault(normalise(name), term)
    return index


#: Each term by its name and by every alias, normalised.
BY_NAME: Mapping[str, Term] = _index(TERMS)


def find_term(text: str) -> Term | None:
    """The term this text names (its name or an alias, in any case), or None."""
    return BY_NAME.get(normalise(text))


#: How alike (difflib's ratio, 0..1) a name must be to be suggested: a letter or two off, not a shared "Filter".
LIKE_ENOUGH = 0.8


def closest(text: str, names: Iterable[str], count: int = 3) -> list[str]:
    """The names most like the text (difflib, ignoring case), best first, each as it is written."""
    written = {normalise(name): name for name in names}
    found = difflib.get_close_matches(normalise(text), written, n=count, cutoff=LIKE_ENOUGH)
    return [written[name] for name in found]


def term_names() -> list[str]:
    """Every name and alias a term answers to, as written."""
    return [name for term in TERMS for name in (term.name, *term.aliases)]


#: Aliases a walk's prose uses as plain words, and that mean only their term there ("nova-scheduler casts the
#: request"). Other aliases ("compute", "call", "group") are ordinary words too often to mark.
PROSE_ALIASES: frozenset[str] = frozenset({"cast", "casts", "database", "weighs"})


@cache
def _prose_words() -> re.Pattern[str]:
    """Every term's name, and the prose aliases, longest first, each a whole word (``-`` and ``_`` bind)."""
    words = {term.name for term in TERMS} | PROSE_ALIASES
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


class Mention(NamedTuple):
    """Where a walk's sentence names a glossary term: ``text[start:end]`` answers ``bootwalk explain``."""

    start: int
    end: int
    term: Term


def mentions(text: str) -> list[Mention]:
    """The glossary terms a sentence names, left to right, each as a whole word."""
    found = []
    for match in _prose_words().finditer(text):
        term = find_term(match.group())
        if term is not None:
            found.append(Mention(match.start(), match.end(), term))
    return found

"""What can go wrong at each step, and how an operator sees it: the content of ``bootwalk explain``.

Pure data, keyed by the step's name. Log lines are quoted only where they
were read in the services' code (nova, keystone, neutron); commands are the
openstack client's.
"""

from __future__ import annotations

from collections.abc import Mapping

from bootwalk.exit_codes import ExitCode
from bootwalk.hints import WEB_2, Hint, demo_boot
from bootwalk.records import dataclass


@dataclass(frozen=True)
class Trouble:
    """One way a step goes wrong: the symptom, how to see it, and a scenario that shows it.

    ``try_it`` is the command the page prints when the scenario's own
    (``Scenario.try_it``) does not show this trouble, or when there is no
    scenario but a walk shows it all the same.
    """

    symptom: str
    how_to_see: str
    scenario: str | None = None
    try_it: Hint | None = None


#: A modern walk into zone az2, which holds one host (compute4): the scheduler finds no alternate.
AZ2_MODERN = ("--availability-zone", "az2", "--flow", "modern")

TROUBLES: Mapping[str, tuple[Trouble, ...]] = {
    "authenticate": (
        Trouble(
            "A wrong user name, password or project: keystone answers 401 and the client stops; "
            "nova never hears of the server.",
            "The client prints 'The request you have made requires authentication. (HTTP 401)'; keystone logs "
            "'Authorization failed. The request you have made requires authentication. from <client address>'. "
            "Check the credentials alone with: openstack token issue",
            "bad-credentials",
        ),
    ),
    "token": (
        Trouble(
            "The service catalog in the token has no compute endpoint, or a wrong one: the client cannot "
            "reach nova-api.",
            "openstack catalog list; openstack endpoint list --service compute",
        ),
        Trouble(
            "The token expires (an hour by default) or is revoked: later calls get 401 from the service.",
            "openstack token issue shows expires; the service's keystonemiddleware logs the rejection.",
        ),
    ),
    "nova-api": (
        Trouble(
            "nova-api refuses the request (400): image not active, flavor too small for the image, unknown "
            "network, keypair or security group. Nothing is created.",
            "nova boot prints the error with its HTTP status; nova-api logs 'HTTP exception thrown: <message>'. "
            "openstack image show, openstack flavor show, openstack network list.",
        ),
        Trouble(
            "Over quota (413 in Icehouse, with Retry-After: 0; 403 today): the project has no room for the "
            "instances, cores or RAM asked for.",
            "The error says which: 'Quota exceeded for instances: Requested 1, but already used 10 of 10 "
            "instances'. openstack quota show; openstack limits show --absolute",
            "over-quota",
        ),
    ),
    "schedule": (
        Trouble(
            "No host passes every filter: NoValidHost. nova boot already answered 202, so the error shows "
            "only on the server: status ERROR, fault 'No valid host was found. ' (Icehouse gave no reason).",
            "nova show <server> (the fault); the scheduler logs 'Filter <name> returned 0 hosts', a WARNING "
            "'<host> has not been heard from in a while' for each host that is down, and 'Setting instance to "
            "ERROR state.'. nova service-list (State down?), nova hypervisor-list, nova instance-action-list "
            "<server>",
            "compute-down",
        ),
        Trouble(
            "A scheduler hint is ignored: no enabled filter reads it (same_host without SameHostFilter).",
            "Compare the hints with scheduler_default_filters in nova.conf's [DEFAULT] section (Icehouse; "
            "[filter_scheduler] enabled_filters today); the walk says so in step 4.",
            # web-2 runs on compute2; the server lands on compute1 all the same.
            try_it=demo_boot("--hint", f"same_host={WEB_2}"),
        ),
    ),
    "build-request": (
        Trouble(
            "nova-api refuses the request (400), or the quota is over (403 today; Icehouse answered 413): "
            "nothing is recorded.",
            "nova boot prints the error; nova-api logs 'HTTP exception thrown: <message>'. "
            "openstack quota show; openstack limits show --absolute",
            "over-quota",
        ),
        Trouble(
            "The API database is unreachable: no build request can be written, and the API answers 500.",
            "nova-api's log shows the database errors.",
        ),
    ),
    "select-destinations": (
        Trouble(
            "Placement has no candidate with room (RAM, vCPU, disk after allocation ratios, or every host "
            "disabled): NoValidHost with an empty reason.",
            "The scheduler logs 'Got no allocation candidates from the Placement API. ...'. "
            "openstack resource provider list; openstack resource provider usage show <uuid> "
            "(the osc-placement plugin); openstack compute service list",
        ),
        Trouble(
            "Placement has candidates but the filters remove them all: NoValidHost, 'There are not enough "
            "hosts available.'; the instance is buried in cell0.",
            "The scheduler logs 'Filtering removed all hosts for the request with instance ID ...'; "
            "openstack server show <server> (the fault); openstack server event list <server> "
            "(conductor_schedule_and_build_instances: Error).",
            "compute-down",
        ),
    ),
    "conductor-build": (
        Trouble(
            "The chosen host has no host mapping (nova-manage cell_v2 discover_hosts was not run): the "
            "instance is buried in cell0.",
            "nova-conductor logs 'No host-to-cell mapping found for selected host <host>. Setup is "
            "incomplete.'; nova-manage cell_v2 list_hosts",
        ),
        Trouble(
            "A reschedule with no alternate left: MaxRetriesExceeded, the server goes to ERROR.",
            "The fault says 'Exceeded maximum number of retries. Exhausted all hosts available for "
            "retrying build failures for instance <uuid>.'",
            "port-binding-failed",
            # Zone az2 has one host, compute4: no alternate is left when the binding fails there.
            try_it=demo_boot(*AZ2_MODERN, "--scenario", "port-binding-failed", exit_code=ExitCode.ERROR),
        ),
    ),
    "compute-claim": (
        Trouble(
            "The host cannot fit the request's NUMA topology or PCI devices (today's claim tests only those; "
            "placement already checked RAM, vCPU and disk): ComputeResourcesUnavailable 'Insufficient compute "
            "resources: ...', and the build is rescheduled to an alternate.",
            "nova-compute's log; openstack server event list <server>",
        ),
        Trouble(
            "nova-compute on the host is down: the cast waits in the queue and the server stays in BUILD.",
            "openstack compute service list (State down)",
        ),
    ),
    "record-host": (
        Trouble(
            "The database is unreachable: the scheduler cannot read host states or update the instance.",
            "The scheduler's log shows the database errors; the server stays in BUILD.",
        ),
    ),
    "cast-to-compute": (
        Trouble(
            "nova-compute on the chosen host is down, or the message queue is: the cast waits in the queue "
            "and the server stays in BUILD.",
            "openstack compute service list (State down); on the controller: rabbitmqctl list_queues "
            "(messages piling up on compute.<host>).",
        ),
    ),
    "ask-flavor": (
        Trouble(
            "nova-conductor is down: nova-compute's RPC calls time out, since it cannot reach the database itself.",
            "openstack compute service list (nova-conductor State down); nova-compute logs the message timeouts.",
        ),
    ),
    "return-flavor": (
        Trouble(
            "nova-conductor cannot reach the database: every call from nova-compute fails.",
            "nova-conductor's log shows the database errors; openstack compute service list.",
        ),
    ),
    "glance": (
        Trouble(
            "The image cannot be downloaded (glance down, the image's data gone, the host's disk full): "
            "spawn fails and the build is rescheduled.",
            "nova-compute logs 'Instance failed to spawn'; openstack image show <image>; df on the compute "
            "host's instances directory.",
            "spawn-failed",
        ),
    ),
    "neutron": (
        Trouble(
            "neutron cannot bind the port on the chosen host (its agent is down, or the network type is not "
            "supported there), and the build is rescheduled: today nova raises PortBindingFailed; Icehouse's "
            "libvirt VIF driver refused the port's vif_type binding_failed in spawn.",
            "neutron-server logs 'Failed to bind port <id> on host <host> ...'; the reason nova records is "
            "'Binding failed for port <id>, please check neutron logs for more information.' (today) or "
            "'Unexpected vif_type=binding_failed' (Icehouse). openstack network agent list; openstack port show "
            "<port>",
            "port-binding-failed",
        ),
        Trouble(
            "The subnet has no free address, or a fixed IP outside the network is asked for: today the build "
            "is aborted, not rescheduled; Icehouse rescheduled it, and every host failed the same way.",
            "Today's fault says 'Build of instance <uuid> aborted: Failed to allocate the network(s) with error "
            "No fixed IP addresses available for network: <id>, not rescheduling.' or '... aborted: Invalid "
            "input received: Fixed IP <ip> is not a valid ip address for network <id>.' openstack subnet show; "
            "openstack port list --network <network>",
        ),
    ),
    "cinder": (
        Trouble(
            "cinder cannot attach the volume (the backend fails to export it): InvalidBDM, no reschedule, the "
            "server goes to ERROR.",
            "The fault says 'Build of instance <uuid> aborted: <cinder's error>' (today) or 'Block Device "
            "Mapping is Invalid.' (Icehouse); nova-compute logs 'Instance failed block device setup'. "
            "openstack volume show <volume>; cinder-volume's log.",
            "volume-attach-failed",
        ),
    ),
    "hypervisor": (
        Trouble(
            "The hypervisor fails to start the guest: the build is rescheduled to another host, and ends in "
            "ERROR when no host is left.",
            "nova-compute logs 'Instance failed to spawn'; on the host: virsh list --all and the libvirt/QEMU "
            "logs. openstack server event list <server>",
            "spawn-failed",
        ),
        Trouble(
            "neutron never reports the port plugged: after vif_plugging_timeout (300 s) the boot fails when "
            "vif_plugging_is_fatal is set (the default), and is not rescheduled.",
            "The fault says 'Build of instance <uuid> aborted: Failed to allocate the network(s), not "
            "rescheduling.' (today) or 'Virtual Interface creation failed' (Icehouse); nova-compute logs the "
            "timeout at WARNING. openstack network agent list (is the agent on that host up?)",
            "vif-plugging-timeout",
        ),
        Trouble(
            "The guest starts but its operating system does not come up (no network, no key, a kernel panic).",
            "openstack console log show <server>; the server is ACTIVE: nova's part went fine.",
        ),
    ),
}

"""``nova delete`` in the classic flow: Icehouse's delete (nova 2014.1), in seven steps.

The steps are shared (:mod:`bootwalk.services.deleting`); what is
Icehouse's here is each step's note and the source to read, at 2014.1.
"""

from __future__ import annotations

from bootwalk.services.deleting import (
    DeleteAuthenticate,
    DeletePorts,
    DeleteRequest,
    DestroyGuest,
    DetachVolumes,
    RecordDeleted,
    TakeTerminate,
)

#: Icehouse's delete, in nova's order. Adding a step is one class and one line.
STEPS = (
    DeleteAuthenticate(),
    DeleteRequest(
        "nova/api/openstack/compute/servers.py Controller.delete; nova/compute/api.py API.delete, _delete, _do_delete",
        "nova-api answers 204 once it has saved task_state deleting, reserved the quota the server gives back "
        "(negative deltas: instances -1, cores, ram), recorded the action and cast terminate_instance (3.22, "
        "with the reservations) to compute.<host>. A server with no host is destroyed by nova-api at once. "
        "Today's nova reserves nothing (usage is counted from the rows) and casts at 6.0.",
    ),
    TakeTerminate(
        "nova/compute/manager.py ComputeManager.terminate_instance, _delete_instance, _shutdown_instance",
        "terminate_instance runs under a lock on the instance's uuid. Icehouse deleted the instance's info cache, "
        "then asked neutron for its ports again (_get_instance_nw_info) before it touched the guest. Today's nova "
        "reads the ports from the cache.",
    ),
    DestroyGuest(
        "nova/virt/libvirt/driver.py LibvirtDriver.destroy, _destroy, cleanup, delete_instance_files",
        "virDomainDestroy is a hard power-off; nova waits until the domain is gone. Icehouse's cleanup then "
        "undefined the domain first, unplugged the VIFs, disconnected the volumes on the host and deleted "
        "<instances_path>/<uuid>. Today's nova undefines last, and renames the directory to <uuid>_del before "
        "it deletes it.",
    ),
    DeletePorts(
        "nova/compute/manager.py ComputeManager._deallocate_network; "
        "nova/network/neutronv2/api.py API.deallocate_for_instance",
        "deallocate_for_instance lists the ports whose device_id is the instance and deletes each one, the "
        "user's own ports (--nic port-id) included. The 2.3 neutron client adds .json to each path. Today's "
        "nova keeps the user's ports, unbound, and deletes only those it made.",
    ),
    DetachVolumes(
        "nova/compute/manager.py ComputeManager._shutdown_instance, _cleanup_volumes; nova/volume/cinder.py API",
        "After the network, each volume is detached with cinder v1's os-terminate_connection (the host's "
        "connector) and os-detach; a volume marked delete_on_termination is then deleted. Today's nova deletes "
        "the cinder attachment instead (cinder 3.44).",
    ),
    RecordDeleted(
        "nova/compute/manager.py ComputeManager._delete_instance, _complete_deletion; "
        "nova/conductor/rpcapi.py ConductorAPI.instance_destroy",
        "instance.save() writes vm_state deleted, task_state None and terminated_at; conductor_api.instance_destroy "
        "soft-deletes the row (deleted = id) with its info cache, metadata and faults; Quotas.commit applies the "
        "reservation; each block device mapping is destroyed. nova-compute has no database access, so each of "
        "these is an RPC call to nova-conductor.",
        destroy=True,
    ),
)

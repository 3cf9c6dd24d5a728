"""``nova delete`` in the modern flow: today's delete (nova master), in nine steps.

The steps are shared (:mod:`bootwalk.services.deleting`); what is today's
here is each step's note and the source to read, at the commit the flow
was read at.
"""

from __future__ import annotations

from bootwalk.services.deleting import (
    DeleteAuthenticate,
    DeletePorts,
    DeleteRequest,
    DestroyGuest,
    DestroyRow,
    DetachVolumes,
    GiveBackAllocations,
    RecordDeleted,
    TakeTerminate,
)

#: Today's delete, in nova's order. Adding a step is one class and one line.
STEPS = (
    DeleteAuthenticate(),
    DeleteRequest(
        "nova/api/openstack/compute/servers.py ServersController.delete; "
        "nova/compute/api.py API.delete, _delete, _do_delete, _update_queued_for_deletion",
        "nova-api answers 204 once it has saved task_state deleting in the cell database, recorded the action, "
        "cast terminate_instance (6.0) to compute.<host> and marked the instance mapping queued_for_delete. No "
        "quota is reserved: usage is counted from the rows. A server no host took (in cell0) is deleted by "
        "nova-api itself (_local_delete).",
    ),
    TakeTerminate(
        "nova/compute/manager.py ComputeManager.terminate_instance, _delete_instance, _shutdown_instance",
        "terminate_instance runs under a lock on the instance's uuid, and reverts task_state if it fails. "
        "The ports come from the instance's info cache (instance.get_network_info()); Icehouse asked neutron.",
    ),
    DestroyGuest(
        "nova/virt/libvirt/driver.py LibvirtDriver.destroy, _destroy, _cleanup, delete_instance_files; "
        "nova/virt/libvirt/guest.py Guest.poweroff, delete_configuration",
        "Guest.poweroff is virDomainDestroy, a hard power-off; nova waits until the domain is gone. _cleanup "
        "unplugs the VIFs, disconnects the volumes on the host, renames <instances_path>/<uuid> to <uuid>_del "
        "and deletes it, and undefines the domain last (with its NVRAM). Icehouse undefined it first.",
    ),
    DeletePorts(
        "nova/compute/manager.py ComputeManager._deallocate_network; "
        "nova/network/neutron.py API.deallocate_for_instance, _unbind_ports, _delete_ports",
        "deallocate_for_instance lists the ports whose device_id is the instance. A port the user made "
        "(--nic port-id) is only unbound and kept; the ports nova made are deleted. It retries three times if "
        "neutron cannot be reached. Icehouse deleted every port of the device.",
    ),
    DetachVolumes(
        "nova/compute/manager.py ComputeManager._shutdown_instance, _cleanup_volumes; "
        "nova/volume/cinder.py API.attachment_delete",
        "After the network, each volume's cinder attachment is deleted (DELETE /attachments, cinder 3.44), "
        "which also has the storage stop exporting it; a volume marked delete_on_termination is then deleted. "
        "Icehouse used cinder v1's os-terminate_connection and os-detach.",
    ),
    RecordDeleted(
        "nova/compute/manager.py ComputeManager._delete_instance",
        "instance.save() writes vm_state deleted, task_state None, power_state NOSTATE and terminated_at, "
        "through nova-conductor (nova-compute has no database access). Icehouse left power_state as it was.",
        destroy=False,
    ),
    GiveBackAllocations(
        "nova/compute/manager.py ComputeManager._complete_deletion, _update_resource_tracker; "
        "nova/scheduler/client/report.py SchedulerReportClient.delete_allocation_for_instance",
        "_complete_deletion has the resource tracker take the instance off the host's usage, then deletes its "
        "allocations in placement (force=True, as reclaim_instance_interval is 0). If placement fails, the "
        "delete fails (AllocationDeleteFailed) and the row is not destroyed. Icehouse had no placement.",
    ),
    DestroyRow(
        "nova/compute/manager.py ComputeManager._delete_instance; nova/objects/instance.py Instance.destroy",
        "instance.destroy() runs only once the allocations are gone. It soft-deletes the row (deleted = id) "
        "with its info cache, metadata, faults, extra, system metadata, block device mappings, migrations and "
        "virtual interfaces; the instance actions are kept.",
    ),
)

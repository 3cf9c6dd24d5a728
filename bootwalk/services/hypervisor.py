"""nova-compute and the hypervisor: the guest is defined, started paused, plugged and resumed.

Shared by both flows (today's flow downloads the image first, inside spawn).
"""

from __future__ import annotations

from dataclasses import replace

from bootwalk.cloud import instance_name, time_at
from bootwalk.engine.state import StepResult, WalkState, need_host, need_instance, with_instance
from bootwalk.handoffs import libvirt_call, libvirt_error, rest_request, rpc
from bootwalk.scenarios import FaultPoint
from bootwalk.services.failures import compute_failure
from bootwalk.services.network import port_binding_failed
from bootwalk.services.saves import instance_save
from bootwalk.services.volumes import boot_volume
from bootwalk.trace import Attempt, Handoff, InstanceState, Service, Work


class Spawn:
    """Step 12: nova-compute asks the hypervisor to create and start the guest."""

    name = "hypervisor"
    title = "nova-compute asks the hypervisor (libvirt/KVM) to create and start the guest"
    service = Service.HYPERVISOR
    source = "nova/compute/manager.py _build_and_run_instance; nova/virt/libvirt/driver.py spawn"
    note = (
        "This is where nova downloads the image (inside driver.spawn). libvirt starts the "
        "guest paused and nova waits for neutron's network-vif-plugged event (up to "
        "vif_plugging_timeout, 300 s; with vif_plugging_is_fatal the boot fails without it), "
        "then resumes it. Then nova-compute logs 'Instance spawned successfully.'"
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        instance, host = need_instance(state), need_host(state)
        facts = state.flow.facts
        flavor = state.resolved.flavor
        domain = instance_name(state.catalog.instances_made + 1)
        state = with_instance(state, task_state="spawning")
        spawning = need_instance(state).state
        handoffs = [
            instance_save(
                state,
                "save_spawning",
                "task_state spawning (expected block_device_mapping)",
                {"vm_state": "building", "task_state": "spawning"},
                expected="block_device_mapping",
            ),
        ]
        spawn_started = state.now(handoffs)
        handoffs.extend(self.image_handoffs(state))
        if state.binding_failed_port is not None:
            state, result = port_binding_failed(state, handoffs, state.binding_failed_port)
            return state, replace(result, passed=(spawning,))
        handoffs.extend(
            [
                libvirt_call(
                    "defineXML",
                    f"domain {domain}: {flavor.vcpus} vCPU, {flavor.ram} MiB, "
                    + ("root disk on a volume" if boot_volume(state) else f"{flavor.disk} GB qcow2 root disk")
                    + f", {len(instance.ports)} NIC(s)",
                    domain={
                        "name": domain,
                        "uuid": instance.uuid,
                        "vcpu": flavor.vcpus,
                        "memory_mib": flavor.ram,
                        "type": "kvm",
                        "interfaces": [port.mac_address for port in instance.ports],
                    },
                    work=Work.DEFINE_GUEST,
                ),
                libvirt_call(
                    "createWithFlags",
                    "start the guest paused until its ports are plugged",
                    domain=domain,
                    flags="VIR_DOMAIN_START_PAUSED",
                    work=Work.START_GUEST,
                ),
            ]
        )
        if state.fault_strikes(FaultPoint.SPAWN):
            return _spawn_failed(state, handoffs, domain, spawning)
        if state.fault_strikes(FaultPoint.VIF_PLUG) and instance.ports:
            return _vif_timeout(state, handoffs, domain, spawning)
        # neutron calls nova as its own service user: in Icehouse, in the service project's URL
        notifier_url = facts.default("neutron_nova_url").replace(
            "{service_project_id}", state.ids.cloud.hex("service-project")
        )
        for port in instance.ports:
            event = {"name": "network-vif-plugged", "server_uuid": instance.uuid, "tag": port.port_id}
            handoffs.append(
                rest_request(
                    Service.NEUTRON,
                    Service.NOVA_API,
                    f"POST {facts.default('compute_path')}/os-server-external-events",
                    f"network-vif-plugged for port {port.port_id[:8]}…",
                    url=notifier_url + "/os-server-external-events",
                    body={"events": [{**event, "status": "completed"}]},
                    work=Work.PLUG_VIF,
                )
            )
            handoffs.append(
                rpc(
                    facts.rpc("external_instance_event"),
                    Service.NOVA_API,
                    "the port is plugged: nova-compute stops waiting",
                    target=Service.NOVA_COMPUTE,
                    server=host.name,
                    args={"events": [{"name": "network-vif-plugged", "tag": port.port_id}]},
                )
            )
        handoffs.append(libvirt_call("resume", f"domain {domain} runs", domain=domain, work=Work.RESUME_GUEST))
        spawned = state.now(handoffs)
        launched_at = time_at(spawned)
        handoffs.append(
            instance_save(
                state,
                "save_spawned",
                "vm_state active, task_state None, power_state 1 (RUNNING), launched_at (expected spawning)",
                {"vm_state": "active", "task_state": None, "power_state": 1, "launched_at": launched_at},
                expected="spawning",
            )
        )
        built = state.now(handoffs)
        state = with_instance(state, vm_state="active", task_state=None, power_state=1, launched_at=launched_at)
        state = replace(state, attempts=(*state.attempts, Attempt(state.attempt, host.name, "active")))
        logs = facts.logs(
            "spawned",
            spawn_seconds=(spawned - spawn_started) / 1000,
            build_seconds=(built - state.build_started_ms) / 1000,
        )
        return state, StepResult(tuple(handoffs), logs=logs, passed=(spawning,))

    def image_handoffs(self, state: WalkState) -> tuple[Handoff, ...]:
        """What spawn fetches before it defines the guest: nothing here (the classic story fetched it in step 9)."""
        return ()


#: What the libvirt driver's error lines print of the guest's XML (the whole domain, in nova's log).
DOMAIN_XML = "<domain type='kvm'>…</domain>"
#: The libvirt error the spawn-failed scenario shows: an example of what a broken host says.
SPAWN_ERROR = "internal error: qemu unexpectedly closed the monitor"


def _spawn_failed(
    state: WalkState, handoffs: list[Handoff], domain: str, spawning: InstanceState
) -> tuple[WalkState, StepResult]:
    host = need_host(state)
    handoffs.append(
        libvirt_error(
            f"{SPAWN_ERROR} (for example, QEMU on {host.name} cannot start the guest)",
            domain=domain,
            error=f"libvirt.libvirtError: {SPAWN_ERROR}",
        )
    )
    handoffs.append(
        libvirt_call("undefine", f"remove what is left of domain {domain}", domain=domain, work=Work.UNDEFINE_GUEST)
    )
    state, result = compute_failure(
        state,
        handoffs,
        reason=SPAWN_ERROR,
        exception="RescheduledException",
        cause="libvirtError",
        attached=state.volumes,
        logs=(*state.flow.facts.logs("guest_start_failed", xml=DOMAIN_XML), *state.flow.facts.logs("spawn_failed")),
        what=(
            f"The hypervisor on {host.name} failed to start the guest. A failure in spawn may be "
            "this host's alone, so nova-compute sends the build back to be tried elsewhere."
        ),
    )
    return state, replace(result, passed=(spawning,))


def _vif_timeout(
    state: WalkState, handoffs: list[Handoff], domain: str, spawning: InstanceState
) -> tuple[WalkState, StepResult]:
    """No network-vif-plugged within vif_plugging_timeout: the guest is destroyed and the build ends.

    With vif_plugging_is_fatal (the default) the driver raises
    VirtualInterfaceCreateException, which neither release reschedules:
    today it becomes "Failed to allocate the network(s), not rescheduling.";
    Icehouse recorded it as it was.
    """
    instance = need_instance(state)
    facts = state.flow.facts
    timeout = facts.default("vif_plugging_timeout")
    handoffs.append(
        libvirt_call(
            "destroy",
            f"no network-vif-plugged within vif_plugging_timeout ({timeout} s): the paused guest is destroyed",
            domain=domain,
            work=Work.VIF_TIMEOUT,
        )
    )
    handoffs.append(
        libvirt_call("undefine", f"remove what is left of domain {domain}", domain=domain, work=Work.UNDEFINE_GUEST)
    )
    events = [f"network-vif-plugged-{port.port_id}" for port in instance.ports]
    logs = facts.logs(
        "vif_timeout",
        uuid=instance.uuid,
        events=str(events),
        vm_state="building",
        task_state="spawning",
        event_states=", ".join(f"{event}: timed out after {timeout:.2f} seconds" for event in events),
    )
    state, result = compute_failure(
        state,
        handoffs,
        reason=facts.error("vif_timeout_reason").text({}),
        exception="VirtualInterfaceCreateException",
        abort=facts.error("vif_timeout_fault"),
        attached=state.volumes,
        free_network=facts.default("vif_timeout_frees_network"),
        logs=logs,
        what=(
            "neutron never reported the port plugged (say its agent on this host is down), so libvirt's guest "
            "stayed paused until vif_plugging_timeout. Another host would not help: nova does not reschedule."
        ),
    )
    return state, replace(result, passed=(spawning,))

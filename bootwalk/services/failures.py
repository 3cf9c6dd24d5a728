"""A build that failed on its compute host: clean up, then send it back or end in ERROR.

Shared by the compute-side steps of both flows; the flow's
:class:`~bootwalk.engine.state.Recovery` says how the claim is given back
and how the build is sent back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bootwalk.cloud import ENDPOINTS, project_id
from bootwalk.engine.state import (
    PortBinding,
    StepResult,
    VolumePlan,
    WalkState,
    need_host,
    need_instance,
    with_instance,
)
from bootwalk.facts import ErrorFact
from bootwalk.handoffs import rest_request
from bootwalk.scheduler import release
from bootwalk.services.saves import fault_create, instance_save
from bootwalk.trace import ApiError, Attempt, Fault, Handoff, LogLine, Service, StepStatus, Work


def compute_failure(
    state: WalkState,
    handoffs: list[Handoff],
    *,
    reason: str,
    exception: str,
    logs: tuple[LogLine, ...],
    what: str,
    abort: ErrorFact | None = None,
    attached: tuple[VolumePlan, ...] = (),
    cause: str | None = None,
    free_network: bool = True,
) -> tuple[WalkState, StepResult]:
    """A build failed on the compute host: clean up, then reschedule or end in ERROR.

    As in the release's compute manager: a failure the release does not
    reschedule ends the build with ``abort`` as the fault (filled with the
    instance's UUID and the reason); any other failure is re-scheduled when
    retries are on (max_attempts > 1), and otherwise ends with the reason as
    the fault. ``cause`` is the class of the error nova-compute caught (``exception``
    unless told), which the next attempt's traceback ends with; ``free_network``
    False keeps the ports (a path that does not deallocate the network).
    """
    instance, host = need_instance(state), need_host(state)
    facts = state.flow.facts
    # Icehouse's _reschedule_or_error records the fault first, whether it reschedules or not; a failure it
    # re-raises instead (InvalidBDM, VirtualInterfaceCreateException) gets it from @wrap_instance_fault.
    icehouse_faults = facts.default("fault_before_cleanup")
    fault_text = abort.text({"instance_uuid": instance.uuid, "reason": reason}) if abort is not None else reason
    if icehouse_faults and abort is None:
        handoffs.append(fault_create(state, fault_text))
    cleanup_handoffs, cleanup = _cleanup(state, attached, free_network)
    handoffs.extend(cleanup_handoffs)
    config = state.scheduler
    hosts = tuple(
        release(candidate, state.resolved.flavor, instance.uuid) if candidate.name == host.name else candidate
        for candidate in state.hosts
    )
    recovery = state.flow.recovery
    cleanup = (*cleanup[:-1], recovery.claim_released(instance, host, cleanup[-1]))
    values = {
        "instance_uuid": instance.uuid,
        "reason": reason,
        "error": reason,
        "method": "run_instance",
        "num": state.attempt,
    }
    if abort is None and config.max_attempts > 1:
        handoffs.extend(recovery.send_back(state, instance, host, reason))
        state = with_instance(state, task_state="scheduling", host=None, ports=())
        state = replace(
            state,
            hosts=hosts,
            selected_host=None,
            tried_hosts=(*state.tried_hosts, host.name),
            last_failure=reason,
            last_exception=cause or exception,
            binding_failed_port=None,
            attempts=(*state.attempts, Attempt(state.attempt, host.name, "rescheduled", reason)),
        )
        return state, StepResult(
            tuple(handoffs),
            StepStatus.RESCHEDULED,
            f"{what} {exception}: nova-compute cleans up and sends the build back: task_state goes "
            f"back to scheduling for attempt {state.attempt + 1} of at most {config.max_attempts}. "
            f"{state.dialect.command} answered 202 long ago; if the next host works, the user never sees this.",
            logs=(*logs, *facts.logs("rescheduled", **values)),
            cleanup=cleanup,
        )
    if not icehouse_faults:  # today: add_instance_fault_from_exc, then the error save
        handoffs.append(fault_create(state, fault_text))
    for updates in facts.default("error_saves"):
        written = ", ".join(f"{field} {value}" for field, value in updates.items())
        handoffs.append(instance_save(state, "save_error", f"the build failed: {written}", updates))
    if icehouse_faults:  # run_instance's @wrap_instance_fault, as the error leaves it
        handoffs.append(fault_create(state, fault_text))
    handoffs.extend(recovery.give_back(state, instance, host))
    if abort is not None:
        message = abort.text(values)
        exception = abort.exception
        why = f"{what} The server goes to ERROR with this fault."
        if exception == "BuildAbortException":
            logs = (*logs, *facts.logs("aborted", **values))
    else:
        message = reason
        why = (
            f"{what} But max_attempts is 1, so rescheduling is off: nova-compute has no retry "
            "information and puts the server in ERROR with the reason itself as the fault."
        )
        logs = (*logs, *facts.logs("no_retry"))
    fault = Fault(message=message, code=500)
    # Icehouse keeps the host (and, where the network was not deallocated, the ports nova show lists)
    kept_host = instance.host if facts.default("error_keeps_host") else None
    kept_ports = () if free_network else instance.ports
    state = with_instance(state, vm_state="error", task_state=None, host=kept_host, ports=kept_ports, fault=fault)
    state = replace(
        state,
        hosts=hosts,
        error=ApiError(exception, message, None),
        attempts=(*state.attempts, Attempt(state.attempt, host.name, "error", message)),
    )
    return state, StepResult(
        tuple(handoffs),
        StepStatus.FAILED,
        f"{why} {state.dialect.command} had answered 202: the user finds out from "
        f"{state.dialect.show_command} (status ERROR, fault code 500).",
        logs=logs,
        cleanup=cleanup,
    )


def _cleanup(
    state: WalkState, attached: tuple[VolumePlan, ...], free_network: bool = True
) -> tuple[list[Handoff], tuple[str, ...]]:
    """What nova-compute undoes after a failed build on this host: ports, attachments, the claim."""
    instance, host, flavor = need_instance(state), need_host(state), state.resolved.flavor
    handoffs, lines = free_ports(state, instance.ports if free_network else ())
    for plan in attached:
        handoffs.extend(state.flow.recovery.detach(state, plan))
        lines.append(f"volume {plan.volume_id} detached")
    lines.append(
        f"claim on {host.name} released: {flavor.ram} MB RAM, {flavor.vcpus} vCPU, "
        f"{flavor.disk + flavor.ephemeral} GB disk"
    )
    return handoffs, tuple(lines)


def free_ports(state: WalkState, ports: Sequence[PortBinding]) -> tuple[list[Handoff], list[str]]:
    """Each port nova made is deleted; each the user made is unbound and kept (and the lines that say so)."""
    handoffs: list[Handoff] = []
    lines: list[str] = []
    for port in ports:
        if port.created_by_nova:
            handoffs.append(
                rest_request(
                    Service.NOVA_COMPUTE,
                    Service.NEUTRON,
                    "DELETE /v2.0/ports/{id}",
                    f"delete port {port.port_id[:8]}… ({port.ip_address}), which nova created",
                    url=state.neutron_url(f"ports/{port.port_id}"),
                    work=Work.DELETE_PORT,
                )
            )
            lines.append(f"port {port.port_id} deleted")
        else:
            handoffs.append(
                rest_request(
                    Service.NOVA_COMPUTE,
                    Service.NEUTRON,
                    "PUT /v2.0/ports/{id}",
                    f"unbind port {port.port_id[:8]}…, which the user made: it is kept",
                    url=state.neutron_url(f"ports/{port.port_id}"),
                    body={"port": {"device_id": "", "device_owner": "", "binding:host_id": None}},
                    work=Work.BIND_PORT,
                )
            )
            lines.append(f"port {port.port_id} unbound and kept")
    return handoffs, lines


def attachment_id(state: WalkState, plan: VolumePlan) -> str:
    """The ID of the cinder attachment of a volume to the instance."""
    return state.ids.uuid(f"attachment:{plan.volume_id}")


def delete_attachment(state: WalkState, plan: VolumePlan) -> tuple[Handoff, ...]:
    """Today's detach: the cinder attachment is deleted, and the volume is available again."""
    return (
        rest_request(
            Service.NOVA_COMPUTE,
            Service.CINDER,
            "DELETE /v3/{project_id}/attachments/{id}",
            f"detach volume {plan.volume_id[:8]}…: it is available again",
            url=f"{ENDPOINTS['volumev3']}/{project_id(state.ids)}/attachments/{attachment_id(state, plan)}",
            work=Work.DELETE_ATTACHMENT,
        ),
    )

"""nova-scheduler in today's nova: placement's candidates, the filters, the weighers, the claims.

The conductor calls ``select_destinations`` (an RPC call); the scheduler
asks placement for allocation candidates, filters and weighs them, claims
the winner in placement and answers with alternates. When no host is left,
the conductor buries the instances in cell0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from bootwalk.cloud import ENDPOINTS, project_id, user_id
from bootwalk.engine.state import StepResult, WalkState, need_instance
from bootwalk.handoffs import (
    queue_delivery,
    rest_reply,
    rest_request,
    rpc,
    rpc_reply,
)
from bootwalk.model import HostInstance
from bootwalk.scheduler import PLACEMENT, place_with_placement, requested_resources
from bootwalk.services.nova_api import count_instances
from bootwalk.services.scheduling import down_host_logs, flavor_dict, ignored_hints, request_spec
from bootwalk.services.volumes import boot_volume
from bootwalk.trace import Handoff, Scheduling, Service, Work

#: The placement microversion nova's scheduler report client asks for.
PLACEMENT_VERSION = {"OpenStack-API-Version": "placement 1.36"}


class SelectDestinations:
    """nova-conductor asks nova-scheduler for hosts; the scheduler asks placement, filters, weighs, claims."""

    name = "select-destinations"
    title = "nova-conductor calls nova-scheduler to ask placement, filter, weigh and claim"
    service = Service.NOVA_SCHEDULER
    source = (
        "nova/conductor/manager.py ComputeTaskManager.schedule_and_build_instances; "
        "nova/scheduler/manager.py SchedulerManager.select_destinations, _schedule"
    )
    note = (
        "select_destinations is an RPC call (it waits, up to long_rpc_timeout, 1800 s). Placement "
        "answers GET /allocation_candidates with the hosts that have room (RAM, vCPU and disk after "
        "allocation ratios), skipping disabled ones (trait COMPUTE_STATUS_DISABLED) and, for a zone, "
        "those outside its aggregate; only then do the filters run, on those candidates. The "
        "scheduler claims the winner with PUT /allocations/{uuid} and returns it with up to "
        "max_attempts - 1 alternates. The walk places each instance on the host states left by the "
        "claims before it."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        instance = need_instance(state)
        instances = (instance, *state.others)
        flavor = state.resolved.flavor
        resources = requested_resources(flavor, boot_volume(state) is not None)
        query = ",".join(f"{name}:{amount}" for name, amount in resources.items())
        zone = state.resolved.request.availability_zone
        config = state.scheduler
        placements, after = place_with_placement(
            state.hosts,
            request_spec(state),
            config,
            tuple(HostInstance(i.uuid, i.name) for i in instances),
            boot_volume(state) is not None,
        )
        first = placements[0]
        candidates = [v.host for v in first.filter_results if v.filter == PLACEMENT and v.passed]
        handoffs: list[Handoff] = [
            queue_delivery(
                Service.NOVA_CONDUCTOR,
                "schedule_and_build_instances",
                "the build requests, taken off topic conductor",
                topic="conductor",
            ),
            rpc(
                state.flow.facts.rpc("select_destinations"),
                Service.NOVA_CONDUCTOR,
                f"the request spec for {count_instances(len(instances))}, return_alternates=True; "
                "the conductor waits for the answer",
                target=Service.NOVA_SCHEDULER,
                args={
                    "instance_uuids": [i.uuid for i in instances],
                    "return_alternates": True,
                    "spec_obj": {
                        "flavor": flavor_dict(state),
                        "num_instances": len(instances),
                        "availability_zone": zone,
                        "scheduler_hints": dict(state.resolved.request.hints),
                    },
                },
                work=Work.SCHEDULE,
            ),
            rest_request(
                Service.NOVA_SCHEDULER,
                Service.PLACEMENT,
                "GET /allocation_candidates",
                f"resources={query}, root_required=OWNER_NOVA,!COMPUTE_STATUS_DISABLED"
                + (f", member_of the aggregate of zone {zone}" if zone else ""),
                url=f"{ENDPOINTS['placement']}/allocation_candidates?limit=1000"
                f"&resources={query}&root_required=OWNER_NOVA,!COMPUTE_STATUS_DISABLED",
                headers=PLACEMENT_VERSION,
            ),
            rest_reply(
                Service.PLACEMENT,
                Service.NOVA_SCHEDULER,
                200,
                f"{len(candidates)} allocation candidate(s)" + (f": {', '.join(candidates)}" if candidates else ""),
                body={"allocation_requests": len(candidates), "provider_summaries": candidates},
            ),
        ]
        claimed = [placement for placement in placements if placement.selected_host is not None]
        handoffs.extend(claims(state, claimed, resources))
        if placements[-1].selected_host is None:
            failed = placements[-1]
            if claimed:  # placement's candidates were for one instance: the next is refused at the claim
                refused = [
                    verdict.host
                    for verdict in failed.filter_results
                    if verdict.filter == PLACEMENT and not verdict.passed and verdict.host in candidates
                ]
                handoffs.extend(
                    rest_request(
                        Service.NOVA_SCHEDULER,
                        Service.PLACEMENT,
                        "PUT /allocations/{uuid}",
                        f"refused: 409 Conflict, no room left on {host} for {failed.instance_name} ({query})",
                        url=f"{ENDPOINTS['placement']}/allocations/{failed.instance_uuid}",
                        headers=PLACEMENT_VERSION,
                        body=allocation_body(state, host, resources),
                        status=409,
                    )
                    for host in refused
                )
            # _ensure_sufficient_hosts: all or none. The claims made for the first instances are given back.
            handoffs.extend(
                rest_request(
                    Service.NOVA_SCHEDULER,
                    Service.PLACEMENT,
                    "DELETE /allocations/{uuid}",
                    f"give back the claim for {placement.instance_name}: not every instance found a host",
                    url=f"{ENDPOINTS['placement']}/allocations/{placement.instance_uuid}",
                    status=204,
                )
                for placement in claimed
            )
            return state.flow.recovery.bury(state, handoffs, placements, instances)
        handoffs.append(
            rpc_reply(
                Service.NOVA_SCHEDULER,
                Service.NOVA_CONDUCTOR,
                "; ".join(
                    f"{p.instance_name}: {p.selected_host}"
                    + (f" (alternates {', '.join(p.alternates)})" if p.alternates else "")
                    for p in placements
                ),
                [[p.selected_host, *p.alternates] for p in placements],
            )
        )
        selected = next(host for host in after if host.name == first.selected_host)
        others = tuple(
            replace(other, host=placement.selected_host)
            for other, placement in zip(state.others, placements[1:], strict=True)
        )
        state = replace(
            state, scheduling=first, selected_host=selected, hosts=after, others=others, alternates=first.alternates
        )
        detail = (
            f"{first.selected_host} wins among placement's candidates: {first.why_the_winner()}; its resources "
            "are claimed in placement before the scheduler answers."
        )
        ignored = ignored_hints(state)
        return state, StepResult(
            tuple(handoffs),
            detail=f"{detail} {ignored}".strip(),
            scheduling=first,
            placements=placements,
            logs=down_host_logs(state, first),
        )


def claims(state: WalkState, placements: Sequence[Scheduling], resources: Mapping[str, int]) -> list[Handoff]:
    """The scheduler's claim in placement for each instance it placed, one after the other (claim_resources)."""
    query = ",".join(f"{name}:{amount}" for name, amount in resources.items())
    made = []
    for placement in placements:
        assert placement.selected_host is not None
        made.append(
            rest_request(
                Service.NOVA_SCHEDULER,
                Service.PLACEMENT,
                "PUT /allocations/{uuid}",
                f"claim {query} on {placement.selected_host} for {placement.instance_name}",
                url=f"{ENDPOINTS['placement']}/allocations/{placement.instance_uuid}",
                headers=PLACEMENT_VERSION,
                body=allocation_body(state, placement.selected_host, resources),
                status=204,
            )
        )
    return made


def allocation_body(state: WalkState, host: str, resources: Mapping[str, int]) -> dict[str, Any]:
    """``PUT /allocations/{uuid}``'s body: keyed by the host's resource provider, with the project and user.

    ``SchedulerReportClient.claim_resources`` (placement 1.36); a new
    instance has no consumer generation yet.
    """
    return {
        "allocations": {provider_uuid(state, host): {"resources": dict(resources)}},
        "consumer_generation": None,
        "project_id": project_id(state.ids),
        "user_id": user_id(state.ids),
    }


def provider_uuid(state: WalkState, host: str) -> str:
    """The UUID of the host's resource provider in placement (its compute node's)."""
    return state.ids.cloud.uuid(f"resource-provider:{host}")

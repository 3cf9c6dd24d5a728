"""The engine's trace: order, sources and targets, states, and the failure paths."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bootwalk.dialects.nics import parse_nics
from bootwalk.engine import LookupFailure, resolve_request
from bootwalk.flows.classic import CLASSIC_PIPELINE
from bootwalk.model import Catalog
from bootwalk.request import BlockDevice
from bootwalk.trace import Outcome, Service, StepStatus
from tests.conftest import demo_request, post_of
from tests.walking import walk

EXPECTED_STEPS = [
    (1, "authenticate", StepStatus.OK, None),
    (2, "token", StepStatus.OK, None),
    (3, "nova-api", StepStatus.OK, ("building", "scheduling", 0)),
    (4, "schedule", StepStatus.OK, ("building", "scheduling", 0)),
    (5, "record-host", StepStatus.OK, ("building", "scheduling", 0)),
    (6, "cast-to-compute", StepStatus.OK, ("building", None, 0)),
    (7, "ask-flavor", StepStatus.OK, ("building", None, 0)),
    (8, "return-flavor", StepStatus.OK, ("building", None, 0)),
    (9, "glance", StepStatus.OK, ("building", None, 0)),
    (10, "neutron", StepStatus.OK, ("building", "networking", 0)),
    (11, "cinder", StepStatus.SKIPPED, ("building", "block_device_mapping", 0)),
    (12, "hypervisor", StepStatus.OK, ("active", None, 1)),
]

EXPECTED_HANDOFFS = [
    [("client", "keystone", "REST", "POST /v3/auth/tokens")],
    [("keystone", "client", "REST", "201 Created")],
    [
        # novaclient's lookups: the flavor as an ID (404), then by name; the image and the network by name
        ("client", "nova-api", "REST", "GET /v2/{tenant_id}/flavors/{flavor}"),
        ("client", "nova-api", "REST", "GET /v2/{tenant_id}/flavors"),
        ("client", "glance", "REST", "GET /v2/images"),
        ("client", "neutron", "REST", "GET /v2.0/networks"),
        ("client", "nova-api", "REST", "POST /v2/{tenant_id}/servers"),  # Icehouse: compute API v2, port 8774
        ("nova-api", "glance", "REST", "HEAD /v1/images/{id}"),  # glance v1 (nova/image/glance.py, 2014.1)
        ("nova-api", "neutron", "REST", "GET /v2.0/networks"),
        ("nova-api", "neutron", "REST", "GET /v2.0/ports"),  # validate_networks counts the ports, then
        ("nova-api", "neutron", "REST", "GET /v2.0/quotas/{project_id}"),  # reads the port quota (2014.1 order)
        ("nova-api", "nova database", "database", "INSERT INTO reservations"),
        ("nova-api", "nova database", "database", "INSERT INTO instances"),
        ("nova-api", "nova database", "database", "INSERT INTO instance_actions"),
        ("nova-api", "message queue", "RPC cast", "build_instances"),
        ("nova-api", "client", "REST", "202 Accepted"),
    ],
    [
        ("message queue", "nova-conductor", "RPC cast", "build_instances"),
        ("nova-conductor", "nova-scheduler", "RPC cast", "run_instance"),
        ("nova-scheduler", "nova database", "database", "SELECT compute_nodes"),
    ],
    [("nova-scheduler", "nova database", "database", "instance_update_db")],
    [
        ("nova-scheduler", "nova-compute", "RPC cast", "run_instance"),
        ("nova-compute", "nova-conductor", "RPC call", "instance_update"),
        ("nova-compute", "nova-conductor", "RPC call", "instance_update"),
    ],
    [("nova-compute", "nova-conductor", "RPC call", "get flavor")],
    [
        ("nova-conductor", "nova database", "database", "SELECT instance_types"),
        ("nova-conductor", "nova-compute", "RPC call", "reply"),
    ],
    [
        ("nova-compute", "glance", "REST", "HEAD /v1/images/{id}"),
        ("nova-compute", "glance", "REST", "GET /v1/images/{id}"),
        ("glance", "nova-compute", "REST", "200 OK"),
    ],
    [  # Icehouse: one POST creates the port bound to the host (_create_port); the PUT split came in Newton
        ("nova-compute", "nova-conductor", "RPC call", "instance_update"),
        ("nova-compute", "neutron", "REST", "GET /v2.0/security-groups"),
        ("nova-compute", "neutron", "REST", "POST /v2.0/ports"),
        ("neutron", "nova-compute", "REST", "201 Created"),
    ],
    [("nova-compute", "nova-conductor", "RPC call", "instance_update")],
    [  # _spawn saves with Instance.save (object_action), not instance_update
        ("nova-compute", "nova-conductor", "RPC call", "object_action"),
        ("nova-compute", "hypervisor", "libvirt API", "defineXML"),
        ("nova-compute", "hypervisor", "libvirt API", "createWithFlags"),
        ("neutron", "nova-api", "REST", "POST /v2/{tenant_id}/os-server-external-events"),
        ("nova-api", "nova-compute", "RPC cast", "external_instance_event"),
        ("nova-compute", "hypervisor", "libvirt API", "resume"),
        ("nova-compute", "nova-conductor", "RPC call", "object_action"),
    ],
]


def _states(trace):  # type: ignore[no-untyped-def]
    return [
        (
            s.number,
            s.name,
            s.status,
            None if s.state is None else (s.state.vm_state, s.state.task_state, s.state.power_state),
        )
        for s in trace.steps
    ]


def test_demo_walk_steps_and_states(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    trace = walk(demo, catalog)
    assert _states(trace) == EXPECTED_STEPS
    assert trace.outcome is Outcome.ACTIVE
    assert trace.error is None


def test_demo_walk_handoffs_in_order(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    trace = walk(demo, catalog)
    handoffs = [
        [(h.source.value, h.target.value, h.channel.value, h.call) for h in step.handoffs] for step in trace.steps
    ]
    assert handoffs == EXPECTED_HANDOFFS


def test_story_only_handoffs_are_marked(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    trace = walk(demo, catalog)
    marked = [(step.number, h.call) for step in trace.steps for h in step.handoffs if h.simplified]
    assert marked == [
        (7, "get flavor"), (8, "SELECT instance_types"), (8, "reply"),
        (9, "HEAD /v1/images/{id}"), (9, "GET /v1/images/{id}"), (9, "200 OK"),
    ]  # fmt: skip


def test_token_travels_from_step_2_into_later_requests(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    trace = walk(demo, catalog)
    token = trace.steps[1].handoffs[0].payload["headers"]["X-Subject-Token"]
    assert token.startswith("MII")  # Icehouse keystone's default provider: PKI, a CMS-signed blob
    assert post_of(trace.steps[2].handoffs).payload["headers"]["X-Auth-Token"] == token


def test_request_body_matches_novaclient(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    trace = walk(demo, catalog)
    body = post_of(trace.steps[2].handoffs).payload["body"]
    assert body == {
        "server": {
            "name": "demo-vm",
            "flavorRef": "1",
            "imageRef": "9f4cbb8e-3c5b-4b8a-9d57-1b6f0c2d8a11",
            "min_count": 1,
            "max_count": 1,
            "networks": [{"uuid": "6b9c0f4e-0b1d-4e2a-9f3c-8d7e6a5b4c31"}],
        }
    }


def test_options_that_do_not_change_the_story_still_reach_the_body(catalog: Catalog) -> None:
    request = demo_request(
        meta={"role": "web"}, key_name="mykey", security_groups=("web",), hints={"same_host": "x"},
        config_drive=True, admin_pass="s3cret", description="d", tags=("a", "b"), availability_zone="nova",
        user_data=b"#!/bin/sh\n",
    )  # fmt: skip
    trace = walk(resolve_request(request, catalog), catalog)
    body = post_of(trace.steps[2].handoffs).payload["body"]
    server = body["server"]
    assert server["metadata"] == {"role": "web"}
    assert server["key_name"] == "mykey"
    assert server["security_groups"] == [{"name": "web"}]
    assert server["config_drive"] is True
    assert server["adminPass"] == "s3cret"
    assert server["tags"] == ["a", "b"]
    assert server["availability_zone"] == "nova"
    assert server["user_data"] == "IyEvYmluL3NoCg=="
    assert body["os:scheduler_hints"] == {"same_host": "x"}
    assert trace.outcome is Outcome.ACTIVE


def test_server_view_ends_active_on_the_selected_host(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    trace = walk(demo, catalog)
    server = trace.server
    assert server is not None
    assert server["status"] == "ACTIVE"
    assert "OS-EXT-SRV-ATTR:host" not in server  # admin-only: the walk's user is a member
    assert [(row["name"], row["host"]) for row in trace.servers] == [("demo-vm", "compute1")]
    assert server["OS-EXT-STS:power_state"] == 1
    assert server["OS-EXT-STS:task_state"] is None
    address = server["addresses"]["private"][0]
    assert address["addr"].startswith("10.0.")
    assert address["OS-EXT-IPS-MAC:mac_addr"].startswith("fa:16:3e:")
    image = "9f4cbb8e-3c5b-4b8a-9d57-1b6f0c2d8a11"  # by ID and link: the client looks the name up
    assert server["image"] == {
        "id": image,
        "links": [
            {"rel": "bookmark", "href": f"http://controller:8774/45eb6061ed202b95f07475a18ebc7f91/images/{image}"}
        ],
    }
    assert server["progress"] == 0


def test_same_seed_same_walk_other_seed_other_ids(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    assert walk(demo, catalog, seed=7) == walk(demo, catalog, seed=7)
    first, second = walk(demo, catalog, seed=1).server, walk(demo, catalog, seed=2).server
    assert first is not None and second is not None
    assert first["id"] != second["id"]


def test_callback_sees_each_step_as_recorded(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    seen = []
    trace = walk(demo, catalog, on_step=seen.append)
    assert tuple(seen) == trace.steps


@pytest.mark.parametrize(
    ("image", "flavor", "kind", "message"),
    [
        ("fedora-upload", "m1.tiny", "BadRequest", "Image 7e3b1c9d-2f4a-4c6e-8b0d-1a3c5e7f9b2d is not active."),
        ("ubuntu-24.04", "m1.tiny", "BadRequest", "Flavor's memory is too small for requested image."),
        # Icehouse's FlavorDiskTooSmall had no numbers (2014.1 nova/exception.py)
        ("centos-stream-9", "m1.tiny", "BadRequest", "Flavor's disk is too small for requested image."),
    ],
)  # fmt: skip
def test_nova_api_refusals_stop_at_step_3(catalog: Catalog, image: str, flavor: str, kind: str, message: str) -> None:
    trace = walk(resolve_request(demo_request(image=image, flavor=flavor), catalog), catalog)
    assert [(s.number, s.status) for s in trace.steps] == [
        (1, StepStatus.OK),
        (2, StepStatus.OK),
        (3, StepStatus.FAILED),
    ]
    assert trace.steps[2].state is None
    assert trace.outcome is Outcome.ERROR
    assert trace.server is None
    assert trace.error is not None
    assert (trace.error.kind, trace.error.message, trace.error.http_status) == (kind, message, 400)
    assert trace.steps[2].handoffs[-1].call == f"400 {kind}"


def test_todays_disk_refusal_gives_the_sizes(catalog: Catalog) -> None:
    trace = walk(resolve_request(demo_request(image="centos-stream-9"), catalog), catalog, "modern")
    assert trace.error is not None
    assert trace.error.message == (
        "Flavor's disk is too small for requested image. Flavor disk is 1073741824 bytes, image is 1395864371 bytes."
    )


@pytest.mark.parametrize(
    ("flow", "message"),
    [
        ("classic", "Flavor's disk is too small for requested image."),
        ("modern", "Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is "
         "5368709120 bytes, minimum size is 10737418240 bytes."),
    ],
)  # fmt: skip
def test_min_disk_refusal(catalog: Catalog, flow: str, message: str) -> None:
    small_disk = replace(next(f for f in catalog.flavors if f.name == "ds2G"), name="ds2G-5", id="x5", disk=5)
    own = replace(catalog, flavors=(*catalog.flavors, small_disk))
    trace = walk(resolve_request(demo_request(image="ubuntu-24.04", flavor="ds2G-5"), own), own, flow)
    assert trace.error is not None
    assert trace.error.message == message


def test_zero_disk_flavor_needs_a_volume(catalog: Catalog) -> None:
    zero = replace(catalog.flavors[0], name="zero", id="z0", disk=0)
    own = replace(catalog, flavors=(*catalog.flavors, zero))
    trace = walk(resolve_request(demo_request(flavor="zero"), own), own, "modern")
    assert trace.error is not None
    assert (trace.error.kind, trace.error.message, trace.error.http_status) == (
        "Forbidden", "Only volume-backed servers are allowed for flavors with zero disk.", 403,
    )  # fmt: skip
    # Icehouse had no such rule: root_gb 0 meant "do not check the size" (_check_requested_image).
    assert walk(resolve_request(demo_request(flavor="zero"), own), own).outcome is Outcome.ACTIVE


@pytest.mark.parametrize(
    ("flow", "fault"),
    # Today placement leaves out disabled hosts (COMPUTE_STATUS_DISABLED): no candidate, so no reason either.
    [("classic", "No valid host was found. "), ("modern", "No valid host was found. ")],
)
def test_no_valid_host_goes_to_error_after_a_202(catalog: Catalog, flow: str, fault: str) -> None:
    hosts = tuple(replace(host, status="disabled", disabled_reason="drained") for host in catalog.hosts)
    own = replace(catalog, hosts=hosts)
    trace = walk(resolve_request(demo_request(), own), own, flow)
    assert [(s.number, s.status) for s in trace.steps][-2:] == [(3, StepStatus.OK), (4, StepStatus.FAILED)]
    assert trace.steps[2].handoffs[-1].call == "202 Accepted"
    step4 = trace.steps[3]
    assert step4.state is not None and (step4.state.vm_state, step4.state.task_state) == ("error", None)
    assert trace.outcome is Outcome.ERROR
    assert trace.server is not None
    assert trace.server["status"] == "ERROR"
    assert trace.server["fault"]["message"] == fault
    assert trace.server["fault"]["code"] == 500
    assert "progress" not in trace.server  # an ERROR server has none
    # no host: 2014.1 looks up the host "None" (str(None)) and finds the default zone; today gives the request's
    assert trace.server["OS-EXT-AZ:availability_zone"] == {"classic": "nova", "modern": ""}[flow]
    asked = walk(resolve_request(demo_request(availability_zone="nova"), own), own, flow)
    assert asked.server is not None and asked.server["OS-EXT-AZ:availability_zone"] == "nova"


def test_boot_from_volume_skips_glance_and_attaches(catalog: Catalog) -> None:
    request = demo_request(image=None, boot_volume="8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7")
    trace = walk(resolve_request(request, catalog), catalog)
    statuses = {s.number: s.status for s in trace.steps}
    assert statuses[9] is StepStatus.SKIPPED
    assert statuses[11] is StepStatus.OK
    # Icehouse: cinder v1's os-initialize_connection and os-attach (2014.1 nova/volume/cinder.py)
    assert [h.call for h in trace.steps[10].handoffs] == [
        "instance_update",
        "POST /v1/{tenant_id}/volumes/{id}/action",
        "POST /v1/{tenant_id}/volumes/{id}/action",
    ]
    assert [list(h.payload["body"]) for h in trace.steps[10].handoffs[1:]] == [
        ["os-initialize_connection"],
        ["os-attach"],
    ]
    assert trace.outcome is Outcome.ACTIVE


def test_boot_from_an_existing_volume_today(catalog: Catalog) -> None:
    request = demo_request(image=None, boot_volume="8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7")
    trace = walk(resolve_request(request, catalog), catalog, "modern")
    api = [h.call for h in trace.steps[2].handoffs]
    # nova-api reads the volume and creates the attachment, which reserves it (check_attach_and_reserve_volume)
    assert api.index("GET /v3/{project_id}/volumes/{id}") < api.index("POST /v3/{project_id}/attachments")
    assert api.index("POST /v3/{project_id}/attachments") < api.index("202 Accepted")
    volumes = next(step for step in trace.steps if step.name == "cinder")
    assert [h.call for h in volumes.handoffs] == [
        "object_action",
        "PUT /v3/{project_id}/attachments/{id}",
        "POST /v3/{project_id}/attachments/{id}/action",
    ]
    assert trace.outcome is Outcome.ACTIVE


MISSING_VOLUME = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize("flow", ["classic", "modern"])
def test_an_unknown_root_volume_is_an_invalid_mapping_in_both_releases(catalog: Catalog, flow: str) -> None:
    request = demo_request(image=None, boot_volume=MISSING_VOLUME)
    trace = walk(resolve_request(request, catalog), catalog, flow=flow)
    assert trace.error_line() == (
        f"ERROR (BadRequest): Block Device Mapping is Invalid: failed to get volume {MISSING_VOLUME}. (HTTP 400)"
    )
    assert [h.payload.get("status") for h in trace.steps[2].handoffs if h.target is Service.CINDER] == [404]


@pytest.mark.parametrize(
    ("flow", "line"),
    [
        ("classic", f"ERROR (BadRequest): Block Device Mapping is Invalid: failed to get volume {MISSING_VOLUME}. (HTTP 400)"),
        ("modern", f"ERROR (BadRequest): Volume {MISSING_VOLUME} could not be found. (HTTP 400)"),
    ],
)  # fmt: skip
def test_an_unknown_data_volume_is_read_after_the_quota(catalog: Catalog, flow: str, line: str) -> None:
    volume = BlockDevice("volume", "volume", 1, uuid=MISSING_VOLUME)
    over = demo_request(block_devices=(volume,), key_name="nokey")
    assert walk(resolve_request(over, catalog), catalog, flow=flow).error_line() == (
        "ERROR (BadRequest): Invalid key_name provided. (HTTP 400)"
    )  # the key pair is checked before the volumes, in both releases
    many = demo_request(block_devices=(volume,), min_count=11, max_count=11)
    assert "Quota exceeded" in walk(resolve_request(many, catalog), catalog, flow=flow).error_line()
    trace = walk(resolve_request(demo_request(block_devices=(volume,)), catalog), catalog, flow=flow)
    assert trace.error_line() == line


def test_nic_none_skips_neutron(catalog: Catalog) -> None:
    trace = walk(resolve_request(demo_request(nics="none"), catalog), catalog)
    assert trace.steps[9].status is StepStatus.SKIPPED
    assert trace.steps[9].detail == "--nic none: the server gets no network."
    assert trace.server is not None and trace.server["addresses"] == {}


def test_nic_auto_uses_the_projects_only_network(catalog: Catalog) -> None:
    trace = walk(resolve_request(demo_request(nics="auto"), catalog), catalog)
    assert trace.server is not None and list(trace.server["addresses"]) == ["private"]


def test_fixed_ip_outside_the_network_aborts_the_build(catalog: Catalog) -> None:
    request = demo_request(nics=parse_nics(("net-name=private,v4-fixed-ip=192.168.1.5",)))
    trace = walk(resolve_request(request, catalog), catalog, "modern")
    assert trace.steps[-1].name == "neutron" and trace.steps[-1].status is StepStatus.FAILED
    assert trace.server is not None
    network = next(n for n in catalog.networks if n.name == "private")
    assert trace.server["fault"]["message"] == (
        f"Build of instance {trace.server['id']} aborted: Invalid input received: Fixed IP 192.168.1.5 is not a "
        f"valid ip address for network {network.id}."
    )


def test_fixed_ip_outside_the_network_is_rescheduled_in_icehouse(catalog: Catalog) -> None:
    request = demo_request(nics=parse_nics(("net-name=private,v4-fixed-ip=192.168.1.5",)))
    trace = walk(resolve_request(request, catalog), catalog)
    # The error surfaces in spawn, which Icehouse reschedules: every host fails the same way.
    assert [(a.host, a.result) for a in trace.attempts] == [
        ("compute1", "rescheduled"), ("compute4", "rescheduled"), ("compute2", "rescheduled"), (None, "error"),
    ]  # fmt: skip
    assert trace.server is not None
    assert trace.server["fault"]["message"] == (
        f"No valid host was found. Exceeded max scheduling attempts 3 for instance {trace.server['id']}"
    )


def test_existing_port_is_bound_not_created(catalog: Catalog) -> None:
    request = demo_request(nics=parse_nics(("port-id=d4e6f8a0-b2c4-4d6e-8f0a-1b3d5f7b9d1f",)))
    trace = walk(resolve_request(request, catalog), catalog)
    assert [h.call for h in trace.steps[9].handoffs] == [
        "instance_update", "GET /v2.0/security-groups", "PUT /v2.0/ports/{id}",
    ]  # fmt: skip
    assert trace.server is not None
    assert trace.server["addresses"]["private"][0]["addr"] == "10.0.0.50"


@pytest.mark.parametrize(
    ("changes", "option", "message"),
    [
        ({"image": "nope"}, "--image", "No Image matching nope. (HTTP 404)"),
        ({"flavor": "m1.huge"}, "--flavor", "No flavor with a name or ID of 'm1.huge' exists."),
        ({"nics": parse_nics(("net-name=nope",))}, "--nic", "No Network matching nope. (HTTP 404)"),
        (
            {"nics": parse_nics(("net-id=private",))}, "--nic",
            "net-id 'private' is not a UUID, so nova-api would refuse it (HTTP 400). "
            "To give a network by name, use --nic net-name=private",
        ),
        ({"image": None, "image_with": (("os_distro", "windows"),)}, "--image-with",
         "No images match the property expected by --image-with"),
    ],
)  # fmt: skip
def test_client_side_lookups_fail_with_novaclients_words(
    catalog: Catalog, changes: dict, option: str, message: str
) -> None:  # type: ignore[type-arg]
    with pytest.raises(LookupFailure) as caught:
        resolve_request(demo_request(**changes), catalog)
    assert (caught.value.option, caught.value.message) == (option, message)


def test_flavor_and_image_by_id(catalog: Catalog) -> None:
    resolved = resolve_request(demo_request(flavor="1", image="9f4cbb8e-3c5b-4b8a-9d57-1b6f0c2d8a11"), catalog)
    assert (resolved.flavor.name, resolved.image and resolved.image.name) == ("m1.tiny", "cirros")


def test_pipeline_has_twelve_steps_each_with_a_note_and_source() -> None:
    assert len(CLASSIC_PIPELINE) == 12
    assert len({step.name for step in CLASSIC_PIPELINE}) == 12
    for step in CLASSIC_PIPELINE:
        assert step.note and step.source and step.title


flavor_names = st.sampled_from(["m1.tiny", "m1.small", "m1.medium", "m1.nano", "m1.micro", "cirros256", "ds512M"])


@settings(max_examples=40, deadline=None)
@given(
    flavor=flavor_names,
    seed=st.integers(min_value=0, max_value=2**31),
    nic=st.sampled_from(["auto", "none", "net-name=private", "net-name=public"]),
)
def test_every_successful_walk_has_one_record_per_step_in_order(
    catalog: Catalog, flavor: str, seed: int, nic: str
) -> None:
    request = demo_request(flavor=flavor, nics=parse_nics((nic,)))
    trace = walk(resolve_request(request, catalog), catalog, seed=seed)
    if trace.outcome is Outcome.ACTIVE:
        assert [s.number for s in trace.steps] == list(range(1, 13))
        assert trace.steps[-1].state is not None and trace.steps[-1].state.vm_state == "active"
    else:
        assert trace.steps[-1].status is StepStatus.FAILED
    assert [s.number for s in trace.steps] == list(range(1, len(trace.steps) + 1))


def test_engine_imports_neither_click_nor_rich() -> None:
    code = (
        "import sys; import bootwalk.engine, bootwalk.flows.classic, bootwalk.flows.modern, bootwalk.scheduler, bootwalk.catalog, "
        "bootwalk.render.json_renderer; "
        "bad = [m for m in ('click', 'rich', 'yaml') if m in sys.modules]; print(bad)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[]"


@given(st.binary(min_size=16, max_size=16))
def test_uuid4_text_matches_the_uuid_module(sixteen: bytes) -> None:
    import uuid

    from bootwalk.ids import format_uuid4

    assert format_uuid4(sixteen) == str(uuid.UUID(bytes=sixteen, version=4))


@given(
    st.integers(0, 2**32 - 1), st.integers(8, 32), st.text(max_size=8), st.sets(st.integers(0, 300), max_size=20),
    st.booleans(),
)  # fmt: skip
def test_an_ipv4_address_worked_out_without_ipaddress_is_ipaddress_s(
    value: int, prefix: int, label: str, taken_offsets: set[int], gateway_first: bool
) -> None:
    """The same address, or the same error, as the ipaddress route for every IPv4 network and taken set."""
    import ipaddress

    from bootwalk.ids import IdSource as Ids
    from bootwalk.ids import _address_in

    network = ipaddress.ip_network(f"{ipaddress.IPv4Address(value)}/{prefix}", strict=False)
    cidr = str(network)
    gateway = str(network.network_address + 1) if gateway_first and network.num_addresses > 2 else ""
    taken = frozenset(str(network.network_address + o) for o in taken_offsets if o < network.num_addresses)
    ids = Ids(7)
    start = int.from_bytes(ids._digest("ip:" + label)[:8], "big")
    try:
        expected = _address_in(cidr, start, gateway, taken)
    except ValueError as error:
        with pytest.raises(ValueError, match=str(error)):
            ids.address(label, cidr, gateway, taken)
    else:
        assert ids.address(label, cidr, gateway, taken) == expected


@pytest.mark.parametrize("cidr", ["10.0.2.0/24", "010.0.2.0/24", "10.0.2.1/24", "10.0.2.0/255.255.255.0", "fd00::/64",
                                  "10.0.2.0/033"])  # fmt: skip
def test_networks_ipaddress_writes_otherwise_go_to_ipaddress(cidr: str) -> None:
    from bootwalk.ids import IdSource as Ids
    from bootwalk.ids import _address_in, plain_ipv4_network

    assert (plain_ipv4_network(cidr) is not None) == (cidr == "10.0.2.0/24")
    try:
        expected = _address_in(cidr, int.from_bytes(Ids(1)._digest("ip:x")[:8], "big"), "", frozenset())
    except ValueError as error:
        with pytest.raises(ValueError, match=re.escape(str(error))):
            Ids(1).address("x", cidr, "", frozenset())
    else:
        assert Ids(1).address("x", cidr, "", frozenset()) == expected


@given(st.integers(0, 2**32 - 1), st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 32)), max_size=3),
       st.booleans())  # fmt: skip
def test_an_address_is_in_a_network_as_ipaddress_says(value: int, subnets: list[tuple[int, int]], v6: bool) -> None:
    import ipaddress

    from bootwalk.engine.addresses import address_in_network
    from bootwalk.model import Network, Subnet

    cidrs = [str(ipaddress.ip_network(f"{ipaddress.IPv4Address(v)}/{p}", strict=False)) for v, p in subnets]
    cidrs += ["fd00::/64"] if v6 else []
    made = tuple(Subnet(f"s{i}", f"id{i}", cidr, 4, "") for i, cidr in enumerate(cidrs))
    address = str(ipaddress.IPv4Address(value))
    expected = any(ipaddress.ip_address(address) in ipaddress.ip_network(cidr) for cidr in cidrs)
    assert address_in_network(Network("n", "n-id", made), address) is expected


def test_the_demo_walk_imports_no_ipaddress() -> None:
    code = (
        "import sys\nfrom bootwalk.cli import main\n"
        "try:\n    main(['boot', '--image', 'cirros', '--flavor', 'm1.tiny', '--nic', 'net-name=private', 'vm'])\n"
        "except SystemExit:\n    pass\n"
        "print('ipaddress' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60)
    assert result.stderr.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize(
    ("flow", "post", "headers", "token", "glance"),
    [
        # Today's client against an Icehouse cloud: compute API v2 on port 8774, no microversions (novaclient
        # finds no version range and speaks 2.0), PKI tokens, glance v1 from nova.
        ("classic", "http://controller:8774/v2/45eb6061ed202b95f07475a18ebc7f91/servers",
         {"X-Auth-Token", "User-Agent"}, "MII", "HEAD /v1/images/{id}"),
        ("modern", "http://controller/compute/v2.1/servers",
         {"X-Auth-Token", "User-Agent", "X-OpenStack-Nova-API-Version", "OpenStack-API-Version"}, "gAAAAAB",
         "GET /v2/images/{id}"),
    ],
)  # fmt: skip
def test_each_flow_speaks_its_releases_rest(
    catalog: Catalog, flow: str, post: str, headers: set[str], token: str, glance: str
) -> None:
    trace = walk(resolve_request(demo_request(), catalog), catalog, flow)
    request = post_of(trace.steps[2].handoffs).payload
    assert request["url"] == post
    assert set(request["headers"]) == headers
    assert request["headers"]["User-Agent"] == "python-novaclient"
    assert trace.steps[1].handoffs[0].payload["headers"]["X-Subject-Token"].startswith(token)
    calls = [h.call for h in trace.steps[2].handoffs]
    to_glance = trace.steps[2].handoffs[calls.index(glance)]
    assert to_glance.source.value == "nova-api"
    assert "User-Agent" not in to_glance.payload["headers"]  # nova's own call to glance
    links = trace.steps[2].handoffs[-1].payload["body"]["server"]["links"]
    assert links[0]["href"] == f"{post}/{trace.steps[2].handoffs[-1].payload['body']['server']['id']}"
    assert links[1]["rel"] == "bookmark" and "/v2" not in links[1]["href"]


def test_novaclient_looks_the_names_up_before_it_posts(catalog: Catalog) -> None:
    """utils.find_resource: the flavor's text as an ID first (404), then the list; glance and neutron by name."""
    trace = walk(resolve_request(demo_request(), catalog), catalog, "modern")
    lookups = [(h.target.value, h.call, h.payload["url"], h.payload["status"]) for h in trace.steps[2].handoffs[:4]]
    assert lookups == [
        ("nova-api", "GET /v2.1/flavors/{flavor}", "http://controller/compute/v2.1/flavors/m1.tiny", 404),
        ("nova-api", "GET /v2.1/flavors", "http://controller/compute/v2.1/flavors?is_public=None", 200),
        ("glance", "GET /v2/images", "http://controller/image/v2/images?name=cirros", 200),
        ("neutron", "GET /v2.0/networks", "http://controller/networking/v2.0/networks?name=private", 200),
    ]
    by_id = walk(resolve_request(demo_request(flavor="1"), catalog), catalog, "modern")
    assert [h.call for h in by_id.steps[2].handoffs[:2]] == ["GET /v2.1/flavors/{flavor}", "GET /v2/images"]


def test_each_release_checks_the_image_and_the_security_groups_in_its_own_order(catalog: Catalog) -> None:
    # 2014.1 checks the image inside _validate_and_build_base_options, before the security groups;
    # today's nova checks the image in _checks_for_create_and_rebuild, after them.
    request = demo_request(image="ubuntu-24.04", security_groups=("default", "nope"))
    classic = walk(resolve_request(request, catalog), catalog)
    modern = walk(resolve_request(request, catalog), catalog, flow="modern")
    assert classic.error_line() == "ERROR (BadRequest): Flavor's memory is too small for requested image. (HTTP 400)"
    assert modern.error_line() == (
        "ERROR (BadRequest): Unable to find security_group with name or id 'nope' (HTTP 400)"
    )


def test_icehouse_records_the_create_action_for_each_instance_of_a_multi_create(catalog: Catalog) -> None:
    trace = walk(resolve_request(demo_request(min_count=3, max_count=3), catalog), catalog)
    actions = [h for h in trace.steps[2].handoffs if h.call == "INSERT INTO instance_actions"]
    created = [h.payload["values"]["uuid"] for h in trace.steps[2].handoffs if h.call == "INSERT INTO instances"]
    assert [h.payload["values"]["instance_uuid"] for h in actions] == created and len(created) == 3
    assert actions[0].summary == "action create for demo-vm-" + created[0] + " (nova instance-action-list shows it)"


@given(st.binary(max_size=300))
def test_the_walks_sha2_without_hashlib_is_hashlibs(data: bytes) -> None:
    import hashlib

    from bootwalk.ids import sha224_hex, sha256_digest

    assert sha256_digest(data) == hashlib.sha256(data).digest()
    assert sha224_hex(data) == hashlib.sha224(data).hexdigest()


@pytest.mark.parametrize(
    ("flow", "roles", "catalog_types"),
    [
        # keystone 2014.1 and DevStack icehouse-eol: Member and anotherrole, identity registered at v2.0
        ("classic", ["Member", "anotherrole"], ["identity", "compute", "image", "network", "volume"]),
        # today: member implies reader, which keystone adds; cinder's type is block-storage
        ("modern", ["member", "anotherrole", "reader"], ["identity", "compute", "image", "network", "block-storage", "placement"]),
    ],
)  # fmt: skip
def test_the_token_body_is_its_releases(
    demo, catalog: Catalog, flow: str, roles: list[str], catalog_types: list[str]
) -> None:  # type: ignore[no-untyped-def]
    trace = walk(demo, catalog, flow)
    body = trace.steps[1].handoffs[0].payload["body"]["token"]
    assert [role["name"] for role in body["roles"]] == roles and all(len(role["id"]) == 32 for role in body["roles"])
    assert [service["type"] for service in body["catalog"]] == catalog_types
    endpoint = body["catalog"][0]["endpoints"][0]
    assert endpoint["region"] == "RegionOne" and len(endpoint["id"]) == 32
    assert body["issued_at"] == "2026-01-01T12:00:00.000000Z"
    if flow == "classic":
        assert ("extras" in body, "audit_ids" in body, "region_id" in endpoint) == (True, False, False)
        assert endpoint["url"] == "http://controller:5000/v2.0"
        assert "name" not in body["catalog"][0]
    else:
        assert ("extras" in body, len(body["audit_ids"][0]), endpoint["region_id"]) == (False, 22, "RegionOne")
        assert body["user"]["password_expires_at"] is None and body["is_domain"] is False
        assert endpoint["url"] == "http://controller/identity" and body["catalog"][0]["name"] == "keystone"


@pytest.mark.parametrize("flow", ["classic", "modern"])
def test_neutron_notifies_nova_as_its_service_user(demo, catalog: Catalog, flow: str) -> None:  # type: ignore[no-untyped-def]
    trace = walk(demo, catalog, flow)
    event = next(h for step in trace.steps for h in step.handoffs if h.call.endswith("/os-server-external-events"))
    project = trace.steps[1].handoffs[0].payload["body"]["token"]["project"]["id"]
    url = event.payload["url"]
    if flow == "classic":  # 2014.1's notifier: nova_url + nova_admin_tenant_id, the service project, not demo's
        assert url.startswith("http://controller:8774/v2/") and project not in url and len(url.split("/")[4]) == 32
    else:
        assert url == "http://controller/compute/v2.1/os-server-external-events"


@pytest.mark.parametrize(
    ("flow", "topic", "version"), [("classic", "compute.compute1", "3.23"), ("modern", "compute-alt.compute1", "6.0")]
)
def test_the_vif_plugged_event_goes_to_the_releases_compute_topic(
    demo, catalog: Catalog, flow: str, topic: str, version: str
) -> None:  # type: ignore[no-untyped-def]
    # today's nova casts it to the compute's second RPC server (prepare_for_alt_rpcserver, compute/rpcapi.py)
    trace = walk(demo, catalog, flow)
    event = next(h for step in trace.steps for h in step.handoffs if h.call.startswith("external_instance_event"))
    assert (event.payload["topic"], event.payload["version"]) == (topic, version)


@pytest.mark.parametrize(
    ("flow", "headers"),
    [("classic", ["x-compute-request-id"]), ("modern", ["x-openstack-request-id", "x-compute-request-id"])],
)
def test_the_202_carries_the_releases_request_id_headers(demo, catalog: Catalog, flow: str, headers: list[str]) -> None:  # type: ignore[no-untyped-def]
    accepted = walk(demo, catalog, flow).steps[2].handoffs[-1]
    assert accepted.call == "202 Accepted"
    ids = [name for name in accepted.payload["headers"] if "request-id" in name]
    assert ids == headers and len({accepted.payload["headers"][name] for name in ids}) == 1


@pytest.mark.parametrize("flow", ["classic", "modern"])
def test_novas_neutron_calls_carry_their_clients_format_suffix(demo, catalog: Catalog, flow: str) -> None:  # type: ignore[no-untyped-def]
    # python-neutronclient 2.3 (nova 2014.1) put ".json" after every path; today's client does not
    trace = walk(demo, catalog, flow)
    nova = {Service.NOVA_API, Service.NOVA_COMPUTE}
    urls = [h.payload["url"].split("?")[0] for s in trace.steps for h in s.handoffs
            if h.target is Service.NEUTRON and h.source in nova]  # fmt: skip
    assert len(urls) >= 4
    assert all(url.endswith(".json") for url in urls) is (flow == "classic")
    assert (not any(url.endswith(".json") for url in urls)) is (flow == "modern")
    lookups = [
        h.payload["url"]
        for s in trace.steps
        for h in s.handoffs
        if h.source is Service.CLIENT and h.target is Service.NEUTRON
    ]
    assert lookups and not any(".json" in url for url in lookups)  # today's novaclient asks by name

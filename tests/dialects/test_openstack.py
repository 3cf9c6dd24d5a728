"""openstack server create's dialect: its command parses back to the same request, and its show is OSC's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bootwalk.catalog import load_catalog, shipped_catalog_directory
from bootwalk.dialects.openstack import OPENSTACK, ServerCreateOptions, format_dict, server_rows
from bootwalk.engine import resolve_request
from bootwalk.model import Catalog
from bootwalk.request import ApiVersion, RequestError
from tests.dialects.test_interface import parse_back
from tests.walking import walk

CATALOG = load_catalog(shipped_catalog_directory())

names = st.from_regex(r"[a-z0-9][a-z0-9-]{0,9}", fullmatch=True)
server_names = names | st.from_regex(r"-[a-z0-9]{1,5}", fullmatch=True)
values = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 -_.", min_size=1, max_size=12)
flavors = st.sampled_from([flavor.name for flavor in CATALOG.flavors] + [flavor.id for flavor in CATALOG.flavors])
images = st.sampled_from([image.name for image in CATALOG.images] + [image.id for image in CATALOG.images])
networks = st.sampled_from([network.name for network in CATALOG.networks] + [n.id for n in CATALOG.networks])
ports = st.sampled_from([port.name for port in CATALOG.ports] + [port.id for port in CATALOG.ports])
volumes = st.sampled_from([volume.name for volume in CATALOG.volumes] + [v.id for v in CATALOG.volumes])

#: Each way to give the boot source, as ServerCreateOptions fields.
sources = st.one_of(
    st.builds(lambda image: {"image": image}, images),
    st.builds(lambda image, size, delete: {"image": image, "boot_from_volume": size, "delete_on_termination": delete},
              images, st.integers(1, 20), st.booleans()),
    st.builds(lambda volume: {"volume": volume}, volumes),
    st.builds(lambda snapshot: {"snapshot": snapshot}, names),
    st.builds(lambda pairs: {"image_properties": tuple(pairs.items())}, st.dictionaries(names, values, min_size=1,
                                                                                         max_size=2)),
)  # fmt: skip

#: Each way to give the networks; the passwords, files and user data do not write back, so they are left out.
network_choices = st.one_of(
    st.just({}),
    st.just({"auto_network": True}),
    st.just({"no_network": True}),
    st.builds(lambda chosen: {"networks": tuple(chosen)}, st.lists(networks, min_size=1, max_size=2)),
    st.builds(lambda chosen: {"ports": tuple(chosen)}, st.lists(ports, min_size=1, max_size=1)),
    st.builds(lambda network, tag: {"nics": (f"net-id={network},v4-fixed-ip=10.0.0.5,tag={tag}",)}, networks, names),
)


@settings(max_examples=80, deadline=None)
@given(
    name=server_names, flavor=flavors, source=sources, network=network_choices,
    counts=st.tuples(st.integers(1, 3), st.integers(0, 3)),
    properties=st.dictionaries(names, values, max_size=2),
    key=st.none() | st.just("mykey"), zone=st.none() | names,
    groups=st.lists(st.sampled_from(["default", "web"]), max_size=2, unique=True),
    hints=st.lists(st.tuples(names, values), max_size=2), server_group=st.none() | names,
    swap=st.none() | st.integers(1, 4096), description=st.none() | values,
    tags=st.lists(names, max_size=2, unique=True), wait=st.booleans(), drive=st.none() | st.booleans(),
    hostname=st.none() | names,
)  # fmt: skip
def test_the_openstack_command_parses_back_to_the_same_request(
    name: str, flavor: str, source: dict[str, Any], network: dict[str, Any], counts: tuple[int, int],
    properties: dict[str, str], key: str | None, zone: str | None, groups: list[str], hints: list[tuple[str, str]],
    server_group: str | None, swap: int | None, description: str | None, tags: list[str], wait: bool,
    drive: bool | None, hostname: str | None,
) -> None:  # fmt: skip
    low, extra = counts
    options = ServerCreateOptions(
        server_name=name, flavor=flavor, **source, **network, min_count=low, max_count=low + extra,
        properties=tuple(properties.items()), key_name=key, availability_zone=zone, security_groups=tuple(groups),
        hints=tuple(hints), server_group=server_group, swap=swap, description=description, tags=tuple(tags),
        wait=wait, config_drive=drive, hostname=hostname,
    )  # fmt: skip
    request = OPENSTACK.build(options, CATALOG)
    assert OPENSTACK.build(parse_back(OPENSTACK, OPENSTACK.format_command(request)), CATALOG) == request


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"files": ("/etc/motd=/dev/null",)},
         "Personality files are deprecated and are not supported for --os-compute-api-version greater than 2.56; "
         "use user data instead"),
        ({"nics": ("net-id=private,tag=eth0",), "os_compute_api_version": ApiVersion(2, 42)},
         "--os-compute-api-version 2.43 or greater is required to support the --nic tag field"),
    ],
)  # fmt: skip
def test_openstacks_own_microversion_refusals(changes: dict[str, Any], message: str, catalog: Catalog) -> None:
    options = ServerCreateOptions(server_name="x", flavor="m1.tiny", image="cirros", **changes)
    with pytest.raises(RequestError, match=f"^{re.escape(message)}$"):
        OPENSTACK.build(options, catalog)


def test_a_file_at_2_56_and_a_nic_tag_at_2_43_are_taken(catalog: Catalog) -> None:
    request = OPENSTACK.build(
        ServerCreateOptions(server_name="x", flavor="m1.tiny", image="cirros", files=("/etc/motd=/dev/null",),
                            os_compute_api_version=ApiVersion(2, 56)),
        catalog,
    )  # fmt: skip
    assert request.files == (("/etc/motd", 0),)
    tagged = OPENSTACK.build(
        ServerCreateOptions(server_name="x", flavor="m1.tiny", image="cirros", nics=("net-id=private,tag=eth0",),
                            os_compute_api_version=ApiVersion(2, 43)),
        catalog,
    )  # fmt: skip
    assert not isinstance(tagged.nics, str) and tagged.nics[0].tag == "eth0"


def _server_and_summary(catalog: Catalog, **changes: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    options = ServerCreateOptions(server_name="demo-vm", flavor="m1.tiny", image="cirros", networks=("private",),
                                  **changes)  # fmt: skip
    # today's nova, which answers at the client's microversion (Icehouse answered at 2.0)
    trace = walk(resolve_request(OPENSTACK.build(options, catalog), catalog), catalog, "modern", dialect="openstack")
    assert trace.server is not None
    return dict(trace.server), dict(trace.request)


def test_server_rows_follow_openstackclient(catalog: Catalog) -> None:
    server, summary = _server_and_summary(catalog, properties=(("role", "db"),), tags=("b", "a"))
    rows = dict(server_rows(server, summary))
    assert list(rows) == sorted(rows)
    assert "links" not in rows and "tenant_id" not in rows and "metadata" not in rows
    assert rows["project_id"] == server["tenant_id"]
    assert rows["addresses"] == f"private={server['addresses']['private'][0]['addr']}"
    assert rows["image"] == "cirros (9f4cbb8e-3c5b-4b8a-9d57-1b6f0c2d8a11)"
    assert rows["flavor"] == (
        "disk='1', ephemeral='0', extra_specs.hw_rng:allowed='True', original_name='m1.tiny', ram='512', "
        "swap='0', vcpus='1'"
    )
    assert rows["OS-EXT-STS:power_state"] == "Running"
    assert rows["OS-EXT-STS:task_state"] == "None"
    assert rows["properties"] == "role='db'"
    assert rows["tags"] == "a, b"
    assert rows["security_groups"] == "name='default'"
    assert rows["locked"] == "False"
    assert rows["volumes_attached"] == ""
    assert "fault" not in rows


def test_before_2_47_the_flavor_is_looked_up_by_id(catalog: Catalog) -> None:
    server, summary = _server_and_summary(catalog, os_compute_api_version=ApiVersion(2, 46))
    assert dict(server_rows(server, summary))["flavor"] == "m1.tiny (1)"


def test_a_server_booted_from_a_volume_shows_no_image(catalog: Catalog) -> None:
    server, summary = _server_and_summary(catalog, boot_from_volume=1)
    rows = dict(server_rows(server, summary))
    assert rows["image"] == "N/A (booted from volume)"
    assert rows["volumes_attached"].startswith("delete_on_termination='False', id='")


def test_format_dict_is_osc_libs() -> None:
    assert format_dict({"b": 1, "a": None, "c": {}, "d": {"x": "y"}}) == "a=, b='1', , d.x='y'"
    assert format_dict({}) == ""


def test_the_summary_keeps_what_the_show_table_reads(catalog: Catalog) -> None:
    _server, summary = _server_and_summary(catalog)
    assert summary["flavor"] == {"name": "m1.tiny", "id": "1"} and summary["api_version"] == "2.96"

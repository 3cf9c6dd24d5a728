"""A catalog as the three documents its files hold, and back: what a lab stores and exports.

``catalog_documents`` writes a catalog as plain documents; ``catalog_from_documents``
validates documents (from YAML, JSON or Python) into a catalog, as strictly as
``load_catalog`` validates the files, with the same error messages but the line.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bootwalk.catalog import (
    CATALOG_FILES,
    CatalogError,
    catalog_documents,
    catalog_from_documents,
    load_catalog,
    shipped_catalog_directory,
)
from bootwalk.model import (
    Catalog,
    Flavor,
    Host,
    HostInstance,
    Keypair,
    Network,
    Port,
    Quotas,
    SchedulerSettings,
    ServerGroup,
    Subnet,
    Volume,
)

SHIPPED = shipped_catalog_directory()
SHIPPED_CATALOG = load_catalog(SHIPPED)

#: Where the errors of documents that were never files say they are.
WHERE = Path("exported")

#: Placed on compute4 in the varied catalog, and a member of a server group there.
GPU_INSTANCE = HostInstance(uuid="0b2d4f6a-8c0e-4a2c-9e4a-6c8e0a2c4e6f", name="gpu-1")


def _varied() -> Catalog:
    """The shipped catalog with every optional field of every record set, or set otherwise than by default."""
    base = SHIPPED_CATALOG
    compute1, compute2, compute3, compute4 = base.hosts
    private = base.networks[0]
    dual = Network(
        name="dual-stack",
        id="5c7e9a1b-3d5f-4a7c-9e1b-3d5f7a9c1e2d",
        subnets=(
            Subnet("dual-v4", "6d8f0a2c-4e6a-4b8d-8f2a-4e6a8c0e2a4c", "192.168.10.0/24", 4, "192.168.10.254"),
            Subnet("dual-v6", "7e9a1b3d-5f7b-4c9e-a1b3-5f7b9d1f3b5d", "fd00:10::/64", 6, "fd00:10::1"),
        ),
        external=True,
    )
    v6_only = Network(
        name="v6-only",
        id="8f0a2c4e-6a8c-4d0f-b2c4-6a8c0e2a4c6e",
        subnets=(Subnet("v6", "9a1b3d5f-7b9d-4e1a-83d5-7b9d1f3b5d7f", "2001:db8::/32", 6, "2001:db8::1"),),
    )
    hosts = (
        # No ratio given: the flow fills in all three; the values are the placeholders.
        replace(compute1, given_ratios=frozenset()),
        # Down, one ratio given (and not Icehouse's), another hypervisor.
        replace(
            compute2, state="down", given_ratios=frozenset({"cpu"}), cpu_allocation_ratio=4.0, hypervisor_type="ironic"
        ),
        # Disabled with a reason of more than one word, and no traits or instances.
        replace(compute3, disabled_reason="disk 2 replaced — back on Monday"),
        # Disabled without a reason; two ratios given; busy beyond its vCPUs (overcommitted).
        replace(
            compute4,
            status="disabled",
            disabled_reason=None,
            given_ratios=frozenset({"ram", "disk"}),
            ram_allocation_ratio=0.5,
            disk_allocation_ratio=2.25,
            vcpus_used=9,
            memory_mb_used=1024,
            disk_gb_used=7,
            traits=("CUSTOM_GPU", "HW_CPU_X86_AVX512F"),
            aggregates=("gpu", "az2-hosts"),
            instances=(GPU_INSTANCE,),
        ),
        # Every figure at an edge of its range, an enabled host that still gives a reason.
        Host(
            name="edge",
            availability_zone="az-edge",
            vcpus=4096,
            memory_mb=2**31 - 1,
            disk_gb=2**20,
            vcpus_used=0,
            memory_mb_used=(2**31 - 1) * 1000,
            disk_gb_used=2**20 * 1000,
            cpu_allocation_ratio=1e-05,
            ram_allocation_ratio=1000.0,
            disk_allocation_ratio=0.1 + 0.2,
            disabled_reason="was disabled once",
            aggregates=("edge",),
        ),
    )
    return replace(
        base,
        flavors=(
            *base.flavors,
            Flavor(
                name="m1.ephemeral",
                id="e1",
                vcpus=2,
                ram=2048,
                disk=10,
                ephemeral=5,
                swap=512,
                extra_specs={"hw:cpu_policy": "dedicated", "quota:disk_read_bytes_sec": "10240000"},
            ),
            Flavor(name="m1.swap-only", id="e2", vcpus=1, ram=1, disk=0, swap=2**31 - 1),
        ),
        images=(
            *base.images[:-1],
            replace(base.images[-1], visibility="community", properties={"hw_disk_bus": "scsi", "os_version": "24.04"}),
        ),
        networks=(*base.networks, dual, v6_only),
        hosts=hosts,
        server_groups=(
            *base.server_groups,
            ServerGroup(
                id="1a3c5e7f-9b1d-4f3a-8c5e-7f9b1d3f5a7c", name="gpu", policy="affinity", members=(GPU_INSTANCE.uuid,)
            ),
            ServerGroup(id="3c5e7f9b-1d3f-4a5c-9e7f-9b1d3f5a7c9e", name="empty", policy="anti-affinity"),
        ),
        scheduler=SchedulerSettings(
            enabled_filters=("RetryFilter", "RamFilter", "ComputeFilter", "SameHostFilter"),
            weighers=(("RAMWeigher", -1.0), ("CPUWeigher", 2.5), ("DiskWeigher", 0.0)),
            max_attempts=7,
        ),
        volumes=(
            *base.volumes,
            Volume(id="5e7f9b1d-3f5a-4c7e-8b1d-3f5a7c9e1b3d", name="big", size=2**20, status="in-use"),
        ),
        ports=(
            *base.ports,
            # As a lab's boot makes one: no name, on a network of the catalog.
            Port("6f9b1d3f-5a7c-4e9b-9d3f-5a7c9e1b3d5f", "", private.id, "fa:16:3e:00:00:09", "10.0.0.9", "ACTIVE"),
            Port("7a1d3f5a-7c9e-4f1d-a3f5-7c9e1b3d5f7a", "v6-port", v6_only.id, "fa:16:3e:00:00:0a", "2001:db8::5"),
        ),
        keypairs=(*base.keypairs, Keypair(name="no-fingerprint", fingerprint="-")),
        security_groups=("default", "web", "ssh"),
        quotas=Quotas(instances=1, cores=0, ram=2**31 - 1, instances_used=5, cores_used=7, ram_used=100),
    )


def _minimal() -> Catalog:
    """A catalog of one flavor, one image and one host: every other section at its default."""
    base = SHIPPED_CATALOG
    return Catalog(
        flavors=base.flavors[:1],
        images=base.images[:1],
        networks=(),
        hosts=(Host(name="only", availability_zone="nova", vcpus=1, memory_mb=1, disk_gb=1),),
    )


#: Catalogs whose round trips are checked, by name.
CATALOGS: dict[str, Catalog] = {
    "shipped": SHIPPED_CATALOG,
    "varied": _varied(),
    "minimal": _minimal(),
    # Filters and weighers set, to none at all: a set value is kept, however empty.
    "empty scheduler lists": replace(
        SHIPPED_CATALOG, scheduler=SchedulerSettings(enabled_filters=(), weighers=(), max_attempts=1)
    ),
    # Only the default group, which the catalog also has when cloud.yaml lists none.
    "only the default security group": replace(SHIPPED_CATALOG, security_groups=("default",)),
    "no default security group": replace(SHIPPED_CATALOG, security_groups=("web",)),
}


def through_json(documents: dict[str, dict[str, Any]], directory: Path) -> Catalog:
    return catalog_from_documents(json.loads(json.dumps(documents)), directory)


def write_yaml(documents: dict[str, dict[str, Any]], directory: Path) -> None:
    """Write the documents as an export does: one YAML file each, fields in the documents' order."""
    for name in CATALOG_FILES:
        (directory / name).write_text(
            yaml.safe_dump(documents[name], sort_keys=False, allow_unicode=True), encoding="utf-8"
        )


def through_yaml_files(documents: dict[str, dict[str, Any]], directory: Path) -> Catalog:
    write_yaml(documents, directory)
    return load_catalog(directory)


#: The ways back from documents to a catalog: as they are, through JSON text, through YAML files.
WAYS_BACK: dict[str, Callable[[dict[str, dict[str, Any]], Path], Catalog]] = {
    "documents": catalog_from_documents,
    "json": through_json,
    "yaml files": through_yaml_files,
}


def plain_types(value: Any) -> set[type]:
    """Every type the documents hold, at any depth (keys too)."""
    if isinstance(value, dict):
        return {dict}.union(*(plain_types(key) | plain_types(item) for key, item in value.items()))
    if isinstance(value, list):
        return {list}.union(*(plain_types(item) for item in value))
    return {type(value)}


@pytest.mark.parametrize("way", WAYS_BACK)
@pytest.mark.parametrize("name", CATALOGS)
def test_a_catalog_comes_back_from_its_documents_as_it_was(name: str, way: str, tmp_path: Path) -> None:
    catalog = CATALOGS[name]
    documents = catalog_documents(catalog)
    assert WAYS_BACK[way](documents, tmp_path) == catalog


@pytest.mark.parametrize("name", CATALOGS)
def test_the_documents_hold_only_plain_values_and_survive_json_unchanged(name: str) -> None:
    documents = catalog_documents(CATALOGS[name])
    assert list(documents) == list(CATALOG_FILES)
    assert plain_types(documents) <= {dict, list, str, int, float, bool, type(None)}
    assert json.loads(json.dumps(documents)) == documents


def test_the_shipped_catalog_round_trips() -> None:
    documents = catalog_documents(load_catalog(shipped_catalog_directory()))
    assert catalog_from_documents(documents, WHERE) == load_catalog(shipped_catalog_directory())


def test_exporting_the_shipped_catalog_as_yaml_files_loads_the_same_catalog(tmp_path: Path) -> None:
    write_yaml(catalog_documents(SHIPPED_CATALOG), tmp_path)
    assert load_catalog(tmp_path) == SHIPPED_CATALOG


def test_the_documents_write_the_fields_as_the_shipped_files_do() -> None:
    documents = catalog_documents(SHIPPED_CATALOG)
    assert documents["flavors.yaml"]["flavors"][0] == {
        "name": "m1.tiny",
        "id": "1",
        "vcpus": 1,
        "ram": 512,
        "disk": 1,
        "extra_specs": {"hw_rng:allowed": "True"},
    }
    assert list(documents["images.yaml"]["images"][0].items()) == [
        ("name", "cirros"),
        ("id", "9f4cbb8e-3c5b-4b8a-9d57-1b6f0c2d8a11"),
        ("status", "active"),
        ("disk_format", "qcow2"),
        ("container_format", "bare"),
        ("size", 21692416),
        ("min_disk", 0),
        ("min_ram", 0),
        ("visibility", "public"),
        ("properties", {"hw_rng_model": "virtio"}),
    ]
    cloud = documents["cloud.yaml"]
    assert list(cloud) == [
        "networks",
        "hosts",
        "server_groups",
        "scheduler",
        "volumes",
        "ports",
        "keypairs",
        "security_groups",
        "quotas",
    ]
    assert list(cloud["networks"][1].items()) == [
        ("name", "public"),
        ("id", "1f3a5c7e-9b2d-4f6a-8c0e-2b4d6f8a0c15"),
        ("router:external", True),
        (
            "subnets",
            [
                {
                    "name": "public-subnet",
                    "id": "3e5a7c9f-1b3d-4e5f-8a0c-2d4f6b8d0f27",
                    "cidr": "172.24.4.0/24",
                    "ip_version": 4,
                    "gateway_ip": "172.24.4.1",
                }
            ],
        ),
    ]
    assert list(cloud["hosts"][2].items()) == [
        ("name", "compute3"),
        ("availability_zone", "nova"),
        ("hypervisor_type", "QEMU"),
        ("status", "disabled"),
        ("disabled_reason", "maintenance"),
        ("state", "up"),
        ("vcpus", 16),
        ("memory_mb", 32768),
        ("disk_gb", 400),
        ("vcpus_used", 0),
        ("memory_mb_used", 0),
        ("disk_gb_used", 0),
        ("cpu_allocation_ratio", 16.0),
        ("ram_allocation_ratio", 1.5),
        ("disk_allocation_ratio", 1.0),
    ]
    assert cloud["hosts"][1]["instances"] == [
        {"uuid": "7f9b1d3e-5a7c-4e9a-8c3d-5f7b9d1f3a52", "name": "web-2"},
        {"uuid": "9b1d3f5a-7c9e-4a1c-8e5f-7b9d1f3a5c74", "name": "db-1"},
    ]
    assert cloud["server_groups"][1] == {
        "id": "4e6a8c0d-2f4b-4c8e-a0d2-4f6a8c0e2b3c",
        "name": "db-near",
        "policy": "affinity",
        "members": ["9b1d3f5a-7c9e-4a1c-8e5f-7b9d1f3a5c74"],
    }
    assert cloud["scheduler"] == {"max_attempts": 3}
    assert cloud["ports"] == [
        {
            "id": "d4e6f8a0-b2c4-4d6e-8f0a-1b3d5f7b9d1f",
            "name": "pre-made-port",
            "network_id": "6b9c0f4e-0b1d-4e2a-9f3c-8d7e6a5b4c31",
            "mac_address": "fa:16:3e:12:34:56",
            "fixed_ip": "10.0.0.50",
            "status": "DOWN",
        }
    ]
    assert cloud["keypairs"] == [{"name": "mykey", "fingerprint": "1e:2c:9b:56:79:4b:45:77:f9:ca:7a:98:2c:b0:d5:3c"}]
    assert cloud["security_groups"] == [{"name": "default"}, {"name": "web"}]
    assert list(cloud["quotas"].items()) == [
        ("instances", 10),
        ("cores", 20),
        ("ram", 51200),
        ("in_use", {"instances": 0, "cores": 0, "ram": 0}),
    ]


def test_the_varied_documents_write_what_differs_from_the_defaults() -> None:
    cloud = catalog_documents(CATALOGS["varied"])["cloud.yaml"]
    compute1, compute2, compute3, compute4, edge = cloud["hosts"]
    assert [key for key in compute1 if key.endswith("_allocation_ratio")] == []
    assert [(key, compute2[key]) for key in compute2 if key.endswith("_allocation_ratio")] == [
        ("cpu_allocation_ratio", 4.0)
    ]
    assert (compute2["state"], compute2["hypervisor_type"]) == ("down", "ironic")
    assert compute3["disabled_reason"] == "disk 2 replaced — back on Monday"
    assert "traits" not in compute3 and "aggregates" not in compute3 and "instances" not in compute3
    assert "disabled_reason" not in compute4
    assert [(key, compute4[key]) for key in compute4 if key.endswith("_allocation_ratio")] == [
        ("ram_allocation_ratio", 0.5),
        ("disk_allocation_ratio", 2.25),
    ]
    assert (compute4["traits"], compute4["aggregates"]) == (["CUSTOM_GPU", "HW_CPU_X86_AVX512F"], ["gpu", "az2-hosts"])
    assert compute4["instances"] == [{"uuid": GPU_INSTANCE.uuid, "name": "gpu-1"}]
    assert (edge["status"], edge["disabled_reason"]) == ("enabled", "was disabled once")
    assert cloud["networks"][3] == {
        "name": "v6-only",
        "id": "8f0a2c4e-6a8c-4d0f-b2c4-6a8c0e2a4c6e",
        "router:external": False,
        "subnets": [
            {
                "name": "v6",
                "id": "9a1b3d5f-7b9d-4e1a-83d5-7b9d1f3b5d7f",
                "cidr": "2001:db8::/32",
                "ip_version": 6,
                "gateway_ip": "2001:db8::1",
            }
        ],
    }
    assert cloud["server_groups"][3] == {
        "id": "3c5e7f9b-1d3f-4a5c-9e7f-9b1d3f5a7c9e",
        "name": "empty",
        "policy": "anti-affinity",
    }
    assert cloud["scheduler"] == {
        "enabled_filters": ["RetryFilter", "RamFilter", "ComputeFilter", "SameHostFilter"],
        "weighers": {"RAMWeigher": -1.0, "CPUWeigher": 2.5, "DiskWeigher": 0.0},
        "max_attempts": 7,
    }
    assert cloud["ports"][1] == {
        "id": "6f9b1d3f-5a7c-4e9b-9d3f-5a7c9e1b3d5f",
        "network_id": "6b9c0f4e-0b1d-4e2a-9f3c-8d7e6a5b4c31",
        "mac_address": "fa:16:3e:00:00:09",
        "fixed_ip": "10.0.0.9",
        "status": "ACTIVE",
    }
    assert cloud["keypairs"][1] == {"name": "no-fingerprint", "fingerprint": "-"}
    assert cloud["quotas"] == {
        "instances": 1,
        "cores": 0,
        "ram": 2**31 - 1,
        "in_use": {"instances": 5, "cores": 7, "ram": 100},
    }
    flavors = catalog_documents(CATALOGS["varied"])["flavors.yaml"]["flavors"]
    assert flavors[-2:] == [
        {
            "name": "m1.ephemeral",
            "id": "e1",
            "vcpus": 2,
            "ram": 2048,
            "disk": 10,
            "ephemeral": 5,
            "swap": 512,
            "extra_specs": {"hw:cpu_policy": "dedicated", "quota:disk_read_bytes_sec": "10240000"},
        },
        {"name": "m1.swap-only", "id": "e2", "vcpus": 1, "ram": 1, "disk": 0, "swap": 2**31 - 1},
    ]


def test_a_minimal_catalog_writes_every_section_and_comes_back_with_the_defaults() -> None:
    documents = catalog_documents(CATALOGS["minimal"])
    assert documents["cloud.yaml"] == {
        "networks": [],
        "hosts": [
            {
                "name": "only",
                "availability_zone": "nova",
                "hypervisor_type": "QEMU",
                "status": "enabled",
                "state": "up",
                "vcpus": 1,
                "memory_mb": 1,
                "disk_gb": 1,
                "vcpus_used": 0,
                "memory_mb_used": 0,
                "disk_gb_used": 0,
                "cpu_allocation_ratio": 16.0,
                "ram_allocation_ratio": 1.5,
                "disk_allocation_ratio": 1.0,
            }
        ],
        "server_groups": [],
        "scheduler": {"max_attempts": 3},
        "volumes": [],
        "ports": [],
        "keypairs": [],
        "security_groups": [{"name": "default"}],
        "quotas": {"instances": 10, "cores": 20, "ram": 51200, "in_use": {"instances": 0, "cores": 0, "ram": 0}},
    }
    # Sections left out altogether are the same defaults.
    bare = {**documents, "cloud.yaml": {"networks": [], "hosts": documents["cloud.yaml"]["hosts"]}}
    assert catalog_from_documents(bare, WHERE) == CATALOGS["minimal"]


def test_a_port_without_a_name_loads_from_a_file_as_unnamed(tmp_path: Path) -> None:
    documents = catalog_documents(SHIPPED_CATALOG)
    del documents["cloud.yaml"]["ports"][0]["name"]
    write_yaml(documents, tmp_path)
    assert load_catalog(tmp_path).ports[0].name == ""
    documents["cloud.yaml"]["ports"][0]["name"] = ""
    with pytest.raises(CatalogError) as caught:
        catalog_from_documents(documents, WHERE)
    assert str(caught.value) == "exported/cloud.yaml: ports[0] (), field 'name': must not be empty"


def test_a_keypair_with_the_models_empty_fingerprint_comes_back_with_the_loaders() -> None:
    catalog = replace(SHIPPED_CATALOG, keypairs=(Keypair(name="made-in-python"),))
    assert catalog_documents(catalog)["cloud.yaml"]["keypairs"] == [{"name": "made-in-python"}]
    assert catalog_from_documents(catalog_documents(catalog), WHERE).keypairs == (
        Keypair(name="made-in-python", fingerprint="-"),
    )


# --- Hosts of every shape, by hypothesis ---------------------------------------------------------------------

#: Text a catalog may hold: printable (no control character, no lone surrogate), not only blanks.
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=12).filter(str.strip)
RATIO = st.floats(min_value=0, max_value=1000, exclude_min=True, allow_nan=False)
DEFAULT_RATIOS = {"cpu": 16.0, "ram": 1.5, "disk": 1.0}


@st.composite
def hosts(draw: st.DrawFn) -> Host:
    given = draw(st.frozensets(st.sampled_from(("cpu", "ram", "disk"))))
    ratios = {kind: draw(RATIO) if kind in given else DEFAULT_RATIOS[kind] for kind in ("cpu", "ram", "disk")}
    status = draw(st.sampled_from(("enabled", "disabled")))
    return Host(
        name=draw(TEXT),
        availability_zone=draw(TEXT),
        vcpus=draw(st.integers(1, 4096)),
        memory_mb=draw(st.integers(1, 2**31 - 1)),
        disk_gb=draw(st.integers(1, 2**20)),
        vcpus_used=draw(st.integers(0, 4096 * 1000)),
        memory_mb_used=draw(st.integers(0, (2**31 - 1) * 1000)),
        disk_gb_used=draw(st.integers(0, 2**20 * 1000)),
        cpu_allocation_ratio=ratios["cpu"],
        ram_allocation_ratio=ratios["ram"],
        disk_allocation_ratio=ratios["disk"],
        status=status,
        disabled_reason=draw(st.none() | TEXT),
        state=draw(st.sampled_from(("up", "down"))),
        hypervisor_type=draw(TEXT),
        traits=tuple(draw(st.lists(TEXT, max_size=3))),
        aggregates=tuple(draw(st.lists(TEXT, max_size=3))),
        instances=tuple(
            draw(st.lists(st.builds(HostInstance, uuid=TEXT, name=TEXT), max_size=3, unique_by=lambda i: i.uuid))
        ),
        given_ratios=given,
    )


@given(host=hosts())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_host_comes_back_from_documents_and_from_json(host: Host) -> None:
    catalog = replace(SHIPPED_CATALOG, hosts=(host,), server_groups=())
    documents = catalog_documents(catalog)
    assert catalog_from_documents(documents, WHERE) == catalog
    assert through_json(documents, WHERE) == catalog
    ratios = {key for key in documents["cloud.yaml"]["hosts"][0] if key.endswith("_allocation_ratio")}
    assert ratios == {f"{kind}_allocation_ratio" for kind in host.given_ratios}


# --- Bad documents: the file's one-line errors, without the line ---------------------------------------------


def error_of(documents: Any, where: Path = WHERE) -> str:
    with pytest.raises(CatalogError) as caught:
        catalog_from_documents(documents, where)
    message = str(caught.value)
    assert "\n" not in message
    return message


def file_error_of(documents: dict[str, dict[str, Any]], directory: Path) -> str:
    """The error ``load_catalog`` gives for the documents written as YAML files."""
    write_yaml(documents, directory)
    with pytest.raises(CatalogError) as caught:
        load_catalog(directory)
    return str(caught.value)


def changed(change: Callable[[dict[str, dict[str, Any]]], object]) -> dict[str, dict[str, Any]]:
    """The shipped catalog's documents with one change made."""
    documents = catalog_documents(SHIPPED_CATALOG)
    change(documents)
    return documents


def test_a_host_missing_vcpus(tmp_path: Path) -> None:
    documents = changed(lambda d: d["cloud.yaml"]["hosts"][0].pop("vcpus"))
    cloud = tmp_path / "cloud.yaml"
    assert error_of(documents, tmp_path) == f"{cloud}: hosts[0] (compute1), field 'vcpus': is missing"
    assert file_error_of(documents, tmp_path) == f"{cloud}: hosts[0] (compute1), field 'vcpus' (line 21): is missing"
    assert error_of(json.loads(json.dumps(documents)), WHERE) == (
        "exported/cloud.yaml: hosts[0] (compute1), field 'vcpus': is missing"
    )


def test_text_where_a_whole_number_is_needed(tmp_path: Path) -> None:
    documents = changed(lambda d: d["flavors.yaml"]["flavors"][0].update(ram="512"))
    flavors = tmp_path / "flavors.yaml"
    assert error_of(documents, tmp_path) == (
        f"{flavors}: flavors[0] (m1.tiny), field 'ram': must be a whole number, got '512'"
    )
    assert file_error_of(documents, tmp_path) == (
        f"{flavors}: flavors[0] (m1.tiny), field 'ram' (line 2): must be a whole number, got '512'"
    )


def test_a_control_character_in_a_name(tmp_path: Path) -> None:
    documents = changed(lambda d: d["cloud.yaml"]["hosts"][1].update(name="compute2\x1b[31m"))
    cloud = tmp_path / "cloud.yaml"
    assert error_of(documents, tmp_path) == (
        f"{cloud}: hosts[1] (compute2\\x1b[31m), field 'name': holds a control character (U+001B, escape); "
        "catalog text must be printable"
    )
    assert file_error_of(documents, tmp_path) == (
        f"{cloud}: hosts[1] (compute2\\x1b[31m), field 'name' (line 43): holds a control character (U+001B, escape); "
        "catalog text must be printable"
    )


def test_a_control_character_in_a_key_of_extra_specs() -> None:
    documents = changed(lambda d: d["flavors.yaml"]["flavors"][1]["extra_specs"].update({"hw:\x07": "x"}))
    assert error_of(documents) == (
        "exported/flavors.yaml: flavors[1] (m1.small), field 'extra_specs': the key 'hw:\\x07' in extra_specs holds "
        "a control character (U+0007); catalog text must be printable"
    )


def test_json_gives_what_yaml_gives_for_nan_and_a_lone_surrogate() -> None:
    documents = changed(lambda d: d["cloud.yaml"]["hosts"][0].update(cpu_allocation_ratio=math.nan))
    assert error_of(json.loads(json.dumps(documents))) == (
        "exported/cloud.yaml: hosts[0] (compute1), field 'cpu_allocation_ratio': must be a finite number, got nan"
    )
    text = json.dumps(catalog_documents(SHIPPED_CATALOG)).replace('"name": "mykey"', '"name": "my\\ud800key"')
    assert error_of(json.loads(text)) == (
        "exported/cloud.yaml: keypairs[0] (my\\ud800key), field 'name': holds a control character (U+D800); "
        "catalog text must be printable"
    )


def test_a_document_that_is_not_a_mapping_or_is_missing() -> None:
    documents: dict[str, Any] = {**catalog_documents(SHIPPED_CATALOG), "images.yaml": ["cirros"]}
    assert error_of(documents) == "exported/images.yaml: must be a mapping of sections, got a list"
    del documents["images.yaml"]
    assert error_of(documents) == (
        "exported/images.yaml: catalog file not found; a catalog directory must hold "
        "flavors.yaml, images.yaml, cloud.yaml"
    )


def test_a_section_missing_or_empty() -> None:
    assert error_of(changed(lambda d: d["cloud.yaml"].pop("hosts"))) == (
        "exported/cloud.yaml: the top-level key 'hosts:' is missing"
    )
    assert error_of(changed(lambda d: d["flavors.yaml"].update(flavors=[]))) == (
        "exported/flavors.yaml: 'flavors:' lists no flavor"
    )


def _nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    return value


def _holding_itself(documents: dict[str, dict[str, Any]]) -> None:
    host = documents["cloud.yaml"]["hosts"][0]
    host["self"] = host


#: What no YAML or JSON file holds, and the error it gets.
NOT_FROM_A_FILE = {
    "a tuple": (
        lambda d: d["cloud.yaml"]["hosts"][0].update(traits=("HW_CPU_X86_AVX2",)),
        "exported/cloud.yaml: hosts[0]['traits'] is of type tuple; "
        "a catalog holds only text, numbers, true and false, null, lists and mappings",
    ),
    "bytes in a list": (
        lambda d: d["cloud.yaml"]["hosts"][0].update(aggregates=[b"ssd"]),
        "exported/cloud.yaml: hosts[0]['aggregates'][0] is of type bytes; "
        "a catalog holds only text, numbers, true and false, null, lists and mappings",
    ),
    "a tuple as a key": (
        lambda d: d["flavors.yaml"]["flavors"][0]["extra_specs"].update({("hw", "rng"): "True"}),
        "exported/flavors.yaml: a key in flavors[0]['extra_specs'] is of type tuple; "
        "a catalog holds only text, numbers, true and false, null, lists and mappings",
    ),
    "a set as a section": (
        lambda d: d["cloud.yaml"].update(keypairs={"mykey"}),
        "exported/cloud.yaml: keypairs is of type set; "
        "a catalog holds only text, numbers, true and false, null, lists and mappings",
    ),
    "a number of 1001 digits": (
        lambda d: d["flavors.yaml"]["flavors"][0].update(ram=10**1000),
        "exported/flavors.yaml: flavors[0]['ram'] is a number of more than 1000 digits, longer than any catalog needs",
    ),
    "a number of 5000 digits as a key": (
        lambda d: d["images.yaml"]["images"][0]["properties"].update({10**5000: "x"}),
        "exported/images.yaml: a key in images[0]['properties'] is a number of more than 1000 digits, "
        "longer than any catalog needs",
    ),
    "lists 33 deep": (
        lambda d: d["cloud.yaml"]["hosts"][0].update(traits=_nested(30)),
        "exported/cloud.yaml: hosts[0]['traits'][0][0][0][0][0][0][0][0][0][0][0][0][0][0]…: "
        "lists and mappings nest more than 32 deep here, deeper than a catalog needs",
    ),
    "a mapping that holds itself": (
        _holding_itself,
        "exported/cloud.yaml: hosts[0]['self']['self']['self']['self']['self']['self']['se…: "
        "lists and mappings nest more than 32 deep here, deeper than a catalog needs",
    ),
}


@pytest.mark.parametrize("case", NOT_FROM_A_FILE)
def test_what_no_file_could_hold_is_refused_in_one_line(case: str) -> None:
    change, message = NOT_FROM_A_FILE[case]
    assert error_of(changed(change)) == message


def test_lists_32_deep_are_as_deep_as_a_file_may_nest(tmp_path: Path) -> None:
    # The document is a mapping (1), hosts a list (2), a host a mapping (3): traits may nest 29 lists more.
    documents = changed(lambda d: d["cloud.yaml"]["hosts"][0].update(traits=_nested(29)))
    deep = "exported/cloud.yaml: hosts[0] (compute1), field 'traits': must be a list of names, got a list"
    assert error_of(documents) == deep
    assert file_error_of(documents, tmp_path) == (
        f"{tmp_path / 'cloud.yaml'}: hosts[0] (compute1), field 'traits' (line 21): must be a list of names, got a list"
    )
    deeper = changed(lambda d: d["cloud.yaml"]["hosts"][0].update(traits=_nested(30)))
    assert error_of(deeper) == NOT_FROM_A_FILE["lists 33 deep"][1]
    assert file_error_of(deeper, tmp_path) == (
        f"{tmp_path / 'cloud.yaml'}, line 36, column 61: lists and mappings nest more than 32 deep here, "
        "deeper than a catalog needs"
    )


def test_write_catalog_quotes_text_yaml_would_read_as_something_else(tmp_path: Path) -> None:
    """A flavor id 1e5, an image called yes, a key 0o10: written quoted, they load back as the same text."""
    from bootwalk.catalog import write_catalog

    flavor = replace(SHIPPED_CATALOG.flavors[0], id="1e5", name="0o10", extra_specs={"on": "0x1F", "null": "~"})
    image = replace(SHIPPED_CATALOG.images[0], name="yes", properties={"1_000": "12:30"})
    catalog = replace(SHIPPED_CATALOG, flavors=(flavor, *SHIPPED_CATALOG.flavors[1:]),
                      images=(image, *SHIPPED_CATALOG.images[1:]), instances_made=7)  # fmt: skip
    written = write_catalog(tmp_path / "out", catalog)
    assert [path.name for path in written] == ["flavors.yaml", "images.yaml", "cloud.yaml"]
    assert load_catalog(tmp_path / "out") == catalog
    assert "instances_made: 7" in (tmp_path / "out" / "cloud.yaml").read_text()


def test_write_catalog_overwrites_nothing(tmp_path: Path) -> None:
    from bootwalk.catalog import CatalogError, write_catalog

    (tmp_path / "cloud.yaml").write_text("mine\n")
    with pytest.raises(CatalogError) as raised:
        write_catalog(tmp_path, SHIPPED_CATALOG)
    assert str(raised.value) == (
        f"{tmp_path / 'cloud.yaml'} exists: export into a directory without catalog files, so nothing is lost"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cloud.yaml"]
    assert (tmp_path / "cloud.yaml").read_text() == "mine\n"

"""Loading and validating the catalogs: the shipped content and every error path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bootwalk.catalog import CatalogError, catalog_directory, load_catalog, shipped_catalog_directory
from bootwalk.model import Catalog

SHIPPED = shipped_catalog_directory()


@pytest.fixture
def own(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalogs."""
    for name in ("flavors.yaml", "images.yaml", "cloud.yaml"):
        shutil.copyfile(SHIPPED / name, tmp_path / name)
    return tmp_path


def error_of(directory: Path) -> str:
    with pytest.raises(CatalogError) as caught:
        load_catalog(directory)
    return str(caught.value)


def test_classic_flavors_have_their_real_ids_and_sizes(catalog: Catalog) -> None:
    sizes = {f.name: (f.id, f.vcpus, f.ram, f.disk) for f in catalog.flavors}
    assert sizes["m1.tiny"] == ("1", 1, 512, 1)
    assert sizes["m1.small"] == ("2", 1, 2048, 20)
    assert sizes["m1.medium"] == ("3", 2, 4096, 40)
    assert sizes["m1.large"] == ("4", 4, 8192, 80)
    assert sizes["m1.xlarge"] == ("5", 8, 16384, 160)
    assert sizes["m1.nano"] == ("42", 1, 192, 1)
    assert sizes["m1.micro"] == ("84", 1, 256, 1)


def test_cirros_has_cirros_properties(catalog: Catalog) -> None:
    cirros = next(image for image in catalog.images if image.name == "cirros")
    assert (cirros.status, cirros.disk_format, cirros.container_format) == ("active", "qcow2", "bare")
    assert (cirros.min_disk, cirros.min_ram, cirros.size) == (0, 0, 21692416)


def test_images_include_one_too_big_for_tiny_and_one_not_active(catalog: Catalog) -> None:
    tiny = next(flavor for flavor in catalog.flavors if flavor.name == "m1.tiny")
    too_big = [
        image for image in catalog.images
        if image.min_ram > tiny.ram or image.min_disk > tiny.disk or image.size > tiny.disk * 2**30
    ]  # fmt: skip
    assert too_big
    assert [image.status for image in catalog.images if image.status != "active"] == ["queued"]


def test_networks_and_hosts(catalog: Catalog) -> None:
    networks = {network.name: network for network in catalog.networks}
    assert networks["private"].subnets[0].cidr == "10.0.0.0/22"
    assert networks["public"].subnets[0].cidr == "172.24.4.0/24"
    assert networks["public"].external
    assert len(catalog.hosts) >= 3


def test_catalog_directory_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert catalog_directory(None) == SHIPPED
    monkeypatch.setenv("BOOTWALK_CATALOG", str(tmp_path))
    assert catalog_directory(None) == tmp_path
    assert catalog_directory("/elsewhere") == Path("/elsewhere")


def test_shipped_catalogs_are_the_top_level_files() -> None:
    top = Path(__file__).parent.parent
    for name in ("flavors.yaml", "images.yaml", "cloud.yaml"):
        assert (SHIPPED / name).read_bytes() == (top / name).read_bytes()


def test_shipped_catalogs_are_the_packages_own_when_it_has_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installed wheel has bootwalk/catalogs/; a source checkout has only the files beside the package."""
    import bootwalk.catalog

    top = tmp_path.resolve()
    package = top / "bootwalk"
    package.mkdir()
    monkeypatch.setattr(bootwalk.catalog, "__file__", str(package / "catalog.py"))
    assert shipped_catalog_directory() == top
    (package / "catalogs").mkdir()
    assert shipped_catalog_directory() == package / "catalogs"


def test_missing_directory(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert error_of(missing) == (
        f"{missing}: catalog directory not found; give --catalog (or BOOTWALK_CATALOG) a directory "
        "holding flavors.yaml, images.yaml, cloud.yaml"
    )


def test_missing_file(own: Path) -> None:
    (own / "images.yaml").unlink()
    assert error_of(own) == (
        f"{own / 'images.yaml'}: catalog file not found; a catalog directory must hold "
        "flavors.yaml, images.yaml, cloud.yaml"
    )


def test_unreadable_file(own: Path) -> None:
    (own / "cloud.yaml").unlink()
    (own / "cloud.yaml").mkdir()
    assert error_of(own) == f"{own / 'cloud.yaml'}: is a directory, not a catalog file"


def test_not_utf8(own: Path) -> None:
    (own / "flavors.yaml").write_bytes(b"flavors: [\xff\xfe]\n")
    assert error_of(own) == f"{own / 'flavors.yaml'}: is not UTF-8 text (invalid start byte)"


def test_malformed_yaml_names_the_line(own: Path) -> None:
    (own / "flavors.yaml").write_text("flavors:\n  - {name: a, id: 1\n  - oops\n", encoding="utf-8")
    assert (
        error_of(own) == f"{own / 'flavors.yaml'}, line 4, column 1: not valid YAML: did not find expected ',' or '}}'"
    )


def test_python_tags_are_refused(own: Path) -> None:
    (own / "flavors.yaml").write_text("flavors: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    message = error_of(own)
    assert message.startswith(f"{own / 'flavors.yaml'}, line 1, column 10: not valid YAML: ")
    assert "could not determine a constructor" in message


def test_document_must_be_a_mapping(own: Path) -> None:
    (own / "images.yaml").write_text("- a\n- b\n", encoding="utf-8")
    assert error_of(own) == f"{own / 'images.yaml'}: must be a mapping of sections, got a list"


def test_section_missing(own: Path) -> None:
    (own / "images.yaml").write_text("pictures: []\n", encoding="utf-8")
    assert error_of(own) == f"{own / 'images.yaml'}: the top-level key 'images:' is missing"


def test_section_not_a_list(own: Path) -> None:
    (own / "flavors.yaml").write_text("flavors: m1.tiny\n", encoding="utf-8")
    assert error_of(own) == f"{own / 'flavors.yaml'}: 'flavors:' must be a list, got 'm1.tiny'"


def test_empty_section(own: Path) -> None:
    (own / "flavors.yaml").write_text("flavors: []\n", encoding="utf-8")
    assert error_of(own) == f"{own / 'flavors.yaml'}: 'flavors:' lists no flavor"


def test_entry_not_a_mapping(own: Path) -> None:
    (own / "flavors.yaml").write_text("flavors:\n  - m1.tiny\n", encoding="utf-8")
    assert error_of(own) == f"{own / 'flavors.yaml'}: flavors[0] must be a mapping of fields, got 'm1.tiny'"


def test_missing_field_names_entry_field_and_line(own: Path) -> None:
    (own / "flavors.yaml").write_text(
        "flavors:\n  - {name: a, id: '1', vcpus: 1, ram: 512, disk: 1}\n  - {name: b, id: '2', vcpus: 1, ram: 512}\n",
        encoding="utf-8",
    )
    assert error_of(own) == f"{own / 'flavors.yaml'}: flavors[1] (b), field 'disk' (line 3): is missing"


def test_wrong_type_names_entry_field_and_line(own: Path) -> None:
    (own / "flavors.yaml").write_text(
        "flavors:\n  - name: a\n    id: '1'\n    vcpus: two\n    ram: 512\n    disk: 1\n", encoding="utf-8"
    )
    assert (
        error_of(own)
        == f"{own / 'flavors.yaml'}: flavors[0] (a), field 'vcpus' (line 2): must be a whole number, got 'two'"
    )


def test_boolean_is_not_a_number(own: Path) -> None:
    (own / "flavors.yaml").write_text(
        "flavors:\n  - {name: a, id: '1', vcpus: 1, ram: true, disk: 1}\n", encoding="utf-8"
    )
    assert "field 'ram' (line 2): must be a whole number, got true (a boolean)" in error_of(own)


def test_number_below_minimum(own: Path) -> None:
    (own / "flavors.yaml").write_text("flavors:\n  - {name: a, id: '1', vcpus: 0, ram: 1, disk: 1}\n", encoding="utf-8")
    assert error_of(own).endswith("flavors[0] (a), field 'vcpus' (line 2): must be 1 or more, got 0")


def test_unknown_field_is_a_typo(own: Path) -> None:
    (own / "flavors.yaml").write_text(
        "flavors:\n  - {name: a, id: '1', vcpu: 1, vcpus: 1, ram: 1, disk: 1}\n", encoding="utf-8"
    )
    assert error_of(own).endswith(
        "flavors[0] (a), field 'vcpu' (line 2): is not a known field; known fields: description, disk, "
        "ephemeral, extra_specs, id, name, ram, swap, vcpus"
    )


def test_bad_choice(own: Path) -> None:
    text = (own / "images.yaml").read_text(encoding="utf-8").replace("status: active", "status: ready", 1)
    (own / "images.yaml").write_text(text, encoding="utf-8")
    assert "images[0] (cirros), field 'status' (line 10): must be one of queued, saving" in error_of(own)


def test_duplicate_ids(own: Path) -> None:
    (own / "flavors.yaml").write_text(
        "flavors:\n  - {name: a, id: '1', vcpus: 1, ram: 1, disk: 1}\n  - {name: b, id: '1', vcpus: 1, ram: 1, disk: 1}\n",
        encoding="utf-8",
    )
    assert error_of(own) == f"{own / 'flavors.yaml'}: flavors[1]: id '1' is used twice"


def test_bad_cidr_and_gateway(own: Path) -> None:
    cloud = own / "cloud.yaml"
    original = cloud.read_text(encoding="utf-8")
    cloud.write_text(original.replace("cidr: 10.0.0.0/22", "cidr: 10.0.0.0/33"), encoding="utf-8")
    assert (
        "networks[0].subnets[0] (private-subnet), field 'cidr' (line 14): must be a network such as 10.0.0.0/22, got '10.0.0.0/33'"
        in error_of(own)
    )
    cloud.write_text(original.replace("gateway_ip: 10.0.0.1", "gateway_ip: 10.9.0.1"), encoding="utf-8")
    assert "field 'gateway_ip' (line 14): 10.9.0.1 is not inside 10.0.0.0/22" in error_of(own)


def test_port_on_unknown_network(own: Path) -> None:
    cloud = own / "cloud.yaml"
    text = cloud.read_text(encoding="utf-8").replace(
        "network_id: 6b9c0f4e-0b1d-4e2a-9f3c-8d7e6a5b4c31,\n", "network_id: nope,\n"
    )
    cloud.write_text(text, encoding="utf-8")
    assert error_of(own) == f"{cloud}: ports[0], field 'network_id': no network has the id 'nope'"


def test_own_catalog_loads(own: Path) -> None:
    (own / "flavors.yaml").write_text(
        "flavors:\n  - {name: big, id: b1, vcpus: 64, ram: 262144, disk: 1000}\n", encoding="utf-8"
    )
    loaded = load_catalog(own)
    assert [flavor.name for flavor in loaded.flavors] == ["big"]


def test_scheduler_section_loads(catalog: Catalog) -> None:
    # The shipped cloud leaves filters and weighers to each flow's defaults.
    assert (catalog.scheduler.enabled_filters, catalog.scheduler.weighers) == (None, None)
    assert catalog.scheduler.max_attempts == 3
    assert [(g.name, g.policy) for g in catalog.server_groups] == [("web-ha", "anti-affinity"), ("db-near", "affinity")]
    assert [i.name for i in catalog.hosts[1].instances] == ["web-2", "db-1"]
    assert catalog.hosts[0].traits == ("HW_CPU_X86_AVX2", "STORAGE_DISK_SSD")
    assert catalog.hosts[0].aggregates == ("ssd",)


#: The scheduler section with filters and weighers set, as a cloud.yaml of one's own may have it.
CONFIGURED_SCHEDULER = (
    "enabled_filters: [RetryFilter, AvailabilityZoneFilter, RamFilter, ComputeFilter]\n"
    "  weighers: {RAMWeigher: 1.0}\n"
    "  max_attempts: 3"
)


def _configure_scheduler(own: Path) -> None:
    _rewrite_cloud(own, "max_attempts: 3", CONFIGURED_SCHEDULER)


def test_a_configured_scheduler_section_loads(own: Path) -> None:
    _configure_scheduler(own)
    loaded = load_catalog(own).scheduler
    assert loaded.enabled_filters == ("RetryFilter", "AvailabilityZoneFilter", "RamFilter", "ComputeFilter")
    assert (loaded.weighers, loaded.max_attempts) == ((("RAMWeigher", 1.0),), 3)


def _rewrite_cloud(own: Path, old: str, new: str) -> Path:
    cloud = own / "cloud.yaml"
    text = cloud.read_text(encoding="utf-8")
    assert old in text
    cloud.write_text(text.replace(old, new, 1), encoding="utf-8")
    return cloud


def test_unknown_filter_names_the_file_and_the_field(own: Path) -> None:
    _configure_scheduler(own)
    cloud = _rewrite_cloud(own, "[RetryFilter, AvailabilityZoneFilter,", "[RetryFilter, AvailabiltyZoneFilter,")
    assert error_of(own).startswith(
        f"{cloud}: scheduler, field 'enabled_filters' (line 60): unknown filter 'AvailabiltyZoneFilter'; "
        "known filters: RetryFilter, AvailabilityZoneFilter, RamFilter, CoreFilter, DiskFilter,"
    )


def test_unknown_weigher_and_bad_multiplier(own: Path) -> None:
    _configure_scheduler(own)
    _rewrite_cloud(own, "weighers: {RAMWeigher: 1.0}", "weighers: {RamWeigher: 1.0}")
    assert "scheduler, field 'weighers' (line 60): unknown weigher 'RamWeigher'; known weighers:" in error_of(own)
    _rewrite_cloud(own, "weighers: {RamWeigher: 1.0}", "weighers: {RAMWeigher: lots}")
    assert "field 'weighers' (line 60): the multiplier of RAMWeigher must be a number, got 'lots'" in error_of(own)


def test_max_attempts_must_be_at_least_one(own: Path) -> None:
    _rewrite_cloud(own, "max_attempts: 3", "max_attempts: 0")
    assert "scheduler, field 'max_attempts' (line 60): must be 1 or more, got 0" in error_of(own)


def test_server_group_member_must_be_on_a_host(own: Path) -> None:
    cloud = _rewrite_cloud(
        own,
        "members: [9b1d3f5a-7c9e-4a1c-8e5f-7b9d1f3a5c74]",
        "members: [00000000-0000-4000-8000-000000000000]",
    )
    assert error_of(own) == (
        f"{cloud}: server_groups[1] (db-near), field 'members': no host lists an instance with the uuid "
        "'00000000-0000-4000-8000-000000000000'"
    )


def test_bad_server_group_policy_and_host_instances(own: Path) -> None:
    _rewrite_cloud(own, "policy: affinity,", "policy: soft-affinity,")
    assert "server_groups[1] (db-near), field 'policy' (line 51): must be one of affinity, anti-affinity" in error_of(
        own
    )
    _rewrite_cloud(own, "policy: soft-affinity,", "policy: affinity,")
    _rewrite_cloud(own, "instances: [{uuid: 5d7f9b1c-3e5a-4c7e-9a1b-3d5f7a9c1e30, name: web-1}]", "instances: [web-1]")
    assert "hosts[0].instances[0] must be a mapping with uuid and name" in error_of(own)


def test_a_filter_listed_twice_names_the_field(own: Path) -> None:
    _configure_scheduler(own)
    cloud = _rewrite_cloud(own, "[RetryFilter, AvailabilityZoneFilter,", "[RetryFilter, RetryFilter,")
    assert error_of(own) == f"{cloud}: scheduler, field 'enabled_filters' (line 60): lists a filter twice"


def test_quota_in_use_must_be_a_mapping(own: Path) -> None:
    cloud = _rewrite_cloud(own, "in_use: {instances: 0, cores: 0, ram: 0}", "in_use: 3")
    assert error_of(own).startswith(f"{cloud}: quotas, field 'in_use'")
    assert error_of(own).endswith("must be a mapping of instances, cores and ram, got 3")


def test_the_shipped_catalog_built_ahead_equals_what_loading_the_yaml_gives() -> None:
    import sys

    from bootwalk.shipped_catalog import CATALOG

    root = Path(__file__).resolve().parent.parent
    assert load_catalog(root) == CATALOG
    sys.path.insert(0, str(root / "tools"))
    try:
        import shipped_catalog
    finally:
        sys.path.remove(str(root / "tools"))
    written = (root / "bootwalk" / "shipped_catalog.py").read_text(encoding="utf-8")
    assert shipped_catalog.render() == written, (
        "bootwalk/shipped_catalog.py is stale: run python tools/shipped_catalog.py"
    )


def test_a_walk_with_the_shipped_catalog_imports_neither_yaml_nor_the_loader() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from bootwalk.cli import main\n"
        "try:\n"
        "    main(['boot', '--image', 'cirros', '--flavor', 'm1.tiny', '--nic', 'net-name=private', 'vm', '-f', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('yaml', 'bootwalk.catalog', 'hashlib', 'pathlib') if m in sys.modules), file=sys.stderr)\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "BOOTWALK_CATALOG"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=environment, check=False
    )
    assert done.stderr.strip().splitlines()[-1] == "[]"

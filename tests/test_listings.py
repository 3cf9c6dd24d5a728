"""The catalog listings: readable at 80 columns, IDs cut unless --long, JSON with the catalog's names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bootwalk.cli import cli
from bootwalk.exit_codes import ExitCode
from bootwalk.listing import short_id
from bootwalk.model import Catalog
from tests.test_catalog import SHIPPED

LISTS = [
    "flavor-list",
    "image-list",
    "net-list",
    "host-list",
    "server-group-list",
    "volume-list",
    "port-list",
    "keypair-list",
    "security-group-list",
]


def run(arguments: list[str], columns: int = 80):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, arguments, prog_name="bootwalk", env={"COLUMNS": str(columns)})


def _stripped(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


@pytest.mark.parametrize("command", LISTS)
def test_list_golden_at_80_columns(command: str, golden) -> None:  # type: ignore[no-untyped-def]
    result = run([command])
    assert (result.exit_code, result.stderr) == (0, "")
    golden(f"{command}-80.txt", _stripped(result.stdout))


def _words_that_must_stay_whole(catalog: Catalog) -> list[str]:
    """Every name and every short ID the shipped catalog's tables show."""
    words = [host.name for host in catalog.hosts]
    words += [flavor.name for flavor in catalog.flavors]
    words += [image.name for image in catalog.images] + [short_id(image.id) for image in catalog.images]
    for network in catalog.networks:
        words += [network.name, short_id(network.id), *(short_id(subnet.id) for subnet in network.subnets)]
    words += [group.name for group in catalog.server_groups] + [short_id(g.id) for g in catalog.server_groups]
    words += [volume.name for volume in catalog.volumes] + [short_id(volume.id) for volume in catalog.volumes]
    words += [port.name for port in catalog.ports] + [short_id(port.id) for port in catalog.ports]
    words += [port.mac_address for port in catalog.ports] + [key.fingerprint for key in catalog.keypairs]
    return words + [key.name for key in catalog.keypairs] + list(catalog.security_groups)


def test_every_list_fits_80_columns_and_breaks_no_word(catalog: Catalog) -> None:
    shown = ""
    for command in LISTS:
        text = run([command]).stdout
        assert max(len(line) for line in text.splitlines()) <= 80, command
        shown += text
    lines = shown.splitlines()
    for word in _words_that_must_stay_whole(catalog):
        assert any(f" {word} " in line or f" {word}," in line for line in lines), word


def test_ids_are_cut_to_eight_characters_and_long_shows_them_whole(catalog: Catalog) -> None:
    group = catalog.server_groups[0].id
    short = run(["server-group-list"]).stdout
    assert f"| {group[:8]}… |" in short and group not in short
    assert "IDs are cut to 8 characters; --long shows them whole." in short
    whole = run(["server-group-list", "--long"]).stdout
    assert f"| {group} |" in whole and "…" not in whole
    volume = catalog.volumes[0].id
    assert f"| {volume[:8]}… |" in run(["volume-list"]).stdout
    assert f"| {volume} |" in run(["volume-list", "--long"]).stdout
    port = catalog.ports[0]
    assert f"| {port.id} | {port.name} | private |" in run(["port-list", "--long"]).stdout
    images = run(["image-list", "--long"]).stdout
    assert all(f"| {image.id} |" in images for image in catalog.images)
    assert "| Format |" in images and "| Format |" not in run(["image-list"]).stdout


def test_host_list_shows_what_ramfilter_finds_usable() -> None:
    table = run(["host-list"]).stdout
    assert "| compute1 | vCPUs    | 2     | 8     | 16    | 126    |" in table
    assert "|          | RAM MB   | 4096  | 16384 | 1.5   | 20480  |" in table
    walk = json.loads(
        run(["boot", "--image", "cirros", "--flavor", "m1.tiny", "--nic", "net-name=private", "-f", "json", "x"]).stdout
    )
    reasons = {(v["host"], v["filter"]): v["reason"] for v in walk["steps"][3]["filter_results"]}
    assert reasons[("compute1", "RamFilter")] == "needs 512 MB RAM, 20480 MB usable (16384 × 1.5 − 4096)"


def test_host_list_fills_a_ratio_the_catalog_leaves_out_from_the_flow(tmp_path: Path) -> None:
    for name in ("flavors.yaml", "images.yaml"):
        (tmp_path / name).write_bytes((SHIPPED / name).read_bytes())
    cloud = (SHIPPED / "cloud.yaml").read_text(encoding="utf-8")
    (tmp_path / "cloud.yaml").write_text(cloud.replace("cpu_allocation_ratio: 16.0, ", "", 1), encoding="utf-8")
    classic = run(["host-list", "--catalog", str(tmp_path)]).stdout
    assert "| compute1 | vCPUs    | 2     | 8     | 16*   | 126    |" in classic
    assert "* not in the catalog: the classic flow's default (Icehouse (2014.1))" in classic
    modern = run(["host-list", "--catalog", str(tmp_path), "--flow", "modern"]).stdout
    assert "| compute1 | vCPUs    | 2     | 8     | 4*    | 30     |" in modern
    assert "|          | vCPUs    | 6     | 8     | 16    | 122    |" not in modern
    assert "* not in the catalog: the modern flow's default (nova master (00a03040))" in modern
    listed = json.loads(run(["host-list", "--catalog", str(tmp_path), "--flow", "modern", "-f", "json"]).stdout)
    assert listed[0]["cpu_allocation_ratio"] is None


@pytest.mark.parametrize(
    ("command", "section"),
    [("volume-list", "volumes"), ("port-list", "ports"), ("keypair-list", "keypairs"),
     ("security-group-list", "security_groups")],
)  # fmt: skip
def test_new_lists_json_is_the_catalog_as_written(command: str, section: str) -> None:
    result = run([command, "-f", "json"])
    assert (result.exit_code, result.stderr) == (ExitCode.OK, "")
    written = yaml.safe_load((SHIPPED / "cloud.yaml").read_text(encoding="utf-8"))[section]
    assert json.loads(result.stdout) == written

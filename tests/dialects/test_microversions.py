"""The microversion table is the one source: of the checks, of the header line, and of what --help documents."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import click
import pytest

from bootwalk.dialects import DIALECTS, microversion_needs
from bootwalk.dialects import microversions as table
from bootwalk.dialects.nova import NovaBootOptions
from bootwalk.dialects.openstack import ServerCreateOptions
from bootwalk.model import Catalog
from bootwalk.request import ApiVersion, BootRequest, NicRequest, RequestError
from tests.dialects.test_interface import COMMANDS

VERSION = re.compile(r"\b2\.\d+\b")


def flag(row: table.Microversioned) -> str:
    """The option a row is about: ``--nic`` for ``--nic tag=``."""
    return row.option.split()[0].rstrip("=")


def options_of(command: click.Command) -> dict[str, click.Option]:
    return {name: param for param in command.params if isinstance(param, click.Option) for name in param.opts}


def versions_in(row: table.Microversioned) -> set[str]:
    return {str(version) for allowed in row.ranges for version in (allowed.low, allowed.high) if version is not None}


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_every_row_is_an_option_of_the_dialects_command(dialect: str) -> None:
    options = options_of(COMMANDS[dialect][0])
    rows = table.rows(dialect)
    assert rows
    for row in rows:
        assert flag(row) in options, row


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_every_option_whose_help_names_a_microversion_is_in_the_table_with_that_version(dialect: str) -> None:
    documented = {
        name: set(VERSION.findall(option.help or ""))
        for name, option in options_of(COMMANDS[dialect][0]).items()
        if VERSION.search(option.help or "") and name != "--os-compute-api-version"
    }
    assert documented
    for name, versions in documented.items():
        rows = [row for row in table.rows(dialect) if flag(row) == name]
        assert rows, f"{name} documents a microversion but the table has no row for it"
        assert versions <= set().union(*(versions_in(row) for row in rows)), name


def test_each_dialect_has_one_row_per_feature() -> None:
    for dialect in DIALECTS:
        features = [row.feature for row in table.rows(dialect)]
        assert len(features) == len(set(features))


#: Options that ask for each feature, in each dialect: the checks must refuse them outside the table's ranges.
ASKING: dict[tuple[str, str], dict[str, Any]] = {
    ("nova", table.AUTO_NETWORK): {"nics": ("auto",)},
    ("nova", table.NO_NETWORK): {"nics": ("none",)},
    ("nova", table.NIC_TAG): {"nics": ("net-name=private,tag=eth0",)},
    ("nova", table.FILES): {"files": ("/etc/motd=/dev/null",)},
    ("nova", table.DESCRIPTION): {"description": "d"},
    ("nova", table.TAGS): {"tags": "a"},
    ("nova", table.TRUSTED_IMAGE_CERTIFICATES): {"trusted_image_certificate_ids": ("c",)},
    ("nova", table.HOST): {"host": "compute1"},
    ("nova", table.HYPERVISOR_HOSTNAME): {"hypervisor_hostname": "compute1"},
    ("nova", table.HOSTNAME): {"hostname": "h"},
    ("openstack", table.AUTO_NETWORK): {"auto_network": True},
    ("openstack", table.NO_NETWORK): {"no_network": True},
    ("openstack", table.NIC_TAG): {"nics": ("net-id=private,tag=eth0",)},
    ("openstack", table.FILES): {"files": ("/etc/motd=/dev/null",)},
    ("openstack", table.DESCRIPTION): {"description": "d"},
    ("openstack", table.TAGS): {"tags": ("a",)},
    ("openstack", table.TRUSTED_IMAGE_CERTIFICATES): {"trusted_image_certificates": ("c",)},
    ("openstack", table.HOST): {"host": "compute1"},
    ("openstack", table.HYPERVISOR_HOSTNAME): {"hypervisor_hostname": "compute1"},
    ("openstack", table.HOSTNAME): {"hostname": "h"},
}

BASE = {
    "nova": NovaBootOptions(name="x", flavor="m1.tiny", image="cirros"),
    "openstack": ServerCreateOptions(server_name="x", flavor="m1.tiny", image="cirros"),
}


def _just_outside(row: table.Microversioned) -> ApiVersion:
    for allowed in row.ranges:
        if allowed.high is not None and not row.allows(ApiVersion(2, allowed.high.minor + 1)):
            return ApiVersion(2, allowed.high.minor + 1)
    return ApiVersion(2, row.ranges[0].low.minor - 1)


def _just_inside(row: table.Microversioned) -> ApiVersion:
    return row.ranges[-1].high or row.ranges[-1].low


@pytest.mark.parametrize("row", table.MICROVERSIONS, ids=lambda row: f"{row.dialect}:{row.option}")
def test_each_row_is_checked_when_its_dialect_builds(row: table.Microversioned, catalog: Catalog) -> None:
    asking = replace(BASE[row.dialect], **ASKING[row.dialect, row.feature])
    dialect = DIALECTS[row.dialect]
    built = dialect.build(replace(asking, os_compute_api_version=_just_inside(row)), catalog)
    assert f"{row.label or row.option}: {row.describe()}" in microversion_needs(built, row.dialect)
    with pytest.raises(RequestError) as refused:
        dialect.build(replace(asking, os_compute_api_version=_just_outside(row)), catalog)
    assert refused.value.option is not None and refused.value.option.startswith(flag(row))


def test_the_header_line_reads_the_table() -> None:
    request = BootRequest(
        name="x", flavor="m1.tiny", image="cirros", nics=(NicRequest(net_name="private", tag="eth0"),),
        files=(("/etc/motd", 0),), description="d", tags=("a",), trusted_image_certificate_ids=("c",),
        host="compute1", hypervisor_hostname="compute1", hostname="h",
    )  # fmt: skip
    assert microversion_needs(request, "nova") == [
        "--nic tag=: 2.32 to 2.36, or 2.42 or later", "--file: 2.56 or earlier", "--description: 2.19 or later",
        "--tags: 2.52 or later", "--trusted-image-certificate-id: 2.63 or later",
        "--host / --hypervisor-hostname: 2.74 or later", "--hostname: 2.90 or later",
    ]  # fmt: skip
    assert microversion_needs(request, "openstack") == [
        "--nic tag=: 2.43 or later", "--file: 2.56 or earlier", "--description: 2.19 or later",
        "--tag: 2.52 or later", "--trusted-image-cert: 2.63 or later",
        "--host / --hypervisor-hostname: 2.74 or later", "--hostname: 2.90 or later",
    ]  # fmt: skip
    assert microversion_needs(BootRequest(name="x", flavor="f", nics="auto", nics_explicit=False), "nova") == []
    assert microversion_needs(BootRequest(name="x", flavor="f", nics="none"), "openstack") == [
        "--no-network: 2.37 or later"
    ]

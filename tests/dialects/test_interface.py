"""The dialect interface: every registered dialect builds a request, refuses by option, and writes itself back."""

from __future__ import annotations

import shlex
import subprocess
import sys
from typing import Any

import click
import pytest

from bootwalk.cli import cli
from bootwalk.cli.boot import boot
from bootwalk.cli.server import server_create
from bootwalk.cli.walk import split_walk_options
from bootwalk.dialects import DIALECTS, Dialect, dialect_named
from bootwalk.dialects.nova import NovaBootOptions
from bootwalk.dialects.openstack import NotFound, ServerCreateOptions
from bootwalk.model import Catalog
from bootwalk.request import ApiVersion, BadOptionValue, RequestError

#: The click command that takes each dialect's options, and the record its keyword arguments become.
COMMANDS: dict[str, tuple[click.Command, type[Any]]] = {
    "nova": (boot, NovaBootOptions),
    "openstack": (server_create, ServerCreateOptions),
}

#: A request in each dialect that uses most of its flags that write back.
SAMPLES: dict[str, Any] = {
    "nova": NovaBootOptions(
        name="demo-vm", flavor="m1.small", image="cirros", min_count=1, max_count=2, meta=(("role", "db"),),
        key_name="mykey", availability_zone="nova", security_groups="default,web",
        block_device=("source=volume,id=8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7,dest=volume,bootindex=1",),
        swap=512, ephemeral=("size=1,format=ext4",), hints=(("group", "web-ha"),),
        nics=("net-name=private,v4-fixed-ip=10.0.0.5,tag=eth0", "port-id=d4e6f8a0-b2c4-4d6e-8f0a-1b3d5f7b9d1f"),
        config_drive="true", poll=True, access_ip_v4="10.1.1.1", description="a demo", tags="a,b",
        trusted_image_certificate_ids=("cert-1",), host="compute1", hypervisor_hostname="compute1",
        hostname="demo",
    ),
    "openstack": ServerCreateOptions(
        server_name="demo-vm", flavor="m1.small", image="cirros", boot_from_volume=2, delete_on_termination=True,
        min_count=1, max_count=2, properties=(("role", "db"),), key_name="mykey", availability_zone="nova",
        security_groups=("default", "web"), swap=512, ephemeral=("size=1,format=ext4",),
        block_devices=("uuid=4b6d8f0a-2c4e-4a6c-9e0a-3c5e7a9c1e3f,source_type=volume,boot_index=1",),
        server_group="web-ha", networks=("private",), ports=("pre-made-port",),
        nics=("net-id=public,v4-fixed-ip=10.0.0.5,tag=eth0",), config_drive=True, wait=True,
        description="a demo", tags=("a", "b"), trusted_image_certificates=("cert-1",), host="compute1",
        hypervisor_hostname="compute1", hostname="demo",
    ),
}  # fmt: skip


def parse_back(dialect: Dialect[Any], command_line: str) -> Any:
    """Parse a command line a dialect wrote with bootwalk's click command for it, into the dialect's record."""
    words = shlex.split(command_line)
    prefix = dialect.command.split()
    assert words[: len(prefix)] == prefix
    command, record = COMMANDS[dialect.name]
    # Under bootwalk's group, as the console script runs it: click caches a command's help option from the
    # first context it gets, and a context of its own would leave -h out of every later --help.
    root = cli.make_context("bootwalk", [], resilient_parsing=True)
    context = command.make_context(dialect.walk_command, words[len(prefix) :], parent=root)
    options = dict(context.params)
    split_walk_options(options)
    return record(**options)


def test_every_dialect_is_registered_by_its_name_and_has_a_command() -> None:
    assert set(COMMANDS) == set(DIALECTS) == set(SAMPLES)
    for name, dialect in DIALECTS.items():
        assert dialect.name == name and dialect_named(name) is dialect
        assert dialect.command.split()[0] in ("nova", "openstack")
    assert dialect_named(None) is DIALECTS["nova"]  # a trace saved before the dialect was recorded


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_each_dialect_writes_a_command_that_builds_the_same_request(name: str, catalog: Catalog) -> None:
    dialect = DIALECTS[name]
    request = dialect.build(SAMPLES[name], catalog)
    command_line = dialect.format_command(request)
    assert dialect.build(parse_back(dialect, command_line), catalog) == request


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_each_dialect_writes_the_command_its_walk_records(name: str, catalog: Catalog) -> None:
    from bootwalk.engine import resolve_request
    from bootwalk.engine.views import request_summary

    request = DIALECTS[name].build(SAMPLES[name], catalog)
    summary = request_summary(resolve_request(request, catalog), name)
    assert summary["dialect"] == name
    assert summary["commands"][name] == DIALECTS[name].format_command(request)


@pytest.mark.parametrize(
    ("name", "changes", "kind", "option"),
    [
        ("nova", {"flavor": None}, RequestError, "--flavor"),
        ("nova", {"nics": ("foo",)}, BadOptionValue, "--nic"),
        ("nova", {"min_count": 0}, RequestError, "--min-count"),
        ("nova", {"block_device": ("colour=red",)}, RequestError, "--block-device"),
        ("nova", {"config_drive": "maybe"}, RequestError, "--config-drive"),
        ("nova", {"user_data": "/no/such/file"}, BadOptionValue, "--user-data"),
        ("nova", {"os_compute_api_version": ApiVersion(2, 51)}, RequestError, "--tags"),
        ("openstack", {"image": "nope", "boot_from_volume": None, "delete_on_termination": False}, NotFound,
         "--image"),
        ("openstack", {"flavor": "m1.huge"}, NotFound, "--flavor"),
        ("openstack", {"min_count": 3}, RequestError, "--min"),
        ("openstack", {"networks": ("a=b",)}, RequestError, "--network"),
        ("openstack", {"block_devices": ("colour=red",)}, RequestError, "--block-device"),
        ("openstack", {"ephemeral": ("big",)}, RequestError, "--ephemeral"),
        ("openstack", {"no_network": True}, RequestError, "--nic"),
        ("openstack", {"volume": "boot-vol"}, RequestError, "--volume"),
        ("openstack", {"files": ("/a=/b",)}, RequestError, "--file"),
        ("openstack", {"os_compute_api_version": ApiVersion(2, 18)}, RequestError, "--description"),
    ],
)  # fmt: skip
def test_a_refusal_names_the_option_it_is_about(
    name: str, changes: dict[str, Any], kind: type[RequestError], option: str, catalog: Catalog
) -> None:
    from dataclasses import replace

    with pytest.raises(kind) as refused:
        DIALECTS[name].build(replace(SAMPLES[name], **changes), catalog)
    assert refused.value.option == option
    assert isinstance(refused.value, BadOptionValue) == (kind is not RequestError)


def test_the_dialects_build_requests_without_click_or_rich() -> None:
    code = (
        "import sys\n"
        "from bootwalk.catalog import load_catalog, shipped_catalog_directory\n"
        "from bootwalk.dialects import DIALECTS\n"
        "from bootwalk.dialects.nova import NovaBootOptions\n"
        "from bootwalk.dialects.openstack import ServerCreateOptions\n"
        "from bootwalk.request import RequestError\n"
        "catalog = load_catalog(shipped_catalog_directory())\n"
        "nova = DIALECTS['nova'].build(NovaBootOptions(name='vm', flavor='m1.tiny', image='cirros',\n"
        "                                              nics=('net-name=private',)), catalog)\n"
        "osc = DIALECTS['openstack'].build(ServerCreateOptions(server_name='vm', flavor='m1.tiny', image='cirros',\n"
        "                                                      networks=('private',)), catalog)\n"
        "try:\n"
        "    DIALECTS['nova'].build(NovaBootOptions(name='vm', flavor='m1.tiny', image='cirros', nics=('x',)), catalog)\n"
        "except RequestError as error:\n"
        "    print(error.option)\n"
        "print(DIALECTS['nova'].format_command(nova))\n"
        "print(DIALECTS['openstack'].format_command(osc))\n"
        "print('click' in sys.modules, 'rich' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "--nic",
        "nova boot --flavor m1.tiny --image cirros --nic net-name=private vm",
        "openstack server create --flavor m1.tiny --image cirros --network private vm",
        "False False",
    ]
